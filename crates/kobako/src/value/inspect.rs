//! A value's `Display` form: Ruby's `inspect`.

use std::fmt;

use super::Value;

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
                    match k {
                        Value::Sym(name) if label_p(name) => write!(f, "{name}: {v}")?,
                        Value::Sym(name) => {
                            write_quoted(f, name.as_bytes())?;
                            write!(f, ": {v}")?
                        }
                        _ => write!(f, "{k} => {v}")?,
                    }
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
    if magnitude != 0.0 && !(1e-4..1e15).contains(&magnitude) {
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

/// Whether a Symbol's name reads back as a Hash label (`name:`), which is
/// how Ruby 3.4 prints such keys.
fn label_p(name: &str) -> bool {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) if first.is_alphabetic() || first == '_' => {
            let rest = chars.as_str();
            let body = rest.strip_suffix(['?', '!']).unwrap_or(rest);
            body.chars().all(|c| c.is_alphanumeric() || c == '_')
        }
        _ => false,
    }
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
        assert_eq!(ruby_float(1e15), "1.0e+15");
        assert_eq!(ruby_float(1e14), "100000000000000.0");
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
        let map = Value::Map(vec![
            (Value::Sym("a".into()), Value::Int(1)),
            (Value::Sym("c d".into()), Value::Int(2)),
            (Value::Str("k".into()), Value::Sym("v".into())),
        ]);
        assert_eq!(map.to_string(), r#"{a: 1, "c d": 2, "k" => :v}"#);
    }
}
