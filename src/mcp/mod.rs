//! `vellum mcp`: a Model Context Protocol server over the compiled docs, on stdio (or
//! Streamable HTTP on 127.0.0.1 with `--http PORT`). Compiles the source tree in memory
//! once at start, then answers tools (`search_docs`, `read_doc`, `list_docs`,
//! `get_changelog`) and `docs://` resources from the site model.
//!
//! Three layers, protocol at the edge: this file is the transport (process, runtime,
//! stdio/HTTP); [`requests`] maps MCP requests to calls; [`api`] (with [`browse`] and
//! [`text`]) is the typed core, usable and tested without MCP.
//! Architecture invariant: the only module that knows MCP; on stdio nothing but JSON-RPC
//! is written to stdout (logs and the start-up line go to stderr).

pub mod api;
pub mod browse;
pub mod requests;
pub mod text;

use crate::cli::{EXIT_USAGE, SourceArgs};
use clap::Args;
use rmcp::ServiceExt;
use std::sync::Arc;
use std::time::Instant;

/// Options of `vellum mcp`.
#[derive(Args, Debug, Clone)]
pub struct McpArgs {
    /// The source tree to compile and serve.
    #[command(flatten)]
    pub src: SourceArgs,
    /// Serve Streamable HTTP on 127.0.0.1:PORT (endpoint `/mcp`) instead of stdio.
    #[arg(long, value_name = "PORT")]
    pub http: Option<u16>,
}

/// Compile the source tree and serve it until the client disconnects; returns the exit code.
pub fn run(args: McpArgs) -> i32 {
    let start = Instant::now();
    let compiled = match crate::cli::compile(&args.src) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_USAGE;
        }
    };
    let (errors, warnings) = (compiled.diags.errors(), compiled.diags.warnings());
    let docs = Arc::new(api::Docs::new(compiled.site));
    eprintln!(
        "vellum mcp: {} pages ready in {} ms ({errors} errors, {warnings} warnings; `vellum check` lists them)",
        docs.visible_pages().count(),
        start.elapsed().as_millis()
    );
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return 1;
        }
    };
    let served = match args.http {
        None => runtime.block_on(stdio(docs)),
        Some(port) => runtime.block_on(http(docs, port)),
    };
    match served {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: {e}");
            1
        }
    }
}

/// Serve one client on stdin/stdout until it closes stdin.
async fn stdio(docs: Arc<api::Docs>) -> Result<(), String> {
    let server = requests::DocsServer::new(docs);
    let running = server.serve(rmcp::transport::stdio_pipes()).await.map_err(|e| format!("MCP session failed to start: {e}"))?;
    running.waiting().await.map_err(|e| format!("MCP session ended abnormally: {e}"))?;
    Ok(())
}

/// Serve Streamable HTTP on 127.0.0.1:`port` until Ctrl-C.
async fn http(docs: Arc<api::Docs>, port: u16) -> Result<(), String> {
    use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService, session::local::LocalSessionManager};
    let config = StreamableHttpServerConfig::default();
    let cancel = config.cancellation_token.clone();
    let service =
        StreamableHttpService::new(move || Ok(requests::DocsServer::new(docs.clone())), Arc::new(LocalSessionManager::default()), config);
    let app = axum::Router::new().nest_service("/mcp", service);
    let listener =
        tokio::net::TcpListener::bind(("127.0.0.1", port)).await.map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    eprintln!("vellum mcp: serving Streamable HTTP at http://{addr}/mcp (Ctrl-C to stop)");
    axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            let _ = tokio::signal::ctrl_c().await;
            cancel.cancel();
        })
        .await
        .map_err(|e| e.to_string())
}
