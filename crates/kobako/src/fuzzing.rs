//! Entry points for the fuzz targets in `fuzz/` (cargo feature `fuzzing`).
//! Not part of the API: it exposes the crate's wire decoders so a fuzzer can
//! feed them bytes without a guest. Each envelope parser returns the fields
//! it decoded as plain [`Value`]s, so the caller can write them again with
//! [`encode_envelope`] and compare.

use crate::handle_table::HandleTable;
use crate::value::{Call, Fault, Service};
use crate::value::{HostObject, Value};
use crate::wire::{self, BlockReply, EncodeError, HandleIssuer, Outcome, OutcomeError, Target, Writer};

/// A Handle table of one invocation, holding `count` objects under the ids
/// 1..=count.
pub struct Handles {
    table: HandleTable,
    objects: Vec<HostObject>,
}

/// The objects behind the Handles; the parsers never call them.
struct Inert;

impl Service for Inert {
    fn call(&self, _call: &mut Call<'_>) -> Result<Value, Fault> {
        Err(Fault::undefined("inert"))
    }
}

impl Handles {
    /// A table with `count` distinct objects, ids 1..=count.
    pub fn new(count: u32) -> Self {
        let mut table = HandleTable::new(1);
        let mut objects = Vec::new();
        for _ in 0..count {
            let object = HostObject::new(Inert);
            if table.issue(&object).is_err() {
                break;
            }
            objects.push(object);
        }
        Handles { table, objects }
    }
}

/// Gives each object of the table its own id back while encoding.
struct SameIds<'a>(&'a Handles);

impl HandleIssuer for SameIds<'_> {
    fn issue(&mut self, object: &HostObject) -> Result<u32, EncodeError> {
        let index = self.0.objects.iter().position(|o| o.ptr_eq(object));
        let index = index.ok_or(EncodeError::Object)?;
        Ok(index as u32 + 1)
    }
}

/// Encodes `value` as the host would (smallest forms, size and depth
/// limits); host objects of `handles` become their own ids.
pub fn encode(value: &Value, handles: &Handles) -> Result<Vec<u8>, String> {
    let mut writer = Writer::new();
    writer
        .value(value, &mut SameIds(handles))
        .and_then(|()| writer.finish())
        .map_err(|e| e.to_string())
}

/// Encodes an envelope as the host writes one: an array header, then each
/// field as a value of its own (the envelope does not count towards the
/// nesting limit).
pub fn encode_envelope(fields: &[Value], handles: &Handles) -> Result<Vec<u8>, String> {
    let mut writer = Writer::new();
    let mut issuer = SameIds(handles);
    writer.array_header(fields.len()).map_err(|e| e.to_string())?;
    for field in fields {
        writer.value(field, &mut issuer).map_err(|e| e.to_string())?;
    }
    writer.finish().map_err(|e| e.to_string())
}

/// A guest call, as its fields `[target, method, args, kwargs, has_block]`
/// with Symbol keys in `kwargs`.
pub fn parse_request(bytes: &[u8], handles: &Handles) -> Result<Vec<Value>, String> {
    let request = wire::parse_request(bytes, &handles.table).map_err(|e| match e {
        wire::RequestError::Malformed(e) => format!("malformed: {e}"),
        wire::RequestError::UnknownHandle(id) => format!("unknown Handle {id}"),
    })?;
    let target = match request.target {
        Target::Path(path) => Value::Str(path),
        Target::Object(object) => Value::Object(object),
    };
    let kwargs = request
        .kwargs
        .into_iter()
        .map(|(name, value)| (Value::Sym(name), value))
        .collect();
    Ok(vec![
        target,
        Value::Str(request.method),
        Value::Array(request.args),
        Value::Map(kwargs),
        Value::Bool(request.has_block),
    ])
}

/// A block reply, as its fields `[0, value]`, `[1, class, message]` or
/// `[2]`.
pub fn parse_block_reply(bytes: &[u8], handles: &Handles) -> Result<Vec<Value>, String> {
    let reply = wire::parse_block_reply(bytes, &handles.table).map_err(|e| e.to_string())?;
    Ok(match reply {
        BlockReply::Value(value) => vec![Value::Int(0), value],
        BlockReply::Raised { class, message } => vec![Value::Int(1), Value::Str(class), Value::Str(message)],
        BlockReply::Break => vec![Value::Int(2)],
    })
}

/// Why [`parse_outcome`] refused an outcome (docs/wire.md).
#[derive(Debug)]
pub enum OutcomeRefusal {
    /// Not an envelope, or one of an unknown kind: a `Trap`.
    Unframed(String),
    /// A known envelope whose fields do not decode: a `Sandbox` error.
    Undecodable(String),
}

/// An outcome, as its fields `[0, value]` or `[1, origin, class, message,
/// backtrace, details]` with `details` nil when absent.
pub fn parse_outcome(bytes: &[u8], handles: &Handles) -> Result<Vec<Value>, OutcomeRefusal> {
    let outcome = wire::parse_outcome(bytes, &handles.table).map_err(|e| match e {
        OutcomeError::Unframed(m) => OutcomeRefusal::Unframed(m),
        OutcomeError::Undecodable(m) => OutcomeRefusal::Undecodable(m),
    })?;
    Ok(match outcome {
        Outcome::Value(value) => vec![Value::Int(0), value],
        Outcome::Failure(failure) => vec![
            Value::Int(1),
            Value::Str(failure.origin),
            Value::Str(failure.klass),
            Value::Str(failure.message),
            Value::Array(failure.backtrace.into_iter().map(Value::Str).collect()),
            failure.details.unwrap_or(Value::Nil),
        ],
    })
}
