//! Compiles mruby and the guest glue into a raw (not yet snapshotted) module.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Preprocessor settings shared by mruby and the glue; they must agree, or
/// the two halves would disagree about the layout of mruby's structs.
pub(crate) const MRUBY_DEFINES: &[&str] = &[
    // Strings index by character, as in CRuby.
    "MRB_UTF8_STRING",
    // No size caps inside mruby: the host's memory_limit is the only cap, so
    // a huge string ends in MemoryLimitError rather than a rescuable error.
    "MRB_STR_LENGTH_MAX=0",
    "MRB_ARY_LENGTH_MAX=0",
    // No stdio: all output goes through the guest's own IO surface.
    "MRB_NO_STDIO",
];

/// Defines that the allowlisted gems add to mruby's own build (in their
/// mrbgem.rake); the glue must see them too, for the same struct layouts.
pub(crate) const GEM_DEFINES: &[&str] = &["MRB_USE_BIGINT", "MRB_USE_RATIONAL", "MRB_USE_COMPLEX"];

/// Code generation flags for every wasm translation unit.
const WASM_CFLAGS: &[&str] = &[
    "--target=wasm32-wasi",
    "--sysroot=/usr",
    "-O2",
    // Link-time optimisation: fewer, larger functions (a quicker module to
    // load) and helpers inlined into the interpreter loop.
    "-flto",
    "-g0",
    "-mllvm",
    "-wasm-enable-sjlj",
    "-mllvm",
    "-wasm-use-legacy-eh=false",
    "-mexception-handling",
    "-Wno-deprecated",
    "-Wno-unused-command-line-argument",
];

/// The Oniguruma sources the guest needs (UTF-8 only), from the vendored
/// `onig_sys` crate's `oniguruma/src`.
pub(crate) const ONIG_SOURCES: &[&str] = &[
    "regparse.c",
    "regcomp.c",
    "regexec.c",
    "regenc.c",
    "regerror.c",
    "regext.c",
    "regsyntax.c",
    "regtrav.c",
    "regversion.c",
    "st.c",
    "unicode.c",
    "unicode_unfold_key.c",
    "unicode_fold1_key.c",
    "unicode_fold2_key.c",
    "unicode_fold3_key.c",
    "ascii.c",
    "utf8.c",
];

/// Oniguruma's defines: no computed gotos (wasm has none) and its own
/// config.h (guest/onig/config.h).
pub(crate) const ONIG_DEFINES: &[&str] = &["ONIG_DISABLE_DIRECT_THREADING=1", "HAVE_CONFIG_H=1"];

/// Glue sources compiled to wasm code rather than LTO bitcode: the setjmp
/// runtime, whose functions the setjmp lowering starts calling only during
/// link-time code generation, after LTO has settled which symbols exist.
const OUTSIDE_LTO: &[&str] = &["sjlj_runtime"];

/// Exported linker settings: the shadow stack goes first in memory, so an
/// overflow runs below address 0 and traps instead of corrupting data.
const LINK_FLAGS: &[&str] = &[
    "-mexec-model=reactor",
    "-Wl,--stack-first",
    "-Wl,-z,stack-size=1048576",
    "-Wl,--strip-all",
    // Code generation happens at link time under LTO, so the setjmp
    // lowering must be asked for there too.
    "-Wl,-mllvm,-wasm-enable-sjlj",
    "-Wl,-mllvm,-wasm-use-legacy-eh=false",
    "-Wl,-mllvm,-exception-model=wasm",
];

