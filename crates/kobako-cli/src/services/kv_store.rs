//! `KV::Store`: a persistent key-value store bound with `--kv PATH` or a
//! manifest's `[services.kv]`, kept in a redb file or on a Redis server.
//! Keys are Strings (or Symbols, by name); values are any wire value, stored
//! in the wire format so they read back exactly.

use std::time::{Duration, Instant};

use kobako::{Call, Fault, Service, Value};

use super::deadline_after;
use super::kv_quota::KvLimits;
use super::kv_redb::RedbStore;
use super::kv_redis::RedisStore;
use crate::manifest::{KvConfig, KvLocation};
use crate::service_doc::{ArgDoc, MethodDoc, ServiceDoc};

/// A failure inside the store, reported to the guest without host details.
pub(crate) fn store_fault<E>(_: E) -> Fault {
    Fault::runtime("KV::Store: the store could not be read or written")
}

/// Where a store keeps its entries, each a key and its value's wire bytes.
/// No call waits past `deadline` (`None`: no deadline).
pub(crate) trait KvBackend: Send + Sync {
    /// The bytes stored under `key`, if any.
    fn get(&self, key: &str, deadline: Option<Instant>) -> Result<Option<Vec<u8>>, Fault>;

    /// Stores `bytes` under `key` if `limits` admit it, checked against the
    /// totals in the same atomic change that writes it.
    fn set(&self, key: &str, bytes: &[u8], limits: &KvLimits, deadline: Option<Instant>)
    -> Result<(), Fault>;

    /// Removes `key`; the bytes it held, if any.
    fn delete(&self, key: &str, deadline: Option<Instant>) -> Result<Option<Vec<u8>>, Fault>;

    /// Every key, in no particular order.
    fn keys(&self, deadline: Option<Instant>) -> Result<Vec<String>, Fault>;

    /// The bytes the store holds (keys plus encoded values) by its running
    /// total; `None` when it cannot be read by `deadline`.
    fn stored_bytes(&self, deadline: Instant) -> Option<u64>;
}

/// The `KV::Store` service: its backend, its caps, and how long a call may
/// wait for the backend.
pub(crate) struct KvStore {
    backend: Box<dyn KvBackend>,
    limits: KvLimits,
    run_timeout: Option<Duration>,
}

impl KvStore {
    /// Opens the store `config` names; no call waits on it (another
    /// process's write, a slow server) longer than `run_timeout`. The error
    /// says why the store cannot be used.
    pub(crate) fn open(config: &KvConfig, run_timeout: Option<Duration>) -> Result<Self, String> {
        let backend: Box<dyn KvBackend> = match &config.location {
            KvLocation::File(path) => Box::new(RedbStore::open(path)?),
            KvLocation::Redis { url, prefix } => Box::new(RedisStore::open(url, prefix)?),
        };
        Ok(KvStore {
            backend,
            limits: config.limits,
            run_timeout,
        })
    }

    /// The bytes the store holds, for the metrics; `None` when the backend
    /// does not answer within a second.
    pub(crate) fn stored_bytes(&self) -> Option<u64> {
        self.backend.stored_bytes(Instant::now() + Duration::from_secs(1))
    }

    fn deadline(&self) -> Option<Instant> {
        deadline_after(self.run_timeout)
    }

    fn get(&self, key: &str) -> Result<Value, Fault> {
        match self.backend.get(key, self.deadline())? {
            Some(bytes) => Value::from_wire_bytes(&bytes).map_err(store_fault),
            None => Ok(Value::Nil),
        }
    }

    fn set(&self, key: &str, value: &Value) -> Result<(), Fault> {
        let bytes = value
            .to_wire_bytes()
            .map_err(|_| Fault::argument("KV::Store can only store plain values (no Handles)"))?;
        self.backend.set(key, &bytes, &self.limits, self.deadline())
    }

    fn delete(&self, key: &str) -> Result<Value, Fault> {
        match self.backend.delete(key, self.deadline())? {
            Some(bytes) => Value::from_wire_bytes(&bytes).map_err(store_fault),
            None => Ok(Value::Nil),
        }
    }

    fn keys(&self) -> Result<Value, Fault> {
        let mut keys = self.backend.keys(self.deadline())?;
        keys.sort_unstable();
        Ok(Value::Array(keys.into_iter().map(Value::Str).collect()))
    }
}

fn key(value: &Value) -> Result<&str, Fault> {
    match value {
        Value::Str(s) | Value::Sym(s) => Ok(s),
        other => Err(Fault::argument(format!(
            "KV::Store keys are Strings, not {other}"
        ))),
    }
}

impl Service for KvStore {
    fn call(&self, call: &mut Call<'_>) -> Result<Value, Fault> {
        match (call.method(), call.args()) {
            ("get", [k]) => self.get(key(k)?),
            ("set", [k, value]) => self.set(key(k)?, value).map(|()| value.clone()),
            ("delete", [k]) => self.delete(key(k)?),
            ("keys", []) => self.keys(),
            (method @ ("get" | "set" | "delete" | "keys"), args) => Err(Fault::argument(format!(
                "wrong number of arguments for KV::Store.{method} (given {})",
                args.len()
            ))),
            (method, _) => Err(Fault::undefined(format!(
                "KV::Store has no method {method}; it has get, set, delete and keys"
            ))),
        }
    }
}

/// How `KV::Store` is described to a script's author, with its caps.
pub(crate) fn describe(limits: &KvLimits) -> ServiceDoc {
    const KEY: ArgDoc = ArgDoc {
        name: "key",
        ty: "String",
        keyword: false,
    };
    ServiceDoc {
        path: "KV::Store",
        summary: format!(
            "A persistent key-value store; what one run sets, later runs read. It holds at most \
             {} keys and {} bytes in all; a key is at most {} bytes, a value at most {} bytes \
             encoded. A write past a cap raises Kobako::ServiceError.",
            limits.max_keys, limits.max_total_bytes, limits.max_key_bytes, limits.max_value_bytes
        ),
        methods: vec![
            MethodDoc {
                name: "get",
                args: &[KEY],
                returns: "untyped",
                doc: "The value stored under key, or nil.",
            },
            MethodDoc {
                name: "set",
                args: &[
                    KEY,
                    ArgDoc {
                        name: "value",
                        ty: "untyped",
                        keyword: false,
                    },
                ],
                returns: "untyped",
                doc: "Stores a plain value (nil, true/false, numbers, Strings, Symbols, Arrays, Hashes) and returns it.",
            },
            MethodDoc {
                name: "delete",
                args: &[KEY],
                returns: "untyped",
                doc: "Removes key and returns its old value, or nil.",
            },
            MethodDoc {
                name: "keys",
                args: &[],
                returns: "Array[String]",
                doc: "Every key, in sorted order.",
            },
        ],
    }
}
