//! The code-mode MCP server both transports share: the tool `execute` runs
//! a script in a fresh invocation against the manifest's services and
//! answers with the `eval --json` record; `describe` answers with what the
//! script can call. Runs in flight are bounded ([`RunSlots`]); each tool call
//! is logged (never its script or output) and counted in [`RunMetrics`].

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use kobako::{Interrupt, Sandbox};
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, ErrorCode, ErrorData,
    Implementation, JsonObject, ListToolsResult, PaginatedRequestParams, ServerCapabilities, ServerConfig,
    Tool,
};
use rmcp::service::RequestContext;
use rmcp::{RoleServer, ServerHandler};
use serde_json::{Value as Json, json};
use tokio::runtime::Runtime;
use tracing::Instrument;

use crate::describe_command;
use crate::json_report;
use crate::manifest::Manifest;
use crate::report::EXIT_SETUP;
use crate::run_metrics::RunMetrics;
use crate::run_slots::{self, RunSlots};
use crate::sandbox_args::SetupArgs;
use crate::services::kv_store::KvStore;

/// The longest script `execute` accepts, in bytes.
const MAX_CODE_BYTES: usize = 1024 * 1024;

/// Blocking-pool threads beyond one per run slot, for the standard streams
/// when they are not pipes (stdio) and for other blocking work; so a run
/// that has a slot never waits for a thread.
const SPARE_BLOCKING_THREADS: usize = 8;

/// The server's state: one sandbox with the services bound, the run slots,
/// the description of what scripts can call, and the metrics. Clones share
/// all of it, so every HTTP request's handler counts against the same bound.
#[derive(Clone)]
pub(crate) struct CodeModeServer {
    sandbox: Arc<Sandbox>,
    slots: RunSlots,
    description: Arc<str>,
    description_json: Arc<Json>,
    metrics: RunMetrics,
    kv: Option<Arc<KvStore>>,
}

/// What a tool call ended with, for its log line and the metrics.
struct Answered {
    result: CallToolResult,
    outcome: &'static str,
}

fn object(value: Json) -> Arc<JsonObject> {
    match value {
        Json::Object(map) => Arc::new(map),
        _ => Arc::new(JsonObject::new()),
    }
}

/// A tool result carrying `record` both as text and as structured content.
fn record_result(record: Json, is_error: bool) -> CallToolResult {
    let mut result = CallToolResult::success(vec![ContentBlock::text(record.to_string())]);
    result.structured_content = Some(record);
    result.is_error = Some(is_error);
    result
}

/// The bytes of text a tool result sends back.
fn text_bytes(result: &CallToolResult) -> usize {
    let texts = result.content.iter().filter_map(ContentBlock::as_text);
    texts.map(|text| text.text.len()).sum()
}

/// The tool a call names, as logged: a client's own name for an unknown
/// tool is not.
fn tool_name(name: &str) -> &'static str {
    match name {
        "execute" => "execute",
        "describe" => "describe",
        _ => "unknown",
    }
}

impl CodeModeServer {
    /// The server for `setup` under `manifest`; on failure, reports it and
    /// returns the exit code.
    fn new(setup: &SetupArgs, manifest: &Manifest) -> Result<CodeModeServer, ExitCode> {
        let metrics = RunMetrics::new();
        let capacity = manifest
            .max_concurrent_runs
            .unwrap_or_else(run_slots::default_capacity);
        let (sandbox, bound) = setup.counted_sandbox(manifest, &metrics, capacity)?;
        let (description, description_json) = describe_command::description(setup, manifest);
        let slots = RunSlots::new(capacity);
        let server = CodeModeServer {
            sandbox: Arc::new(sandbox),
            slots,
            description: description.into(),
            description_json: Arc::new(description_json),
            metrics,
            kv: bound.kv,
        };
        Ok(server)
    }

    /// The metrics this server counts its runs in.
    pub(crate) fn metrics(&self) -> &RunMetrics {
        &self.metrics
    }

    /// The KV store the scripts use, if the manifest binds one (the metrics
    /// read its size at each scrape).
    pub(crate) fn kv(&self) -> Option<Arc<KvStore>> {
        self.kv.clone()
    }

    /// The server and the runtime to serve it on, as both transports start;
    /// on failure, reports it and returns the exit code.
    pub(crate) fn start(
        setup: &SetupArgs,
        manifest: &Manifest,
    ) -> Result<(CodeModeServer, Runtime), ExitCode> {
        let server = CodeModeServer::new(setup, manifest)?;
        let runtime = server.runtime()?;
        Ok((server, runtime))
    }

    /// A runtime with a blocking thread for every run slot and some to spare;
    /// on failure, reports it and returns the exit code.
    fn runtime(&self) -> Result<Runtime, ExitCode> {
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .max_blocking_threads(self.slots.capacity() + SPARE_BLOCKING_THREADS)
            .build()
            .map_err(|e| {
                eprintln!("kobako: cannot start the server: {e}");
                ExitCode::from(EXIT_SETUP)
            })
    }

    fn tools(&self) -> Vec<Tool> {
        let execute_schema = json!({
            "type": "object",
            "properties": {
                "code": {
                    "type": "string",
                    "description": "Ruby source to run; the value of its last expression is the result."
                }
            },
            "required": ["code"],
            "additionalProperties": false,
        });
        let execute = format!(
            "Run a Ruby script in the Kobako sandbox and return its JSON record: ok, value, \
             stdout, stderr, usage and error (null, or class, message, backtrace and kind). \
             Each call is a fresh run; only the services keep state. Prefer one script that \
             does all the work over many calls.\n\n{}",
            self.description
        );
        vec![
            Tool::new("execute", execute, object(execute_schema)),
            Tool::new(
                "describe",
                "Describe the services a script can call, with signatures, and the limits of a run.",
                object(json!({"type": "object", "properties": {}, "additionalProperties": false})),
            ),
        ]
    }

