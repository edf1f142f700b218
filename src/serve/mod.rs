//! `vellum serve`: build in memory, serve the site over HTTP, watch the source tree and
//! rebuild on change, and make open pages reload (or show the build errors).
//!
//! Three parts, joined by channels: the watcher ([`watch`]) sends classified changes to
//! the rebuild loop ([`rebuild`]), which publishes builds to the shared state ([`state`])
//! that the HTTP server ([`http`]) reads and whose events it streams to pages.
//! Architecture invariant: this is the only module that knows HTTP, live reload and file
//! watching; it drives the pipeline only through `Compiler`, and never writes to disk.

mod http;
mod inject;
mod rebuild;
mod state;
mod watch;

use crate::project::{EXIT_USAGE, SourceArgs};
use state::{BuildError, Shared, Snapshot};
use std::io::Write as _;
use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;

/// The port tried first when `--port` is not given.
const DEFAULT_PORT: u16 = 3000;

/// Options of `vellum serve`.
#[derive(clap::Args, Debug, Clone)]
pub struct ServeArgs {
    /// Source, config and base URL.
    #[command(flatten)]
    pub src: SourceArgs,
    /// Port to listen on; 0 picks a free one (default: 3000, or a free one if it is taken).
    #[arg(long, short)]
    pub port: Option<u16>,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,
    /// Open the site in the default browser.
    #[arg(long)]
    pub open: bool,
    /// Poll for changes instead of using file-system notifications (network drives, VMs).
    #[arg(long)]
    pub poll: bool,
    /// Which hosts are answered, and the header time limit.
    #[command(flatten)]
    pub http: crate::local_http::HostArgs,
}

/// Serve until Ctrl-C; returns the process exit code.
pub fn run(args: ServeArgs) -> i32 {
    let listener = match bind(&args.host, args.port) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: cannot listen on {}:{}: {e}", args.host, args.port.unwrap_or(DEFAULT_PORT));
            return EXIT_USAGE;
        }
    };
    let start = std::time::Instant::now();
    let (builder, first) = match rebuild::Builder::new(args.src.clone()) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_USAGE;
        }
    };
    let summary = first.diags.summary(5, &|f| first.sources.get(f).cloned());
    eprint!("{summary}");
    eprintln!(
        "Built {} pages in {} ms ({}); {} errors, {} warnings",
        first.site.pages.len(),
        start.elapsed().as_millis(),
        rebuild::stages(&first.timings),
        first.diags.errors(),
        first.diags.warnings()
    );
    let snapshot = Snapshot {
        site: Arc::new(rebuild::site_files(&first)),
        errors: Arc::new(BuildError::from_diags(first.diags.iter())),
        ..Default::default()
    };
    let shared = Arc::new(Shared::new(builder.root().to_path_buf(), snapshot));
    let url = match listener.local_addr() {
        Ok(addr) => site_url(addr, &first.site.config.base_path()),
        Err(e) => {
            eprintln!("error: {e}");
            return 1;
        }
    };
    drop(first);

    let (tx, rx) = std::sync::mpsc::channel();
    let watcher = match watch::start(builder.classifier(), args.poll, tx.clone()) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("error: cannot watch {}: {e}{}", args.src.source.display(), if args.poll { "" } else { " (try --poll)" });
            return 1;
        }
    };
    let app = crate::local_http::guarded(http::router(shared.clone()), crate::local_http::Guard::new(&args.host, &args.http));
    let header_timeout = std::time::Duration::from_secs(args.http.header_timeout);
    std::thread::spawn(move || rebuild::run_loop(builder, watcher, args.poll, tx, rx, shared));

    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the server runtime: {e}");
            return 1;
        }
    };
    println!("Serving at {url} (Ctrl-C to stop)");
    let _ = std::io::stdout().flush();
    if args.open {
        open_browser(&url);
    }
    runtime.block_on(async move {
        let listener = match listener.set_nonblocking(true).and_then(|()| tokio::net::TcpListener::from_std(listener)) {
            Ok(l) => l,
            Err(e) => {
                eprintln!("error: {e}");
                return 1;
            }
        };
        // Open event streams never end by themselves, so stop without waiting for them.
        tokio::select! {
            () = crate::local_http::serve(listener, app, header_timeout) => 0,
            () = shutdown_signal() => {
                eprintln!("stopped");
                0
            }
        }
    })
}

/// Bind `host:port`; without an explicit port, fall back to a free one if 3000 is taken.
fn bind(host: &str, port: Option<u16>) -> std::io::Result<TcpListener> {
    match port {
        Some(p) => TcpListener::bind((host, p)),
        None => TcpListener::bind((host, DEFAULT_PORT)).or_else(|_| TcpListener::bind((host, 0))),
    }
}

/// `http://127.0.0.1:3000/docs/`.
fn site_url(addr: SocketAddr, base: &str) -> String {
    format!("http://{addr}{base}/")
}

/// Ctrl-C, or SIGTERM on Unix.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(s) => s,
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
                return;
            }
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Best effort: a missing opener is reported, not fatal.
fn open_browser(url: &str) {
    let mut cmd = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    if let Err(e) = cmd.arg(url).stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null()).spawn() {
        eprintln!("warning: cannot open a browser ({e}); open {url} yourself");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_includes_base_path() {
        let addr: SocketAddr = "127.0.0.1:4000".parse().unwrap();
        assert_eq!(site_url(addr, ""), "http://127.0.0.1:4000/");
        assert_eq!(site_url(addr, "/docs"), "http://127.0.0.1:4000/docs/");
    }

    #[test]
    fn explicit_port_zero_picks_a_free_port() {
        let l = bind("127.0.0.1", Some(0)).unwrap();
        assert_ne!(l.local_addr().unwrap().port(), 0);
    }
}
