//! What one invocation wrote and used: its captured stdout and stderr, and
//! its wall time and peak memory growth.

use std::borrow::Cow;
use std::time::Duration;

/// Resources one invocation used.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    /// Time from guest start to guest end, including time spent in services.
    pub wall_time: Duration,
    /// Largest growth above the entry state, in bytes: of guest memory, or
    /// of the bytes the interpreter held from its allocator, whichever is
    /// larger (free heap in the image can serve an allocation without
    /// growing memory).
    pub memory_peak: u64,
}

/// The captured stdout and stderr of one invocation and its usage. Failed
/// invocations carry one too (see [`Error::output`](crate::Error::output)).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    pub(crate) stdout: Vec<u8>,
    pub(crate) stderr: Vec<u8>,
    pub(crate) stdout_truncated: bool,
    pub(crate) stderr_truncated: bool,
    pub(crate) usage: Usage,
}

impl Output {
    /// The bytes the guest wrote to stdout, up to `stdout_limit`.
    pub fn stdout(&self) -> &[u8] {
        &self.stdout
    }

    /// The bytes the guest wrote to stderr, up to `stderr_limit`.
    pub fn stderr(&self) -> &[u8] {
        &self.stderr
    }

    /// Stdout as text, with invalid UTF-8 replaced.
    pub fn stdout_lossy(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.stdout)
    }

    /// Stderr as text, with invalid UTF-8 replaced.
    pub fn stderr_lossy(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.stderr)
    }

    /// True when the guest tried to write more than `stdout_limit` bytes.
    pub fn stdout_truncated(&self) -> bool {
        self.stdout_truncated
    }

    /// True when the guest tried to write more than `stderr_limit` bytes.
    pub fn stderr_truncated(&self) -> bool {
        self.stderr_truncated
    }

    /// Wall time and peak memory growth of the invocation.
    pub fn usage(&self) -> Usage {
        self.usage
    }
}
