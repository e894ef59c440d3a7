//! Helpers for running the real `kobako` binary in tests.
#![allow(dead_code)] // each test binary uses its own subset

pub mod http_mcp;
pub mod http_server;
pub mod mcp_session;
pub mod redis_server;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// What one run of the binary left behind.
pub struct Ran {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Ran {
    /// Stdout as the one JSON record `--json` prints.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not one JSON object ({e}): {}", self.stdout))
    }
}

/// Runs `kobako ARGS...` with `stdin` as its standard input.
pub fn kobako_with_stdin(args: &[&str], stdin: &[u8]) -> Ran {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kobako"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kobako starts");
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    let output = child.wait_with_output().unwrap();
    let ran = Ran {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    assert!(
        !ran.stderr.contains("panicked"),
        "kobako panicked: {}",
        ran.stderr
    );
    ran
}

/// Runs `kobako ARGS...` with empty stdin.
pub fn kobako(args: &[&str]) -> Ran {
    kobako_with_stdin(args, b"")
}

/// A file with `contents` in this test process's own temporary folder.
pub fn temp_file(name: &str, contents: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kobako-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

/// Runs `kobako eval --manifest MANIFEST ARGS...`.
pub fn eval_with_manifest(manifest: &Path, args: &[&str]) -> Ran {
    let mut all = vec!["eval", "--manifest", manifest.to_str().unwrap()];
    all.extend_from_slice(args);
    kobako(&all)
}

/// Runs `script` under `manifest` with a 1 s run timeout and `--json`,
/// killed after 30 s: `None` when it hung past its deadline that long.
pub fn eval_with_one_second_deadline(manifest: &Path, script: &str) -> Option<Ran> {
    let manifest = manifest.to_str().unwrap();
    let args = [
        "eval",
        "--json",
        "--timeout",
        "1",
        "--manifest",
        manifest,
        "-e",
        script,
    ];
    kobako_within(&args, std::time::Duration::from_secs(30))
}

/// Runs `kobako ARGS...` but kills it after `limit`: `None` when it had to
/// be killed (it hung), else what it left behind.
pub fn kobako_within(args: &[&str], limit: std::time::Duration) -> Option<Ran> {
    let child = Command::new(env!("CARGO_BIN_EXE_kobako"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kobako starts");
    wait_within(child, limit)
}

/// Waits for `child` (its stdout and stderr piped) but kills it after
/// `limit`: `None` when it had to be killed, else what it left behind.
pub fn wait_within(mut child: std::process::Child, limit: std::time::Duration) -> Option<Ran> {
    let started = std::time::Instant::now();
    while child.try_wait().expect("kobako runs").is_none() {
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let output = child.wait_with_output().expect("kobako ends");
    Some(Ran {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    })
}
