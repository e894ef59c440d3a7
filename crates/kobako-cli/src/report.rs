//! How a finished invocation is reported: exit code, plain or JSON output.

use std::io::Write;
use std::process::ExitCode;

use kobako::{Error, ErrorKind, Execution};

use crate::EXIT_USAGE;
use crate::json_report;

const EXIT_SANDBOX: u8 = 1;
const EXIT_SERVICE: u8 = 2;
const EXIT_TRAP: u8 = 3;
/// The sandbox could not start (an unusable guest module, an unopenable
/// KV store).
pub(crate) const EXIT_SETUP: u8 = 70;

/// Prints the result (plain or `--json`) and returns the exit code.
pub(crate) fn report(result: &Result<Execution, Error>, json: bool) -> ExitCode {
    // A closed pipe (`kobako eval ... | head`) is not an error worth a panic.
    let _ = if json {
        writeln!(std::io::stdout().lock(), "{}", json_report::render(result))
    } else {
        print_plain(result)
    };
    ExitCode::from(exit_code(result))
}

fn exit_code(result: &Result<Execution, Error>) -> u8 {
    match result {
        Ok(_) => 0,
        Err(e) if e.is_trap() => EXIT_TRAP,
        Err(e) if e.is_service() => EXIT_SERVICE,
        Err(e) if e.is_setup_error() => EXIT_SETUP,
        Err(e) if e.kind() == ErrorKind::Usage => EXIT_USAGE,
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
