//! The embedded `KV::Store` backend: one redb file on this machine, which
//! several processes may share. The entries are the table `kv` (key to the
//! value's wire bytes), and the running totals the table `kv_totals`,
//! changed in the same write transaction.

use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::{Duration, Instant};

use kobako::Fault;
use redb::{
    Database, ReadOnlyTable, ReadTransaction, ReadableDatabase, ReadableTable, Table, TableDefinition,
    TableError,
};

use super::kv_compaction::Compaction;
use super::kv_database::{Opening, begin_write_until};
use super::kv_quota::{KvLimits, Usage};
use super::kv_store::{KvBackend, store_fault};

const TABLE: TableDefinition<&str, &[u8]> = TableDefinition::new("kv");
/// The store's running totals, kept beside the data and changed in the same
/// write transaction, so a write never scans the table.
const TOTALS: TableDefinition<&str, u64> = TableDefinition::new("kv_totals");

/// How long binding waits for the store to open, so that a store that
/// cannot be opened is reported before the run; an open still waiting on
/// another process's write after this is waited for by each call instead.
const OPEN_GRACE: Duration = Duration::from_secs(1);

/// A store kept in one redb file.
pub(crate) struct RedbStore {
    opening: Arc<Opening>,
    compaction: Compaction,
    /// The totals after this process's last write, if it wrote.
    written: Mutex<Option<Usage>>,
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
    /// none yet (a new store, or one written before totals were kept); a
    /// read finds no `totals` table at all in such a file.
    fn load(
        totals: Option<&impl ReadableTable<&'static str, u64>>,
        table: &impl ReadableTable<&'static str, &'static [u8]>,
    ) -> Result<Totals, redb::StorageError> {
        let stored = |name: &str| -> Result<Option<u64>, redb::StorageError> {
            match totals {
                Some(totals) => Ok(totals.get(name)?.map(|v| v.value())),
                None => Ok(None),
            }
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

impl RedbStore {
    /// Opens (or creates) the store file at `path`; other processes may use
    /// the same file at the same time. The error says why it cannot be
    /// opened.
    pub(crate) fn open(path: &Path) -> Result<RedbStore, String> {
        Ok(RedbStore {
            opening: Opening::start(path.to_path_buf(), OPEN_GRACE)?,
            compaction: Compaction::new(path.to_path_buf()),
            written: Mutex::new(None),
        })
    }

    /// Runs `f` on the data table in a read transaction; a store with no
    /// table yet reads as empty (`None`).
    fn read<T>(
        &self,
        deadline: Option<Instant>,
        f: impl FnOnce(&redb::ReadOnlyTable<&str, &[u8]>) -> Result<T, Fault>,
    ) -> Result<Option<T>, Fault> {
        let db = self.opening.database(deadline)?;
        let db = db.read().unwrap_or_else(PoisonError::into_inner);
        let tx = db.begin_read().map_err(store_fault)?;
        let table = existing(&tx, TABLE).map_err(store_fault)?;
        table.map(|table| f(&table)).transpose()
    }

    /// Runs `change` on the data table and the totals in one write
    /// transaction and commits it (a `change` that fails writes nothing),
    /// then compacts the file if enough has been freed.
    fn write<T>(
        &self,
        deadline: Option<Instant>,
        change: impl FnOnce(&mut Table<&str, &[u8]>, &mut Totals) -> Result<T, Fault>,
    ) -> Result<T, Fault> {
        let shared = self.opening.database(deadline)?;
        let (result, totals) = {
            let db = shared.read().unwrap_or_else(PoisonError::into_inner);
            let tx = begin_write_until(&db, deadline)?;
            let result = {
                let mut table = tx.open_table(TABLE).map_err(store_fault)?;
                let mut stored = tx.open_table(TOTALS).map_err(store_fault)?;
                let mut totals = Totals::load(Some(&stored), &table).map_err(store_fault)?;
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
}

impl KvBackend for RedbStore {
    fn get(&self, key: &str, deadline: Option<Instant>) -> Result<Option<Vec<u8>>, Fault> {
        let found = self.read(deadline, |table| {
            Ok(table
                .get(key)
                .map_err(store_fault)?
                .map(|bytes| bytes.value().to_vec()))
        })?;
        Ok(found.flatten())
    }

    fn set(
        &self,
        key: &str,
        bytes: &[u8],
        limits: &KvLimits,
        deadline: Option<Instant>,
    ) -> Result<(), Fault> {
        self.write(deadline, |table, totals| {
            let replaced = table
                .insert(key, bytes)
                .map_err(store_fault)?
                .map(|old| (key.len() + old.value().len()) as u64);
            totals.usage = limits.admit(key, bytes.len() as u64, totals.usage, replaced)?;
            totals.freed = totals.freed.saturating_add(replaced.unwrap_or(0));
            Ok(())
        })
    }

    fn delete(&self, key: &str, deadline: Option<Instant>) -> Result<Option<Vec<u8>>, Fault> {
        self.write(deadline, |table, totals| {
            let Some(old) = table.remove(key).map_err(store_fault)? else {
                return Ok(None);
            };
            let freed = (key.len() + old.value().len()) as u64;
            totals.usage = totals.usage.without(freed);
            totals.freed = totals.freed.saturating_add(freed);
            Ok(Some(old.value().to_vec()))
        })
    }

    fn keys(&self, deadline: Option<Instant>) -> Result<Vec<String>, Fault> {
        let keys = self.read(deadline, |table| {
            let mut keys = Vec::new();
            for entry in table.iter().map_err(store_fault)? {
                let (key, _) = entry.map_err(store_fault)?;
                keys.push(key.value().to_owned());
            }
            Ok(keys)
        })?;
        Ok(keys.unwrap_or_default())
    }

    fn stored_bytes(&self, deadline: Instant) -> Option<u64> {
        let db = self.opening.database(Some(deadline)).ok()?;
        let db = db.read().unwrap_or_else(PoisonError::into_inner);
        let tx = db.begin_read().ok()?;
        let Some(table) = existing(&tx, TABLE).ok()? else {
            return Some(0);
        };
        let totals = existing(&tx, TOTALS).ok()?;
        let totals = Totals::load(totals.as_ref(), &table).ok()?;
        Some(totals.usage.bytes)
    }
}

impl Drop for RedbStore {
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

/// The table `definition` in a read, or `None` when the store has no such
/// table yet.
fn existing<K: redb::Key + 'static, V: redb::Value + 'static>(
    tx: &ReadTransaction,
    definition: TableDefinition<K, V>,
) -> Result<Option<ReadOnlyTable<K, V>>, TableError> {
    match tx.open_table(definition) {
        Ok(table) => Ok(Some(table)),
        Err(TableError::TableDoesNotExist(_)) => Ok(None),
        Err(e) => Err(e),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_bytes_counts_a_store_written_before_totals_were_kept() {
        let dir = std::env::temp_dir().join(format!("kobako-kv-redb-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("old.redb");
        let _ = std::fs::remove_file(&path);
        {
            let db = Database::create(&path).unwrap();
            let tx = db.begin_write().unwrap();
            {
                let mut table = tx.open_table(TABLE).unwrap();
                table.insert("a", b"xyz".as_slice()).unwrap();
                table.insert("bc", b"12345".as_slice()).unwrap();
            }
            tx.commit().unwrap();
        }
        let deadline = || Instant::now() + Duration::from_secs(5);
        let store = RedbStore::open(&path).unwrap();
        assert_eq!(store.stored_bytes(deadline()), Some(11), "before any write");
        store
            .set("d", b"4", &KvLimits::default(), Some(deadline()))
            .unwrap();
        assert_eq!(store.stored_bytes(deadline()), Some(13), "after the first write");
        drop(store);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
