//! Section 6 of the spec: the error taxonomy and the trap and sandbox error
//! scenarios (T-01..T-03, E-01..E-11, E-32..E-34).

mod common;

use std::time::{Duration, Instant};

use common::*;
use kobako::{ErrorKind, Origin, Sandbox, Value};

#[test]
fn t01_each_invocation_ends_in_one_of_four_outcomes() {
    let sandbox = Sandbox::builder()
        .timeout(Some(Duration::from_millis(100)))
        .build()
        .unwrap();
    assert!(sandbox.eval("1").is_ok());
    assert!(sandbox.eval("loop {}").unwrap_err().is_trap());
    assert!(sandbox.eval("raise 'x'").unwrap_err().is_sandbox_error());
    assert!(
        sandbox
            .eval("raise Kobako::ServiceError, 'x'")
            .unwrap_err()
            .is_service()
    );
    assert_eq!(sandbox.eval("2").unwrap().value(), &Value::Int(2));
}

#[test]
fn t02_service_error_class_raised_by_script_is_attributed_to_service() {
    let e = error_of(&sandbox(), "raise Kobako::ServiceError, 'denied'");
    let f = failure(&e);
    assert!(e.kind() == ErrorKind::Service);
    assert_eq!(f.origin(), Some(Origin::Service));
    assert_eq!(f.klass(), Some("Kobako::ServiceError"));
    assert_eq!(f.message(), "denied");
}

#[test]
fn t02_output_never_changes_attribution() {
    let e = error_of(
        &sandbox(),
        "$stderr.puts 'Kobako::ServiceError: fake'; raise TypeError, 't'",
    );
    assert_eq!(failure(&e).origin(), Some(Origin::Sandbox));
    assert_eq!(failure(&e).klass(), Some("TypeError"));
}

#[test]
fn t03_error_fields() {
    let e = error_of(
        &sandbox(),
        "def inner = raise(KeyError, 'missing')\ndef outer = inner\nouter",
    );
    let f = failure(&e);
    assert_eq!(f.message(), "missing");
    assert_eq!(f.origin(), Some(Origin::Sandbox));
    assert_eq!(f.klass(), Some("KeyError"));
    let backtrace = f.backtrace().unwrap();
    assert!(backtrace.len() >= 2, "{backtrace:?}");
    assert!(
        backtrace[0].starts_with("(eval):1"),
        "innermost first: {backtrace:?}"
    );
    assert_eq!(f.details(), None);
    assert_eq!(e.to_string(), "KeyError: missing");
}

#[test]
fn t03_trap_messages_name_the_cap() {
    let sandbox = Sandbox::builder()
        .timeout(Some(Duration::from_millis(50)))
        .build()
        .unwrap();
    assert!(
        sandbox
            .eval("loop {}")
            .unwrap_err()
            .to_string()
            .contains("timeout")
    );
    assert!(
        sandbox
            .eval("'x' * 5_000_000")
            .unwrap_err()
            .to_string()
            .contains("memory_limit")
    );
}

#[test]
fn e01_engine_trap_is_trap_error() {
    let sandbox = fault_sandbox("unreachable", "i64.const 0", "");
    let e = sandbox.eval("1").unwrap_err();
    assert!(e.kind() == ErrorKind::Trap, "{e:?}");
    assert!(e.to_string().contains("unreachable"), "{e}");
    assert!(
        std::error::Error::source(&e).is_some(),
        "the engine error is kept as the source"
    );
}

#[test]
fn e01_deep_c_recursion_ends_in_a_documented_error() {
    // Each level re-enters the VM from C (Array#each with a block calling
    // the method); whichever limit comes first, the host survives.
    let e = error_of(&sandbox(), "def dive(n) = [n].each { |x| dive(x + 1) }\ndive(0)");
    assert!(e.is_trap() || e.is_sandbox_error(), "{e:?}");
    assert_eq!(sandbox().eval("1").unwrap().value(), &Value::Int(1));
}

