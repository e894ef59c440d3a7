//! Checks shared by the decoder targets.

use std::fmt::Debug;

use kobako::Value;
use kobako::fuzzing::{self, Handles};

/// What must hold for every message a parser accepted:
///
/// - the decoded value prints (Display) and encodes without error;
/// - its encoding (the host's canonical form) is accepted again and encodes
///   to the same bytes, so decode and encode agree on every value;
/// - the input without its last byte is refused: a message is
///   self-delimiting, so no proper prefix of one is a message.
pub fn check_accepted<E: Debug>(
    data: &[u8],
    decoded: &Value,
    handles: &Handles,
    parse: impl Fn(&[u8]) -> Result<Value, E>,
) {
    let _ = decoded.to_string();
    let canonical = fuzzing::encode(decoded, handles)
        .unwrap_or_else(|e| panic!("accepted {decoded:?} but cannot encode it: {e}"));
    let again = parse(&canonical)
        .unwrap_or_else(|e| panic!("refused the canonical form {canonical:02x?} of {decoded:?}: {e:?}"));
    let canonical_again = fuzzing::encode(&again, handles)
        .unwrap_or_else(|e| panic!("accepted {again:?} but cannot encode it: {e}"));
    assert_eq!(
        canonical, canonical_again,
        "decode and encode disagree: {decoded:?} became {again:?}"
    );
    if let Some((_, prefix)) = data.split_last() {
        assert!(
            parse(prefix).is_err(),
            "accepted both {data:02x?} and its prefix {prefix:02x?}"
        );
    }
}
