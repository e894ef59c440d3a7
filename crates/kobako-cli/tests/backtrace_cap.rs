//! Backtraces stay short in every front end: deep recursion collapses into
//! `… N more frames of f`, and a long chain of distinct frames is capped at
//! 16 lines, in plain output, `--json` and the MCP `execute` result.

mod common;

use common::mcp_session::McpSession;
use common::*;
use serde_json::Value;

/// The most lines a backtrace has in any output.
const MAX_LINES: usize = 16;

const RECURSION: &str = "def f(n) = f(n + 1); f(0)";

/// A script whose error has 41 distinct frames: m1 calls m2 ... m40 raises.
fn chain_of_forty() -> String {
    let mut source: String = (1..40).map(|n| format!("def m{n} = m{}\n", n + 1)).collect();
    source.push_str("def m40 = raise 'deep'\nm1\n");
    source
}

/// Asserts `lines` is the collapsed recursion: f, a count of more f, top level.
fn assert_collapsed_recursion(lines: &[&str]) {
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert_eq!(lines[0], "(eval):1:in f");
    let count = lines[1]
        .strip_prefix("… ")
        .and_then(|rest| rest.strip_suffix(" more frames of f"))
        .and_then(|n| n.parse::<usize>().ok());
    assert!(count.is_some_and(|n| n > 100), "{lines:?}");
    assert_eq!(lines[2], "(eval):1");
}

fn strings(backtrace: &Value) -> Vec<&str> {
    backtrace
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect()
}

#[test]
fn deep_recursion_collapses_in_plain_output() {
    let ran = kobako(&["eval", "-e", RECURSION]);
    assert_eq!(ran.code, 1);
    let lines: Vec<&str> = ran.stderr.lines().collect();
    assert_eq!(lines[0], "SystemStackError: SystemStackError");
    let frames: Vec<&str> = lines[1..]
        .iter()
        .map(|l| l.strip_prefix("\tfrom ").or(l.strip_prefix('\t')).unwrap())
        .collect();
    assert_collapsed_recursion(&frames);
}

#[test]
fn deep_recursion_collapses_in_the_json_record() {
    let record = kobako(&["eval", "-e", RECURSION, "--json"]).json();
    assert_collapsed_recursion(&strings(&record["error"]["backtrace"]));
}

#[test]
fn a_long_chain_of_distinct_frames_is_capped_in_plain_and_json() {
    let script = temp_file("chain_of_forty.rb", chain_of_forty().as_bytes());
    let ran = kobako(&["eval", script.to_str().unwrap()]);
    let lines: Vec<&str> = ran.stderr.lines().collect();
    assert_eq!(lines.len(), 1 + MAX_LINES, "{}", ran.stderr);
    assert_eq!(lines[1], "\tfrom (eval):40:in m40");
    assert_eq!(lines[MAX_LINES], "\t… 26 more frames");
    let record = kobako(&["eval", script.to_str().unwrap(), "--json"]).json();
    let backtrace = strings(&record["error"]["backtrace"]);
    assert_eq!(backtrace.len(), MAX_LINES);
    assert_eq!(backtrace[MAX_LINES - 1], "… 26 more frames");
}

#[test]
fn deep_recursion_collapses_in_the_mcp_execute_result() {
    let manifest = temp_file("backtrace_mcp.toml", b"");
    let mut session = McpSession::start(&manifest);
    let result = session.execute(RECURSION);
    assert_collapsed_recursion(&strings(&result["structuredContent"]["error"]["backtrace"]));
    let result = session.execute(&chain_of_forty());
    let backtrace = strings(&result["structuredContent"]["error"]["backtrace"]);
    assert_eq!(backtrace.len(), MAX_LINES, "{backtrace:?}");
}
