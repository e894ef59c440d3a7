//! `cargo xtask conformance`: runs mruby's own test suite (the core's
//! `test/t/*.rb` and the `test/*.rb` of every gem the guest includes) inside
//! the sandbox, through the public API, and writes the counts to
//! docs/conformance.md.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use kobako::{Sandbox, Value};

use crate::guest_build::vendor_mruby;

const DOC: &str = "docs/conformance.md";

/// Where the generated part of the page ends and the hand-written part,
/// which `cargo xtask conformance` keeps as it is, begins.
const HAND_WRITTEN: &str = "<!-- Written by hand from here on; `cargo xtask conformance` keeps it. -->";

/// What mruby's C test driver defines for the suite, in Ruby.
pub(crate) const DRIVER_SHIMS: &str = include_str!("../ruby/mrbtest_driver.rb");

/// The counts `assert.rb` keeps, read back after a file ran.
const REPORT: &str =
    "\n[$ok_test, $ko_test, $kill_test, $warning_test, $skip_test, $asserts.map { |m| m.to_s[0, 300] }]\n";

/// The same counts, printed by native mruby.
const NATIVE_REPORT: &str =
    "\nprint \"\\nKOBAKO-REPORT #{$ok_test} #{$ko_test} #{$kill_test} #{$warning_test} #{$skip_test}\\n\"\n";

/// The outcome of one test file.
struct FileResult {
    file: String,
    ok: i64,
    failed: i64,
    crashed: i64,
    skipped: i64,
    /// Why the file did not run to its end (it raised outside an assertion,
    /// trapped, or did not load), if it did not.
    aborted: Option<String>,
    messages: Vec<String>,
    /// The file is not UTF-8 and ran with its bad bytes replaced.
    lossy: bool,
    /// `[passed, failed, crashed, skipped]` under native mruby built from
    /// the same sources, when it ran.
    native: Option<[i64; 4]>,
}

