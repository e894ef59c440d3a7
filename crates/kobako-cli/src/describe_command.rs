//! `kobako describe`: print the services a script can call, for a prompt.

use std::io::Write;
use std::process::ExitCode;

use clap::Args;

use crate::builtin_services;
use crate::sandbox_args::SetupArgs;
use crate::service_doc;

#[derive(Args)]
pub(crate) struct DescribeArgs {
    #[command(flatten)]
    setup: SetupArgs,
    /// Print the description as one JSON object.
    #[arg(long)]
    json: bool,
}

/// The description of what a script may call under these options, as text.
pub(crate) fn text(setup: &SetupArgs, manifest: &crate::manifest::Manifest) -> String {
    service_doc::render_text(&builtin_services::describe(manifest), &setup.caps(manifest))
}

pub(crate) fn run(args: DescribeArgs) -> ExitCode {
    let manifest = match args.setup.manifest() {
        Ok(manifest) => manifest,
        Err(code) => return code,
    };
    let printed = if args.json {
        let docs = builtin_services::describe(&manifest);
        let json = service_doc::render_json(&docs, &args.setup.caps(&manifest));
        writeln!(std::io::stdout().lock(), "{json}")
    } else {
        write!(std::io::stdout().lock(), "{}", text(&args.setup, &manifest))
    };
    // A closed pipe (`kobako describe | head`) is not an error.
    let _ = printed;
    ExitCode::SUCCESS
}
