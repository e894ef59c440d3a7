//! The built-in services a manifest can enable, one file each: binding them
//! to a sandbox being built, and describing them for a script's author.

mod counted_service;
pub(crate) mod data_files;
pub(crate) mod http_client;
mod kv_compaction;
mod kv_database;
pub(crate) mod kv_quota;
mod kv_redb;
pub(crate) mod kv_redis;
pub(crate) mod kv_store;

use std::sync::Arc;
use std::time::{Duration, Instant};

use kobako::{SandboxBuilder, Service};

use crate::manifest::{HttpConfig, Manifest};
use crate::run_metrics::RunMetrics;
use crate::service_doc::ServiceDoc;
use counted_service::CountedService;
use data_files::DataFiles;
use http_client::HttpClient;
use kv_store::KvStore;

/// The services [`bind`] bound that the server reads after a run.
#[derive(Default)]
pub(crate) struct BoundServices {
    pub(crate) kv: Option<Arc<KvStore>>,
}

/// Binds each service the manifest enables (`KV::Store`, `HTTP::Client`,
/// `Data::Files`), each call counted in `metrics` if given; no call of
/// theirs outlasts `run_timeout`. The error says which could not be set up.
pub(crate) fn bind(
    builder: &mut SandboxBuilder,
    manifest: &Manifest,
    run_timeout: Option<Duration>,
    metrics: Option<&RunMetrics>,
) -> Result<BoundServices, String> {
    let mut bind = |path: &'static str, service: Arc<dyn Service>| {
        let service = match metrics {
            Some(metrics) => Arc::new(CountedService {
                inner: service,
                calls: metrics.service_calls(path),
            }),
            None => service,
        };
        builder
            .service_arc(path, service)
            .map(|_| ())
            .map_err(|e| e.to_string())
    };
    let mut bound = BoundServices::default();
    if let Some(config) = &manifest.kv {
        let kv = Arc::new(KvStore::open(config, run_timeout)?);
        bind("KV::Store", kv.clone())?;
        bound.kv = Some(kv);
    }
    if let Some(config) = &manifest.http {
        let config = within_run_timeout(config, run_timeout);
        bind("HTTP::Client", Arc::new(HttpClient::new(config)))?;
    }
    if let Some(config) = &manifest.data {
        bind(
            "Data::Files",
            Arc::new(DataFiles::new(config.clone(), run_timeout)),
        )?;
    }
    Ok(bound)
}

/// When a call that may block, begun now, must give up: a Service is never
/// interrupted, and the run's own timeout is checked only once the guest
/// runs again. `None` (no timeout, or one past the clock's range) waits.
pub(crate) fn deadline_after(run_timeout: Option<Duration>) -> Option<Instant> {
    run_timeout.and_then(|timeout| Instant::now().checked_add(timeout))
}

/// The HTTP settings with the request time cap no longer than the run's: a
/// request blocks the invocation, whose own timeout is checked only once the
/// guest runs again.
fn within_run_timeout(config: &HttpConfig, run_timeout: Option<Duration>) -> HttpConfig {
    let mut config = config.clone();
    if let Some(run_timeout) = run_timeout {
        config.timeout = config.timeout.min(run_timeout);
    }
    config
}

/// The description of each service the manifest enables, in binding order.
pub(crate) fn describe(manifest: &Manifest) -> Vec<ServiceDoc> {
    let mut docs = Vec::new();
    if let Some(config) = &manifest.kv {
        docs.push(kv_store::describe(&config.limits));
    }
    if let Some(config) = &manifest.http {
        docs.push(http_client::describe(config));
    }
    if let Some(config) = &manifest.data {
        docs.push(data_files::describe(config));
    }
    docs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn http(timeout: Duration) -> HttpConfig {
        HttpConfig {
            allow: Vec::new(),
            timeout,
            max_response_bytes: 1024,
        }
    }

    #[test]
    fn an_http_request_never_outlasts_the_run_timeout() {
        let long = http(Duration::from_secs(30));
        let capped = within_run_timeout(&long, Some(Duration::from_millis(500)));
        assert_eq!(capped.timeout, Duration::from_millis(500));
        let short = within_run_timeout(&http(Duration::from_secs(2)), Some(Duration::from_secs(60)));
        assert_eq!(short.timeout, Duration::from_secs(2));
        let unlimited = within_run_timeout(&long, None);
        assert_eq!(unlimited.timeout, Duration::from_secs(30));
    }
}
