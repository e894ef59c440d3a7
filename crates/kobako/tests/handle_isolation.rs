//! Capability Handles are scoped to the invocation that issued them (S-04,
//! B-18, E-24, X-08). A crafted guest obtains a real Handle id in one
//! invocation and presents it, through the raw dispatch ABI (which the
//! shipped guest never lets a script use), in the next invocation, in
//! another Sandbox, and in a concurrent invocation: each time the host
//! answers `undefined` and the object behind the id is never called.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};

use kobako::{Call, Fault, HostObject, Sandbox, Service, Value};

/// The crafted guest. Its source is ten decimal digits (the request's last
/// ten bytes):
///
/// - `0000000000` issues a Handle: it calls `S::Maker.get`, reads the id out
///   of the reply, calls the Handle once (`incr`, the control: the id works
///   in its own invocation), then reports the id with `S::Maker.hold(id)`
///   (which may block, keeping the Handle live). The outcome is the
///   control call's reply.
/// - any other number presents that id as the target of `incr`; the outcome
///   is the reply.
///
/// A bake request (its payload is nil) does nothing.
fn guest() -> Vec<u8> {
    wat::parse_str(
        r#"(module
        (import "kobako" "dispatch" (func $dispatch (param i32 i32) (result i64)))
        (memory (export "memory") 2)
        (global $heap (mut i32) (i32.const 8192))
        (global $outcome (mut i64) (i64.const 0))
        ;; [0, nil]
        (data (i32.const 512) "\92\00\c0")
        ;; [S::Maker, "get", [], {}, false]: 17 bytes
        (data (i32.const 1024) "\95\a8S::Maker\a3get\90\80\c2")
        ;; [S::Maker, "hold", [int32 id], {}, false]: 23 bytes, id at 1073
        (data (i32.const 1056) "\95\a8S::Maker\a4hold\91\d2\00\00\00\00\80\c2")
        ;; [Handle(id), "incr", [], {}, false]: 15 bytes, id at 1091
        (data (i32.const 1088) "\95\d6\01\00\00\00\00\a4incr\90\80\c2")
        (func (export "kobako_abi_version") (result i32) i32.const 1)
        (func (export "kobako_alloc") (param $len i32) (result i32)
            global.get $heap
            global.get $heap local.get $len i32.add global.set $heap)
        ;; Makes the reply at `packed` the outcome's value: [0, reply].
        (func $reply_is_outcome (param $packed i64)
            (local $at i32)
            (local.set $at (i32.sub (i32.wrap_i64 (i64.shr_u (local.get $packed) (i64.const 32))) (i32.const 2)))
            (i32.store8 (local.get $at) (i32.const 0x92))
            (i32.store8 (i32.add (local.get $at) (i32.const 1)) (i32.const 0))
            (global.set $outcome
                (i64.or (i64.shl (i64.extend_i32_u (local.get $at)) (i64.const 32))
                        (i64.add (i64.and (local.get $packed) (i64.const 0xffffffff)) (i64.const 2)))))
        (func (export "kobako_eval") (param $ptr i32) (param $len i32)
            (local $end i32) (local $at i32) (local $id i32) (local $reply i32)
            (local.set $end (i32.add (local.get $ptr) (local.get $len)))
            (global.set $outcome (i64.const 0x0000020000000003))
            (if (i32.eq (i32.load8_u (i32.sub (local.get $end) (i32.const 1))) (i32.const 0xc0))
                (then return))
            (local.set $at (i32.sub (local.get $end) (i32.const 10)))
            (loop $digits
                (local.set $id (i32.add (i32.mul (local.get $id) (i32.const 10))
                                        (i32.sub (i32.load8_u (local.get $at)) (i32.const 48))))
                (local.set $at (i32.add (local.get $at) (i32.const 1)))
                (br_if $digits (i32.lt_u (local.get $at) (local.get $end))))
            (if (i32.eqz (local.get $id))
                (then
                    (local.set $reply (i32.wrap_i64 (i64.shr_u
                        (call $dispatch (i32.const 1024) (i32.const 17)) (i64.const 32))))
                    ;; the reply is [0, ext1(id)]: 92 00 d6 01 <id>
                    (i32.store (i32.const 1073) (i32.load (i32.add (local.get $reply) (i32.const 4))))
                    (i32.store (i32.const 1091) (i32.load (i32.add (local.get $reply) (i32.const 4))))
                    (call $reply_is_outcome (call $dispatch (i32.const 1088) (i32.const 15)))
                    (drop (call $dispatch (i32.const 1056) (i32.const 23))))
                (else
                    (i32.store8 (i32.const 1091) (i32.shr_u (local.get $id) (i32.const 24)))
                    (i32.store8 (i32.const 1092) (i32.shr_u (local.get $id) (i32.const 16)))
                    (i32.store8 (i32.const 1093) (i32.shr_u (local.get $id) (i32.const 8)))
                    (i32.store8 (i32.const 1094) (local.get $id))
                    (call $reply_is_outcome (call $dispatch (i32.const 1088) (i32.const 15))))))
        (func (export "kobako_take_outcome") (result i64) global.get $outcome))"#,
    )
    .expect("crafted guest WAT parses")
}

/// The object behind the Handle: counts the calls that reach it and
/// answers 7.
#[derive(Default)]
struct Target {
    calls: AtomicUsize,
}

