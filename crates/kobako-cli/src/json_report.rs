//! The `--json` record: one object with the value, the captured output, the
//! usage and the error, for programs and agents to read.

use kobako::{Error, ErrorKind, Execution, Output, Value};
use serde_json::{Map, Value as Json, json};

use crate::backtrace;
use crate::report::uncrossable_inspect;
use crate::script_file::{ScriptFile, relabel};

/// The record of a finished run; its error names `file` where it would name
/// the file's snippet, and its backtrace is condensed.
/// A value that cannot cross has `"value": null` and its guest-side
/// `inspect` in `"value_inspect"`, and the run is `ok`.
pub(crate) fn render(result: &Result<Execution, Error>, file: Option<&ScriptFile>) -> Json {
    match result {
        Ok(run) => record(value_to_json(run.value()), Some(run.output()), Json::Null, None),
        Err(e) => match uncrossable_inspect(e) {
            Some(text) => record(Json::Null, e.output(), Json::Null, Some(text)),
            None => record(Json::Null, e.output(), error_to_json(e, file), None),
        },
    }
}

/// The record of a script refused before it ran (a Sandbox error with no
/// output, as for source the guest cannot take).
pub(crate) fn refusal(message: &str) -> Json {
    let error = error_record(ErrorKind::Sandbox.ruby_class(), message, &[], "sandbox");
    record(Json::Null, None, error, None)
}

/// The record; it is `ok` when there is no error.
fn record(value: Json, output: Option<&Output>, error: Json, inspect: Option<&str>) -> Json {
    let empty = Output::default();
    let output = output.unwrap_or(&empty);
    json!({
        "ok": error.is_null(),
        "value": value,
        "stdout": output.stdout_lossy(),
        "stderr": output.stderr_lossy(),
        "stdout_truncated": output.stdout_truncated(),
        "stderr_truncated": output.stderr_truncated(),
        "usage": {
            "wall_time": output.usage().wall_time.as_secs_f64(),
            "memory_peak": output.usage().memory_peak,
        },
        "error": error,
        "value_inspect": inspect,
    })
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

fn error_to_json(e: &Error, file: Option<&ScriptFile>) -> Json {
    let kind = error_kind(e);
    let failure = e.guest_failure();
    let message = match failure {
        Some(f) => f.message().to_owned(),
        None => e.to_string(),
    };
    let class = failure.and_then(|f| f.klass()).unwrap_or(e.ruby_class());
    let frames = failure.and_then(|f| f.backtrace()).unwrap_or_default();
    let backtrace: Vec<String> = backtrace::condense(frames)
        .iter()
        .map(|line| relabel(file, line.text()))
        .collect();
    error_record(class, &relabel(file, &message), &backtrace, kind)
}

fn error_record(class: &str, message: &str, backtrace: &[String], kind: &str) -> Json {
    json!({
        "class": class,
        "message": message,
        "backtrace": backtrace,
        "kind": kind,
    })
}

/// Symbols become strings; Hash keys that are not strings or symbols become
/// their `inspect` form; non-finite floats become null.
pub(crate) fn value_to_json(value: &Value) -> Json {
    match value {
        Value::Nil => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(n) => Json::from(*n),
        Value::Float(x) => serde_json::Number::from_f64(*x).map_or(Json::Null, Json::Number),
        Value::Str(s) | Value::Sym(s) => Json::String(s.clone()),
        Value::Bin(bytes) => Json::String(String::from_utf8_lossy(bytes).into_owned()),
        Value::Array(items) => Json::Array(items.iter().map(value_to_json).collect()),
        Value::Map(pairs) => {
            let mut object = Map::new();
            for (key, item) in pairs {
                let key = match key {
                    Value::Str(s) | Value::Sym(s) => s.clone(),
                    other => other.to_string(),
                };
                object.insert(key, value_to_json(item));
            }
            Json::Object(object)
        }
        _ => Json::String(value.to_string()),
    }
}
