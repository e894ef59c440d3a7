//! `kobako mcp`: the code-mode server ([`CodeModeServer`]) on stdin/stdout,
//! one JSON-RPC message per line; `notifications/cancelled` interrupts the
//! run it names.

use std::process::ExitCode;

use clap::Args;
use rmcp::ServiceExt;
use rmcp::service::ServerInitializeError;
use rmcp::transport::stdio_pipes;

use crate::code_mode_server::CodeModeServer;
use crate::logging::LogArgs;
use crate::mcp_framing::LineTransport;
use crate::mcp_handshake::HandshakeFirst;
use crate::report::EXIT_SETUP;
use crate::sandbox_args::SetupArgs;

#[derive(Args)]
pub(crate) struct McpArgs {
    #[command(flatten)]
    setup: SetupArgs,
    #[command(flatten)]
    logs: LogArgs,
}

/// Serves MCP on stdin/stdout until the client closes the connection; logs
/// go to stderr, so stdout carries only JSON-RPC.
pub(crate) fn run(args: McpArgs) -> ExitCode {
    args.logs.init();
    let manifest = match args.setup.manifest() {
        Ok(manifest) => manifest,
        Err(code) => return code,
    };
    let (server, runtime) = match CodeModeServer::start(&args.setup, &manifest) {
        Ok(started) => started,
        Err(code) => return code,
    };
    let served = runtime.block_on(async {
        let (stdin, stdout) = stdio_pipes();
        let running = match server
            .serve(HandshakeFirst::new(LineTransport::new(stdin, stdout)))
            .await
        {
            Ok(running) => running,
            // A client that leaves before the handshake ends the session as
            // any other client that leaves does.
            Err(ServerInitializeError::ConnectionClosed(_)) => return Ok(()),
            Err(e) => return Err(e.to_string()),
        };
        running.waiting().await.map(drop).map_err(|e| e.to_string())
    });
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("kobako: the MCP server stopped: {e}");
            ExitCode::from(EXIT_SETUP)
        }
    }
}
