//! serde conversion for [`Value`], used by the closure adapters. It goes
//! through `serde_json::Value`, so Symbols arrive as strings, Hash keys must
//! be strings or Symbols, and Hashes produced from Rust have String keys.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::value::Value;

/// Converts a serializable Rust value into a wire value.
pub(crate) fn to_value<T: Serialize>(value: &T) -> Result<Value, String> {
    from_json(serde_json::to_value(value).map_err(|e| e.to_string())?)
}

/// Converts a wire value into a Rust value.
pub(crate) fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, String> {
    serde_json::from_value(to_json(value)?).map_err(|e| e.to_string())
}

fn from_json(json: serde_json::Value) -> Result<Value, String> {
    use serde_json::Value as J;
    Ok(match json {
        J::Null => Value::Nil,
        J::Bool(b) => Value::Bool(b),
        J::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => Value::Int(i),
            (None, Some(_)) if n.is_u64() => return Err(format!("{n} is outside the 64-bit signed range")),
            (None, Some(f)) => Value::Float(f),
            (None, None) => return Err(format!("{n} is not representable")),
        },
        J::String(s) => Value::Str(s),
        J::Array(items) => Value::Array(items.into_iter().map(from_json).collect::<Result<_, _>>()?),
        J::Object(map) => Value::Map(
            map.into_iter()
                .map(|(k, v)| Ok((Value::Str(k), from_json(v)?)))
                .collect::<Result<_, String>>()?,
        ),
    })
}

fn to_json(value: Value) -> Result<serde_json::Value, String> {
    use serde_json::Value as J;
    Ok(match value {
        Value::Nil => J::Null,
        Value::Bool(b) => J::Bool(b),
        Value::Int(n) => J::from(n),
        Value::Float(x) => serde_json::Number::from_f64(x)
            .map(J::Number)
            .ok_or(format!("{x} has no serde form"))?,
        Value::Str(s) | Value::Sym(s) => J::String(s),
        Value::Bin(bytes) => J::Array(bytes.into_iter().map(J::from).collect()),
        Value::Array(items) => J::Array(items.into_iter().map(to_json).collect::<Result<_, _>>()?),
        Value::Map(pairs) => J::Object(
            pairs
                .into_iter()
                .map(|(k, v)| match k {
                    Value::Str(k) | Value::Sym(k) => Ok((k, to_json(v)?)),
                    other => Err(format!("Hash key {other} is not a String or Symbol")),
                })
                .collect::<Result<_, String>>()?,
        ),
        Value::Object(_) => return Err("a Capability Handle has no serde form".into()),
    })
}
