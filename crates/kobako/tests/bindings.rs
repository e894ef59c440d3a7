//! Per-invocation bindings (K-03): a declared path is filled, and a bound
//! one shadowed, for one invocation only; threads sharing a Sandbox keep
//! their own.

mod common;

use std::sync::Arc;
use std::thread;

use common::*;
use kobako::{Bindings, ErrorKind, Interrupt, Sandbox, Value};

fn declared() -> Sandbox {
    let mut builder = Sandbox::builder();
    builder.declare("Req::User").unwrap();
    builder.service_fn("Req::Tenant", || "shared".to_owned()).unwrap();
    builder
        .preload_source("Whoami", "Whoami = -> { [Req::User.call, Req::Tenant.call] }")
        .unwrap();
    builder.build().unwrap()
}

fn user(name: &'static str) -> Bindings {
    let mut bindings = Bindings::new();
    bindings.service_fn("Req::User", move || name.to_owned()).unwrap();
    bindings
}

#[test]
fn k03_a_declared_path_is_filled_for_one_invocation_only() {
    let sandbox = declared();
    let ann = user("ann");
    let run = sandbox.with_bindings(&ann).eval("Req::User.call").unwrap();
    assert_eq!(run.value(), &string("ann"));
    let ran = sandbox.with_bindings(&ann).run("Whoami", &[], []).unwrap();
    assert_eq!(ran.value().to_string(), r#"["ann", "shared"]"#);
    // Unfilled, the constant exists and a call is a rescuable ServiceError.
    let rescued = sandbox
        .eval(
            "begin; Req::User.call; rescue Kobako::ServiceError => e; [Req::User.class.name, e.message]; end",
        )
        .unwrap();
    assert_eq!(
        rescued.value().to_string(),
        r#"["Class", "Req::User is declared but nothing is bound to it for this invocation"]"#
    );
    let e = sandbox.run("Whoami", &[], []).unwrap_err();
    assert!(e.is_service(), "{e:?}");
}

#[test]
fn k03_a_binding_shadows_a_bound_path_for_one_invocation_only() {
    let sandbox = declared();
    let mut bindings = user("bob");
    bindings.service_fn("Req::Tenant", || "acme".to_owned()).unwrap();
    let source = "[Req::User.call, Req::Tenant.call]";
    assert_eq!(
        sandbox
            .with_bindings(&bindings)
            .eval(source)
            .unwrap()
            .value()
            .to_string(),
        r#"["bob", "acme"]"#
    );
    assert_eq!(value_of_in(&sandbox, "Req::Tenant.call"), string("shared"));
}

fn value_of_in(sandbox: &Sandbox, source: &str) -> Value {
    sandbox.eval(source).unwrap().into_value()
}

#[test]
fn k03_a_path_the_sandbox_does_not_know_is_refused_before_the_guest_starts() {
    let sandbox = declared();
    let mut bindings = Bindings::new();
    bindings.service_fn("Req::Other", || 1_i64).unwrap();
    bindings.service_fn("Zed::Thing", || 1_i64).unwrap();
    let e = sandbox.with_bindings(&bindings).eval("1").unwrap_err();
    assert!(e.kind() == ErrorKind::Usage, "{e:?}");
    assert_eq!(
        e.to_string(),
        "cannot bind Req::Other, Zed::Thing for one invocation: the Sandbox neither declared nor bound it; declare it first (Rust: SandboxBuilder::declare, Ruby: Sandbox#bind with no object)"
    );
    assert!(Bindings::new().service_fn("nope", || 1_i64).is_err());
    assert!(Bindings::new().service_fn("Kobako::X", || 1_i64).is_err());
}

#[test]
fn k03_threads_sharing_a_sandbox_keep_their_own_bindings() {
    let sandbox = Arc::new(declared());
    let workers: Vec<_> = ["ann", "bob", "cyd"]
        .into_iter()
        .map(|name| {
            let sandbox = sandbox.clone();
            thread::spawn(move || {
                let bindings = user(name);
                for _ in 0..100 {
                    let run = sandbox.with_bindings(&bindings).run("Whoami", &[], []).unwrap();
                    assert_eq!(run.value().to_string(), format!(r#"["{name}", "shared"]"#));
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().unwrap();
    }
}

#[test]
fn k03_bindings_and_an_interrupt_chain() {
    let sandbox = declared();
    let ann = user("ann");
    let interrupt = Interrupt::new();
    let run = sandbox
        .with_interrupt(&interrupt)
        .with_bindings(&ann)
        .eval("Req::User.call")
        .unwrap();
    assert_eq!(run.value(), &string("ann"));
    interrupt.interrupt();
    let e = sandbox
        .with_bindings(&ann)
        .with_interrupt(&interrupt)
        .eval("loop {}")
        .unwrap_err();
    assert!(e.is_interrupted(), "{e:?}");
}