#[test]
fn e02_no_outcome_is_trap_error() {
    let sandbox = fault_sandbox("", "i64.const 0", "");
    let e = sandbox.eval("1").unwrap_err();
    assert!(e.kind() == ErrorKind::Trap);
    assert!(e.to_string().contains("produced no result"), "{e}");
}

#[test]
fn e03_unreadable_outcome_is_trap_error() {
    // [7, nil]: an envelope of an unknown kind.
    let sandbox = fault_sandbox("", &packed(1024, 3), "\\92\\07\\c0");
    assert!(sandbox.eval("1").unwrap_err().kind() == ErrorKind::Trap);
    // A bare nil: not an envelope at all.
    let sandbox = fault_sandbox("", &packed(1024, 1), "\\c0");
    assert!(sandbox.eval("1").unwrap_err().kind() == ErrorKind::Trap);
}

#[test]
fn e04_timeout_stops_an_endless_loop_promptly() {
    let sandbox = Sandbox::builder()
        .timeout(Some(Duration::from_millis(300)))
        .build()
        .unwrap();
    for source in [
        "loop {}",
        "while true; end",
        "def f = f2\ndef f2 = f\nbegin; f; rescue SystemStackError; retry; end",
        "begin; loop {}; ensure; loop {}; end",
    ] {
        let started = Instant::now();
        let e = sandbox.eval(source).unwrap_err();
        let elapsed = started.elapsed();
        assert!(e.kind() == ErrorKind::Timeout, "{source}: {e:?}");
        assert!(
            elapsed < Duration::from_millis(300 + 100 + 200),
            "{source}: stopped after {elapsed:?}"
        );
    }
}

#[test]
fn e04_timeout_cannot_be_rescued_and_keeps_output() {
    let sandbox = Sandbox::builder()
        .timeout(Some(Duration::from_millis(100)))
        .build()
        .unwrap();
    let e = sandbox
        .eval("puts 'before'; begin; loop {}; rescue Exception; puts 'rescued'; end")
        .unwrap_err();
    assert!(e.kind() == ErrorKind::Timeout);
    assert_eq!(e.output().unwrap().stdout(), b"before\n");
}

#[test]
fn e05_memory_limit_stops_big_strings_and_growing_arrays() {
    let sandbox = sandbox();
    for source in [
        "'x' * 50_000_000",
        "a = []; loop { a << 'x' * 1000 }",
        "h = {}; i = 0; loop { h[i] = i.to_s; i += 1 }",
    ] {
        let e = sandbox.eval(source).unwrap_err();
        assert!(e.kind() == ErrorKind::MemoryLimit, "{source}: {e:?}");
        assert!(e.output().unwrap().usage().memory_peak <= 1 << 20);
    }
}

#[test]
fn e05_memory_limit_cannot_be_rescued() {
    let e = error_of(
        &sandbox(),
        "begin; 'x' * 50_000_000; rescue Exception; :rescued; end",
    );
    assert!(e.kind() == ErrorKind::MemoryLimit, "{e:?}");
}

#[test]
fn e06_outcome_past_the_end_of_memory_is_a_wire_violation() {
    let sandbox = fault_sandbox("", &packed(65_530, 100), "");
    let e = sandbox.eval("1").unwrap_err();
    assert!(e.kind() == ErrorKind::Trap);
    assert!(e.to_string().contains("wire violation"), "{e}");
}

#[test]
fn e06_oversized_outcome_is_a_wire_violation() {
    let sandbox = fault_sandbox("", &packed(0, 16 * 1024 * 1024 + 1), "");
    assert!(sandbox.eval("1").unwrap_err().to_string().contains("16 MiB"));
}

#[test]
fn e07_unrescued_exception_is_sandbox_error() {
    let e = error_of(&sandbox(), "nil.foo");
    let f = failure(&e);
    assert!(e.kind() == ErrorKind::Sandbox);
    assert_eq!(f.klass(), Some("NoMethodError"));
    assert!(f.message().contains("foo"), "{}", f.message());
    assert_eq!(f.origin(), Some(Origin::Sandbox));
}

