//! The values that cross the sandbox boundary by copy.

use std::any::Any;
use std::fmt;
use std::sync::Arc;

use crate::service::Service;

/// A value that crosses between host and guest by copy.
///
/// Its [`Display`](fmt::Display) form is the Ruby `inspect` form, so
/// `Value::Sym("a".into())` prints as `:a`.
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

/// A host object that crosses as a Capability Handle: the guest can call its
/// methods (it is a [`Service`]) but never see inside it. Equality is
/// identity (the same allocation).
#[derive(Clone)]
pub struct HostObject(Arc<dyn Service>);

impl HostObject {
    /// Wraps a service object.
    pub fn new(service: impl Service) -> Self {
        HostObject(Arc::new(service))
    }

    /// Wraps a shared service object without copying it.
    pub fn from_arc(service: Arc<dyn Service>) -> Self {
        HostObject(service)
    }

    /// The object as a service, to call it.
    pub fn service(&self) -> &Arc<dyn Service> {
        &self.0
    }

    /// The object as its concrete type, if it is a `T`.
    pub fn downcast_ref<T: Service>(&self) -> Option<&T> {
        (self.0.as_ref() as &dyn Any).downcast_ref()
    }

    /// True when both are the same object.
    pub fn ptr_eq(&self, other: &HostObject) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl PartialEq for HostObject {
    fn eq(&self, other: &Self) -> bool {
        self.ptr_eq(other)
    }
}

impl fmt::Debug for HostObject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HostObject({:p})", Arc::as_ptr(&self.0))
    }
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

    /// Encodes the value in the wire format (MessagePack, docs/wire.md), for
    /// storing it; host objects cannot be encoded.
    pub fn to_wire_bytes(&self) -> Result<Vec<u8>, crate::Error> {
        let mut writer = crate::wire::Writer::new();
        writer
            .value(self, &mut crate::wire::NoHandles)
            .and_then(|()| writer.finish())
            .map_err(|e| crate::Error::usage(format!("value cannot be encoded: {e}")))
    }

    /// Decodes a value written by [`to_wire_bytes`](Self::to_wire_bytes).
    pub fn from_wire_bytes(bytes: &[u8]) -> Result<Value, crate::Error> {
        crate::wire::decode_value(bytes)
            .map_err(|e| crate::Error::usage(format!("bytes are not a wire value: {e}")))
    }

    /// Looks a key up in a Hash value; `None` for other values.
    pub fn get(&self, key: &Value) -> Option<&Value> {
        match self {
            Value::Map(pairs) => pairs.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
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

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Nil => f.write_str("nil"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(n) => write!(f, "{n}"),
            Value::Float(x) => f.write_str(&ruby_float(*x)),
            Value::Str(s) => write_quoted(f, s.as_bytes()),
            Value::Bin(bytes) => write_quoted(f, bytes),
            Value::Sym(name) => write_symbol(f, name),
            Value::Array(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
            Value::Object(_) => f.write_str("#<host object>"),
            Value::Map(pairs) => {
                f.write_str("{")?;
                for (i, (k, v)) in pairs.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{k}=>{v}")?;
                }
                f.write_str("}")
            }
        }
    }
}

/// Formats a float the way Ruby's `Float#inspect` does.
fn ruby_float(x: f64) -> String {
    if x.is_nan() {
        return "NaN".into();
    }
    if x.is_infinite() {
        return if x > 0.0 {
            "Infinity".into()
        } else {
            "-Infinity".into()
        };
    }
    let magnitude = x.abs();
    if magnitude != 0.0 && !(1e-4..1e16).contains(&magnitude) {
        let formatted = format!("{x:e}");
        let (mantissa, exponent) = formatted.split_once('e').unwrap_or((&formatted, "0"));
        let mantissa = if mantissa.contains('.') {
            mantissa.to_owned()
        } else {
            format!("{mantissa}.0")
        };
        let (sign, digits) = match exponent.strip_prefix('-') {
            Some(digits) => ('-', digits),
            None => ('+', exponent),
        };
        return format!("{mantissa}e{sign}{digits:0>2}");
    }
    format!("{x:?}")
}

fn write_quoted(f: &mut fmt::Formatter<'_>, bytes: &[u8]) -> fmt::Result {
    f.write_str("\"")?;
    for chunk in bytes.utf8_chunks() {
        let mut chars = chunk.valid().chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '"' => f.write_str("\\\"")?,
                '\\' => f.write_str("\\\\")?,
                '\n' => f.write_str("\\n")?,
                '\t' => f.write_str("\\t")?,
                '\r' => f.write_str("\\r")?,
                '\u{1b}' => f.write_str("\\e")?,
                '\u{7}' => f.write_str("\\a")?,
                '\u{8}' => f.write_str("\\b")?,
                '\u{b}' => f.write_str("\\v")?,
                '\u{c}' => f.write_str("\\f")?,
                '#' if matches!(chars.peek(), Some('{' | '$' | '@')) => f.write_str("\\#")?,
                c if c.is_control() => write!(f, "\\u{:04X}", c as u32)?,
                c => write!(f, "{c}")?,
            }
        }
        for byte in chunk.invalid() {
            write!(f, "\\x{byte:02X}")?;
        }
    }
    f.write_str("\"")
}

fn write_symbol(f: &mut fmt::Formatter<'_>, name: &str) -> fmt::Result {
    const OPERATORS: &[&str] = &[
        "+", "-", "*", "/", "%", "**", "==", "===", "!=", "<=>", "<", "<=", ">", ">=", "<<", ">>", "!", "=~",
        "!~", "&", "|", "^", "~", "[]", "[]=", "+@", "-@",
    ];
    let mut chars = name.chars();
    let plain = match chars.next() {
        Some(first) if first.is_alphabetic() || first == '_' => {
            let rest = chars.as_str();
            let body = rest.strip_suffix(['?', '!', '=']).unwrap_or(rest);
            body.chars().all(|c| c.is_alphanumeric() || c == '_')
        }
        _ => OPERATORS.contains(&name),
    };
    if plain {
        write!(f, ":{name}")
    } else {
        f.write_str(":")?;
        write_quoted(f, name.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_print_like_ruby() {
        assert_eq!(ruby_float(1.5), "1.5");
        assert_eq!(ruby_float(1.0), "1.0");
        assert_eq!(ruby_float(1e16), "1.0e+16");
        assert_eq!(ruby_float(1e15), "1000000000000000.0");
        assert_eq!(ruby_float(0.00001), "1.0e-05");
        assert_eq!(ruby_float(-2.5e-7), "-2.5e-07");
        assert_eq!(ruby_float(-0.0), "-0.0");
        assert_eq!(ruby_float(f64::NEG_INFINITY), "-Infinity");
    }

    #[test]
    fn strings_and_symbols_print_like_ruby() {
        assert_eq!(Value::Str("a\"b\n#{x}".into()).to_string(), r#""a\"b\n\#{x}""#);
        assert_eq!(Value::Bin(vec![b'a', 0xff]).to_string(), r#""a\xFF""#);
        assert_eq!(Value::Sym("foo?".into()).to_string(), ":foo?");
        assert_eq!(Value::Sym("foo bar".into()).to_string(), r#":"foo bar""#);
        assert_eq!(Value::Sym("<=>".into()).to_string(), ":<=>");
    }
}
