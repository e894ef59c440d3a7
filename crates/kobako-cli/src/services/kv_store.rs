//! `KV::Store`: a persistent key-value store (redb) bound with `--kv PATH` or
//! a manifest's `[services.kv]`.
//! Keys are Strings (or Symbols, by name); values are any wire value, stored
//! in the wire format so they read back exactly.

use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::{Duration, Instant};

use kobako::{Call, Fault, Service, Value};
use redb::{Database, ReadableDatabase, ReadableTable, Table, TableDefinition, TableError};

use super::deadline_after;
use super::kv_compaction::Compaction;
use super::kv_database::{Opening, begin_write_until, store_fault};
use super::kv_quota::{KvLimits, Usage};
use crate::manifest::KvConfig;
use crate::service_doc::{ArgDoc, MethodDoc, ServiceDoc};

const TABLE: TableDefinition<&str, &[u8]> = TableDefinition::new("kv");
/// The store's running totals, kept beside the data and changed in the same
/// write transaction, so a write never scans the table.
const TOTALS: TableDefinition<&str, u64> = TableDefinition::new("kv_totals");

/// How long binding waits for the store to open, so that a store that
/// cannot be opened is reported before the run; an open still waiting on
/// another process's write after this is waited for by each call instead.
const OPEN_GRACE: Duration = Duration::from_secs(1);

/// The `KV::Store` service: one redb file, its caps, and how long a call may
/// wait for the file.
pub(crate) struct KvStore {
    opening: Arc<Opening>,
    compaction: Compaction,
    /// The totals after this process's last write, if it wrote.
    written: Mutex<Option<Usage>>,
    limits: KvLimits,
    run_timeout: Option<Duration>,
}

/// The totals a write transaction reads and updates: the usage, and the
/// bytes deleted or replaced since the file was last compacted.
#[derive(Clone, Copy)]
struct Totals {
    usage: Usage,
    freed: u64,
}

impl Totals {
    /// The totals as stored, or counted from the table when the file has
    /// none yet (a new store, or one written before totals were kept).
    fn load(totals: &Table<&str, u64>, table: &Table<&str, &[u8]>) -> Result<Totals, redb::StorageError> {
        let stored = |name: &str| -> Result<Option<u64>, redb::StorageError> {
            Ok(totals.get(name)?.map(|v| v.value()))
        };
        if let (Some(keys), Some(bytes)) = (stored("keys")?, stored("bytes")?) {
            let freed = stored("freed")?.unwrap_or(0);
            return Ok(Totals {
                usage: Usage { keys, bytes },
                freed,
            });
        }
        let mut usage = Usage::default();
        for entry in table.iter()? {
            let (key, value) = entry?;
            let bytes = (key.value().len() + value.value().len()) as u64;
            usage.keys += 1;
            usage.bytes = usage.bytes.saturating_add(bytes);
        }
        Ok(Totals { usage, freed: 0 })
    }

    fn store(&self, totals: &mut Table<&str, u64>) -> Result<(), redb::StorageError> {
        totals.insert("keys", self.usage.keys)?;
        totals.insert("bytes", self.usage.bytes)?;
        totals.insert("freed", self.freed)?;
        Ok(())
    }
}

impl KvStore {
    /// Opens (or creates) the store in `config`; no call waits on the file
    /// (another process writing it) longer than `run_timeout`. Other
    /// processes may use the same file at the same time.
    pub(crate) fn open(config: &KvConfig, run_timeout: Option<Duration>) -> Result<Self, String> {
        Ok(KvStore {
            opening: Opening::start(config.path.clone(), OPEN_GRACE)?,
            compaction: Compaction::new(config.path.clone()),
            written: Mutex::new(None),
            limits: config.limits,
            run_timeout,
        })
    }

    /// The bytes the store holds (keys plus encoded values) by its running
    /// total; `None` when the file cannot be read at once or has no total yet
    /// (nothing written).
    pub(crate) fn stored_bytes(&self) -> Option<u64> {
        let db = self.opening.database(Some(Instant::now())).ok()?;
        let db = db.read().unwrap_or_else(PoisonError::into_inner);
        let tx = db.begin_read().ok()?;
        let totals = tx.open_table(TOTALS).ok()?;
        Some(totals.get("bytes").ok()??.value())
    }

    /// Runs `f` on the data table in a read transaction; a store with no
    /// table yet reads as empty (`None`).
    fn read<T>(
        &self,
        f: impl FnOnce(&redb::ReadOnlyTable<&str, &[u8]>) -> Result<T, Fault>,
    ) -> Result<Option<T>, Fault> {
        let db = self.opening.database(deadline_after(self.run_timeout))?;
        let db = db.read().unwrap_or_else(PoisonError::into_inner);
        let tx = db.begin_read().map_err(store_fault)?;
        match tx.open_table(TABLE) {
            Ok(table) => f(&table).map(Some),
            Err(TableError::TableDoesNotExist(_)) => Ok(None),
            Err(e) => Err(store_fault(e)),
        }
    }

