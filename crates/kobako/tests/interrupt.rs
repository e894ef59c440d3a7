//! X-07 (Rust): another thread can stop a running invocation through an
//! `Interrupt`; it fails with a trap that says so, and the Sandbox stays
//! usable.

use std::thread;
use std::time::Duration;

use kobako::{ErrorKind, Interrupt, Sandbox, Value};

fn untimed() -> Sandbox {
    Sandbox::builder().timeout(None).build().unwrap()
}

/// Raises `interrupt` from another thread once the guest has had time to
/// start.
fn raise_soon(interrupt: &Interrupt) -> thread::JoinHandle<()> {
    let interrupt = interrupt.clone();
    thread::spawn(move || {
        thread::sleep(Duration::from_millis(50));
        interrupt.interrupt();
    })
}

#[test]
fn x07_interrupt_stops_a_running_eval() {
    let sandbox = untimed();
    let interrupt = Interrupt::new();
    let raiser = raise_soon(&interrupt);
    let err = sandbox
        .with_interrupt(&interrupt)
        .eval("puts 'started'; loop {}")
        .unwrap_err();
    raiser.join().unwrap();
    assert!(err.kind() == ErrorKind::Trap, "{err:?}");
    assert!(err.to_string().contains("interrupted"), "{err}");
    assert_eq!(err.output().unwrap().stdout(), b"started\n");
    assert!(interrupt.is_interrupted());
}

#[test]
fn x07_interrupt_stops_a_running_entrypoint() {
    let mut builder = Sandbox::builder().timeout(None);
    builder
        .preload_source("Spin", "Spin = ->(n) { loop { n += 1 } }")
        .unwrap();
    let sandbox = builder.build().unwrap();
    let interrupt = Interrupt::new();
    let raiser = raise_soon(&interrupt);
    let err = sandbox
        .with_interrupt(&interrupt)
        .run("Spin", &[Value::Int(1)], [])
        .unwrap_err();
    raiser.join().unwrap();
    assert!(err.kind() == ErrorKind::Trap, "{err:?}");
}

#[test]
fn x07_raised_interrupt_stops_the_guest_and_the_sandbox_stays_usable() {
    let sandbox = untimed();
    let interrupt = Interrupt::new();
    interrupt.interrupt();
    let err = sandbox.with_interrupt(&interrupt).eval("loop {}").unwrap_err();
    assert!(err.to_string().contains("interrupted"), "{err}");
    let fresh = Interrupt::new();
    let run = sandbox.with_interrupt(&fresh).eval("6 * 7").unwrap();
    assert_eq!(run.value().as_int(), Some(42));
    assert_eq!(sandbox.eval("1 + 1").unwrap().value().as_int(), Some(2));
}
