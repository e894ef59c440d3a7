//! The error taxonomy: how an invocation can fail, and how setup can.

use std::error::Error as StdError;
use std::fmt;
use std::path::PathBuf;

use crate::output::{Output, Usage};
use crate::value::Value;

type BoxedSource = Box<dyn StdError + Send + Sync + 'static>;

/// Which class of the error taxonomy an [`Error`] belongs to; each kind
/// names one Ruby exception class ([`ruby_class`](ErrorKind::ruby_class)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The engine stopped the guest (a fault, an interrupt, or an abort).
    Trap,
    /// The invocation ran past its `timeout`.
    Timeout,
    /// The guest tried to grow its memory past `memory_limit`.
    MemoryLimit,
    /// The script raised, did not compile, or produced a value that cannot
    /// cross; also the pre-flight refusal of an unusable source.
    Sandbox,
    /// The invocation ran out of Capability Handle ids.
    HandlerExhausted,
    /// Preloaded bytecode was rejected.
    Bytecode,
    /// A Service call failed and the script did not rescue it.
    Service,
    /// The guest module is unusable (invalid, wrong interface, cannot link).
    Setup,
    /// No guest module exists at the given path.
    ModuleNotBuilt,
    /// The host used the API wrongly (for example an option out of range).
    Usage,
}

impl ErrorKind {
    /// The Ruby exception class of this kind, such as
    /// `"Kobako::TimeoutError"`; `"ArgumentError"` for [`Usage`](Self::Usage).
    pub fn ruby_class(self) -> &'static str {
        match self {
            ErrorKind::Trap => "Kobako::TrapError",
            ErrorKind::Timeout => "Kobako::TimeoutError",
            ErrorKind::MemoryLimit => "Kobako::MemoryLimitError",
            ErrorKind::Sandbox => "Kobako::SandboxError",
            ErrorKind::HandlerExhausted => "Kobako::HandlerExhaustedError",
            ErrorKind::Bytecode => "Kobako::BytecodeError",
            ErrorKind::Service => "Kobako::ServiceError",
            ErrorKind::Setup => "Kobako::SetupError",
            ErrorKind::ModuleNotBuilt => "Kobako::ModuleNotBuiltError",
            ErrorKind::Usage => "ArgumentError",
        }
    }
}

/// Everything that can go wrong, from construction to the end of an
/// invocation. Ask [`kind`](Error::kind) or a predicate such as
/// [`is_timeout`](Error::is_timeout); invocation outcomes carry the failed
/// invocation's [`Output`].
pub struct Error(Box<Inner>);

#[derive(Debug)]
struct Inner {
    kind: ErrorKind,
    detail: Detail,
}

#[derive(Debug)]
enum Detail {
    /// Trap, Timeout and MemoryLimit.
    Trap {
        message: String,
        output: Output,
        interrupted: bool,
        source: Option<BoxedSource>,
    },
    /// Sandbox, HandlerExhausted, Bytecode and Service.
    Guest(GuestFailure),
    /// Setup and ModuleNotBuilt.
    Setup {
        message: String,
        source: Option<BoxedSource>,
    },
    ModuleNotBuilt {
        path: PathBuf,
        source: std::io::Error,
    },
    Usage(String),
}

impl Error {
    /// Which class of the taxonomy this error is.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }

