//! The process-wide wasmtime engines (one per pool size, so compiled guests
//! are shared) and the epoch tickers that drive every timeout.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use wasmtime::Engine;

use crate::engine_config::engine_config;
use crate::error::Error;

/// How often an engine's epoch advances; a running guest checks its
/// deadline at most this long after it passes.
const EPOCH_TICK: Duration = Duration::from_millis(5);

/// Every engine made so far, by pool size; they live as long as the process.
static ENGINES: Mutex<Vec<(u32, SharedEngine)>> = Mutex::new(Vec::new());

/// An engine and its ticker thread.
#[derive(Clone)]
pub(crate) struct SharedEngine {
    engine: Engine,
    /// The process the engine's ticker thread runs in. A forked child has
    /// no ticker (threads do not survive `fork`), so the first invocation
    /// there starts one.
    ticker_pid: &'static AtomicU32,
}

/// The shared engine with `pool_size` pooled slots, created on first use.
pub(crate) fn shared_engine(pool_size: u32) -> Result<SharedEngine, Error> {
    let mut engines = ENGINES.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some((_, shared)) = engines.iter().find(|(size, _)| *size == pool_size) {
        return Ok(shared.clone());
    }
    let engine = Engine::new(&engine_config(pool_size))
        .map_err(|e| Error::setup(format!("cannot create the wasm engine: {e}"), None))?;
    let shared = SharedEngine {
        engine,
        ticker_pid: Box::leak(Box::new(AtomicU32::new(0))),
    };
    engines.push((pool_size, shared.clone()));
    Ok(shared)
}

impl SharedEngine {
    /// The wasmtime engine.
    pub(crate) fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Starts the ticker unless this process already has one for this
    /// engine (also after a `fork`, whose child inherits no threads).
    pub(crate) fn ensure_ticker(&self) -> Result<(), Error> {
        let pid = std::process::id();
        if self.ticker_pid.load(Ordering::Acquire) == pid {
            return Ok(());
        }
        self.start_ticker_once(pid)
            .map_err(|e| Error::setup("cannot start the timeout ticker thread", Some(Box::new(e))))
    }

    fn start_ticker_once(&self, pid: u32) -> std::io::Result<()> {
        static STARTING: Mutex<()> = Mutex::new(());
        let _guard = STARTING.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if self.ticker_pid.load(Ordering::Acquire) != pid {
            let engine = self.engine.clone();
            std::thread::Builder::new()
                .name("kobako-epoch".into())
                .spawn(move || {
                    loop {
                        std::thread::sleep(EPOCH_TICK);
                        engine.increment_epoch();
                    }
                })?;
            self.ticker_pid.store(pid, Ordering::Release);
        }
        Ok(())
    }
}