pub fn build(root: &Path) -> Result<Vec<u8>, String> {
    let guest = root.join("guest");
    let build = guest.join("build");
    std::fs::create_dir_all(&build).map_err(|e| format!("cannot create {}: {e}", build.display()))?;

    let prefix_map = format!("-ffile-prefix-map={}=.", root.display());
    let mruby = build.join("mruby");
    let stamp = build.join("mruby-out/kobako.stamp");
    let fingerprint = mruby_fingerprint(&guest, &prefix_map)?;
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(fingerprint.as_str()) {
        println!("mruby is up to date ({}), skipping its build", stamp.display());
    } else {
        vendor_mruby(&guest, &build)?;
        build_libmruby(&guest, &build, &mruby, &prefix_map)?;
        std::fs::write(&stamp, &fingerprint).map_err(|e| format!("cannot write {}: {e}", stamp.display()))?;
    }
    let onig_stamp = build.join("onig-out/kobako.stamp");
    let onig_fingerprint = onig_fingerprint(&guest, &prefix_map)?;
    if std::fs::read_to_string(&onig_stamp).ok().as_deref() == Some(onig_fingerprint.as_str()) {
        println!(
            "oniguruma is up to date ({}), skipping its build",
            onig_stamp.display()
        );
    } else {
        build_onig(&guest, &build, &prefix_map)?;
        std::fs::write(&onig_stamp, &onig_fingerprint)
            .map_err(|e| format!("cannot write {}: {e}", onig_stamp.display()))?;
    }
    let objects = compile_glue(&guest, &build, &mruby, &prefix_map)?;

    let output = build.join("kobako-raw.wasm");
    let mut link = Command::new("clang-22");
    link.args(WASM_CFLAGS).args(LINK_FLAGS).args(&objects);
    link.arg(build.join("mruby-out/wasm/lib/libmruby.a"));
    link.arg(build.join("onig-out/libonig.a"));
    link.arg("-o").arg(&output);
    run(&mut link, "link the guest")?;
    std::fs::read(&output).map_err(|e| format!("cannot read {}: {e}", output.display()))
}

/// Compiles a Ruby file with the host `mrbc` built beside the guest (same
/// sources and patches) and returns the bytecode.
pub fn compile_with_native_mrbc(root: &Path, relative: &str) -> Result<Vec<u8>, String> {
    let mrbc = root.join("guest/build/mruby-out/host/bin/mrbc");
    let output = root.join("guest/build/native_mrbc.mrb");
    let mut command = Command::new(&mrbc);
    command.arg("-o").arg(&output).arg(relative).current_dir(root);
    run(
        &mut command,
        &format!("compile {relative} with {}", mrbc.display()),
    )?;
    std::fs::read(&output).map_err(|e| format!("cannot read {}: {e}", output.display()))
}

/// Everything the mruby build depends on; a rebuild is skipped when it is
/// unchanged (CI always starts from a clean tree, so `--check` rebuilds).
fn mruby_fingerprint(guest: &Path, prefix_map: &str) -> Result<String, String> {
    let read = |name: &str| {
        std::fs::read_to_string(guest.join(name)).map_err(|e| format!("cannot read guest/{name}: {e}"))
    };
    let mut patch_text = String::new();
    for patch in patches(guest)? {
        patch_text +=
            &std::fs::read_to_string(&patch).map_err(|e| format!("cannot read {}: {e}", patch.display()))?;
    }
    Ok(crate::sha256_hex(
        [
            read("build_config.rb")?,
            read("mruby_gems.rb")?,
            MRUBY_ARCHIVE_SHA256.to_owned(),
            patch_text,
            MRUBY_DEFINES.join(" "),
            WASM_CFLAGS.join(" "),
            prefix_map.to_owned(),
        ]
        .join("\n")
        .as_bytes(),
    ))
}

/// Everything the Oniguruma build depends on.
fn onig_fingerprint(guest: &Path, prefix_map: &str) -> Result<String, String> {
    let read = |name: &str| {
        std::fs::read_to_string(guest.join(name)).map_err(|e| format!("cannot read guest/{name}: {e}"))
    };
    Ok(crate::sha256_hex(
        [
            read("sources/Cargo.lock")?,
            read("onig/config.h")?,
            ONIG_SOURCES.join(" "),
            ONIG_DEFINES.join(" "),
            WASM_CFLAGS.join(" "),
            prefix_map.to_owned(),
        ]
        .join("\n")
        .as_bytes(),
    ))
}

