//! A raw JSON-RPC session with a `kobako mcp` subprocess: one JSON message
//! per line on its stdin, replies read from its stdout by a reader thread.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use serde_json::{Value, json};

/// How long a test waits for one reply before it fails (not a timing
/// check: only a guard against hanging forever).
const REPLY_GUARD: Duration = Duration::from_secs(120);

/// A running `kobako mcp --manifest ...`.
pub struct McpSession {
    child: Child,
    stdin: ChildStdin,
    replies: Receiver<Value>,
    next_id: u64,
}

impl McpSession {
    /// Starts the server with `manifest` and completes the MCP handshake.
    pub fn start(manifest: &Path) -> McpSession {
        let mut child = Command::new(env!("CARGO_BIN_EXE_kobako"))
            .args(["mcp", "--manifest", manifest.to_str().unwrap()])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("kobako mcp starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (sender, replies) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                let message = serde_json::from_str(&line)
                    .unwrap_or_else(|e| panic!("the server wrote a line that is not JSON ({e}): {line}"));
                if sender.send(message).is_err() {
                    break;
                }
            }
        });
        let mut session = McpSession {
            child,
            stdin,
            replies,
            next_id: 0,
        };
        let init = session.request(
            "initialize",
            json!({
                "protocolVersion": "2025-06-18",
                "capabilities": {},
                "clientInfo": {"name": "kobako-tests", "version": "0"}
            }),
        );
        assert!(init["result"]["serverInfo"]["name"] == "kobako", "{init}");
        session.send_line(&json!({"jsonrpc": "2.0", "method": "notifications/initialized"}).to_string());
        session
    }

    /// Writes one raw line to the server.
    pub fn send_line(&mut self, line: &str) {
        self.send_bytes(line.as_bytes());
        self.send_bytes(b"\n");
    }

    /// Writes raw bytes to the server, newline or not.
    pub fn send_bytes(&mut self, bytes: &[u8]) {
        self.stdin.write_all(bytes).unwrap();
        self.stdin.flush().unwrap();
    }

    /// Sends a request without waiting for its reply; returns its id.
    pub fn send_request(&mut self, method: &str, params: Value) -> u64 {
        self.next_id += 1;
        let id = self.next_id;
        self.send_line(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}).to_string());
        id
    }

    /// Sends `notifications/cancelled` for the request `id`.
    pub fn cancel(&mut self, id: u64) {
        self.send_line(
            &json!({"jsonrpc": "2.0", "method": "notifications/cancelled",
                    "params": {"requestId": id, "reason": "test"}})
            .to_string(),
        );
    }

    /// CPU time (user + system) the server process has used so far, read
    /// from /proc (Linux; USER_HZ is 100 there).
    pub fn cpu_time(&self) -> Duration {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.child.id()))
            .expect("the server is running");
        // Fields after the command name, which is in parentheses; utime and
        // stime are fields 14 and 15 of the whole line.
        let after_name = &stat[stat.rfind(')').unwrap() + 2..];
        let fields: Vec<u64> = after_name
            .split(' ')
            .skip(11)
            .take(2)
            .map(|f| f.parse().unwrap())
            .collect();
        Duration::from_millis((fields[0] + fields[1]) * 10)
    }

    /// The next message the server writes.
    pub fn next_message(&mut self) -> Value {
        self.replies
            .recv_timeout(REPLY_GUARD)
            .expect("the server answered")
    }

    /// The server's resident memory, in KiB (Linux /proc).
    pub fn resident_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .expect("the server is running");
        let line = status
            .lines()
            .find(|l| l.starts_with("VmRSS:"))
            .expect("VmRSS is reported");
        line.split_whitespace().nth(1).unwrap().parse().unwrap()
    }

    /// Sends a request and returns the reply with the same id.
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        loop {
            let message = self.next_message();
            if message["id"] == json!(id) {
                return message;
            }
        }
    }

    /// Calls a tool and returns the whole JSON-RPC reply.
    pub fn call_tool(&mut self, name: &str, arguments: Value) -> Value {
        self.request("tools/call", json!({"name": name, "arguments": arguments}))
    }

    /// Calls `execute` with `code` and returns the tool result.
    pub fn execute(&mut self, code: &str) -> Value {
        let reply = self.call_tool("execute", json!({"code": code}));
        assert!(
            reply["error"].is_null(),
            "execute is never a protocol error: {reply}"
        );
        reply["result"].clone()
    }
}

impl Drop for McpSession {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
