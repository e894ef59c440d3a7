//! The code-mode MCP server both transports share: the tool `execute` runs
//! a script in a fresh invocation against the manifest's services and
//! answers with the `eval --json` record; `describe` answers with what the
//! script can call. Runs in flight are bounded ([`RunSlots`]).

use std::process::ExitCode;
use std::sync::Arc;

use kobako::{Interrupt, Sandbox};
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, ErrorData, Implementation,
    JsonObject, ListToolsResult, PaginatedRequestParams, ServerCapabilities, ServerConfig, Tool,
};
use rmcp::service::RequestContext;
use rmcp::{RoleServer, ServerHandler};
use serde_json::{Value as Json, json};
use tokio::runtime::Runtime;

use crate::describe_command;
use crate::json_report;
use crate::manifest::Manifest;
use crate::report::EXIT_SETUP;
use crate::run_slots::{self, RunSlots};
use crate::sandbox_args::SetupArgs;

/// The longest script `execute` accepts, in bytes.
const MAX_CODE_BYTES: usize = 1024 * 1024;

/// Blocking-pool threads beyond one per run slot, for the standard streams
/// when they are not pipes (stdio) and for other blocking work; so a run
/// that has a slot never waits for a thread.
const SPARE_BLOCKING_THREADS: usize = 8;

/// The server's state: one sandbox with the services bound, the run slots,
/// and the description of what scripts can call. Clones share all of it, so
/// every HTTP request's handler counts against the same bound.
#[derive(Clone)]
pub(crate) struct CodeModeServer {
    sandbox: Arc<Sandbox>,
    slots: RunSlots,
    description: Arc<str>,
    description_json: Arc<Json>,
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

impl CodeModeServer {
    /// The server for `setup` under `manifest`; on failure, reports it and
    /// returns the exit code.
    fn new(setup: &SetupArgs, manifest: &Manifest) -> Result<CodeModeServer, ExitCode> {
        let sandbox = setup.sandbox(manifest)?;
        let (description, description_json) = describe_command::description(setup, manifest);
        let slots = RunSlots::new(
            manifest
                .max_concurrent_runs
                .unwrap_or_else(run_slots::default_capacity),
        );
        Ok(CodeModeServer {
            sandbox: Arc::new(sandbox),
            slots,
            description: description.into(),
            description_json: Arc::new(description_json),
        })
    }

    /// A runtime with a blocking thread for every run slot and some to spare;
    /// on failure, reports it and returns the exit code.
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

    /// Runs `code` from `arguments` in a free run slot; the run stops early
    /// when the client cancels the call (`context.ct`).
    async fn execute(
        &self,
        arguments: Option<&JsonObject>,
        context: &RequestContext<RoleServer>,
    ) -> Result<CallToolResult, ErrorData> {
        let Some(code) = arguments.and_then(|a| a.get("code")).and_then(Json::as_str) else {
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
            return Ok(record_result(json_report::refusal(&message), true));
        }
        let Some(slot) = self.slots.try_take() else {
            return Ok(record_result(
                json_report::refusal(&busy(self.slots.capacity())),
                true,
            ));
        };
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
        let code = code.to_owned();
        // The slot is held by the run itself, so it is free again exactly
        // when the run ends.
        let ran = tokio::task::spawn_blocking(move || {
            let _slot = slot;
            sandbox.with_interrupt(&interrupt).eval_bytes(code.as_bytes())
        })
        .await;
        watcher.abort();
        let ran = ran.map_err(|e| ErrorData::internal_error(format!("the run did not finish: {e}"), None))?;
        Ok(record_result(json_report::render(&ran, None), ran.is_err()))
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

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let result = match request.name.as_ref() {
            "execute" => self.execute(request.arguments.as_ref(), &context).await?,
            "describe" => {
                let text = ContentBlock::text(self.description.to_string());
                let mut result = CallToolResult::success(vec![text]);
                result.structured_content = Some(Json::clone(&self.description_json));
                result
            }
            other => {
                return Err(ErrorData::invalid_params(
                    format!("unknown tool `{other}`; the tools are execute and describe"),
                    None,
                ));
            }
        };
        Ok(result.into())
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
