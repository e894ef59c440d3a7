//! The hostile corpus: every `.rb` file in `tests/hostile/` is a script an
//! attacker could send, with its expected outcome in a header. All scripts
//! run, one after the other, on ONE shared Sandbox (plus one Sandbox per
//! distinct `# limits:` override); after each one the same Sandbox must
//! still answer `1 + 1` (T-01, S-09).
//!
//! Header lines (comments at the top of a script, before any code):
//!
//! ```text
//! # spec: L-07                      first id picks the test below that checks it
//! # expect: ALT | ALT ...           outcome; one alternative must match
//!     ALT = ok | timeout | memory_limit | trap
//!         | sandbox_error [Class] | service_error [runtime|argument|undefined]
//!     plus the words stdout_truncated / stderr_truncated: those flags must be
//!     set, and are checked to be clear when the words are absent
//! # value: <inspect form>           the value, as `Value`'s Display prints it
//! # message: <text>                 the error message contains this text
//! # backtrace: <text>               some backtrace line contains this text
//! # stdout: <text>                  exact stdout (escapes: \n \\ \xNN)
//! # stdout-len: N                   stdout length
//! # host-calls: N                   service calls that reached host code
//! # limits: timeout=2s memory=64MiB stdout=1KiB stderr=1KiB
//! # repeat: same                    a second run gives the same value and output
//! # then: <ruby>                    the next invocation on the same Sandbox...
//! # then-expect: ALT | ...          ...ends like this (S-07, B-18)
//! # then-value: <inspect form>
//! # known-failure: <why>            the current build breaks the spec here
//! ```
//!
//! A known failure is reported and does not fail the run, but a known
//! failure that starts passing does, so that its marker gets removed.
//!
//! The corpus runs once per process; the tests below each check the scripts
//! of their spec ids, and name the failing scripts.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use kobako::{Call, Error, ErrorKind, Execution, Fault, HostObject, Sandbox, Service, Value};

#[path = "support/yield_each.rs"]
mod yield_each;

// Caps of the shared corpus Sandbox: short, so the whole file runs fast.
const TIMEOUT: Duration = Duration::from_millis(300);
const MEMORY_LIMIT: u64 = 4 << 20;
const OUTPUT_LIMIT: usize = 64 << 10;

/// S-09: every invocation ends no later than 1 s after its timeout.
const TIMEOUT_GRACE: Duration = Duration::from_secs(1);

/// The guest clips messages at 1 MiB and backtraces at 1000 lines of 4 KiB
/// (docs/wire.md), marking the cut with `... (clipped)`.
const MESSAGE_MAX: usize = (1 << 20) + 32;
const BACKTRACE_LINES_MAX: usize = 1001;
const BACKTRACE_LINE_MAX: usize = 4096 + 32;

// ---------------------------------------------------------------------------
// Services bound in every corpus Sandbox. Each call bumps one counter, so a
// script can assert that nothing reached host code (`# host-calls: 0`).

#[derive(Clone, Default)]
struct Calls(Arc<AtomicUsize>);

