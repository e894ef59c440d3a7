//! X-07 (fork): a Sandbox created before `fork` still enforces its timeout
//! in the child, whose process starts without the parent's ticker thread.
#![cfg(unix)]

use std::time::{Duration, Instant};

use kobako::{ErrorKind, Sandbox};

#[test]
fn x07_timeout_is_enforced_in_a_forked_child() {
    let sandbox = Sandbox::builder()
        .timeout(Some(Duration::from_millis(100)))
        .build()
        .unwrap();
    assert!(sandbox.eval("1").is_ok(), "the parent's ticker is running");

    // SAFETY: the child only runs the sandbox and then `_exit`s; it never
    // returns into the test harness.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0, "fork failed");
    if pid == 0 {
        let timed_out = sandbox
            .eval("loop {}")
            .is_err_and(|e| e.kind() == ErrorKind::Timeout);
        // SAFETY: `_exit` ends the child without running the parent's
        // destructors or atexit handlers.
        unsafe { libc::_exit(if timed_out { 0 } else { 1 }) };
    }

    let started = Instant::now();
    let mut status = 0;
    loop {
        // SAFETY: `pid` is our child; `status` is a valid out-pointer.
        let done = unsafe { libc::waitpid(pid, &mut status, libc::WNOHANG) };
        if done == pid {
            break;
        }
        if started.elapsed() > Duration::from_secs(20) {
            // SAFETY: killing our own child process.
            unsafe { libc::kill(pid, libc::SIGKILL) };
            panic!("the forked child never timed out");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "child status {status}"
    );
}
