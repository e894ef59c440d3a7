//! Options every command that runs a script shares: the caps, the clock
//! profile, the built-in services (a manifest or `--kv`) and the output
//! format.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Args;
use kobako::{
    DEFAULT_MEMORY_LIMIT, DEFAULT_OUTPUT_LIMIT, DEFAULT_TIMEOUT, Error, ErrorKind, Profile, Sandbox,
    SandboxBuilder,
};

use crate::EXIT_USAGE;
use crate::manifest::{KvConfig, MIN_SECONDS, Manifest};
use crate::report::{EXIT_SETUP, Format};
use crate::run_metrics::RunMetrics;
use crate::services::{self, BoundServices};

/// Pooled instance slots for a command that runs one script and exits: its
/// invocation and the first-invocation bake. Every slot of a pool costs a
/// little to reserve at start-up.
pub(crate) const ONE_SHOT_POOL_SIZE: u32 = 4;

#[derive(Args)]
pub(crate) struct SandboxArgs {
    #[command(flatten)]
    pub(crate) setup: SetupArgs,
    /// Print exactly one JSON object (value, output, usage, error) on stdout.
    #[arg(long)]
    json: bool,
    /// Print the script's output only, not its value (`=> ...`).
    #[arg(long, conflicts_with = "json")]
    no_value: bool,
}

/// The options that decide how the sandbox is built: caps, clock profile and
/// services (a manifest, or `--kv` alone). A cap flag wins over the manifest.
#[derive(Args)]
pub(crate) struct SetupArgs {
    #[command(flatten)]
    work: WorkCapArgs,
    /// Bytes of stdout kept, or `none` [default: 1048576].
    #[arg(long, value_name = "BYTES", value_parser = parse_bytes, allow_negative_numbers = true)]
    stdout_limit: Option<Limit<u64>>,
    /// Bytes of stderr kept, or `none` [default: 1048576].
    #[arg(long, value_name = "BYTES", value_parser = parse_bytes, allow_negative_numbers = true)]
    stderr_limit: Option<Limit<u64>>,
    /// What the guest's clocks read.
    #[arg(long, value_enum, default_value = "hermetic")]
    profile: ProfileArg,
    /// Bind `KV::Store` (get, set, delete, keys) to a persistent store at PATH,
    /// with the default caps (a manifest's `[services.kv]` can change them).
    #[arg(long, value_name = "PATH", conflicts_with = "manifest")]
    kv: Option<PathBuf>,
    /// Caps and services from a manifest (kobako.toml).
    #[arg(long, value_name = "PATH")]
    manifest: Option<PathBuf>,
}

/// The caps that bound compiling as well as running: wall-clock time and
/// memory growth.
#[derive(Args)]
pub(crate) struct WorkCapArgs {
    /// Wall-clock limit in seconds, or `none` [default: 60].
    #[arg(long, value_name = "SECS", value_parser = parse_seconds, allow_negative_numbers = true)]
    timeout: Option<Limit<f64>>,
    /// Memory growth limit in bytes, or `none` [default: 1048576].
    #[arg(long, value_name = "BYTES", value_parser = parse_bytes, allow_negative_numbers = true)]
    memory_limit: Option<Limit<u64>>,
}

impl WorkCapArgs {
    /// The timeout in seconds: the flag, else the manifest's, else the default.
    fn timeout_secs(&self, manifest: &Manifest) -> Option<f64> {
        let default = DEFAULT_TIMEOUT.as_secs_f64();
        pick(self.timeout, manifest.limits.timeout, default)
    }

    /// The memory limit: the flag, else the manifest's, else the default.
    fn memory_limit(&self, manifest: &Manifest) -> Option<u64> {
        pick(
            self.memory_limit,
            manifest.limits.memory_limit,
            DEFAULT_MEMORY_LIMIT,
        )
    }

