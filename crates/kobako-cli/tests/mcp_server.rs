//! `kobako mcp` spoken to in raw JSON-RPC over its stdin and stdout: the
//! handshake, the tools, scripts that use KV and HTTP, and bad input that
//! must get an answer while the server keeps serving.

mod common;

use common::mcp_session::McpSession;
use common::{http_server, temp_file};
use std::time::Duration;

use serde_json::json;

/// A session whose manifest enables KV (a fresh store), HTTP to the local
/// test server, and small caps.
fn session(name: &str) -> (McpSession, u16) {
    let port = http_server::start();
    let store = temp_file(&format!("{name}.redb"), b"");
    std::fs::remove_file(&store).unwrap();
    let manifest = temp_file(
        &format!("{name}.toml"),
        format!(
            "[limits]\ntimeout = 2\nmemory_limit = 4194304\nstdout_limit = 1000\n\n\
             [services.kv]\npath = {:?}\n\n[services.http]\nallow = [\"127.0.0.1:{port}\"]\n",
            store.to_str().unwrap()
        )
        .as_bytes(),
    );
    (McpSession::start(&manifest), port)
}

/// Asserts the server still runs scripts.
fn assert_still_serving(session: &mut McpSession) {
    let result = session.execute("1 + 1");
    assert_eq!(result["structuredContent"]["value"], json!(2), "{result}");
}

#[test]
fn lists_execute_and_describe_with_the_services_in_the_description() {
    let (mut session, port) = session("mcp_list");
    let reply = session.request("tools/list", json!({}));
    let tools = reply["result"]["tools"].as_array().unwrap();
    let names: Vec<&str> = tools.iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["execute", "describe"]);
    let description = tools[0]["description"].as_str().unwrap();
    assert!(
        description.contains("def KV::Store.get: (String key) -> untyped"),
        "{description}"
    );
    assert!(
        description.contains(&format!("127.0.0.1:{port}")),
        "{description}"
    );
    assert_eq!(tools[0]["inputSchema"]["required"], json!(["code"]));
}

#[test]
fn execute_runs_a_script_with_kv_and_http_and_kv_persists_between_calls() {
    let (mut session, port) = session("mcp_kv_http");
    let first = session.execute(&format!(
        "r = HTTP::Client.get('http://127.0.0.1:{port}/hello')\n\
         KV::Store.set('greeting', r[:body])\nputs 'stored'\nr[:status]"
    ));
    assert_eq!(first["isError"], json!(false), "{first}");
    let record = &first["structuredContent"];
    assert_eq!(record["value"], json!(200));
    assert_eq!(record["stdout"], json!("stored\n"));
    let text: serde_json::Value =
        serde_json::from_str(first["content"][0]["text"].as_str().unwrap()).unwrap();
    assert_eq!(&text, record, "the text content is the same record");
    let second = session.execute("KV::Store.get('greeting')");
    assert_eq!(
        second["structuredContent"]["value"],
        json!("hello from the test server")
    );
}

#[test]
fn each_call_is_a_fresh_invocation() {
    let (mut session, _) = session("mcp_fresh");
    session.execute("$leftover = 1; X = 2");
    let result = session.execute("[$leftover, Object.const_defined?(:X)]");
    assert_eq!(result["structuredContent"]["value"], json!([null, false]));
}

#[test]
fn script_failure_is_a_tool_result_with_the_error_record() {
    let (mut session, _) = session("mcp_failure");
    let result = session.execute("raise ArgumentError, 'boom'");
    assert_eq!(result["isError"], json!(true));
    let error = &result["structuredContent"]["error"];
    assert_eq!(error["class"], "ArgumentError");
    assert_eq!(error["message"], "boom");
    let refused = session.execute("HTTP::Client.get('http://example.com/')");
    assert_eq!(refused["structuredContent"]["error"]["kind"], "service");
}

#[test]
fn endless_loop_times_out_and_the_server_keeps_serving() {
    let (mut session, _) = session("mcp_loop");
    let result = session.execute("loop {}");
    assert_eq!(
        result["structuredContent"]["error"]["kind"], "timeout",
        "{result}"
    );
    assert_still_serving(&mut session);
}

