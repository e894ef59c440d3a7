//! The `--json` record: one object with the value, the captured output, the
//! usage and the error, for programs and agents to read.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{self, BufWriter, Write};
use std::sync::LazyLock;

use kobako::{Error, ErrorKind, Execution, Output, Value};
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use serde_json::{Value as Json, json};

use crate::backtrace;
use crate::report::uncrossable_inspect;
use crate::script_file::{ScriptFile, relabel};

/// The record of one run, serialized straight from the run's value and
/// output, so a large value is never copied into a JSON tree on its way out.
#[derive(Serialize)]
pub(crate) struct Record<'a> {
    ok: bool,
    value: Option<JsonValue<'a>>,
    stdout: Cow<'a, str>,
    stderr: Cow<'a, str>,
    stdout_truncated: bool,
    stderr_truncated: bool,
    usage: RecordUsage,
    error: Option<ErrorRecord<'a>>,
    value_inspect: Option<&'a str>,
}

#[derive(Serialize)]
struct RecordUsage {
    wall_time: f64,
    memory_peak: u64,
}

#[derive(Serialize)]
struct ErrorRecord<'a> {
    class: &'a str,
    message: String,
    backtrace: Vec<String>,
    kind: &'static str,
}

impl Record<'_> {
    /// The record as a JSON tree, for an MCP result.
    pub(crate) fn to_json(&self) -> Json {
        // Every key is a string, so this cannot fail.
        json!(self)
    }

    /// Writes the record to `out` as one line, through a buffer.
    pub(crate) fn write_line(&self, out: impl Write) -> io::Result<()> {
        let mut out = BufWriter::new(out);
        serde_json::to_writer(&mut out, self)?;
        out.write_all(b"\n")?;
        out.flush()
    }
}

/// The record of a finished run; its error names `file` where it would name
/// the file's snippet, and its backtrace is condensed.
/// A value that cannot cross has `"value": null` and its guest-side
/// `inspect` in `"value_inspect"`, and the run is `ok`.
pub(crate) fn render<'a>(result: &'a Result<Execution, Error>, file: Option<&ScriptFile>) -> Record<'a> {
    match result {
        Ok(run) => record(Some(JsonValue(run.value())), Some(run.output()), None, None),
        Err(e) => match uncrossable_inspect(e) {
            Some(text) => record(None, e.output(), None, Some(text)),
            None => record(None, e.output(), Some(error_record(e, file)), None),
        },
    }
}

/// The record of a script refused before it ran (a Sandbox error with no
/// output, as for source the guest cannot take).
pub(crate) fn refusal(message: &str) -> Record<'static> {
    let error = ErrorRecord {
        class: ErrorKind::Sandbox.ruby_class(),
        message: message.to_owned(),
        backtrace: Vec::new(),
        kind: "sandbox",
    };
    record(None, None, Some(error), None)
}

/// The record; it is `ok` when there is no error.
fn record<'a>(
    value: Option<JsonValue<'a>>,
    output: Option<&'a Output>,
    error: Option<ErrorRecord<'a>>,
    inspect: Option<&'a str>,
) -> Record<'a> {
    static EMPTY: LazyLock<Output> = LazyLock::new(Output::default);
    let output = output.unwrap_or(&EMPTY);
    Record {
        ok: error.is_none(),
        value,
        stdout: output.stdout_lossy(),
        stderr: output.stderr_lossy(),
        stdout_truncated: output.stdout_truncated(),
        stderr_truncated: output.stderr_truncated(),
        usage: RecordUsage {
            wall_time: output.usage().wall_time.as_secs_f64(),
            memory_peak: output.usage().memory_peak,
        },
        error,
        value_inspect: inspect,
    }
}

/// The record's `error.kind` for a run that ended in `e`: `timeout`,
/// `memory_limit`, `trap`, `service` or `sandbox`.
fn error_kind(e: &Error) -> &'static str {
    if e.is_timeout() {
        "timeout"
    } else if e.is_memory_limit() {
        "memory_limit"
    } else if e.is_trap() {
        "trap"
    } else if e.is_service() {
        "service"
    } else {
        "sandbox"
    }
}

/// How a finished run is counted: `ok` when its record is, else its
/// [`error_kind`].
pub(crate) fn outcome_kind(result: &Result<Execution, Error>) -> &'static str {
    match result {
        Ok(_) => "ok",
        Err(e) if uncrossable_inspect(e).is_some() => "ok",
        Err(e) => error_kind(e),
    }
}

fn error_record<'a>(e: &'a Error, file: Option<&ScriptFile>) -> ErrorRecord<'a> {
    let failure = e.guest_failure();
    let message = match failure {
        Some(f) => f.message().to_owned(),
        None => e.to_string(),
    };
    let frames = failure.and_then(|f| f.backtrace()).unwrap_or_default();
    ErrorRecord {
        class: failure.and_then(|f| f.klass()).unwrap_or(e.ruby_class()),
        message: relabel(file, &message),
        backtrace: backtrace::condense(frames)
            .iter()
            .map(|line| relabel(file, line.text()))
            .collect(),
        kind: error_kind(e),
    }
}

/// A value as the record shows it: Symbols become strings; Hash keys that
/// are not strings or symbols become their `inspect` form; non-finite
/// floats become null.
struct JsonValue<'a>(&'a Value);