impl Calls {
    fn bump(&self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
    fn take(&self) -> usize {
        self.0.swap(0, Ordering::SeqCst)
    }
}

/// `Host::Echo.anything(*args, **kw)`: one argument comes back as itself,
/// several as an Array (keywords appended as a Hash).
struct Echo(Calls);

impl Service for Echo {
    fn call(&self, call: &mut Call<'_>) -> Result<Value, Fault> {
        self.0.bump();
        let mut items = call.take_args();
        if !call.kwargs().is_empty() {
            let pairs = call
                .kwargs()
                .iter()
                .map(|(k, v)| (Value::Sym(k.clone()), v.clone()))
                .collect();
            items.push(Value::Map(pairs));
        }
        Ok(match items.len() {
            1 => items.pop().unwrap_or(Value::Nil),
            _ => Value::Array(items),
        })
    }
}

/// `Host::Each.call(n) { |i| ... }`: yields 0...n and returns the block
/// values; a block that raises becomes a `runtime` fault.
struct Each(Calls);

impl Service for Each {
    fn call(&self, call: &mut Call<'_>) -> Result<Value, Fault> {
        self.0.bump();
        yield_each::yield_each(call, 1_000_000)
    }
}

/// A host object the guest only ever holds as a Capability Handle.
struct Counter(Calls, AtomicI64);

impl Service for Counter {
    fn call(&self, call: &mut Call<'_>) -> Result<Value, Fault> {
        self.0.bump();
        match call.method() {
            "incr" => Ok(Value::Int(self.1.fetch_add(1, Ordering::SeqCst) + 1)),
            "value" => Ok(Value::Int(self.1.load(Ordering::SeqCst))),
            other => Err(Fault::undefined(format!("Counter has no method {other}"))),
        }
    }
}

/// `Host::Objects.counter`: a fresh Counter, as a Handle.
struct Objects(Calls);

impl Service for Objects {
    fn call(&self, call: &mut Call<'_>) -> Result<Value, Fault> {
        self.0.bump();
        match call.method() {
            "counter" => Ok(Value::Object(HostObject::new(Counter(
                self.0.clone(),
                AtomicI64::new(0),
            )))),
            other => Err(Fault::undefined(format!("Objects has no method {other}"))),
        }
    }
}

/// `Host::Big.string(n)`: `n` bytes of "x" (at most 20 MiB);
/// `Host::Big.nested(n)`: an Array nested `n` deep (at most 1000).
struct Big(Calls);

impl Service for Big {
    fn call(&self, call: &mut Call<'_>) -> Result<Value, Fault> {
        self.0.bump();
        match (call.method(), call.args()) {
            ("string", [Value::Int(n)]) if (0..=20 << 20).contains(n) => {
                Ok(Value::Str("x".repeat(*n as usize)))
            }
            ("nested", [Value::Int(n)]) if (0..=1000).contains(n) => {
                let mut value = Value::Int(0);
                for _ in 0..*n {
                    value = Value::Array(vec![value]);
                }
                Ok(value)
            }
            (method, _) => Err(Fault::argument(format!("Big.{method}: bad arguments"))),
        }
    }
}

/// `Host::Fail.call(message)`: always a `runtime` fault.
struct Fail(Calls);

impl Service for Fail {
    fn call(&self, call: &mut Call<'_>) -> Result<Value, Fault> {
        self.0.bump();
        let message = match call.args() {
            [Value::Str(m)] => m.clone(),
            _ => "failed".to_owned(),
        };
        Err(Fault::runtime(message))
    }
}

// ---------------------------------------------------------------------------
// Scripts and their headers.

#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Ok,
    Timeout,
    MemoryLimit,
    Trap,
    Sandbox(Option<String>),
    Service(Option<String>),
}

#[derive(Debug, Clone, Default)]
struct Expect {
    text: String,
    alternatives: Vec<Outcome>,
    stdout_truncated: bool,
    stderr_truncated: bool,
}

fn parse_expect(text: &str) -> Result<Expect, String> {
    let mut expect = Expect {
        text: text.to_owned(),
        ..Expect::default()
    };
    for alternative in text.split('|') {
        let mut words = alternative.split_whitespace().peekable();
        let outcome = match words.next() {
            Some("ok") => Outcome::Ok,
            Some("timeout") => Outcome::Timeout,
            Some("memory_limit") => Outcome::MemoryLimit,
            Some("trap") => Outcome::Trap,
            Some("sandbox_error") => {
                Outcome::Sandbox(words.next_if(|w| !w.ends_with("_truncated")).map(str::to_owned))
            }
            Some("service_error") => {
                Outcome::Service(words.next_if(|w| !w.ends_with("_truncated")).map(str::to_owned))
            }
            other => return Err(format!("unknown outcome {other:?} in `{text}`")),
        };
        for word in words {
            match word {
                "stdout_truncated" => expect.stdout_truncated = true,
                "stderr_truncated" => expect.stderr_truncated = true,
                other => return Err(format!("unknown word {other:?} in `{text}`")),
            }
        }
        expect.alternatives.push(outcome);
    }
    Ok(expect)
}

