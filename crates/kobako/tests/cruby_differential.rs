//! CRuby differential suite (issue 14, item 4): every one-line case in
//! `tests/cruby/cases/<area>.rb` runs in the sandbox and in CRuby 3.4
//! (ruby.wasm under node, `tests/cruby/expect.mjs`), both wrapped the same
//! way so that only `inspect` strings (or `"!ExceptionClass"`) are compared.
//!
//! The test fails when a disagreement is not listed in
//! `tests/cruby/known_differences.txt`, when a listed case now agrees (or no
//! longer exists), or when the agreement falls below the threshold on that
//! file's first line. With `KOBAKO_DIFFERENTIAL_BLESS=1` it instead rewrites
//! that file and the table in docs/conformance.md from the current results.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use kobako::{Sandbox, Value};

const BLESS_ENV: &str = "KOBAKO_DIFFERENTIAL_BLESS";
const CATEGORIES: [&str; 3] = ["denied-on-purpose", "mruby-limitation", "not-yet"];
const BEGIN_MARKER: &str = "<!-- begin: cruby-differential -->";
const END_MARKER: &str = "<!-- end: cruby-differential -->";
/// Longest rendering of one answer in a message or a blessed entry.
const SHOWN_CHARS: usize = 160;

/// One line of a case file.
struct Case {
    id: String,
    area: String,
    source: String,
}

/// A listed disagreement: its category and free text.
struct Known {
    category: String,
    text: String,
}

/// The parsed known_differences.txt.
struct KnownDifferences {
    threshold: f64,
    entries: BTreeMap<String, Known>,
}

/// One case's two answers.
struct Outcome<'a> {
    case: &'a Case,
    ours: String,
    cruby: String,
    /// When ours is a guest exception CRuby did not raise: its message,
    /// which usually names what the guest lacks.
    our_message: Option<String>,
}

impl Outcome<'_> {
    fn agrees(&self) -> bool {
        self.ours == self.cruby
    }
}

fn suite_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("cruby")
}

fn known_differences_path() -> PathBuf {
    suite_dir().join("known_differences.txt")
}

fn conformance_doc_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/conformance.md")
}

/// The script both sides evaluate. Keep it byte-for-byte equal to `wrap` in
/// expect.mjs. The case runs as the body of a lambda so that a last line
/// without a value (`h => {a:}`) is still valid.
fn wrap(source: &str) -> String {
    wrap_reporting(source, "")
}

/// `wrap`, with `rescue_suffix` appended to the exception's answer.
fn wrap_reporting(source: &str, rescue_suffix: &str) -> String {
    format!(
        "__kobako_r = begin\n  __kobako_v = -> do\n{source}\n  end.call\n  __kobako_v.inspect\n\
         rescue Exception => __kobako_e\n  \"!\" + __kobako_e.class.name.to_s{rescue_suffix}\nend\n__kobako_r\n"
    )
}

/// Every case, ordered by file name then line, as expect.mjs reads them.
fn read_cases(dir: &Path) -> Result<Vec<Case>, String> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| format!("cannot list {}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "rb"))
        .collect();
    files.sort();
    let mut cases = Vec::new();
    for file in files {
        let area = file
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let text = fs::read_to_string(&file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        for (index, line) in text.split('\n').enumerate() {
            let trimmed = line.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            cases.push(Case {
                id: format!("{area}:{}", index + 1),
                area: area.clone(),
                source: line.to_string(),
            });
        }
    }
    Ok(cases)
}

/// Runs a command to completion, turning a missing program or a failure
/// into a message that says what to install or look at.
fn run_checked(command: &mut Command, what: &str) -> Result<(), String> {
    let status = command.status().map_err(|e| {
        format!("cannot run {what}: {e}; the CRuby differential test needs node (v20+) and npm on PATH")
    })?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{what} failed with {status}"))
    }
}

/// Installs the pinned ruby.wasm package when node_modules is missing.
fn ensure_node_modules(dir: &Path) -> Result<(), String> {
    if dir
        .join("node_modules")
        .join("@ruby")
        .join("3.4-wasm-wasi")
        .is_dir()
    {
        return Ok(());
    }
    run_checked(
        Command::new("npm")
            .arg("ci")
            .arg("--no-audit")
            .arg("--no-fund")
            .arg("--prefix")
            .arg(dir),
        "`npm ci --prefix crates/kobako/tests/cruby`",
    )
}

