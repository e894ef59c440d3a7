//! The signals that ask `kobako serve` to stop: SIGTERM and Ctrl-C (SIGINT).
//! Their handlers are installed before the server listens, so a signal that
//! comes early still shuts it down gracefully.

use std::io;

#[cfg(unix)]
use tokio::signal::unix::{Signal, SignalKind, signal};

/// The installed handlers for the stop signals.
pub(crate) struct ShutdownSignals {
    #[cfg(unix)]
    terminate: Signal,
    #[cfg(unix)]
    interrupt: Signal,
}

impl ShutdownSignals {
    /// Installs the handlers; call it inside the runtime.
    pub(crate) fn install() -> io::Result<ShutdownSignals> {
        Ok(ShutdownSignals {
            #[cfg(unix)]
            terminate: signal(SignalKind::terminate())?,
            #[cfg(unix)]
            interrupt: signal(SignalKind::interrupt())?,
        })
    }

    /// Resolves when one of the signals arrives; returns its name.
    pub(crate) async fn received(&mut self) -> &'static str {
        #[cfg(unix)]
        {
            tokio::select! {
                _ = self.terminate.recv() => "SIGTERM",
                _ = self.interrupt.recv() => "SIGINT",
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
            "Ctrl-C"
        }
    }
}
