//! `cargo xtask sanitize`: mruby, Oniguruma and the guest glue that does not
//! need the wasm host, built natively for 32-bit x86 (the guest's pointer
//! and integer sizes) with AddressSanitizer, then every test file of mruby's
//! suite and guest/sanitize/glue_stress.rb run through it, with leak
//! detection on (the harness closes the interpreter, so whatever is still
//! allocated at exit is a leak). Fails on any sanitizer report, and on a
//! script that raises or fails to load (the harness then exits 1). The guest
//! cannot run a sanitizer itself, and a memory error there shows up later,
//! elsewhere, if at all.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::conformance::{DRIVER_SHIMS, SuiteFile, suite};
use crate::guest_build::{GEM_DEFINES, MRUBY_DEFINES, ONIG_DEFINES, ONIG_SOURCES, onig_src, run};

/// The glue files that build and run outside the wasm host.
const PORTABLE_GLUE: &[&str] = &[
    "handle.c",
    "json.c",
    "json_generate.c",
    "json_parse.c",
    "regexp.c",
    "utf8.c",
];

/// The guest's Ruby runtime, in the order `guest/src/exports.c` embeds it
/// (the last file, the image's constant record, is not needed here).
const RUNTIME_RUBY: &[&str] = &[
    "io.rb",
    "random.rb",
    "proxies.rb",
    "json.rb",
    "regexp.rb",
    "compat.rb",
];

/// Code generation for every unit (guest/sanitize/build_config.rb matches).
const CFLAGS: &[&str] = &[
    "-m32",
    "-g",
    "-O1",
    "-fno-omit-frame-pointer",
    "-fsanitize=address",
];

/// How the harness ends when the sanitizer reports (a memory error or a
/// leak), to tell that apart from a test file that raised.
const SANITIZER_EXIT: i32 = 86;

pub fn run_all(root: &Path) -> Result<(), String> {
    let out = crate::native_mruby::build_with(root, "sanitize/build_config.rb", "sanitize-out")?;
    let harness = build_harness(root, &out)?;
    let runtime: Vec<PathBuf> = RUNTIME_RUBY
        .iter()
        .map(|name| root.join("guest/ruby").join(name))
        .collect();
    let scratch = out.join("scripts");
    std::fs::create_dir_all(&scratch).map_err(|e| format!("cannot create {}: {e}", scratch.display()))?;
    let driver = scratch.join("mrbtest_driver.rb");
    std::fs::write(&driver, DRIVER_SHIMS).map_err(|e| format!("cannot write {}: {e}", driver.display()))?;

    let mut reports = Vec::new();
    let mut ran = 0;
    for SuiteFile {
        path,
        name,
        assert_snippet,
    } in suite(root)?
    {
        let assert = scratch.join(format!("{}.assert.rb", name.replace('/', "__")));
        std::fs::write(&assert, assert_snippet)
            .map_err(|e| format!("cannot write {}: {e}", assert.display()))?;
        reports.extend(run_harness(
            &harness,
            &name,
            &with_runtime(&runtime, &[&driver, &assert, &path]),
        )?);
        ran += 1;
    }
    let stress = root.join("guest/sanitize/glue_stress.rb");
    reports.extend(run_harness(
        &harness,
        "guest/sanitize/glue_stress.rb",
        &with_runtime(&runtime, &[&stress]),
    )?);
    ran += 1;
    if reports.is_empty() {
        println!("sanitize: {ran} scripts, no sanitizer report");
        return Ok(());
    }
    for report in &reports {
        eprintln!("{report}\n");
    }
    Err(format!(
        "{} of {ran} scripts failed (a sanitizer report, a raise or a timeout)",
        reports.len()
    ))
}

