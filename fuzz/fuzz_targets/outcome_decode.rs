//! Arbitrary bytes into the outcome parser (`parse_outcome`, what the host
//! reads from `kobako_take_outcome`), with a Handle table of three live
//! objects. It must refuse bad bytes with an error, never panic, and agree
//! with the encoder on what it accepts.

#![no_main]

use std::sync::LazyLock;

use kobako::Value;
use kobako::fuzzing::{self, Handles, OutcomeRefusal};
use libfuzzer_sys::fuzz_target;

mod common;

/// Handles 1, 2 and 3 are live; every other id is not.
static HANDLES: LazyLock<Handles> = LazyLock::new(|| Handles::new(3));

fuzz_target!(|data: &[u8]| {
    let handles = &*HANDLES;
    match fuzzing::parse_outcome(data, handles) {
        Ok(fields) => {
            if let [Value::Int(1), origin, ..] = fields.as_slice() {
                // T-02 decides by origin; nothing else may get through.
                assert!(
                    matches!(origin.as_str(), Some("sandbox" | "service")),
                    "accepted a failure with origin {origin}"
                );
            }
            common::check_accepted(
                data,
                &fields,
                |b| fuzzing::parse_outcome(b, handles),
                |fields| fuzzing::encode_envelope(fields, handles),
            );
        }
        Err(OutcomeRefusal::Unframed(message) | OutcomeRefusal::Undecodable(message)) => {
            assert!(!message.is_empty());
        }
    }
});
