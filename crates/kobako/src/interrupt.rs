//! Stopping a running invocation from another thread: a shared flag the
//! store's epoch callback reads at every tick.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// A flag that stops the invocations watching it, raised from any thread.
///
/// Raising it is one atomic store, so it is safe from a signal handler or
/// an unblock callback. The guest stops at its next execution point (within
/// one epoch tick) with a Trap error for which
/// [`Error::is_interrupted`](crate::Error::is_interrupted) holds; a flag
/// stays raised, so use a fresh one per invocation.
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
