//! `kobako serve` driven end to end over HTTP: the MCP handshake and both
//! tools (answering the same records as `kobako mcp`), bearer-token
//! authentication, the concurrency bound, and graceful shutdown on SIGTERM.
//! No timing is asserted: waits are only guards against hanging (120 s).

mod common;

use common::http_mcp::{HttpMcpClient, Served, arg, manifest_and_token};
use common::mcp_session::McpSession;
use common::{kobako, temp_file};
use serde_json::{Value, json};

const TOKEN: &str = "correct horse battery staple";

/// A KV store path in the temporary folder, not yet created.
fn fresh_store(name: &str) -> String {
    let store = temp_file(&format!("{name}.redb"), b"");
    std::fs::remove_file(&store).unwrap();
    store.to_str().unwrap().to_owned()
}

/// A server with `manifest` text and the token file, and a client holding
/// the token, handshake done.
fn serve(name: &str, manifest: &str) -> (Served, HttpMcpClient) {
    let (manifest, token_file) = manifest_and_token(name, manifest, TOKEN);
    let served = Served::start(
        &["--manifest", arg(&manifest), "--token-file", arg(&token_file)],
        &[],
    );
    let mut client = served.client(Some(TOKEN));
    client.initialize();
    (served, client)
}

/// `record` without its `usage`, which differs from run to run.
fn without_usage(mut record: Value) -> Value {
    record.as_object_mut().unwrap().remove("usage");
    record
}

#[test]
fn initialize_list_execute_and_describe_answer_as_stdio_does() {
    let manifest = "[limits]\ntimeout = 30\n";
    let (served, _) = serve("serve_tools", manifest);
    let mut client = served.client(Some(TOKEN));
    let init = client.initialize();
    assert_eq!(init["serverInfo"]["name"], "kobako", "{init}");
    let listed = client.request("tools/list", json!({}));
    let names: Vec<&str> = listed["result"]["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|tool| tool["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["execute", "describe"]);

    let mut stdio = McpSession::start(&temp_file("serve_tools.toml", manifest.as_bytes()));
    for code in ["puts 'hi'; [1, 2].sum", "raise ArgumentError, 'no'"] {
        let over_http = client.execute(code);
        let over_stdio = stdio.execute(code);
        assert_eq!(over_http["isError"], over_stdio["isError"], "{code}");
        assert_eq!(
            without_usage(over_http["structuredContent"].clone()),
            without_usage(over_stdio["structuredContent"].clone()),
            "{code}"
        );
    }
    assert_eq!(
        client.execute("[1, 2].sum")["structuredContent"]["value"],
        json!(3)
    );

    let describe = json!({"name": "describe", "arguments": {}});
    let over_http = client.request("tools/call", describe.clone());
    let over_stdio = stdio.request("tools/call", describe);
    assert_eq!(over_http["result"], over_stdio["result"]);
}

#[test]
fn a_missing_or_wrong_token_gets_401_and_runs_nothing() {
    let store = fresh_store("serve_auth");
    let (served, mut client) = serve("serve_auth", &format!("[services.kv]\npath = {store:?}\n"));
    let write = json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
                       "params": {"name": "execute", "arguments": {"code": "KV::Store.set('intruder', 1)"}}});
    let strangers = [
        served.client(None),
        served.client(Some("wrong token")),
        served.client(Some(&format!("{TOKEN}x"))),
        served.client(Some(&TOKEN[..TOKEN.len() - 1])),
        served.client(None).with_authorization(&format!("Basic {TOKEN}")),
    ];
    for stranger in &strangers {
        let reply = stranger.post(&write);
        assert_eq!(reply.status, 401, "{}", reply.body);
    }
    let read = client.execute("KV::Store.get('intruder')");
    assert_eq!(read["structuredContent"]["value"], Value::Null, "{read}");
    // The same script with the token does write: the refusals above are
    // what kept the key out.
    client.execute("KV::Store.set('intruder', 1)");
    let read = client.execute("KV::Store.get('intruder')");
    assert_eq!(read["structuredContent"]["value"], json!(1), "{read}");
}

