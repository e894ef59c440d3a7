//! `cargo xtask conformance`: runs mruby's own test suite (the core's
//! `test/t/*.rb` and the `test/*.rb` of every gem the guest includes) inside
//! the sandbox, through the public API, and natively; writes the counts to
//! docs/conformance.md. With `--check` it fails when a failure has no entry
//! in xtask/conformance_known_failures.toml, when an entry no longer fails
//! as recorded, or when the results differ from the page.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use kobako::Sandbox;

use crate::guest_build::vendor_mruby;

const DOC: &str = "docs/conformance.md";

/// Every failure of the suite in the sandbox, with the reason it is
/// accepted.
const KNOWN_FAILURES: &str = "xtask/conformance_known_failures.toml";

/// Where the generated part of the page ends and the hand-written part,
/// which `cargo xtask conformance` keeps as it is, begins.
const HAND_WRITTEN: &str = "<!-- Written by hand from here on; `cargo xtask conformance` keeps it. -->";

/// What mruby's C test driver defines for the suite, in Ruby.
pub(crate) const DRIVER_SHIMS: &str = include_str!("../ruby/mrbtest_driver.rb");

/// Loaded after assert.rb: prints a line per top-level assertion as it ends.
const TALLY: &str = include_str!("../ruby/mrbtest_tally.rb");

/// The line a test file prints when it ran to its end.
const END_MARK: &str = "KOBAKO-END";

/// The name a known failure gives an abort outside any assertion.
const OUTSIDE: &str = "(outside any assertion)";

/// One top-level assertion, from its tally line.
struct Assertion {
    name: String,
    /// How much `$ok_test`, `$ko_test`, `$kill_test`, `$warning_test` and
    /// `$skip_test` grew while it ran (nested assertions included).
    counts: [i64; 5],
    /// An exception escaped it: the file aborted there.
    escaped: bool,
    /// The first line of each message it added to `$asserts`.
    messages: Vec<String>,
}

impl Assertion {
    /// A message of assert.rb ("Fail: NAME", "NameError: NAME => text",
    /// then " (mrbgems: GEM)" in a gem's file) without the name and gem.
    fn detail(&self, message: &str) -> String {
        let mut what = message.replacen(&format!(": {}", self.name), "", 1);
        if let Some(at) = what.rfind(" (mrbgems: ") {
            what.truncate(at);
        }
        what
    }

    /// How it failed (`fail`, `crash`, `warn`), or `None` if it passed or
    /// was skipped.
    fn failure(&self) -> Option<&'static str> {
        match self.counts {
            _ if self.escaped => Some("abort"),
            [_, _, kill, _, _] if kill > 0 => Some("crash"),
            [_, ko, _, _, _] if ko > 0 => Some("fail"),
            [_, _, _, warn, _] if warn > 0 => Some("warn"),
            _ => None,
        }
    }
}

/// What one run of a test file printed: its assertions, in order, and
/// whether it reached its end.
struct Tally {
    assertions: Vec<Assertion>,
    finished: bool,
}

impl Tally {
    fn parse(stdout: &str) -> Tally {
        let assertions = stdout
            .lines()
            .filter_map(|line| line.strip_prefix("KOBAKO-ASSERT\t"))
            .filter_map(|rest| {
                let fields: Vec<&str> = rest.split('\t').collect();
                let number = |i: usize| fields.get(i)?.parse::<i64>().ok();
                let counts = [number(0)?, number(1)?, number(2)?, number(3)?, number(4)?];
                Some(Assertion {
                    counts,
                    escaped: number(5)? == 0,
                    name: (*fields.get(6)?).to_owned(),
                    messages: fields[7..]
                        .iter()
                        .map(|m| m.split('\x1e').next().unwrap_or("").to_owned())
                        .collect(),
                })
            })
            .collect();
        Tally {
            assertions,
            finished: stdout.lines().any(|line| line == END_MARK),
        }
    }

    /// Passed, failed, crashed, warned and skipped, summed over the file.
    fn totals(&self) -> [i64; 5] {
        sum_counts(self.assertions.iter().map(|a| a.counts))
    }
}

/// Rows of counts added up column by column.
fn sum_counts(rows: impl Iterator<Item = [i64; 5]>) -> [i64; 5] {
    rows.fold([0; 5], |mut sum, row| {
        for (total, n) in sum.iter_mut().zip(row) {
            *total += n;
        }
        sum
    })
}

