//! A bounded MessagePack reader for guest bytes: every length is checked
//! before anything is allocated, and nesting is capped at `DEPTH_MAX`, so
//! hostile input cannot exhaust host memory or stack.
//!
//! A length is checked against the bytes that remain after those the open
//! Arrays and Hashes still need for their later items (at least one byte
//! each). So the capacity reserved ahead for all open containers together
//! never exceeds the message: the reader holds at most
//! `size_of::<Value>()` bytes per message byte, however deep the nesting
//! and whether or not the message turns out to be valid.

use std::fmt;

use rmp::Marker;

use super::{DEPTH_MAX, ENVELOPE_VALUES_MAX, EXT_HANDLE, EXT_SYMBOL, VALUES_MAX};
use crate::handle_table::{HANDLE_ID_MAX, HandleTable};
use crate::value::Value;

/// Why a byte sequence is not a well-formed wire value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum DecodeError {
    Truncated { at: usize },
    UnexpectedMarker { byte: u8, at: usize },
    TooDeep,
    TooManyValues,
    IntegerOutOfRange,
    SymbolNotUtf8,
    UnknownExtension(i8),
    BadHandle,
    UnknownHandle(u32),
    Expected(&'static str),
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Truncated { at } => write!(f, "message ends early at byte {at}"),
            DecodeError::UnexpectedMarker { byte, at } => {
                write!(f, "unexpected MessagePack marker 0x{byte:02x} at byte {at}")
            }
            DecodeError::TooDeep => write!(f, "value nested deeper than {DEPTH_MAX} levels"),
            DecodeError::TooManyValues => {
                write!(
                    f,
                    "message holds more than {VALUES_MAX} values (the most one message may carry)"
                )
            }
            DecodeError::IntegerOutOfRange => f.write_str("integer outside the 64-bit signed range"),
            DecodeError::SymbolNotUtf8 => f.write_str("symbol name is not UTF-8"),
            DecodeError::UnknownExtension(t) => write!(f, "unknown extension type {t}"),
            DecodeError::BadHandle => f.write_str("malformed or misplaced Capability Handle"),
            DecodeError::UnknownHandle(id) => {
                write!(f, "no live Capability Handle with id {id} in this invocation")
            }
            DecodeError::Expected(what) => write!(f, "expected {what}"),
        }
    }
}

/// Decodes one complete value that holds no Handles.
pub(crate) fn decode_value(bytes: &[u8]) -> Result<Value, DecodeError> {
    let mut reader = Reader::new(bytes);
    let value = reader.value(0)?;
    if reader.is_at_end() {
        Ok(value)
    } else {
        Err(DecodeError::Expected("the end of the value"))
    }
}

/// A cursor over one message.
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    handles: Option<&'a HandleTable>,
    /// Bytes the later items of the open Arrays and Hashes need at least.
    owed: usize,
    /// Values this message may still hold.
    values_left: usize,
}

