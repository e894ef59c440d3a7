//! Options every command that runs a script shares: the caps, the clock
//! profile, the built-in services and the output format.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use kobako::{Profile, Sandbox};

use crate::EXIT_USAGE;
use crate::kv_store::KvStore;
use crate::report::EXIT_SETUP;

#[derive(Args)]
pub(crate) struct SandboxArgs {
    /// Wall-clock limit in seconds, or `none`.
    #[arg(long, value_name = "SECS", default_value = "60", value_parser = parse_seconds, allow_negative_numbers = true)]
    timeout: Limit<f64>,
    /// Memory growth limit in bytes, or `none`.
    #[arg(long, value_name = "BYTES", default_value = "1048576", value_parser = parse_bytes, allow_negative_numbers = true)]
    memory_limit: Limit<u64>,
    /// Bytes of stdout kept, or `none`.
    #[arg(long, value_name = "BYTES", default_value = "1048576", value_parser = parse_bytes, allow_negative_numbers = true)]
    stdout_limit: Limit<u64>,
    /// Bytes of stderr kept, or `none`.
    #[arg(long, value_name = "BYTES", default_value = "1048576", value_parser = parse_bytes, allow_negative_numbers = true)]
    stderr_limit: Limit<u64>,
    /// What the guest's clocks read.
    #[arg(long, value_enum, default_value = "hermetic")]
    profile: ProfileArg,
    /// Print exactly one JSON object (value, output, usage, error) on stdout.
    #[arg(long)]
    pub(crate) json: bool,
    /// Bind `KV::Store` (get, set, delete, keys) to a persistent store at PATH.
    #[arg(long, value_name = "PATH")]
    kv: Option<PathBuf>,
}

/// A cap that may be switched off with `none`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limit<T>(Option<T>);

fn parse_seconds(text: &str) -> Result<Limit<f64>, String> {
    if text == "none" {
        return Ok(Limit(None));
    }
    let secs: f64 = text
        .parse()
        .map_err(|_| format!("`{text}` is not a number of seconds (or `none`)"))?;
    if !secs.is_finite() || secs <= 0.0 {
        return Err(format!(
            "the timeout must be a finite number of seconds greater than 0, not `{text}`"
        ));
    }
    Ok(Limit(Some(secs)))
}

fn parse_bytes(text: &str) -> Result<Limit<u64>, String> {
    if text == "none" {
        return Ok(Limit(None));
    }
    match text.parse::<u64>() {
        Ok(0) => Err("the limit must be a positive number of bytes (or `none`), not 0".into()),
        Ok(n) => Ok(Limit(Some(n))),
        Err(_) => Err(format!("`{text}` is not a whole number of bytes (or `none`)")),
    }
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ProfileArg {
    Hermetic,
    Permissive,
}

impl SandboxArgs {
    /// Builds the Sandbox and binds the built-in services; on failure,
    /// reports it and returns the exit code.
    pub(crate) fn sandbox(&self) -> Result<Sandbox, ExitCode> {
        let as_usize = |limit: Limit<u64>| limit.0.map(|n| usize::try_from(n).unwrap_or(usize::MAX));
        let built = Sandbox::builder()
            .timeout_secs(self.timeout.0)
            .memory_limit(self.memory_limit.0)
            .stdout_limit(as_usize(self.stdout_limit))
            .stderr_limit(as_usize(self.stderr_limit))
            .profile(match self.profile {
                ProfileArg::Hermetic => Profile::Hermetic,
                ProfileArg::Permissive => Profile::Permissive,
            })
            .build();
        let sandbox = match built {
            Ok(sandbox) => sandbox,
            Err(e) => {
                eprintln!("kobako: {e}");
                let usage = matches!(e, kobako::Error::Usage { .. });
                return Err(ExitCode::from(if usage { EXIT_USAGE } else { EXIT_SETUP }));
            }
        };
        if let Some(path) = &self.kv {
            let bound = KvStore::open(path)
                .and_then(|store| sandbox.service("KV::Store", store).map_err(|e| e.to_string()));
            if let Err(message) = bound {
                eprintln!("kobako: {message}");
                return Err(ExitCode::from(EXIT_SETUP));
            }
        }
        Ok(sandbox)
    }
}
