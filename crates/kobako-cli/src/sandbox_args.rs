//! Options every command that runs a script shares: the caps, the clock
//! profile, the built-in services (a manifest or `--kv`) and the output
//! format.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use kobako::{DEFAULT_MEMORY_LIMIT, DEFAULT_OUTPUT_LIMIT, DEFAULT_TIMEOUT, Profile, Sandbox};

use crate::EXIT_USAGE;
use crate::builtin_services;
use crate::manifest::Manifest;
use crate::report::EXIT_SETUP;

#[derive(Args)]
pub(crate) struct SandboxArgs {
    #[command(flatten)]
    pub(crate) setup: SetupArgs,
    /// Print exactly one JSON object (value, output, usage, error) on stdout.
    #[arg(long)]
    pub(crate) json: bool,
}

/// The options that decide how the sandbox is built: caps, clock profile and
/// services (a manifest, or `--kv` alone). A cap flag wins over the manifest.
#[derive(Args)]
pub(crate) struct SetupArgs {
    /// Wall-clock limit in seconds, or `none` [default: 60].
    #[arg(long, value_name = "SECS", value_parser = parse_seconds, allow_negative_numbers = true)]
    timeout: Option<Limit<f64>>,
    /// Memory growth limit in bytes, or `none` [default: 1048576].
    #[arg(long, value_name = "BYTES", value_parser = parse_bytes, allow_negative_numbers = true)]
    memory_limit: Option<Limit<u64>>,
    /// Bytes of stdout kept, or `none` [default: 1048576].
    #[arg(long, value_name = "BYTES", value_parser = parse_bytes, allow_negative_numbers = true)]
    stdout_limit: Option<Limit<u64>>,
    /// Bytes of stderr kept, or `none` [default: 1048576].
    #[arg(long, value_name = "BYTES", value_parser = parse_bytes, allow_negative_numbers = true)]
    stderr_limit: Option<Limit<u64>>,
    /// What the guest's clocks read.
    #[arg(long, value_enum, default_value = "hermetic")]
    profile: ProfileArg,
    /// Bind `KV::Store` (get, set, delete, keys) to a persistent store at PATH.
    #[arg(long, value_name = "PATH", conflicts_with = "manifest")]
    kv: Option<PathBuf>,
    /// Caps and services from a manifest (kobako.toml).
    #[arg(long, value_name = "PATH")]
    manifest: Option<PathBuf>,
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

/// The caps an invocation runs under, after flags, manifest and defaults.
#[derive(Clone, Copy)]
pub(crate) struct Caps {
    pub(crate) timeout_secs: Option<f64>,
    pub(crate) memory_limit: Option<u64>,
    pub(crate) stdout_limit: Option<usize>,
    pub(crate) stderr_limit: Option<usize>,
}

/// The flag if given, else the manifest's value, else `default`.
fn pick<T>(flag: Option<Limit<T>>, manifest: Option<T>, default: T) -> Option<T> {
    match flag {
        Some(Limit(value)) => value,
        None => Some(manifest.unwrap_or(default)),
    }
}

fn to_usize(bytes: Option<u64>) -> Option<usize> {
    bytes.map(|n| usize::try_from(n).unwrap_or(usize::MAX))
}

impl SandboxArgs {
    /// Builds the Sandbox and binds the built-in services; on failure,
    /// reports it and returns the exit code.
    pub(crate) fn sandbox(&self) -> Result<Sandbox, ExitCode> {
        let manifest = self.setup.manifest()?;
        self.setup.sandbox(&manifest)
    }
}

impl SetupArgs {
    /// The manifest named by `--manifest` (or one holding only `--kv`); on
    /// failure, reports it and returns the usage exit code.
    pub(crate) fn manifest(&self) -> Result<Manifest, ExitCode> {
        let Some(path) = &self.manifest else {
            return Ok(Manifest {
                kv: self.kv.clone(),
                ..Manifest::default()
            });
        };
        Manifest::load(path).map_err(|message| {
            eprintln!("kobako: {message}");
            ExitCode::from(EXIT_USAGE)
        })
    }

    /// The caps in force: each flag given, else the manifest's, else the default.
    pub(crate) fn caps(&self, manifest: &Manifest) -> Caps {
        let limits = &manifest.limits;
        let output = DEFAULT_OUTPUT_LIMIT as u64;
        Caps {
            timeout_secs: pick(self.timeout, limits.timeout, DEFAULT_TIMEOUT.as_secs_f64()),
            memory_limit: pick(self.memory_limit, limits.memory_limit, DEFAULT_MEMORY_LIMIT),
            stdout_limit: to_usize(pick(self.stdout_limit, limits.stdout_limit, output)),
            stderr_limit: to_usize(pick(self.stderr_limit, limits.stderr_limit, output)),
        }
    }

    /// Builds the Sandbox under the caps and binds the manifest's services;
    /// on failure, reports it and returns the exit code.
    pub(crate) fn sandbox(&self, manifest: &Manifest) -> Result<Sandbox, ExitCode> {
        let caps = self.caps(manifest);
        let built = Sandbox::builder()
            .timeout_secs(caps.timeout_secs)
            .memory_limit(caps.memory_limit)
            .stdout_limit(caps.stdout_limit)
            .stderr_limit(caps.stderr_limit)
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
        if let Err(message) = builtin_services::bind(&sandbox, manifest) {
            eprintln!("kobako: {message}");
            return Err(ExitCode::from(EXIT_SETUP));
        }
        Ok(sandbox)
    }
}
