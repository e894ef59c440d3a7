//! `kobako eval`: run a script (FILE, `-` for stdin, or -e CODE).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::EXIT_USAGE;
use crate::report::report;
use crate::sandbox_args::SandboxArgs;

#[derive(Args)]
pub(crate) struct EvalArgs {
    /// Script file to run; `-` reads the script from stdin.
    #[arg(value_name = "FILE", conflicts_with = "code")]
    file: Option<PathBuf>,
    /// Run CODE instead of a file.
    #[arg(short = 'e', value_name = "CODE", allow_hyphen_values = true)]
    code: Option<String>,
    #[command(flatten)]
    sandbox: SandboxArgs,
}

fn read_source(args: &EvalArgs) -> Result<Vec<u8>, String> {
    if let Some(code) = &args.code {
        return Ok(code.clone().into_bytes());
    }
    match args.file.as_deref() {
        Some(path) if path.as_os_str() == "-" => crate::read_script(std::io::stdin(), "the script on stdin"),
        Some(path) => crate::read_file(path),
        None => Err(
            "no script given: name a script FILE, `-` to read it from stdin, or -e CODE \
             (see `kobako eval --help`)"
                .into(),
        ),
    }
}

pub(crate) fn run(args: EvalArgs) -> ExitCode {
    let source = match read_source(&args) {
        Ok(source) => source,
        Err(message) => {
            eprintln!("kobako: {message}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    match args.sandbox.sandbox() {
        Ok(sandbox) => report(&sandbox.eval_bytes(&source), args.sandbox.format(), None),
        Err(code) => code,
    }
}