/// Starts expect.mjs; its answers are collected by `cruby_answers`.
fn spawn_cruby(dir: &Path) -> Result<Child, String> {
    Command::new("node")
        .arg("--no-warnings")
        .arg(dir.join("expect.mjs"))
        .current_dir(dir)
        .env("TZ", "UTC")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run node: {e}; the CRuby differential test needs node (v20+) on PATH"))
}

/// CRuby's answer for every case id.
fn cruby_answers(child: Child) -> Result<BTreeMap<String, String>, String> {
    let output = child
        .wait_with_output()
        .map_err(|e| format!("waiting for expect.mjs: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "expect.mjs failed with {}:\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("expect.mjs printed no JSON object of strings: {e}"))
}

/// The sandbox's answer: the wrapper's String, or a description of what
/// went wrong instead (which never equals a CRuby answer).
fn guest_answer(sandbox: &Sandbox, source: &str) -> String {
    answer_of(sandbox, &wrap(source))
}

/// The guest's exception class and message for a case that raises.
fn guest_message(sandbox: &Sandbox, source: &str) -> String {
    let answer = answer_of(
        sandbox,
        &wrap_reporting(source, " + \": \" + __kobako_e.message.to_s"),
    );
    answer
        .split_once(": ")
        .map_or(answer.clone(), |(_, message)| message.to_string())
}

fn answer_of(sandbox: &Sandbox, script: &str) -> String {
    match sandbox.eval(script) {
        Ok(run) => match run.into_value() {
            Value::Str(text) => text,
            Value::Bin(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            other => format!("<not a String: {other}>"),
        },
        Err(e) => format!("<sandbox error: {e}>"),
    }
}

fn sandbox() -> Result<Sandbox, String> {
    // Generous limits: the suite tests Ruby semantics, not the caps.
    Sandbox::builder()
        .timeout(Some(Duration::from_secs(10)))
        .memory_limit(Some(256 << 20))
        .build()
        .map_err(|e| format!("cannot build the sandbox: {e}"))
}

fn parse_threshold(first_line: Option<&str>) -> Result<f64, String> {
    first_line
        .and_then(|line| line.trim().strip_prefix("# threshold:"))
        .and_then(|value| value.trim().parse::<f64>().ok())
        .ok_or_else(|| "known_differences.txt must start with a line like `# threshold: 97.0`".to_string())
}

/// `<case_id> <category>: <free text>`.
fn parse_entry(line: &str) -> Result<(String, Known), String> {
    let malformed =
        || format!("malformed known_differences.txt line (want `<case_id> <category>: <text>`): {line}");
    let (id, rest) = line.split_once(' ').ok_or_else(malformed)?;
    let (category, text) = rest.split_once(':').ok_or_else(malformed)?;
    let category = category.trim();
    if !CATEGORIES.contains(&category) {
        return Err(format!(
            "unknown category `{category}` (want one of {CATEGORIES:?}) in: {line}"
        ));
    }
    Ok((
        id.to_string(),
        Known {
            category: category.to_string(),
            text: text.trim().to_string(),
        },
    ))
}

fn parse_known_differences(text: &str) -> Result<KnownDifferences, String> {
    let threshold = parse_threshold(text.lines().next())?;
    let mut entries = BTreeMap::new();
    for line in text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let (id, known) = parse_entry(line)?;
        if entries.insert(id.clone(), known).is_some() {
            return Err(format!("case {id} is listed twice in known_differences.txt"));
        }
    }
    Ok(KnownDifferences { threshold, entries })
}

fn read_known_differences() -> Result<KnownDifferences, String> {
    let path = known_differences_path();
    let text = fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    parse_known_differences(&text)
}

/// An answer on one line, shortened for messages and blessed entries.
fn shown(answer: &str) -> String {
    let one_line = answer.replace('\n', "\\n");
    match one_line.char_indices().nth(SHOWN_CHARS) {
        Some((cut, _)) => format!("{}…", &one_line[..cut]),
        None => one_line,
    }
}

/// Our answer, with the exception message when there is one.
fn shown_ours(outcome: &Outcome) -> String {
    match &outcome.our_message {
        Some(message) => format!("{} ({})", outcome.ours, shown(message)),
        None => shown(&outcome.ours),
    }
}

fn percent(agreed: usize, total: usize) -> f64 {
    if total == 0 {
        100.0
    } else {
        agreed as f64 * 100.0 / total as f64
    }
}

/// `(area, total, agreed)` in area order.
fn per_area(outcomes: &[Outcome]) -> Vec<(String, usize, usize)> {
    let mut areas: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for outcome in outcomes {
        let entry = areas.entry(&outcome.case.area).or_default();
        entry.0 += 1;
        entry.1 += usize::from(outcome.agrees());
    }
    areas
        .into_iter()
        .map(|(area, (total, agreed))| (area.to_string(), total, agreed))
        .collect()
}

/// How many current disagreements each category holds (unlisted ones count
/// as `unlisted`).
fn per_category(outcomes: &[Outcome], known: &KnownDifferences) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for outcome in outcomes.iter().filter(|o| !o.agrees()) {
        let category = known
            .entries
            .get(&outcome.case.id)
            .map_or("unlisted", |k| k.category.as_str());
        *counts.entry(category.to_string()).or_insert(0) += 1;
    }
    counts
}

