//! The Prometheus metrics of the code-mode server: runs by outcome, how long
//! they took, how many are in flight, service calls by service, and the bytes
//! the KV store holds. Metrics carry no script content.

use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::Duration;

use prometheus_client::encoding::prometheus_text;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::{Registry, Unit};

/// The upper bounds of the run-duration buckets, in seconds.
const DURATION_BUCKETS: [f64; 14] = [
    0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0,
];

/// Every outcome of an `execute` call: `ok`, the record's error kinds, and
/// the refusals before a run. Each is shown from the start, at 0.
const OUTCOMES: [&str; 10] = [
    "ok",
    "sandbox",
    "service",
    "trap",
    "timeout",
    "memory_limit",
    "busy",
    "too_large",
    "invalid_arguments",
    "internal",
];

/// One label with a value fixed in the program (an outcome, a service path).
type Label = [(&'static str, &'static str); 1];

/// The server's metrics; clones share them.
#[derive(Clone)]
pub(crate) struct RunMetrics {
    registry: Arc<Registry>,
    runs: Family<Label, Counter>,
    run_duration: Histogram,
    in_flight: Gauge,
    service_calls: Family<Label, Counter>,
    kv_bytes: Gauge<u64, AtomicU64>,
}

/// A run being counted as in flight until this is dropped.
pub(crate) struct InFlight(Gauge);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.dec();
    }
}

impl RunMetrics {
    /// The metrics, all at zero, registered under the prefix `kobako_`.
    pub(crate) fn new() -> RunMetrics {
        let mut registry = Registry::with_prefix("kobako");
        let runs = Family::<Label, Counter>::default();
        for outcome in OUTCOMES {
            runs.get_or_create_owned(&[("outcome", outcome)]);
        }
        registry.register(
            "runs",
            "Calls of the execute tool, by outcome: ok, or the record's error kind (sandbox, service, \
             trap, timeout, memory_limit), or busy, too_large, invalid_arguments, internal",
            runs.clone(),
        );
        let run_duration = Histogram::new(DURATION_BUCKETS);
        registry.register_with_unit(
            "run_duration",
            "Wall-clock time of each script that ran",
            Unit::Seconds,
            run_duration.clone(),
        );
        let in_flight = Gauge::default();
        registry.register("runs_in_flight", "Scripts running now", in_flight.clone());
        let service_calls = Family::<Label, Counter>::default();
        registry.register(
            "service_calls",
            "Calls scripts made to a bound service, by its path",
            service_calls.clone(),
        );
        let kv_bytes = Gauge::<u64, AtomicU64>::default();
        registry.register_with_unit(
            "kv",
            "Bytes the KV store holds, keys and encoded values, read at each scrape",
            Unit::Bytes,
            kv_bytes.clone(),
        );
        RunMetrics {
            registry: Arc::new(registry),
            runs,
            run_duration,
            in_flight,
            service_calls,
            kv_bytes,
        }
    }

    /// Counts a call of `execute` that ended with `outcome`.
    pub(crate) fn count_run(&self, outcome: &'static str) {
        self.runs.get_or_create(&[("outcome", outcome)]).inc();
    }

    /// Records how long a script that ran took.
    pub(crate) fn observe_duration(&self, took: Duration) {
        self.run_duration.observe(took.as_secs_f64());
    }

    /// Counts a run in flight until the guard is dropped.
    pub(crate) fn start_run(&self) -> InFlight {
        self.in_flight.inc();
        InFlight(self.in_flight.clone())
    }

    /// The counter of calls to the service bound at `path`.
    pub(crate) fn service_calls(&self, path: &'static str) -> Counter {
        self.service_calls.get_or_create_owned(&[("service", path)])
    }

    /// Sets the bytes the KV store holds.
    pub(crate) fn set_kv_bytes(&self, bytes: u64) {
        self.kv_bytes.set(bytes);
    }

    /// The metrics in the Prometheus text format (version 0.0.4).
    pub(crate) fn encode(&self) -> String {
        let mut text = String::new();
        // Writing to a String cannot fail.
        let _ = prometheus_text::encode(&mut text, &self.registry);
        text
    }
}

/// The media type of [`RunMetrics::encode`]'s text.
pub(crate) const CONTENT_TYPE: &str = prometheus_text::CONTENT_TYPE;
