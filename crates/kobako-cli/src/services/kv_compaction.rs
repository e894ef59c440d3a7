//! When `KV::Store` gives space back to the file system. redb reuses freed
//! pages but keeps them inside the file until it is compacted, and its page
//! rounding can leave a file filled by mid-sized values at 2.5 times its
//! data, so a write that crosses either line below compacts the file.

use std::path::PathBuf;
use std::sync::RwLock;
use std::sync::atomic::{AtomicU64, Ordering};

use redb::Database;

use super::kv_quota::Usage;

/// Freed bytes, or file bytes past twice the live data, below which
/// compacting is not worth its cost however little the store holds.
const SLACK_BYTES: u64 = 8 * 1024 * 1024;

/// The compaction policy of one store file.
pub(crate) struct Compaction {
    path: PathBuf,
    /// The file's length after this process last tried to compact it.
    tried_at: AtomicU64,
}

impl Compaction {
    /// The policy for the store at `path`.
    pub(crate) fn new(path: PathBuf) -> Compaction {
        Compaction {
            path,
            tried_at: AtomicU64::new(0),
        }
    }

    /// Whether compacting is due: as much deleted or replaced since the last
    /// compaction as is live (and at least the slack), or a file past twice
    /// the live data that grew by the slack since the last try. Either way
    /// its cost stays in proportion to the writes that made it due.
    pub(crate) fn due(&self, usage: Usage, freed: u64) -> bool {
        if freed >= usage.bytes.max(SLACK_BYTES) {
            return true;
        }
        let Ok(len) = std::fs::metadata(&self.path).map(|m| m.len()) else {
            return false;
        };
        let roomy = usage.bytes.saturating_mul(2).saturating_add(SLACK_BYTES);
        let tried_at = self.tried_at.load(Ordering::Relaxed);
        len > roomy && len > tried_at.saturating_add(SLACK_BYTES)
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
        let compacted = db.compact().is_ok();
        let len = std::fs::metadata(&self.path).map_or(0, |m| m.len());
        self.tried_at.store(len, Ordering::Relaxed);
        compacted
    }
}
