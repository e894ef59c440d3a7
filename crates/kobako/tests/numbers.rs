//! Integers in the guest across mruby's three representations on wasm32:
//! an immediate (up to 30 bits), a heap-boxed 32-bit integer, and a bigint
//! (beyond 32 bits). Comparisons must agree with CRuby's answers whatever
//! the representation on each side (mruby patches 0005 and 0006).

mod common;

use common::*;
use kobako::Value;

fn yes() -> Value {
    Value::Bool(true)
}

fn no() -> Value {
    Value::Bool(false)
}

#[test]
fn integers_beyond_thirty_bits_compare_by_value() {
    check_cases(&[
        ("-1584752209 == -1584752209", yes()),
        ("1073741824 == 1073741824", yes()),
        ("x = 2**30; y = 2**30; x.equal?(y) || x == y", yes()),
        ("[-1584752209].include?(-1584752209)", yes()),
        ("2_000_000_000 > 1_999_999_999", yes()),
        ("1_999_999_999 >= 2_000_000_000", no()),
        ("-2_000_000_000 < -1_999_999_999", yes()),
        ("1073741823 < 1073741824", yes()),
        ("2**31 == 2**31", yes()),
        ("3_000_000_000 < 2_999_999_999", no()),
        (
            "[2**33, 7, -2**31, 1_500_000_000].sort",
            Value::Array(vec![
                Value::Int(-2_147_483_648),
                Value::Int(7),
                Value::Int(1_500_000_000),
                Value::Int(8_589_934_592),
            ]),
        ),
        (
            "[1_700_000_000_123, 1_700_000_000_122].max",
            Value::Int(1_700_000_000_123),
        ),
    ]);
}

#[test]
fn floats_compare_with_integers_of_every_size() {
    check_cases(&[
        ("1.5 < 2**31", yes()),
        ("2**31 > 1.5", yes()),
        ("2.0**31 == 2**31", yes()),
        ("2**31 == 2.0**31", yes()),
        ("2**31 == 2**31 + 0.5", no()),
        ("2.0**31 < 2**32", yes()),
        ("1e20 > 2**64", yes()),
        ("1.5 <=> 2**31", Value::Int(-1)),
        ("2**40 <=> 1.5", Value::Int(1)),
        ("1_500_000_000 >= 1.5e9", yes()),
        ("[3e9, 2**31].max", Value::Float(3e9)),
        ("2**31 == 'x'", no()),
    ]);
}

#[test]
fn ranges_hash_by_their_ends_even_when_endless() {
    check_cases(&[
        ("(1..).hash == (1..).hash", yes()),
        ("(1..).hash == (1...).hash", no()),
        ("(1..10).hash == (1..10).hash", yes()),
        ("(1..10).hash == (1...10).hash", no()),
        ("{(1..) => :open}[(1..)]", sym("open")),
    ]);
}
