//! Checks shared by the decoder targets.

use std::fmt::Debug;

use kobako::Value;

/// What must hold for every message a parser accepted, given the parser and
/// the host's encoder for what it returns:
///
/// - the decoded fields print (Display) and encode without error;
/// - that encoding (the host's canonical form) is accepted again and
///   encodes to the same bytes, so decoder and encoder agree;
/// - the input without its last byte is refused: a message is
///   self-delimiting, so no proper prefix of one is a message.
pub fn check_accepted<E: Debug>(
    data: &[u8],
    decoded: &[Value],
    parse: impl Fn(&[u8]) -> Result<Vec<Value>, E>,
    encode: impl Fn(&[Value]) -> Result<Vec<u8>, String>,
) {
    for field in decoded {
        let _ = field.to_string();
    }
    let canonical =
        encode(decoded).unwrap_or_else(|e| panic!("accepted {decoded:?} but cannot encode it: {e}"));
    let again = parse(&canonical)
        .unwrap_or_else(|e| panic!("refused the canonical form {canonical:02x?} of {decoded:?}: {e:?}"));
    let canonical_again =
        encode(&again).unwrap_or_else(|e| panic!("accepted {again:?} but cannot encode it: {e}"));
    assert_eq!(
        canonical, canonical_again,
        "decoder and encoder disagree: {decoded:?} became {again:?}"
    );
    if let Some((_, prefix)) = data.split_last() {
        assert!(
            parse(prefix).is_err(),
            "accepted both {data:02x?} and its prefix {prefix:02x?}"
        );
    }
}
