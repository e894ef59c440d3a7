//! The outcome envelope: what the guest leaves behind at the end of an
//! export call. `[0, value]` is a result; `[1, origin, class, message,
//! backtrace, details]` is an unrescued exception.

use super::decode::{DecodeError, Reader};
use crate::handle_table::HandleTable;
use crate::value::Value;

const KIND_VALUE: i64 = 0;
const KIND_FAILURE: i64 = 1;

/// A decoded outcome.
#[derive(Debug, PartialEq)]
pub(crate) enum Outcome {
    Value(Value),
    Failure(FailureRecord),
}

/// An unrescued guest exception, as the guest reported it.
#[derive(Debug, PartialEq)]
pub(crate) struct FailureRecord {
    pub origin: String,
    pub klass: String,
    pub message: String,
    pub backtrace: Vec<String>,
    pub details: Option<Value>,
}

/// Why an outcome could not be used.
#[derive(Debug, PartialEq)]
pub(crate) enum OutcomeError {
    /// Not an envelope at all, or one of an unknown kind.
    Unframed(String),
    /// A known envelope whose content does not decode.
    Undecodable(String),
}

pub(crate) fn parse_outcome(bytes: &[u8], handles: &HandleTable) -> Result<Outcome, OutcomeError> {
    let unframed = |e: DecodeError| OutcomeError::Unframed(e.to_string());
    let mut reader = Reader::with_handles(bytes, handles);
    let len = reader.array_len().map_err(unframed)?;
    let kind = if len == 0 {
        None
    } else {
        Some(reader.int().map_err(unframed)?)
    };
    let outcome = match (kind, len) {
        (Some(KIND_VALUE), 2) => Outcome::Value(body(reader.value(0))?),
        (Some(KIND_FAILURE), 6) => Outcome::Failure(failure(&mut reader)?),
        _ => {
            return Err(OutcomeError::Unframed(format!(
                "unknown outcome kind {kind:?} with {len} fields"
            )));
        }
    };
    if !reader.is_at_end() {
        return Err(OutcomeError::Unframed("trailing bytes after the outcome".into()));
    }
    Ok(outcome)
}

fn body<T>(result: Result<T, DecodeError>) -> Result<T, OutcomeError> {
    result.map_err(|e| OutcomeError::Undecodable(e.to_string()))
}

fn text(value: Value, field: &str) -> Result<String, OutcomeError> {
    match value {
        Value::Str(s) => Ok(s),
        Value::Bin(bytes) => Ok(String::from_utf8_lossy(&bytes).into_owned()),
        other => Err(OutcomeError::Undecodable(format!(
            "failure {field} is not text: {other}"
        ))),
    }
}

fn failure(reader: &mut Reader<'_>) -> Result<FailureRecord, OutcomeError> {
    let origin = text(body(reader.value(0))?, "origin")?;
    let klass = text(body(reader.value(0))?, "class")?;
    let message = text(body(reader.value(0))?, "message")?;
    let backtrace = match body(reader.value(0))? {
        Value::Array(lines) => lines
            .into_iter()
            .map(|l| text(l, "backtrace line"))
            .collect::<Result<_, _>>()?,
        other => {
            return Err(OutcomeError::Undecodable(format!(
                "failure backtrace is not an array: {other}"
            )));
        }
    };
    let details = match body(reader.value(0))? {
        Value::Nil => None,
        other => Some(other),
    };
    if origin != "sandbox" && origin != "service" {
        return Err(OutcomeError::Undecodable(format!(
            "unknown failure origin {origin:?}"
        )));
    }
    Ok(FailureRecord {
        origin,
        klass,
        message,
        backtrace,
        details,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_outcome_plain(bytes: &[u8]) -> Result<Outcome, OutcomeError> {
        parse_outcome(bytes, &HandleTable::new(1))
    }

    #[test]
    fn value_envelope_parses() {
        assert_eq!(
            parse_outcome_plain(&[0x92, 0x00, 0x2a]),
            Ok(Outcome::Value(Value::Int(42)))
        );
    }

    #[test]
    fn e03_unknown_kind_is_unframed() {
        assert!(matches!(
            parse_outcome_plain(&[0x92, 0x07, 0xc0]),
            Err(OutcomeError::Unframed(_))
        ));
        assert!(matches!(
            parse_outcome_plain(&[0xc0]),
            Err(OutcomeError::Unframed(_))
        ));
        assert!(matches!(
            parse_outcome_plain(&[0x92, 0x00, 0xc0, 0xc0]),
            Err(OutcomeError::Unframed(_))
        ));
    }

    #[test]
    fn e11_bad_body_is_undecodable() {
        assert!(matches!(
            parse_outcome_plain(&[0x92, 0x00, 0xc1]),
            Err(OutcomeError::Undecodable(_))
        ));
    }
}
