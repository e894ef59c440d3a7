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

/// A service that records every call and answers with what it received:
/// `[method, args, kwargs as a Hash, block given?]`.
#[derive(Default)]
pub struct Recorder {
    pub calls: std::sync::Mutex<Vec<String>>,
}

impl kobako::Service for Recorder {
    fn call(&self, call: &mut kobako::Call<'_>) -> Result<Value, kobako::Fault> {
        self.calls.lock().unwrap().push(call.method().to_owned());
        let kwargs = call
            .kwargs()
            .iter()
            .map(|(k, v)| (Value::Sym(k.clone()), v.clone()))
            .collect();
        let has_block = call.block().is_some();
        Ok(Value::Array(vec![
            Value::Str(call.method().to_owned()),
            Value::Array(call.args().to_vec()),
            Value::Map(kwargs),
            Value::Bool(has_block),
        ]))
    }
}

/// A guest that makes one raw `kobako.dispatch` call with the bytes at
/// address 1024 (`call_len` of them), then reports `nil` as its value.
pub fn raw_call_guest(call_bytes: &str, call_len: usize) -> Vec<u8> {
    let wat = format!(
        r#"(module
            (import "kobako" "dispatch" (func $dispatch (param i32 i32) (result i64)))
            (memory (export "memory") 2)
            (data (i32.const 1024) "{call_bytes}")
            (data (i32.const 512) "\92\00\c0")
            (global $heap (mut i32) (i32.const 8192))
            (func (export "kobako_abi_version") (result i32) i32.const 1)
            (func (export "kobako_alloc") (param $len i32) (result i32)
                global.get $heap
                global.get $heap local.get $len i32.add global.set $heap)
            (func (export "kobako_eval") (param i32 i32)
                (drop (call $dispatch (i32.const 1024) (i32.const {call_len}))))
            (func (export "kobako_take_outcome") (result i64) i64.const {outcome}))"#,
        outcome = (512u64 << 32) | 3
    );
    wat::parse_str(wat).expect("raw call guest WAT parses")
}

/// Runs every `(script, expected)` case in one sandbox and reports all
/// mismatches at once.
pub fn check_cases(cases: &[(&str, Value)]) {
    let sandbox = sandbox();
    let mut failures = Vec::new();
    for (source, expected) in cases {
        match sandbox.eval(source) {
            Ok(run) if run.value() == expected => {}
            Ok(run) => failures.push(format!(
                "{source}\n  expected {expected}\n  got      {}",
                run.value()
            )),
            Err(e) => failures.push(format!("{source}\n  expected {expected}\n  failed   {e}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} case(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