    /// The Ruby exception class of this error, such as
    /// `"Kobako::TimeoutError"`.
    pub fn ruby_class(&self) -> &'static str {
        self.0.kind.ruby_class()
    }

    /// True for Trap, Timeout and MemoryLimit.
    pub fn is_trap(&self) -> bool {
        self.is_one_of(&[ErrorKind::Trap, ErrorKind::Timeout, ErrorKind::MemoryLimit])
    }

    /// True when the invocation ran past its `timeout`.
    pub fn is_timeout(&self) -> bool {
        self.kind() == ErrorKind::Timeout
    }

    /// True when the guest tried to grow its memory past `memory_limit`.
    pub fn is_memory_limit(&self) -> bool {
        self.kind() == ErrorKind::MemoryLimit
    }

    /// True for a trap caused by a raised [`Interrupt`](crate::Interrupt).
    pub fn is_interrupted(&self) -> bool {
        matches!(
            self.0.detail,
            Detail::Trap {
                interrupted: true,
                ..
            }
        )
    }

    /// True for Sandbox, HandlerExhausted and Bytecode.
    pub fn is_sandbox_error(&self) -> bool {
        self.is_one_of(&[
            ErrorKind::Sandbox,
            ErrorKind::HandlerExhausted,
            ErrorKind::Bytecode,
        ])
    }

    /// True when a Service call failed and the script did not rescue it.
    pub fn is_service(&self) -> bool {
        self.kind() == ErrorKind::Service
    }

    /// True for Setup and ModuleNotBuilt.
    pub fn is_setup_error(&self) -> bool {
        self.is_one_of(&[ErrorKind::Setup, ErrorKind::ModuleNotBuilt])
    }

    /// True when the kind is one of `family`.
    fn is_one_of(&self, family: &[ErrorKind]) -> bool {
        family.contains(&self.kind())
    }

    /// The failed invocation's captured output and usage; `None` for errors
    /// that are not invocation outcomes (and for pre-flight refusals).
    pub fn output(&self) -> Option<&Output> {
        match &self.0.detail {
            Detail::Trap { output, .. } => Some(output),
            Detail::Guest(failure) => failure.output.as_ref(),
            _ => None,
        }
    }

    /// The failed invocation's wall time and peak memory growth, when it
    /// ran.
    pub fn usage(&self) -> Option<Usage> {
        self.output().map(Output::usage)
    }

    /// The guest-side details of a Sandbox-family or Service error.
    pub fn guest_failure(&self) -> Option<&GuestFailure> {
        match &self.0.detail {
            Detail::Guest(failure) => Some(failure),
            _ => None,
        }
    }

    fn new(kind: ErrorKind, detail: Detail) -> Self {
        Error(Box::new(Inner { kind, detail }))
    }

    /// A trap-family error (`kind` is Trap, Timeout or MemoryLimit).
    pub(crate) fn trap(
        kind: ErrorKind,
        message: String,
        output: Output,
        interrupted: bool,
        source: Option<BoxedSource>,
    ) -> Self {
        Error::new(
            kind,
            Detail::Trap {
                message,
                output,
                interrupted,
                source,
            },
        )
    }

    /// A Sandbox-family or Service error with the guest's details.
    pub(crate) fn guest(kind: ErrorKind, failure: GuestFailure) -> Self {
        Error::new(kind, Detail::Guest(failure))
    }

    /// A refusal before the guest starts: no origin, class or output.
    pub(crate) fn preflight(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error::guest(kind, GuestFailure::preflight(message))
    }

    /// The host used the API wrongly; the message names the rule.
    pub(crate) fn misuse(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Usage, Detail::Usage(message.into()))
    }

    pub(crate) fn setup(message: impl Into<String>, source: Option<BoxedSource>) -> Self {
        Error::new(
            ErrorKind::Setup,
            Detail::Setup {
                message: message.into(),
                source,
            },
        )
    }

    /// The same error with `context` before a trap-family message (which
    /// snippet was being compiled, for example).
    pub(crate) fn in_context(mut self, context: &str) -> Self {
        if let Detail::Trap { message, .. } = &mut self.0.detail {
            *message = format!("{context}: {message}");
        }
        self
    }

    pub(crate) fn module_not_built(path: PathBuf, source: std::io::Error) -> Self {
        Error::new(ErrorKind::ModuleNotBuilt, Detail::ModuleNotBuilt { path, source })
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.0.kind)
            .field("detail", &self.0.detail)
            .finish()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0.detail {
            Detail::Trap { message, .. } => f.write_str(message),
            Detail::Guest(failure) => write!(f, "{failure}"),
            Detail::Setup { message, .. } => write!(f, "sandbox setup failed: {message}"),
            Detail::ModuleNotBuilt { path, source } => {
                write!(f, "guest module not found at {}: {source}", path.display())
            }
            Detail::Usage(message) => f.write_str(message),
        }
    }
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match &self.0.detail {
            Detail::Trap { source, .. } | Detail::Setup { source, .. } => {
                source.as_deref().map(|s| s as &(dyn StdError + 'static))
            }
            Detail::ModuleNotBuilt { source, .. } => Some(source),
            _ => None,
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

    /// A failure the host detected on the guest's behalf, under `klass`.
    pub(crate) fn detected(message: String, klass: &str, output: Output) -> Self {
        GuestFailure {
            message,
            origin: Some(Origin::Sandbox),
            klass: Some(klass.to_owned()),
            backtrace: Some(Vec::new()),
            details: None,
            output: Some(output),
        }
    }

    fn preflight(message: impl Into<String>) -> Self {
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
