//! When `KV::Store` gives space back to the file system. redb reuses freed
//! pages but keeps them inside the file until it is compacted, and grows a
//! file by doubling it, so a file can reach 2.7 times its data; compacting
//! after enough deletes, and when a process that wrote the store lets go of
//! it, keeps the file near its data.

use std::path::PathBuf;
use std::sync::RwLock;

use redb::Database;

use super::kv_quota::Usage;

/// Freed bytes, or file bytes past twice the live data, below which
/// compacting is not worth its cost however little the store holds.
const SLACK_BYTES: u64 = 8 * 1024 * 1024;

/// The compaction policy of one store file.
pub(crate) struct Compaction {
    path: PathBuf,
}

impl Compaction {
    /// The policy for the store at `path`.
    pub(crate) fn new(path: PathBuf) -> Compaction {
        Compaction { path }
    }

    /// Whether a write should compact: as much deleted or replaced since the
    /// last compaction as is live (and at least the slack), so the cost of
    /// compacting stays in proportion to the writes that freed it.
    pub(crate) fn due(&self, usage: Usage, freed: u64) -> bool {
        freed >= usage.bytes.max(SLACK_BYTES)
    }

    /// Whether the file is over twice `usage`'s bytes plus the slack, as
    /// redb's doubling leaves it after a filling run.
    pub(crate) fn outgrown(&self, usage: Usage) -> bool {
        let roomy = usage.bytes.saturating_mul(2).saturating_add(SLACK_BYTES);
        std::fs::metadata(&self.path).is_ok_and(|m| m.len() > roomy)
    }

    /// Compacts the file when no call of this process and no writer of
    /// another is using it; whether it did. Best effort: a write that finds
    /// compacting still due tries again.
    pub(crate) fn run(&self, db: &RwLock<Database>) -> bool {
        let Ok(mut db) = db.try_write() else {
            return false;
        };
        // compact() waits for another process's write transaction; this
        // check does not.
        match db.try_begin_write() {
            Ok(tx) => tx.abort().unwrap_or(()),
            Err(_) => return false,
        }
        db.compact().is_ok()
    }
}