impl<'a> Reader<'a> {
    /// A reader that refuses Handles.
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Reader {
            bytes,
            pos: 0,
            handles: None,
            owed: 0,
            values_left: VALUES_MAX + ENVELOPE_VALUES_MAX,
        }
    }

    /// A reader that turns Handles back into the host objects in `handles`.
    pub(crate) fn with_handles(bytes: &'a [u8], handles: &'a HandleTable) -> Self {
        Reader {
            bytes,
            pos: 0,
            handles: Some(handles),
            owed: 0,
            values_left: VALUES_MAX + ENVELOPE_VALUES_MAX,
        }
    }

    pub(crate) fn is_at_end(&self) -> bool {
        self.pos == self.bytes.len()
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        let end = self.pos.checked_add(n).filter(|&end| end <= self.bytes.len());
        let end = end.ok_or(DecodeError::Truncated { at: self.bytes.len() })?;
        let slice = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(slice)
    }

    fn be(&mut self, width: usize) -> Result<u64, DecodeError> {
        Ok(self
            .take(width)?
            .iter()
            .fold(0u64, |acc, &b| (acc << 8) | u64::from(b)))
    }

    /// Reads the marker that starts a value (or a container header), which
    /// counts against the message's values.
    fn marker(&mut self) -> Result<(Marker, u8, usize), DecodeError> {
        self.values_left = self
            .values_left
            .checked_sub(1)
            .ok_or(DecodeError::TooManyValues)?;
        let at = self.pos;
        let byte = self.take(1)?[0];
        Ok((Marker::from_u8(byte), byte, at))
    }

    /// Refuses `n` items of at least `size` bytes each when they cannot fit
    /// in the bytes left beside those the open containers still need, so
    /// that nothing is allocated for bytes the message does not have.
    fn claim(&self, n: usize, size: usize) -> Result<usize, DecodeError> {
        let available = (self.bytes.len() - self.pos).saturating_sub(self.owed);
        if n.checked_mul(size).is_none_or(|need| need > available) {
            return Err(DecodeError::Truncated { at: self.bytes.len() });
        }
        Ok(n)
    }

    /// Takes a payload of `len` bytes, if the later items leave room for it.
    fn payload(&mut self, len: usize) -> Result<&'a [u8], DecodeError> {
        self.claim(len, 1)?;
        self.take(len)
    }

    /// Reads an array header and returns its length.
    pub(crate) fn array_len(&mut self) -> Result<usize, DecodeError> {
        self.container_len(false)
    }

    /// Reads a map header and returns its number of pairs.
    pub(crate) fn map_len(&mut self) -> Result<usize, DecodeError> {
        self.container_len(true)
    }

    /// An array (or map) header's count, claimed against the bytes left:
    /// each element takes one byte at least, each pair two.
    fn container_len(&mut self, map: bool) -> Result<usize, DecodeError> {
        let (marker, byte, at) = self.marker()?;
        let n = match (marker, map) {
            (Marker::FixArray(n), false) | (Marker::FixMap(n), true) => usize::from(n),
            (Marker::Array16, false) | (Marker::Map16, true) => self.be(2)? as usize,
            (Marker::Array32, false) | (Marker::Map32, true) => self.be(4)? as usize,
            _ => return Err(DecodeError::UnexpectedMarker { byte, at }),
        };
        self.claim(n, if map { 2 } else { 1 })
    }

    /// Reads one String (str or bin, as text).
    pub(crate) fn text(&mut self) -> Result<String, DecodeError> {
        match self.value(0)? {
            Value::Str(s) => Ok(s),
            Value::Bin(bytes) => Ok(String::from_utf8_lossy(&bytes).into_owned()),
            _ => Err(DecodeError::Expected("a string")),
        }
    }

    /// Reads one Integer.
    pub(crate) fn int(&mut self) -> Result<i64, DecodeError> {
        match self.value(0)? {
            Value::Int(n) => Ok(n),
            _ => Err(DecodeError::Expected("an integer")),
        }
    }

    /// Reads one complete wire value.
    pub(crate) fn value(&mut self, depth: usize) -> Result<Value, DecodeError> {
        let (marker, byte, at) = self.marker()?;
        let value = match marker {
            Marker::Null => Value::Nil,
            Marker::True => Value::Bool(true),
            Marker::False => Value::Bool(false),
            Marker::FixPos(n) => Value::Int(i64::from(n)),
            Marker::FixNeg(n) => Value::Int(i64::from(n)),
            Marker::U8 => Value::Int(self.be(1)? as i64),
            Marker::U16 => Value::Int(self.be(2)? as i64),
            Marker::U32 => Value::Int(self.be(4)? as i64),
            Marker::U64 => {
                Value::Int(i64::try_from(self.be(8)?).map_err(|_| DecodeError::IntegerOutOfRange)?)
            }
            Marker::I8 => Value::Int(i64::from(self.be(1)? as u8 as i8)),
            Marker::I16 => Value::Int(i64::from(self.be(2)? as u16 as i16)),
            Marker::I32 => Value::Int(i64::from(self.be(4)? as u32 as i32)),
            Marker::I64 => Value::Int(self.be(8)? as i64),
            Marker::F32 => Value::Float(f64::from(f32::from_bits(self.be(4)? as u32))),
            Marker::F64 => Value::Float(f64::from_bits(self.be(8)?)),
            Marker::FixStr(n) => self.str_body(usize::from(n))?,
            Marker::Str8 => self.sized(1, Self::str_body)?,
            Marker::Str16 => self.sized(2, Self::str_body)?,
            Marker::Str32 => self.sized(4, Self::str_body)?,
            Marker::Bin8 => self.sized(1, Self::binary)?,
            Marker::Bin16 => self.sized(2, Self::binary)?,
            Marker::Bin32 => self.sized(4, Self::binary)?,
            Marker::FixArray(n) => self.array(usize::from(n), depth)?,
            Marker::Array16 => {
                let n = self.be(2)? as usize;
                self.array(n, depth)?
            }
            Marker::Array32 => {
                let n = self.be(4)? as usize;
                self.array(n, depth)?
            }
            Marker::FixMap(n) => self.map(usize::from(n), depth)?,
            Marker::Map16 => {
                let n = self.be(2)? as usize;
                self.map(n, depth)?
            }
            Marker::Map32 => {
                let n = self.be(4)? as usize;
                self.map(n, depth)?
            }
            Marker::FixExt1 => self.ext(1)?,
            Marker::FixExt2 => self.ext(2)?,
            Marker::FixExt4 => self.ext(4)?,
            Marker::FixExt8 => self.ext(8)?,
            Marker::FixExt16 => self.ext(16)?,
            Marker::Ext8 => self.sized(1, Self::ext)?,
            Marker::Ext16 => self.sized(2, Self::ext)?,
            Marker::Ext32 => self.sized(4, Self::ext)?,
            Marker::Reserved => return Err(DecodeError::UnexpectedMarker { byte, at }),
        };
        Ok(value)
    }

    fn sized(
        &mut self,
        width: usize,
        read: fn(&mut Self, usize) -> Result<Value, DecodeError>,
    ) -> Result<Value, DecodeError> {
        let len = self.be(width)? as usize;
        read(self, len)
    }

    fn str_body(&mut self, len: usize) -> Result<Value, DecodeError> {
        let bytes = self.payload(len)?;
        Ok(match std::str::from_utf8(bytes) {
            Ok(s) => Value::Str(s.to_owned()),
            Err(_) => Value::Bin(bytes.to_vec()),
        })
    }

    fn binary(&mut self, len: usize) -> Result<Value, DecodeError> {
        Ok(Value::Bin(self.payload(len)?.to_vec()))
    }

    fn ext(&mut self, len: usize) -> Result<Value, DecodeError> {
        let kind = self.be(1)? as u8 as i8;
        let payload = self.payload(len)?;
        match kind {
            EXT_SYMBOL => std::str::from_utf8(payload)
                .map(|name| Value::Sym(name.to_owned()))
                .map_err(|_| DecodeError::SymbolNotUtf8),
            EXT_HANDLE => {
                let id = match payload {
                    [a, b, c, d] => u32::from_be_bytes([*a, *b, *c, *d]),
                    _ => return Err(DecodeError::BadHandle),
                };
                if id == 0 || id > HANDLE_ID_MAX {
                    return Err(DecodeError::BadHandle);
                }
                let table = self.handles.ok_or(DecodeError::BadHandle)?;
                table
                    .get(id)
                    .cloned()
                    .map(Value::Object)
                    .ok_or(DecodeError::UnknownHandle(id))
            }
            other => Err(DecodeError::UnknownExtension(other)),
        }
    }

    fn nested(depth: usize) -> Result<usize, DecodeError> {
        if depth >= DEPTH_MAX {
            Err(DecodeError::TooDeep)
        } else {
            Ok(depth + 1)
        }
    }

    /// Reads one item of a container while `later` more bytes are owed to
    /// the items after it.
    fn item(&mut self, depth: usize, later: usize) -> Result<Value, DecodeError> {
        let owed = self.owed;
        self.owed = owed + later;
        let item = self.value(depth);
        self.owed = owed;
        item
    }

    fn array(&mut self, n: usize, depth: usize) -> Result<Value, DecodeError> {
        let inner = Self::nested(depth)?;
        self.claim(n, 1)?;
        let mut items = Vec::with_capacity(n);
        for left in (0..n).rev() {
            items.push(self.item(inner, left)?);
        }
        Ok(Value::Array(items))
    }

    fn map(&mut self, n: usize, depth: usize) -> Result<Value, DecodeError> {
        let inner = Self::nested(depth)?;
        self.claim(n, 2)?;
        let mut pairs = Vec::with_capacity(n);
        for left in (0..n).rev() {
            let key = self.item(inner, 2 * left + 1)?;
            let value = self.item(inner, 2 * left)?;
            pairs.push((key, value));
        }
        Ok(Value::Map(pairs))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8]) -> Result<Value, DecodeError> {
        Reader::new(bytes).value(0)
    }

    #[test]
    fn x01_decodes_every_integer_width() {
        assert_eq!(decode(&[0x7f]), Ok(Value::Int(127)));
        assert_eq!(decode(&[0xe0]), Ok(Value::Int(-32)));
        assert_eq!(
            decode(&[0xd3, 0x80, 0, 0, 0, 0, 0, 0, 0]),
            Ok(Value::Int(i64::MIN))
        );
        assert_eq!(
            decode(&[0xcf, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
            Ok(Value::Int(i64::MAX))
        );
        assert_eq!(
            decode(&[0xcf, 0x80, 0, 0, 0, 0, 0, 0, 0]),
            Err(DecodeError::IntegerOutOfRange)
        );
    }

    #[test]
    fn l05_refuses_nesting_past_the_limit() {
        let mut ok = vec![0x91; DEPTH_MAX];
        ok.push(0xc0);
        assert!(decode(&ok).is_ok());
        let mut deep = vec![0x91; DEPTH_MAX + 1];
        deep.push(0xc0);
        assert_eq!(decode(&deep), Err(DecodeError::TooDeep));
    }

    #[test]
    fn e06_huge_counts_are_refused_before_allocating() {
        assert!(matches!(
            decode(&[0xdd, 0xff, 0xff, 0xff, 0xff]),
            Err(DecodeError::Truncated { .. })
        ));
        assert!(matches!(
            decode(&[0xdb, 0xff, 0xff, 0xff, 0xff, b'a']),
            Err(DecodeError::Truncated { .. })
        ));
    }

    #[test]
    fn symbols_and_binary_strings_decode() {
        assert_eq!(decode(&[0xd4, 0x00, b'a']), Ok(Value::Sym("a".into())));
        assert_eq!(decode(&[0xc4, 0x01, 0xff]), Ok(Value::Bin(vec![0xff])));
        assert_eq!(decode(&[0xd4, 0x05, b'a']), Err(DecodeError::UnknownExtension(5)));
    }
}