fn summary(outcomes: &[Outcome], known: &KnownDifferences) -> String {
    let agreed = outcomes.iter().filter(|o| o.agrees()).count();
    let mut text = format!(
        "CRuby 3.4 differential: {agreed} of {} cases agree ({:.1}%; threshold {:.1}%)\n",
        outcomes.len(),
        percent(agreed, outcomes.len()),
        known.threshold
    );
    for (area, total, area_agreed) in per_area(outcomes) {
        let _ = writeln!(
            text,
            "  {area:<20} {area_agreed:>4} / {total:<4} {:>5.1}%",
            percent(area_agreed, total)
        );
    }
    for (category, count) in per_category(outcomes, known) {
        let _ = writeln!(text, "  disagreements, {category}: {count}");
    }
    text
}

/// Everything that makes the test fail, one message per problem.
fn problems(outcomes: &[Outcome], known: &KnownDifferences) -> Vec<String> {
    let mut problems = Vec::new();
    for outcome in outcomes {
        let listed = known.entries.contains_key(&outcome.case.id);
        if !outcome.agrees() && !listed {
            problems.push(format!(
                "{} disagrees and is not listed: ours {} vs CRuby {}\n    case: {}",
                outcome.case.id,
                shown_ours(outcome),
                shown(&outcome.cruby),
                outcome.case.source.trim()
            ));
        } else if outcome.agrees() && listed {
            problems.push(format!(
                "{} now agrees with CRuby: remove it from known_differences.txt",
                outcome.case.id
            ));
        }
    }
    for id in known.entries.keys() {
        if !outcomes.iter().any(|o| &o.case.id == id) {
            problems.push(format!(
                "{id} is listed in known_differences.txt but no such case exists"
            ));
        }
    }
    let agreed = outcomes.iter().filter(|o| o.agrees()).count();
    let agreement = percent(agreed, outcomes.len());
    if agreement < known.threshold {
        problems.push(format!(
            "agreement {agreement:.1}% is below the threshold {:.1}%",
            known.threshold
        ));
    }
    problems
}

/// known_differences.txt listing every current disagreement.
fn blessed_known_differences(outcomes: &[Outcome], known: &KnownDifferences) -> String {
    let mut text = format!(
        "# threshold: {:.1}\n\
         # CRuby 3.4 differential suite (crates/kobako/tests/cruby_differential.rs): cases where the\n\
         # guest's answer differs from CRuby's. One line each: `<case_id> <category>: <text>`, where the\n\
         # category is denied-on-purpose, mruby-limitation or not-yet. The first line sets the minimum\n\
         # agreement in percent. `KOBAKO_DIFFERENTIAL_BLESS=1 cargo test -p kobako --test cruby_differential`\n\
         # rewrites this file from the current results, keeping the reasons already given.\n",
        known.threshold
    );
    for outcome in outcomes.iter().filter(|o| !o.agrees()) {
        let line = match known.entries.get(&outcome.case.id) {
            Some(k) => format!("{} {}: {}", outcome.case.id, k.category, k.text),
            None => format!(
                "{} not-yet: {} vs {}",
                outcome.case.id,
                shown_ours(outcome),
                shown(&outcome.cruby)
            ),
        };
        text.push_str(&line);
        text.push('\n');
    }
    text
}