    /// Runs `change` on the data table and the totals in one write
    /// transaction and commits it (a `change` that fails writes nothing),
    /// then compacts the file if enough has been freed.
    fn write<T>(
        &self,
        change: impl FnOnce(&mut Table<&str, &[u8]>, &mut Totals) -> Result<T, Fault>,
    ) -> Result<T, Fault> {
        let deadline = deadline_after(self.run_timeout);
        let shared = self.opening.database(deadline)?;
        let (result, totals) = {
            let db = shared.read().unwrap_or_else(PoisonError::into_inner);
            let tx = begin_write_until(&db, deadline)?;
            let result = {
                let mut table = tx.open_table(TABLE).map_err(store_fault)?;
                let mut stored = tx.open_table(TOTALS).map_err(store_fault)?;
                let mut totals = Totals::load(&stored, &table).map_err(store_fault)?;
                let result = change(&mut table, &mut totals)?;
                totals.store(&mut stored).map_err(store_fault)?;
                (result, totals)
            };
            tx.commit().map_err(store_fault)?;
            result
        };
        *self.written.lock().unwrap_or_else(PoisonError::into_inner) = Some(totals.usage);
        if self.compaction.due(totals.usage, totals.freed) && self.compaction.run(&shared) {
            forget_freed(&shared);
        }
        Ok(result)
    }

    fn get(&self, key: &str) -> Result<Value, Fault> {
        let found = self.read(|table| match table.get(key).map_err(store_fault)? {
            Some(bytes) => Value::from_wire_bytes(bytes.value()).map_err(store_fault),
            None => Ok(Value::Nil),
        })?;
        Ok(found.unwrap_or(Value::Nil))
    }

    fn set(&self, key: &str, value: &Value) -> Result<(), Fault> {
        let bytes = value
            .to_wire_bytes()
            .map_err(|_| Fault::argument("KV::Store can only store plain values (no Handles)"))?;
        let limits = self.limits;
        self.write(|table, totals| {
            let replaced = table
                .insert(key, bytes.as_slice())
                .map_err(store_fault)?
                .map(|old| (key.len() + old.value().len()) as u64);
            totals.usage = limits.admit(key, bytes.len() as u64, totals.usage, replaced)?;
            totals.freed = totals.freed.saturating_add(replaced.unwrap_or(0));
            Ok(())
        })
    }

    fn delete(&self, key: &str) -> Result<Value, Fault> {
        self.write(|table, totals| {
            let Some(old) = table.remove(key).map_err(store_fault)? else {
                return Ok(Value::Nil);
            };
            let freed = (key.len() + old.value().len()) as u64;
            totals.usage = totals.usage.without(freed);
            totals.freed = totals.freed.saturating_add(freed);
            Value::from_wire_bytes(old.value()).map_err(store_fault)
        })
    }

    fn keys(&self) -> Result<Value, Fault> {
        let keys = self.read(|table| {
            let mut keys = Vec::new();
            for entry in table.iter().map_err(store_fault)? {
                let (key, _) = entry.map_err(store_fault)?;
                keys.push(Value::Str(key.value().to_owned()));
            }
            Ok(keys)
        })?;
        Ok(Value::Array(keys.unwrap_or_default()))
    }
}

impl Drop for KvStore {
    /// Compacts a file this process wrote if redb left it at over twice its
    /// data (it grows a file by doubling it, and only compacting trims it).
    fn drop(&mut self) {
        let written = self.written.get_mut().unwrap_or_else(PoisonError::into_inner);
        let Some(usage) = *written else {
            return;
        };
        if !self.compaction.outgrown(usage) {
            return;
        }
        if let Ok(db) = self.opening.database(Some(Instant::now()))
            && self.compaction.run(&db)
        {
            forget_freed(&db);
        }
    }
}

/// Sets the bytes freed since the last compaction back to 0, after one.
/// Best effort: if another writer holds the lock, the next write compacts a
/// file with little to give back.
fn forget_freed(db: &RwLock<Database>) {
    let db = db.read().unwrap_or_else(PoisonError::into_inner);
    let Ok(tx) = db.try_begin_write() else {
        return;
    };
    let reset = tx
        .open_table(TOTALS)
        .and_then(|mut totals| totals.insert("freed", 0).map(|_| ()).map_err(Into::into));
    if reset.is_ok() {
        let _ = tx.commit();
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