#[test]
fn e08_syntax_error_names_the_line_and_runs_nothing() {
    let e = error_of(&sandbox(), "puts 'never'\nx = 1\ndef (");
    let f = failure(&e);
    assert_eq!(f.klass(), Some("SyntaxError"));
    assert!(f.message().contains(":3"), "line number in {:?}", f.message());
    assert!(f.message().starts_with("(eval)"), "{:?}", f.message());
    assert_eq!(e.output().unwrap().stdout(), b"");
}

#[test]
fn e09_oversized_source_is_refused_before_the_guest_starts() {
    let source = "#".repeat(16 * 1024 * 1024 + 1);
    let e = sandbox().eval(&source).unwrap_err();
    let f = failure(&e);
    assert!(e.kind() == ErrorKind::Sandbox);
    assert_eq!((f.origin(), f.klass(), f.backtrace()), (None, None, None));
    assert!(e.output().is_none(), "pre-flight errors carry no record");
    assert!(f.message().contains("16 MiB"));
}

#[test]
fn e09_non_utf8_source_is_refused_with_the_offset() {
    let e = sandbox().eval_bytes(b"puts 1\n\xff").unwrap_err();
    assert!(e.kind() == ErrorKind::Sandbox);
    assert!(failure(&e).message().contains("offset 7"), "{e}");
}

#[test]
fn e10_values_without_a_wire_form_are_refused() {
    let sandbox = sandbox();
    for (source, class) in [
        ("Object.new", "Object"),
        ("1..2", "Range"),
        ("-> { 1 }", "Proc"),
        ("Struct.new(:a).new(1)", "#<Class:"),
        ("[1, {a: Object.new}]", "Object"),
    ] {
        let e = error_of(&sandbox, source);
        let f = failure(&e);
        assert!(e.kind() == ErrorKind::Sandbox, "{source}");
        assert_eq!(f.klass(), Some("Kobako::SandboxError"), "{source}");
        assert!(f.message().contains(class), "{source}: {}", f.message());
    }
}

#[test]
fn e10_a_refused_object_result_carries_its_guest_inspect_in_details() {
    let sandbox = sandbox();
    let e = error_of(&sandbox, "Set[1, 2]");
    let inspect = value_of("Set[1, 2].inspect");
    assert_eq!(
        failure(&e).details(),
        Some(&Value::Map(vec![(string("inspect"), inspect)]))
    );
    let long = error_of(&sandbox, "o = Object.new; def o.inspect = 'x' * 100_000; o");
    let Some(Value::Map(pairs)) = failure(&long).details() else {
        panic!("{long:?}")
    };
    assert_eq!(
        pairs[0].1,
        Value::Str(format!("{}... (clipped)", "x".repeat(65_536)))
    );
    let raising = error_of(&sandbox, "o = Object.new; def o.inspect = raise('no'); o");
    assert_eq!(failure(&raising).details(), None);
}

#[test]
fn e10_too_deep_or_cyclic_values_are_refused() {
    let sandbox = sandbox();
    let deep = error_of(&sandbox, "a = 1; 129.times { a = [a] }; a");
    assert!(failure(&deep).message().contains("128"), "{deep}");
    let cyclic = error_of(&sandbox, "a = []; a << a; a");
    assert_eq!(failure(&cyclic).klass(), Some("Kobako::SandboxError"));
    let fine = sandbox.eval("a = 1; 128.times { a = [a] }; a");
    assert!(fine.is_ok(), "128 levels cross: {fine:?}");
}

#[test]
fn l04_e10_a_result_of_more_than_a_million_values_is_refused_in_the_guest() {
    let sandbox = Sandbox::builder().memory_limit(Some(64 << 20)).build().unwrap();
    // 16 million nils in a 16 MB message: few guest bytes, but decoded
    // each would take 32 host bytes.
    let e = error_of(&sandbox, "a = [nil] * 4000; [a] * 4000");
    assert_eq!(failure(&e).klass(), Some("Kobako::SandboxError"), "{e}");
    assert_eq!(
        failure(&e).message(),
        "the result holds more than 1048576 values (the most one message may carry)"
    );
    // The payload may hold 1,048,576 values: the outer Array and its items.
    let fine = sandbox.eval("[nil] * 1_048_575").unwrap();
    assert!(matches!(fine.value(), Value::Array(items) if items.len() == 1_048_575));
    let over = error_of(&sandbox, "[nil] * 1_048_576");
    assert!(
        failure(&over).message().contains("more than 1048576 values"),
        "{over}"
    );
}

