//! Arbitrary bytes into the host's wire value decoder
//! (`Value::from_wire_bytes`) and into the two parsers that read guest
//! messages during a service call: the call (`kobako.dispatch`) and the block
//! reply (`kobako_yield`). Each must refuse bad bytes with an error, never
//! panic, and agree with the encoder on what it accepts. The value decoder
//! must also hold at most `size_of::<Value>()` bytes per message byte at any
//! moment, however the message is nested and whether or not it is valid
//! (docs/security.md, "Memory").

#![no_main]

use std::sync::LazyLock;

use kobako::Value;
use kobako::fuzzing::{self, Handles};
use libfuzzer_sys::fuzz_target;

mod common;
#[path = "../../crates/kobako/tests/support/heap_peak.rs"]
mod heap_peak;

use heap_peak::peak_of;

/// Handles 1, 2 and 3 are live; every other id is not.
static HANDLES: LazyLock<Handles> = LazyLock::new(|| Handles::new(3));

/// What the decoder may hold beyond the bytes' own bound: a refusal, that
/// is the boxed `kobako::Error` (measured once, refusing the empty message)
/// and up to 128 more bytes of its message.
static SLACK: LazyLock<usize> = LazyLock::new(|| peak_of(|| Value::from_wire_bytes(&[])).1 + 128);

fuzz_target!(|data: &[u8]| {
    let handles = &*HANDLES;
    let envelope = |fields: &[Value]| fuzzing::encode_envelope(fields, handles);

    let (decoded, peak) = peak_of(|| Value::from_wire_bytes(data));
    let bound = size_of::<Value>() * data.len() + *SLACK;
    assert!(
        peak <= bound,
        "decoding {} bytes held {peak} bytes at once (bound {bound}); ok: {}",
        data.len(),
        decoded.is_ok()
    );

    if let Ok(value) = decoded {
        // The plain decoder refuses Handles, so the public encoder (which
        // refuses host objects) must take whatever it accepted, and write
        // what the handle-aware encoder writes.
        let bytes = value
            .to_wire_bytes()
            .unwrap_or_else(|e| panic!("decoded {value:?} but cannot encode it: {e}"));
        assert_eq!(Ok(bytes), fuzzing::encode(&value, handles));
        common::check_accepted(
            data,
            std::slice::from_ref(&value),
            |b| Value::from_wire_bytes(b).map(|v| vec![v]),
            |fields| fuzzing::encode(&fields[0], handles),
        );

        // The envelope readers read a value the same way: `[0, value]` is a
        // block reply carrying it.
        let mut reply = vec![0x92, 0x00];
        reply.extend_from_slice(data);
        let parsed = fuzzing::parse_block_reply(&reply, handles)
            .unwrap_or_else(|e| panic!("value {value:?} accepted alone, refused in a block reply: {e}"));
        assert_eq!(envelope(&parsed), envelope(&[Value::Int(0), value]));
    }

    if let Ok(call) = fuzzing::parse_request(data, handles) {
        common::check_accepted(data, &call, |b| fuzzing::parse_request(b, handles), envelope);
    }

    if let Ok(reply) = fuzzing::parse_block_reply(data, handles) {
        common::check_accepted(data, &reply, |b| fuzzing::parse_block_reply(b, handles), envelope);
    }
});