#[test]
fn the_token_can_come_from_the_variable_the_manifest_names() {
    let manifest = temp_file("serve_env.toml", b"[serve]\ntoken_env = \"KOBAKO_TEST_TOKEN\"\n");
    let served = Served::start(&["--manifest", arg(&manifest)], &[("KOBAKO_TEST_TOKEN", TOKEN)]);
    assert_eq!(served.client(Some("other")).post(&json!({})).status, 401);
    let mut client = served.client(Some(TOKEN));
    client.initialize();
    assert_eq!(client.execute("6 * 7")["structuredContent"]["value"], json!(42));
}

/// Runs `kobako serve ARGS...` expecting it to refuse to start.
fn refused(args: &[&str]) -> String {
    let mut all = vec!["serve", "--listen", "127.0.0.1:0"];
    all.extend_from_slice(args);
    let ran = kobako(&all);
    assert_eq!(ran.code, 64, "{args:?}: {}", ran.stderr);
    ran.stderr
}

#[test]
fn serving_without_a_usable_token_is_a_usage_error() {
    let empty = temp_file("serve_empty.token", b"\n");
    let stderr = refused(&["--token-file", arg(&empty)]);
    assert!(
        stderr.contains("--token-file") && stderr.contains("empty"),
        "{stderr}"
    );
    let stderr = refused(&["--token-file", "/nonexistent/kobako.token"]);
    assert!(stderr.contains("--token-file"), "{stderr}");
    let manifest = temp_file(
        "serve_no_var.toml",
        b"[serve]\ntoken_env = \"KOBAKO_TEST_UNSET_VARIABLE\"\n",
    );
    let stderr = refused(&["--manifest", arg(&manifest)]);
    assert!(stderr.contains("KOBAKO_TEST_UNSET_VARIABLE"), "{stderr}");
    let stderr = refused(&[]);
    assert!(
        stderr.contains("--token-file") && stderr.contains("--no-auth"),
        "{stderr}"
    );
    let ran = kobako(&["serve", "--no-auth", "--listen", "0.0.0.0:0"]);
    assert_eq!(ran.code, 64, "{}", ran.stderr);
    assert!(ran.stderr.contains("loopback"), "{}", ran.stderr);
}

#[test]
fn no_auth_serves_on_loopback() {
    let served = Served::start(&["--no-auth"], &[]);
    let mut client = served.client(None);
    client.initialize();
    assert_eq!(client.execute("1 + 1")["structuredContent"]["value"], json!(2));
}

#[test]
fn runs_past_the_bound_are_refused_busy_at_once() {
    let (served, _) = serve(
        "serve_busy",
        "[limits]\ntimeout = 60\n\n[mcp]\nmax_concurrent_runs = 1\n",
    );
    let (_run, busy) = served.hold_the_only_slot(TOKEN);
    let message = busy["structuredContent"]["error"]["message"].as_str().unwrap();
    assert!(message.starts_with("busy: 1 runs are in flight"), "{message}");
    assert!(message.contains("mcp.max_concurrent_runs"), "{message}");
}

#[test]
fn sigterm_stops_accepting_lets_the_run_in_flight_answer_and_exits_0() {
    // The loop's 10 s timeout must outlast the steps between the probe and
    // the check that new connections are refused (a few requests).
    let (mut served, _) = serve(
        "serve_sigterm",
        "[limits]\ntimeout = 10\n\n[mcp]\nmax_concurrent_runs = 1\n",
    );
    let (run, _) = served.hold_the_only_slot(TOKEN);
    let pid = served.child.id().to_string();
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    assert!(killed.success());
    served.stderr_line_containing("no longer accepting");
    let address = served.url.trim_start_matches("http://").trim_end_matches("/mcp");
    assert!(
        std::net::TcpStream::connect(address).is_err(),
        "a new connection was accepted after SIGTERM"
    );
    let answer = run.join().unwrap();
    assert_eq!(
        answer["structuredContent"]["error"]["kind"], "timeout",
        "{answer}"
    );
    assert_eq!(served.wait_for_exit(), 0);
}
