//! `kobako describe`: print the services a script can call, for a prompt.

use std::io::Write;
use std::process::ExitCode;

use clap::Args;
use serde_json::Value as Json;

use crate::manifest::Manifest;
use crate::sandbox_args::SetupArgs;
use crate::service_doc;
use crate::services;

#[derive(Args)]
pub(crate) struct DescribeArgs {
    #[command(flatten)]
    setup: SetupArgs,
    /// Print the description as one JSON object.
    #[arg(long)]
    json: bool,
}

/// What a script may call under these options and how it is capped, as
/// plain text and as JSON.
pub(crate) fn description(setup: &SetupArgs, manifest: &Manifest) -> (String, Json) {
    let docs = services::describe(manifest);
    let caps = setup.caps(manifest);
    let notes = setup.guest_notes();
    (
        service_doc::render_text(&docs, &caps, &notes),
        service_doc::render_json(&docs, &caps, &notes),
    )
}

/// Prints the description (text, or JSON with `--json`).
pub(crate) fn run(args: DescribeArgs) -> ExitCode {
    let manifest = match args.setup.manifest() {
        Ok(manifest) => manifest,
        Err(code) => return code,
    };
    let (text, json) = description(&args.setup, &manifest);
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`kobako describe | head`) is not an error.
    let _ = if args.json {
        writeln!(stdout, "{json}")
    } else {
        write!(stdout, "{text}")
    };
    ExitCode::SUCCESS
}
