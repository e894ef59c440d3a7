//! The dispatch envelopes (docs/wire.md): a guest call, the host's reply,
//! the arguments of a yield and the block's reply.

use super::decode::{DecodeError, Reader};
use super::encode::{EncodeError, HandleIssuer, NoHandles, Writer};
use crate::handle_table::HandleTable;
use crate::value::Fault;
use crate::value::{HostObject, Value};

/// What a guest call names as its target.
#[derive(Debug)]
pub(crate) enum Target {
    Path(String),
    Object(HostObject),
}

/// A decoded guest call: `[target, method, args, kwargs, has_block]`.
#[derive(Debug)]
pub(crate) struct DispatchRequest {
    pub(crate) target: Target,
    pub(crate) method: String,
    pub(crate) args: Vec<Value>,
    pub(crate) kwargs: Vec<(String, Value)>,
    pub(crate) has_block: bool,
}

/// Why a request could not be used: a malformed message is a wire
/// violation; a dead Handle is the guest's (recoverable) mistake.
pub(crate) enum RequestError {
    Malformed(DecodeError),
    UnknownHandle(u32),
}

impl From<DecodeError> for RequestError {
    fn from(e: DecodeError) -> Self {
        match e {
            DecodeError::UnknownHandle(id) => RequestError::UnknownHandle(id),
            other => RequestError::Malformed(other),
        }
    }
}

pub(crate) fn parse_request(bytes: &[u8], handles: &HandleTable) -> Result<DispatchRequest, RequestError> {
    let mut reader = Reader::with_handles(bytes, handles);
    if reader.array_len()? != 5 {
        return Err(RequestError::Malformed(DecodeError::Expected("a 5-field call")));
    }
    let target = match reader.value(0)? {
        Value::Str(path) => Target::Path(path),
        Value::Object(object) => Target::Object(object),
        _ => {
            return Err(RequestError::Malformed(DecodeError::Expected(
                "a path or Handle target",
            )));
        }
    };
    let method = reader.text()?;
    // The argument list and the keyword map are the call's framing: each
    // argument and keyword value has the whole nesting limit to itself.
    let arg_count = reader
        .array_len()
        .map_err(|_| RequestError::Malformed(DecodeError::Expected("an argument array")))?;
    let args = (0..arg_count)
        .map(|_| reader.value(0))
        .collect::<Result<Vec<_>, _>>()?;
    let pair_count = reader
        .map_len()
        .map_err(|_| RequestError::Malformed(DecodeError::Expected("a keyword map")))?;
    let kwargs = (0..pair_count)
        .map(|_| match reader.value(0)? {
            Value::Sym(name) => Ok((name, reader.value(0)?)),
            _ => Err(RequestError::Malformed(DecodeError::Expected(
                "Symbol keyword names",
            ))),
        })
        .collect::<Result<_, _>>()?;
    let Value::Bool(has_block) = reader.value(0)? else {
        return Err(RequestError::Malformed(DecodeError::Expected("a block flag")));
    };
    if !reader.is_at_end() {
        return Err(RequestError::Malformed(DecodeError::Expected(
            "the end of the call",
        )));
    }
    Ok(DispatchRequest {
        target,
        method,
        args,
        kwargs,
        has_block,
    })
}

/// What the host answers a call with.
pub(crate) enum ReplyBody<'a> {
    Value(&'a Value),
    Fault(&'a Fault),
    /// The block ran `break`; the guest returns the value it kept.
    Break,
}

const REPLY_VALUE: i64 = 0;
const REPLY_FAULT: i64 = 1;
const REPLY_BREAK: i64 = 2;

/// Encodes a reply; a value that cannot cross becomes a `runtime` fault,
/// except Handle exhaustion, which the caller must treat as fatal.
pub(crate) fn encode_reply(
    body: ReplyBody<'_>,
    handles: &mut dyn HandleIssuer,
) -> Result<Vec<u8>, EncodeError> {
    let mut writer = Writer::new();
    match body {
        ReplyBody::Value(value) => {
            writer.array_header(2)?;
            writer.int(REPLY_VALUE);
            match writer.value(value, handles).and_then(|()| writer.finish()) {
                Ok(bytes) => return Ok(bytes),
                Err(EncodeError::HandlesExhausted) => return Err(EncodeError::HandlesExhausted),
                Err(e) => {
                    let fault = Fault::runtime(format!("the service result cannot cross: {e}"));
                    return encode_reply(ReplyBody::Fault(&fault), &mut NoHandles);
                }
            }
        }
        ReplyBody::Fault(fault) => {
            writer.array_header(3)?;
            writer.int(REPLY_FAULT);
            writer.str(fault.category().as_str())?;
            writer.str(fault.message())?;
        }
        ReplyBody::Break => {
            writer.array_header(1)?;
            writer.int(REPLY_BREAK);
        }
    }
    writer.finish()
}

/// Encodes the arguments of one yield; host objects are refused.
pub(crate) fn encode_yield_args(args: &[Value]) -> Result<Vec<u8>, EncodeError> {
    let mut writer = Writer::new();
    writer.array_header(args.len())?;
    for arg in args {
        writer.value(arg, &mut NoHandles)?;
    }
    writer.finish()
}

/// The block's answer to one yield.
#[derive(Debug, PartialEq)]
pub(crate) enum BlockReply {
    Value(Value),
    Raised { class: String, message: String },
    Break,
}

pub(crate) fn parse_block_reply(bytes: &[u8], handles: &HandleTable) -> Result<BlockReply, DecodeError> {
    let mut reader = Reader::with_handles(bytes, handles);
    let len = reader.array_len()?;
    let reply = match (reader.int()?, len) {
        (REPLY_VALUE, 2) => BlockReply::Value(reader.value(0)?),
        (REPLY_FAULT, 3) => BlockReply::Raised {
            class: reader.text()?,
            message: reader.text()?,
        },
        (REPLY_BREAK, 1) => BlockReply::Break,
        _ => return Err(DecodeError::Expected("a block reply")),
    };
    if !reader.is_at_end() {
        return Err(DecodeError::Expected("the end of the block reply"));
    }
    Ok(reply)
}
