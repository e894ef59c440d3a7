//! The error taxonomy: how an invocation can fail, and how setup can.

use std::error::Error as StdError;
use std::fmt;
use std::path::PathBuf;

use crate::execution::Output;
use crate::value::Value;

type BoxedSource = Box<dyn StdError + Send + Sync + 'static>;

/// Everything that can go wrong, from construction to the end of an
/// invocation.
///
/// Invocation outcomes (`Trap`, `Timeout`, `MemoryLimit`, `Sandbox`,
/// `HandlerExhausted`, `Bytecode`, `Service`) carry the failed invocation's
/// [`Output`]. Use [`is_trap`](Error::is_trap),
/// [`is_sandbox_error`](Error::is_sandbox_error) and
/// [`is_setup_error`](Error::is_setup_error) to ask about a whole family.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The engine stopped the guest (a fault, an interrupt, or an abort).
    #[error(transparent)]
    Trap(Box<TrapFailure>),
    /// The invocation ran past its `timeout`.
    #[error(transparent)]
    Timeout(Box<TrapFailure>),
    /// The guest tried to grow its memory past `memory_limit`.
    #[error(transparent)]
    MemoryLimit(Box<TrapFailure>),
    /// The script raised, did not compile, or produced a value that cannot
    /// cross; also the pre-flight refusal of an unusable source.
    #[error("{0}")]
    Sandbox(Box<GuestFailure>),
    /// The invocation ran out of Capability Handle ids.
    #[error("{0}")]
    HandlerExhausted(Box<GuestFailure>),
    /// Preloaded bytecode was rejected.
    #[error("{0}")]
    Bytecode(Box<GuestFailure>),
    /// A Service call failed and the script did not rescue it.
    #[error("{0}")]
    Service(Box<GuestFailure>),
    /// The guest module is unusable (invalid, wrong interface, cannot link).
    #[error("sandbox setup failed: {message}")]
    Setup {
        /// What failed.
        message: String,
        /// The underlying engine or I/O error, if any.
        #[source]
        source: Option<BoxedSource>,
    },
    /// No guest module exists at the given path.
    #[error("guest module not found at {}: {source}", path.display())]
    ModuleNotBuilt {
        /// The path that was tried.
        path: PathBuf,
        /// The I/O error from reading it.
        #[source]
        source: std::io::Error,
    },
    /// The host used the API wrongly (for example an option out of range);
    /// the message names the rule that was broken.
    #[error("{message}")]
    Usage {
        /// Which option or argument, which value, and what is expected.
        message: String,
    },
}

impl Error {
    /// True for `Trap`, `Timeout` and `MemoryLimit`.
    pub fn is_trap(&self) -> bool {
        matches!(self, Error::Trap(_) | Error::Timeout(_) | Error::MemoryLimit(_))
    }

    /// True for `Sandbox`, `HandlerExhausted` and `Bytecode`.
    pub fn is_sandbox_error(&self) -> bool {
        matches!(
            self,
            Error::Sandbox(_) | Error::HandlerExhausted(_) | Error::Bytecode(_)
        )
    }

    /// True for `Setup` and `ModuleNotBuilt`.
    pub fn is_setup_error(&self) -> bool {
        matches!(self, Error::Setup { .. } | Error::ModuleNotBuilt { .. })
    }

    /// The failed invocation's captured output and usage; `None` for errors
    /// that are not invocation outcomes (and for pre-flight refusals).
    pub fn output(&self) -> Option<&Output> {
        match self {
            Error::Trap(t) | Error::Timeout(t) | Error::MemoryLimit(t) => Some(&t.output),
            Error::Sandbox(g) | Error::HandlerExhausted(g) | Error::Bytecode(g) | Error::Service(g) => {
                g.output.as_ref()
            }
            _ => None,
        }
    }

    /// The guest-side details of a Sandbox-family or Service error.
    pub fn guest_failure(&self) -> Option<&GuestFailure> {
        match self {
            Error::Sandbox(g) | Error::HandlerExhausted(g) | Error::Bytecode(g) | Error::Service(g) => {
                Some(g)
            }
            _ => None,
        }
    }

    pub(crate) fn usage(message: impl Into<String>) -> Self {
        Error::Usage {
            message: message.into(),
        }
    }

    pub(crate) fn setup(message: impl Into<String>, source: Option<BoxedSource>) -> Self {
        Error::Setup {
            message: message.into(),
            source,
        }
    }
}

/// Where an unrescued guest exception came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Origin {
    /// The script itself (or the sandbox runtime on its behalf).
    Sandbox,
    /// A failed Service call that the script did not rescue.
    Service,
}

impl Origin {
    /// `"sandbox"` or `"service"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Sandbox => "sandbox",
            Origin::Service => "service",
        }
    }
}

/// A failure the guest reported (or the host detected on its behalf): the
/// fields of a Sandbox-family or Service error.
#[derive(Debug, Clone, PartialEq)]
pub struct GuestFailure {
    pub(crate) message: String,
    pub(crate) origin: Option<Origin>,
    pub(crate) klass: Option<String>,
    pub(crate) backtrace: Option<Vec<String>>,
    pub(crate) details: Option<Value>,
    pub(crate) output: Option<Output>,
}

impl GuestFailure {
    /// The exception's message, or the host's description.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Where the exception came from; `None` for pre-flight refusals.
    pub fn origin(&self) -> Option<Origin> {
        self.origin
    }

    /// The guest exception's class name, such as `"RuntimeError"`.
    pub fn klass(&self) -> Option<&str> {
        self.klass.as_deref()
    }

    /// The guest backtrace, innermost frame first.
    pub fn backtrace(&self) -> Option<&[String]> {
        self.backtrace.as_deref()
    }

    /// Extra structured data (for example the failure category of a Service
    /// error).
    pub fn details(&self) -> Option<&Value> {
        self.details.as_ref()
    }

    pub(crate) fn preflight(message: impl Into<String>) -> Self {
        GuestFailure {
            message: message.into(),
            origin: None,
            klass: None,
            backtrace: None,
            details: None,
            output: None,
        }
    }
}

impl fmt::Display for GuestFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.klass {
            Some(klass) => write!(f, "{klass}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// A trap: the engine stopped the guest, which could not rescue it.
#[derive(Debug)]
pub struct TrapFailure {
    pub(crate) message: String,
    pub(crate) output: Output,
    pub(crate) source: Option<BoxedSource>,
}

impl TrapFailure {
    /// What stopped the guest.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for TrapFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl StdError for TrapFailure {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source.as_deref().map(|s| s as &(dyn StdError + 'static))
    }
}
