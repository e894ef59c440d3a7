//! A MessagePack writer for host-to-guest messages. It writes the smallest
//! form of each value and enforces the message size and nesting limits, so
//! the guest never receives something it would have to refuse.

use std::fmt;

use super::{DEPTH_MAX, EXT_HANDLE, EXT_SYMBOL, MESSAGE_MAX};
use crate::handle_table::HandleTable;
use crate::value::{HostObject, Value};

/// Why a value could not be written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum EncodeError {
    TooDeep,
    TooLarge,
    /// A host object appeared where it cannot become a Handle.
    Object,
    /// The invocation ran out of Handle ids.
    HandlesExhausted,
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EncodeError::TooDeep => write!(f, "value is nested deeper than {DEPTH_MAX} levels"),
            EncodeError::TooLarge => f.write_str("value is larger than the 16 MiB message limit"),
            EncodeError::Object => f.write_str("a host object cannot cross in this position"),
            EncodeError::HandlesExhausted => f.write_str("the invocation ran out of Capability Handle ids"),
        }
    }
}

/// Turns host objects into Handle ids while encoding.
pub(crate) trait HandleIssuer {
    fn issue(&mut self, object: &HostObject) -> Result<u32, EncodeError>;
}

/// Refuses every host object.
pub(crate) struct NoHandles;

impl HandleIssuer for NoHandles {
    fn issue(&mut self, _object: &HostObject) -> Result<u32, EncodeError> {
        Err(EncodeError::Object)
    }
}

/// An invocation's table issues each object a fresh id.
impl HandleIssuer for HandleTable {
    fn issue(&mut self, object: &HostObject) -> Result<u32, EncodeError> {
        HandleTable::issue(self, object).map_err(|_| EncodeError::HandlesExhausted)
    }
}

/// Builds one message.
pub(crate) struct Writer {
    bytes: Vec<u8>,
}

impl Writer {
    pub(crate) fn new() -> Self {
        Writer { bytes: Vec::new() }
    }

    pub(crate) fn finish(self) -> Result<Vec<u8>, EncodeError> {
        if self.bytes.len() > MESSAGE_MAX {
            Err(EncodeError::TooLarge)
        } else {
            Ok(self.bytes)
        }
    }

    fn check_size(&self) -> Result<(), EncodeError> {
        if self.bytes.len() > MESSAGE_MAX {
            Err(EncodeError::TooLarge)
        } else {
            Ok(())
        }
    }

    pub(crate) fn array_header(&mut self, len: usize) -> Result<(), EncodeError> {
        let len = u32::try_from(len).map_err(|_| EncodeError::TooLarge)?;
        rmp::encode::write_array_len(&mut self.bytes, len).map_err(|_| EncodeError::TooLarge)?;
        Ok(())
    }

    pub(crate) fn map_header(&mut self, len: usize) -> Result<(), EncodeError> {
        let len = u32::try_from(len).map_err(|_| EncodeError::TooLarge)?;
        rmp::encode::write_map_len(&mut self.bytes, len).map_err(|_| EncodeError::TooLarge)?;
        Ok(())
    }

    pub(crate) fn sym(&mut self, name: &str) -> Result<(), EncodeError> {
        self.ext(EXT_SYMBOL, name.as_bytes())
    }

    pub(crate) fn int(&mut self, n: i64) {
        // Writing to a Vec cannot fail.
        let _ = rmp::encode::write_sint(&mut self.bytes, n);
    }

    pub(crate) fn str(&mut self, s: &str) -> Result<(), EncodeError> {
        rmp::encode::write_str(&mut self.bytes, s).map_err(|_| EncodeError::TooLarge)?;
        self.check_size()
    }

    pub(crate) fn bin(&mut self, bytes: &[u8]) -> Result<(), EncodeError> {
        rmp::encode::write_bin(&mut self.bytes, bytes).map_err(|_| EncodeError::TooLarge)?;
        self.check_size()
    }

    pub(crate) fn value(&mut self, value: &Value, handles: &mut dyn HandleIssuer) -> Result<(), EncodeError> {
        self.value_at(value, 0, handles)
    }

    fn value_at(
        &mut self,
        value: &Value,
        depth: usize,
        handles: &mut dyn HandleIssuer,
    ) -> Result<(), EncodeError> {
        let out = &mut self.bytes;
        match value {
            Value::Nil => rmp::encode::write_nil(out).map_err(|_| EncodeError::TooLarge)?,
            Value::Bool(b) => rmp::encode::write_bool(out, *b).map_err(|_| EncodeError::TooLarge)?,
            Value::Int(n) => self.int(*n),
            Value::Float(x) => rmp::encode::write_f64(out, *x).map_err(|_| EncodeError::TooLarge)?,
            Value::Str(s) => self.str(s)?,
            Value::Bin(bytes) => self.bin(bytes)?,
            Value::Sym(name) => self.sym(name)?,
            Value::Object(object) => {
                let id = handles.issue(object)?;
                self.ext(EXT_HANDLE, &id.to_be_bytes())?;
            }
            Value::Array(items) => {
                let inner = nested(depth)?;
                self.array_header(items.len())?;
                for item in items {
                    self.value_at(item, inner, handles)?;
                }
            }
            Value::Map(pairs) => {
                let inner = nested(depth)?;
                self.map_header(pairs.len())?;
                for (key, item) in pairs {
                    self.value_at(key, inner, handles)?;
                    self.value_at(item, inner, handles)?;
                }
            }
        }
        self.check_size()
    }

    fn ext(&mut self, kind: i8, payload: &[u8]) -> Result<(), EncodeError> {
        let len = u32::try_from(payload.len()).map_err(|_| EncodeError::TooLarge)?;
        rmp::encode::write_ext_meta(&mut self.bytes, len, kind).map_err(|_| EncodeError::TooLarge)?;
        self.bytes.extend_from_slice(payload);
        self.check_size()
    }
}

fn nested(depth: usize) -> Result<usize, EncodeError> {
    if depth >= DEPTH_MAX {
        Err(EncodeError::TooDeep)
    } else {
        Ok(depth + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(value: &Value) -> Result<Vec<u8>, EncodeError> {
        let mut writer = Writer::new();
        writer.value(value, &mut NoHandles)?;
        writer.finish()
    }

    #[test]
    fn golden_vectors_from_docs_wire_md() {
        assert_eq!(encode(&Value::Nil).unwrap(), [0xc0]);
        assert_eq!(encode(&Value::Int(-32)).unwrap(), [0xe0]);
        assert_eq!(
            encode(&Value::Int(i64::MAX)).unwrap(),
            [0xcf, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]
        );
        assert_eq!(
            encode(&Value::Int(i64::MIN)).unwrap(),
            [0xd3, 0x80, 0, 0, 0, 0, 0, 0, 0]
        );
        assert_eq!(encode(&Value::Sym("a".into())).unwrap(), [0xd4, 0x00, 0x61]);
        assert_eq!(encode(&Value::Bin(vec![0xff])).unwrap(), [0xc4, 0x01, 0xff]);
    }

    #[test]
    fn l05_encoder_refuses_nesting_past_the_limit() {
        let mut value = Value::Nil;
        for _ in 0..DEPTH_MAX {
            value = Value::Array(vec![value]);
        }
        assert!(encode(&value).is_ok());
        assert_eq!(encode(&Value::Array(vec![value])), Err(EncodeError::TooDeep));
    }
}
