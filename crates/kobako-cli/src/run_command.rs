//! `kobako run`: preload a file of definitions and call one entrypoint.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use kobako::Value;

use crate::EXIT_USAGE;
use crate::report::report;
use crate::sandbox_args::{SandboxArgs, setup_failed};
use crate::script_file::ScriptFile;

#[derive(Args)]
pub(crate) struct RunArgs {
    /// Ruby source (or mruby bytecode from `kobako compile`) defining the
    /// entrypoint.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// The top-level constant to call (it must respond to `call`).
    #[arg(long, value_name = "NAME")]
    entry: String,
    /// A positional argument as JSON; repeat for more.
    #[arg(long = "arg", value_name = "JSON", value_parser = parse_json)]
    args: Vec<Value>,
    /// Keyword arguments as one JSON object.
    #[arg(long, value_name = "JSON", value_parser = parse_json)]
    kwargs: Option<Value>,
    #[command(flatten)]
    sandbox: SandboxArgs,
}

fn parse_json(text: &str) -> Result<Value, String> {
    Value::from_json(text).map_err(|e| e.to_string())
}

/// The keyword arguments for `Sandbox::run`: `--kwargs` must be an object.
fn keywords(kwargs: Option<&Value>) -> Result<Vec<(String, Value)>, String> {
    match kwargs {
        None => Ok(Vec::new()),
        Some(Value::Map(pairs)) => Ok(pairs
            .iter()
            .filter_map(|(k, v)| Some((k.as_str()?.to_owned(), v.clone())))
            .collect()),
        Some(_) => Err("--kwargs must be a JSON object".into()),
    }
}

pub(crate) fn run(args: RunArgs) -> ExitCode {
    let prepared =
        crate::read_file(&args.file).and_then(|bytes| Ok((bytes, keywords(args.kwargs.as_ref())?)));
    let (bytes, keywords) = match prepared {
        Ok(prepared) => prepared,
        Err(message) => {
            eprintln!("kobako: {message}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let mut builder = match args.sandbox.builder() {
        Ok(builder) => builder,
        Err(code) => return code,
    };
    let (format, file) = (args.sandbox.format(), ScriptFile::new(&args.file));
    let preloaded = if bytes.starts_with(b"RITE") {
        builder.preload_bytecode(bytes)
    } else {
        match String::from_utf8(bytes) {
            Ok(source) => builder.preload_source(file.snippet(), &source),
            Err(_) => {
                eprintln!(
                    "kobako: {} is neither UTF-8 source nor mruby bytecode",
                    args.file.display()
                );
                return ExitCode::from(EXIT_USAGE);
            }
        }
    };
    if let Err(e) = preloaded {
        return report(&Err(e), format, Some(&file));
    }
    let sandbox = match builder.build() {
        Ok(sandbox) => sandbox,
        // The guest did not load: report it as a setup failure.
        Err(e) if e.is_setup_error() => return setup_failed(&e),
        // The file did not compile: report it like a failed run.
        Err(e) => return report(&Err(e), format, Some(&file)),
    };
    let ran = sandbox.run(&args.entry, &args.args, keywords);
    report(&ran, format, Some(&file))
}
