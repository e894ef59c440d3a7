//! Kobako beside the original (Kobako 0.22's guest through its Rust SDK,
//! crates.io `kobako` 0.14.0): the same scripts through both in one
//! process, interleaved, with medians written to a JSON file that
//! `cargo xtask bench` turns into the peer column of docs/benchmarks.md.
//!
//! Usage: `kobako-peer-bench PEER_WASM OUT_JSON` measures everything;
//! `kobako-peer-bench --cold ours|peer PEER_WASM` is the child the cold
//! figure spawns: it times one first Sandbox and `eval("nil")` and prints
//! the nanoseconds.

use std::path::Path;
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use kobako::{Sandbox, Value};
use serde_json::{Map, Value as Json, json};
use upstream::msgpack::{Value as PeerValue, ValueReceiver};

#[path = "../../../crates/kobako/benches/shared/mod.rs"]
mod shared;

use shared::{CPU_SCRIPTS, ENTRY, LOOP_1000, Repeat, SERVICE_CALLS_1000, YIELDS_1000};

/// Fresh processes per side for the cold figure.
const COLD_RUNS: usize = 15;
/// Rounds (one batch of ours, then one of the peer's) for sub-millisecond work.
const QUICK_ROUNDS: usize = 40;
/// Rounds for the CPU-bound scripts, each tens of milliseconds or more.
const CPU_ROUNDS: usize = 10;
/// The length a batch of a quick benchmark aims at.
const BATCH_TARGET: Duration = Duration::from_millis(5);

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["--cold", side, wasm] => cold_once(side, Path::new(wasm)),
        [wasm, out] => measure_all(Path::new(wasm), Path::new(out)),
        _ => Err("usage: kobako-peer-bench PEER_WASM OUT_JSON | --cold ours|peer PEER_WASM".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("kobako-peer-bench: {message}");
            ExitCode::FAILURE
        }
    }
}

/// One cold measurement in this fresh process: the first Sandbox of `side`
/// and its `eval("nil")`, printed in nanoseconds.
fn cold_once(side: &str, wasm: &Path) -> Result<(), String> {
    let start = Instant::now();
    match side {
        "ours" => {
            let sandbox = Sandbox::new().map_err(|e| e.to_string())?;
            sandbox.eval("nil").map_err(|e| e.to_string())?;
        }
        "peer" => {
            let sandbox = peer_sandbox(wasm)?;
            peer_result(&sandbox.eval("nil").map_err(|e| e.to_string())?)?;
        }
        other => return Err(format!("--cold takes ours or peer, not {other:?}")),
    }
    println!("{}", start.elapsed().as_nanos());
    Ok(())
}

fn peer_sandbox(wasm: &Path) -> Result<upstream::Sandbox, String> {
    upstream::Sandbox::new(wasm, upstream::Options::default())
        .map_err(|e| format!("the peer cannot load {}: {e}", wasm.display()))
}

/// The value a peer run produced, or its guest failure as text.
fn peer_result(execution: &upstream::Execution) -> Result<PeerValue, String> {
    execution.value().map_err(|e| e.to_string())
}

/// The medians of every benchmark, keyed by the ids the criterion
/// benchmarks use, and the benchmarks the peer cannot run, with why.
struct Report {
    medians: Map<String, Json>,
    unsupported: Map<String, Json>,
}

impl Report {
    fn record(&mut self, id: &str, (ours, peer): (f64, f64)) {
        println!("{id}: ours {ours:.0} ns, peer {peer:.0} ns ({:.2}×)", ours / peer);
        self.medians
            .insert(id.to_owned(), json!({ "ours": ours, "peer": peer }));
    }

    fn unsupported(&mut self, id: &str, reason: String) {
        println!("{id}: the peer cannot run it: {reason}");
        self.unsupported.insert(id.to_owned(), Json::String(reason));
    }
}

