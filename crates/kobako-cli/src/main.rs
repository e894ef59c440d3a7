//! The `kobako` command: evaluate a Ruby script in the sandbox, describe the
//! services a manifest binds, or serve MCP (on stdio or HTTP).

mod backtrace;
mod bearer_auth;
mod cap_notices;
mod code_mode_server;
mod compile_command;
mod describe_command;
mod eval_command;
/// The kobako crate's counting allocator, so unit tests can measure the heap
/// a step holds.
#[cfg(test)]
#[path = "../../kobako/tests/support/heap_peak.rs"]
mod heap_peak;
mod help_examples;
mod json_report;
mod logging;
mod manifest;
mod mcp_command;
mod mcp_framing;
mod mcp_handshake;
mod mcp_id_scanner;
mod metrics_endpoint;
mod report;
mod run_command;
mod run_metrics;
mod run_slots;
mod sandbox_args;
mod script_file;
mod serve_command;
mod service_doc;
mod services;
mod shutdown;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Exit status for bad command-line usage (BSD sysexits EX_USAGE).
const EXIT_USAGE: u8 = 64;

#[derive(Parser)]
#[command(
    name = "kobako",
    version,
    about = "Run untrusted Ruby in a WebAssembly sandbox",
    after_help = help_examples::KOBAKO
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Evaluate a script (FILE, `-` for stdin, or -e CODE), print its output
    /// and then its value (`=> 42`).
    #[command(after_help = help_examples::EVAL)]
    Eval(eval_command::EvalArgs),
    /// Preload FILE and call its entrypoint --entry with JSON arguments.
    #[command(after_help = help_examples::RUN)]
    Run(run_command::RunArgs),
    /// Compile Ruby source to mruby bytecode with the guest's compiler.
    Compile(compile_command::CompileArgs),
    /// Print the services a script can call (from --manifest), for a prompt.
    Describe(describe_command::DescribeArgs),
    /// Serve MCP on stdin/stdout: tools `execute` (run a script) and `describe`.
    #[command(after_help = help_examples::MCP)]
    Mcp(mcp_command::McpArgs),
    /// Serve MCP over HTTP (Streamable HTTP at /mcp), behind a bearer token:
    /// the same tools as `mcp`.
    #[command(after_help = help_examples::SERVE)]
    Serve(serve_command::ServeArgs),
}

/// Reads a file named on the command line, with the path in the error.
fn read_file(path: &std::path::Path) -> Result<Vec<u8>, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    read_script(file, &path.display().to_string())
}

/// Reads a script, stopping one byte past the library's source limit so
/// that an endless input (`yes | kobako eval -`) cannot grow the process;
/// the library then refuses the over-long source with its usual error.
fn read_script(reader: impl std::io::Read, what: &str) -> Result<Vec<u8>, String> {
    use std::io::Read as _;
    let mut source = Vec::new();
    reader
        .take(kobako::MAX_SOURCE_BYTES as u64 + 1)
        .read_to_end(&mut source)
        .map_err(|e| format!("cannot read {what}: {e}"))?;
    Ok(source)
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
        Command::Run(args) => run_command::run(args),
        Command::Compile(args) => compile_command::run(args),
        Command::Describe(args) => describe_command::run(args),
        Command::Mcp(args) => mcp_command::run(args),
        Command::Serve(args) => serve_command::run(args),
    }
}
