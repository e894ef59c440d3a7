//! `kobako eval` end to end: the acceptance commands, the JSON record, exit
//! codes, caps and bad input (B-01..B-06, B-35, E-04, E-05, E-07..E-10,
//! E-32, L-03, X-02).

mod common;

use std::time::{Duration, Instant};

use common::*;
use serde_json::json;

#[test]
fn b06_acceptance_value_prints_exactly() {
    let ran = kobako(&[
        "eval",
        "-e",
        r#"[1, "two", :three, {a: 2**40}, nil, 1.5]"#,
        "--json",
    ]);
    assert_eq!(ran.code, 0);
    let record = ran.json();
    assert_eq!(record["ok"], true);
    assert_eq!(
        record["value"],
        json!([1, "two", "three", {"a": 1099511627776i64}, null, 1.5])
    );
}

#[test]
fn e04_acceptance_loop_times_out_in_about_half_a_second() {
    let started = Instant::now();
    let ran = kobako(&["eval", "-e", "loop {}", "--timeout", "0.5", "--json"]);
    let elapsed = started.elapsed();
    assert_eq!(ran.code, 3);
    assert_eq!(ran.json()["error"]["kind"], "timeout");
    assert!(
        elapsed >= Duration::from_millis(500) && elapsed < Duration::from_secs(3),
        "{elapsed:?}"
    );
}

#[test]
fn e07_acceptance_error_keeps_stdout() {
    let ran = kobako(&["eval", "-e", r#"puts 1; raise ArgumentError, "boom""#, "--json"]);
    assert_eq!(ran.code, 1);
    let record = ran.json();
    assert_eq!(record["stdout"], "1\n");
    assert_eq!(record["error"]["class"], "ArgumentError");
    assert_eq!(record["error"]["message"], "boom");
    assert_eq!(record["error"]["kind"], "sandbox");
    assert_eq!(record["error"]["backtrace"], json!(["(eval):1"]));
}

#[test]
fn b04_json_record_has_exactly_the_documented_keys() {
    let record = kobako(&["eval", "-e", "print 'x'; $stderr.print 'y'; 7", "--json"]).json();
    let keys: Vec<&str> = record.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "ok",
            "value",
            "stdout",
            "stderr",
            "stdout_truncated",
            "stderr_truncated",
            "usage",
            "error",
            "value_inspect"
        ]
    );
    assert_eq!(
        (record["stdout"].as_str(), record["stderr"].as_str()),
        (Some("x"), Some("y"))
    );
    assert_eq!(record["error"], json!(null));
    let error = kobako(&["eval", "-e", "raise 'x'", "--json"]).json()["error"].clone();
    let keys: Vec<&str> = error.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["class", "message", "backtrace", "kind"]);
}

#[test]
fn b02_file_stdin_and_e_forms_all_run() {
    let file = temp_file("script.rb", b"puts 'from file'\n6 * 7\n");
    let ran = kobako(&["eval", file.to_str().unwrap()]);
    assert_eq!((ran.code, ran.stdout.as_str()), (0, "from file\n=> 42\n"));
    let ran = kobako_with_stdin(&["eval", "-"], b"[1, :a, \"s\", nil]");
    assert_eq!(ran.stdout, "=> [1, :a, \"s\", nil]\n");
    let ran = kobako(&["eval", "-e", "warn 'w'; puts 'hi'; {a: 1}"]);
    assert_eq!(
        (ran.stdout.as_str(), ran.stderr.as_str()),
        ("hi\n=> {a: 1}\n", "w\n")
    );
}

#[test]
fn t02_exit_codes_follow_the_outcome() {
    assert_eq!(kobako(&["eval", "-e", "1"]).code, 0);
    assert_eq!(kobako(&["eval", "-e", "nil.boom"]).code, 1);
    let service = kobako(&["eval", "-e", "raise Kobako::ServiceError, 'x'", "--json"]);
    assert_eq!(
        (service.code, service.json()["error"]["kind"].as_str()),
        (2, Some("service"))
    );
    let memory = kobako(&["eval", "-e", "'x' * 50_000_000", "--json"]);
    assert_eq!(
        (memory.code, memory.json()["error"]["kind"].as_str()),
        (3, Some("memory_limit"))
    );
}

