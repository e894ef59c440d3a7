//! Helpers shared by the behaviour tests.
#![allow(dead_code)] // each test binary uses its own subset

use kobako::{Error, Execution, GuestFailure, Sandbox, Value};

/// A Sandbox with the default options.
pub fn sandbox() -> Sandbox {
    Sandbox::new().expect("the bundled guest loads")
}

/// Evaluates `source` and returns its value, failing the test on error.
pub fn value_of(source: &str) -> Value {
    match sandbox().eval(source) {
        Ok(run) => run.into_value(),
        Err(e) => panic!("eval of {source:?} failed: {e}"),
    }
}

/// Evaluates `source`, expecting it to fail.
pub fn error_of(sandbox: &Sandbox, source: &str) -> Error {
    match sandbox.eval(source) {
        Ok(run) => panic!("eval of {source:?} succeeded with {}", run.value()),
        Err(e) => e,
    }
}

/// The guest-side fields of a Sandbox-family or Service error.
pub fn failure(e: &Error) -> &GuestFailure {
    e.guest_failure()
        .unwrap_or_else(|| panic!("expected a guest failure, got {e:?}"))
}

pub fn sym(name: &str) -> Value {
    Value::Sym(name.into())
}

pub fn string(text: &str) -> Value {
    Value::Str(text.into())
}

pub fn ok(result: Result<Execution, Error>) -> Execution {
    result.unwrap_or_else(|e| panic!("invocation failed: {e:?}"))
}

/// A fault-injecting guest: speaks ABI version 1, but its `kobako_eval`
/// runs `eval_body` and its `kobako_take_outcome` runs `outcome_body`
/// (both WAT instruction sequences); `data` is placed at address 1024.
pub fn fault_guest(eval_body: &str, outcome_body: &str, data: &str) -> Vec<u8> {
    let wat = format!(
        r#"(module
            (memory (export "memory") 1)
            (data (i32.const 1024) "{data}")
            (func (export "kobako_abi_version") (result i32) i32.const 1)
            (func (export "kobako_alloc") (param i32) (result i32) i32.const 4096)
            (func (export "kobako_eval") (param i32 i32) {eval_body})
            (func (export "kobako_take_outcome") (result i64) {outcome_body}))"#
    );
    wat::parse_str(wat).expect("fault guest WAT parses")
}

/// A Sandbox running a fault-injecting guest.
pub fn fault_sandbox(eval_body: &str, outcome_body: &str, data: &str) -> Sandbox {
    Sandbox::builder()
        .guest_wasm_bytes(fault_guest(eval_body, outcome_body, data))
        .build()
        .expect("fault guest loads")
}

/// `(ptr << 32) | len` as the WAT for an i64 constant.
pub fn packed(ptr: u64, len: u64) -> String {
    format!("i64.const {}", (ptr << 32) | len)
}
