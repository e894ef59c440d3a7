//! Section 7 and the improvements: caps, limits, isolation and hermetic
//! clocks (L-01..L-05, X-01, X-02, X-06, S-01, S-07, S-09).

mod common;

use std::time::Duration;

use common::*;
use kobako::{Call, Fault, Profile, Sandbox, Service, Value};

#[test]
fn l01_disabled_timeout_lets_long_work_finish() {
    let sandbox = Sandbox::builder().timeout(None).build().unwrap();
    assert_eq!(
        sandbox
            .eval("i = 0; 200_000.times { i += 1 }; i")
            .unwrap()
            .value(),
        &Value::Int(200_000)
    );
}

#[test]
fn l02_eval_nil_fits_in_one_page() {
    let sandbox = Sandbox::builder().memory_limit(Some(65_536)).build().unwrap();
    assert_eq!(sandbox.eval("nil").unwrap().value(), &Value::Nil);
}

#[test]
fn l02_budgets_do_not_add_up_across_invocations() {
    let sandbox = Sandbox::builder().memory_limit(Some(2 << 20)).build().unwrap();
    for _ in 0..5 {
        assert!(sandbox.eval("('x' * 1_000_000).size").is_ok());
    }
}

#[test]
fn b35_memory_peak_counts_what_the_script_allocated() {
    let sandbox = Sandbox::builder().memory_limit(Some(16 << 20)).build().unwrap();
    sandbox.eval("1").unwrap();
    for bytes in [20_000_u64, 200_000, 1_000_000] {
        let run = sandbox.eval(&format!("'x' * {bytes}; nil")).unwrap();
        let peak = run.output().usage().memory_peak;
        assert!(
            peak >= bytes && peak < bytes + (256 << 10),
            "a {bytes}-byte String: memory_peak {peak}"
        );
    }
    let idle = sandbox.eval("1").unwrap().output().usage().memory_peak;
    assert!(idle < 64 << 10, "eval(\"1\"): memory_peak {idle}");
}

#[test]
fn l02_disabled_memory_limit_allows_large_allocations() {
    let sandbox = Sandbox::builder().memory_limit(None).build().unwrap();
    assert_eq!(
        sandbox.eval("('x' * 20_000_000).size").unwrap().value(),
        &Value::Int(20_000_000)
    );
}

#[test]
fn l03_disabled_output_limit_keeps_everything() {
    let sandbox = Sandbox::builder()
        .stdout_limit(None)
        .memory_limit(None)
        .build()
        .unwrap();
    let run = sandbox.eval("print 'y' * 3_000_000").unwrap();
    assert_eq!(run.output().stdout().len(), 3_000_000);
    assert!(!run.output().stdout_truncated());
}

#[test]
fn l03_output_flood_is_clipped_at_the_default_limit() {
    let run = ok(sandbox().eval("200.times { puts 'z' * 10_000 }; :done"));
    assert_eq!(run.output().stdout().len(), 1 << 20);
    assert!(run.output().stdout_truncated());
    assert_eq!(run.value(), &sym("done"));
}

#[test]
fn l05_nesting_limit_is_128_levels() {
    let sandbox = sandbox();
    let Value::Array(_) = sandbox
        .eval("a = nil; 128.times { a = [a] }; a")
        .unwrap()
        .into_value()
    else {
        panic!()
    };
    let e = sandbox
        .eval("a = nil; 128.times { a = {k: a} }; [a]")
        .unwrap_err();
    assert!(failure(&e).message().contains("128"), "{e}");
}

/// An Array nested `levels` deep around nil.
fn nested(levels: usize) -> Value {
    (0..levels).fold(Value::Nil, |inner, _| Value::Array(vec![inner]))
}

#[test]
fn l05_run_arguments_and_keywords_carry_the_full_128_levels() {
    let mut builder = Sandbox::builder();
    let depth = "Depth = ->(x) { d = 0; while x.is_a?(Array); x = x[0]; d += 1; end; d }";
    builder.preload_source("Depth", depth).unwrap();
    builder
        .preload_source("KwDepth", "KwDepth = ->(opts) { Depth.(opts[:x]) }")
        .unwrap();
    let sandbox = builder.build().unwrap();
    let run = sandbox.run("Depth", &[nested(128)], []).unwrap();
    assert_eq!(run.value(), &Value::Int(128));
    let run = sandbox.run("KwDepth", &[], [("x".into(), nested(128))]).unwrap();
    assert_eq!(run.value(), &Value::Int(128));
    let e = sandbox.run("Depth", &[nested(129)], []).unwrap_err();
    assert!(e.to_string().contains("128"), "{e}");
}

