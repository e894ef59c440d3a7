//! The process-wide wasmtime engine and the epoch ticker that drives
//! timeouts. One engine serves every Sandbox, so compiled guests are shared.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use wasmtime::{Config, Enabled, Engine, InstanceAllocationStrategy, PoolingAllocationConfig};

use crate::error::Error;

/// How often the engine's epoch advances; a running guest checks its
/// deadline at most this long after it passes.
pub(crate) const EPOCH_TICK: Duration = Duration::from_millis(5);

/// Instances (and memories) the pooling allocator keeps slots for, i.e. the
/// most invocations that can be in flight at once in one process.
const POOL_SLOTS: u32 = 1000;

/// Bytes of each memory (and table) slot kept resident between instances.
const KEEP_RESIDENT: usize = 4 << 20;

static ENGINE: OnceLock<Result<Engine, String>> = OnceLock::new();

/// The process the ticker thread runs in. A forked child has no ticker
/// (threads do not survive `fork`), so the first invocation there starts
/// one.
static TICKER_PID: AtomicU32 = AtomicU32::new(0);

/// The shared engine, created (with its ticker thread) on first use.
pub(crate) fn engine() -> Result<&'static Engine, Error> {
    ENGINE
        .get_or_init(|| {
            let engine = Engine::new(&config()).map_err(|e| format!("cannot create the wasm engine: {e}"))?;
            Ok(engine)
        })
        .as_ref()
        .map_err(|message| Error::setup(message.clone(), None))
}

/// Starts the ticker unless this process already has one (also after a
/// `fork`, whose child inherits no threads).
pub(crate) fn ensure_ticker(engine: &Engine) -> Result<(), Error> {
    let pid = std::process::id();
    if TICKER_PID.load(Ordering::Acquire) == pid {
        return Ok(());
    }
    start_ticker_once(engine, pid)
        .map_err(|e| Error::setup("cannot start the timeout ticker thread", Some(Box::new(e))))
}

fn start_ticker_once(engine: &Engine, pid: u32) -> std::io::Result<()> {
    static STARTING: Mutex<()> = Mutex::new(());
    let _guard = STARTING.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if TICKER_PID.load(Ordering::Acquire) != pid {
        start_ticker(engine.clone())?;
        TICKER_PID.store(pid, Ordering::Release);
    }
    Ok(())
}

fn config() -> Config {
    let mut pool = PoolingAllocationConfig::default();
    pool.total_core_instances(POOL_SLOTS)
        .total_memories(POOL_SLOTS)
        .total_tables(POOL_SLOTS)
        .total_gc_heaps(POOL_SLOTS)
        .max_memory_size(1 << 32)
        // Reset the first MiBs of a slot in place instead of unmapping them:
        // the pre-initialised image lives there, and refaulting its pages
        // dominated the cost of a short invocation.
        .linear_memory_keep_resident(KEEP_RESIDENT)
        .table_keep_resident(KEEP_RESIDENT)
        // Reset only the pages an instance wrote (Linux PAGEMAP_SCAN, where
        // the kernel has it), not the whole resident region.
        .pagemap_scan(Enabled::Auto);

    let mut config = Config::new();
    config
        .wasm_exceptions(true)
        .epoch_interruption(true)
        .allocation_strategy(InstanceAllocationStrategy::Pooling(pool));
    config
}

fn start_ticker(engine: Engine) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name("kobako-epoch".into())
        .spawn(move || {
            loop {
                std::thread::sleep(EPOCH_TICK);
                engine.increment_epoch();
            }
        })?;
    Ok(())
}
