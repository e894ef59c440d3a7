//! Soak: many invocations on one shared Sandbox from two threads, with
//! services, Capability Handles, yields and the occasional failure, while
//! the process's resident memory is watched (S-09: nothing is kept after an
//! invocation ends). After a warm-up, the resident set is sampled along the
//! run and a least-squares line is fitted through the samples: its slope,
//! in bytes per invocation, must stay below a few bytes.
//!
//! `KOBAKO_SOAK_INVOCATIONS` sets the number of invocations (default
//! 200_000, about 20 s in a debug build on 2 cores); the full soak is
//! `KOBAKO_SOAK_INVOCATIONS=1000000 cargo test --release -p kobako --test soak -- --nocapture`.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use kobako::{Call, ErrorKind, Fault, HostObject, Sandbox, Service, Value};

const DEFAULT_INVOCATIONS: usize = 200_000;
const THREADS: usize = 2;
const WARM_UP: usize = 10_000;
/// Resident-set samples taken along the run, after the warm-up.
const SAMPLES: usize = 50;
/// The largest fitted growth of the resident set, in bytes per invocation.
const SLOPE_MAX: f64 = 4.0;

/// Host objects alive right now; every one must be gone at the end.
static LIVE_ACCOUNTS: AtomicI64 = AtomicI64::new(0);

/// Reaches the guest only as a Handle.
struct Account(i64);

impl Account {
    fn new(id: i64) -> Self {
        LIVE_ACCOUNTS.fetch_add(1, Ordering::SeqCst);
        Account(id)
    }
}

impl Drop for Account {
    fn drop(&mut self) {
        LIVE_ACCOUNTS.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Service for Account {
    fn call(&self, call: &mut Call<'_>) -> Result<Value, Fault> {
        match call.method() {
            "balance" => Ok(Value::Int(self.0 * 100)),
            other => Err(Fault::undefined(format!("Account has no {other}"))),
        }
    }
}

/// `find(id)` gives an Account Handle; `each_id { }` yields 1, 2, 3;
/// `refuse` is a runtime fault.
struct Accounts {
    calls: AtomicUsize,
}

impl Service for Accounts {
    fn call(&self, call: &mut Call<'_>) -> Result<Value, Fault> {
        self.calls.fetch_add(1, Ordering::Relaxed);
        match (call.method(), call.args()) {
            ("find", [Value::Int(id)]) => Ok(Value::Object(HostObject::new(Account::new(*id)))),
            ("each_id", []) => {
                let block = call
                    .block()
                    .ok_or_else(|| Fault::argument("each_id needs a block"))?;
                let mut sum = 0;
                for id in 1..=3 {
                    sum += block.call(vec![Value::Int(id)])?.as_int().unwrap_or(0);
                }
                Ok(Value::Int(sum))
            }
            ("refuse", []) => Err(Fault::runtime("refused")),
            (method, _) => Err(Fault::undefined(format!("Accounts has no {method}"))),
        }
    }
}

/// Resident set size of this process, in KiB.
fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|kib| kib.parse().ok())
        .expect("VmRSS in /proc/self/status")
}

/// The slope of the least-squares line through `(x, y)` points.
fn slope(points: &[(f64, f64)]) -> f64 {
    let n = points.len() as f64;
    let mean_x = points.iter().map(|p| p.0).sum::<f64>() / n;
    let mean_y = points.iter().map(|p| p.1).sum::<f64>() / n;
    let covariance: f64 = points.iter().map(|(x, y)| (x - mean_x) * (y - mean_y)).sum();
    let variance: f64 = points.iter().map(|(x, _)| (x - mean_x).powi(2)).sum();
    covariance / variance
}