/// Caps of the Sandbox a script runs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Caps {
    timeout: Option<Duration>,
    memory: Option<u64>,
    stdout: Option<usize>,
    stderr: Option<usize>,
}

const DEFAULT_CAPS: Caps = Caps {
    timeout: Some(TIMEOUT),
    memory: Some(MEMORY_LIMIT),
    stdout: Some(OUTPUT_LIMIT),
    stderr: Some(OUTPUT_LIMIT),
};

fn parse_bytes(text: &str) -> Result<Option<u64>, String> {
    if text == "none" {
        return Ok(None);
    }
    let (digits, unit) = match text.find(|c: char| !c.is_ascii_digit()) {
        Some(at) => text.split_at(at),
        None => (text, ""),
    };
    let n: u64 = digits.parse().map_err(|_| format!("bad size {text:?}"))?;
    let scale = match unit {
        "" => 1,
        "KiB" => 1 << 10,
        "MiB" => 1 << 20,
        _ => return Err(format!("bad unit in {text:?}")),
    };
    Ok(Some(n * scale))
}

fn parse_caps(text: &str) -> Result<Caps, String> {
    let mut caps = DEFAULT_CAPS;
    for setting in text.split_whitespace() {
        let (key, value) = setting
            .split_once('=')
            .ok_or_else(|| format!("bad limit {setting:?}"))?;
        match key {
            "timeout" => {
                caps.timeout = match value {
                    "none" => None,
                    v if v.ends_with("ms") => Some(Duration::from_millis(
                        v[..v.len() - 2]
                            .parse()
                            .map_err(|_| format!("bad timeout {v:?}"))?,
                    )),
                    v if v.ends_with('s') => Some(Duration::from_secs(
                        v[..v.len() - 1]
                            .parse()
                            .map_err(|_| format!("bad timeout {v:?}"))?,
                    )),
                    v => return Err(format!("bad timeout {v:?}")),
                }
            }
            "memory" => caps.memory = parse_bytes(value)?,
            "stdout" => caps.stdout = parse_bytes(value)?.map(|n| n as usize),
            "stderr" => caps.stderr = parse_bytes(value)?.map(|n| n as usize),
            other => return Err(format!("unknown limit {other:?}")),
        }
    }
    Ok(caps)
}

/// `\n`, `\\` and `\xNN` escapes, for the `# stdout:` header.
fn unescape(text: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let mut bytes = text.bytes();
    while let Some(b) = bytes.next() {
        if b != b'\\' {
            out.push(b);
            continue;
        }
        match bytes.next() {
            Some(b'n') => out.push(b'\n'),
            Some(b'\\') => out.push(b'\\'),
            Some(b'x') => {
                let hex: Vec<u8> = bytes.by_ref().take(2).collect();
                let hex = std::str::from_utf8(&hex).map_err(|_| "bad \\x escape".to_owned())?;
                out.push(u8::from_str_radix(hex, 16).map_err(|_| format!("bad \\x{hex}"))?);
            }
            other => return Err(format!("unknown escape {other:?}")),
        }
    }
    Ok(out)
}

#[derive(Debug, Clone)]
struct Script {
    name: String,
    source: String,
    specs: Vec<String>,
    expect: Expect,
    value: Option<String>,
    message: Option<String>,
    backtrace: Option<String>,
    stdout: Option<Vec<u8>>,
    stdout_len: Option<usize>,
    host_calls: Option<usize>,
    caps: Caps,
    repeat_same: bool,
    then: Option<(String, Expect, Option<String>)>,
    known_failure: Option<String>,
}

