//! `kobako compile`: turn Ruby source into mruby bytecode with the guest's
//! own compiler, for `kobako run` or `Sandbox::preload_bytecode`.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::EXIT_USAGE;
use crate::manifest::Manifest;
use crate::report::{Format, report};
use crate::sandbox_args::{ONE_SHOT_POOL_SIZE, WorkCapArgs, setup_failed};
use crate::script_file::ScriptFile;
use clap::Args;

#[derive(Args)]
pub(crate) struct CompileArgs {
    /// Ruby source file.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// Where to write the bytecode.
    #[arg(short = 'o', value_name = "OUT.mrb")]
    output: PathBuf,
    /// Compiling runs in the sandbox under the same caps as a run.
    #[command(flatten)]
    caps: WorkCapArgs,
    /// Take the caps from a manifest's [limits] (kobako.toml).
    #[arg(long, value_name = "PATH")]
    manifest: Option<PathBuf>,
}

pub(crate) fn run(args: CompileArgs) -> ExitCode {
    let source = match crate::read_file(&args.file).and_then(|bytes| {
        String::from_utf8(bytes).map_err(|_| format!("{} is not UTF-8 source", args.file.display()))
    }) {
        Ok(source) => source,
        Err(message) => {
            eprintln!("kobako: {message}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let manifest = match &args.manifest {
        None => Manifest::default(),
        Some(path) => match Manifest::load(path) {
            Ok(manifest) => manifest,
            Err(message) => {
                eprintln!("kobako: {message}");
                return ExitCode::from(EXIT_USAGE);
            }
        },
    };
    let sandbox = match args.caps.builder(&manifest).pool_size(ONE_SHOT_POOL_SIZE).build() {
        Ok(sandbox) => sandbox,
        Err(e) => return setup_failed(&e),
    };
    let file = ScriptFile::new(&args.file);
    match sandbox.compile(file.snippet(), &source) {
        Ok(bytecode) => match std::fs::write(&args.output, bytecode) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("kobako: cannot write {}: {e}", args.output.display());
                ExitCode::from(EXIT_USAGE)
            }
        },
        Err(e) => report(&Err(e), Format::Plain { value: false }, Some(&file)),
    }
}
