//! `kobako serve`: the code-mode server ([`CodeModeServer`]) over MCP's
//! Streamable HTTP transport, behind a bearer token. Each POST to `/mcp` is
//! read here under a size and a time bound, then answered statelessly with
//! one JSON reply; SIGTERM or Ctrl-C stops accepting and lets the requests
//! in flight finish before exiting 0. With `--metrics`, a second address
//! answers Prometheus scrapes.

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::pin::Pin;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use clap::Args;
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::{Body, Incoming};
use hyper::header::{CONNECTION, CONTENT_TYPE, HeaderMap, HeaderValue, WWW_AUTHENTICATE};
use hyper::server::conn::http1;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use rmcp::transport::streamable_http_server::session::never::NeverSessionManager;
use rmcp::transport::{StreamableHttpServerConfig, StreamableHttpService};
use tokio::net::TcpListener;

use crate::EXIT_USAGE;
use crate::bearer_auth::BearerToken;
use crate::code_mode_server::CodeModeServer;
use crate::logging::LogArgs;
use crate::manifest::Manifest;
use crate::mcp_framing::{self, MAX_MESSAGE_BYTES};
use crate::metrics_endpoint::{self, METRICS_PATH};
use crate::report::EXIT_SETUP;
use crate::run_metrics::RunMetrics;
use crate::sandbox_args::SetupArgs;
use crate::services::kv_store::KvStore;
use crate::shutdown::ShutdownSignals;

/// The path the MCP endpoint answers on.
const MCP_PATH: &str = "/mcp";

/// The pause after a failed accept (e.g. out of file descriptors), so the
/// loop does not spin.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// How long past the run timeout shutdown waits for open requests (a slow
/// client still sending its request, or reading its answer).
const DRAIN_GRACE: Duration = Duration::from_secs(30);

#[derive(Args)]
pub(crate) struct ServeArgs {
    #[command(flatten)]
    setup: SetupArgs,
    /// The IP address and port to listen on; port 0 picks a free one.
    #[arg(long, value_name = "IP:PORT", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// A file holding the bearer token clients must send (its trailing
    /// newline is ignored).
    #[arg(long, value_name = "PATH", conflicts_with = "no_auth")]
    token_file: Option<PathBuf>,
    /// Serve without a token: allowed only on a loopback address.
    #[arg(long)]
    no_auth: bool,
    /// Seconds a client may take to send a request's headers, and again to
    /// send its body; hidden, for tests.
    #[arg(long, hide = true, value_name = "SECS", default_value_t = 30,
          value_parser = clap::value_parser!(u64).range(1..))]
    read_timeout: u64,
    /// Also serve Prometheus metrics at http://IP:PORT/metrics, without a
    /// token: keep it on a loopback or private address.
    #[arg(long, value_name = "IP:PORT")]
    metrics: Option<SocketAddr>,
    #[command(flatten)]
    logs: LogArgs,
}

/// The token clients must send: from `--token-file`, else from the variable
/// the manifest's `[serve] token_env` names. `None` only under `--no-auth`
/// on a loopback address, where only this machine's users can connect.
fn bearer_token(args: &ServeArgs, manifest: &Manifest) -> Result<Option<BearerToken>, String> {
    if args.no_auth {
        if manifest.token_env.is_some() {
            return Err("--no-auth conflicts with `serve.token_env` in the manifest; drop one".into());
        }
        if !args.listen.ip().is_loopback() {
            return Err(format!(
                "--no-auth is allowed only on a loopback --listen address (127.0.0.1 or ::1), not {}: \
                 anyone who reaches it could run scripts against the manifest's services; give a \
                 token with --token-file PATH",
                args.listen.ip()
            ));
        }
        return Ok(None);
    }
    match (&args.token_file, &manifest.token_env) {
        (Some(path), _) => BearerToken::from_file(path).map(Some),
        (None, Some(name)) => BearerToken::from_env(name).map(Some),
        (None, None) => Err(
            "kobako serve needs a bearer token: --token-file PATH, or token_env under \
                             [serve] in the manifest; or --no-auth with a loopback --listen address"
                .into(),
        ),
    }
}

/// The response type rmcp's HTTP service answers with.
type HttpResponse = Response<BoxBody<Bytes, Infallible>>;

