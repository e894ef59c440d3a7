//! `KV::Store`: a persistent key-value store (redb) bound with `--kv PATH` or
//! a manifest's `[services.kv]`.
//! Keys are Strings (or Symbols, by name); values are any wire value, stored
//! in the wire format so they read back exactly.

use std::path::Path;

use kobako::{Call, Fault, Service, Value};
use redb::{Database, ReadableDatabase, ReadableTable, TableDefinition};

use crate::service_doc::{ArgDoc, MethodDoc, ServiceDoc};

const TABLE: TableDefinition<&str, &[u8]> = TableDefinition::new("kv");

pub(crate) struct KvStore {
    db: Database,
}

/// A failure inside the store, reported to the guest without host details.
fn store_fault<E>(_: E) -> Fault {
    Fault::runtime("KV::Store: the store could not be read or written")
}

impl KvStore {
    pub(crate) fn open(path: &Path) -> Result<Self, String> {
        let db = Database::create(path)
            .map_err(|e| format!("cannot open the KV store at {}: {e}", path.display()))?;
        let tx = db.begin_write().map_err(|e| e.to_string())?;
        tx.open_table(TABLE).map_err(|e| e.to_string())?;
        tx.commit().map_err(|e| e.to_string())?;
        Ok(KvStore { db })
    }

    fn get(&self, key: &str) -> Result<Value, Fault> {
        let tx = self.db.begin_read().map_err(store_fault)?;
        let table = tx.open_table(TABLE).map_err(store_fault)?;
        match table.get(key).map_err(store_fault)? {
            Some(bytes) => Value::from_wire_bytes(bytes.value()).map_err(store_fault),
            None => Ok(Value::Nil),
        }
    }

    fn set(&self, key: &str, value: &Value) -> Result<(), Fault> {
        let bytes = value
            .to_wire_bytes()
            .map_err(|_| Fault::argument("KV::Store can only store plain values (no Handles)"))?;
        let tx = self.db.begin_write().map_err(store_fault)?;
        tx.open_table(TABLE)
            .map_err(store_fault)?
            .insert(key, bytes.as_slice())
            .map_err(store_fault)?;
        tx.commit().map_err(store_fault)
    }

    fn delete(&self, key: &str) -> Result<Value, Fault> {
        let old = self.get(key)?;
        let tx = self.db.begin_write().map_err(store_fault)?;
        tx.open_table(TABLE)
            .map_err(store_fault)?
            .remove(key)
            .map_err(store_fault)?;
        tx.commit().map_err(store_fault)?;
        Ok(old)
    }

    fn keys(&self) -> Result<Value, Fault> {
        let tx = self.db.begin_read().map_err(store_fault)?;
        let table = tx.open_table(TABLE).map_err(store_fault)?;
        let mut keys = Vec::new();
        for entry in table.iter().map_err(store_fault)? {
            let (key, _) = entry.map_err(store_fault)?;
            keys.push(Value::Str(key.value().to_owned()));
        }
        Ok(Value::Array(keys))
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

/// How `KV::Store` is described to a script's author.
pub(crate) fn describe() -> ServiceDoc {
    const KEY: ArgDoc = ArgDoc {
        name: "key",
        ty: "String",
        keyword: false,
    };
    ServiceDoc {
        path: "KV::Store",
        summary: "A persistent key-value store; what one run sets, later runs read.".into(),
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
