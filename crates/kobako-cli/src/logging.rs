//! The servers' logs: one line per event on stderr (stdout carries the
//! stdio server's JSON-RPC), as text or JSON, at the level `--log-level`
//! sets. No event carries a script, its output or a token.

use clap::{Args, ValueEnum};
use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::fmt;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// How log lines are written.
#[derive(Clone, Copy, ValueEnum)]
enum LogFormat {
    /// A line of text: time, level, span and fields.
    Human,
    /// One JSON object per line.
    Json,
}

/// The logging options of `kobako mcp` and `kobako serve`.
#[derive(Args)]
pub(crate) struct LogArgs {
    /// How log lines on stderr are written.
    #[arg(long, value_enum, value_name = "FORMAT", default_value = "human")]
    log_format: LogFormat,
    /// The least severe of kobako's events that is logged: error, warn, info,
    /// debug, trace or off; other libraries log only errors.
    #[arg(long, value_name = "LEVEL", default_value = "info")]
    log_level: LevelFilter,
}

impl LogArgs {
    /// Starts logging to stderr. Only the first call in a process has an
    /// effect.
    pub(crate) fn init(&self) {
        let filter = Targets::new()
            .with_default(self.log_level.min(LevelFilter::ERROR))
            .with_target("kobako", self.log_level);
        let logs = tracing_subscriber::registry().with(filter);
        // Only a second start fails, and it leaves the first in place.
        let _ = match self.log_format {
            LogFormat::Human => logs
                .with(fmt::layer().with_writer(std::io::stderr).with_target(false))
                .try_init(),
            LogFormat::Json => logs
                .with(
                    fmt::layer()
                        .json()
                        .flatten_event(true)
                        .with_span_list(false)
                        .with_writer(std::io::stderr),
                )
                .try_init(),
        };
    }
}