/// Answers the nesting depth of its first argument and of its `k:` keyword.
struct DepthService;

impl Service for DepthService {
    fn call(&self, call: &mut Call<'_>) -> Result<Value, Fault> {
        fn depth(value: &Value) -> i64 {
            match value {
                Value::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
                _ => 0,
            }
        }
        let positional = call.args().first().map_or(-1, depth);
        let keyword = call.kwarg("k").map_or(-1, depth);
        Ok(Value::Array(vec![Value::Int(positional), Value::Int(keyword)]))
    }
}

#[test]
fn l05_service_arguments_and_keywords_carry_the_full_128_levels() {
    let mut builder = Sandbox::builder();
    builder.service("S::Depth", DepthService).unwrap();
    let sandbox = builder.build().unwrap();
    let value = ok(sandbox.eval("a = nil; 128.times { a = [a] }; S::Depth.of(a, k: a)")).into_value();
    assert_eq!(value, Value::Array(vec![Value::Int(128), Value::Int(128)]));
    for source in [
        "a = nil; 129.times { a = [a] }; S::Depth.of(a)",
        "a = nil; 129.times { a = [a] }; S::Depth.of(k: a)",
    ] {
        let e = error_of(&sandbox, source);
        assert_eq!(failure(&e).klass(), Some("ArgumentError"), "{source}");
        assert!(failure(&e).message().contains("128"), "{source}: {e}");
    }
}

#[test]
fn x01_i64_round_trip() {
    assert_eq!(value_of("2**63 - 1"), Value::Int(i64::MAX));
    assert_eq!(value_of("-(2**63)"), Value::Int(i64::MIN));
    assert_eq!(value_of("2**40"), Value::Int(1 << 40));
    assert_eq!(value_of("-(2**40) - 7"), Value::Int(-(1 << 40) - 7));
    assert_eq!(value_of("(2**100) / (2**60)"), Value::Int(1 << 40));
}

#[test]
fn x01_guest_integers_never_overflow() {
    assert_eq!(value_of("(2**64).to_s"), string("18446744073709551616"));
    assert_eq!(value_of("2_147_483_647 + 1"), Value::Int(2_147_483_648));
}

#[test]
fn x01_integer_outside_i64_is_a_range_error_naming_the_range() {
    let e = error_of(&sandbox(), "2**63");
    assert_eq!(failure(&e).klass(), Some("RangeError"));
    assert!(failure(&e).message().contains("9223372036854775807"), "{e}");
    assert!(
        error_of(&sandbox(), "[-(2**63) - 1]")
            .to_string()
            .contains("RangeError")
    );
}

#[test]
fn x02_outputs_and_usage_survive_a_failure() {
    let e = error_of(&sandbox(), "puts 'out'; warn 'err'; raise 'late'");
    let output = e.output().unwrap();
    assert_eq!(output.stdout(), b"out\n");
    assert_eq!(output.stderr(), b"err\n");
    assert!(output.usage().wall_time > Duration::ZERO);
}

#[test]
fn x06_hermetic_clocks_read_the_epoch() {
    assert_eq!(value_of("Time.now.to_i"), Value::Int(0));
    assert_eq!(
        value_of("t = Time.now; 10_000.times {}; Time.now - t"),
        Value::Float(0.0)
    );
}

#[test]
fn x06_hermetic_randomness_repeats() {
    let sandbox = sandbox();
    let source = "[rand(1_000_000), Random.new.rand(1000), [1, 2, 3, 4, 5].shuffle]";
    let first = sandbox.eval(source).unwrap().into_value();
    assert_eq!(sandbox.eval(source).unwrap().into_value(), first);
    assert_eq!(Sandbox::new().unwrap().eval(source).unwrap().into_value(), first);
}

