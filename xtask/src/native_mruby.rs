//! Builds native mruby from the guest's own pinned sources, the baseline the
//! benchmarks compare CPU-bound scripts with.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::guest_build::{MRUBY_DEFINES, patches, run, vendor_mruby};

/// Builds (unless up to date) and returns the path of the native `mruby`.
pub fn build(root: &Path) -> Result<PathBuf, String> {
    let guest = root.join("guest");
    let build = guest.join("build");
    let out = build.join("native-out");
    let binary = out.join("host/bin/mruby");
    let stamp = out.join("kobako.stamp");
    let config = guest.join("native_build_config.rb");
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
    if binary.exists() && std::fs::read_to_string(&stamp).ok().as_deref() == Some(fingerprint.as_str()) {
        println!("native mruby is up to date ({})", binary.display());
        return Ok(binary);
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
    println!("built native mruby: {}", binary.display());
    Ok(binary)
}
