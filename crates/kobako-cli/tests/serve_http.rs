//! `kobako serve` driven end to end over HTTP: the MCP handshake and both
//! tools (answering the same records as `kobako mcp`), bearer-token
//! authentication, the concurrency bound, graceful shutdown on SIGTERM, and
//! bad input (oversized, malformed or slow requests, unknown sessions, a
//! client leaving mid-run). The only timing asserted is "within a bound
//! plus generous slack"; other waits are guards against hanging (120 s).

mod common;

use std::io::Write;
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::http_mcp::{
    GUARD, HttpMcpClient, Reply, Served, arg, exchange, manifest_and_token, raw_head, raw_request,
};
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
    served.terminate();
    served.stderr_line_containing("no longer accepting");
    assert!(
        TcpStream::connect(served.address()).is_err(),
        "a new connection was accepted after SIGTERM"
    );
    let answer = run.join().unwrap();
    assert_eq!(
        answer["structuredContent"]["error"]["kind"], "timeout",
        "{answer}"
    );
    assert_eq!(served.wait_for_exit(), 0);
}

/// The headers of a POST to `/mcp` from a client holding the token.
const MCP_HEADERS: [(&str, &str); 4] = [
    ("Authorization", "Bearer correct horse battery staple"),
    ("Content-Type", "application/json"),
    ("Accept", "application/json, text/event-stream"),
    ("MCP-Protocol-Version", "2025-06-18"),
];

/// A `tools/call` of `execute` with `code`, as a request body.
fn execute_body(code: &str) -> Vec<u8> {
    let call = json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
                      "params": {"name": "execute", "arguments": {"code": code}}});
    call.to_string().into_bytes()
}

/// The value the KV store holds under `key`, read through `client`.
fn stored(client: &mut HttpMcpClient, key: &str) -> Value {
    let read = client.execute(&format!("KV::Store.get('{key}')"));
    read["structuredContent"]["value"].clone()
}

#[test]
fn a_body_over_the_cap_gets_413_without_being_waited_for_and_the_server_keeps_serving() {
    let store = fresh_store("serve_big");
    let (served, mut client) = serve("serve_big", &format!("[services.kv]\npath = {store:?}\n"));
    // Declared too long and never sent: refused from the header alone (a
    // server waiting for the body would answer 408 after 30 s instead).
    let mut declared = MCP_HEADERS.to_vec();
    declared.push(("Content-Length", "16777217"));
    let reply = exchange(served.address(), &raw_head("POST", "/mcp", &declared));
    assert_eq!(reply.status, 413, "{}", reply.body);
    assert!(reply.body.contains("16777216 bytes"), "{}", reply.body);
    // Sent in chunks, with no length declared: refused once the cap is passed.
    let mut body = execute_body("KV::Store.set('big', 1) # ");
    body.splice(body.len() - 4..body.len() - 4, vec![b'x'; 16 * 1024 * 1024]);
    let mut chunked = MCP_HEADERS.to_vec();
    chunked.push(("Transfer-Encoding", "chunked"));
    let mut chunked = raw_head("POST", "/mcp", &chunked);
    chunked.extend_from_slice(format!("{:x}\r\n", body.len()).as_bytes());
    chunked.extend_from_slice(&body);
    chunked.extend_from_slice(b"\r\n0\r\n\r\n");
    let reply = exchange(served.address(), &chunked);
    assert_eq!(reply.status, 413, "{}", reply.body);
    assert_eq!(stored(&mut client, "big"), Value::Null);
    served.stop_without_a_panic();
}

