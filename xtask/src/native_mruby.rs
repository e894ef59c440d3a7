//! Builds native mruby from the guest's own pinned sources: the baseline the
//! benchmarks compare CPU-bound scripts with, and the sanitizer build of
//! `cargo xtask sanitize`.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::guest_build::{MRUBY_DEFINES, patches, run, vendor_mruby};

/// Builds (unless up to date) and returns the path of the native `mruby`.
pub fn build(root: &Path) -> Result<PathBuf, String> {
    let out = build_with(root, "native_build_config.rb", "native-out")?;
    Ok(out.join("host/bin/mruby"))
}

/// Builds mruby natively with the minirake configuration `guest/{config}`
/// into `guest/build/{out_name}` (unless up to date) and returns that
/// directory.
pub fn build_with(root: &Path, config: &str, out_name: &str) -> Result<PathBuf, String> {
    let guest = root.join("guest");
    let build = guest.join("build");
    let out = build.join(out_name);
    let stamp = out.join("kobako.stamp");
    let config = guest.join(config);
    let read = |path: &Path| {
        std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
    };
    let mut patch_text = String::new();
    for patch in patches(&guest)? {
        patch_text += &read(&patch)?;
    }
    let fingerprint = crate::sha256_hex(
        [
            read(&config)?,
            patch_text,
            read(&guest.join("mruby_gems.rb"))?,
            read(&guest.join("sources/Cargo.lock"))?,
            MRUBY_DEFINES.join(" "),
        ]
        .join("\n")
        .as_bytes(),
    );
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(fingerprint.as_str()) {
        println!("native mruby is up to date ({})", out.display());
        return Ok(out);
    }
    std::fs::create_dir_all(&build).map_err(|e| format!("cannot create {}: {e}", build.display()))?;
    vendor_mruby(&guest, &build)?;
    // The guest has no stdio; the native `mruby` command reads its script
    // through it.
    let defines: Vec<&str> = MRUBY_DEFINES
        .iter()
        .copied()
        .filter(|d| *d != "MRB_NO_STDIO")
        .collect();
    let mut rake = Command::new("ruby");
    rake.current_dir(build.join("mruby"))
        .args(["./minirake", "-j2", "all"])
        .env("MRUBY_CONFIG", &config)
        .env("MRUBY_BUILD_DIR", &out)
        .env("KOBAKO_MRUBY_DEFINES", defines.join(" "));
    run(&mut rake, "build native mruby (minirake)")?;
    std::fs::write(&stamp, &fingerprint).map_err(|e| format!("cannot write {}: {e}", stamp.display()))?;
    println!("built native mruby: {}", out.display());
    Ok(out)
}
