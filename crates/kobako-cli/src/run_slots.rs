//! The bound on how many scripts the MCP server runs at once: a run takes a
//! slot or is refused at once, so calls past the bound never wait in line.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A fixed number of slots for runs in flight, shared between handlers;
/// clones share the same slots.
#[derive(Debug, Clone)]
pub(crate) struct RunSlots {
    taken: Arc<AtomicUsize>,
    capacity: usize,
}

/// One taken slot; dropping it gives the slot back.
#[derive(Debug)]
pub(crate) struct RunSlot {
    taken: Arc<AtomicUsize>,
}

impl RunSlots {
    /// `capacity` free slots.
    pub(crate) fn new(capacity: usize) -> RunSlots {
        RunSlots {
            taken: Arc::new(AtomicUsize::new(0)),
            capacity,
        }
    }

    /// How many runs may be in flight at once.
    pub(crate) fn capacity(&self) -> usize {
        self.capacity
    }

    /// A free slot, or `None` when all are taken.
    pub(crate) fn try_take(&self) -> Option<RunSlot> {
        self.taken
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |taken| {
                (taken < self.capacity).then_some(taken + 1)
            })
            .ok()
            .map(|_| RunSlot {
                taken: Arc::clone(&self.taken),
            })
    }
}

impl Drop for RunSlot {
    fn drop(&mut self) {
        self.taken.fetch_sub(1, Ordering::AcqRel);
    }
}

/// The default bound: two runs per core the process may use.
pub(crate) fn default_capacity() -> usize {
    std::thread::available_parallelism().map_or(2, |cores| cores.get() * 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_run_out_and_come_back() {
        let slots = RunSlots::new(2);
        let first = slots.try_take();
        let second = slots.try_take();
        assert!(first.is_some() && second.is_some());
        assert!(slots.try_take().is_none());
        drop(first);
        assert!(slots.try_take().is_some());
    }
}
