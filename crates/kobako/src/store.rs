//! The store of one invocation and its caps: the deadline and interrupt
//! (checked at each epoch tick), the memory budget, the output captures,
//! and the one reason the host stopped the guest, if it did.

use std::sync::Arc;
use std::time::{Duration, Instant};

use wasmtime::{Caller, ResourceLimiter, Store, UpdateDeadline};

use crate::bindings::Bindings;
use crate::engine::SharedEngine;
use crate::error::Error;
use crate::guest_exports::GuestExports;
use crate::guest_memory::GuestMemory;
use crate::handle_table::HandleTable;
use crate::interrupt::Interrupt;
use crate::limits::{Limits, Profile};
use crate::memory_guard::{MemoryGuard, MemoryLimitExceeded};
use crate::output::{Output, Usage};
use crate::output_capture::OutputCapture;
use crate::registry::Registry;
use crate::value::Service;

/// Why the host stopped the guest in the middle of an invocation.
#[derive(Debug)]
pub(crate) enum Stop {
    /// The invocation ran longer than its timeout.
    Timeout(Duration),
    /// The host raised the invocation's [`Interrupt`].
    Interrupted,
    /// The guest tried to grow its memory past the limit.
    MemoryLimit(MemoryLimitExceeded),
    /// No Handle ids are left.
    HandlesExhausted,
    /// The guest sent something the host cannot accept.
    WireViolation(String),
    /// The guest could not reserve memory for a request (not the cap).
    NoRoom(String),
    /// The guest called `proc_exit`.
    Exited(i32),
    /// A snippet's top level called out while the sandbox was being
    /// prepared, so its state cannot be baked.
    CalledOutWhileBaking,
}

impl std::fmt::Display for Stop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Stop::Timeout(timeout) => write!(f, "timeout: the invocation ran longer than {timeout:?}"),
            Stop::Interrupted => f.write_str("interrupted: the host stopped the invocation"),
            Stop::MemoryLimit(exceeded) => write!(f, "{exceeded}"),
            Stop::HandlesExhausted => {
                f.write_str("the invocation ran out of Capability Handle ids (at most 2147483647)")
            }
            Stop::WireViolation(why) => write!(f, "wire violation: {why}"),
            Stop::NoRoom(why) => f.write_str(why),
            Stop::Exited(code) => write!(f, "the guest called proc_exit({code})"),
            Stop::CalledOutWhileBaking => {
                f.write_str("a snippet called a service while the sandbox was prepared")
            }
        }
    }
}

/// The store data of one invocation.
pub(crate) struct StoreState {
    memory: MemoryGuard,
    pub(crate) stdout: OutputCapture,
    pub(crate) stderr: OutputCapture,
    pub(crate) profile: Profile,
    pub(crate) started: Instant,
    pub(crate) registry: Arc<Registry>,
    /// Services bound for this invocation only, looked up before the
    /// registry's.
    pub(crate) bindings: Option<Bindings>,
    pub(crate) handles: HandleTable,
    /// True while the first invocation bakes the snippets: no call may
    /// leave the guest then.
    pub(crate) baking: bool,
    /// The instance's exports, once it is instantiated.
    pub(crate) exports: Option<GuestExports>,
    deadline: Option<(Instant, Duration)>,
    /// The flag that stops this invocation early, when the host gave one.
    interrupt: Option<Interrupt>,
    stop: Option<Stop>,
    /// How far mruby's heap grew above its size at the start, in bytes.
    heap_growth: u64,
}

/// What a finished store leaves for classifying the invocation.
pub(crate) struct StoreEnd {
    pub(crate) output: Output,
    pub(crate) handles: HandleTable,
    pub(crate) stop: Option<Stop>,
}

impl StoreState {
    /// The service at `path`: this invocation's binding, else the Sandbox's.
    pub(crate) fn service_at(&self, path: &str) -> Option<&Arc<dyn Service>> {
        let bound = self.bindings.as_ref().and_then(|b| b.get(path));
        bound.or_else(|| self.registry.get(path))
    }

