//! Compiling is capped like running (L-08): the guest's compiler runs under
//! the Sandbox's memory limit and timeout, and what compiled under a cap
//! loads under it.

use std::time::Duration;

use kobako::{Sandbox, Value};

/// A program of `methods` one-line methods and an entrypoint `Pick`;
/// mruby's compiler needs far more memory than the source's size for it.
fn many_methods(methods: usize) -> String {
    let mut source = String::new();
    for i in 0..methods {
        source.push_str(&format!("def m{i}; \"{}\" + \"{i}\"; end\n", "b".repeat(40)));
    }
    source.push_str("Pick = ->(i) { send(\"m#{i}\") }\n");
    source
}

const MIB: u64 = 1 << 20;

#[test]
fn l08_compiling_past_the_memory_limit_is_a_memory_limit_error_naming_the_snippet() {
    let sandbox = Sandbox::builder().memory_limit(Some(MIB)).build().unwrap();
    let error = sandbox.compile("Big", &many_methods(20_000)).unwrap_err();
    assert!(error.is_memory_limit(), "{error:?}");
    assert!(
        error
            .to_string()
            .starts_with("compiling (snippet:Big): memory_limit exceeded"),
        "{error}"
    );

    let mut builder = Sandbox::builder().memory_limit(Some(MIB));
    builder.preload_source("Big", &many_methods(20_000)).unwrap();
    let error = builder.build().unwrap_err();
    assert!(error.is_memory_limit(), "{error:?}");
    assert!(
        error.to_string().starts_with("compiling (snippet:Big):"),
        "{error}"
    );
}

#[test]
fn l08_compiling_past_the_timeout_is_a_timeout_error() {
    let sandbox = Sandbox::builder()
        .memory_limit(None)
        .timeout(Some(Duration::from_millis(50)))
        .build()
        .unwrap();
    let error = sandbox.compile("Slow", &many_methods(20_000)).unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    assert!(
        error.to_string().starts_with("compiling (snippet:Slow):"),
        "{error}"
    );
}

#[test]
fn l08_bytecode_compiled_under_a_cap_loads_and_runs_under_it() {
    let cap = 2 * MIB;
    let compiler = Sandbox::builder().memory_limit(Some(cap)).build().unwrap();
    let mut compiled = 0;
    for methods in [500, 1_000, 2_000, 3_000, 4_000, 6_000, 8_000] {
        let Ok(bytecode) = compiler.compile("Many", &many_methods(methods)) else {
            continue;
        };
        compiled += 1;
        let mut builder = Sandbox::builder().memory_limit(Some(cap));
        builder.preload_bytecode(bytecode).unwrap();
        let sandbox = builder
            .build()
            .unwrap_or_else(|e| panic!("{methods} methods: {e}"));
        let last = methods - 1;
        let run = sandbox
            .run("Pick", &[Value::Int(last as i64)], [])
            .unwrap_or_else(|e| panic!("{methods} methods compiled under the cap but failed: {e}"));
        assert_eq!(run.value(), &Value::Str(format!("{}{last}", "b".repeat(40))));
    }
    // The sweep must cross the cap to mean anything: some sizes compile,
    // the largest do not.
    assert!(
        (1..7).contains(&compiled),
        "{compiled} of 7 sizes compiled under {cap} bytes"
    );
}
