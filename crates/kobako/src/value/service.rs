//! Services: the host objects a script can call, and what a call carries.

use std::any::Any;
use std::fmt;

use super::Value;

/// A host object the guest can call, bound at a path like `"KV::Store"` with
/// [`SandboxBuilder::service`](crate::SandboxBuilder::service) or returned to
/// the guest as a Capability Handle.
///
/// ```
/// use kobako::{Call, Fault, Sandbox, Service, Value};
///
/// struct Greeter;
/// impl Service for Greeter {
///     fn call(&self, call: &mut Call<'_>) -> Result<Value, Fault> {
///         match (call.method(), call.args()) {
///             ("hello", [Value::Str(name)]) => Ok(format!("hello, {name}").into()),
///             (method, _) => Err(Fault::undefined(format!("no method {method}"))),
///         }
///     }
/// }
///
/// let mut builder = Sandbox::builder();
/// builder.service("Demo::Greeter", Greeter)?;
/// let sandbox = builder.build()?;
/// let run = sandbox.eval(r#"Demo::Greeter.hello("ruby")"#)?;
/// assert_eq!(run.value().as_str(), Some("hello, ruby"));
/// # Ok::<(), kobako::Error>(())
/// ```
pub trait Service: Any + Send + Sync {
    /// Handles one guest call. Panics are caught and become a `runtime`
    /// fault.
    fn call(&self, call: &mut Call<'_>) -> Result<Value, Fault>;

    /// Narrows the methods the guest may call; a `false` refuses the call
    /// (category `undefined`) without calling [`call`](Service::call).
    fn allows(&self, method: &str) -> bool {
        let _ = method;
        true
    }
}

/// One guest call: the method name, positional and keyword arguments, and
/// the block if the guest passed one.
pub struct Call<'a> {
    pub(crate) method: &'a str,
    pub(crate) args: Vec<Value>,
    pub(crate) kwargs: Vec<(String, Value)>,
    pub(crate) block: Option<Block<'a>>,
}

impl<'a> Call<'a> {
    /// The method name the guest called.
    pub fn method(&self) -> &str {
        self.method
    }

    /// The positional arguments.
    pub fn args(&self) -> &[Value] {
        &self.args
    }

    /// Takes the positional arguments out of the call.
    pub fn take_args(&mut self) -> Vec<Value> {
        std::mem::take(&mut self.args)
    }

    /// The keyword arguments, by name, in the order the guest wrote them.
    pub fn kwargs(&self) -> &[(String, Value)] {
        &self.kwargs
    }

    /// One keyword argument by name.
    pub fn kwarg(&self, name: &str) -> Option<&Value> {
        self.kwargs.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }

    /// The guest's block, if it passed one.
    pub fn block(&mut self) -> Option<&mut Block<'a>> {
        self.block.as_mut()
    }
}

/// The category of a failed service call, as the guest sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FaultCategory {
    /// The service failed while running.
    Runtime,
    /// The arguments did not fit the method.
    Argument,
    /// The target or method does not exist or is refused.
    Undefined,
}

impl FaultCategory {
    /// `"runtime"`, `"argument"` or `"undefined"`.
    pub fn as_str(self) -> &'static str {
        match self {
            FaultCategory::Runtime => "runtime",
            FaultCategory::Argument => "argument",
            FaultCategory::Undefined => "undefined",
        }
    }
}

/// A failed service call. The guest receives it as a `Kobako::ServiceError`
/// carrying only the category and this message, never a host backtrace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    category: FaultCategory,
    message: String,
}

impl Fault {
    /// A failure while running.
    pub fn runtime(message: impl Into<String>) -> Self {
        Fault {
            category: FaultCategory::Runtime,
            message: message.into(),
        }
    }

    /// Arguments that do not fit the method.
    pub fn argument(message: impl Into<String>) -> Self {
        Fault {
            category: FaultCategory::Argument,
            message: message.into(),
        }
    }

    /// A method or target that does not exist or is refused.
    pub fn undefined(message: impl Into<String>) -> Self {
        Fault {
            category: FaultCategory::Undefined,
            message: message.into(),
        }
    }

    /// The category.
    pub fn category(&self) -> FaultCategory {
        self.category
    }

    /// The message the guest sees.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message, self.category.as_str())
    }
}

impl std::error::Error for Fault {}

/// Why calling the guest's block did not produce a value.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum BlockError {
    /// The block ran `break`: return at once; the guest call evaluates to
    /// the break value and whatever the service returns is discarded.
    Break,
    /// The block raised an exception it did not rescue.
    Raised {
        /// The guest exception's class name.
        class: String,
        /// Its message.
        message: String,
    },
    /// The arguments cannot cross (an object, too deep, too large).
    Unsendable(String),
    /// The block already ran `break` in this call.
    Spent,
    /// The guest was stopped (timeout, memory limit, trap) while the block
    /// ran; return at once, the invocation is over.
    Aborted,
}

impl fmt::Display for BlockError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BlockError::Break => f.write_str("the block ran break"),
            BlockError::Raised { class, message } => write!(f, "{class}: {message}"),
            BlockError::Unsendable(why) => write!(f, "block arguments cannot cross: {why}"),
            BlockError::Spent => f.write_str("LocalJumpError: the block already ran break"),
            BlockError::Aborted => f.write_str("the guest was stopped while the block ran"),
        }
    }
}

impl std::error::Error for BlockError {}

impl From<BlockError> for Fault {
    fn from(e: BlockError) -> Self {
        match e {
            BlockError::Unsendable(_) => Fault::argument(e.to_string()),
            _ => Fault::runtime(e.to_string()),
        }
    }
}

/// The guest block passed to a service call. It is valid only during that
/// call; each [`call`](Block::call) is a synchronous round trip into the
/// guest.
pub struct Block<'a> {
    pub(crate) channel: &'a mut dyn BlockChannel,
}

impl Block<'_> {
    /// Runs the block with `args` and returns its value (the value of
    /// `next`, or of its last expression).
    pub fn call(&mut self, args: Vec<Value>) -> Result<Value, BlockError> {
        self.channel.call_block(args)
    }
}

/// How a [`Block`] reaches the guest; implemented by the dispatcher.
pub(crate) trait BlockChannel {
    fn call_block(&mut self, args: Vec<Value>) -> Result<Value, BlockError>;
}