    /// An `execute` refused before running, counted under `outcome`.
    fn refused(&self, message: &str, outcome: &'static str) -> Answered {
        self.metrics.count_run(outcome);
        Answered {
            result: record_result(json_report::refusal(message).to_json(), true),
            outcome,
        }
    }

    /// Runs `code` from `arguments` in a free run slot; the run stops early
    /// when the client cancels the call (`context.ct`). Each call is counted
    /// by outcome, a run even when its answer is no longer awaited.
    async fn execute(
        &self,
        arguments: Option<&JsonObject>,
        context: &RequestContext<RoleServer>,
    ) -> Result<Answered, ErrorData> {
        let Some(code) = arguments.and_then(|a| a.get("code")).and_then(Json::as_str) else {
            self.metrics.count_run("invalid_arguments");
            return Err(ErrorData::invalid_params(
                "execute needs the argument `code`, a String of Ruby source",
                None,
            ));
        };
        if code.len() > MAX_CODE_BYTES {
            let message = format!(
                "the script is {} bytes; the limit is {MAX_CODE_BYTES}",
                code.len()
            );
            return Ok(self.refused(&message, "too_large"));
        }
        let Some(slot) = self.slots.try_take() else {
            return Ok(self.refused(&busy(self.slots.capacity()), "busy"));
        };
        let in_flight = self.metrics.start_run();
        let interrupt = Interrupt::new();
        // The watcher raises the flag when the call is cancelled, and also
        // when it is dropped unrun: at shutdown the runtime drops its tasks
        // and then waits for the runs.
        let watcher = tokio::spawn({
            let (cancelled, raise) = (context.ct.clone(), InterruptOnDrop(interrupt.clone()));
            async move {
                cancelled.cancelled().await;
                drop(raise);
            }
        });
        let sandbox = Arc::clone(&self.sandbox);
        let metrics = self.metrics.clone();
        let code = code.to_owned();
        // The slot is held by the run itself, so it is free again exactly
        // when the run ends.
        let ran = tokio::task::spawn_blocking(move || {
            let (_slot, _in_flight) = (slot, in_flight);
            let started = Instant::now();
            let ran = sandbox.with_interrupt(&interrupt).eval_bytes(code.as_bytes());
            metrics.observe_duration(started.elapsed());
            metrics.count_run(json_report::outcome_kind(&ran));
            ran
        })
        .await;
        watcher.abort();
        let ran = ran.map_err(|e| {
            self.metrics.count_run("internal");
            ErrorData::internal_error(format!("the run did not finish: {e}"), None)
        })?;
        Ok(Answered {
            result: record_result(json_report::render(&ran, None).to_json(), ran.is_err()),
            outcome: json_report::outcome_kind(&ran),
        })
    }

    /// Answers a call of the tool `tool`.
    async fn answer(
        &self,
        tool: &'static str,
        request: &CallToolRequestParams,
        context: &RequestContext<RoleServer>,
    ) -> Result<Answered, ErrorData> {
        match tool {
            "execute" => self.execute(request.arguments.as_ref(), context).await,
            "describe" => {
                let text = ContentBlock::text(self.description.to_string());
                let mut result = CallToolResult::success(vec![text]);
                result.structured_content = Some(Json::clone(&self.description_json));
                Ok(Answered {
                    result,
                    outcome: "ok",
                })
            }
            _ => Err(ErrorData::invalid_params(
                format!(
                    "unknown tool `{}`; the tools are execute and describe",
                    request.name
                ),
                None,
            )),
        }
    }
}

impl ServerHandler for CodeModeServer {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("kobako", env!("CARGO_PKG_VERSION")))
            .with_instructions(
                "Call `execute` with a Ruby script that uses the services listed in its description.",
            )
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        Ok(ListToolsResult::with_all_items(self.tools()))
    }

    /// Answers the call in a span naming the tool, and logs how it ended:
    /// its outcome, how long it took and the bytes of text sent back.
    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let tool = tool_name(&request.name);
        let span = tracing::info_span!("tool_call", tool);
        let started = Instant::now();
        let answered = (self.answer(tool, &request, &context))
            .instrument(span.clone())
            .await;
        let (outcome, bytes_out) = match &answered {
            Ok(answered) => (answered.outcome, text_bytes(&answered.result)),
            Err(e) if e.code == ErrorCode::INTERNAL_ERROR => ("internal", 0),
            Err(_) if tool == "unknown" => ("unknown_tool", 0),
            Err(_) => ("invalid_arguments", 0),
        };
        // Milliseconds to the microsecond.
        let duration_ms = started.elapsed().as_micros() as f64 / 1000.0;
        tracing::info!(parent: &span, outcome, duration_ms, bytes_out, "tool call finished");
        answered.map(|answered| answered.result.into())
    }
}

/// Raises its flag when dropped.
struct InterruptOnDrop(Interrupt);

impl Drop for InterruptOnDrop {
    fn drop(&mut self) {
        self.0.interrupt();
    }
}

/// The refusal of a run past the bound of `capacity` runs in flight.
fn busy(capacity: usize) -> String {
    format!(
        "busy: {capacity} runs are in flight, the most `mcp.max_concurrent_runs` allows (default: \
         twice the number of cores); retry when one has finished, or raise the key under [mcp] in \
         the manifest"
    )
}