#[test]
fn malformed_requests_get_a_json_rpc_error_or_an_http_status_and_run_nothing() {
    let store = fresh_store("serve_malformed");
    let (served, mut client) = serve("serve_malformed", &format!("[services.kv]\npath = {store:?}\n"));
    let write = "KV::Store.set('intruder', 1)";
    let well_formed = execute_body(write);
    let truncated = &well_formed[..well_formed.len() - 2];
    let batch = format!("[{}]", String::from_utf8_lossy(&well_formed));
    let not_json_rpc = json!({"method": "tools/call", "code": write}).to_string();
    let call = |arguments: Value| {
        json!({"jsonrpc": "2.0", "id": 7, "method": "tools/call",
               "params": {"name": "execute", "arguments": arguments}})
        .to_string()
    };
    let no_code = call(json!({"source": write}));
    let code_not_a_string = call(json!({"code": [write]}));
    let plain_text = [MCP_HEADERS[0], ("Content-Type", "text/plain"), MCP_HEADERS[2]];
    // (request, HTTP status, JSON-RPC error code if the answer is one)
    let cases: [(Vec<u8>, u16, Option<i64>); 9] = [
        (
            raw_request("POST", "/mcp", &MCP_HEADERS, truncated),
            400,
            Some(-32700),
        ),
        (
            raw_request("POST", "/mcp", &MCP_HEADERS, not_json_rpc.as_bytes()),
            400,
            Some(-32600),
        ),
        (
            raw_request("POST", "/mcp", &MCP_HEADERS, batch.as_bytes()),
            400,
            Some(-32600),
        ),
        (
            raw_request("POST", "/mcp", &MCP_HEADERS, no_code.as_bytes()),
            200,
            Some(-32602),
        ),
        (
            raw_request("POST", "/mcp", &MCP_HEADERS, code_not_a_string.as_bytes()),
            200,
            Some(-32602),
        ),
        (raw_request("POST", "/mcp", &plain_text, &well_formed), 415, None),
        (raw_request("GET", "/mcp", &MCP_HEADERS, b""), 405, None),
        (raw_request("DELETE", "/mcp", &MCP_HEADERS, b""), 405, None),
        (raw_request("POST", "/run", &MCP_HEADERS, &well_formed), 404, None),
    ];
    for (request, status, code) in cases {
        let reply = exchange(served.address(), &request);
        let shown = String::from_utf8_lossy(&request[..request.len().min(120)]).into_owned();
        assert_eq!(reply.status, status, "{shown}: {}", reply.body);
        if let Some(code) = code {
            assert_eq!(
                reply.json()["error"]["code"],
                json!(code),
                "{shown}: {}",
                reply.body
            );
        }
    }
    assert_eq!(stored(&mut client, "intruder"), Value::Null);
    // The same script well formed does write: the refusals kept the key out.
    let reply = exchange(
        served.address(),
        &raw_request("POST", "/mcp", &MCP_HEADERS, &well_formed),
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(stored(&mut client, "intruder"), json!(1));
    served.stop_without_a_panic();
}

#[test]
fn a_session_id_the_server_never_issued_is_ignored_by_the_stateless_server() {
    // Stateless: no session is issued or looked up, so an unknown
    // `Mcp-Session-Id` changes nothing; a POST is answered as without it,
    // and GET and DELETE (session streams and ends) are 405 either way.
    let (served, _) = serve("serve_session", "");
    let mut headers = MCP_HEADERS.to_vec();
    headers.push(("Mcp-Session-Id", "never-issued"));
    let reply = exchange(
        served.address(),
        &raw_request("POST", "/mcp", &headers, &execute_body("6 * 7")),
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.json()["result"]["structuredContent"]["value"], json!(42));
    for method in ["GET", "DELETE"] {
        let reply = exchange(served.address(), &raw_request(method, "/mcp", &headers, b""));
        assert_eq!(reply.status, 405, "{method}: {}", reply.body);
    }
    served.stop_without_a_panic();
}

/// The read timeout the slow-client tests give the server, in seconds.
const READ_TIMEOUT_SECS: u64 = 2;

/// Generous slack past a bound, for a loaded machine.
const SLACK: Duration = Duration::from_secs(15);

/// A server with a short read timeout.
fn serve_with_short_read_timeout(name: &str) -> Served {
    let (manifest, token_file) = manifest_and_token(name, "", TOKEN);
    let secs = READ_TIMEOUT_SECS.to_string();
    let args = [
        "--manifest",
        arg(&manifest),
        "--token-file",
        arg(&token_file),
        "--read-timeout",
        &secs,
    ];
    Served::start(&args, &[])
}

/// Sends `head` at once, then `dribble` one byte every 100 ms (until the
/// server closes), while another client runs a script; the slow client's
/// reply, and how long the server took to close its connection.
fn slow_client(served: &Served, head: &[u8], dribble: &[u8]) -> (Reply, Duration) {
    let started = Instant::now();
    let mut stream = TcpStream::connect(served.address()).unwrap();
    stream.write_all(head).unwrap();
    let mut writer = stream.try_clone().unwrap();
    let dribble = dribble.to_vec();
    let dribbling = std::thread::spawn(move || {
        for byte in dribble {
            if writer.write_all(&[byte]).is_err() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    });
    let mut other = served.client(Some(TOKEN));
    assert_eq!(other.execute("1 + 1")["structuredContent"]["value"], json!(2));
    let reply = Reply::read_from(&mut stream);
    let took = started.elapsed();
    dribbling.join().unwrap();
    (reply, took)
}

#[test]
fn headers_sent_slower_than_the_read_timeout_get_the_connection_closed() {
    let served = serve_with_short_read_timeout("serve_slow_headers");
    // About 15 s of headers at one byte per 100 ms.
    let request = raw_request("POST", "/mcp", &MCP_HEADERS, &execute_body("1"));
    let (reply, took) = slow_client(&served, b"", &request);
    // hyper closes the connection without an answer.
    assert_eq!(reply.status, 0, "{}", reply.body);
    assert!(took < Duration::from_secs(READ_TIMEOUT_SECS) + SLACK, "{took:?}");
    served.stop_without_a_panic();
}

#[test]
fn a_body_that_stalls_or_dribbles_past_the_read_timeout_gets_408_and_is_closed() {
    let served = serve_with_short_read_timeout("serve_slow_body");
    let mut body = execute_body("1");
    body.extend_from_slice(&[b' '; 200]);
    let request = raw_request("POST", "/mcp", &MCP_HEADERS, &body);
    let headers_end = request.len() - body.len();
    // Stalled: 10 bytes of the body, then nothing.
    let stalled = slow_client(&served, &request[..headers_end + 10], b"");
    // Dribbled: all of it at one byte per 100 ms, about 25 s.
    let dribbled = slow_client(&served, &request[..headers_end], &request[headers_end..]);
    for (reply, took) in [stalled, dribbled] {
        assert_eq!(reply.status, 408, "{}", reply.body);
        assert!(took < Duration::from_secs(READ_TIMEOUT_SECS) + SLACK, "{took:?}");
    }
    served.stop_without_a_panic();
}

#[test]
fn a_client_that_leaves_mid_run_gets_the_run_cancelled_and_its_slot_freed() {
    // The run timeout (60 s) is far past the bound below: a slot freed
    // within it was freed by the cancellation, not by the timeout.
    let (served, mut client) = serve(
        "serve_leave",
        "[limits]\ntimeout = 60\n\n[mcp]\nmax_concurrent_runs = 1\n",
    );
    let request = raw_request("POST", "/mcp", &MCP_HEADERS, &execute_body("loop {}"));
    let deadline = Instant::now() + GUARD;
    let leaving = 'held: loop {
        let mut stream = TcpStream::connect(served.address()).unwrap();
        stream.write_all(&request).unwrap();
        let mut reader = stream.try_clone().unwrap();
        let run = std::thread::spawn(move || Reply::read_from(&mut reader));
        while !run.is_finished() {
            if client.execute("1")["isError"] == json!(true) {
                break 'held (stream, run);
            }
            assert!(Instant::now() < deadline, "the loop never took its slot");
            std::thread::sleep(Duration::from_millis(20));
        }
    };
    let (stream, run) = leaving;
    stream.shutdown(std::net::Shutdown::Both).unwrap();
    run.join().unwrap();
    let freed_by = Instant::now() + SLACK;
    while client.execute("1")["isError"] == json!(true) {
        assert!(Instant::now() < freed_by, "the slot was not freed");
        std::thread::sleep(Duration::from_millis(50));
    }
    served.stop_without_a_panic();
}