impl Service for Target {
    fn call(&self, _call: &mut Call<'_>) -> Result<Value, Fault> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        Ok(Value::Int(7))
    }
}

/// `S::Maker`: `get` returns the target as a host object; `hold(id)` sends
/// the id the guest read to the test, then waits for a release when the
/// test asked to hold the invocation open.
struct Maker {
    target: Arc<Target>,
    ids: Mutex<Sender<i64>>,
    release: Option<Mutex<Receiver<()>>>,
}

impl Service for Maker {
    fn call(&self, call: &mut Call<'_>) -> Result<Value, Fault> {
        match (call.method(), call.args()) {
            ("get", []) => Ok(Value::Object(HostObject::from_arc(self.target.clone()))),
            ("hold", [Value::Int(id)]) => {
                self.ids.lock().unwrap().send(*id).unwrap();
                if let Some(release) = &self.release {
                    release.lock().unwrap().recv().unwrap();
                }
                Ok(Value::Nil)
            }
            _ => Err(Fault::argument("unexpected call")),
        }
    }
}

/// A Sandbox running the crafted guest with its own `S::Maker` and target;
/// with `held`, every issuing invocation waits in `hold` until the returned
/// release sender sends.
struct Issuer {
    sandbox: Arc<Sandbox>,
    target: Arc<Target>,
    ids: Receiver<i64>,
    release: Option<Sender<()>>,
}

fn issuer(held: bool) -> Issuer {
    let target = Arc::new(Target::default());
    let (id_sender, ids) = channel();
    let (release, release_receiver) = channel();
    let maker = Maker {
        target: target.clone(),
        ids: Mutex::new(id_sender),
        release: held.then(|| Mutex::new(release_receiver)),
    };
    let mut builder = Sandbox::builder().guest_wasm_bytes(guest());
    builder.service("S::Maker", maker).unwrap();
    Issuer {
        sandbox: Arc::new(builder.build().unwrap()),
        target,
        ids,
        release: held.then_some(release),
    }
}

impl Issuer {
    fn calls(&self) -> usize {
        self.target.calls.load(Ordering::SeqCst)
    }
}

/// The source that issues a Handle.
const ISSUE: &str = "0000000000";

/// The reply the host sent to a call on Handle `id`.
fn present(sandbox: &Sandbox, id: i64) -> Value {
    sandbox.eval(&format!("{id:010}")).unwrap().into_value()
}

/// The reply to a call that reached the target.
fn reached() -> Value {
    Value::Array(vec![Value::Int(0), Value::Int(7)])
}

/// Asserts the reply is the `undefined` fault (E-24).
fn assert_undefined(reply: &Value) {
    let Value::Array(fields) = reply else {
        panic!("not a reply: {reply:?}")
    };
    assert_eq!(
        fields[..2],
        [Value::Int(1), Value::Str("undefined".into())],
        "{reply:?}"
    );
}

/// Runs one issuing invocation to its end; returns the id it reported.
fn issue_once(issuer: &Issuer) -> i64 {
    let control = issuer.sandbox.eval(ISSUE).unwrap().into_value();
    assert_eq!(control, reached(), "the id works in its own invocation");
    issuer.ids.recv().unwrap()
}

#[test]
fn b18_e24_a_handle_from_invocation_n_is_undefined_in_n_plus_1() {
    let issuer = issuer(false);
    let id = issue_once(&issuer);
    assert_eq!(issuer.calls(), 1);
    assert_undefined(&present(&issuer.sandbox, id));
    assert_eq!(issuer.calls(), 1, "the stale id reached nothing");
    // The next issuing invocation gets its own table, starting again at 1.
    assert_eq!(issue_once(&issuer), id);
    assert_eq!(issuer.calls(), 2);
}

#[test]
fn s04_e24_a_handle_is_undefined_in_another_sandbox() {
    let first = issuer(true);
    let second = issuer(false);
    let holder = {
        let sandbox = first.sandbox.clone();
        std::thread::spawn(move || sandbox.eval(ISSUE).unwrap().into_value())
    };
    // The id is live in `first` (its invocation waits in `hold`).
    let id = first.ids.recv().unwrap();
    assert_undefined(&present(&second.sandbox, id));
    first.release.as_ref().unwrap().send(()).unwrap();
    assert_eq!(holder.join().unwrap(), reached());
    // And after it ended.
    assert_undefined(&present(&second.sandbox, id));
    assert_eq!(first.calls(), 1, "only the control call reached the object");
    assert_eq!(second.calls(), 0);
}

#[test]
fn x08_s04_e24_a_handle_is_undefined_in_a_concurrent_invocation() {
    let issuer = issuer(true);
    let holder = {
        let sandbox = issuer.sandbox.clone();
        std::thread::spawn(move || sandbox.eval(ISSUE).unwrap().into_value())
    };
    // While the id is live in the first invocation, a second one on the
    // same Sandbox presents it.
    let id = issuer.ids.recv().unwrap();
    assert_undefined(&present(&issuer.sandbox, id));
    issuer.release.as_ref().unwrap().send(()).unwrap();
    assert_eq!(holder.join().unwrap(), reached());
    assert_eq!(issuer.calls(), 1, "only the control call reached the object");
}