#[test]
fn e11_undecodable_value_is_a_transport_error() {
    // [0, <0xc1>]: a value envelope whose body is the reserved marker.
    let sandbox = fault_sandbox("", &packed(1024, 3), "\\92\\00\\c1");
    let e = sandbox.eval("1").unwrap_err();
    assert!(e.kind() == ErrorKind::Sandbox, "{e:?}");
    assert_eq!(failure(&e).klass(), Some("Kobako::Transport::Error"));
}

#[test]
fn e32_invalid_options_are_refused_naming_the_option() {
    let cases: Vec<(kobako::SandboxBuilder, &str)> = vec![
        (Sandbox::builder().timeout(Some(Duration::ZERO)), "timeout"),
        (Sandbox::builder().timeout_secs(Some(-1.0)), "timeout"),
        (Sandbox::builder().timeout_secs(Some(f64::NAN)), "timeout"),
        (Sandbox::builder().timeout_secs(Some(f64::INFINITY)), "timeout"),
        (Sandbox::builder().memory_limit(Some(0)), "memory_limit"),
        (Sandbox::builder().stdout_limit(Some(0)), "stdout_limit"),
        (Sandbox::builder().stderr_limit(Some(0)), "stderr_limit"),
        (Sandbox::builder().pool_size(0), "pool_size"),
    ];
    for (builder, option) in cases {
        match builder.build() {
            Err(e) if e.kind() == ErrorKind::Usage => assert!(e.to_string().contains(option), "{e}"),
            other => panic!("{option}: expected a usage error, got {other:?}"),
        }
    }
}

#[test]
fn e33_missing_guest_file_is_module_not_built() {
    let e = Sandbox::builder()
        .guest_wasm_file("/nonexistent/kobako.wasm")
        .build()
        .unwrap_err();
    assert!(e.kind() == ErrorKind::ModuleNotBuilt, "{e:?}");
    assert!(e.is_setup_error());
}

#[test]
fn e34_unusable_guest_is_setup_error_every_time() {
    let wrong_version = wat::parse_str(
        r#"(module (memory (export "memory") 1)
            (func (export "kobako_abi_version") (result i32) i32.const 99)
            (func (export "kobako_alloc") (param i32) (result i32) i32.const 0)
            (func (export "kobako_eval") (param i32 i32))
            (func (export "kobako_take_outcome") (result i64) i64.const 0))"#,
    )
    .unwrap();
    let foreign_import = wat::parse_str(r#"(module (import "env" "open" (func)))"#).unwrap();
    let no_interface = wat::parse_str("(module)").unwrap();
    for (bytes, needle) in [
        (b"not wasm".to_vec(), "not a valid WebAssembly module"),
        (wrong_version, "version 99"),
        (foreign_import, "imports"),
        (no_interface, "interface"),
    ] {
        for _attempt in 0..2 {
            let e = Sandbox::builder()
                .guest_wasm_bytes(bytes.clone())
                .build()
                .unwrap_err();
            assert!(e.kind() == ErrorKind::Setup, "{e:?}");
            assert!(e.to_string().contains(needle), "{e}");
        }
    }
}

#[test]
fn e07_rescue_and_ensure_see_the_exception_in_dollar_bang() {
    check_cases(&[
        ("(raise 'boom' rescue $!.message)", string("boom")),
        (
            "begin; raise KeyError, 'k'; rescue; $!.class.name; end",
            string("KeyError"),
        ),
        (
            "begin; begin; raise 'inner'; ensure; seen = $!.message; end; rescue; seen; end",
            string("inner"),
        ),
        ("$!", Value::Nil),
    ]);
}
