//! Whole-workload figures and their baselines, measured in the same run:
//! compiling the guest, a fresh process's first result, CPU-bound scripts
//! in the sandbox next to native mruby built from the same sources,
//! throughput with one and two threads, and resident memory.
//!
//! `cargo xtask bench` builds the native `mruby` and the release `kobako`
//! command and passes them in `KOBAKO_NATIVE_MRUBY` and `KOBAKO_CLI`; the
//! groups that need one are skipped without it. Resident memory is written
//! to `target/criterion/kobako-memory.json`.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use kobako::{Call, Fault, Sandbox, Service, Value};

mod shared;

use shared::CPU_SCRIPTS as SCRIPTS;

fn tool(variable: &str) -> Option<PathBuf> {
    std::env::var_os(variable)
        .map(PathBuf::from)
        .filter(|path| path.exists())
}

fn run_quietly(command: &mut Command) {
    let status = command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("the benchmarked command starts");
    assert!(status.success(), "{command:?} failed: {status}");
}

fn first_compile(c: &mut Criterion) {
    let wasm = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/guest/kobako.wasm")).unwrap();
    // SAFETY: set before any other thread of this process reads the
    // environment (criterion runs benchmarks on this thread).
    unsafe { std::env::set_var("KOBAKO_CACHE_DIR", "off") };
    let mut group = c.benchmark_group("first_compile");
    group.sample_size(10).measurement_time(Duration::from_secs(10));
    group.bench_function("guest", |b| {
        b.iter(|| Sandbox::builder().guest_wasm_bytes(wasm.clone()).build().unwrap())
    });
    group.finish();
    // SAFETY: as above.
    unsafe { std::env::remove_var("KOBAKO_CACHE_DIR") };
}

fn fresh_process(c: &mut Criterion) {
    let mut group = c.benchmark_group("process");
    group.sample_size(20).measurement_time(Duration::from_secs(4));
    if let Some(cli) = tool("KOBAKO_CLI") {
        // Warm the module cache once, as a second run of a program would.
        run_quietly(Command::new(&cli).args(["eval", "-e", "nil"]));
        group.bench_function("kobako_eval_nil", |b| {
            b.iter(|| run_quietly(Command::new(&cli).args(["eval", "-e", "nil"])))
        });
    }
    if let Some(mruby) = tool("KOBAKO_NATIVE_MRUBY") {
        group.bench_function("native_mruby_nil", |b| {
            b.iter(|| run_quietly(Command::new(&mruby).args(["-e", "nil"])))
        });
    }
    group.finish();
}

fn cpu_bound(c: &mut Criterion) {
    let sandbox = Sandbox::builder()
        .timeout(None)
        .memory_limit(None)
        .build()
        .unwrap();
    let native = tool("KOBAKO_NATIVE_MRUBY");
    let mut group = c.benchmark_group("cpu");
    group.sample_size(10).measurement_time(Duration::from_secs(6));
    for (id, script) in SCRIPTS {
        group.bench_function(format!("{id}_sandbox"), |b| {
            b.iter(|| sandbox.eval(script).unwrap())
        });
        if let Some(mruby) = &native {
            // Process start-up is subtracted using `process/native_mruby_nil`.
            group.bench_function(format!("{id}_native_process"), |b| {
                b.iter(|| run_quietly(Command::new(mruby).args(["-e", script])))
            });
        }
    }
    group.finish();
}

fn throughput(c: &mut Criterion) {
    let sandbox = Sandbox::new().unwrap();
    let script = "(1..2_000).sum";
    let mut group = c.benchmark_group("threads");
    group.sample_size(10).measurement_time(Duration::from_secs(5));
    for threads in [1u64, 2] {
        // Time per invocation with `threads` threads invoking at once.
        group.bench_function(format!("per_invocation_{threads}"), |b| {
            b.iter_custom(|iters| {
                let start = Instant::now();
                std::thread::scope(|scope| {
                    for _ in 0..threads {
                        scope.spawn(|| {
                            for _ in 0..iters.div_ceil(threads) {
                                sandbox.eval(script).unwrap();
                            }
                        });
                    }
                });
                start.elapsed()
            })
        });
    }
    group.finish();
}

