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

use crate::project::{EXIT_USAGE, SourceArgs};
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
    /// With `--http`: also answer browser requests from this origin (`scheme://host[:port]`,
    /// repeatable). Requests without an `Origin`, and loopback origins, are always answered.
    #[arg(long = "allowed-origin", value_name = "ORIGIN", requires = "http")]
    pub allowed_origins: Vec<String>,
    /// With `--http`: which hosts are answered, and the header time limit.
    #[command(flatten)]
    pub host: crate::local_http::HostArgs,
}

/// Compile the source tree and serve it until the client disconnects; returns the exit code.
pub fn run(args: McpArgs) -> i32 {
    let start = Instant::now();
    let compiled = match crate::project::compile(&args.src) {
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
        Some(port) => runtime.block_on(http(docs, port, &args)),
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

/// Serve Streamable HTTP on 127.0.0.1:`port` until Ctrl-C, behind the Host and Origin
/// guard (the MCP specification asks servers to validate `Origin` against DNS rebinding).
async fn http(docs: Arc<api::Docs>, port: u16, args: &McpArgs) -> Result<(), String> {
    use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService, session::local::LocalSessionManager};
    // The guard checks `Host` with the same rules as `vellum serve` (rmcp's own list knows
    // neither `*.localhost` nor `--allowed-host`), so rmcp's check is not repeated.
    let config = StreamableHttpServerConfig::default().disable_allowed_hosts();
    let cancel = config.cancellation_token.clone();
    let service =
        StreamableHttpService::new(move || Ok(requests::DocsServer::new(docs.clone())), Arc::new(LocalSessionManager::default()), config);
    let guard = crate::local_http::Guard::new("127.0.0.1", &args.host).with_origins(&args.allowed_origins);
    let app = crate::local_http::guarded(axum::Router::new().nest_service("/mcp", service), guard);
    let listener =
        tokio::net::TcpListener::bind(("127.0.0.1", port)).await.map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    eprintln!("vellum mcp: serving Streamable HTTP at http://{addr}/mcp (Ctrl-C to stop)");
    tokio::select! {
        () = crate::local_http::serve(listener, app, std::time::Duration::from_secs(args.host.header_timeout)) => {}
        _ = tokio::signal::ctrl_c() => cancel.cancel(),
    }
    Ok(())
}