/// Runs invocation number `i` and checks its outcome; most succeed, some
/// raise, hit a service fault, return a Handle or hit the memory cap.
fn invoke(sandbox: &Sandbox, i: usize) {
    let id = i as i64;
    match i % 100 {
        17 => {
            let e = sandbox.eval("raise ArgumentError, 'nope'").unwrap_err();
            assert!(e.is_sandbox_error(), "{i}: {e:?}");
        }
        42 => {
            let e = sandbox.eval("Bank::Accounts.refuse").unwrap_err();
            assert!(e.kind() == ErrorKind::Service, "{i}: {e:?}");
        }
        63 => {
            // The Handle crosses back and is restored to the host object.
            let run = sandbox.eval(&format!("Bank::Accounts.find({id})")).unwrap();
            let Value::Object(object) = run.value() else {
                panic!("{i}: {run:?}")
            };
            assert_eq!(object.downcast_ref::<Account>().map(|a| a.0), Some(id));
        }
        99 if i % 1000 == 999 => {
            let e = sandbox.eval("'x' * 8_000_000").unwrap_err();
            assert!(e.kind() == ErrorKind::MemoryLimit, "{i}: {e:?}");
        }
        _ => {
            let source = format!(
                "a = Bank::Accounts.find({id})\n\
                 [a.balance, Bank::Accounts.each_id {{ |x| x * 2 }}, {i}.to_s * 3]"
            );
            let run = sandbox.eval(&source).unwrap_or_else(|e| panic!("{i}: {e:?}"));
            let expected = Value::Array(vec![
                Value::Int(id * 100),
                Value::Int(12),
                Value::Str(i.to_string().repeat(3)),
            ]);
            assert_eq!(run.value(), &expected, "{i}");
        }
    }
}

fn run_on_threads(sandbox: &Arc<Sandbox>, from: usize, count: usize) {
    let per_thread = count.div_ceil(THREADS);
    std::thread::scope(|scope| {
        for t in 0..THREADS {
            let sandbox = sandbox.clone();
            scope.spawn(move || {
                let start = from + t * per_thread;
                let end = (start + per_thread).min(from + count);
                for i in start..end {
                    invoke(&sandbox, i);
                }
            });
        }
    });
}

#[test]
fn s09_soak_memory_stays_flat_across_many_invocations() {
    let invocations: usize = std::env::var("KOBAKO_SOAK_INVOCATIONS")
        .ok()
        .map(|n| {
            n.replace('_', "")
                .parse()
                .expect("KOBAKO_SOAK_INVOCATIONS is a number")
        })
        .unwrap_or(DEFAULT_INVOCATIONS);
    let accounts = Arc::new(Accounts {
        calls: AtomicUsize::new(0),
    });
    let mut builder = Sandbox::builder()
        .timeout(Some(Duration::from_secs(10)))
        .memory_limit(Some(4 << 20));
    builder.service_arc("Bank::Accounts", accounts.clone()).unwrap();
    let sandbox = Arc::new(builder.build().unwrap());

    run_on_threads(&sandbox, 0, WARM_UP);
    // (invocations done after the warm-up, resident bytes)
    let mut samples = vec![(0.0, rss_kib() as f64 * 1024.0)];
    let started = Instant::now();
    let chunk = invocations.div_ceil(SAMPLES);
    let mut done = 0;
    while done < invocations {
        let count = chunk.min(invocations - done);
        run_on_threads(&sandbox, WARM_UP + done, count);
        done += count;
        samples.push((done as f64, rss_kib() as f64 * 1024.0));
    }
    let elapsed = started.elapsed();

    let fitted = slope(&samples);
    let (rss_start, rss_end) = (samples[0].1 / 1024.0, samples[samples.len() - 1].1 / 1024.0);
    let per_second = invocations as f64 / elapsed.as_secs_f64();
    println!(
        "soak: {invocations} invocations on {THREADS} threads in {:.1} s ({per_second:.0}/s, {} service calls); \
         VmRSS {rss_start} KiB after {WARM_UP} warm-up invocations, {rss_end} KiB at the end; \
         fitted growth {fitted:.2} bytes per invocation over {} samples",
        elapsed.as_secs_f64(),
        accounts.calls.load(Ordering::Relaxed),
        samples.len(),
    );
    assert_eq!(
        LIVE_ACCOUNTS.load(Ordering::SeqCst),
        0,
        "every Handle target was released"
    );
    assert!(
        fitted < SLOPE_MAX,
        "VmRSS grows by {fitted:.2} bytes per invocation (limit {SLOPE_MAX}); samples (invocations, bytes): {samples:?}"
    );
}
