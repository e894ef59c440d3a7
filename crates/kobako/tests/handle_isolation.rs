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

/// The crafted guest's text, shared with the gem's tests (see the file for
/// what it does).
const GUEST_WAT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../ruby/test/fixtures/handle_isolation_guest.wat"
);

fn guest() -> Vec<u8> {
    wat::parse_file(GUEST_WAT).expect("crafted guest WAT parses")
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

/// The gem loads the assembled guests: each must be its WAT, assembled.
#[test]
fn s04_e24_the_gems_crafted_guests_are_their_wat_assembled() {
    for name in ["handle_isolation_guest", "crafted_guest"] {
        let wat = GUEST_WAT.replace("handle_isolation_guest", name);
        let wasm = wat.replace(".wat", ".wasm");
        assert!(
            std::fs::read(&wasm).unwrap() == wat::parse_file(&wat).unwrap(),
            "{wasm} is stale: assemble it from {wat}"
        );
    }
}
