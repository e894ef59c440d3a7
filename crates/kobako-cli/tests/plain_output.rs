//! How `kobako eval` prints in plain mode: the script's output, then its
//! value on a line of its own marked `=> ` as irb marks it, `--no-value` to
//! leave the value out, and a notice on stderr when output was cut.

mod common;

use common::*;

#[test]
fn value_starts_a_new_line_after_output_that_did_not_end_its_line() {
    let ran = kobako(&["eval", "-e", r#"print "abc"; 1"#]);
    assert_eq!(
        (ran.code, ran.stdout.as_str(), ran.stderr.as_str()),
        (0, "abc\n=> 1\n", "")
    );
}

#[test]
fn value_follows_output_that_ended_its_line_directly() {
    let ran = kobako(&["eval", "-e", r#"puts "abc"; [1, :a]"#]);
    assert_eq!(ran.stdout, "abc\n=> [1, :a]\n");
}

#[test]
fn a_script_ending_in_puts_shows_its_nil_value_as_irb_does() {
    let ran = kobako(&["eval", "-e", "puts 1"]);
    assert_eq!(ran.stdout, "1\n=> nil\n");
}

#[test]
fn no_value_prints_the_scripts_output_exactly() {
    let ran = kobako(&["eval", "-e", r#"print "abc"; 1"#, "--no-value"]);
    assert_eq!((ran.code, ran.stdout.as_str()), (0, "abc"));
    let ran = kobako(&["eval", "-e", "puts 1", "--no-value"]);
    assert_eq!(ran.stdout, "1\n");
}

#[test]
fn no_value_cannot_be_combined_with_json() {
    let ran = kobako(&["eval", "-e", "1", "--no-value", "--json"]);
    assert_eq!(ran.code, 64);
    assert!(ran.stderr.contains("cannot be used with"), "{}", ran.stderr);
}

#[test]
fn cut_stdout_is_noticed_on_stderr_naming_the_flag_and_manifest_key() {
    let ran = kobako(&["eval", "-e", "print 'x' * 10; 1", "--stdout-limit", "5"]);
    assert_eq!(ran.code, 0);
    assert_eq!(ran.stdout, "xxxxx\n=> 1\n");
    assert_eq!(
        ran.stderr,
        "kobako: stdout was truncated after 5 bytes; raise it with --stdout-limit BYTES \
         (or `none`), or `stdout_limit` under [limits] in the manifest\n"
    );
}

#[test]
fn cut_stderr_is_noticed_on_a_line_of_its_own() {
    let ran = kobako(&["eval", "-e", "$stderr.print 'e' * 10; 1", "--stderr-limit", "4"]);
    assert_eq!(ran.stdout, "=> 1\n");
    assert_eq!(
        ran.stderr,
        "eeee\nkobako: stderr was truncated after 4 bytes; raise it with --stderr-limit BYTES \
         (or `none`), or `stderr_limit` under [limits] in the manifest\n"
    );
}

#[test]
fn an_error_starts_a_new_line_after_stderr_output_that_did_not_end_its_line() {
    let ran = kobako(&["eval", "-e", "$stderr.print 'x'; raise 'boom'"]);
    assert_eq!((ran.code, ran.stdout.as_str()), (1, ""));
    assert_eq!(ran.stderr, "x\nRuntimeError: boom\n\tfrom (eval):1\n");
}

#[test]
fn json_mode_reports_a_cut_in_the_record_and_prints_nothing_on_stderr() {
    let ran = kobako(&["eval", "-e", "print 'x' * 10; 1", "--stdout-limit", "5", "--json"]);
    let record = ran.json();
    assert_eq!(
        (
            record["stdout"].as_str(),
            record["stdout_truncated"].as_bool(),
            record["value"].as_i64()
        ),
        (Some("xxxxx"), Some(true), Some(1))
    );
    assert_eq!(ran.stderr, "");
}

/// The guest's own `inspect` of `expr`, asked for in a separate run.
fn guest_inspect(expr: &str) -> String {
    let ran = kobako(&["eval", "--json", "-e", &format!("({expr}).inspect")]);
    ran.json()["value"].as_str().unwrap().to_owned()
}

#[test]
fn a_result_that_cannot_cross_is_shown_by_its_guest_inspect() {
    for expr in [
        "Time.at(0)",
        "Set[1, 2]",
        "Struct.new(:a).new(1)",
        "1..2",
        "Object",
    ] {
        let ran = kobako(&["eval", "-e", &format!("print 'out'; {expr}")]);
        let expected = format!("out\n=> {}\n", guest_inspect(expr));
        assert_eq!(
            (ran.code, ran.stdout.as_str(), ran.stderr.as_str()),
            (0, &*expected, ""),
            "{expr}"
        );
    }
    // An `inspect` that raises leaves the refusal as it was.
    let ran = kobako(&["eval", "-e", "o = Object.new; def o.inspect = raise('no'); o"]);
    assert_eq!(ran.code, 1);
    assert!(
        ran.stderr
            .starts_with("Kobako::SandboxError: Object is not a supported sandbox value type"),
        "{}",
        ran.stderr
    );
}

#[test]
fn json_gives_a_result_that_cannot_cross_as_value_inspect() {
    let record = kobako(&["eval", "--json", "-e", "Set[1]"]).json();
    assert_eq!(record["ok"], true, "{record}");
    assert_eq!(record["value"], serde_json::Value::Null);
    assert_eq!(record["error"], serde_json::Value::Null);
    assert_eq!(
        record["value_inspect"].as_str(),
        Some(guest_inspect("Set[1]").as_str())
    );
    let plain = kobako(&["eval", "--json", "-e", "[1]"]).json();
    assert_eq!(plain["value_inspect"], serde_json::Value::Null, "{plain}");
}