#[test]
fn stdout_flood_is_truncated_and_memory_bomb_hits_the_cap() {
    let (mut session, _) = session("mcp_flood");
    let flood = session.execute("100_000.times { puts 'x' * 100 }; :done");
    let record = &flood["structuredContent"];
    assert_eq!(record["stdout_truncated"], json!(true), "{record}");
    assert_eq!(record["stdout"].as_str().unwrap().len(), 1000);
    let bomb = session.execute("a = []; loop { a << 'y' * 100_000 }");
    assert_eq!(
        bomb["structuredContent"]["error"]["kind"], "memory_limit",
        "{bomb}"
    );
    assert_still_serving(&mut session);
}

#[test]
fn huge_code_is_refused_as_a_result() {
    let (mut session, _) = session("mcp_huge");
    let code = format!("# {}\n1", "x".repeat(2 * 1024 * 1024));
    let result = session.execute(&code);
    assert_eq!(result["isError"], json!(true));
    let message = result["structuredContent"]["error"]["message"].as_str().unwrap();
    assert!(message.contains("the limit is 1048576"), "{message}");
    assert_still_serving(&mut session);
}

#[test]
fn unknown_tool_and_missing_code_are_invalid_params_errors() {
    let (mut session, _) = session("mcp_unknown");
    let unknown = session.call_tool("rm_rf", json!({}));
    assert_eq!(unknown["error"]["code"], json!(-32602), "{unknown}");
    let missing = session.call_tool("execute", json!({"source": "1"}));
    assert_eq!(missing["error"]["code"], json!(-32602), "{missing}");
    assert_still_serving(&mut session);
}

