//! serde for [`Value`]: its own `Serialize`/`Deserialize`, and the typed
//! conversions closures and [`Execution::value_as`](crate::Execution::value_as)
//! use. Typed conversions go through `serde_json::Value`, so Symbols arrive
//! as strings, Hash keys must be Strings or Symbols, and Hashes produced
//! from Rust have String keys.

use std::fmt;

use serde::de::{self, DeserializeOwned, MapAccess, SeqAccess, Visitor};
use serde::ser::{self, SerializeMap, SerializeSeq};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::Error;
use crate::value::Value;

impl Value {
    /// Parses JSON text into a value: objects become Hashes with String
    /// keys, and integers must fit in `i64`.
    ///
    /// ```
    /// use kobako::Value;
    /// let v = Value::from_json(r#"{"n": [1, 2.5, null]}"#)?;
    /// assert_eq!(v.to_string(), r#"{"n" => [1, 2.5, nil]}"#);
    /// # Ok::<(), kobako::Error>(())
    /// ```
    pub fn from_json(text: &str) -> Result<Value, Error> {
        serde_json::from_str(text).map_err(|e| Error::misuse(format!("not valid JSON: {e}")))
    }
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Nil => serializer.serialize_unit(),
            Value::Bool(b) => serializer.serialize_bool(*b),
            Value::Int(n) => serializer.serialize_i64(*n),
            Value::Float(x) => serializer.serialize_f64(*x),
            Value::Str(s) | Value::Sym(s) => serializer.serialize_str(s),
            Value::Bin(bytes) => serializer.serialize_bytes(bytes),
            Value::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Value::Map(pairs) => {
                let mut map = serializer.serialize_map(Some(pairs.len()))?;
                for (key, item) in pairs {
                    map.serialize_entry(key, item)?;
                }
                map.end()
            }
            Value::Object(_) => Err(ser::Error::custom("a Capability Handle has no serde form")),
        }
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value that can cross the sandbox boundary")
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Nil)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Nil)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        Value::deserialize(deserializer)
    }

    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Value, E> {
        Ok(Value::Int(n))
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Value, E> {
        i64::try_from(n)
            .map(Value::Int)
            .map_err(|_| E::custom(format!("{n} is outside the 64-bit signed range")))
    }

    fn visit_f64<E>(self, x: f64) -> Result<Value, E> {
        Ok(Value::Float(x))
    }

    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::Str(s.to_owned()))
    }

    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::Str(s))
    }

    fn visit_bytes<E>(self, bytes: &[u8]) -> Result<Value, E> {
        Ok(Value::Bin(bytes.to_vec()))
    }

    fn visit_byte_buf<E>(self, bytes: Vec<u8>) -> Result<Value, E> {
        Ok(Value::Bin(bytes))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut pairs = Vec::new();
        while let Some(pair) = map.next_entry()? {
            pairs.push(pair);
        }
        Ok(Value::Map(pairs))
    }
}

/// Converts a serializable Rust value into a wire value.
pub(crate) fn to_value<T: Serialize>(value: &T) -> Result<Value, String> {
    let json = serde_json::to_value(value).map_err(|e| e.to_string())?;
    Value::deserialize(json).map_err(|e| e.to_string())
}

/// Converts a wire value into a Rust value.
pub(crate) fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, String> {
    serde_json::from_value(to_json(value)?).map_err(|e| e.to_string())
}

/// The JSON form typed conversions read: strict where JSON cannot say what
/// the value is (a non-finite Float, a Hash key that is not text, a Handle).
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip_through_json() {
        let value = Value::Map(vec![
            (
                Value::Str("a".into()),
                Value::Array(vec![Value::Int(1), Value::Float(1.5), Value::Nil]),
            ),
            (Value::Str("b".into()), Value::Bool(true)),
        ]);
        let text = serde_json::to_string(&value).unwrap();
        assert_eq!(text, r#"{"a":[1,1.5,null],"b":true}"#);
        assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), value);
        assert_eq!(serde_json::to_string(&Value::Sym("s".into())).unwrap(), r#""s""#);
        assert!(serde_json::from_str::<Value>("18446744073709551615").is_err());
    }
}