#[test]
fn e32_bad_options_and_usage_exit_64_naming_the_problem() {
    for (args, needle) in [
        (vec!["eval"], "FILE"),
        (vec!["eval", "x.rb", "-e", "1"], "cannot be used with"),
        (
            vec!["eval", "/nonexistent/script.rb"],
            "cannot read /nonexistent/script.rb",
        ),
        (vec!["eval", "-e", "1", "--timeout", "0"], "timeout"),
        (vec!["eval", "-e", "1", "--timeout", "-1"], "timeout"),
        (vec!["eval", "-e", "1", "--timeout", "nan"], "timeout"),
        (vec!["eval", "-e", "1", "--memory-limit", "0"], "memory-limit"),
        (vec!["eval", "-e", "1", "--stdout-limit", "abc"], "abc"),
    ] {
        let ran = kobako(&args);
        assert_eq!(ran.code, 64, "{args:?}: {}", ran.stderr);
        assert!(ran.stderr.contains(needle), "{args:?}: {}", ran.stderr);
    }
}

#[test]
fn e08_e09_e10_bad_scripts_are_clear_sandbox_errors() {
    let not_utf8 = temp_file("latin1.rb", b"puts 1\n\xff");
    let huge = temp_file("huge.rb", "# padding\n".repeat(2_000_000).as_bytes());
    let cases: Vec<(Vec<&str>, &str, &str)> = vec![
        (
            vec!["eval", not_utf8.to_str().unwrap()],
            "Kobako::SandboxError",
            "UTF-8",
        ),
        (
            vec!["eval", huge.to_str().unwrap()],
            "Kobako::SandboxError",
            "16 MiB",
        ),
        (vec!["eval", "-e", "x = 1\ndef ("], "SyntaxError", "(eval):2"),
        // An object whose `inspect` raises cannot even be shown.
        (
            vec!["eval", "-e", "o = Object.new; def o.inspect = raise('no'); o"],
            "Kobako::SandboxError",
            "Object",
        ),
    ];
    for (mut args, class, needle) in cases {
        args.push("--json");
        let ran = kobako(&args);
        assert_eq!(ran.code, 1, "{args:?}");
        let error = &ran.json()["error"];
        assert_eq!(error["class"], class, "{args:?}");
        assert!(
            error["message"].as_str().unwrap().contains(needle),
            "{args:?}: {error}"
        );
    }
}

#[test]
fn l03_output_limits_clip_and_flag() {
    let record = kobako(&["eval", "-e", "print 'abcdefgh'", "--stdout-limit", "5", "--json"]).json();
    assert_eq!(
        (record["stdout"].as_str(), record["stdout_truncated"].as_bool()),
        (Some("abcde"), Some(true))
    );
    let record = kobako(&[
        "eval",
        "-e",
        "print 'x' * 2_000_000",
        "--stdout-limit",
        "none",
        "--memory-limit",
        "none",
        "--json",
    ])
    .json();
    assert_eq!(record["stdout"].as_str().unwrap().len(), 2_000_000);
    assert_eq!(record["stdout_truncated"], false);
}

#[test]
fn l01_l02_caps_can_be_disabled() {
    let record = kobako(&[
        "eval",
        "-e",
        "('x' * 20_000_000).size",
        "--memory-limit",
        "none",
        "--json",
    ])
    .json();
    assert_eq!(record["value"], 20_000_000);
    assert_eq!(
        kobako(&["eval", "-e", "1 + 1", "--timeout", "none"]).stdout,
        "=> 2\n"
    );
}

#[test]
fn x02_json_maps_values_and_keeps_output_of_failures() {
    let record = kobako(&["eval", "-e", "{1 => :a, [2] => nil, 'k' => 0.0/0.0}", "--json"]).json();
    assert_eq!(record["value"], json!({"1": "a", "[2]": null, "k": null}));
    let record = kobako(&[
        "eval",
        "-e",
        "$stderr.puts 'before'; loop {}",
        "--timeout",
        "0.2",
        "--json",
    ])
    .json();
    assert_eq!(record["stderr"], "before\n");
}

#[test]
fn b35_usage_is_reported() {
    let usage = kobako(&["eval", "-e", "'x' * 200_000", "--json"]).json()["usage"].clone();
    assert!(usage["wall_time"].as_f64().unwrap() > 0.0);
    assert!(usage["memory_peak"].as_u64().is_some());
}
