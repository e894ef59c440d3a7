//! `Data::Files`: read-only documents the manifest names. A script asks for
//! a document by its name and never sees a host path.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use kobako::{Call, Fault, Service, Value};

use super::deadline_after;
use crate::manifest::DataConfig;
use crate::service_doc::{ArgDoc, MethodDoc, ServiceDoc};

/// The `Data::Files` service: names mapped to files, read at each call, no
/// read waited on past the run's timeout.
pub(crate) struct DataFiles {
    config: DataConfig,
    run_timeout: Option<Duration>,
}

/// Why a document was not read.
enum ReadFailure {
    /// It is larger than the cap; its size as far as it was measured.
    TooLarge(u64),
    /// It could not be opened or read.
    Unreadable,
    /// The read had not finished when the run's deadline came.
    Late,
}

impl DataFiles {
    /// Serves the documents in `config` read-only; a read is given up once
    /// `run_timeout` has passed since the call began.
    pub(crate) fn new(config: DataConfig, run_timeout: Option<Duration>) -> DataFiles {
        DataFiles { config, run_timeout }
    }

    fn read(&self, name: &str) -> Result<Value, Fault> {
        let path = self.config.files.get(name).ok_or_else(|| {
            Fault::argument(format!(
                "Data::Files has no document named {name:?}; Data::Files.list names them"
            ))
        })?;
        let cap = self.config.max_document_bytes;
        let read = read_until(path.clone(), cap, deadline_after(self.run_timeout));
        let bytes = read.map_err(|e| match e {
            ReadFailure::TooLarge(len) => Fault::runtime(format!(
                "Data::Files: the document {name:?} is {len} bytes, more than the {} \
                 services.data.max_document_bytes allows",
                byte_size(cap)
            )),
            ReadFailure::Unreadable => {
                Fault::runtime(format!("Data::Files: the document {name:?} could not be read"))
            }
            ReadFailure::Late => Fault::runtime(format!(
                "Data::Files: reading the document {name:?} did not finish before the run's deadline"
            )),
        })?;
        Ok(match String::from_utf8(bytes) {
            Ok(text) => Value::Str(text),
            Err(e) => Value::Bin(e.into_bytes()),
        })
    }
}

/// `n` bytes as people write it: whole MiB as such, else a byte count.
fn byte_size(n: u64) -> String {
    const MIB: u64 = 1 << 20;
    if n >= MIB && n.is_multiple_of(MIB) {
        format!("{} MiB", n / MIB)
    } else {
        format!("{n} bytes")
    }
}

/// Reads the file on a worker thread and waits for it until `deadline`: a
/// read that blocks (a slow disk, a pipe nobody writes) is left to finish on
/// its own, holding at most `cap` bytes, and the call returns.
fn read_until(path: PathBuf, cap: u64, deadline: Option<Instant>) -> Result<Vec<u8>, ReadFailure> {
    let (done, read) = mpsc::sync_channel(1);
    std::thread::Builder::new()
        .name("kobako-data-read".into())
        .spawn(move || {
            let _ = done.send(read_capped(&path, cap));
        })
        .map_err(|_| ReadFailure::Unreadable)?;
    let received = match deadline {
        Some(deadline) => read.recv_timeout(deadline.saturating_duration_since(Instant::now())),
        None => read.recv().map_err(|_| mpsc::RecvTimeoutError::Disconnected),
    };
    match received {
        Ok(result) => result,
        Err(mpsc::RecvTimeoutError::Timeout) => Err(ReadFailure::Late),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(ReadFailure::Unreadable),
    }
}

/// Reads a file of at most `cap` bytes, checking its size before reading and
/// stopping one byte past the cap if it grows meanwhile (or is a pipe).
fn read_capped(path: &Path, cap: u64) -> Result<Vec<u8>, ReadFailure> {
    use std::io::Read as _;
    let file = std::fs::File::open(path).map_err(|_| ReadFailure::Unreadable)?;
    let len = file.metadata().map_err(|_| ReadFailure::Unreadable)?.len();
    if len > cap {
        return Err(ReadFailure::TooLarge(len));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    file.take(cap + 1)
        .read_to_end(&mut bytes)
        .map_err(|_| ReadFailure::Unreadable)?;
    if bytes.len() as u64 > cap {
        return Err(ReadFailure::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}

impl Service for DataFiles {
    fn call(&self, call: &mut Call<'_>) -> Result<Value, Fault> {
        match (call.method(), call.args()) {
            ("list", []) => Ok(Value::Array(
                self.config.files.keys().map(|k| Value::Str(k.clone())).collect(),
            )),
            ("read", [Value::Str(name) | Value::Sym(name)]) => self.read(name),
            (method @ ("list" | "read"), args) => Err(Fault::argument(format!(
                "wrong arguments for Data::Files.{method} (given {}); see its description",
                args.len()
            ))),
            (method, _) => Err(Fault::undefined(format!(
                "Data::Files has no method {method}; it has list and read"
            ))),
        }
    }
}

/// How `Data::Files` is described to a script's author.
pub(crate) fn describe(config: &DataConfig) -> ServiceDoc {
    let names: Vec<&str> = config.files.keys().map(String::as_str).collect();
    ServiceDoc {
        path: "Data::Files",
        summary: format!(
            "Read-only documents: {}. A document over {} bytes is refused.",
            names.join(", "),
            config.max_document_bytes
        ),
        methods: vec![
            MethodDoc {
                name: "list",
                args: &[],
                returns: "Array[String]",
                doc: "The names of the documents.",
            },
            MethodDoc {
                name: "read",
                args: &[ArgDoc {
                    name: "name",
                    ty: "String",
                    keyword: false,
                }],
                returns: "String",
                doc: "The document's text; use JSON.parse on a JSON document.",
            },
        ],
    }
}