#[test]
fn malformed_json_rpc_is_answered_and_the_server_keeps_serving() {
    let (mut session, _) = session("mcp_malformed");
    // JSON that is not a JSON-RPC message: an Invalid Request error.
    session.send_line(r#"{"hello": "world"}"#);
    let reply = session.next_message();
    assert_eq!(reply["error"]["code"], json!(-32600), "{reply}");
    assert_eq!(reply["id"], json!(null), "{reply}");
    // A request of the wrong shape is answered with its own id.
    session.send_line(r#"{"jsonrpc": "2.0", "id": "bad-params", "method": "tools/call", "params": 7}"#);
    let reply = session.next_message();
    assert_eq!(reply["error"]["code"], json!(-32600), "{reply}");
    assert_eq!(reply["id"], json!("bad-params"), "{reply}");
    // A notification of the wrong shape is never answered: the next reply
    // is the ping's.
    session.send_line(r#"{"jsonrpc": "2.0", "method": "notifications/no-such-thing", "params": 1}"#);
    let ping = session.send_request("ping", json!({}));
    assert_eq!(session.next_message()["id"], json!(ping));
    // An unknown method: Method not found.
    let unknown = session.request("no/such/method", json!({}));
    assert_eq!(unknown["error"]["code"], json!(-32601), "{unknown}");
    assert_still_serving(&mut session);
}

#[test]
fn describe_tool_returns_text_and_json() {
    let (mut session, _) = session("mcp_describe");
    let reply = session.call_tool("describe", json!({}));
    let result = &reply["result"];
    assert!(
        result["content"][0]["text"]
            .as_str()
            .unwrap()
            .contains("KV::Store")
    );
    let paths: Vec<&str> = result["structuredContent"]["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["KV::Store", "HTTP::Client"]);
}

#[test]
fn a_client_that_leaves_before_initializing_ends_the_server_with_exit_0() {
    let ran = common::kobako(&["mcp"]);
    assert_eq!((ran.code, ran.stdout.as_str()), (0, ""), "{}", ran.stderr);
}

#[test]
fn a_request_before_initialize_is_told_the_session_is_not_initialized() {
    let request = json!({"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}});
    let ran = common::kobako_with_stdin(&["mcp"], format!("{request}\n").as_bytes());
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let reply: serde_json::Value = serde_json::from_str(ran.stdout.trim()).unwrap();
    assert_eq!(
        reply,
        json!({"jsonrpc": "2.0", "id": 1, "error": {
            "code": -32600,
            "message": "the session is not initialized: send `initialize`, then \
                        `notifications/initialized`, before `tools/list`"
        }})
    );
}

/// A session with `[limits] timeout = 60` (a run that is not stopped runs
/// far past any test's patience) and `extra` appended to the manifest.
fn long_run_session(name: &str, extra: &str) -> McpSession {
    let manifest = temp_file(
        &format!("{name}.toml"),
        format!("[limits]\ntimeout = 60\n{extra}").as_bytes(),
    );
    McpSession::start(&manifest)
}

/// One `execute` line of `total_bytes` or more, with `id` placed first or
/// last among the keys (clients write either order).
fn oversized_execute(id: serde_json::Value, id_last: bool, total_bytes: usize) -> Vec<u8> {
    let code = "x".repeat(total_bytes);
    let params = json!({"name": "execute", "arguments": {"code": code}});
    let line = if id_last {
        format!(r#"{{"method":"tools/call","params":{params},"jsonrpc":"2.0","id":{id}}}"#)
    } else {
        format!(r#"{{"jsonrpc":"2.0","id":{id},"method":"tools/call","params":{params}}}"#)
    };
    line.into_bytes()
}

#[test]
fn oversized_request_gets_an_error_reply_and_serving_goes_on() {
    let (mut session, _) = session("mcp_oversized");
    for (id, id_last) in [(json!(41), false), (json!("last"), true)] {
        let mut line = oversized_execute(id.clone(), id_last, 17 * 1024 * 1024);
        line.push(b'\n');
        session.send_bytes(&line);
        // The first message after the line is its answer, not a later ping's.
        let ping = session.send_request("ping", json!({}));
        let reply = session.next_message();
        assert_eq!(reply["id"], id, "{reply}");
        assert_eq!(reply["error"]["code"], json!(-32600), "{reply}");
        let message = reply["error"]["message"].as_str().unwrap();
        assert!(message.contains("16777216 bytes"), "{message}");
        assert_eq!(session.next_message()["id"], json!(ping));
    }
    assert_still_serving(&mut session);
}

#[test]
fn oversized_line_without_newline_keeps_memory_bounded() {
    let (mut session, _) = session("mcp_endless");
    // 128 MiB with no newline: the server holds at most the 16 MiB limit
    // of it (40 MiB leaves room for the allocator), and discards the rest.
    let before = session.resident_kib();
    let chunk = vec![b'a'; 1024 * 1024];
    for _ in 0..128 {
        session.send_bytes(&chunk);
    }
    let grown_kib = session.resident_kib().saturating_sub(before);
    assert!(grown_kib < 40 * 1024, "the server grew by {grown_kib} KiB");
    session.send_bytes(b"\n");
    let reply = session.next_message();
    assert_eq!(reply["error"]["code"], json!(-32600), "{reply}");
    assert_eq!(reply["id"], json!(null), "{reply}");
    assert_still_serving(&mut session);
}

#[test]
fn invalid_json_gets_a_parse_error() {
    let (mut session, _) = session("mcp_parse_error");
    for line in [
        "{this is not json",
        "\u{0}\u{1}garbage",
        r#"{"jsonrpc": "2.0", "id": 3"#,
    ] {
        session.send_line(line);
        let reply = session.next_message();
        assert_eq!(reply["jsonrpc"], json!("2.0"), "{line}: {reply}");
        assert_eq!(reply["id"], json!(null), "{line}: {reply}");
        assert_eq!(reply["error"]["code"], json!(-32700), "{line}: {reply}");
    }
    session.send_bytes(b"\xff\xfe not utf-8\n");
    assert_eq!(session.next_message()["error"]["code"], json!(-32700));
    assert_still_serving(&mut session);
}

#[test]
fn cancelled_execute_stops_the_run() {
    let mut session = long_run_session("mcp_cancel", "");
    let before = session.cpu_time();
    let id = session.send_request(
        "tools/call",
        json!({"name": "execute", "arguments": {"code": "loop {}"}}),
    );
    // The run is going once the server has burned CPU for it.
    while session.cpu_time() - before < Duration::from_millis(300) {
        std::thread::sleep(Duration::from_millis(20));
    }
    session.cancel(id);
    let at_cancel = session.cpu_time();
    // Wait (at most 20 s of wall time, a guard) for the server to go quiet:
    // under 20 ms of CPU in a quarter second. A run still looping never
    // does, even on a loaded machine.
    let mut last = at_cancel;
    for _ in 0..80 {
        std::thread::sleep(Duration::from_millis(250));
        let now = session.cpu_time();
        if now - last < Duration::from_millis(20) {
            break;
        }
        last = now;
    }
    // CPU, not wall time: the run stopped within one epoch tick of the
    // cancel; 500 ms leaves room for a slow debug build and the polling.
    let after_cancel = session.cpu_time() - at_cancel;
    assert!(
        after_cancel < Duration::from_millis(500),
        "the server used {after_cancel:?} of CPU after the cancel"
    );
    assert_still_serving(&mut session);
}

#[test]
fn runs_past_the_concurrency_bound_are_refused_busy() {
    let mut session = long_run_session("mcp_busy", "\n[mcp]\nmax_concurrent_runs = 2\n");
    let looping = json!({"name": "execute", "arguments": {"code": "loop {}"}});
    let before = session.cpu_time();
    let runs: Vec<u64> = (0..2)
        .map(|_| session.send_request("tools/call", looping.clone()))
        .collect();
    // Both loops hold their slots once the server has burned CPU on them
    // (nothing else was sent to compete for a slot).
    while session.cpu_time() - before < Duration::from_millis(300) {
        std::thread::sleep(Duration::from_millis(20));
    }
    let busy = session.execute("1 + 1");
    assert_eq!(busy["isError"], json!(true), "{busy}");
    let message = busy["structuredContent"]["error"]["message"].as_str().unwrap();
    assert!(message.contains("2 runs"), "{message}");
    assert!(message.contains("mcp.max_concurrent_runs"), "{message}");
    // 600 more at once are each refused at once, long before the loops'
    // 60 s timeout would free a slot.
    let mut many: std::collections::HashSet<u64> = (0..600)
        .map(|_| session.send_request("tools/call", looping.clone()))
        .collect();
    while !many.is_empty() {
        let reply = session.next_message();
        let id = reply["id"].as_u64().unwrap();
        assert!(many.remove(&id), "a reply to {id} before the refusals: {reply}");
        assert_eq!(reply["result"]["isError"], json!(true), "{reply}");
        let message = reply["result"]["structuredContent"]["error"]["message"]
            .as_str()
            .unwrap();
        assert!(message.contains("mcp.max_concurrent_runs"), "{message}");
    }
    for id in runs {
        session.cancel(id);
    }
    // The slots come back once the cancelled runs stop (polled for at most
    // 20 s, a guard).
    let freed = (0..2000).any(|_| {
        std::thread::sleep(Duration::from_millis(10));
        session.execute("1 + 1")["structuredContent"]["value"] == json!(2)
    });
    assert!(freed, "the cancelled runs give their slots back");
}

#[test]
fn max_concurrent_runs_out_of_range_is_a_usage_error_naming_the_key() {
    for value in ["0", "-1", "1025", "9223372036854775807", "1.5", "'many'"] {
        let manifest = temp_file(
            "mcp_bad_bound.toml",
            format!("[mcp]\nmax_concurrent_runs = {value}\n").as_bytes(),
        );
        let ran = common::kobako(&["mcp", "--manifest", manifest.to_str().unwrap()]);
        assert_eq!(ran.code, 64, "{value}: {}", ran.stderr);
        assert!(
            ran.stderr.contains("max_concurrent_runs"),
            "{value}: {}",
            ran.stderr
        );
    }
    let manifest = temp_file("mcp_good_bound.toml", b"[mcp]\nmax_concurrent_runs = 1024\n");
    let ran = common::kobako(&["mcp", "--manifest", manifest.to_str().unwrap()]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
}

#[test]
fn a_client_that_leaves_stops_the_runs_in_flight() {
    let manifest = temp_file("mcp_leave.toml", b"[limits]\ntimeout = 60\n");
    let lines = [
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": "2025-06-18", "capabilities": {},
            "clientInfo": {"name": "kobako-tests", "version": "0"}}}),
        json!({"jsonrpc": "2.0", "method": "notifications/initialized"}),
        json!({"jsonrpc": "2.0", "id": 2, "method": "tools/call",
               "params": {"name": "execute", "arguments": {"code": "loop {}"}}}),
    ];
    let stdin: String = lines.iter().map(|line| format!("{line}\n")).collect();
    let started = std::time::Instant::now();
    let ran = common::kobako_with_stdin(
        &["mcp", "--manifest", manifest.to_str().unwrap()],
        stdin.as_bytes(),
    );
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    // rmcp gives handlers 5 s to answer after the client leaves, then the
    // run is interrupted; 30 s is far below the run's own 60 s timeout.
    let took = started.elapsed();
    assert!(took < Duration::from_secs(30), "the server took {took:?} to exit");
}