/// A response of `status` carrying `body` as `content_type`.
fn typed(status: StatusCode, content_type: &'static str, body: Bytes) -> HttpResponse {
    let mut response = Response::new(Full::new(body).boxed());
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

/// A plain-text response.
fn plain(status: StatusCode, text: impl Into<Bytes>) -> HttpResponse {
    typed(status, "text/plain; charset=utf-8", text.into())
}

/// A refusal after which the connection is closed, its body left unread.
fn closing(status: StatusCode, text: impl Into<Bytes>) -> HttpResponse {
    let mut response = plain(status, text);
    response
        .headers_mut()
        .insert(CONNECTION, HeaderValue::from_static("close"));
    response
}

/// The refusal of a body longer than [`MAX_MESSAGE_BYTES`].
fn too_large() -> HttpResponse {
    closing(
        StatusCode::PAYLOAD_TOO_LARGE,
        format!(
            "Payload Too Large: a request body is at most {MAX_MESSAGE_BYTES} bytes (execute takes \
             at most 1048576 bytes of code)\n"
        ),
    )
}

/// A JSON-RPC error `reply` to a body that is not one message, as HTTP 400.
fn json_rpc_error(reply: Vec<u8>) -> HttpResponse {
    typed(StatusCode::BAD_REQUEST, "application/json", Bytes::from(reply))
}

/// Whether `headers` declare a JSON body (`Content-Type: application/json`,
/// parameters aside), the only kind rmcp reads.
fn declares_json(headers: &HeaderMap) -> bool {
    let Some(value) = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let essence = value.split_once(';').map_or(value, |(essence, _)| essence);
    essence.trim().eq_ignore_ascii_case("application/json")
}

/// The HTTP side of the server: the path, the token, the body, then rmcp's
/// service.
#[derive(Clone)]
struct Endpoint {
    mcp: StreamableHttpService<CodeModeServer, NeverSessionManager>,
    token: Option<Arc<BearerToken>>,
    /// How long a client may take to send a request's headers, and again
    /// its body.
    read_timeout: Duration,
}

impl Endpoint {
    async fn respond(self, request: Request<Incoming>) -> HttpResponse {
        if request.uri().path() != MCP_PATH {
            return plain(StatusCode::NOT_FOUND, "Not Found: the MCP endpoint is /mcp\n");
        }
        if let Some(token) = &self.token
            && !token.admits(request.headers())
        {
            let mut response = plain(
                StatusCode::UNAUTHORIZED,
                "Unauthorized: send the header `Authorization: Bearer TOKEN`\n",
            );
            response.headers_mut().insert(
                WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"kobako\""),
            );
            return response;
        }
        if request.method() != Method::POST {
            // rmcp answers these (405) without reading a body.
            return self.mcp.handle(request).await;
        }
        match self.read_body(request).await {
            Ok(request) => self.mcp.handle(request).await,
            Err(refusal) => refusal,
        }
    }

    /// The request with its body read whole, within the read timeout (else
    /// 408) and [`MAX_MESSAGE_BYTES`] (else 413, at once when
    /// `Content-Length` says so). A JSON body that is not one JSON-RPC
    /// message is answered here with its JSON-RPC error.
    async fn read_body(&self, request: Request<Incoming>) -> Result<Request<Full<Bytes>>, HttpResponse> {
        let (parts, body) = request.into_parts();
        if body.size_hint().lower() > MAX_MESSAGE_BYTES as u64 {
            return Err(too_large());
        }
        let read = Limited::new(body, MAX_MESSAGE_BYTES).collect();
        let bytes = match tokio::time::timeout(self.read_timeout, read).await {
            Ok(Ok(collected)) => collected.to_bytes(),
            Ok(Err(e)) if e.is::<LengthLimitError>() => return Err(too_large()),
            Ok(Err(e)) => {
                let text = format!("Bad Request: the body could not be read: {e}\n");
                return Err(closing(StatusCode::BAD_REQUEST, text));
            }
            Err(_) => {
                let text = format!(
                    "Request Timeout: the body did not arrive within {} s\n",
                    self.read_timeout.as_secs()
                );
                return Err(closing(StatusCode::REQUEST_TIMEOUT, text));
            }
        };
        if declares_json(&parts.headers)
            && let Err(unreadable) = mcp_framing::read_message(&bytes, "body")
        {
            return Err(json_rpc_error(unreadable.reply));
        }
        Ok(Request::from_parts(parts, Full::new(bytes)))
    }
}

impl hyper::service::Service<Request<Incoming>> for Endpoint {
    type Response = HttpResponse;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<HttpResponse, Infallible>> + Send>>;

    fn call(&self, request: Request<Incoming>) -> Self::Future {
        let endpoint = self.clone();
        Box::pin(async move { Ok(endpoint.respond(request).await) })
    }
}

