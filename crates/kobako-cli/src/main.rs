//! The `kobako` command: evaluate a Ruby script in the sandbox.

mod eval_command;
mod json_report;
mod kv_store;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Exit status for bad command-line usage (BSD sysexits EX_USAGE).
const EXIT_USAGE: u8 = 64;

#[derive(Parser)]
#[command(
    name = "kobako",
    version,
    about = "Run untrusted Ruby in a WebAssembly sandbox"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Evaluate a script (FILE, `-` for stdin, or -e CODE) and print its value.
    Eval(eval_command::EvalArgs),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_USAGE } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match cli.command {
        Command::Eval(args) => eval_command::run(args),
    }
}
