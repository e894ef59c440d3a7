//! The `--json` record: one object with the value, the captured output, the
//! usage and the error, for programs and agents to read.

use kobako::{Error, Execution, Output, Value};
use serde_json::{Map, Value as Json, json};

pub(crate) fn render(result: &Result<Execution, Error>) -> Json {
    let (value, output, error) = match result {
        Ok(run) => (value_to_json(run.value()), Some(run.output()), Json::Null),
        Err(e) => (Json::Null, e.output(), error_to_json(e)),
    };
    let empty = Output::default();
    let output = output.unwrap_or(&empty);
    json!({
        "ok": result.is_ok(),
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
    })
}

fn error_to_json(e: &Error) -> Json {
    let (kind, class) = match e {
        Error::Timeout(_) => ("timeout", "Kobako::TimeoutError"),
        Error::MemoryLimit(_) => ("memory_limit", "Kobako::MemoryLimitError"),
        e if e.is_trap() => ("trap", "Kobako::TrapError"),
        Error::Service(_) => ("service", "Kobako::ServiceError"),
        _ => ("sandbox", "Kobako::SandboxError"),
    };
    let failure = e.guest_failure();
    let message = match failure {
        Some(f) => f.message().to_owned(),
        None => e.to_string(),
    };
    json!({
        "class": failure.and_then(|f| f.klass()).unwrap_or(class),
        "message": message,
        "backtrace": failure.and_then(|f| f.backtrace()).unwrap_or_default(),
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

/// A JSON argument as a wire value: objects become Hashes with String keys.
pub(crate) fn json_to_value(json: &Json) -> Result<Value, String> {
    Ok(match json {
        Json::Null => Value::Nil,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => Value::Int(i),
            (None, Some(_)) if n.is_u64() => return Err(format!("{n} is outside the 64-bit integer range")),
            (None, Some(f)) => Value::Float(f),
            (None, None) => return Err(format!("{n} is not a representable number")),
        },
        Json::String(s) => Value::Str(s.clone()),
        Json::Array(items) => Value::Array(items.iter().map(json_to_value).collect::<Result<_, _>>()?),
        Json::Object(map) => Value::Map(
            map.iter()
                .map(|(k, v)| Ok((Value::Str(k.clone()), json_to_value(v)?)))
                .collect::<Result<_, String>>()?,
        ),
    })
}
