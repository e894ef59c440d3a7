//! `cargo xtask guest [--check]`: builds the guest image from pinned sources.
//! `cargo xtask native-mruby` builds the native baseline from the same
//! sources; `cargo xtask bench [--report-only | --peer-only]` runs the
//! benchmarks and writes the table in docs/benchmarks.md and its chart; `cargo xtask conformance` runs mruby's own tests in the
//! sandbox and writes docs/conformance.md; `cargo xtask sanitize` runs that
//! suite through a 32-bit AddressSanitizer build of mruby and the glue.
//!
//! Steps: unpack mruby (guest/sources/mruby-4.0.0.tar.gz, pinned by its
//! sha256) and apply guest/patches, build it with minirake for wasm32-wasi, compile
//! and link the guest glue, pre-initialise the result with wasmtime-wizer and
//! write `crates/kobako/guest/kobako.wasm`. `--check` writes nothing and fails
//! when the rebuilt bytes differ from the committed artifact.

mod bench_chart;
mod bench_report;
mod conformance;
mod guest_build;
mod native_mruby;
mod sanitize;
mod snapshot;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use sha2::{Digest, Sha256};

use crate::bench_report::Mode;

/// Where the committed, embedded guest artifact lives.
const ARTIFACT: &str = "crates/kobako/guest/kobako.wasm";
/// A script the native `mrbc` of the guest's sources compiles, so a test can
/// load bytecode made outside the guest (its `.mrb` is committed beside it).
const NATIVE_MRBC_FIXTURE: &str = "crates/kobako/tests/fixtures/native_mrbc.rb";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["guest"] => guest(false),
        ["guest", "--check"] => guest(true),
        ["native-mruby"] => native_mruby::build(&repo_root()).map(|_| ()),
        ["bench"] => bench_report::bench(&repo_root(), Mode::Full),
        ["bench", "--report-only"] => bench_report::bench(&repo_root(), Mode::ReportOnly),
        ["bench", "--peer-only"] => bench_report::bench(&repo_root(), Mode::PeerOnly),
        ["conformance"] => conformance::run(&repo_root(), false),
        ["conformance", "--check"] => conformance::run(&repo_root(), true),
        ["sanitize"] => sanitize::run_all(&repo_root()),
        _ => {
            eprintln!(
                "usage: cargo xtask guest [--check] | native-mruby | bench [--report-only | --peer-only] | conformance [--check] | sanitize"
            );
            return ExitCode::from(64);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace this run is for: `cargo run` names the manifest directory
/// at run time, which stays right when several checkouts share one target
/// directory (and so one xtask binary).
fn repo_root() -> PathBuf {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
    Path::new(&manifest_dir)
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

fn guest(check: bool) -> Result<(), String> {
    let root = repo_root();
    let raw = guest_build::build(&root)?;
    let image = snapshot::preinitialize(&raw)?;
    println!(
        "guest image: {} bytes, sha256 {}",
        image.len(),
        sha256_hex(&image)
    );
    keep_artifact(&root, ARTIFACT, &image, check)?;
    let fixture = guest_build::compile_with_native_mrbc(&root, NATIVE_MRBC_FIXTURE)?;
    keep_artifact(
        &root,
        &NATIVE_MRBC_FIXTURE.replace(".rb", ".mrb"),
        &fixture,
        check,
    )
}

/// Writes a built file into the repository, or with `check` fails when the
/// committed one differs from it.
fn keep_artifact(root: &Path, relative: &str, bytes: &[u8], check: bool) -> Result<(), String> {
    let path = root.join(relative);
    let digest = sha256_hex(bytes);
    if check {
        let committed = std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        if committed != bytes {
            return Err(format!(
                "rebuilt {relative} differs from the committed one (committed sha256 {}, rebuilt {digest})",
                sha256_hex(&committed)
            ));
        }
        println!("{relative} matches the rebuilt bytes");
    } else {
        std::fs::write(&path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        println!("wrote {relative}");
    }
    Ok(())
}
