//! A `kobako serve` subprocess and a minimal MCP client for it: JSON-RPC
//! messages POSTed to its `/mcp` endpoint with ureq, one JSON reply each.
//! Requests no client library sends are written by hand ([`raw_request`]).

use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

use serde_json::{Value, json};

/// How long a test waits for start-up or one reply before it fails (not a
/// timing check: only a guard against hanging forever).
pub const GUARD: Duration = Duration::from_secs(120);

/// A running `kobako serve`, with its stderr lines collected by a thread.
pub struct Served {
    pub child: Child,
    /// The endpoint, from the start-up line `serving MCP on URL`.
    pub url: String,
    /// The stderr lines before that one (such as `serving metrics on URL`).
    pub startup: Vec<String>,
    stderr: Receiver<String>,
}

/// The first `http://` URL in a log line, plain or JSON.
pub fn url_in(line: &str) -> String {
    let start = line
        .find("http://")
        .unwrap_or_else(|| panic!("no URL in {line:?}"));
    let url = &line[start..];
    let end = url
        .find(|c: char| c.is_whitespace() || c == '"')
        .unwrap_or(url.len());
    url[..end].to_owned()
}

impl Served {
    /// Starts `kobako serve --listen 127.0.0.1:0 ARGS...` and waits for the
    /// line that names the bound address.
    pub fn start(args: &[&str], envs: &[(&str, &str)]) -> Served {
        let mut child = Command::new(env!("CARGO_BIN_EXE_kobako"))
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(args)
            .envs(envs.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("kobako serve starts");
        let (sender, stderr) = channel();
        let lines = BufReader::new(child.stderr.take().unwrap()).lines();
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        let mut served = Served {
            child,
            url: String::new(),
            startup: Vec::new(),
            stderr,
        };
        loop {
            let line = served.stderr_line_containing("");
            if line.contains("serving MCP on ") {
                served.url = url_in(&line);
                return served;
            }
            served.startup.push(line);
        }
    }

    /// The `IP:PORT` the server listens on.
    pub fn address(&self) -> &str {
        self.url.trim_start_matches("http://").trim_end_matches("/mcp")
    }

    /// Sends the server SIGTERM.
    pub fn terminate(&self) {
        let pid = self.child.id().to_string();
        let killed = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        assert!(killed.success());
    }

    /// Stops the server with SIGTERM; asserts it exits 0 and never logged
    /// a panic.
    pub fn stop_without_a_panic(mut self) {
        self.terminate();
        let lines = self.stderr_to_the_end();
        assert!(
            lines.iter().all(|line| !line.contains("panicked")),
            "kobako panicked: {lines:?}"
        );
        assert_eq!(self.wait_for_exit(), 0);
    }

    /// The next stderr line that contains `text`.
    pub fn stderr_line_containing(&mut self, text: &str) -> String {
        loop {
            let line = self
                .stderr
                .recv_timeout(GUARD)
                .unwrap_or_else(|_| panic!("kobako serve never printed {text:?}"));
            assert!(!line.contains("panicked"), "kobako panicked: {line}");
            if line.contains(text) {
                return line;
            }
        }
    }

    /// A client of this server sending `token` (none when `None`).
    pub fn client(&self, token: Option<&str>) -> HttpMcpClient {
        HttpMcpClient::new(&self.url, token)
    }

    /// Starts `loop {}` on a thread (its reply is the thread's result) and
    /// waits until it holds the only run slot: a probe (`1`) is refused
    /// busy, and that refusal is returned. A probe that took the slot first
    /// gets the loop refused, so the loop is started again. Each probe opens
    /// a connection of its own.
    pub fn hold_the_only_slot(&self, token: &str) -> (std::thread::JoinHandle<Value>, Value) {
        let deadline = std::time::Instant::now() + GUARD;
        loop {
            let mut looping = self.client(Some(token));
            let run = std::thread::spawn(move || looping.execute("loop {}"));
            while !run.is_finished() {
                let result = self.client(Some(token)).execute("1");
                if result["isError"] == json!(true) {
                    return (run, result);
                }
                assert!(
                    std::time::Instant::now() < deadline,
                    "the loop never took its slot"
                );
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    }

    /// Every stderr line not yet read, up to the process's exit.
    pub fn stderr_to_the_end(&mut self) -> Vec<String> {
        let mut lines = Vec::new();
        loop {
            match self.stderr.recv_timeout(GUARD) {
                Ok(line) => lines.push(line),
                Err(RecvTimeoutError::Disconnected) => return lines,
                Err(RecvTimeoutError::Timeout) => panic!("kobako serve never closed its stderr"),
            }
        }
    }

    /// Waits for the process to exit; its exit code.
    pub fn wait_for_exit(&mut self) -> i32 {
        let deadline = std::time::Instant::now() + GUARD;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code().unwrap_or(-1);
            }
            assert!(std::time::Instant::now() < deadline, "kobako serve did not exit");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP reply: its status and its body.
pub struct Reply {
    pub status: u16,
    pub body: String,
}

impl Reply {
    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("the reply is not JSON ({e}): {}", self.body))
    }
}

impl Reply {
    /// The reply read from `stream` up to the server closing it: status 0
    /// when it closed without answering.
    pub fn read_from(stream: &mut TcpStream) -> Reply {
        stream.set_read_timeout(Some(GUARD)).unwrap();
        let mut bytes = Vec::new();
        // A reset after the answer (the server closing on an unread body)
        // still leaves the answer read.
        if let Err(e) = stream.read_to_end(&mut bytes) {
            let timed_out = matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut);
            assert!(!timed_out, "no answer within {GUARD:?}");
        }
        let text = String::from_utf8_lossy(&bytes);
        let Some((head, body)) = text.split_once("\r\n\r\n") else {
            return Reply {
                status: 0,
                body: text.into_owned(),
            };
        };
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|code| code.parse().ok())
            .unwrap_or(0);
        Reply {
            status,
            body: body.to_owned(),
        }
    }
}