/// Compiles Oniguruma, the portable glue and guest/sanitize/harness.c, and
/// links them with the sanitizer build of libmruby.
fn build_harness(root: &Path, out: &Path) -> Result<PathBuf, String> {
    let guest = root.join("guest");
    let mruby = guest.join("build/mruby");
    let onig = onig_src(&guest.join("build"));
    let objects = out.join("objects");
    std::fs::create_dir_all(&objects).map_err(|e| format!("cannot create {}: {e}", objects.display()))?;
    // Oniguruma has a utf8.c too: each object is named after its group.
    let compile = |group: &str, source: &Path, extra: &[String]| {
        let stem = source.file_stem().and_then(|s| s.to_str()).unwrap_or("unit");
        let object = objects.join(format!("{group}-{stem}.o"));
        let mut cc = Command::new("gcc");
        cc.args(CFLAGS)
            .args(extra)
            .arg("-c")
            .arg(source)
            .arg("-o")
            .arg(&object);
        run(
            &mut cc,
            &format!("compile {} for the sanitizer", source.display()),
        )?;
        Ok::<_, String>(object)
    };
    let mut linked = Vec::new();
    let onig_flags: Vec<String> = ONIG_DEFINES
        .iter()
        .map(|d| format!("-D{d}"))
        .chain([
            "-w".to_owned(),
            format!("-I{}", guest.join("onig").display()),
            format!("-I{}", onig.display()),
        ])
        .collect();
    for name in ONIG_SOURCES {
        linked.push(compile("onig", &onig.join(name), &onig_flags)?);
    }
    let glue_flags: Vec<String> = MRUBY_DEFINES
        .iter()
        .chain(GEM_DEFINES)
        .filter(|d| **d != "MRB_NO_STDIO")
        .map(|d| format!("-D{d}"))
        .chain(
            [
                guest.join("src"),
                guest.join("include"),
                mruby.join("include"),
                // mruby 4's generated symbol headers (presym) live in the build.
                out.join("host/include"),
                mruby.join("mrbgems/mruby-bigint/core"),
                onig.clone(),
            ]
            .iter()
            .map(|dir| format!("-I{}", dir.display())),
        )
        .collect();
    for name in PORTABLE_GLUE {
        linked.push(compile("glue", &guest.join("src").join(name), &glue_flags)?);
    }
    linked.push(compile("glue", &guest.join("sanitize/harness.c"), &glue_flags)?);
    let harness = out.join("harness");
    let mut link = Command::new("gcc");
    link.args(CFLAGS)
        .args(&linked)
        .arg(out.join("host/lib/libmruby.a"));
    link.args(["-lm", "-o"]).arg(&harness);
    run(
        &mut link,
        "link the sanitizer harness (is gcc-multilib installed? see .ci/run)",
    )?;
    Ok(harness)
}

/// The runtime's files followed by `scripts`, as the harness loads them.
fn with_runtime<'a>(runtime: &'a [PathBuf], scripts: &[&'a Path]) -> Vec<&'a Path> {
    runtime
        .iter()
        .map(PathBuf::as_path)
        .chain(scripts.iter().copied())
        .collect()
}

/// What a harness exit status means; `None` when the run was clean.
fn failure(code: Option<i32>) -> Option<&'static str> {
    match code {
        Some(0) => None,
        Some(SANITIZER_EXIT) => Some("sanitizer report"),
        Some(1) => Some("a script raised or failed to load"),
        Some(124) => Some("timed out"),
        _ => Some("ended abnormally"),
    }
}

/// Runs the harness on `files` (two minutes at most); a report when the
/// sanitizer found something or a script did not run to its end.
fn run_harness(harness: &Path, name: &str, files: &[&Path]) -> Result<Option<String>, String> {
    let output = Command::new("timeout")
        .arg("120")
        .arg(harness)
        .args(files)
        .env(
            "ASAN_OPTIONS",
            format!("detect_leaks=1:exitcode={SANITIZER_EXIT}"),
        )
        .output()
        .map_err(|e| format!("cannot run {}: {e}", harness.display()))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    let Some(verdict) = failure(output.status.code()) else {
        println!("{name:<55} clean");
        return Ok(None);
    };
    let excerpt: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).take(40).collect();
    Ok(Some(format!(
        "{name}: {verdict} ({})\n{}",
        output.status,
        excerpt.join("\n")
    )))
}

#[cfg(test)]
mod tests {
    use super::{SANITIZER_EXIT, failure};

    #[test]
    fn only_a_clean_exit_is_clean() {
        assert_eq!(failure(Some(0)), None);
        assert_eq!(failure(Some(1)), Some("a script raised or failed to load"));
        assert_eq!(failure(Some(SANITIZER_EXIT)), Some("sanitizer report"));
        assert_eq!(failure(Some(124)), Some("timed out"));
        assert_eq!(failure(Some(2)), Some("ended abnormally"));
        assert_eq!(failure(None), Some("ended abnormally"), "killed by a signal");
    }
}