/// The outcome of one test file.
struct FileResult {
    file: String,
    tally: Tally,
    /// Why the file did not run to its end (it raised outside an assertion,
    /// trapped, or did not load), if it did not.
    aborted: Option<String>,
    /// The file is not UTF-8 and ran with its bad bytes replaced.
    lossy: bool,
    /// The same file under native mruby built from the same sources, when
    /// it could be started.
    native: Option<Tally>,
}

impl FileResult {
    /// Every failure as (assertion, outcome, what happened), an abort
    /// included.
    fn failures(&self) -> Vec<(String, &'static str, String)> {
        let mut failures: Vec<_> = self
            .tally
            .assertions
            .iter()
            .filter_map(|a| {
                let outcome = a.failure()?;
                let what = match (outcome, &self.aborted) {
                    ("abort", Some(why)) => why.clone(),
                    _ => a.messages.first().map_or_else(String::new, |m| a.detail(m)),
                };
                Some((a.name.clone(), outcome, what))
            })
            .collect();
        let escaped = self.tally.assertions.iter().any(|a| a.escaped);
        if let (Some(why), false) = (&self.aborted, escaped) {
            failures.push((OUTSIDE.to_owned(), "abort", why.clone()));
        }
        failures
    }

    /// Assertions the native run counted that this run never reached,
    /// when it aborted and the native run did not.
    fn not_run(&self) -> Option<i64> {
        let native = self.native.as_ref().filter(|n| n.finished)?;
        self.aborted.as_ref()?;
        let total = |t: &Tally| t.totals().iter().sum::<i64>();
        Some((total(native) - total(&self.tally)).max(0))
    }
}

/// One entry of xtask/conformance_known_failures.toml.
struct KnownFailure {
    file: String,
    assertion: String,
    outcome: String,
    reason: String,
}

/// Reads xtask/conformance_known_failures.toml.
fn known_failures(root: &Path) -> Result<Vec<KnownFailure>, String> {
    let text = std::fs::read_to_string(root.join(KNOWN_FAILURES))
        .map_err(|e| format!("cannot read {KNOWN_FAILURES}: {e}"))?;
    let table: toml::Table = text
        .parse()
        .map_err(|e| format!("{KNOWN_FAILURES} is not valid TOML: {e}"))?;
    let entries = table
        .get("failure")
        .and_then(|f| f.as_array())
        .ok_or_else(|| format!("{KNOWN_FAILURES} has no [[failure]] entries"))?;
    entries
        .iter()
        .enumerate()
        .map(|(i, entry)| {
            let field = |key: &str| {
                entry
                    .get(key)
                    .and_then(|v| v.as_str())
                    .map(str::to_owned)
                    .ok_or_else(|| format!("{KNOWN_FAILURES}: failure {} has no string `{key}`", i + 1))
            };
            let known = KnownFailure {
                file: field("file")?,
                assertion: field("assertion")?,
                outcome: field("outcome")?,
                reason: field("reason")?,
            };
            if !["fail", "crash", "warn", "abort"].contains(&known.outcome.as_str()) {
                return Err(format!(
                    "{KNOWN_FAILURES}: failure {} has outcome {:?} (fail, crash, warn or abort)",
                    i + 1,
                    known.outcome
                ));
            }
            Ok(known)
        })
        .collect()
}

/// Compares the failures with the known ones and returns the problems: a
/// failure without an entry, an entry that fails differently or no longer
/// fails, two entries for one assertion.
fn verdict(results: &[FileResult], known: &[KnownFailure]) -> Vec<String> {
    let mut actual = BTreeMap::new();
    for r in results {
        for (assertion, outcome, what) in r.failures() {
            actual.insert((r.file.clone(), assertion), (outcome, what));
        }
    }
    let mut problems = Vec::new();
    let mut entries = BTreeMap::new();
    for k in known {
        let key = (k.file.clone(), k.assertion.clone());
        match actual.get(&key) {
            _ if entries.insert(key.clone(), k).is_some() => {
                problems.push(format!("{}: \"{}\" has two entries", k.file, k.assertion));
            }
            Some((outcome, _)) if *outcome == k.outcome => {}
            Some((outcome, what)) => problems.push(format!(
                "{}: \"{}\" is known as {} but is now {outcome}: {what}",
                k.file, k.assertion, k.outcome
            )),
            None => problems.push(format!(
                "{}: \"{}\" is known as {} but did not fail (it passed, or did not run); if it passes, remove its entry",
                k.file, k.assertion, k.outcome
            )),
        }
    }
    for ((file, assertion), (outcome, what)) in &actual {
        if !entries.contains_key(&(file.clone(), assertion.clone())) {
            problems.push(format!(
                "{file}: \"{assertion}\" ends in {outcome} and has no entry: {what}"
            ));
        }
    }
    problems
}

