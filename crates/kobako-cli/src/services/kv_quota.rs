//! The caps on what `KV::Store` holds (key length, value size, key count,
//! total bytes) and the check each write passes. A refusal names the cap,
//! the figure that broke it and the manifest key that raises it.

use kobako::Fault;

/// Default longest key, in bytes of UTF-8.
pub(crate) const DEFAULT_MAX_KEY_BYTES: u64 = 1024;
/// Default largest value, in bytes of its wire encoding.
pub(crate) const DEFAULT_MAX_VALUE_BYTES: u64 = 1024 * 1024;
/// Default most bytes the store holds, keys and encoded values together.
pub(crate) const DEFAULT_MAX_TOTAL_BYTES: u64 = 64 * 1024 * 1024;
/// Default most keys the store holds.
pub(crate) const DEFAULT_MAX_KEYS: u64 = 10_000;

/// The caps of one store, from `[services.kv]` or the defaults.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct KvLimits {
    pub(crate) max_key_bytes: u64,
    pub(crate) max_value_bytes: u64,
    pub(crate) max_total_bytes: u64,
    pub(crate) max_keys: u64,
}

impl Default for KvLimits {
    fn default() -> Self {
        KvLimits {
            max_key_bytes: DEFAULT_MAX_KEY_BYTES,
            max_value_bytes: DEFAULT_MAX_VALUE_BYTES,
            max_total_bytes: DEFAULT_MAX_TOTAL_BYTES,
            max_keys: DEFAULT_MAX_KEYS,
        }
    }
}

/// What a store holds: how many keys, and their bytes plus their values'.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Usage {
    pub(crate) keys: u64,
    pub(crate) bytes: u64,
}

impl Usage {
    /// The usage once an entry of `bytes` (key plus value) is gone.
    pub(crate) fn without(self, bytes: u64) -> Usage {
        Usage {
            keys: self.keys.saturating_sub(1),
            bytes: self.bytes.saturating_sub(bytes),
        }
    }
}

fn refusal(what: String, key: &str) -> Fault {
    Fault::runtime(format!(
        "KV::Store: {what}; raise services.kv.{key} in the manifest to allow it"
    ))
}

impl KvLimits {
    /// The usage after storing `value_len` encoded bytes under `key`, where
    /// `replaced` is the size (key plus value) of the entry it replaces; an
    /// error when that breaks a cap.
    pub(crate) fn admit(
        &self,
        key: &str,
        value_len: u64,
        usage: Usage,
        replaced: Option<u64>,
    ) -> Result<Usage, Fault> {
        let key_len = key.len() as u64;
        if key_len > self.max_key_bytes {
            let what = format!(
                "the key is {key_len} bytes, more than max_key_bytes ({})",
                self.max_key_bytes
            );
            return Err(refusal(what, "max_key_bytes"));
        }
        if value_len > self.max_value_bytes {
            let what = format!(
                "the value for {key:?} is {value_len} bytes encoded, more than max_value_bytes ({})",
                self.max_value_bytes
            );
            return Err(refusal(what, "max_value_bytes"));
        }
        let kept = match replaced {
            Some(bytes) => usage.without(bytes),
            None if usage.keys >= self.max_keys => {
                let what = format!(
                    "the store holds {} keys, the most max_keys allows; delete one first",
                    usage.keys
                );
                return Err(refusal(what, "max_keys"));
            }
            None => usage,
        };
        let after = Usage {
            keys: kept.keys + 1,
            bytes: kept.bytes.saturating_add(key_len + value_len),
        };
        if after.bytes > self.max_total_bytes {
            let what = format!(
                "storing {key:?} would take the store to {} bytes, more than max_total_bytes ({}); \
                 delete something first",
                after.bytes, self.max_total_bytes
            );
            return Err(refusal(what, "max_total_bytes"));
        }
        Ok(after)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: KvLimits = KvLimits {
        max_key_bytes: 4,
        max_value_bytes: 10,
        max_total_bytes: 30,
        max_keys: 2,
    };

    #[test]
    fn a_write_within_every_cap_updates_the_usage() {
        let first = SMALL.admit("ab", 10, Usage::default(), None).unwrap();
        assert_eq!(first, Usage { keys: 1, bytes: 12 });
        let replaced = SMALL.admit("ab", 3, first, Some(12)).unwrap();
        assert_eq!(replaced, Usage { keys: 1, bytes: 5 });
    }

    #[test]
    fn each_cap_refuses_with_its_manifest_key() {
        let refused = |key: &str, len: u64, usage: Usage, replaced: Option<u64>| {
            SMALL
                .admit(key, len, usage, replaced)
                .unwrap_err()
                .message()
                .to_owned()
        };
        assert!(refused("abcde", 1, Usage::default(), None).contains("services.kv.max_key_bytes"));
        assert!(refused("a", 11, Usage::default(), None).contains("services.kv.max_value_bytes"));
        let full = Usage { keys: 2, bytes: 4 };
        assert!(refused("c", 1, full, None).contains("services.kv.max_keys"));
        assert!(
            SMALL.admit("a", 1, full, Some(2)).is_ok(),
            "replacing adds no key"
        );
        let heavy = Usage { keys: 1, bytes: 25 };
        assert!(refused("b", 10, heavy, None).contains("services.kv.max_total_bytes"));
    }
}
