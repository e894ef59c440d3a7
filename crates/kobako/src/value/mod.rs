//! What crosses the sandbox boundary: values by copy, and host objects by
//! reference (Capability Handles). A host object is a [`Service`], whose
//! calls carry values, so the three live in this one module.

mod host_object;
mod inspect;
mod service;

pub use host_object::HostObject;
pub(crate) use service::BlockChannel;
pub use service::{Block, BlockError, Call, Fault, FaultCategory, Service};

/// A value that crosses between host and guest by copy.
///
/// Its [`Display`](std::fmt::Display) form is the Ruby `inspect` form, so
/// `Value::Sym("a".into())` prints as `:a`. With serde, a Symbol serializes
/// as its name, binary as bytes, `nil` as unit and a Hash as a map, and a
/// host object (a Handle) cannot be serialized; deserializing makes `Str`
/// (never `Sym`) and `Map`, and refuses integers outside `i64`.
///
/// ```
/// use kobako::Value;
/// let v = Value::Array(vec![Value::Int(1), Value::Str("two".into()), Value::Nil]);
/// assert_eq!(v.to_string(), r#"[1, "two", nil]"#);
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Value {
    /// Ruby `nil`.
    Nil,
    /// Ruby `true` or `false`.
    Bool(bool),
    /// An Integer within the 64-bit signed range.
    Int(i64),
    /// A Float; NaN, the infinities and -0.0 are kept.
    Float(f64),
    /// A String whose bytes are valid UTF-8.
    Str(String),
    /// A String whose bytes are not valid UTF-8 (binary data).
    Bin(Vec<u8>),
    /// A Symbol, by name.
    Sym(String),
    /// An Array.
    Array(Vec<Value>),
    /// A Hash, as its key/value pairs in insertion order.
    Map(Vec<(Value, Value)>),
    /// A host object; the guest sees it as an opaque Capability Handle.
    Object(HostObject),
}

impl Value {
    /// The value as an `i64`, if it is an Integer.
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Value::Int(n) => Some(*n),
            _ => None,
        }
    }

    /// The value as text, if it is a UTF-8 String.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Looks a key up in a Hash value; `None` for other values.
    pub fn get(&self, key: &Value) -> Option<&Value> {
        match self {
            Value::Map(pairs) => pairs.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Looks a Symbol key up in a Hash value: `value.get_sym("total")` is
    /// Ruby's `value[:total]`.
    pub fn get_sym(&self, name: &str) -> Option<&Value> {
        match self {
            Value::Map(pairs) => pairs
                .iter()
                .rev()
                .find(|(k, _)| matches!(k, Value::Sym(s) if s == name))
                .map(|(_, v)| v),
            _ => None,
        }
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl From<i64> for Value {
    fn from(n: i64) -> Self {
        Value::Int(n)
    }
}

impl From<f64> for Value {
    fn from(f: f64) -> Self {
        Value::Float(f)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::Str(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::Str(s)
    }
}

impl<T: Into<Value>> From<Vec<T>> for Value {
    fn from(items: Vec<T>) -> Self {
        Value::Array(items.into_iter().map(Into::into).collect())
    }
}
