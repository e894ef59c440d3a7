//! The wire format between host and guest (docs/wire.md): MessagePack values
//! with two extension types, and the envelopes built from them. Nothing else
//! in the crate reads or writes these bytes.

mod decode;
mod encode;
mod envelopes;
mod outcome;
mod requests;

pub(crate) use decode::decode_value;
pub(crate) use encode::{EncodeError, HandleIssuer, NoHandles, Writer};
pub(crate) use envelopes::{
    BlockReply, DispatchRequest, ReplyBody, RequestError, Target, encode_reply, encode_yield_args,
    parse_block_reply, parse_request,
};
pub(crate) use outcome::{FailureRecord, Outcome, OutcomeError, parse_outcome};
pub(crate) use requests::{Entry, encode_compile, encode_invocation};

use crate::error::Error;
use crate::value::Value;

impl Value {
    /// Encodes the value in the wire format (MessagePack, docs/wire.md), for
    /// storing it; host objects cannot be encoded.
    pub fn to_wire_bytes(&self) -> Result<Vec<u8>, Error> {
        let mut writer = Writer::new();
        writer
            .value(self, &mut NoHandles)
            .and_then(|()| writer.finish())
            .map_err(|e| Error::misuse(format!("value cannot be encoded: {e}")))
    }

    /// Decodes a value written by [`to_wire_bytes`](Self::to_wire_bytes).
    pub fn from_wire_bytes(bytes: &[u8]) -> Result<Value, Error> {
        decode_value(bytes).map_err(|e| Error::misuse(format!("bytes are not a wire value: {e}")))
    }
}

/// Largest message either side may send (16 MiB).
pub(crate) const MESSAGE_MAX: usize = 16 * 1024 * 1024;

/// Most values the payload of one message may hold (every nil, number,
/// String, Array and Hash counts once), so that decoding a message never
/// takes much more host memory than the message itself.
pub(crate) const VALUES_MAX: usize = 1 << 20;

/// Values an envelope may add around its payload: its own fields and up to
/// a thousand backtrace lines of a failure record.
const ENVELOPE_VALUES_MAX: usize = 2048;

/// Deepest nesting of Arrays and Hashes that may cross; `[1]` is depth 1.
pub(crate) const DEPTH_MAX: usize = 128;

/// Extension type of a Symbol (payload: the UTF-8 name).
const EXT_SYMBOL: i8 = 0x00;
/// Extension type of a Capability Handle (payload: a 4-byte big-endian id).
const EXT_HANDLE: i8 = 0x01;