impl Serialize for JsonValue<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Value::Nil => serializer.serialize_unit(),
            Value::Bool(b) => serializer.serialize_bool(*b),
            Value::Int(n) => serializer.serialize_i64(*n),
            // serde_json writes a non-finite float as null.
            Value::Float(x) => serializer.serialize_f64(*x),
            Value::Str(s) | Value::Sym(s) => serializer.serialize_str(s),
            Value::Bin(bytes) => serializer.serialize_str(&String::from_utf8_lossy(bytes)),
            Value::Array(items) => serializer.collect_seq(items.iter().map(JsonValue)),
            Value::Map(pairs) => serialize_object(pairs, serializer),
            other => serializer.collect_str(other),
        }
    }
}

/// A Hash as a JSON object. Keys equal once shown (`"a"` and `:a`) make one
/// member, at the place of the first with the value of the last.
fn serialize_object<S: Serializer>(pairs: &[(Value, Value)], serializer: S) -> Result<S::Ok, S::Error> {
    let keys: Vec<Cow<str>> = pairs
        .iter()
        .map(|(key, _)| match key {
            Value::Str(s) | Value::Sym(s) => Cow::Borrowed(s.as_str()),
            other => Cow::Owned(other.to_string()),
        })
        .collect();
    let mut last: HashMap<&str, usize> = keys
        .iter()
        .enumerate()
        .map(|(i, key)| (key.as_ref(), i))
        .collect();
    let mut object = serializer.serialize_map(Some(last.len()))?;
    for key in &keys {
        if let Some(i) = last.remove(key.as_ref()) {
            object.serialize_entry(key.as_ref(), &JsonValue(&pairs[i].1))?;
        }
    }
    object.end()
}

#[cfg(test)]
mod tests {
    use kobako::{Call, Fault, HostObject, Service};
    use serde_json::Map;

    use super::*;

    /// The tree the record was once built from, kept as the reference for
    /// what each value looks like.
    fn reference(value: &Value) -> Json {
        match value {
            Value::Nil => Json::Null,
            Value::Bool(b) => Json::Bool(*b),
            Value::Int(n) => Json::from(*n),
            Value::Float(x) => serde_json::Number::from_f64(*x).map_or(Json::Null, Json::Number),
            Value::Str(s) | Value::Sym(s) => Json::String(s.clone()),
            Value::Bin(bytes) => Json::String(String::from_utf8_lossy(bytes).into_owned()),
            Value::Array(items) => Json::Array(items.iter().map(reference).collect()),
            Value::Map(pairs) => {
                let mut object = Map::new();
                for (key, item) in pairs {
                    let key = match key {
                        Value::Str(s) | Value::Sym(s) => s.clone(),
                        other => other.to_string(),
                    };
                    object.insert(key, reference(item));
                }
                Json::Object(object)
            }
            _ => Json::String(value.to_string()),
        }
    }

    struct Opaque;

    impl Service for Opaque {
        fn call(&self, _: &mut Call<'_>) -> Result<Value, Fault> {
            Ok(Value::Nil)
        }
    }

    /// One of each shape, and Hashes whose keys collide once shown.
    fn every_shape(i: i64) -> Value {
        let str = |s: &str| Value::Str(s.into());
        let sym = |s: &str| Value::Sym(s.into());
        let floats = [
            0.1,
            -0.0,
            1e300,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            i as f64 / 3.0,
        ];
        Value::Array(vec![
            Value::Nil,
            Value::Bool(i % 2 == 0),
            Value::Int(i),
            Value::Int(i64::MIN),
            Value::Int(i64::MAX),
            Value::Array(floats.into_iter().map(Value::Float).collect()),
            str("tab\t \"quote\" \\ \u{1} é 日本 \u{1F600}"),
            sym("a_symbol"),
            Value::Bin(vec![0xff, b'a', 0xc3, 0x28, 0]),
            Value::Object(HostObject::new(Opaque)),
            Value::Map(vec![
                (str("a"), Value::Int(1)),
                (Value::Int(1), str("int key")),
                (sym("a"), Value::Int(2)),
                (str("1"), str("string key")),
                (Value::Nil, Value::Array(vec![])),
                (Value::Float(f64::NAN), Value::Map(vec![])),
                (
                    Value::Array(vec![Value::Int(1), sym("b")]),
                    Value::Map(vec![(str("x"), Value::Nil)]),
                ),
                (Value::Bin(vec![0xfe]), Value::Bool(false)),
                (str("a"), Value::Int(3)),
                (
                    str("nested"),
                    Value::Map(vec![(sym("deep"), Value::Array(vec![str(&i.to_string())]))]),
                ),
            ]),
        ])
    }

    #[test]
    fn every_value_shape_serializes_as_the_json_tree_did() {
        let large = Value::Array((0..2_000).map(every_shape).collect());
        let nested = Value::Map(vec![
            (Value::Str("all".into()), large.clone()),
            (Value::Sym("all".into()), large),
        ]);
        let expected = reference(&nested);
        assert_eq!(
            serde_json::to_string(&JsonValue(&nested)).unwrap(),
            expected.to_string()
        );
        assert_eq!(serde_json::to_value(JsonValue(&nested)).unwrap(), expected);
    }

    #[test]
    fn a_large_value_is_written_without_a_copy_of_it() {
        let pairs = (0..300_000).map(|i| Value::Array(vec![Value::Int(i), Value::Str("x".into())]));
        let value = Value::Array(pairs.collect());
        let record = record(Some(JsonValue(&value)), None, None, None);
        let (written, peak) = crate::heap_peak::peak_of(|| record.write_line(io::sink()));
        written.unwrap();
        assert!(peak < 64 * 1024, "held {peak} bytes while writing");
    }
}