fn measure_all(wasm: &Path, out: &Path) -> Result<(), String> {
    if !wasm.exists() {
        return Err(format!("no peer guest at {}", wasm.display()));
    }
    let mut report = Report {
        medians: Map::new(),
        unsupported: Map::new(),
    };
    let cold = cold(wasm)?;
    report.record("cold_first_eval", cold.inside);
    report.record("cold_process", cold.process);

    let ours = Sandbox::new().map_err(|e| e.to_string())?;
    let peer = peer_sandbox(wasm)?;
    compare(&mut report, "eval_nil", &ours, &peer, "nil", QUICK_ROUNDS)?;

    let (ours, peer) = with_entry(wasm)?;
    let checked = check_agree(
        ours.run("Entry", &[Value::Int(1)], [])
            .map_err(|e| e.to_string())?
            .value()
            .as_int(),
        peer.run(
            "Entry",
            upstream::RunPayload::values(vec![PeerValue::Int(1).into()], Vec::new()),
        )
        .map_err(|e| e.to_string())
        .and_then(|execution| peer_result(&execution)),
    );
    match checked {
        Ok(()) => report.record(
            "run_snippets_0",
            interleaved(
                QUICK_ROUNDS,
                || ours.run("Entry", &[Value::Int(1)], []).map(drop),
                || {
                    let payload = upstream::RunPayload::values(vec![PeerValue::Int(1).into()], Vec::new());
                    peer.run("Entry", payload).map(drop)
                },
            )?,
        ),
        Err(reason) => report.unsupported("run_snippets_0", reason),
    }

    let (ours, peer) = with_services(wasm)?;
    for (id, script) in [
        ("loop_1000", LOOP_1000),
        ("service_calls_1000", SERVICE_CALLS_1000),
        ("yields_1000", YIELDS_1000),
    ] {
        compare(&mut report, id, &ours, &peer, script, QUICK_ROUNDS)?;
    }

    let ours = Sandbox::builder()
        .timeout(None)
        .memory_limit(None)
        .build()
        .map_err(|e| e.to_string())?;
    let peer = peer_sandbox(wasm)?;
    for (id, script) in CPU_SCRIPTS {
        compare(
            &mut report,
            &format!("cpu/{id}"),
            &ours,
            &peer,
            script,
            CPU_ROUNDS,
        )?;
    }

    let saved = json!({
        "peer_wasm": wasm.display().to_string(),
        "medians": report.medians,
        "unsupported": report.unsupported,
    });
    let text = serde_json::to_string_pretty(&saved).map_err(|e| e.to_string())?;
    std::fs::write(out, text + "\n").map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    println!("wrote {}", out.display());
    Ok(())
}

/// Evaluates `script` once on each side (the two must agree), then times
/// it interleaved; a script the peer cannot run is recorded as such.
fn compare(
    report: &mut Report,
    id: &str,
    ours: &Sandbox,
    peer: &upstream::Sandbox,
    script: &str,
    rounds: usize,
) -> Result<(), String> {
    let our_value = ours
        .eval(script)
        .map_err(|e| format!("{id} fails on Kobako: {e}"))?
        .value()
        .as_int();
    let peer_value = peer
        .eval(script)
        .map_err(|e| e.to_string())
        .and_then(|execution| peer_result(&execution));
    match check_agree(our_value, peer_value) {
        Ok(()) => {
            let times = interleaved(
                rounds,
                || ours.eval(script).map(drop),
                || peer.eval(script).map(drop),
            )?;
            report.record(id, times);
        }
        Err(reason) => report.unsupported(id, reason),
    }
    Ok(())
}

/// Whether the peer answered what Kobako did (an Integer, or nil for none).
fn check_agree(ours: Option<i64>, peer: Result<PeerValue, String>) -> Result<(), String> {
    let peer = match peer? {
        PeerValue::Nil => None,
        other => Some(peer_int(Some(&other)).ok_or_else(|| format!("the peer answered {other:?}"))?),
    };
    if ours == peer {
        Ok(())
    } else {
        Err(format!(
            "the peer answered {peer:?} where Kobako answered {ours:?}"
        ))
    }
}

/// Medians over [`COLD_RUNS`] fresh processes per side, spawned
/// alternately: the first Sandbox and `eval("nil")` as timed inside the
/// process, and the whole process from spawn to exit.
struct Cold {
    inside: (f64, f64),
    process: (f64, f64),
}

fn cold(wasm: &Path) -> Result<Cold, String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find this program: {e}"))?;
    // Fill both on-disk module caches first, as a second run of a program would.
    cold_child(&exe, "ours", wasm)?;
    cold_child(&exe, "peer", wasm)?;
    let mut runs = [Vec::new(), Vec::new(), Vec::new(), Vec::new()];
    for _ in 0..COLD_RUNS {
        let (inside, process) = cold_child(&exe, "ours", wasm)?;
        runs[0].push(inside);
        runs[1].push(process);
        let (inside, process) = cold_child(&exe, "peer", wasm)?;
        runs[2].push(inside);
        runs[3].push(process);
    }
    let [ours_inside, ours_process, peer_inside, peer_process] = runs.map(median);
    Ok(Cold {
        inside: (ours_inside, peer_inside),
        process: (ours_process, peer_process),
    })
}

