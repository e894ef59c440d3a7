//! What the wire decoder holds while it reads a message (E-06, L-05): at
//! most `size_of::<Value>()` bytes per message byte, also for a message that
//! claims more items than it has, however deep the claims nest. Found by the
//! `wire_decode` fuzz target: nested Arrays each reserved room for as many
//! items as bytes remained, so 128 levels reserved 128 times the message.
//!
//! A message also holds at most 1,048,576 values (L-04), so a whole result
//! decodes within a fixed amount of host memory whatever its shape.
//!
//! This file has its own test binary because it installs a counting
//! allocator (tests/support/heap_peak.rs).

use kobako::{Sandbox, Value};

#[path = "support/heap_peak.rs"]
mod heap_peak;

/// Decodes `bytes`, asserting that the decoder never held more than one
/// Value per message byte (plus the message of a refusal) at once.
fn decode_within_bound(bytes: &[u8]) -> Result<Value, kobako::Error> {
    let (result, peak) = heap_peak::peak_of(|| Value::from_wire_bytes(bytes));
    let bound = size_of::<Value>() * bytes.len() + 256;
    assert!(
        peak <= bound,
        "held {peak} bytes for a {}-byte message (bound {bound})",
        bytes.len()
    );
    result
}

fn u32_be(n: usize) -> [u8; 4] {
    u32::try_from(n).unwrap().to_be_bytes()
}

/// `levels` array32 headers, each claiming as many items as bytes follow
/// it, then `nils` nils: a message that claims far more than it has.
fn nested_claims(levels: usize, nils: usize) -> Vec<u8> {
    let len = levels * 5 + nils;
    let mut bytes = Vec::with_capacity(len);
    for level in 0..levels {
        bytes.push(0xdd);
        bytes.extend_from_slice(&u32_be(len - (level + 1) * 5));
    }
    bytes.resize(len, 0xc0);
    bytes
}

#[test]
fn e06_nested_claims_reserve_no_more_than_the_message() {
    let bytes = nested_claims(100, 4096);
    let result = decode_within_bound(&bytes);
    assert!(result.is_err());
}

#[test]
fn e06_a_map_claiming_a_pair_per_byte_is_refused_before_reserving() {
    let nils = 4096;
    let mut bytes = vec![0xdf];
    bytes.extend_from_slice(&u32_be(nils));
    bytes.resize(5 + nils, 0xc0);
    let result = decode_within_bound(&bytes);
    assert!(result.is_err());
}

#[test]
fn e06_a_string_cannot_take_the_bytes_later_items_need() {
    // An Array claiming one item per byte left, whose first item is a
    // string as long as the rest of the message.
    let text = 8192;
    let mut bytes = vec![0xdd];
    bytes.extend_from_slice(&u32_be(5 + text));
    bytes.push(0xdb);
    bytes.extend_from_slice(&u32_be(text));
    bytes.resize(10 + text, b'x');
    let result = decode_within_bound(&bytes);
    assert!(result.is_err());
}

#[test]
fn e06_valid_messages_still_decode_within_the_bound() {
    // The last item nests 128 deep with the outer Array, the most that may
    // cross.
    let deep = (0..127).fold(Value::Int(1), |inner, _| Value::Array(vec![inner, Value::Nil]));
    let value = Value::Array(vec![
        Value::Array(vec![Value::Nil; 1000]),
        Value::Map(vec![(Value::Sym("k".into()), Value::Str("x".repeat(500)))]),
        deep,
    ]);
    let bytes = value.to_wire_bytes().unwrap();
    let result = decode_within_bound(&bytes);
    assert_eq!(result.unwrap(), value);
}

#[test]
fn l04_a_message_of_more_values_than_the_limit_is_refused_within_the_bound() {
    // An Array of 2^21 nils: 2 MiB of message, 64 MiB if it were decoded.
    let nils = 1 << 21;
    let mut bytes = vec![0xdd];
    bytes.extend_from_slice(&u32_be(nils));
    bytes.resize(5 + nils, 0xc0);
    let error = decode_within_bound(&bytes).unwrap_err();
    assert!(error.to_string().contains("more than 1048576 values"), "{error}");
}

/// The most host heap one invocation may hold for its result: the message
/// copied out of the guest (16 MiB), its payload bytes (16 MiB) and
/// 1,048,576 values of `size_of::<Value>()` plus 16 bytes each (docs/security.md).
const RESULT_HEAP_MAX: usize = 2 * (16 << 20) + (1 << 20) * (size_of::<Value>() + 16);

#[test]
fn l04_the_largest_results_of_every_shape_decode_within_a_fixed_host_heap() {
    let sandbox = Sandbox::builder().memory_limit(Some(256 << 20)).build().unwrap();
    for source in [
        "[nil] * 1_048_575",
        "a = [nil] * 4000; [a] * 4000",
        "Array.new(1_048_575) { |i| i.to_s }",
        "Array.new(524_287) { |i| [i] }",
        "h = {}; 349_000.times { |i| h[i] = [] }; h",
        "['x' * 1_000_000] * 16",
    ] {
        let (result, peak) = heap_peak::peak_of(|| sandbox.eval(source));
        assert!(
            peak <= RESULT_HEAP_MAX,
            "{source}: the host held {peak} bytes (bound {RESULT_HEAP_MAX})"
        );
        if let Err(e) = result {
            let refused = e.to_string();
            assert!(
                refused.contains("more than 1048576 values") || refused.contains("16 MiB"),
                "{source}: {refused}"
            );
        }
    }
}