/// Runs the suite, writes docs/conformance.md and prints the verdict; with
/// `check`, leaves the page as it is and also fails when it differs from
/// the results.
pub fn run(root: &Path, check: bool) -> Result<(), String> {
    let known = known_failures(root)?;
    let native = crate::native_mruby::build(root)?;
    let scratch = root.join("guest/build/conformance");
    std::fs::create_dir_all(&scratch).map_err(|e| format!("cannot create {}: {e}", scratch.display()))?;
    let mut results = Vec::new();
    for SuiteFile {
        path,
        name,
        assert_snippet,
    } in suite(root)?
    {
        // `eval` takes UTF-8 source; the few files with other bytes in
        // string literals run with those bytes replaced (noted in the doc).
        let bytes = std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let lossy = std::str::from_utf8(&bytes).is_err();
        let script = format!(
            "{}\nprint \"\\n{END_MARK}\\n\"\n",
            String::from_utf8_lossy(&bytes)
        );
        // The driver, assert.rb and the tally load first (as preloaded
        // snippets here, with -r natively), so the test file keeps its own
        // line numbers.
        let (tally, aborted) = run_file(&assert_snippet, &script);
        let stem = name.replace('/', "__");
        let write = |suffix: &str, text: &str| {
            let path = scratch.join(format!("{stem}{suffix}"));
            std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            Ok::<_, String>(path)
        };
        let libraries = [
            write(".driver.rb", DRIVER_SHIMS)?,
            write(".assert.rb", &assert_snippet)?,
            write(".tally.rb", TALLY)?,
        ];
        let native = run_native(&native, &libraries, &write("", &script)?);
        let result = FileResult {
            file: name,
            tally,
            aborted,
            lossy,
            native,
        };
        let [ok, failed, crashed, _, skipped] = result.tally.totals();
        println!(
            "{:<55} ok {ok:>4}  failed {failed:>3}  crashed {crashed:>3}  skipped {skipped:>3}{}",
            result.file,
            result.aborted.as_deref().map_or_else(String::new, |why| format!(
                "  ABORTED after {} assertions: {why}",
                result.tally.assertions.len()
            ))
        );
        results.push(result);
    }

    let problems = verdict(&results, &known);
    let failures: usize = results.iter().map(|r| r.failures().len()).sum();
    if problems.is_empty() {
        println!(
            "verdict: {failures} failures in the sandbox, each a known failure with its reason in {KNOWN_FAILURES}"
        );
    } else {
        println!(
            "verdict: {} results differ from {KNOWN_FAILURES}:",
            problems.len()
        );
        for problem in &problems {
            println!("  {problem}");
        }
    }
    let generated = render(&results, &known);
    let committed = std::fs::read_to_string(root.join(DOC)).unwrap_or_default();
    // The page ends with hand-written sections (the Regexp and JSON cases),
    // after HAND_WRITTEN; only the part before it is generated.
    let (committed_generated, hand_written) = match committed.find(HAND_WRITTEN) {
        Some(at) => committed.split_at(at),
        None => (committed.as_str(), ""),
    };
    let stale = committed_generated != generated;
    if check && stale {
        println!("{DOC} differs from these results; run `cargo xtask conformance` and review the diff");
    } else if check {
        println!("{DOC} matches the results");
    } else {
        std::fs::write(root.join(DOC), format!("{generated}{hand_written}"))
            .map_err(|e| format!("cannot write {DOC}: {e}"))?;
        println!("wrote {DOC}");
    }
    match (problems.len(), check && stale) {
        (0, false) => Ok(()),
        (0, true) => Err(format!("{DOC} is out of date")),
        (n, _) => Err(format!("{n} results differ from {KNOWN_FAILURES}")),
    }
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

/// Runs one script in a fresh sandbox with the driver, `assert_rb` and the
/// tally preloaded; returns its tally and why it aborted, if it did.
fn run_file(assert_rb: &str, script: &str) -> (Tally, Option<String>) {
    let mut builder = Sandbox::builder()
        .timeout(Some(Duration::from_secs(20)))
        .memory_limit(Some(256 << 20))
        .stdout_limit(Some(4 << 20));
    let outcome = builder
        .preload_source("MrbtestDriver", DRIVER_SHIMS)
        .and_then(|builder| builder.preload_source("MrbtestAssert", assert_rb))
        .and_then(|builder| builder.preload_source("MrbtestTally", TALLY))
        .map(|_| ())
        .and_then(|()| builder.build())
        .and_then(|sandbox| sandbox.eval(script));
    let (stdout, error) = match outcome {
        Ok(run) => (run.output().stdout_lossy().into_owned(), None),
        Err(e) => (
            e.output()
                .map(|o| o.stdout_lossy().into_owned())
                .unwrap_or_default(),
            Some(e.to_string().lines().next().unwrap_or("").to_owned()),
        ),
    };
    let tally = Tally::parse(&stdout);
    let aborted = match error {
        None if !tally.finished => Some("stopped before its end without an error".to_owned()),
        error => error,
    };
    (tally, aborted)
}

/// Runs a script with native mruby (60 s at most), after loading
/// `libraries`, and reads its tally.
fn run_native(mruby: &Path, libraries: &[PathBuf], script: &Path) -> Option<Tally> {
    let mut command = std::process::Command::new("timeout");
    command.arg("60").arg(mruby);
    for library in libraries {
        command.arg("-r").arg(library);
    }
    let output = command.arg(script).output().ok()?;
    Some(Tally::parse(&String::from_utf8_lossy(&output.stdout)))
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

fn render(results: &[FileResult], known: &[KnownFailure]) -> String {
    let [ok, failed, crashed, _, skipped] = sum_counts(results.iter().map(|r| r.tally.totals()));
    let aborted = results.iter().filter(|r| r.aborted.is_some()).count();
    let not_run: i64 = results.iter().filter_map(FileResult::not_run).sum();
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
         available, so the assertions that use them crash with a NameError.\n\n\
         `xtask/ruby/mrbtest_tally.rb`, loaded after `assert.rb`, prints a line\n\
         as each top-level assertion ends, and the counts are read from those\n\
         lines: a file that aborts keeps the assertions that ran before the\n\
         abort, and those after it count as not run (the native run's count\n\
         minus the sandbox's).\n\n",
    );
    let _ = writeln!(
        out,
        "Totals: {} files, {ok} assertions passed, {failed} failed, {crashed} crashed, \
         {skipped} skipped, {aborted} files aborted, {not_run} assertions not run.\n",
        results.len(),
    );
    out += "The native column runs the same file with native mruby built from the same\n\
             sources and gems (`cargo xtask native-mruby`): passed / failed / crashed.\n\
             Where it matches, the sandbox behaves as mruby itself does.\n\n";
    out += "| file | passed | failed | crashed | skipped | aborted | not run | native |\n\
             |---|---|---|---|---|---|---|---|\n";
    for r in results {
        let [ok, failed, crashed, _, skipped] = r.tally.totals();
        let native = match &r.native {
            Some(n) if n.finished && n.totals() == r.tally.totals() => "same".to_owned(),
            Some(n) => {
                let [ok, failed, crashed, _, _] = n.totals();
                let ended = if n.finished { "" } else { " (aborted)" };
                format!("{ok} / {failed} / {crashed}{ended}")
            }
            None => "did not run".to_owned(),
        };
        let _ = writeln!(
            out,
            "| {}{} | {ok} | {failed} | {crashed} | {skipped} | {} | {} | {native} |",
            r.file,
            if r.lossy {
                " (not UTF-8: read with replacements)"
            } else {
                ""
            },
            cell(r.aborted.as_deref().unwrap_or("")),
            match (&r.aborted, r.not_run()) {
                (None, _) => String::new(),
                (Some(_), Some(n)) => n.to_string(),
                (Some(_), None) => "?".to_owned(),
            },
        );
    }
    out += "\n## Failures and their reasons\n\n\
             Every assertion that fails, crashes or warns in the sandbox, and every\n\
             abort, with its reason from `xtask/conformance_known_failures.toml`.\n\
             `cargo xtask conformance --check` (run by CI) fails when a failure has\n\
             no entry there, when an entry fails differently or no longer fails, or\n\
             when this page differs from the results.\n\n\
             | file | assertion | outcome | what happened | reason |\n|---|---|---|---|---|\n";
    for r in results {
        for (assertion, outcome, what) in r.failures() {
            let reason = known
                .iter()
                .find(|k| k.file == r.file && k.assertion == assertion)
                .map_or("**no entry**", |k| k.reason.as_str());
            let _ = writeln!(
                out,
                "| `{}` | {} | {outcome} | {} | {} |",
                r.file,
                cell(&assertion),
                cell(&what),
                cell(reason)
            );
        }
    }
    out
}

/// Text made safe for one cell of a Markdown table.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}