/// The head of an HTTP/1.1 request with `headers`, asking the server to
/// close the connection after its answer.
pub fn raw_head(method: &str, path: &str, headers: &[(&str, &str)]) -> Vec<u8> {
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    head.into_bytes()
}

/// A whole HTTP/1.1 request: [`raw_head`] with a `Content-Length`, and `body`.
pub fn raw_request(method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let length = body.len().to_string();
    let mut headers = headers.to_vec();
    headers.push(("Content-Length", &length));
    let mut request = raw_head(method, path, &headers);
    request.extend_from_slice(body);
    request
}

/// Sends `request` (a whole HTTP/1.1 message) on a new connection to
/// `address`; the reply.
pub fn exchange(address: &str, request: &[u8]) -> Reply {
    let mut stream = TcpStream::connect(address).unwrap();
    // The server may answer and close before reading all of a refused body.
    let _ = stream.write_all(request);
    Reply::read_from(&mut stream)
}

/// A stateless MCP client: each message is one POST.
pub struct HttpMcpClient {
    agent: ureq::Agent,
    url: String,
    authorization: Option<String>,
    next_id: u64,
}

impl HttpMcpClient {
    fn new(url: &str, token: Option<&str>) -> HttpMcpClient {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(GUARD))
            .build()
            .into();
        HttpMcpClient {
            agent,
            url: url.to_owned(),
            authorization: token.map(|token| format!("Bearer {token}")),
            next_id: 0,
        }
    }

    /// Sends `Authorization: VALUE` instead of the bearer token.
    pub fn with_authorization(mut self, value: &str) -> HttpMcpClient {
        self.authorization = Some(value.to_owned());
        self
    }

    /// POSTs one JSON-RPC message and returns the reply.
    pub fn post(&self, message: &Value) -> Reply {
        let mut request = self
            .agent
            .post(self.url.as_str())
            .header("content-type", "application/json")
            .header("accept", "application/json, text/event-stream")
            .header("mcp-protocol-version", "2025-06-18");
        if let Some(authorization) = &self.authorization {
            request = request.header("authorization", authorization);
        }
        let mut response = request
            .send(message.to_string())
            .unwrap_or_else(|e| panic!("the POST to {} failed: {e}", self.url));
        Reply {
            status: response.status().as_u16(),
            body: response.body_mut().read_to_string().unwrap(),
        }
    }

    /// Sends a request and returns the whole reply.
    pub fn send_request(&mut self, method: &str, params: Value) -> Reply {
        self.next_id += 1;
        self.post(&json!({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params}))
    }

    /// Sends a request that must succeed at the HTTP level; its JSON-RPC reply.
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let reply = self.send_request(method, params);
        assert_eq!(reply.status, 200, "{method}: {}", reply.body);
        reply.json()
    }

    /// The MCP handshake: `initialize`, then `notifications/initialized`;
    /// the `initialize` result.
    pub fn initialize(&mut self) -> Value {
        let init = self.request(
            "initialize",
            json!({
                "protocolVersion": "2025-06-18",
                "capabilities": {},
                "clientInfo": {"name": "kobako-tests", "version": "0"}
            }),
        );
        let reply = self.post(&json!({"jsonrpc": "2.0", "method": "notifications/initialized"}));
        assert_eq!(reply.status, 202, "{}", reply.body);
        init["result"].clone()
    }

    /// Calls `execute` with `code` and returns the tool result.
    pub fn execute(&mut self, code: &str) -> Value {
        let reply = self.request(
            "tools/call",
            json!({"name": "execute", "arguments": {"code": code}}),
        );
        assert!(
            reply["error"].is_null(),
            "execute is never a protocol error: {reply}"
        );
        reply["result"].clone()
    }
}

/// A manifest file named `name` with `text`, and a token file holding
/// `token` and a newline, in the test's temporary folder.
pub fn manifest_and_token(name: &str, text: &str, token: &str) -> (std::path::PathBuf, std::path::PathBuf) {
    let manifest = super::temp_file(&format!("{name}.toml"), text.as_bytes());
    let token_file = super::temp_file(&format!("{name}.token"), format!("{token}\n").as_bytes());
    (manifest, token_file)
}

/// `path` as the &str an argument needs.
pub fn arg(path: &Path) -> &str {
    path.to_str().unwrap()
}
