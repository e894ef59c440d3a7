//! Enforces `memory_limit`: guest memory may grow at most that many bytes
//! above its size when the invocation started.

/// Largest table the guest may grow to; the guest never grows its tables,
/// so this only stops a hostile module from using host memory that way.
const TABLE_ELEMENTS_MAX: usize = 1 << 20;

/// The most a 32-bit guest memory can hold (4 GiB).
const WASM32_MEMORY_MAX: usize = 1 << 32;

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

    /// Charges a growth from `current` to `desired` bytes: `Ok(false)`
    /// when the memory cannot hold that much anyway (the guest sees an
    /// allocation failure and nothing is charged), an error past the limit.
    pub(crate) fn charge(
        &mut self,
        current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> Result<bool, MemoryLimitExceeded> {
        if desired > maximum.unwrap_or(WASM32_MEMORY_MAX).min(WASM32_MEMORY_MAX) {
            return Ok(false);
        }
        if !self.charging {
            return Ok(true);
        }
        let requested = self.growth.saturating_add(desired.saturating_sub(current) as u64);
        if let Some(limit) = self.limit
            && requested > limit
        {
            return Err(MemoryLimitExceeded { limit, requested });
        }
        self.growth = requested;
        Ok(true)
    }

    /// True when a table may grow to `desired` elements.
    pub(crate) fn allows_table(desired: usize) -> bool {
        desired <= TABLE_ELEMENTS_MAX
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIB: usize = 1 << 20;

    #[test]
    fn growth_past_what_wasm32_addresses_is_refused_uncharged() {
        let mut guard = MemoryGuard::new(None);
        guard.start_charging();
        assert!(guard.charge(MIB, 3 << 30, None).unwrap());
        assert!(!guard.charge(3 << 30, (4 << 30) + 65536, None).unwrap());
        assert!(!guard.charge(3 << 30, 5 << 30, Some(8 << 30)).unwrap());
        assert!(!guard.charge(3 << 30, (3 << 30) + MIB, Some(3 << 30)).unwrap());
        assert_eq!(guard.peak(), ((3 << 30) - MIB) as u64);
    }

    #[test]
    fn growth_past_the_limit_is_an_error_naming_both() {
        let mut guard = MemoryGuard::new(Some(2 * MIB as u64));
        guard.start_charging();
        assert!(guard.charge(MIB, 2 * MIB, None).unwrap());
        let refused = guard.charge(2 * MIB, 4 * MIB, None).unwrap_err();
        assert_eq!(
            (refused.limit, refused.requested),
            (2 * MIB as u64, 3 * MIB as u64)
        );
        assert_eq!(guard.peak(), MIB as u64);
    }
}
