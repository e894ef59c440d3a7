//! `kobako serve --metrics`: the Prometheus endpoint, on an address of its
//! own. It answers `GET /metrics` and nothing else (404), and never reads a
//! request's body.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::header::{CONTENT_TYPE, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;

use crate::run_metrics::{self, RunMetrics};
use crate::services::kv_store::KvStore;

/// The path the metrics are served on.
pub(crate) const METRICS_PATH: &str = "/metrics";

/// How long a scraper may take to send a request's headers.
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// The pause after a failed accept, so the loop does not spin.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// True for the one request answered with the metrics.
fn is_scrape(request: &Request<Incoming>) -> bool {
    request.method() == Method::GET && request.uri().path() == METRICS_PATH
}

/// Sets the KV bytes gauge from `kv`, read off the runtime's workers (a
/// read transaction or a Redis round trip); left as it was if the store
/// does not answer.
async fn refresh_kv_bytes(metrics: &RunMetrics, kv: Option<Arc<KvStore>>) {
    let Some(kv) = kv else { return };
    if let Ok(Some(bytes)) = tokio::task::spawn_blocking(move || kv.stored_bytes()).await {
        metrics.set_kv_bytes(bytes);
    }
}

/// The answer to `request`: the metrics for `GET /metrics`, else 404.
fn respond(metrics: &RunMetrics, request: &Request<Incoming>) -> Response<Full<Bytes>> {
    let (status, content_type, body) = if is_scrape(request) {
        (StatusCode::OK, run_metrics::CONTENT_TYPE, metrics.encode())
    } else {
        let text = "Not Found: the metrics are at GET /metrics\n";
        (
            StatusCode::NOT_FOUND,
            "text/plain; charset=utf-8",
            text.to_owned(),
        )
    };
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

/// Answers scrapes on `listener` for as long as the runtime runs; the KV
/// store's size, if there is one, is read at each scrape.
pub(crate) async fn serve(listener: TcpListener, metrics: RunMetrics, kv: Option<Arc<KvStore>>) {
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) => {
                tracing::warn!("cannot accept a connection to the metrics endpoint: {e}");
                tokio::time::sleep(ACCEPT_BACKOFF).await;
                continue;
            }
        };
        let (metrics, kv) = (metrics.clone(), kv.clone());
        let answer = service_fn(move |request: Request<Incoming>| {
            let (metrics, kv) = (metrics.clone(), kv.clone());
            async move {
                if is_scrape(&request) {
                    refresh_kv_bytes(&metrics, kv).await;
                }
                Ok::<_, Infallible>(respond(&metrics, &request))
            }
        });
        let connection = http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(HEADER_READ_TIMEOUT)
            .serve_connection(TokioIo::new(stream), answer);
        tokio::spawn(async move {
            // A connection's error (the scraper left) ends only it.
            let _ = connection.await;
        });
    }
}
