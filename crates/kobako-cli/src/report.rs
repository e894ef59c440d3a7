//! How a finished invocation is reported: exit code, plain or JSON output.

use std::io::Write;
use std::process::ExitCode;

use kobako::{Error, ErrorKind, Execution, Value};

use crate::EXIT_USAGE;
use crate::backtrace::{self, Line};
use crate::cap_notices::{cap_hint, truncation_notices};
use crate::json_report;
use crate::script_file::{ScriptFile, relabel};

const EXIT_SANDBOX: u8 = 1;
const EXIT_SERVICE: u8 = 2;
const EXIT_TRAP: u8 = 3;
/// The sandbox could not start (an unusable guest module, an unopenable
/// KV store).
pub(crate) const EXIT_SETUP: u8 = 70;

/// How a result is printed: one JSON record, or the script's output followed
/// by its value (`=> 42`, unless `value` is false) or its error.
#[derive(Clone, Copy)]
pub(crate) enum Format {
    Json,
    Plain { value: bool },
}

/// Prints the result in `format` and returns the exit code; errors name
/// `file` where they would name its snippet.
pub(crate) fn report(
    result: &Result<Execution, Error>,
    format: Format,
    file: Option<&ScriptFile>,
) -> ExitCode {
    // A closed pipe (`kobako eval ... | head`) is not an error worth a panic.
    let _ = match format {
        Format::Json => json_report::render(result, file).write_line(std::io::stdout().lock()),
        Format::Plain { value } => print_plain(result, value, file),
    };
    ExitCode::from(exit_code(result))
}

/// The guest-side `inspect` of a result that ran to its end but cannot
/// cross the boundary (a Time, a Set, a Struct...), which the CLI shows in
/// place of the value.
pub(crate) fn uncrossable_inspect(error: &Error) -> Option<&str> {
    let failure = error.guest_failure()?;
    if error.kind() != ErrorKind::Sandbox || failure.klass() != Some(ErrorKind::Sandbox.ruby_class()) {
        return None;
    }
    match failure.details()? {
        Value::Map(pairs) => pairs.iter().find_map(|(key, value)| match (key, value) {
            (Value::Str(key), Value::Str(text)) if key == "inspect" => Some(text.as_str()),
            _ => None,
        }),
        _ => None,
    }
}

fn exit_code(result: &Result<Execution, Error>) -> u8 {
    match result {
        Ok(_) => 0,
        Err(e) if uncrossable_inspect(e).is_some() => 0,
        Err(e) if e.is_trap() => EXIT_TRAP,
        Err(e) if e.is_service() => EXIT_SERVICE,
        Err(e) if e.is_setup_error() => EXIT_SETUP,
        Err(e) if e.kind() == ErrorKind::Usage => EXIT_USAGE,
        Err(_) => EXIT_SANDBOX,
    }
}

/// Passes the script's output through, then prints the value (`=> ` and
/// its `inspect`, on a line of its own) or the error with its condensed
/// backtrace, then a `kobako:` notice for each cap the run hit.
fn print_plain(
    result: &Result<Execution, Error>,
    value: bool,
    file: Option<&ScriptFile>,
) -> std::io::Result<()> {
    let (mut stdout, mut stderr) = (std::io::stdout().lock(), std::io::stderr().lock());
    let output = match result {
        Ok(run) => Some(run.output()),
        Err(e) => e.output(),
    };
    let (printed, warned) = output.map_or((&[][..], &[][..]), |o| (o.stdout(), o.stderr()));
    stdout.write_all(printed)?;
    stderr.write_all(warned)?;
    let shown = match result {
        Ok(run) => Some(run.value().to_string()),
        Err(e) => uncrossable_inspect(e).map(str::to_owned),
    };
    if let (Some(shown), true) = (&shown, value) {
        end_line(&mut stdout, printed)?;
        writeln!(stdout, "=> {shown}")?;
    }
    stdout.flush()?;
    let mut report = Vec::new();
    if let (Err(e), None) = (result, &shown) {
        report.push(relabel(file, &e.to_string()));
        let frames = e.guest_failure().and_then(|g| g.backtrace()).unwrap_or_default();
        report.extend(backtrace::condense(frames).iter().map(|line| match line {
            Line::Frame(frame) => format!("\tfrom {}", relabel(file, frame)),
            Line::Omitted(note) => format!("\t{note}"),
        }));
    }
    let notices = output.map(truncation_notices).unwrap_or_default().into_iter();
    let hint = result.as_ref().err().and_then(cap_hint);
    report.extend(notices.chain(hint).map(|notice| format!("kobako: {notice}")));
    if !report.is_empty() {
        end_line(&mut stderr, warned)?;
        writeln!(stderr, "{}", report.join("\n"))?;
    }
    Ok(())
}

/// Starts a new line on `stream` unless what the script `wrote` there is
/// empty or already ends its line.
fn end_line(stream: &mut impl Write, wrote: &[u8]) -> std::io::Result<()> {
    if wrote.is_empty() || wrote.ends_with(b"\n") {
        Ok(())
    } else {
        writeln!(stream)
    }
}
