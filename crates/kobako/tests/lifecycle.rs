//! Section 1 of the spec: constructing a Sandbox, invoking it, reading the
//! outputs and usage (B-01..B-06, B-35).

mod common;

use std::sync::{Arc, Barrier};
use std::time::Duration;

use common::*;
use kobako::{DEFAULT_MEMORY_LIMIT, DEFAULT_OUTPUT_LIMIT, DEFAULT_TIMEOUT, Profile, Sandbox, Value};

#[test]
fn b01_construct_with_defaults() {
    let sandbox = Sandbox::new().unwrap();
    assert_eq!(sandbox.timeout(), Some(DEFAULT_TIMEOUT));
    assert_eq!(DEFAULT_TIMEOUT, Duration::from_secs(60));
    assert_eq!(sandbox.memory_limit(), Some(DEFAULT_MEMORY_LIMIT));
    assert_eq!(DEFAULT_MEMORY_LIMIT, 1 << 20);
    assert_eq!(sandbox.stdout_limit(), Some(DEFAULT_OUTPUT_LIMIT));
    assert_eq!(sandbox.stderr_limit(), Some(1 << 20));
    assert_eq!(sandbox.profile(), Profile::Hermetic);
}

#[test]
fn b01_construct_with_options_and_disabled_caps() {
    let sandbox = Sandbox::builder()
        .timeout(None)
        .memory_limit(None)
        .stdout_limit(Some(10))
        .stderr_limit(None)
        .profile(Profile::Permissive)
        .build()
        .unwrap();
    assert_eq!(sandbox.timeout(), None);
    assert_eq!(sandbox.memory_limit(), None);
    assert_eq!(sandbox.stdout_limit(), Some(10));
    assert_eq!(sandbox.stderr_limit(), None);
    assert_eq!(sandbox.profile(), Profile::Permissive);
    assert_eq!(sandbox.eval("1 + 1").unwrap().value(), &Value::Int(2));
}

#[test]
fn a_small_pool_has_its_own_engine_and_runs_the_same() {
    let small = Sandbox::builder().pool_size(4).build().unwrap();
    let default = Sandbox::new().unwrap();
    for sandbox in [&small, &default] {
        assert_eq!(sandbox.eval("[1, 2, 3].sum").unwrap().value(), &Value::Int(6));
    }
    let e = Sandbox::builder()
        .pool_size(4)
        .timeout(Some(std::time::Duration::from_millis(50)))
        .build()
        .unwrap()
        .eval("loop {}")
        .unwrap_err();
    assert!(e.is_timeout(), "the small pool's engine has a ticker: {e:?}");
}

#[test]
fn b02_eval_returns_last_expression() {
    assert_eq!(value_of("a = 20\nb = 22\na + b"), Value::Int(42));
    assert_eq!(value_of("def twice(x) = x * 2\ntwice(21)"), Value::Int(42));
}

#[test]
fn b02_eval_code_has_file_name_eval() {
    let e = error_of(&sandbox(), "\n\nraise 'boom'");
    let backtrace = failure(&e).backtrace().unwrap();
    assert!(backtrace[0].starts_with("(eval):3"), "{backtrace:?}");
}

#[test]
fn b03_later_invocations_see_no_earlier_state() {
    let sandbox = sandbox();
    let first =
        "$g = 1; X = 2; class String; def shout = upcase; end; @@cv = 3 rescue nil; $stdout = nil; :done";
    assert_eq!(sandbox.eval(first).unwrap().value(), &sym("done"));
    // mruby has no `defined?`; ask the interpreter directly.
    let second = "[$g, Object.const_defined?(:X), ''.respond_to?(:shout), $stdout.nil?]";
    assert_eq!(
        sandbox.eval(second).unwrap().into_value(),
        Value::Array(vec![
            Value::Nil,
            Value::Bool(false),
            Value::Bool(false),
            Value::Bool(false)
        ])
    );
}