/// Where the vendored Oniguruma sources are.
pub(crate) fn onig_src(build: &Path) -> PathBuf {
    build.join("vendor/onig_sys/oniguruma/src")
}

/// Compiles Oniguruma into onig-out/libonig.a (a deterministic archive).
fn build_onig(guest: &Path, build: &Path, prefix_map: &str) -> Result<(), String> {
    let src = onig_src(build);
    if !src.exists() {
        vendor_sources(guest, build)?;
    }
    let out = build.join("onig-out");
    if out.exists() {
        std::fs::remove_dir_all(&out).map_err(|e| format!("cannot clear {}: {e}", out.display()))?;
    }
    std::fs::create_dir_all(&out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let mut objects = Vec::new();
    for name in ONIG_SOURCES {
        let object = out.join(name.replace(".c", ".o"));
        let mut cc = Command::new("clang-22");
        cc.args(WASM_CFLAGS).arg(prefix_map);
        cc.args(["-w", "-std=gnu11"]);
        cc.args(ONIG_DEFINES.iter().map(|d| format!("-D{d}")));
        cc.arg(format!("-I{}", guest.join("onig").display()));
        cc.arg(format!("-I{}", src.display()));
        cc.arg("-c").arg(src.join(name)).arg("-o").arg(&object);
        run(&mut cc, &format!("compile oniguruma {name}"))?;
        objects.push(object);
    }
    let mut ar = Command::new("llvm-ar-22");
    ar.arg("rcsD").arg(out.join("libonig.a")).args(&objects);
    run(&mut ar, "archive oniguruma")
}

/// Runs `cargo vendor` on guest/sources (mruby and Oniguruma).
fn vendor_sources(guest: &Path, build: &Path) -> Result<(), String> {
    let vendor = build.join("vendor");
    let mut cargo = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cargo
        .args(["vendor", "--locked", "--quiet", "--manifest-path"])
        .arg(guest.join("sources/Cargo.toml"))
        .arg(&vendor);
    run(&mut cargo, "vendor the guest's C sources")
}

/// The mruby release the guest is built from, kept in the repository and
/// pinned by its checksum (a `git archive` of tag 4.0.0, commit 831da26b).
pub(crate) const MRUBY_ARCHIVE: &str = "sources/mruby-4.0.0.tar.gz";
const MRUBY_ARCHIVE_SHA256: &str = "8cb2e33b301186b2d3e086228efe41552466d6ca217cb96b9528a300329f0cd9";
/// The folder the archive unpacks to.
const MRUBY_ARCHIVE_ROOT: &str = "mruby-4.0.0";

/// Checks the mruby archive against its pinned checksum, unpacks a fresh
/// copy of the tree into build/mruby and applies our patches.
pub(crate) fn vendor_mruby(guest: &Path, build: &Path) -> Result<(), String> {
    let archive = guest.join(MRUBY_ARCHIVE);
    let bytes = std::fs::read(&archive).map_err(|e| format!("cannot read {}: {e}", archive.display()))?;
    let digest = crate::sha256_hex(&bytes);
    if digest != MRUBY_ARCHIVE_SHA256 {
        return Err(format!(
            "{} has sha256 {digest}, expected {MRUBY_ARCHIVE_SHA256}; restore it from git",
            archive.display()
        ));
    }
    let mruby = build.join("mruby");
    let unpacked = build.join(MRUBY_ARCHIVE_ROOT);
    for dir in [&mruby, &unpacked] {
        if dir.exists() {
            std::fs::remove_dir_all(dir).map_err(|e| format!("cannot clear {}: {e}", dir.display()))?;
        }
    }
    let mut tar = Command::new("tar");
    tar.arg("-xzf").arg(&archive).arg("-C").arg(build);
    run(&mut tar, &format!("unpack {}", archive.display()))?;
    std::fs::rename(&unpacked, &mruby).map_err(|e| format!("cannot rename {}: {e}", unpacked.display()))?;
    for patch in patches(guest)? {
        let mut apply = Command::new("patch");
        apply
            .args(["-p1", "--forward", "--batch", "--quiet", "-d"])
            .arg(&mruby)
            .arg("-i")
            .arg(&patch);
        run(&mut apply, &format!("apply {}", patch.display()))?;
    }
    Ok(())
}

/// Our changes to mruby, applied in name order after vendoring.
pub(crate) fn patches(guest: &Path) -> Result<Vec<PathBuf>, String> {
    let mut patches: Vec<PathBuf> = std::fs::read_dir(guest.join("patches"))
        .map_err(|e| format!("cannot list guest/patches: {e}"))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "patch"))
        .collect();
    patches.sort();
    Ok(patches)
}

