//! Enforces `memory_limit`: guest memory may grow at most that many bytes
//! above its size when the invocation started.

/// Largest table the guest may grow to; the guest never grows its tables,
/// so this only stops a hostile module from using host memory that way.
const TABLE_ELEMENTS_MAX: usize = 1 << 20;

/// A refused growth; the trap it causes is reported as a MemoryLimit error.
#[derive(Debug)]
pub(crate) struct MemoryLimitExceeded {
    pub(crate) limit: u64,
    pub(crate) requested: u64,
}

impl std::fmt::Display for MemoryLimitExceeded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "memory_limit exceeded: the guest asked to grow its memory by {} bytes above its entry size, the limit is {} bytes",
            self.requested, self.limit
        )
    }
}

/// Charges every growth of guest memory (linear memory and the engine's
/// GC heap for exceptions) after instantiation against one budget.
#[derive(Debug)]
pub(crate) struct MemoryGuard {
    limit: Option<u64>,
    charging: bool,
    growth: u64,
}

impl MemoryGuard {
    pub(crate) fn new(limit: Option<u64>) -> Self {
        MemoryGuard {
            limit,
            charging: false,
            growth: 0,
        }
    }

    /// Ends instantiation: memory created so far (the pre-initialised image)
    /// is the baseline, and every later growth is charged.
    pub(crate) fn start_charging(&mut self) {
        self.charging = true;
    }

    /// Total accepted growth above the baseline; memory never shrinks, so
    /// this is also the peak.
    pub(crate) fn peak(&self) -> u64 {
        self.growth
    }

    /// Charges a growth from `current` to `desired` bytes, or refuses it.
    pub(crate) fn charge(&mut self, current: usize, desired: usize) -> Result<(), MemoryLimitExceeded> {
        if !self.charging {
            return Ok(());
        }
        let requested = self.growth.saturating_add(desired.saturating_sub(current) as u64);
        if let Some(limit) = self.limit
            && requested > limit
        {
            return Err(MemoryLimitExceeded { limit, requested });
        }
        self.growth = requested;
        Ok(())
    }

    /// True when a table may grow to `desired` elements.
    pub(crate) fn allows_table(desired: usize) -> bool {
        desired <= TABLE_ELEMENTS_MAX
    }
}