/// Runs the suite and writes docs/conformance.md; with `check`, fails
/// instead when the results differ from the committed page.
pub fn run(root: &Path, check: bool) -> Result<(), String> {
    let native = crate::native_mruby::build(root)?;
    let build = root.join("guest/build");
    let scratch = build.join("conformance");
    std::fs::create_dir_all(&scratch).map_err(|e| format!("cannot create {}: {e}", scratch.display()))?;
    let suite = suite(root)?;
    let mut results = Vec::new();
    for SuiteFile {
        path: file,
        name,
        assert_snippet,
    } in suite
    {
        // `eval` takes UTF-8 source; the few files with other bytes in
        // string literals run with those bytes replaced (noted in the doc).
        let bytes = std::fs::read(&file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        let lossy = std::str::from_utf8(&bytes).is_err();
        let source = String::from_utf8_lossy(&bytes);
        // The driver and assert.rb load first (as preloaded snippets here,
        // with -r natively), so the test file keeps its own line numbers.
        let mut result = run_file(name, &assert_snippet, &format!("{source}\n{REPORT}"));
        result.lossy = lossy;
        let stem = result.file.replace('/', "__");
        let write = |suffix: &str, text: &str| {
            let path = scratch.join(format!("{stem}{suffix}"));
            std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            Ok::<_, String>(path)
        };
        let driver = write(".driver.rb", DRIVER_SHIMS)?;
        let assert = write(".assert.rb", &assert_snippet)?;
        let script = write("", &format!("{source}\n{NATIVE_REPORT}"))?;
        result.native = run_native(&native, &[&driver, &assert], &script);
        println!(
            "{:<55} ok {:>4}  failed {:>3}  crashed {:>3}  skipped {:>3}{}",
            result.file,
            result.ok,
            result.failed,
            result.crashed,
            result.skipped,
            result
                .aborted
                .as_deref()
                .map_or_else(String::new, |why| format!("  ABORTED: {why}"))
        );
        results.push(result);
    }
    let generated = render(&results);
    let committed = std::fs::read_to_string(root.join(DOC)).unwrap_or_default();
    // The page ends with hand-written sections (the Regexp and JSON cases),
    // after HAND_WRITTEN; only the part before it is generated.
    let (committed_generated, hand_written) = match committed.find(HAND_WRITTEN) {
        Some(at) => committed.split_at(at),
        None => (committed.as_str(), ""),
    };
    if check {
        if committed_generated != generated {
            return Err(format!(
                "the suite's results differ from {DOC}; run `cargo xtask conformance` and review the diff"
            ));
        }
        println!("{DOC} matches the results");
        return Ok(());
    }
    std::fs::write(root.join(DOC), format!("{generated}{hand_written}"))
        .map_err(|e| format!("cannot write {DOC}: {e}"))?;
    println!("wrote {DOC}");
    Ok(())
}

/// One test file of mruby's suite.
pub(crate) struct SuiteFile {
    pub path: PathBuf,
    /// Its path inside the mruby tree, e.g. `test/t/array.rb`.
    pub name: String,
    /// mruby's `test/assert.rb`, after the `GEMNAME` constant for a gem's
    /// test file: what loads before the file.
    pub assert_snippet: String,
}

/// Every test file of the mruby core and of the gems the guest includes,
/// vendoring mruby first if needed.
pub(crate) fn suite(root: &Path) -> Result<Vec<SuiteFile>, String> {
    let build = root.join("guest/build");
    let mruby = build.join("mruby");
    if !mruby.join("test/assert.rb").exists() {
        vendor_mruby(&root.join("guest"), &build)?;
    }
    let assert_rb = std::fs::read_to_string(mruby.join("test/assert.rb"))
        .map_err(|e| format!("cannot read mruby's test/assert.rb: {e}"))?;
    let mut files = test_files(&mruby.join("test/t"))?;
    for gem in included_gems(root)? {
        files.extend(test_files(&mruby.join("mrbgems").join(gem).join("test"))?);
    }
    Ok(files
        .into_iter()
        .map(|path| {
            let name = path.strip_prefix(&mruby).unwrap_or(&path).display().to_string();
            let gem = name
                .strip_prefix("mrbgems/")
                .and_then(|rest| rest.split('/').next());
            let gemname = gem.map_or_else(String::new, |g| format!("GEMNAME = {g:?}\n"));
            SuiteFile {
                assert_snippet: format!("{gemname}{assert_rb}"),
                path,
                name,
            }
        })
        .collect())
}

/// Runs one test file in a fresh sandbox with the driver and `assert_rb`
/// preloaded.
fn run_file(file: String, assert_rb: &str, script: &str) -> FileResult {
    let mut result = FileResult {
        file,
        ok: 0,
        failed: 0,
        crashed: 0,
        skipped: 0,
        aborted: None,
        messages: Vec::new(),
        lossy: false,
        native: None,
    };
    let mut builder = Sandbox::builder()
        .timeout(Some(Duration::from_secs(20)))
        .memory_limit(Some(256 << 20))
        .stdout_limit(Some(1 << 20));
    let outcome = builder
        .preload_source("MrbtestDriver", DRIVER_SHIMS)
        .and_then(|builder| builder.preload_source("MrbtestAssert", assert_rb))
        .map(|_| ())
        .and_then(|()| builder.build())
        .and_then(|sandbox| sandbox.eval(script));
    match outcome {
        Ok(run) => match run.into_value() {
            Value::Array(fields) if fields.len() == 6 => {
                let int = |i: usize| fields[i].as_int().unwrap_or(0);
                result.ok = int(0);
                result.failed = int(1);
                result.crashed = int(2);
                result.skipped = int(4);
                if let Value::Array(messages) = &fields[5] {
                    result.messages = messages
                        .iter()
                        .map(|m| match m {
                            Value::Str(text) => text.clone(),
                            other => other.to_string(),
                        })
                        .collect();
                }
            }
            other => result.aborted = Some(format!("unexpected report {other}")),
        },
        Err(e) => result.aborted = Some(e.to_string().lines().next().unwrap_or("").to_owned()),
    }
    result
}

/// Runs a script with native mruby (60 s at most), after loading
/// `libraries`, and reads its report.
fn run_native(mruby: &Path, libraries: &[&Path], script: &Path) -> Option<[i64; 4]> {
    let mut command = std::process::Command::new("timeout");
    command.arg("60").arg(mruby);
    for library in libraries {
        command.arg("-r").arg(library);
    }
    let output = command.arg(script).output().ok()?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix("KOBAKO-REPORT "))?;
    let n: Vec<i64> = line.split_whitespace().filter_map(|f| f.parse().ok()).collect();
    (n.len() == 5).then(|| [n[0], n[1], n[2], n[4]])
}

/// The gem names in guest/mruby_gems.rb (the `%w[...]` list).
fn included_gems(root: &Path) -> Result<Vec<String>, String> {
    let text = std::fs::read_to_string(root.join("guest/mruby_gems.rb"))
        .map_err(|e| format!("cannot read guest/mruby_gems.rb: {e}"))?;
    let list = text
        .split_once("%w[")
        .and_then(|(_, rest)| rest.split_once(']'))
        .map(|(list, _)| list)
        .ok_or("guest/mruby_gems.rb has no %w[...] list")?;
    Ok(list.split_whitespace().map(str::to_owned).collect())
}

fn test_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    if !dir.exists() {
        return Ok(Vec::new());
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot list {}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "rb"))
        .collect();
    files.sort();
    Ok(files)
}