fn parse_script(name: String, source: String) -> Result<Script, String> {
    let mut headers: BTreeMap<String, String> = BTreeMap::new();
    for line in source.lines() {
        let Some(comment) = line.strip_prefix('#') else {
            break;
        };
        let Some((key, value)) = comment.trim().split_once(':') else {
            continue;
        };
        let key = key.trim();
        if key.chars().all(|c| c.is_ascii_lowercase() || c == '-') && !key.is_empty() {
            headers.insert(key.to_owned(), value.trim().to_owned());
        }
    }
    let take = |key: &str| headers.get(key).cloned();
    let expect = parse_expect(&take("expect").ok_or("no `# expect:` header")?)?;
    let specs: Vec<String> = take("spec")
        .ok_or("no `# spec:` header")?
        .split([',', ' '])
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    let then = match take("then") {
        Some(source) => {
            let expect = parse_expect(&take("then-expect").ok_or("`# then:` without `# then-expect:`")?)?;
            Some((source, expect, take("then-value")))
        }
        None => None,
    };
    Ok(Script {
        name,
        specs,
        expect,
        value: take("value"),
        message: take("message"),
        backtrace: take("backtrace"),
        stdout: take("stdout").map(|s| unescape(&s)).transpose()?,
        stdout_len: take("stdout-len")
            .map(|s| s.parse().map_err(|_| "bad stdout-len"))
            .transpose()?,
        host_calls: take("host-calls")
            .map(|s| s.parse().map_err(|_| "bad host-calls"))
            .transpose()?,
        caps: take("limits")
            .map(|s| parse_caps(&s))
            .transpose()?
            .unwrap_or(DEFAULT_CAPS),
        repeat_same: take("repeat").as_deref() == Some("same"),
        then,
        known_failure: take("known-failure"),
        source,
    })
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile")
}

