//! Extensions in the Rust API (K-04): guest source plus a backend shared by
//! every invocation or made afresh for each by a provider.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};

use common::*;
use kobako::{Bindings, Call, Extension, Fault, Sandbox, Service, Value};

#[derive(Default)]
struct Counter(AtomicI64);

impl Service for Counter {
    fn call(&self, _call: &mut Call<'_>) -> Result<Value, Fault> {
        Ok(Value::Int(self.0.fetch_add(1, Ordering::SeqCst) + 1))
    }
}

const SOURCE: &str =
    "module Tally; def self.double(x) = x * 2; def self.twice = [Tally::Host.bump, Tally::Host.bump]; end";

fn installed(extension: Extension) -> Sandbox {
    let mut builder = Sandbox::builder();
    builder.install(extension).unwrap();
    builder.build().unwrap()
}

#[test]
fn k04_a_shared_backend_serves_every_invocation_and_pure_methods_stay_in_the_guest() {
    let sandbox = installed(Extension::new("Tally", SOURCE).with_object("Tally::Host", Counter::default()));
    assert_eq!(value_in(&sandbox, "Tally.double(21)"), Value::Int(42));
    assert_eq!(value_in(&sandbox, "Tally.twice").to_string(), "[1, 2]");
    assert_eq!(value_in(&sandbox, "Tally.twice").to_string(), "[3, 4]");
}

fn value_in(sandbox: &Sandbox, source: &str) -> Value {
    sandbox.eval(source).unwrap().into_value()
}

#[test]
fn k04_a_provider_makes_one_backend_per_invocation() {
    let made = Arc::new(AtomicUsize::new(0));
    let counted = made.clone();
    let sandbox = installed(
        Extension::new("Tally", SOURCE).with_provider("Tally::Host", move || {
            counted.fetch_add(1, Ordering::SeqCst);
            Counter::default()
        }),
    );
    for _ in 0..3 {
        assert_eq!(value_in(&sandbox, "Tally.twice").to_string(), "[1, 2]");
    }
    assert_eq!(made.load(Ordering::SeqCst), 3);
    // Per-invocation bindings still win.
    let mut bindings = Bindings::new();
    bindings.service_fn("Tally::Host", || 7_i64).unwrap();
    let run = sandbox.with_bindings(&bindings).eval("Tally::Host.call").unwrap();
    assert_eq!(run.value(), &Value::Int(7));
}

#[test]
fn k04_a_provider_that_panics_fails_its_calls_not_the_host() {
    let sandbox = installed(
        Extension::new("Tally", SOURCE)
            .with_provider("Tally::Host", || -> Counter { panic!("no backend today") }),
    );
    let e = sandbox.eval("Tally.twice").unwrap_err();
    assert!(e.is_service(), "{e:?}");
    assert_eq!(value_in(&sandbox, "Tally.double(2)"), Value::Int(4));
}

#[test]
fn k04_bad_extensions_are_refused_when_installed() {
    let mut builder = Sandbox::builder();
    let bad_path = Extension::new("Tally", SOURCE).with_object("tally", Counter::default());
    assert!(builder.install(bad_path).is_err());
    // Nothing of the refused one was installed: its name is still free.
    builder.install(Extension::new("Tally", SOURCE)).unwrap();
    assert!(builder.install(Extension::new("lower", "1")).is_err());
    builder.install(Extension::new("Broken", "def (")).unwrap();
    let e = builder.build().unwrap_err();
    assert_eq!(failure(&e).klass(), Some("SyntaxError"));
}