    /// A Sandbox builder with no services, under these caps.
    pub(crate) fn builder(&self, manifest: &Manifest) -> SandboxBuilder {
        Sandbox::builder()
            .timeout_secs(self.timeout_secs(manifest))
            .memory_limit(self.memory_limit(manifest))
    }
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
    if !secs.is_finite() || secs < MIN_SECONDS {
        return Err(format!(
            "the timeout must be a finite number of seconds, at least {MIN_SECONDS}, not `{text}`"
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

impl From<ProfileArg> for Profile {
    fn from(profile: ProfileArg) -> Profile {
        match profile {
            ProfileArg::Hermetic => Profile::Hermetic,
            ProfileArg::Permissive => Profile::Permissive,
        }
    }
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
    /// How the result is printed: `--json`, or plain with or without the value.
    pub(crate) fn format(&self) -> Format {
        if self.json {
            Format::Json
        } else {
            Format::Plain {
                value: !self.no_value,
            }
        }
    }

    /// The Sandbox's builder with the caps set and the built-in services
    /// bound; on failure, reports it and returns the exit code.
    pub(crate) fn builder(&self) -> Result<SandboxBuilder, ExitCode> {
        let manifest = self.setup.manifest()?;
        Ok(self.setup.builder(&manifest)?.pool_size(ONE_SHOT_POOL_SIZE))
    }

    /// Builds the Sandbox with the built-in services bound; on failure,
    /// reports it and returns the exit code.
    pub(crate) fn sandbox(&self) -> Result<Sandbox, ExitCode> {
        self.builder()?.build().map_err(|e| setup_failed(&e))
    }
}

/// Reports a Sandbox that could not be built and returns the exit code.
pub(crate) fn setup_failed(e: &Error) -> ExitCode {
    eprintln!("kobako: {e}");
    let usage = e.kind() == ErrorKind::Usage;
    ExitCode::from(if usage { EXIT_USAGE } else { EXIT_SETUP })
}

impl SetupArgs {
    /// The manifest named by `--manifest` (or one holding only `--kv`); on
    /// failure, reports it and returns the usage exit code.
    pub(crate) fn manifest(&self) -> Result<Manifest, ExitCode> {
        let Some(path) = &self.manifest else {
            return Ok(Manifest {
                kv: self.kv.clone().map(KvConfig::with_default_limits),
                ..Manifest::default()
            });
        };
        Manifest::load(path).map_err(|message| {
            eprintln!("kobako: {message}");
            ExitCode::from(EXIT_USAGE)
        })
    }

    /// What the guest says of itself under this profile (its Ruby, its
    /// libraries, what it lacks, its clock), for a description; a short
    /// fallback if the guest cannot be asked.
    pub(crate) fn guest_notes(&self) -> String {
        Sandbox::builder()
            .profile(self.profile.into())
            .build()
            .and_then(|sandbox| sandbox.eval("Kobako.__notes"))
            .ok()
            .and_then(|run| run.value().as_str().map(str::to_owned))
            .unwrap_or_else(|| "Ruby: mruby 4.0 with CRuby 3.4 syntax.".into())
    }

    /// The caps in force: each flag given, else the manifest's, else the default.
    pub(crate) fn caps(&self, manifest: &Manifest) -> Caps {
        let limits = &manifest.limits;
        let output = DEFAULT_OUTPUT_LIMIT as u64;
        Caps {
            timeout_secs: self.work.timeout_secs(manifest),
            memory_limit: self.work.memory_limit(manifest),
            stdout_limit: to_usize(pick(self.stdout_limit, limits.stdout_limit, output)),
            stderr_limit: to_usize(pick(self.stderr_limit, limits.stderr_limit, output)),
        }
    }

    /// The Sandbox's builder under the caps, with the manifest's services
    /// bound and the module cache left on; on failure, reports it and
    /// returns the exit code.
    pub(crate) fn builder(&self, manifest: &Manifest) -> Result<SandboxBuilder, ExitCode> {
        self.counted_builder(manifest, None).map(|(builder, _)| builder)
    }

    /// [`builder`](Self::builder) with each service call counted in
    /// `metrics` if given, and the services bound.
    fn counted_builder(
        &self,
        manifest: &Manifest,
        metrics: Option<&RunMetrics>,
    ) -> Result<(SandboxBuilder, BoundServices), ExitCode> {
        let caps = self.caps(manifest);
        let mut builder = (self.work.builder(manifest))
            .stdout_limit(caps.stdout_limit)
            .stderr_limit(caps.stderr_limit)
            .profile(self.profile.into());
        let run_timeout = caps
            .timeout_secs
            .and_then(|s| Duration::try_from_secs_f64(s).ok());
        match services::bind(&mut builder, manifest, run_timeout, metrics) {
            Ok(bound) => Ok((builder, bound)),
            Err(message) => {
                eprintln!("kobako: {message}");
                Err(ExitCode::from(EXIT_SETUP))
            }
        }
    }

    /// Builds the Sandbox under the caps with the manifest's services bound,
    /// each call counted in `metrics`; on failure, reports it and returns
    /// the exit code.
    pub(crate) fn counted_sandbox(
        &self,
        manifest: &Manifest,
        metrics: &RunMetrics,
        runs_in_flight: usize,
    ) -> Result<(Sandbox, BoundServices), ExitCode> {
        let (builder, bound) = self.counted_builder(manifest, Some(metrics))?;
        // One instance slot per run in flight, and one more for the bake
        // that compares its instance with a fresh one.
        let slots = u32::try_from(runs_in_flight + 1).unwrap_or(u32::MAX);
        let sandbox = builder.pool_size(slots).build().map_err(|e| setup_failed(&e))?;
        Ok((sandbox, bound))
    }
}