/// The generated block of docs/conformance.md, markers included.
fn conformance_block(outcomes: &[Outcome], known: &KnownDifferences) -> String {
    let agreed = outcomes.iter().filter(|o| o.agrees()).count();
    let mut text = format!(
        "{BEGIN_MARKER}\n\
         Generated by `KOBAKO_DIFFERENTIAL_BLESS=1 cargo test -p kobako --test cruby_differential`:\n\
         each one-line case in `crates/kobako/tests/cruby/cases/` runs in the sandbox and in\n\
         CRuby 3.4 (ruby.wasm), and their `inspect` strings (or exception class names) are\n\
         compared. The disagreements, with reasons, are in\n\
         `crates/kobako/tests/cruby/known_differences.txt`.\n\n\
         | area | cases | agree | % |\n|---|---|---|---|\n"
    );
    for (area, total, area_agreed) in per_area(outcomes) {
        let _ = writeln!(
            text,
            "| {area} | {total} | {area_agreed} | {:.1} |",
            percent(area_agreed, total)
        );
    }
    let _ = writeln!(
        text,
        "| **total** | **{}** | **{agreed}** | **{:.1}** |\n",
        outcomes.len(),
        percent(agreed, outcomes.len())
    );
    let categories = per_category(outcomes, known);
    let listed: Vec<String> = categories.iter().map(|(c, n)| format!("{c}: {n}")).collect();
    let _ = writeln!(text, "Disagreements by category: {}.", listed.join(", "));
    text.push_str(END_MARKER);
    text
}

/// Replaces the marked block of `doc`, or appends it under a heading.
fn with_block(doc: &str, block: &str) -> String {
    match (doc.find(BEGIN_MARKER), doc.find(END_MARKER)) {
        (Some(start), Some(end)) if start < end => {
            format!("{}{block}{}", &doc[..start], &doc[end + END_MARKER.len()..])
        }
        _ => format!(
            "{}\n\n## CRuby 3.4 differential suite\n\n{block}\n",
            doc.trim_end()
        ),
    }
}

fn bless(outcomes: &[Outcome], known: &KnownDifferences) -> Result<(), String> {
    let path = known_differences_path();
    fs::write(&path, blessed_known_differences(outcomes, known))
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    // Categories as written: every current disagreement is now listed.
    let blessed = parse_known_differences(&blessed_known_differences(outcomes, known))?;
    let doc_path = conformance_doc_path();
    let doc =
        fs::read_to_string(&doc_path).map_err(|e| format!("cannot read {}: {e}", doc_path.display()))?;
    fs::write(
        &doc_path,
        with_block(&doc, &conformance_block(outcomes, &blessed)),
    )
    .map_err(|e| format!("cannot write {}: {e}", doc_path.display()))
}

/// Both sides' answers for every case; CRuby runs in node meanwhile.
fn run_suite(cases: &[Case]) -> Result<Vec<Outcome<'_>>, String> {
    let dir = suite_dir();
    ensure_node_modules(&dir)?;
    let node = spawn_cruby(&dir)?;
    let sandbox = sandbox()?;
    let ours: Vec<String> = cases
        .iter()
        .map(|case| guest_answer(&sandbox, &case.source))
        .collect();
    let mut cruby = cruby_answers(node)?;
    cases
        .iter()
        .zip(ours)
        .map(|(case, ours)| {
            let cruby = cruby
                .remove(&case.id)
                .ok_or_else(|| format!("expect.mjs gave no answer for {}", case.id))?;
            let raised = ours.starts_with('!') && ours != cruby;
            let our_message = raised.then(|| guest_message(&sandbox, &case.source));
            Ok(Outcome {
                case,
                ours,
                cruby,
                our_message,
            })
        })
        .collect()
}

fn differential() -> Result<(), String> {
    let cases = read_cases(&suite_dir().join("cases"))?;
    let known = read_known_differences()?;
    let outcomes = run_suite(&cases)?;
    println!("{}", summary(&outcomes, &known));
    if std::env::var_os(BLESS_ENV).is_some_and(|v| v == "1") {
        return bless(&outcomes, &known);
    }
    let problems = problems(&outcomes, &known);
    if problems.is_empty() {
        return Ok(());
    }
    Err(format!(
        "{} problem(s); fix the guest, or list the case in tests/cruby/known_differences.txt \
         ({BLESS_ENV}=1 rewrites it):\n{}",
        problems.len(),
        problems.join("\n")
    ))
}

#[test]
fn r01_cruby_differential_agreement() {
    if let Err(message) = differential() {
        panic!("{message}");
    }
}