fn build_libmruby(guest: &Path, build: &Path, mruby: &Path, prefix_map: &str) -> Result<(), String> {
    let out = build.join("mruby-out");
    if out.exists() {
        std::fs::remove_dir_all(&out).map_err(|e| format!("cannot clear {}: {e}", out.display()))?;
    }
    let mut flags: Vec<String> = WASM_CFLAGS.iter().map(|s| s.to_string()).collect();
    flags.push(prefix_map.to_string());
    flags.push(format!("-I{}", guest.join("include").display()));
    let mut rake = Command::new("ruby");
    rake.current_dir(mruby)
        .args(["./minirake", "-j2", "all"])
        .env("MRUBY_CONFIG", guest.join("build_config.rb"))
        .env("MRUBY_BUILD_DIR", &out)
        .env("KOBAKO_WASM_CFLAGS", flags.join(" "))
        .env("KOBAKO_MRUBY_DEFINES", MRUBY_DEFINES.join(" "));
    run(&mut rake, "build mruby (minirake)")
}

fn compile_glue(guest: &Path, build: &Path, mruby: &Path, prefix_map: &str) -> Result<Vec<PathBuf>, String> {
    let objdir = build.join("glue");
    std::fs::create_dir_all(&objdir).map_err(|e| format!("cannot create {}: {e}", objdir.display()))?;
    let mut sources: Vec<PathBuf> = std::fs::read_dir(guest.join("src"))
        .map_err(|e| format!("cannot list guest/src: {e}"))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| matches!(path.extension().and_then(|e| e.to_str()), Some("c" | "S")))
        .collect();
    sources.sort();

    let mut objects = Vec::new();
    for source in sources {
        let stem = source.file_stem().and_then(|s| s.to_str()).unwrap_or("unit");
        let object = objdir.join(format!("{stem}.o"));
        let mut cc = Command::new("clang-22");
        let lto = !OUTSIDE_LTO.contains(&stem);
        cc.args(WASM_CFLAGS.iter().filter(|flag| lto || **flag != "-flto"))
            .arg(prefix_map);
        if source.extension().and_then(|e| e.to_str()) == Some("c") {
            cc.args(["-std=gnu23", "-Wall", "-Wextra", "-Werror"]);
            cc.arg(format!("-I{}", guest.join("include").display()));
            cc.arg(format!("-I{}", mruby.join("include").display()));
            // mruby 4's generated symbol headers (presym) live in the build.
            cc.arg(format!("-I{}", build.join("mruby-out/wasm/include").display()));
            cc.arg(format!("-I{}", mruby.join("mrbgems/mruby-bigint/core").display()));
            cc.arg(format!("-I{}", onig_src(build).display()));
            cc.args(MRUBY_DEFINES.iter().chain(GEM_DEFINES).map(|d| format!("-D{d}")));
        }
        cc.arg("-c").arg(&source).arg("-o").arg(&object);
        run(&mut cc, &format!("compile {}", source.display()))?;
        objects.push(object);
    }
    Ok(objects)
}

pub(crate) fn run(command: &mut Command, what: &str) -> Result<(), String> {
    let status = command
        .status()
        .map_err(|e| format!("cannot {what}: {e} (is the guest toolchain installed? see .ci/run)"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("failed to {what}: {status}"))
    }
}
