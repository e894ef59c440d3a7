//! The redb file behind `KV::Store`, and waiting for it within a deadline.
//! Several processes may share the file (redb's multi-writer mode), so both
//! opening it and beginning a write can wait on another process: the open
//! runs on its own thread, and a write retries the writer lock, each given
//! up at the caller's deadline.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, PoisonError, RwLock};
use std::time::{Duration, Instant};

use kobako::Fault;
use redb::{ConcurrencyMode, Database, DatabaseError, TransactionError, WriteTransaction};

use super::kv_store::store_fault;

/// redb's page cache (its default is 1 GiB, which one filling run used).
const CACHE_BYTES: usize = 8 * 1024 * 1024;
/// How long a write waits between attempts to take the writer lock.
const LOCK_RETRY: Duration = Duration::from_millis(5);

/// An open database: calls share it, and compaction takes it whole.
pub(crate) type SharedDatabase = Arc<RwLock<Database>>;

/// A database being opened on its own thread, or its outcome.
pub(crate) struct Opening {
    outcome: Mutex<Option<Result<SharedDatabase, String>>>,
    done: Condvar,
}

fn late(what: &str) -> Fault {
    Fault::runtime(format!(
        "KV::Store: another process was writing the store until the run's deadline; {what}"
    ))
}

/// Why a store could not be opened, with a hint when another program holds
/// it for itself.
fn open_error(path: &Path, e: DatabaseError) -> String {
    let why = match e {
        DatabaseError::DatabaseAlreadyOpen => {
            "another program has it open for itself (a kobako older than this one, or another \
             redb user); stop it or give this one its own store"
                .to_owned()
        }
        other => other.to_string(),
    };
    format!("cannot open the KV store at {}: {why}", path.display())
}

fn open(path: &Path) -> Result<SharedDatabase, String> {
    let db = Database::builder()
        .set_cache_size(CACHE_BYTES)
        .set_concurrency_mode(ConcurrencyMode::MultiWriter)
        .create(path)
        .map_err(|e| open_error(path, e))?;
    Ok(Arc::new(RwLock::new(db)))
}

impl Opening {
    /// Starts opening (or creating) the database at `path`, and waits up to
    /// `grace` for it so that a failure can be reported before any run; the
    /// error is that failure.
    pub(crate) fn start(path: PathBuf, grace: Duration) -> Result<Arc<Opening>, String> {
        let opening = Arc::new(Opening {
            outcome: Mutex::new(None),
            done: Condvar::new(),
        });
        let shared = Arc::clone(&opening);
        std::thread::Builder::new()
            .name("kobako-kv-open".into())
            .spawn(move || {
                let outcome = open(&path);
                let mut slot = shared.outcome.lock().unwrap_or_else(PoisonError::into_inner);
                *slot = Some(outcome);
                shared.done.notify_all();
            })
            .map_err(|e| format!("cannot open the KV store: {e}"))?;
        match opening.wait(Instant::now().checked_add(grace)) {
            Some(Err(message)) => Err(message),
            _ => Ok(opening),
        }
    }

    /// The outcome once the open has ended, or `None` if it had not by
    /// `deadline`.
    fn wait(&self, deadline: Option<Instant>) -> Option<Result<SharedDatabase, String>> {
        let mut slot = self.outcome.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            if let Some(outcome) = slot.as_ref() {
                return Some(outcome.clone());
            }
            let wait = match deadline {
                Some(deadline) => deadline.checked_duration_since(Instant::now())?,
                None => Duration::from_secs(3600),
            };
            slot = self
                .done
                .wait_timeout(slot, wait)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }

    /// The open database, waiting for the open until `deadline`.
    pub(crate) fn database(&self, deadline: Option<Instant>) -> Result<SharedDatabase, Fault> {
        match self.wait(deadline) {
            Some(Ok(db)) => Ok(db),
            Some(Err(_)) => Err(Fault::runtime("KV::Store: the store could not be opened")),
            None => Err(late("the store could not be opened")),
        }
    }
}

/// Begins a write transaction once no other writer (a concurrent call or
/// another process) holds the lock, giving up at `deadline`.
pub(crate) fn begin_write_until(db: &Database, deadline: Option<Instant>) -> Result<WriteTransaction, Fault> {
    loop {
        match db.try_begin_write() {
            Ok(tx) => return Ok(tx),
            Err(TransactionError::WouldBlock) => {}
            Err(e) => return Err(store_fault(e)),
        }
        if deadline.is_some_and(|d| Instant::now() >= d) {
            return Err(late("nothing was written"));
        }
        std::thread::sleep(LOCK_RETRY);
    }
}