fn load_corpus() -> Vec<Script> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .expect("tests/hostile exists")
        .map(|entry| entry.expect("readable directory entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "rb"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let source = std::fs::read_to_string(&path).expect("script is UTF-8 text");
            parse_script(name.clone(), source).unwrap_or_else(|e| panic!("{name}: bad header: {e}"))
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Running.

/// What an invocation actually ended with, in the words of the headers.
fn describe(result: &Result<Execution, Error>) -> String {
    match result {
        Ok(_) => "ok".into(),
        Err(e) if e.is_timeout() => "timeout".into(),
        Err(e) if e.is_memory_limit() => "memory_limit".into(),
        Err(e) if e.kind() == ErrorKind::Trap => format!("trap ({e})"),
        Err(e) if e.is_service() => format!("service_error {}", category(e).unwrap_or("(none)")),
        Err(e) if e.is_sandbox_error() => {
            let f = e.guest_failure().unwrap();
            format!("sandbox_error {}", f.klass().unwrap_or("(pre-flight)"))
        }
        Err(e) => format!("other error: {e:?}"),
    }
}

fn category(e: &Error) -> Option<&str> {
    let details = e.guest_failure()?.details()?;
    details.get(&Value::Str("type".into()))?.as_str()
}

fn matches(outcome: &Outcome, result: &Result<Execution, Error>) -> bool {
    match (outcome, result) {
        (Outcome::Ok, Ok(_)) => true,
        (Outcome::Timeout, Err(e)) if e.is_timeout() => true,
        (Outcome::MemoryLimit, Err(e)) if e.is_memory_limit() => true,
        (Outcome::Trap, Err(e)) if e.kind() == ErrorKind::Trap => true,
        (Outcome::Sandbox(class), Err(e)) if e.is_sandbox_error() => {
            class.is_none() || e.guest_failure().and_then(|f| f.klass()) == class.as_deref()
        }
        (Outcome::Service(cat), Err(e)) if e.is_service() => cat.is_none() || category(e) == cat.as_deref(),
        _ => false,
    }
}

fn check_outcome(
    problems: &mut Vec<String>,
    what: &str,
    expect: &Expect,
    value: Option<&str>,
    result: &Result<Execution, Error>,
) {
    if !expect.alternatives.iter().any(|o| matches(o, result)) {
        problems.push(format!(
            "{what}: expected `{}`, got {}",
            expect.text,
            describe(result)
        ));
        return;
    }
    let output = match result {
        Ok(run) => Some(run.output()),
        Err(e) => e.output(),
    };
    if let Some(output) = output {
        let flags = (output.stdout_truncated(), output.stderr_truncated());
        if flags != (expect.stdout_truncated, expect.stderr_truncated) {
            problems.push(format!(
                "{what}: (stdout_truncated, stderr_truncated) is {flags:?}, expected {:?} (`{}`)",
                (expect.stdout_truncated, expect.stderr_truncated),
                expect.text
            ));
        }
    }
    if let (Some(want), Ok(run)) = (value, result) {
        let got = run.value().to_string();
        if got != want {
            problems.push(format!("{what}: value is {}, expected {want}", clip(&got)));
        }
    }
}

fn clip(text: &str) -> String {
    match text.char_indices().nth(200) {
        Some((at, _)) => format!("{}... ({} bytes)", &text[..at], text.len()),
        None => text.to_owned(),
    }
}

/// Invariants every invocation must keep, whatever the script.
fn check_invariants(
    problems: &mut Vec<String>,
    caps: &Caps,
    elapsed: Duration,
    result: &Result<Execution, Error>,
) {
    if let Some(timeout) = caps.timeout
        && elapsed > timeout + TIMEOUT_GRACE
    {
        problems.push(format!(
            "S-09: ran {elapsed:?}, more than 1 s past the {timeout:?} timeout"
        ));
    }
    let output = match result {
        Ok(run) => Some(run.output()),
        Err(e) => e.output(),
    };
    if let Some(output) = output {
        if caps.stdout.is_some_and(|cap| output.stdout().len() > cap) {
            problems.push(format!("L-03: kept {} stdout bytes", output.stdout().len()));
        }
        if caps.stderr.is_some_and(|cap| output.stderr().len() > cap) {
            problems.push(format!("L-03: kept {} stderr bytes", output.stderr().len()));
        }
        if caps.memory.is_some_and(|cap| output.usage().memory_peak > cap) {
            problems.push(format!(
                "E-05: memory_peak {} over the cap",
                output.usage().memory_peak
            ));
        }
    }
    if let Err(e) = result
        && let Some(f) = e.guest_failure()
    {
        if f.message().len() > MESSAGE_MAX {
            problems.push(format!("message of {} bytes is not clipped", f.message().len()));
        }
        let backtrace = f.backtrace().unwrap_or_default();
        if backtrace.len() > BACKTRACE_LINES_MAX || backtrace.iter().any(|l| l.len() > BACKTRACE_LINE_MAX) {
            problems.push(format!("backtrace of {} lines is not clipped", backtrace.len()));
        }
    }
}

struct Corpus {
    caps: Caps,
    sandbox: Sandbox,
    calls: Calls,
}

fn corpus_sandbox(caps: Caps) -> Corpus {
    let mut builder = Sandbox::builder()
        .timeout(caps.timeout)
        .memory_limit(caps.memory)
        .stdout_limit(caps.stdout)
        .stderr_limit(caps.stderr);
    let calls = Calls::default();
    builder.service("Host::Echo", Echo(calls.clone())).unwrap();
    builder.service("Host::Each", Each(calls.clone())).unwrap();
    builder.service("Host::Objects", Objects(calls.clone())).unwrap();
    builder.service("Host::Big", Big(calls.clone())).unwrap();
    builder.service("Host::Fail", Fail(calls.clone())).unwrap();
    let sandbox = builder.build().unwrap();
    Corpus { caps, sandbox, calls }
}

#[derive(Debug)]
struct Report {
    script: Script,
    actual: String,
    elapsed: Duration,
    /// Problems with the expected outcome (a known failure may have these).
    problems: Vec<String>,
    /// Problems that no marker excuses: the Sandbox did not survive.
    fatal: Vec<String>,
}

impl Report {
    fn passed(&self) -> bool {
        self.problems.is_empty() && self.fatal.is_empty()
    }

    /// Whether this script is a problem for the test run.
    fn failure(&self) -> Option<String> {
        let mut lines = self.fatal.clone();
        match (&self.script.known_failure, self.problems.is_empty()) {
            (None, false) => lines.extend(self.problems.iter().cloned()),
            (Some(why), true) => lines.push(format!(
                "marked `known-failure: {why}` but now passes: remove the marker"
            )),
            _ => {}
        }
        (!lines.is_empty()).then(|| format!("{}: {}", self.script.name, lines.join("; ")))
    }
}

fn run_script(corpus: &Corpus, script: &Script) -> Report {
    let mut problems = Vec::new();
    let mut fatal = Vec::new();
    corpus.calls.take();
    let started = Instant::now();
    let result = corpus.sandbox.eval(&script.source);
    let elapsed = started.elapsed();
    let calls = corpus.calls.take();
    check_outcome(
        &mut problems,
        "outcome",
        &script.expect,
        script.value.as_deref(),
        &result,
    );
    check_invariants(&mut fatal, &corpus.caps, elapsed, &result);
    let output = match &result {
        Ok(run) => Some(run.output().clone()),
        Err(e) => e.output().cloned(),
    };
    if let Some(want) = &script.message {
        match result.as_ref().err().and_then(|e| e.guest_failure()) {
            Some(f) if f.message().contains(want.as_str()) => {}
            Some(f) => problems.push(format!("message {:?} lacks {want:?}", clip(f.message()))),
            None => match &result {
                Err(e) if e.to_string().contains(want.as_str()) => {}
                _ => problems.push(format!("no error message containing {want:?}")),
            },
        }
    }
    if let Some(want) = &script.backtrace {
        let lines = result
            .as_ref()
            .err()
            .and_then(|e| e.guest_failure())
            .and_then(|f| f.backtrace())
            .unwrap_or_default();
        if !lines.iter().any(|line| line.contains(want.as_str())) {
            problems.push(format!(
                "no backtrace line (of {}) contains {want:?}",
                lines.len()
            ));
        }
    }
    if let Some(want) = &script.stdout {
        let got = output.as_ref().map(|o| o.stdout().to_vec()).unwrap_or_default();
        if &got != want {
            problems.push(format!(
                "stdout is {:?}, expected {:?}",
                clip(&String::from_utf8_lossy(&got)),
                want
            ));
        }
    }
    if let Some(want) = script.stdout_len {
        let got = output.as_ref().map_or(0, |o| o.stdout().len());
        if got != want {
            problems.push(format!("stdout has {got} bytes, expected {want}"));
        }
    }
    if let Some(want) = script.host_calls
        && calls != want
    {
        problems.push(format!("{calls} calls reached host code, expected {want}"));
    }
    if script.repeat_same {
        let again = corpus.sandbox.eval(&script.source);
        let same = match (&result, &again) {
            (Ok(a), Ok(b)) => a.value() == b.value() && a.output().stdout() == b.output().stdout(),
            (Err(a), Err(b)) => a.to_string() == b.to_string(),
            _ => false,
        };
        if !same {
            problems.push(format!(
                "X-06: a second run differs: {} then {}",
                describe(&result),
                describe(&again)
            ));
        }
    }
    if let Some((source, expect, value)) = &script.then {
        let next = corpus.sandbox.eval(source);
        check_outcome(&mut problems, "next invocation", expect, value.as_deref(), &next);
    }
    // The Sandbox must come out of every script usable (T-01, B-03).
    match corpus.sandbox.eval("1 + 1") {
        Ok(run) if run.value() == &Value::Int(2) && run.output().stdout().is_empty() => {}
        other => fatal.push(format!(
            "the Sandbox is not usable afterwards: `1 + 1` gave {other:?}"
        )),
    }
    let mut actual = describe(&result);
    if let Err(e) = &result
        && let Some(f) = e.guest_failure()
    {
        let message: String = f.message().chars().take(70).collect();
        let _ = write!(actual, ": {message:?}");
    }
    Report {
        actual,
        script: script.clone(),
        elapsed,
        problems,
        fatal,
    }
}

fn run_corpus() -> Vec<Report> {
    let scripts = load_corpus();
    let mut sandboxes: Vec<Corpus> = vec![corpus_sandbox(DEFAULT_CAPS)];
    let mut reports = Vec::new();
    for script in scripts {
        let index = match sandboxes.iter().position(|c| c.caps == script.caps) {
            Some(index) => index,
            None => {
                sandboxes.push(corpus_sandbox(script.caps));
                sandboxes.len() - 1
            }
        };
        reports.push(run_script(&sandboxes[index], &script));
    }
    print_table(&reports);
    reports
}

fn print_table(reports: &[Report]) {
    let mut table = String::new();
    for r in reports {
        let status = match (r.passed(), &r.script.known_failure) {
            (true, None) => "pass",
            (false, Some(_)) => "KNOWN",
            _ => "FAIL",
        };
        let _ = writeln!(
            table,
            "{status:5} {:>6} ms  {:44} {:6} {}",
            r.elapsed.as_millis(),
            r.script.name,
            r.script.specs.join(","),
            r.actual
        );
    }
    println!("{table}");
}

/// The corpus, run once per test process and shared by the tests below.
fn reports() -> &'static [Report] {
    static REPORTS: OnceLock<Vec<Report>> = OnceLock::new();
    static RUNNING: Mutex<()> = Mutex::new(());
    let _guard = RUNNING.lock().unwrap_or_else(|e| e.into_inner());
    REPORTS.get_or_init(run_corpus)
}

/// Which test checks the scripts of each spec id (the first id a script
/// lists). A script whose id is missing here fails `corpus_summary`.
const GROUPS: &[(&str, &[&str])] = &[
    ("endless_loops", &["E-04", "L-01"]),
    ("memory", &["E-05", "L-02"]),
    ("output", &["L-03", "B-04"]),
    ("deep_values", &["L-05", "E-10", "E-13"]),
    ("recursion", &["L-07", "E-01"]),
    ("ambient", &["S-01"]),
    ("proxies", &["S-03", "E-23", "B-12"]),
    ("handles", &["S-04", "X-05", "B-18"]),
    ("exceptions", &["E-07", "T-02", "T-03"]),
    ("integers", &["X-01"]),
    ("hermetic", &["X-06"]),
    ("values", &["B-06", "B-13", "L-04"]),
    ("isolation", &["S-07", "S-09", "B-24", "B-28"]),
    ("compiling", &["L-08"]),
];

fn check_group(group: &str) {
    let ids = GROUPS.iter().find(|(g, _)| *g == group).expect("known group").1;
    let mine: Vec<&Report> = reports()
        .iter()
        .filter(|r| ids.contains(&r.script.specs[0].as_str()))
        .collect();
    assert!(!mine.is_empty(), "no script is tagged {ids:?}");
    let failures: Vec<String> = mine.iter().filter_map(|r| r.failure()).collect();
    assert!(
        failures.is_empty(),
        "{} of {} scripts failed:\n{}",
        failures.len(),
        mine.len(),
        failures.join("\n")
    );
}

#[test]
fn e04_l01_endless_loops_time_out() {
    check_group("endless_loops");
}

#[test]
fn e05_l02_memory_bombs_hit_the_cap() {
    check_group("memory");
}

#[test]
fn l08_compiling_is_capped_like_running() {
    check_group("compiling");
}

#[test]
fn l03_output_floods_are_clipped() {
    check_group("output");
}

#[test]
fn l05_e10_e13_deep_and_cyclic_values_are_refused() {
    check_group("deep_values");
}

#[test]
fn l07_unbounded_recursion_ends_in_a_documented_outcome() {
    check_group("recursion");
}

#[test]
fn s01_no_ambient_authority() {
    check_group("ambient");
}

#[test]
fn s03_e23_forged_proxies_reach_no_unbound_service() {
    check_group("proxies");
}

#[test]
fn s04_x05_b18_handles_cannot_be_forged_or_kept() {
    check_group("handles");
}

#[test]
fn e07_t02_hostile_exceptions_are_reported_not_obeyed() {
    check_group("exceptions");
}

#[test]
fn x01_integer_edges() {
    check_group("integers");
}

#[test]
fn x06_time_and_randomness_are_hermetic() {
    check_group("hermetic");
}

#[test]
fn b06_b13_odd_values_cross_or_are_refused() {
    check_group("values");
}

#[test]
fn s07_s09_hostile_state_never_outlives_its_invocation() {
    check_group("isolation");
}

#[test]
fn corpus_summary() {
    let reports = reports();
    let total = reports.len();
    let known: Vec<&Report> = reports
        .iter()
        .filter(|r| r.script.known_failure.is_some())
        .collect();
    let passing = reports.iter().filter(|r| r.passed()).count();
    println!(
        "hostile corpus: {total} scripts, {passing} pass, {} known failures",
        known.len()
    );
    for r in &known {
        println!(
            "  known failure {}: {} (got {}; {})",
            r.script.name,
            r.script.known_failure.as_deref().unwrap_or_default(),
            clip(&r.actual),
            r.problems.join("; ")
        );
    }
    assert!(total >= 60, "the corpus has only {total} scripts");
    let orphans: Vec<&str> = reports
        .iter()
        .filter(|r| {
            !GROUPS
                .iter()
                .any(|(_, ids)| ids.contains(&r.script.specs[0].as_str()))
        })
        .map(|r| r.script.name.as_str())
        .collect();
    assert!(
        orphans.is_empty(),
        "scripts no test checks (add their spec id to GROUPS): {orphans:?}"
    );
    let failures: Vec<String> = reports.iter().filter_map(|r| r.failure()).collect();
    assert!(
        failures.is_empty(),
        "{} scripts failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The header parser itself: a typo in a header must not silently pass.
#[test]
fn corpus_headers_parse_strictly() {
    assert!(parse_expect("ok stdout_truncated").unwrap().stdout_truncated);
    assert_eq!(
        parse_expect("sandbox_error SystemStackError | trap")
            .unwrap()
            .alternatives,
        vec![Outcome::Sandbox(Some("SystemStackError".into())), Outcome::Trap]
    );
    assert!(parse_expect("okay").is_err());
    assert!(parse_expect("ok truncated").is_err());
    assert!(parse_caps("timeout=2s memory=64MiB").is_ok());
    assert!(parse_caps("memroy=1").is_err());
    assert_eq!(unescape(r"a\xff\n").unwrap(), b"a\xff\n");
    assert!(
        parse_script("x.rb".into(), "# spec: S-01\n1".into()).is_err(),
        "no expect"
    );
}

/// The known-failure rules: excused while it fails, a failure once it
/// passes, and never an excuse for a Sandbox that did not survive.
#[test]
fn corpus_known_failure_markers_cut_both_ways() {
    let script = |marker: Option<&str>| {
        let mut source = "# spec: S-01\n# expect: ok\n".to_owned();
        if let Some(why) = marker {
            source.push_str(&format!("# known-failure: {why}\n"));
        }
        parse_script("x.rb".into(), source).unwrap()
    };
    let report = |marker: Option<&str>, problems: &[&str], fatal: &[&str]| Report {
        script: script(marker),
        actual: "ok".into(),
        elapsed: Duration::ZERO,
        problems: problems.iter().map(|p| p.to_string()).collect(),
        fatal: fatal.iter().map(|p| p.to_string()).collect(),
    };
    assert!(report(None, &[], &[]).failure().is_none());
    assert!(report(None, &["wrong"], &[]).failure().is_some());
    assert!(report(Some("bug"), &["wrong"], &[]).failure().is_none());
    let fixed = report(Some("bug"), &[], &[]).failure().unwrap();
    assert!(fixed.contains("remove the marker"), "{fixed}");
    assert!(report(Some("bug"), &["wrong"], &["unusable"]).failure().is_some());
}