fn render(results: &[FileResult]) -> String {
    let total = |f: fn(&FileResult) -> i64| results.iter().map(f).sum::<i64>();
    let mut out = String::from(
        "# Conformance: mruby's own test suite inside the sandbox\n\n\
         Generated by `cargo xtask conformance`: every test file of the mruby 4.0\n\
         core (`test/t/*.rb`) and of every gem in `guest/mruby_gems.rb`, each run\n\
         as one `Sandbox#eval` in a fresh sandbox that preloads mruby's\n\
         `test/assert.rb` (so the file keeps its own line numbers; 20 s timeout,\n\
         256 MiB memory limit). What mruby's C test driver\n\
         defines (`t_print`, `_str_match?`, `Mrbtest::FLOAT_TOLERANCE`) comes\n\
         from `xtask/ruby/mrbtest_driver.rb`, preloaded too; the C test helpers some gems\n\
         compile into their test binaries (`mrbgems/*/test/*.c`) are not\n\
         available, so the assertions that use them crash with a NameError.\n\n",
    );
    let _ = writeln!(
        out,
        "Totals: {} files, {} assertions passed, {} failed, {} crashed, {} skipped, {} files aborted.\n",
        results.len(),
        total(|r| r.ok),
        total(|r| r.failed),
        total(|r| r.crashed),
        total(|r| r.skipped),
        results.iter().filter(|r| r.aborted.is_some()).count()
    );
    out += "The native column runs the same file with native mruby built from the same\n\
             sources and gems (`cargo xtask native-mruby`): passed / failed / crashed.\n\
             Where it matches, the sandbox behaves as mruby itself does.\n\n";
    out +=
        "| file | passed | failed | crashed | skipped | aborted | native |\n|---|---|---|---|---|---|---|\n";
    for r in results {
        let _ = writeln!(
            out,
            "| {}{} | {} | {} | {} | {} | {} | {} |",
            r.file,
            if r.lossy {
                " (not UTF-8: read with replacements)"
            } else {
                ""
            },
            r.ok,
            r.failed,
            r.crashed,
            r.skipped,
            r.aborted.as_deref().unwrap_or("").replace('|', "\\|"),
            match r.native {
                Some([ok, failed, crashed, _]) if [ok, failed, crashed] == [r.ok, r.failed, r.crashed] => {
                    "same".to_owned()
                }
                Some([ok, failed, crashed, _]) => format!("{ok} / {failed} / {crashed}"),
                None => "did not run".to_owned(),
            }
        );
    }
    out += "\n## Why the failures happen\n\n\
             Each failure or crash below has one of these reasons; none is a defect\n\
             of the sandbox's build or glue.\n\n\
             - **Denied on purpose.** `__FILE__` (`test/t/syntax.rb`) and `Kernel#caller`\n\
             \x20 (`mruby-kernel-ext`) expect the file's name, and code given to `eval`\n\
             \x20 is named `(eval)` (B-02); both pass natively, where the file runs by name.\n\
             \x20 `test/t/codegen.rb` aborts: it checks that a Regexp literal raises\n\
             \x20 NoMethodError in an mruby without Regexp, and the guest has Regexp.\n\
             - **C test helpers.** `TestVFormat` (`vformat.rb`), `ProcExtTest`\n\
             \x20 (`mruby-proc-ext`), `ExceptionTest` (`mruby-error`), `instance_exec_from_c`\n\
             \x20 (`mruby-object-ext`), `resume_by_c_func`/`resume_by_c_method`\n\
             \x20 (`mruby-fiber`) and the C-side `binding` test (`mruby-binding`) are C\n\
             \x20 functions that mruby's own test runner links in from each gem's\n\
             \x20 `test/*.c`. They expose interpreter internals, so they are not in the\n\
             \x20 guest, nor in the native build.\n\
             - **The test disagrees with CRuby, and we agree with CRuby.** The guest\n\
             \x20 answers as CRuby 3.4 does where mruby's tests pin mruby's own answer:\n\
             \x20 `Exception#inspect` (`#<RuntimeError: RuntimeError>`), `String#inspect`\n\
             \x20 (`\\u0000`, upper-case `\\xFF`), `Set#inspect` (`#<Set: {1, 2}>`), a bare\n\
             \x20 undefined name raising NameError rather than NoMethodError\n\
             \x20 (`Kernel#method_missing`, the undef statement), and a binary String not\n\
             \x20 being `==` to the UTF-8 literal with the same bytes (`Integer#chr`).\n\
             \x20 `Range#last` expects `(1..).last` to be nil, but mruby-range-ext raises\n\
             \x20 RangeError there, as CRuby does; `Enumerator::Chain#size` expects nil\n\
             \x20 where the range knows its size, as in CRuby. docs/decisions.md and the\n\
             \x20 CRuby differential suite (below) cover each of these.\n";
    out += "\n## Failures and crashes\n\n";
    for r in results {
        for message in r.messages.iter().filter(|m| !m.starts_with("Skip")) {
            let first = message.lines().next().unwrap_or("");
            let _ = writeln!(out, "- `{}`: {}", r.file, first.replace('|', "\\|"));
        }
    }
    out
}
