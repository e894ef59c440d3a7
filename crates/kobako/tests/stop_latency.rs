//! The 100 ms promises: a guest spinning in a loop or inside one long C
//! call stops within 100 ms after its deadline (L-01), and within 100 ms
//! after an interrupt. Each figure is the median of several runs, so
//! one run delayed by a loaded machine does not decide it; the tests run in
//! a binary of their own, one at a time.

use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};

use kobako::{ErrorKind, Interrupt, Sandbox};

/// The spec's bound on how late a guest may stop.
const PROMISE: Duration = Duration::from_millis(100);
const RUNS: usize = 5;

/// Tests in this binary take turns, so they do not slow each other down.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// Scripts that keep the guest busy: loops of every kind, and long C calls
/// (each `reverse!` and `sort` of these sizes takes tens of milliseconds
/// inside mruby's C code, with no Ruby code running).
const SPINNERS: &[&str] = &[
    "loop {}",
    "while true; end",
    "i = 0; i += 1 until false",
    "s = 'ab' * 4_000_000; loop { s.reverse! }",
    "a = Array.new(400_000) { |i| (i * 7919) % 400_000 }; loop { a.sort }",
];

#[test]
fn l01_a_spinning_guest_stops_within_100_ms_after_its_deadline() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let timeout = Duration::from_millis(200);
    let sandbox = Sandbox::builder()
        .timeout(Some(timeout))
        .memory_limit(Some(64 << 20))
        .build()
        .unwrap();
    for source in SPINNERS {
        let overshoots = (0..RUNS)
            .map(|_| {
                let started = Instant::now();
                let e = sandbox.eval(source).unwrap_err();
                let elapsed = started.elapsed();
                assert!(e.kind() == ErrorKind::Timeout, "{source}: {e:?}");
                elapsed.saturating_sub(timeout)
            })
            .collect();
        let late = median(overshoots);
        assert!(
            late <= PROMISE,
            "{source}: stopped a median {late:?} after the deadline"
        );
    }
}

#[test]
fn x07_a_spinning_guest_stops_within_100_ms_after_an_interrupt() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let sandbox = Sandbox::builder()
        .timeout(None)
        .memory_limit(Some(64 << 20))
        .build()
        .unwrap();
    for source in SPINNERS {
        let delays = (0..RUNS)
            .map(|_| {
                let interrupt = Interrupt::new();
                let raiser = {
                    let interrupt = interrupt.clone();
                    thread::spawn(move || {
                        thread::sleep(Duration::from_millis(150));
                        interrupt.interrupt();
                        Instant::now()
                    })
                };
                let e = sandbox.with_interrupt(&interrupt).eval(source).unwrap_err();
                let stopped = Instant::now();
                let raised = raiser.join().unwrap();
                assert!(e.is_interrupted(), "{source}: {e:?}");
                stopped.saturating_duration_since(raised)
            })
            .collect();
        let late = median(delays);
        assert!(
            late <= PROMISE,
            "{source}: stopped a median {late:?} after the interrupt"
        );
    }
}
