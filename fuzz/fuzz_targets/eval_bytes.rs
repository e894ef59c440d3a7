//! Arbitrary bytes as Ruby source through `Sandbox::eval_bytes`, on one
//! Sandbox built once with small caps and a few services (the same paths as
//! the hostile corpus in crates/kobako/tests/hostile, so those scripts make
//! good seeds). Any `Err` is a fine answer; a panic, a crash or a hang is a
//! bug, and so is an error that says the Sandbox itself broke.

#![no_main]

use std::sync::LazyLock;
use std::time::Duration;

use kobako::{Call, ErrorKind, Fault, HostObject, Output, Sandbox, Service, Value};
use libfuzzer_sys::fuzz_target;

#[path = "../../crates/kobako/tests/support/yield_each.rs"]
mod yield_each;

const TIMEOUT: Duration = Duration::from_millis(200);
const MEMORY_LIMIT: u64 = 4 << 20;
const OUTPUT_LIMIT: usize = 4 << 10;

/// `Host::Echo.anything(*args, **kw)`: one argument comes back as itself,
/// several as an Array, keywords last as a Hash.
struct Echo;

impl Service for Echo {
    fn call(&self, call: &mut Call<'_>) -> Result<Value, Fault> {
        let mut values = call.take_args();
        if !call.kwargs().is_empty() {
            let kwargs = call
                .kwargs()
                .iter()
                .map(|(k, v)| (Value::Sym(k.clone()), v.clone()));
            values.push(Value::Map(kwargs.collect()));
        }
        Ok(if values.len() == 1 {
            values.remove(0)
        } else {
            Value::Array(values)
        })
    }
}

/// `Host::Each.call(n) { |i| ... }`: yields 0...n (n at most 64) and
/// returns the block's values.
struct Each;

impl Service for Each {
    fn call(&self, call: &mut Call<'_>) -> Result<Value, Fault> {
        yield_each::yield_each(call, 64)
    }
}

/// `Host::Objects.counter`: a new host object, held by the guest as a
/// Handle; it answers `incr`, `value` and `echo(x)`.
struct Objects;

impl Service for Objects {
    fn call(&self, call: &mut Call<'_>) -> Result<Value, Fault> {
        match call.method() {
            "counter" => Ok(Value::Object(HostObject::new(Counter::default()))),
            other => Err(Fault::undefined(format!("Objects has no {other}"))),
        }
    }
}

#[derive(Default)]
struct Counter(std::sync::atomic::AtomicI64);

impl Service for Counter {
    fn call(&self, call: &mut Call<'_>) -> Result<Value, Fault> {
        use std::sync::atomic::Ordering::Relaxed;
        match (call.method(), call.args()) {
            ("incr", []) => Ok(Value::Int(self.0.fetch_add(1, Relaxed).wrapping_add(1))),
            ("value", []) => Ok(Value::Int(self.0.load(Relaxed))),
            ("echo", [value]) => Ok(value.clone()),
            (method, _) => Err(Fault::undefined(format!("Counter has no {method} of that arity"))),
        }
    }
}

/// `Host::Fail.call(message)`: always a `runtime` fault.
struct Fail;

impl Service for Fail {
    fn call(&self, call: &mut Call<'_>) -> Result<Value, Fault> {
        match call.args() {
            [Value::Str(message)] => Err(Fault::runtime(message.clone())),
            _ => Err(Fault::runtime("failed")),
        }
    }
}

static SANDBOX: LazyLock<Sandbox> = LazyLock::new(|| {
    let mut builder = Sandbox::builder()
        .timeout(Some(TIMEOUT))
        .memory_limit(Some(MEMORY_LIMIT))
        .stdout_limit(Some(OUTPUT_LIMIT))
        .stderr_limit(Some(OUTPUT_LIMIT));
    builder.service("Host::Echo", Echo).unwrap();
    builder.service("Host::Each", Each).unwrap();
    builder.service("Host::Objects", Objects).unwrap();
    builder.service("Host::Fail", Fail).unwrap();
    builder.build().expect("the fuzz Sandbox builds")
});

fn check_output(output: &Output) {
    assert!(output.stdout().len() <= OUTPUT_LIMIT, "stdout past its cap");
    assert!(output.stderr().len() <= OUTPUT_LIMIT, "stderr past its cap");
}

fuzz_target!(|data: &[u8]| {
    let sandbox = &*SANDBOX;
    match sandbox.eval_bytes(data) {
        Ok(run) => {
            check_output(run.output());
            let _ = run.value().to_string();
            // A value that holds no host object encodes, and decodes to
            // the same bytes.
            if let Ok(bytes) = run.value().to_wire_bytes() {
                let back = Value::from_wire_bytes(&bytes).expect("a result's encoding decodes");
                assert_eq!(back.to_wire_bytes().unwrap(), bytes);
            }
        }
        Err(error) => {
            let _ = error.to_string();
            assert!(
                !error.is_setup_error() && error.kind() != ErrorKind::Usage,
                "the Sandbox broke: {error}"
            );
            if let Some(output) = error.output() {
                check_output(output);
            }
            // An invocation the engine stopped must not spoil the next one.
            if error.is_trap() {
                let run = sandbox.eval("1 + 1").expect("the Sandbox works after a trap");
                assert_eq!(run.value(), &Value::Int(2));
            }
        }
    }
});