/// Holds every caller inside its call until all of them are there.
struct Gate(Arc<Barrier>);

impl Service for Gate {
    fn call(&self, _call: &mut Call<'_>) -> Result<Value, Fault> {
        self.0.wait(); // everyone has arrived: measure now
        self.0.wait(); // measured: let go
        Ok(Value::Nil)
    }
}

fn resident_bytes() -> u64 {
    status_bytes("VmRSS:")
}

/// The private part of the resident set: what the process alone holds (the
/// pages it wrote, its stacks and heap), without the pages it maps from a
/// shared file such as the guest image's memory file.
fn private_bytes() -> u64 {
    status_bytes("RssAnon:")
}

/// The proportional set size: each resident page counted once however many
/// pool slots map it (a page mapped by n mappings counts 1/n in each), so
/// the image pages every slot maps from the shared file count once.
fn proportional_bytes() -> u64 {
    proc_bytes("/proc/self/smaps_rollup", "Pss:")
}

fn status_bytes(field: &str) -> u64 {
    proc_bytes("/proc/self/status", field)
}

fn proc_bytes(file: &str, field: &str) -> u64 {
    let status = std::fs::read_to_string(file).unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix(field))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kib| kib * 1024)
}

/// Resident memory per live Sandbox and per in-flight invocation.
fn resident_memory(_c: &mut Criterion) {
    const SANDBOXES: usize = 1000;
    const IN_FLIGHT: usize = 64;

    let warm = Sandbox::new().unwrap();
    warm.eval("nil").unwrap();
    let before = resident_bytes();
    let sandboxes: Vec<Sandbox> = (0..SANDBOXES)
        .map(|_| {
            let mut builder = Sandbox::builder();
            builder.service_fn("Math::Add", |a: i64, b: i64| a + b).unwrap();
            builder.build().unwrap()
        })
        .collect();
    let per_sandbox = resident_bytes().saturating_sub(before) / SANDBOXES as u64;
    drop(sandboxes);

    let gate = Arc::new(Barrier::new(IN_FLIGHT + 1));
    let mut builder = Sandbox::builder();
    builder.service("Test::Gate", Gate(gate.clone())).unwrap();
    let sandbox = builder.build().unwrap();
    sandbox.eval("nil").unwrap();
    let idle = (resident_bytes(), private_bytes(), proportional_bytes());
    let (per_invocation, private_per_invocation, proportional_per_invocation) = std::thread::scope(|scope| {
        for _ in 0..IN_FLIGHT {
            scope.spawn(|| sandbox.eval("x = 'a' * 1000; Test::Gate.call; x.size").unwrap());
        }
        gate.wait();
        let busy = (resident_bytes(), private_bytes(), proportional_bytes());
        gate.wait();
        (
            busy.0.saturating_sub(idle.0) / IN_FLIGHT as u64,
            busy.1.saturating_sub(idle.1) / IN_FLIGHT as u64,
            busy.2.saturating_sub(idle.2) / IN_FLIGHT as u64,
        )
    });
    let report = format!(
        "{{\"per_sandbox_bytes\": {per_sandbox}, \"per_in_flight_invocation_bytes\": {per_invocation}, \"per_in_flight_invocation_private_bytes\": {private_per_invocation}, \"per_in_flight_invocation_proportional_bytes\": {proportional_per_invocation}, \"sandboxes\": {SANDBOXES}, \"in_flight\": {IN_FLIGHT}}}\n"
    );
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../target")));
    let path = target.join("criterion/kobako-memory.json");
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&path, &report).unwrap();
    println!("resident memory: {}", report.trim());
}

criterion_group! {
    name = workloads;
    config = Criterion::default().warm_up_time(Duration::from_secs(1));
    targets = resident_memory, first_compile, fresh_process, cpu_bound, throughput
}
criterion_main!(workloads);