/// One cold child: the time it printed, and its whole run as seen from here.
fn cold_child(exe: &Path, side: &str, wasm: &Path) -> Result<(f64, f64), String> {
    let start = Instant::now();
    let output = Command::new(exe)
        .arg("--cold")
        .arg(side)
        .arg(wasm)
        .output()
        .map_err(|e| format!("cannot start {}: {e}", exe.display()))?;
    let process = start.elapsed().as_nanos() as f64;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(format!(
            "the cold {side} run failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let inside = stdout
        .trim()
        .parse::<f64>()
        .map_err(|_| format!("the cold {side} run printed {stdout:?}, not nanoseconds"))?;
    Ok((inside, process))
}

/// Median time per call of each side over `rounds` rounds, each round one
/// batch of ours followed by one batch of the peer's.
fn interleaved<A, B, EA, EB>(rounds: usize, mut ours: A, mut peer: B) -> Result<(f64, f64), String>
where
    A: FnMut() -> Result<(), EA>,
    B: FnMut() -> Result<(), EB>,
    EA: std::fmt::Display,
    EB: std::fmt::Display,
{
    let mut ours_once = || ours().map_err(|e| format!("Kobako failed: {e}"));
    let mut peer_once = || peer().map_err(|e| format!("the peer failed: {e}"));
    let ours_batch = batch_size(&mut ours_once)?;
    let peer_batch = batch_size(&mut peer_once)?;
    let mut ours_times = Vec::with_capacity(rounds);
    let mut peer_times = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        ours_times.push(time_batch(&mut ours_once, ours_batch)?);
        peer_times.push(time_batch(&mut peer_once, peer_batch)?);
    }
    Ok((median(ours_times), median(peer_times)))
}

/// How many calls make a batch of about [`BATCH_TARGET`], from a few
/// warm-up calls.
fn batch_size(op: &mut impl FnMut() -> Result<(), String>) -> Result<u32, String> {
    op()?;
    let start = Instant::now();
    for _ in 0..3 {
        op()?;
    }
    let once = start.elapsed().as_secs_f64() / 3.0;
    Ok((BATCH_TARGET.as_secs_f64() / once).clamp(1.0, 100_000.0) as u32)
}

/// Nanoseconds per call over one batch.
fn time_batch(op: &mut impl FnMut() -> Result<(), String>, size: u32) -> Result<f64, String> {
    let start = Instant::now();
    for _ in 0..size {
        op()?;
    }
    Ok(start.elapsed().as_nanos() as f64 / f64::from(size))
}

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    let mid = samples.len() / 2;
    if samples.len().is_multiple_of(2) {
        (samples[mid - 1] + samples[mid]) / 2.0
    } else {
        samples[mid]
    }
}

/// Both sides with the entry `invocation.rs` preloads for `run`.
fn with_entry(wasm: &Path) -> Result<(Sandbox, upstream::Sandbox), String> {
    let mut builder = Sandbox::builder();
    builder
        .preload_source("Entry", ENTRY)
        .map_err(|e| e.to_string())?;
    let ours = builder.build().map_err(|e| e.to_string())?;
    let mut peer = peer_sandbox(wasm)?;
    peer.preload("Entry", ENTRY).map_err(|e| e.to_string())?;
    Ok((ours, peer))
}

/// Both sides with the services `invocation.rs` binds: `Math::Add` and
/// `Loop::Repeat`.
fn with_services(wasm: &Path) -> Result<(Sandbox, upstream::Sandbox), String> {
    let mut builder = Sandbox::builder();
    builder
        .service_fn("Math::Add", |a: i64, b: i64| a + b)
        .map_err(|e| e.to_string())?;
    builder
        .service("Loop::Repeat", Repeat)
        .map_err(|e| e.to_string())?;
    let ours = builder.build().map_err(|e| e.to_string())?;
    let mut peer = peer_sandbox(wasm)?;
    peer.bind("Math::Add", PeerAdd.into_receiver())
        .map_err(|e| e.to_string())?;
    peer.bind("Loop::Repeat", PeerRepeat.into_receiver())
        .map_err(|e| e.to_string())?;
    Ok((ours, peer))
}

fn peer_int(value: Option<&PeerValue>) -> Option<i64> {
    match value? {
        PeerValue::Int(n) => Some(*n),
        PeerValue::UInt(n) => i64::try_from(*n).ok(),
        _ => None,
    }
}

/// `Math::Add.call(a, b)` on the peer.
struct PeerAdd;

impl ValueReceiver for PeerAdd {
    fn call(
        &self,
        _method: &str,
        args: &[PeerValue],
        _kwargs: &[(String, PeerValue)],
        _block: Option<&mut upstream::Yielder<'_>>,
        _handles: &upstream::Handles<'_>,
    ) -> Result<PeerValue, upstream::Fault> {
        match (peer_int(args.first()), peer_int(args.get(1))) {
            (Some(a), Some(b)) => Ok(PeerValue::Int(a + b)),
            _ => Err(upstream::Fault::new(
                upstream::FaultKind::Argument,
                "needs two Integers",
            )),
        }
    }
}

/// `Loop::Repeat.run(n) { |i| ... }` on the peer.
struct PeerRepeat;

impl ValueReceiver for PeerRepeat {
    fn call(
        &self,
        _method: &str,
        args: &[PeerValue],
        _kwargs: &[(String, PeerValue)],
        block: Option<&mut upstream::Yielder<'_>>,
        _handles: &upstream::Handles<'_>,
    ) -> Result<PeerValue, upstream::Fault> {
        let n = peer_int(args.first()).unwrap_or(0);
        let block =
            block.ok_or_else(|| upstream::Fault::new(upstream::FaultKind::Argument, "needs a block"))?;
        for i in 0..n {
            block.call_values(&[PeerValue::Int(i)])?;
        }
        Ok(PeerValue::Nil)
    }
}
