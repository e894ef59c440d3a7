//! What the CLI says to a person who gets something wrong or asks for help:
//! a missing script, `--help` examples, a cap that stopped the run, and
//! errors in a file run with `kobako run`.

mod common;

use common::*;

#[test]
fn bare_eval_names_every_way_to_give_a_script() {
    let ran = kobako(&["eval"]);
    assert_eq!(ran.code, 64);
    assert_eq!(
        ran.stderr,
        "kobako: no script given: name a script FILE, `-` to read it from stdin, or -e CODE \
         (see `kobako eval --help`)\n"
    );
}

#[test]
fn help_ends_with_examples_for_the_command_eval_and_run() {
    for (args, example) in [
        (
            vec!["--help"],
            "Examples:\n  kobako eval -e 'puts \"hi\"; [1, 2].sum'",
        ),
        (
            vec!["eval", "--help"],
            "Examples:\n  kobako eval -e 'puts \"hi\"; 1 + 1'",
        ),
        (
            vec!["run", "--help"],
            "Examples:\n  kobako run rules.rb --entry Discount",
        ),
    ] {
        let ran = kobako(&args);
        assert_eq!(ran.code, 0, "{args:?}");
        assert!(ran.stdout.contains(example), "{args:?}: {}", ran.stdout);
    }
}

#[test]
fn the_help_example_prints_what_it_says() {
    let ran = kobako(&["eval", "-e", r#"puts "hi"; [1, 2].sum"#]);
    assert_eq!(ran.stdout, "hi\n=> 3\n");
}

#[test]
fn memory_limit_error_names_the_flag_and_manifest_key_to_raise() {
    let ran = kobako(&["eval", "-e", "'x' * 50_000_000"]);
    assert_eq!(ran.code, 3);
    let hint = ran.stderr.lines().last().unwrap();
    assert_eq!(
        hint,
        "kobako: stopped at the memory limit; raise it with --memory-limit BYTES (or `none`), \
         or `memory_limit` under [limits] in the manifest"
    );
    assert!(ran.stderr.starts_with("memory_limit exceeded"), "{}", ran.stderr);
}

#[test]
fn timeout_error_names_the_flag_and_manifest_key_to_raise() {
    let ran = kobako(&["eval", "-e", "loop {}", "--timeout", "0.2"]);
    assert_eq!(ran.code, 3);
    assert!(
        ran.stderr.ends_with(
            "kobako: stopped at the time limit; raise it with --timeout SECS (or `none`), \
             or `timeout` under [limits] in the manifest\n"
        ),
        "{}",
        ran.stderr
    );
}

#[test]
fn run_syntax_error_names_the_file_not_the_snippet() {
    let file = temp_file("broken.rb", b"x = 1\ndef (\n");
    let path = file.display().to_string();
    let ran = kobako(&["run", &path, "--entry", "X"]);
    assert_eq!(ran.code, 1);
    assert_eq!(
        ran.stderr,
        format!("SyntaxError: {path}:3: syntax error, unexpected end of file\n\tfrom {path}:3\n")
    );
}

#[test]
fn run_exception_backtrace_names_the_file_in_plain_and_json() {
    let file = temp_file("boom_rules.rb", b"Boom = -> { raise 'boom' }\n");
    let path = file.display().to_string();
    let ran = kobako(&["run", &path, "--entry", "Boom"]);
    assert!(
        ran.stderr
            .starts_with(&format!("RuntimeError: boom\n\tfrom {path}:1\n")),
        "{}",
        ran.stderr
    );
    let record = kobako(&["run", &path, "--entry", "Boom", "--json"]).json();
    let backtrace = record["error"]["backtrace"].as_array().unwrap();
    assert_eq!(backtrace[0], format!("{path}:1").as_str(), "{record}");
    assert!(!record.to_string().contains("snippet:"), "{record}");
}
