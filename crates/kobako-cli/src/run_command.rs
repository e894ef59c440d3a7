//! `kobako run`: preload a file of definitions and call one entrypoint.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use kobako::Value;

use crate::EXIT_USAGE;
use crate::json_report::json_to_value;
use crate::report::report;
use crate::sandbox_args::SandboxArgs;

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
    args: Vec<serde_json::Value>,
    /// Keyword arguments as one JSON object.
    #[arg(long, value_name = "JSON", value_parser = parse_json)]
    kwargs: Option<serde_json::Value>,
    #[command(flatten)]
    sandbox: SandboxArgs,
}

fn parse_json(text: &str) -> Result<serde_json::Value, String> {
    serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))
}

/// A snippet name from the file name: `price_rules.rb` → `PriceRules`.
pub(crate) fn snippet_name(path: &Path) -> String {
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
    let name: String = stem
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|part| !part.is_empty())
        .map(|part| part[..1].to_ascii_uppercase() + &part[1..])
        .collect();
    if name.starts_with(|c: char| c.is_ascii_uppercase()) {
        name
    } else {
        "Script".into()
    }
}

/// Positional and keyword arguments for `Sandbox::run`.
type Arguments = (Vec<Value>, Vec<(String, Value)>);

fn arguments(args: &RunArgs) -> Result<Arguments, String> {
    let positional = args
        .args
        .iter()
        .map(json_to_value)
        .collect::<Result<Vec<_>, _>>()?;
    let keywords = match &args.kwargs {
        None => Vec::new(),
        Some(serde_json::Value::Object(map)) => map
            .iter()
            .map(|(k, v)| Ok((k.clone(), json_to_value(v)?)))
            .collect::<Result<_, String>>()?,
        Some(_) => return Err("--kwargs must be a JSON object".into()),
    };
    Ok((positional, keywords))
}

pub(crate) fn run(args: RunArgs) -> ExitCode {
    let prepared = crate::read_file(&args.file).and_then(|bytes| Ok((bytes, arguments(&args)?)));
    let (bytes, (positional, keywords)) = match prepared {
        Ok(prepared) => prepared,
        Err(message) => {
            eprintln!("kobako: {message}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let sandbox = match args.sandbox.sandbox() {
        Ok(sandbox) => sandbox,
        Err(code) => return code,
    };
    let preloaded = if bytes.starts_with(b"RITE") {
        sandbox.preload_bytecode(bytes)
    } else {
        match String::from_utf8(bytes) {
            Ok(source) => sandbox.preload_source(&snippet_name(&args.file), &source),
            Err(_) => {
                eprintln!(
                    "kobako: {} is neither UTF-8 source nor mruby bytecode",
                    args.file.display()
                );
                return ExitCode::from(EXIT_USAGE);
            }
        }
    };
    let result = preloaded.and_then(|()| sandbox.run(&args.entry, &positional, &keywords));
    report(&result, args.sandbox.json)
}
