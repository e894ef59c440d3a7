//! `Data::Files`: read-only documents the manifest names. A script asks for
//! a document by its name and never sees a host path.

use std::collections::BTreeMap;
use std::path::PathBuf;

use kobako::{Call, Fault, Service, Value};

use crate::service_doc::{ArgDoc, MethodDoc, ServiceDoc};

/// The `Data::Files` service: names mapped to files, read at each call.
pub(crate) struct DataFiles {
    files: BTreeMap<String, PathBuf>,
}

impl DataFiles {
    /// Serves `files` (name to path) read-only.
    pub(crate) fn new(files: BTreeMap<String, PathBuf>) -> DataFiles {
        DataFiles { files }
    }

    fn read(&self, name: &str) -> Result<Value, Fault> {
        let path = self.files.get(name).ok_or_else(|| {
            Fault::argument(format!(
                "Data::Files has no document named {name:?}; Data::Files.list names them"
            ))
        })?;
        let bytes = read_capped(path).map_err(|e| match e {
            Some(len) => Fault::runtime(format!(
                "Data::Files: the document {name:?} is {len} bytes, more than the {} MiB a result can carry",
                DOCUMENT_MAX >> 20
            )),
            None => Fault::runtime(format!("Data::Files: the document {name:?} could not be read")),
        })?;
        Ok(match String::from_utf8(bytes) {
            Ok(text) => Value::Str(text),
            Err(e) => Value::Bin(e.into_bytes()),
        })
    }
}

/// The most a document may hold: a larger one could not cross to the guest
/// anyway (the wire's message limit).
const DOCUMENT_MAX: usize = kobako::MAX_SOURCE_BYTES;

/// Reads a file of at most [`DOCUMENT_MAX`] bytes, checking its size before
/// reading and stopping one byte past the cap if it grows meanwhile. The
/// error is the size when that is what failed.
fn read_capped(path: &std::path::Path) -> Result<Vec<u8>, Option<u64>> {
    use std::io::Read as _;
    let file = std::fs::File::open(path).map_err(|_| None)?;
    let len = file.metadata().map_err(|_| None)?.len();
    if len > DOCUMENT_MAX as u64 {
        return Err(Some(len));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(DOCUMENT_MAX as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|_| None)?;
    if bytes.len() > DOCUMENT_MAX {
        return Err(Some(bytes.len() as u64));
    }
    Ok(bytes)
}

impl Service for DataFiles {
    fn call(&self, call: &mut Call<'_>) -> Result<Value, Fault> {
        match (call.method(), call.args()) {
            ("list", []) => Ok(Value::Array(
                self.files.keys().map(|k| Value::Str(k.clone())).collect(),
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
pub(crate) fn describe(files: &BTreeMap<String, PathBuf>) -> ServiceDoc {
    let names: Vec<&str> = files.keys().map(String::as_str).collect();
    ServiceDoc {
        path: "Data::Files",
        summary: format!("Read-only documents: {}.", names.join(", ")),
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
