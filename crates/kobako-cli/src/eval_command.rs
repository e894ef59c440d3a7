//! `kobako eval`: read the script, run it, report value, output and error.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use kobako::{Error, Execution, Profile, Sandbox};

use crate::EXIT_USAGE;
use crate::json_report;
use crate::kv_store::KvStore;

const EXIT_SANDBOX: u8 = 1;
const EXIT_SERVICE: u8 = 2;
const EXIT_TRAP: u8 = 3;
/// The sandbox could not start (an unusable guest module, an unopenable
/// KV store).
const EXIT_SETUP: u8 = 70;

#[derive(Args)]
pub(crate) struct EvalArgs {
    /// Script file to run; `-` reads the script from stdin.
    #[arg(
        value_name = "FILE",
        conflicts_with = "code",
        required_unless_present = "code"
    )]
    file: Option<PathBuf>,
    /// Run CODE instead of a file.
    #[arg(short = 'e', value_name = "CODE")]
    code: Option<String>,
    /// Wall-clock limit in seconds, or `none`.
    #[arg(long, value_name = "SECS", default_value = "60", value_parser = parse_seconds)]
    timeout: Limit<f64>,
    /// Memory growth limit in bytes, or `none`.
    #[arg(long, value_name = "BYTES", default_value = "1048576", value_parser = parse_bytes)]
    memory_limit: Limit<u64>,
    /// Bytes of stdout kept, or `none`.
    #[arg(long, value_name = "BYTES", default_value = "1048576", value_parser = parse_bytes)]
    stdout_limit: Limit<u64>,
    /// Bytes of stderr kept, or `none`.
    #[arg(long, value_name = "BYTES", default_value = "1048576", value_parser = parse_bytes)]
    stderr_limit: Limit<u64>,
    /// What the guest's clocks read.
    #[arg(long, value_enum, default_value = "hermetic")]
    profile: ProfileArg,
    /// Print exactly one JSON object (value, output, usage, error) on stdout.
    #[arg(long)]
    json: bool,
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

fn read_source(args: &EvalArgs) -> Result<Vec<u8>, String> {
    if let Some(code) = &args.code {
        return Ok(code.clone().into_bytes());
    }
    let mut source = Vec::new();
    match args.file.as_deref() {
        Some(path) if path.as_os_str() == "-" => std::io::stdin()
            .read_to_end(&mut source)
            .map(|_| source)
            .map_err(|e| format!("cannot read the script from stdin: {e}")),
        Some(path) => std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display())),
        None => Err("give a script FILE, `-` for stdin, or -e CODE".into()),
    }
}

fn build_sandbox(args: &EvalArgs) -> Result<Sandbox, Error> {
    let as_usize = |limit: Limit<u64>| limit.0.map(|n| usize::try_from(n).unwrap_or(usize::MAX));
    Sandbox::builder()
        .timeout_secs(args.timeout.0)
        .memory_limit(args.memory_limit.0)
        .stdout_limit(as_usize(args.stdout_limit))
        .stderr_limit(as_usize(args.stderr_limit))
        .profile(match args.profile {
            ProfileArg::Hermetic => Profile::Hermetic,
            ProfileArg::Permissive => Profile::Permissive,
        })
        .build()
}

pub(crate) fn run(args: EvalArgs) -> ExitCode {
    let source = match read_source(&args) {
        Ok(source) => source,
        Err(message) => {
            eprintln!("kobako: {message}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let sandbox = match build_sandbox(&args) {
        Ok(sandbox) => sandbox,
        Err(e) => {
            eprintln!("kobako: {e}");
            return ExitCode::from(if matches!(e, Error::Usage { .. }) {
                EXIT_USAGE
            } else {
                EXIT_SETUP
            });
        }
    };
    if let Some(path) = &args.kv {
        let bound = KvStore::open(path)
            .map_err(|e| e.to_string())
            .and_then(|store| sandbox.service("KV::Store", store).map_err(|e| e.to_string()));
        if let Err(message) = bound {
            eprintln!("kobako: {message}");
            return ExitCode::from(EXIT_SETUP);
        }
    }
    let result = sandbox.eval_bytes(&source);
    let code = exit_code(&result);
    // A closed pipe (`kobako eval ... | head`) is not an error worth a panic.
    let _ = if args.json {
        writeln!(std::io::stdout().lock(), "{}", json_report::render(&result))
    } else {
        print_plain(&result)
    };
    ExitCode::from(code)
}

fn exit_code(result: &Result<Execution, Error>) -> u8 {
    match result {
        Ok(_) => 0,
        Err(e) if e.is_trap() => EXIT_TRAP,
        Err(Error::Service(_)) => EXIT_SERVICE,
        Err(e) if e.is_setup_error() => EXIT_SETUP,
        Err(Error::Usage { .. }) => EXIT_USAGE,
        Err(_) => EXIT_SANDBOX,
    }
}

/// Passes the script's output through, then prints the value (like
/// `inspect`) or the error with its backtrace.
fn print_plain(result: &Result<Execution, Error>) -> std::io::Result<()> {
    let (mut stdout, mut stderr) = (std::io::stdout().lock(), std::io::stderr().lock());
    let output = match result {
        Ok(run) => Some(run.output()),
        Err(e) => e.output(),
    };
    if let Some(output) = output {
        stdout.write_all(output.stdout())?;
        stderr.write_all(output.stderr())?;
    }
    match result {
        Ok(run) => writeln!(stdout, "{}", run.value()),
        Err(e) => {
            writeln!(stderr, "{e}")?;
            for line in e.guest_failure().and_then(|g| g.backtrace()).unwrap_or_default() {
                writeln!(stderr, "\tfrom {line}")?;
            }
            Ok(())
        }
    }
}