/// Serves MCP over HTTP until SIGTERM or Ctrl-C, then drains.
pub(crate) fn run(args: ServeArgs) -> ExitCode {
    args.logs.init();
    let manifest = match args.setup.manifest() {
        Ok(manifest) => manifest,
        Err(code) => return code,
    };
    let token = match bearer_token(&args, &manifest) {
        Ok(token) => token.map(Arc::new),
        Err(message) => {
            eprintln!("kobako: {message}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let (server, runtime) = match CodeModeServer::start(&args.setup, &manifest) {
        Ok(started) => started,
        Err(code) => return code,
    };
    let drain_limit = (args.setup.caps(&manifest).timeout_secs)
        .and_then(|secs| Duration::try_from_secs_f64(secs).ok())
        .map(|timeout| timeout.saturating_add(DRAIN_GRACE));
    let mut config = StreamableHttpServerConfig::default()
        .with_legacy_session_mode(false)
        .with_json_response(true)
        .with_max_request_body_bytes(MAX_MESSAGE_BYTES);
    if !args.listen.ip().is_loopback() {
        // The Host check guards loopback servers against DNS rebinding; a
        // server on a public address answers to its own names, behind the token.
        config = config.disable_allowed_hosts();
    }
    let listen = args.listen;
    let read_timeout = Duration::from_secs(args.read_timeout);
    let metrics = args.metrics.map(|at| (at, server.metrics().clone(), server.kv()));
    runtime.block_on(async move {
        let mcp = StreamableHttpService::new(
            move || Ok(server.clone()),
            Arc::new(NeverSessionManager::default()),
            config,
        );
        let endpoint = Endpoint {
            mcp,
            token,
            read_timeout,
        };
        serve(listen, endpoint, drain_limit, metrics).await
    })
}

/// Starts answering scrapes of `metrics` on the address `at`; on failure,
/// reports it and returns the exit code.
async fn serve_metrics(
    at: SocketAddr,
    metrics: RunMetrics,
    kv: Option<Arc<KvStore>>,
) -> Result<(), ExitCode> {
    let listener = TcpListener::bind(at).await.map_err(|e| {
        eprintln!("kobako: cannot listen for --metrics on {at}: {e}");
        ExitCode::from(EXIT_SETUP)
    })?;
    let bound = listener.local_addr().unwrap_or(at);
    tracing::info!("serving metrics on http://{bound}{METRICS_PATH}");
    tokio::spawn(metrics_endpoint::serve(listener, metrics, kv));
    Ok(())
}

/// Accepts connections on `listen` until a stop signal, then waits (at most
/// `drain_limit`) for the open requests to be answered. `metrics`, if given,
/// are served on their own address until then.
async fn serve(
    listen: SocketAddr,
    endpoint: Endpoint,
    drain_limit: Option<Duration>,
    metrics: Option<(SocketAddr, RunMetrics, Option<Arc<KvStore>>)>,
) -> ExitCode {
    let mut signals = match ShutdownSignals::install() {
        Ok(signals) => signals,
        Err(e) => {
            eprintln!("kobako: cannot handle SIGTERM and Ctrl-C: {e}");
            return ExitCode::from(EXIT_SETUP);
        }
    };
    if let Some((at, metrics, kv)) = metrics
        && let Err(code) = serve_metrics(at, metrics, kv).await
    {
        return code;
    }
    let listener = match TcpListener::bind(listen).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("kobako: cannot listen on {listen}: {e}");
            return ExitCode::from(EXIT_SETUP);
        }
    };
    let bound = listener.local_addr().unwrap_or(listen);
    tracing::info!("serving MCP on http://{bound}{MCP_PATH}");
    let connections = GracefulShutdown::new();
    let signal = loop {
        tokio::select! {
            signal = signals.received() => break signal,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let connection = http1::Builder::new()
                        .timer(TokioTimer::new())
                        .header_read_timeout(endpoint.read_timeout)
                        .serve_connection(TokioIo::new(stream), endpoint.clone());
                    let connection = connections.watch(connection);
                    tokio::spawn(async move {
                        // A connection's error (the client left) ends only it.
                        let _ = connection.await;
                    });
                }
                Err(e) => {
                    tracing::warn!("cannot accept a connection: {e}");
                    tokio::time::sleep(ACCEPT_BACKOFF).await;
                }
            },
        }
    };
    drop(listener);
    tracing::info!("{signal}: no longer accepting; waiting for the requests in flight");
    let drained = match drain_limit {
        Some(limit) => tokio::time::timeout(limit, connections.shutdown()).await.is_ok(),
        None => {
            connections.shutdown().await;
            true
        }
    };
    if drained {
        tracing::info!("stopped");
    } else {
        tracing::warn!("stopped with requests still open past the run timeout");
    }
    ExitCode::SUCCESS
}