#[test]
fn x06_permissive_clocks_read_the_host_time() {
    let sandbox = Sandbox::builder().profile(Profile::Permissive).build().unwrap();
    let Value::Int(now) = sandbox.eval("Time.now.to_i").unwrap().into_value() else {
        panic!()
    };
    assert!(now > 1_700_000_000, "{now}");
}

#[test]
fn x06_permissive_randomness_differs_between_invocations() {
    let sandbox = Sandbox::builder().profile(Profile::Permissive).build().unwrap();
    let source = "[rand(1 << 30), Random.new.rand(1 << 30)]";
    let runs: Vec<Value> = (0..3)
        .map(|_| sandbox.eval(source).unwrap().into_value())
        .collect();
    assert!(runs[0] != runs[1] || runs[1] != runs[2], "{runs:?}");
}

#[test]
fn s01_no_ambient_authority() {
    let sandbox = sandbox();
    for source in [
        "File.read('/etc/passwd')",
        "IO.read('/etc/passwd')",
        "Dir.entries('/')",
        "`ls`",
        "system('ls')",
        "exec('ls')",
        "spawn('ls')",
        "require 'socket'",
        "TCPSocket.new('127.0.0.1', 80)",
        "exit 1",
        "exit!",
        "abort 'x'",
        "$stdin.read",
        "STDIN.gets",
        "gets",
        "open('/etc/passwd')",
        "load '/etc/passwd'",
        "sleep 1",
        "Process.pid",
    ] {
        let e = error_of(&sandbox, source);
        let klass = failure(&e).klass().unwrap_or_default().to_owned();
        assert!(
            matches!(
                klass.as_str(),
                "NameError" | "NoMethodError" | "NotImplementedError" | "LoadError" | "SystemExit"
            ),
            "{source}: {klass} {e}"
        );
    }
    // The environment and the arguments exist, and are empty.
    assert_eq!(
        value_of("[ENV['HOME'], ENV.to_h, ARGV, $stdin]"),
        Value::Array(vec![
            Value::Nil,
            Value::Map(vec![]),
            Value::Array(vec![]),
            Value::Nil
        ])
    );
}

#[test]
fn s07_clean_interpreter_for_every_invocation() {
    let sandbox = sandbox();
    let dirty =
        "class Integer; def +(o) = 0; end; $seed = srand(42); module Kernel; def puts(*) = nil; end; 1";
    assert!(sandbox.eval(dirty).is_ok());
    let run = sandbox.eval("puts 'visible'; 1 + 1").unwrap();
    assert_eq!(run.value(), &Value::Int(2));
    assert_eq!(run.output().stdout(), b"visible\n");
}

#[test]
fn s07_state_does_not_leak_after_a_trap() {
    let sandbox = Sandbox::builder()
        .timeout(Some(Duration::from_millis(50)))
        .build()
        .unwrap();
    assert!(sandbox.eval("$leak = 1; loop {}").unwrap_err().is_timeout());
    assert_eq!(sandbox.eval("$leak").unwrap().value(), &Value::Nil);
}

#[test]
fn s09_many_invocations_share_one_sandbox_across_threads() {
    let sandbox = std::sync::Arc::new(sandbox());
    let handles: Vec<_> = (0..4)
        .map(|t| {
            let sandbox = sandbox.clone();
            std::thread::spawn(move || {
                for i in 0..20 {
                    let run = sandbox
                        .eval(&format!("$x = {t} * 100 + {i}; puts $x; $x"))
                        .unwrap();
                    assert_eq!(run.value(), &Value::Int(t * 100 + i));
                    assert_eq!(run.output().stdout_lossy(), format!("{}\n", t * 100 + i));
                }
            })
        })
        .collect();
    for handle in handles {
        handle.join().unwrap();
    }
}

#[test]
fn x08_public_types_are_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Sandbox>();
    assert_send_sync::<kobako::Execution>();
    assert_send_sync::<kobako::Error>();
    assert_send_sync::<Value>();
    assert_send_sync::<kobako::HostObject>();
}

#[test]
fn l01_a_timeout_too_long_for_the_clock_saturates() {
    let sandbox = Sandbox::builder().timeout(Some(Duration::MAX)).build().unwrap();
    assert_eq!(sandbox.eval("6 * 7").unwrap().into_value(), Value::Int(42));
}
