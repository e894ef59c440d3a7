//! `kobako mcp` spoken to in raw JSON-RPC over its stdin and stdout: the
//! handshake, the tools, scripts that use KV and HTTP, and bad input that
//! must get an answer while the server keeps serving.

mod common;

use common::mcp_session::McpSession;
use common::{http_server, temp_file};
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
fn malformed_json_rpc_is_answered_or_ignored_and_the_server_keeps_serving() {
    let (mut session, _) = session("mcp_malformed");
    // Not JSON at all: there is no id to answer, so it is dropped.
    session.send_line("{this is not json");
    session.send_line("\u{0}\u{1}garbage");
    // JSON that is not a JSON-RPC message: an Invalid Request error.
    session.send_line(r#"{"hello": "world"}"#);
    let reply = session.next_message();
    assert_eq!(reply["error"]["code"], json!(-32600), "{reply}");
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