/// X-08: the polluting invocation is still running (parked in a service)
/// while the other one looks: both meet at a barrier after the pollution,
/// and again after the check.
#[test]
fn b03_x08_state_left_in_one_thread_is_not_seen_from_another() {
    let meet = Arc::new(Barrier::new(2));
    let mut builder = Sandbox::builder();
    builder.service_fn("Math::Add", |a: i64, b: i64| a + b).unwrap();
    builder
        .service_fn("Sync::Meet", move || {
            meet.wait();
        })
        .unwrap();
    let sandbox = builder.build().unwrap();
    let polluted = "$g = 1; X = 2; class String; def shout = upcase; end; Math::Add.define_singleton_method(:call) { |*| 0 }; Sync::Meet.call; Sync::Meet.call; [$g, X, ''.shout, Math::Add.call(1, 2)]";
    let check = "Sync::Meet.call; seen = [$g, Object.const_defined?(:X), ''.respond_to?(:shout), Math::Add.call(1, 2)]; Sync::Meet.call; seen";
    std::thread::scope(|scope| {
        let polluter = scope.spawn(|| sandbox.eval(polluted).unwrap().into_value());
        let checker = scope.spawn(|| sandbox.eval(check).unwrap().into_value());
        assert_eq!(checker.join().unwrap().to_string(), "[nil, false, false, 3]");
        assert_eq!(polluter.join().unwrap().to_string(), r#"[1, 2, "", 0]"#);
    });
}

#[test]
fn b03_sandbox_stays_usable_after_every_failure_kind() {
    let sandbox = Sandbox::builder()
        .timeout(Some(Duration::from_millis(200)))
        .build()
        .unwrap();
    assert!(sandbox.eval("loop {}").unwrap_err().is_trap());
    assert!(sandbox.eval("'x' * 50_000_000").unwrap_err().is_trap());
    assert!(sandbox.eval("raise 'no'").unwrap_err().is_sandbox_error());
    assert!(sandbox.eval("def (").unwrap_err().is_sandbox_error());
    let run = sandbox.eval("puts 'fresh'; 7").unwrap();
    assert_eq!(run.value(), &Value::Int(7));
    assert_eq!(run.output().stdout(), b"fresh\n");
    assert!(run.output().usage().memory_peak < 1 << 20);
}

#[test]
fn b04_every_write_path_is_captured() {
    let source = r#"
        puts "a", [1, [2]], nil
        print "b", "c"
        p :d
        x = p(5)
        printf("%03d\n", x)
        putc "e"; putc 10
        $stdout.write("f", 1)
        $stdout << "g" << "\n"
        STDOUT.print "h\n"
        $stdout.puts "i"
        $stdout.flush
        warn "w1"
        $stderr.puts "w2"
        STDERR.write "w3\n"
        $stderr << "w4"
        warn
        :ok
    "#;
    let run = ok(sandbox().eval(source));
    assert_eq!(
        run.output().stdout_lossy(),
        "a\n1\n2\n\nbc:d\n5\n005\ne\nf1g\nh\ni\n"
    );
    assert_eq!(run.output().stderr_lossy(), "w1\nw2\nw3\nw4");
    assert!(!run.output().stdout_truncated());
    assert!(!run.output().stderr_truncated());
}

#[test]
fn b04_writes_through_a_reassigned_stdout_are_captured() {
    let run = ok(sandbox().eval("$stdout = $stderr; puts 'moved'; STDOUT.puts 'kept'"));
    assert_eq!(run.output().stdout(), b"kept\n");
    assert_eq!(run.output().stderr(), b"moved\n");
}

#[test]
fn b04_exact_limit_is_not_truncated_one_more_is() {
    let sandbox = Sandbox::builder()
        .stdout_limit(Some(5))
        .stderr_limit(Some(3))
        .build()
        .unwrap();
    let run = ok(sandbox.eval("print 'abcde'; $stderr.print 'xyz'"));
    assert_eq!(
        (run.output().stdout(), run.output().stdout_truncated()),
        (&b"abcde"[..], false)
    );
    assert_eq!(
        (run.output().stderr(), run.output().stderr_truncated()),
        (&b"xyz"[..], false)
    );

    let run = ok(sandbox.eval("print 'abc'; print 'def'; $stderr.print 'wxyz'; 1"));
    assert_eq!(
        (run.output().stdout(), run.output().stdout_truncated()),
        (&b"abcde"[..], true)
    );
    assert_eq!(
        (run.output().stderr(), run.output().stderr_truncated()),
        (&b"wxy"[..], true)
    );
    assert_eq!(run.value(), &Value::Int(1), "output never affects the outcome");
}

#[test]
fn b04_output_bytes_are_kept_even_when_not_utf8() {
    let run = ok(sandbox().eval(r#"print "\xff\xfe""#));
    assert_eq!(run.output().stdout(), b"\xff\xfe");
}

#[test]
fn b06_value_of_every_wire_type() {
    assert_eq!(
        value_of(r#"[nil, true, false, 1, -2, 1.5, "s", :sym, [1], {"k" => 1, b: 2}]"#),
        Value::Array(vec![
            Value::Nil,
            Value::Bool(true),
            Value::Bool(false),
            Value::Int(1),
            Value::Int(-2),
            Value::Float(1.5),
            string("s"),
            sym("sym"),
            Value::Array(vec![Value::Int(1)]),
            Value::Map(vec![(string("k"), Value::Int(1)), (sym("b"), Value::Int(2))]),
        ])
    );
}

#[test]
fn b06_nil_empty_and_comment_only_sources_return_nil() {
    assert_eq!(value_of("nil"), Value::Nil);
    assert_eq!(value_of(""), Value::Nil);
    assert_eq!(value_of("# just a comment\n# and another"), Value::Nil);
}

#[test]
fn b06_binary_strings_keep_their_bytes() {
    assert_eq!(value_of(r#""\xff\x00a""#), Value::Bin(vec![0xff, 0x00, b'a']));
    assert_eq!(value_of(r#""héllo""#), string("héllo"));
}

#[test]
fn b06_floats_keep_nan_infinity_and_negative_zero() {
    let Value::Array(items) = value_of("[0.0/0.0, 1.0/0.0, -1.0/0.0, -0.0]") else {
        panic!()
    };
    assert!(matches!(items[0], Value::Float(x) if x.is_nan()));
    assert_eq!(items[1], Value::Float(f64::INFINITY));
    assert_eq!(items[2], Value::Float(f64::NEG_INFINITY));
    assert!(matches!(items[3], Value::Float(x) if x == 0.0 && x.is_sign_negative()));
}

#[test]
fn b35_usage_reports_wall_time_and_memory_growth() {
    let sandbox = Sandbox::builder().memory_limit(Some(4 << 20)).build().unwrap();
    let small = ok(sandbox.eval("nil"));
    assert!(small.output().usage().wall_time > Duration::ZERO);
    let big = ok(sandbox.eval("s = 'x' * 2_000_000; s.size"));
    assert_eq!(big.value(), &Value::Int(2_000_000));
    assert!(
        big.output().usage().memory_peak >= 1_500_000,
        "{:?}",
        big.output().usage()
    );
    assert!(big.output().usage().memory_peak <= 4 << 20);
    assert!(small.output().usage().memory_peak < big.output().usage().memory_peak);
}

#[test]
fn b35_usage_is_filled_in_on_traps() {
    let sandbox = Sandbox::builder().memory_limit(Some(1 << 20)).build().unwrap();
    let e = sandbox.eval("a = []; loop { a << 'y' * 10_000 }").unwrap_err();
    assert!(e.is_memory_limit(), "{e:?}");
    let usage = e.output().unwrap().usage();
    assert!(usage.memory_peak <= 1 << 20);
    assert!(usage.memory_peak > 0);
    assert!(usage.wall_time > Duration::ZERO);
}

/// E-32: a pool too small to build a Sandbox in is refused when it is set.
#[test]
fn e32_a_pool_of_fewer_than_two_slots_is_refused() {
    for slots in [0, 1] {
        let e = Sandbox::builder().pool_size(slots).build().unwrap_err();
        assert_eq!(e.kind(), kobako::ErrorKind::Usage, "{e:?}");
        assert!(e.to_string().contains("pool_size must be at least 2"), "{e}");
    }
    assert!(Sandbox::builder().pool_size(2).build().is_ok());
}

/// T-01: an invocation that finds every pooled slot held by invocations in
/// flight ends in a trap naming `pool_size`, and the slots come back after.
#[test]
fn t01_an_invocation_past_the_pool_size_traps_naming_pool_size() {
    // Three nested invocations of two Sandboxes on one two-slot engine: the
    // outer one holds a slot, the middle one the other, the inner finds none.
    let inner = Arc::new(Sandbox::builder().pool_size(2).build().unwrap());
    let middle = {
        let inner = inner.clone();
        let mut builder = Sandbox::builder().pool_size(2);
        builder
            .service_fn("Nest::Inner", move || -> Result<String, kobako::Fault> {
                Ok(match inner.eval("1") {
                    Ok(_) => "ran".to_owned(),
                    Err(e) => format!("{:?}: {e}", e.kind()),
                })
            })
            .unwrap();
        Arc::new(builder.build().unwrap())
    };
    let mut builder = Sandbox::builder().pool_size(2);
    let held = middle.clone();
    builder
        .service_fn("Nest::Middle", move || -> Result<String, kobako::Fault> {
            let run = held
                .eval("Nest::Inner.call")
                .map_err(|e| kobako::Fault::runtime(e.to_string()))?;
            Ok(format!("{}", run.value()))
        })
        .unwrap();
    let outer = builder.build().unwrap();
    // Before their first invocations, the nested Sandboxes still have to
    // bake, which takes a second slot for a moment: the middle one finds
    // none. After them, only the inner one does.
    let e = outer.eval("Nest::Middle.call").unwrap_err();
    assert!(
        e.is_service() && e.to_string().contains("no free instance slot"),
        "{e:?}"
    );
    for sandbox in [&inner, &middle] {
        sandbox.eval("0").unwrap();
    }
    let answer = outer.eval("Nest::Middle.call").unwrap();
    let Value::Str(answer) = answer.value() else {
        panic!("{answer:?}")
    };
    assert!(answer.contains("Trap: the guest never started"), "{answer}");
    assert!(
        answer.contains("no free instance slot") && answer.contains("pool_size"),
        "{answer}"
    );
    assert_eq!(
        inner.eval("2").unwrap().value(),
        &Value::Int(2),
        "the slots came back"
    );
}