    /// Records why the host stops the guest (the first reason stays) and
    /// returns the error that stops it.
    pub(crate) fn stop(&mut self, reason: Stop) -> wasmtime::Error {
        let error = wasmtime::Error::msg(reason.to_string());
        self.stop.get_or_insert(reason);
        error
    }

    /// Why the host stopped the guest, if it did.
    pub(crate) fn stop_reason(&self) -> Option<&Stop> {
        self.stop.as_ref()
    }

    /// Ends instantiation: every later memory growth is charged.
    pub(crate) fn start_charging(&mut self) {
        self.memory.start_charging();
    }

    /// Records the guest's own count of how far its heap grew, which free
    /// heap in the image can hide from the memory's growth.
    pub(crate) fn note_heap_growth(&mut self, bytes: u32) {
        self.heap_growth = u64::from(bytes);
    }

    /// True when the guest wrote nothing to stdout or stderr.
    pub(crate) fn wrote_nothing(&self) -> bool {
        self.stdout.is_untouched() && self.stderr.is_untouched()
    }

    /// The captured output and usage, the Handle table and the stop reason.
    pub(crate) fn end(self, wall_time: Duration) -> StoreEnd {
        let (stdout, stdout_truncated) = self.stdout.finish();
        let (stderr, stderr_truncated) = self.stderr.finish();
        StoreEnd {
            output: Output {
                stdout,
                stderr,
                stdout_truncated,
                stderr_truncated,
                usage: Usage {
                    wall_time,
                    memory_peak: self.memory.peak().max(self.heap_growth),
                },
            },
            handles: self.handles,
            stop: self.stop,
        }
    }
}

impl ResourceLimiter for StoreState {
    fn memory_growing(
        &mut self,
        current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        match self.memory.charge(current, desired, maximum) {
            Ok(charged) => Ok(charged),
            Err(exceeded) => Err(self.stop(Stop::MemoryLimit(exceeded))),
        }
    }

    fn table_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        Ok(MemoryGuard::allows_table(desired))
    }
}

/// A store for one invocation with every cap installed.
pub(crate) fn new_store(
    engine: &SharedEngine,
    limits: &Limits,
    registry: Arc<Registry>,
    interrupt: Option<Interrupt>,
) -> Result<Store<StoreState>, Error> {
    engine.ensure_ticker()?;
    let started = Instant::now();
    let state = StoreState {
        memory: MemoryGuard::new(limits.memory_limit),
        stdout: OutputCapture::new(limits.stdout_limit),
        stderr: OutputCapture::new(limits.stderr_limit),
        profile: limits.profile,
        started,
        registry,
        bindings: None,
        handles: HandleTable::new(limits.first_handle_id),
        baking: false,
        exports: None,
        // A timeout too long for the clock to represent its end never fires
        // (it saturates) instead of overflowing.
        deadline: limits
            .timeout
            .and_then(|t| started.checked_add(t).map(|end| (end, t))),
        interrupt,
        stop: None,
        heap_growth: 0,
    };
    let mut store = Store::new(engine.engine(), state);
    store.limiter(|state| state);
    store.set_epoch_deadline(1);
    store.epoch_deadline_callback(|mut ctx| {
        let state = ctx.data_mut();
        if state.interrupt.as_ref().is_some_and(Interrupt::is_interrupted) {
            return Err(state.stop(Stop::Interrupted));
        }
        match state.deadline {
            Some((at, timeout)) if Instant::now() >= at => Err(state.stop(Stop::Timeout(timeout))),
            _ => Ok(UpdateDeadline::Continue(1)),
        }
    });
    Ok(store)
}

/// The memory of the instance a host import was called from.
pub(crate) fn caller_memory(caller: &mut Caller<'_, StoreState>) -> Option<GuestMemory> {
    match &caller.data().exports {
        Some(exports) => Some(exports.memory),
        None => GuestMemory::of_caller(caller),
    }
}
