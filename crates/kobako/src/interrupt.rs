//! Stopping a running invocation from another thread: a shared flag the
//! engine's epoch callback reads at every tick.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::error::Error;
use crate::execution::Execution;
use crate::sandbox::Sandbox;
use crate::value::Value;

/// A flag that stops the invocations watching it, raised from any thread.
///
/// Raising it is one atomic store, so it is safe from a signal handler or
/// an unblock callback. The guest stops at its next execution point (within
/// one epoch tick) with [`Error::Trap`], whose message says it was
/// interrupted; a flag stays raised, so use a fresh one per invocation.
#[derive(Debug, Clone, Default)]
pub struct Interrupt(Arc<AtomicBool>);

impl Interrupt {
    /// A flag that is not raised.
    pub fn new() -> Self {
        Interrupt::default()
    }

    /// Raises the flag: every invocation watching it stops.
    pub fn interrupt(&self) {
        self.0.store(true, Ordering::Release);
    }

    /// True once [`interrupt`](Self::interrupt) has been called.
    pub fn is_interrupted(&self) -> bool {
        self.0.load(Ordering::Acquire)
    }
}

/// A Sandbox whose invocations watch an [`Interrupt`]; made by
/// [`Sandbox::with_interrupt`].
///
/// ```
/// use kobako::{Error, Interrupt, Sandbox};
///
/// let sandbox = Sandbox::builder().timeout(None).build()?;
/// let interrupt = Interrupt::new();
/// let stopper = interrupt.clone();
/// std::thread::spawn(move || {
///     std::thread::sleep(std::time::Duration::from_millis(50));
///     stopper.interrupt();
/// });
/// let err = sandbox.with_interrupt(&interrupt).eval("loop {}").unwrap_err();
/// assert!(matches!(err, Error::Trap(_)));
/// assert!(err.to_string().contains("interrupted"));
/// # Ok::<(), kobako::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Interruptible<'a> {
    pub(crate) sandbox: &'a Sandbox,
    pub(crate) interrupt: &'a Interrupt,
}

impl Interruptible<'_> {
    /// [`Sandbox::eval`], stopped early when the flag is raised.
    pub fn eval(&self, source: &str) -> Result<Execution, Error> {
        self.eval_bytes(source.as_bytes())
    }

    /// [`Sandbox::eval_bytes`], stopped early when the flag is raised.
    pub fn eval_bytes(&self, source: &[u8]) -> Result<Execution, Error> {
        self.sandbox.eval_source(source, Some(self.interrupt))
    }

    /// [`Sandbox::run`], stopped early when the flag is raised.
    pub fn run(&self, target: &str, args: &[Value], kwargs: &[(String, Value)]) -> Result<Execution, Error> {
        self.sandbox.run_entry(target, args, kwargs, Some(self.interrupt))
    }
}
