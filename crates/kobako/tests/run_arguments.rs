//! `run` arguments the guest cannot take (E-20, E-21, E-05), reached
//! through a crafted guest: an honest one never fails this way.

use kobako::{Error, ErrorKind, Sandbox, Value};

/// A guest whose `kobako_eval` answers a run request (kind 1, byte 2 of a
/// request with no services or snippets) with the failure the shipped
/// guest reports when it cannot decode the arguments, and 42 otherwise;
/// `kobako_alloc` runs `refuse` (leaving an i32, 0 to refuse) for requests
/// of 4 KiB or more.
fn guest(refuse: &str) -> Vec<u8> {
    let wat = format!(
        r#"(module
        (memory (export "memory") 2)
        (global $heap (mut i32) (i32.const 8192))
        (global $outcome (mut i64) (i64.const 0))
        (data (i32.const 512) "\92\00\2a")
        ;; [1, "sandbox", "Kobako::Transport::Error", "bad run arguments", [], nil]
        (data (i32.const 640) "\96\01\a7sandbox\b8Kobako::Transport::Error\b1bad run arguments\90\c0")
        (func (export "kobako_abi_version") (result i32) i32.const 1)
        (func (export "kobako_alloc") (param $len i32) (result i32)
            (if (i32.ge_u (local.get $len) (i32.const 4096)) (then {refuse} return))
            global.get $heap
            global.get $heap local.get $len i32.add global.set $heap)
        (func (export "kobako_eval") (param $ptr i32) (param $len i32)
            (global.set $outcome (i64.const 0x0000020000000003))
            (if (i32.eq (i32.load8_u offset=2 (local.get $ptr)) (i32.const 1))
                (then (global.set $outcome (i64.const 0x0000028000000037)))))
        (func (export "kobako_take_outcome") (result i64) global.get $outcome))"#
    );
    let bytes = wat::parse_str(wat).expect("crafted guest WAT parses");
    assert_eq!(
        Sandbox::builder()
            .guest_wasm_bytes(bytes.clone())
            .build()
            .unwrap()
            .eval("")
            .unwrap()
            .into_value(),
        Value::Int(42),
        "the crafted guest answers an eval normally"
    );
    bytes
}

fn run(guest: Vec<u8>, arg: Value) -> Error {
    let sandbox = Sandbox::builder()
        .guest_wasm_bytes(guest)
        .memory_limit(Some(1 << 20))
        .build()
        .unwrap();
    sandbox.run("Entry", &[arg], []).unwrap_err()
}

#[test]
fn e20_the_guest_cannot_read_the_run_arguments() {
    let e = run(guest("i32.const 0"), Value::Int(1));
    assert!(e.kind() == ErrorKind::Sandbox, "{e:?}");
    let failure = e.guest_failure().unwrap();
    assert_eq!(failure.klass(), Some("Kobako::Transport::Error"));
    assert_eq!(failure.message(), "bad run arguments");
}

#[test]
fn e21_e05_the_guest_cannot_reserve_room_for_the_run_arguments() {
    let e = run(guest("i32.const 0"), Value::Str("x".repeat(5000)));
    assert!(e.kind() == ErrorKind::Sandbox, "{e:?}");
    assert!(
        e.to_string().contains("could not reserve 50"),
        "the message names the size: {e}"
    );
    // An allocator that gives up because memory_limit stopped it is E-05.
    let e = run(
        guest("(drop (memory.grow (i32.const 100))) i32.const 0"),
        Value::Str("x".repeat(5000)),
    );
    assert!(e.kind() == ErrorKind::MemoryLimit, "{e:?}");
}
