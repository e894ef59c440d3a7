//! The caps of an invocation, their defaults, the clock profile, and the one
//! rule every cap follows: a set cap is positive, `None` disables it.

use std::cmp::Ordering;
use std::fmt::Debug;
use std::time::Duration;

/// Default wall-clock budget of one invocation.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// Default memory growth allowed above the guest's entry size (1 MiB).
pub const DEFAULT_MEMORY_LIMIT: u64 = 1 << 20;
/// Default number of stdout (and, separately, stderr) bytes kept (1 MiB).
pub const DEFAULT_OUTPUT_LIMIT: usize = 1 << 20;
/// The largest script source `eval` accepts (16 MiB, the wire's message
/// limit).
pub const MAX_SOURCE_BYTES: usize = crate::wire::MESSAGE_MAX;
/// Default number of instances the engine keeps pooled slots for: the most
/// invocations in flight at once in one process (building a Sandbox takes
/// one more while it runs).
pub const DEFAULT_POOL_SIZE: u32 = 128;

/// What the guest's clocks read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Profile {
    /// Every clock reads the Unix epoch and never advances; runs are
    /// reproducible.
    #[default]
    Hermetic,
    /// Clocks read the host's time.
    Permissive,
}

/// The caps of one invocation, copied from the Sandbox's options.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub(crate) timeout: Option<Duration>,
    pub(crate) memory_limit: Option<u64>,
    pub(crate) stdout_limit: Option<usize>,
    pub(crate) stderr_limit: Option<usize>,
    pub(crate) profile: Profile,
    /// First Capability Handle id (1; tests start near the cap).
    pub(crate) first_handle_id: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            timeout: Some(DEFAULT_TIMEOUT),
            memory_limit: Some(DEFAULT_MEMORY_LIMIT),
            stdout_limit: Some(DEFAULT_OUTPUT_LIMIT),
            stderr_limit: Some(DEFAULT_OUTPUT_LIMIT),
            profile: Profile::Hermetic,
            first_handle_id: 1,
        }
    }
}

impl Limits {
    /// Caps for the one-off instance that checks a guest's interface.
    pub(crate) const INTERFACE_CHECK: Limits = Limits {
        timeout: Some(Duration::from_secs(5)),
        memory_limit: Some(16 << 20),
        stdout_limit: Some(0),
        stderr_limit: Some(0),
        profile: Profile::Hermetic,
        first_handle_id: 1,
    };
}

/// Checks a cap: `None` (disabled) or a value greater than zero, else a
/// message naming the option, the value and what is expected.
pub(crate) fn positive_limit<T: PartialOrd + Default + Debug>(
    name: &str,
    unit: &str,
    value: Option<T>,
) -> Result<Option<T>, String> {
    match value {
        // NaN compares as neither greater nor smaller: it is refused too.
        Some(v) if v.partial_cmp(&T::default()) != Some(Ordering::Greater) => Err(format!(
            "{name} must be a positive {unit} (got {v:?}); pass None to disable it"
        )),
        value => Ok(value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cap_is_positive_or_disabled() {
        assert_eq!(
            positive_limit("memory_limit", "number of bytes", Some(1u64)),
            Ok(Some(1))
        );
        assert_eq!(
            positive_limit::<u64>("memory_limit", "number of bytes", None),
            Ok(None)
        );
        let zero = positive_limit("memory_limit", "number of bytes", Some(0u64)).unwrap_err();
        assert!(zero.contains("memory_limit") && zero.contains("got 0"), "{zero}");
        assert!(positive_limit("timeout", "number of seconds", Some(f64::NAN)).is_err());
        assert!(positive_limit("timeout", "number of seconds", Some(-1.0)).is_err());
        assert!(positive_limit("timeout", "duration", Some(Duration::ZERO)).is_err());
    }
}
