//! What the two local HTTP servers (`vellum serve`, `vellum mcp --http`) share: which
//! `Host` and `Origin` values they answer, and the connection loop ([`conns`]), which gives
//! a client a limited time to send each request's headers and bounds the open connections.
//!
//! A browser page from any site can send requests to `127.0.0.1`; once its own name
//! resolves there (DNS rebinding), it can read the answers too, with its name in `Host`.
//! So a request is answered only when its `Host` is a loopback name or address, the
//! address the server binds or a name the user allowed, and when its `Origin` (sent by
//! browsers on cross-site requests) is absent or names such a host (or an origin the user
//! allowed). Everything else gets 403 and a line saying which flag allows it.
//! Architecture invariant: every request passes [`Guard`] before any route sees it, and a
//! connection that has not sent a whole request head within the time limit is closed, so
//! half-sent requests cannot pile up until the server runs out of file descriptors.

mod conns;
pub(crate) use conns::serve;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::IpAddr;
use std::sync::Arc;

/// Seconds a client has to send a request head unless `--header-timeout` says otherwise:
/// far more than a real client on loopback needs, short enough that half-sent requests
/// are soon dropped.
const DEFAULT_HEADER_TIMEOUT: u64 = 10;

/// Options shared by the commands that serve HTTP.
#[derive(clap::Args, Debug, Clone)]
pub struct HostArgs {
    /// Also answer requests for this host name (repeatable; `.example.com` allows the
    /// name and its subdomains). Loopback names and addresses are always allowed.
    #[arg(long = "allowed-host", value_name = "NAME")]
    pub allowed_hosts: Vec<String>,
    /// Seconds a client may take to send a request's headers; then the connection is closed.
    #[arg(long, value_name = "SECONDS", default_value_t = DEFAULT_HEADER_TIMEOUT, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub header_timeout: u64,
}

/// The `Host` and `Origin` values a server answers.
#[derive(Debug, Clone)]
pub(crate) struct Guard {
    /// Allowed names besides loopback ones, lowercased; a leading `.` allows subdomains.
    hosts: Vec<String>,
    /// Origins allowed explicitly (`scheme://host[:port]`, lowercased).
    origins: Vec<String>,
    /// The flag that allows a refused origin: `--allowed-origin` where the command has it.
    origin_flag: &'static str,
}

impl Guard {
    /// Loopback, the address `bind` and the names of `args`; origins by host only.
    pub(crate) fn new(bind: &str, args: &HostArgs) -> Self {
        let mut hosts: Vec<String> = args.allowed_hosts.iter().map(|h| normalize_name(h)).filter(|h| !h.is_empty()).collect();
        hosts.push(normalize_name(bind));
        Self { hosts, origins: Vec::new(), origin_flag: "--allowed-host" }
    }

    /// Also allow these origins (`vellum mcp --allowed-origin`).
    pub(crate) fn with_origins(mut self, origins: &[String]) -> Self {
        self.origins = origins.iter().map(|o| normalize_origin(o)).collect();
        self.origin_flag = "--allowed-origin";
        self
    }

    fn host_allowed(&self, name: &str) -> bool {
        is_loopback(name)
            || self.hosts.iter().any(|h| h == name || h.strip_prefix('.').is_some_and(|d| name == d || name.ends_with(h.as_str())))
    }

    /// `None` when `host` (a `Host` header value) may be answered, else why not.
    pub(crate) fn check_host(&self, host: Option<&str>) -> Option<String> {
        let Some(host) = host else {
            return Some("a request without a Host header is not answered\n".into());
        };
        match host_name(host) {
            Some(name) if self.host_allowed(&name) => None,
            Some(name) => Some(format!("Host \"{name}\" is not allowed; to allow it, restart with `--allowed-host {name}`\n")),
            None => Some(format!("malformed Host header {host:?}\n")),
        }
    }

    /// `None` when a request with this `Origin` header may be answered, else why not.
    pub(crate) fn check_origin(&self, origin: Option<&str>) -> Option<String> {
        let origin = origin?;
        let normal = normalize_origin(origin);
        let host = normal.split_once("://").filter(|(scheme, _)| matches!(*scheme, "http" | "https")).and_then(|(_, rest)| host_name(rest));
        if host.as_deref().is_some_and(|h| self.host_allowed(h)) || self.origins.contains(&normal) {
            return None;
        }
        let fix = match (self.origin_flag, &host) {
            ("--allowed-host", Some(h)) => format!("--allowed-host {h}"),
            _ => format!("--allowed-origin {normal}"),
        };
        Some(format!("Origin \"{origin}\" is not allowed; to allow it, restart with `{fix}`\n"))
    }
}

/// `localhost`, `*.localhost`, `127.0.0.0/8` and `::1`.
fn is_loopback(name: &str) -> bool {
    name == "localhost" || name.ends_with(".localhost") || name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Lowercase, without brackets around an IPv6 address or a trailing dot.
fn normalize_name(name: &str) -> String {
    let n = name.trim().to_ascii_lowercase();
    let n = n.strip_prefix('[').and_then(|n| n.strip_suffix(']')).unwrap_or(&n);
    n.strip_suffix('.').unwrap_or(n).to_string()
}

/// Lowercase, without a trailing `/`.
fn normalize_origin(origin: &str) -> String {
    origin.trim().trim_end_matches('/').to_ascii_lowercase()
}

/// The name of an authority (`name`, `name:port`, `[v6]`, `[v6]:port`), normalized;
/// `None` when it is malformed (a path, user info, an unbracketed IPv6 address, a bad port).
fn host_name(authority: &str) -> Option<String> {
    let port_ok = |p: &str| p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit());
    let a = authority.trim();
    let name = match a.strip_prefix('[') {
        Some(rest) => {
            let (inside, after) = rest.split_once(']')?;
            inside.parse::<std::net::Ipv6Addr>().ok()?;
            if !(after.is_empty() || after.strip_prefix(':').is_some_and(port_ok)) {
                return None;
            }
            inside
        }
        None => match a.split_once(':') {
            Some((n, p)) if port_ok(p) => n,
            Some(_) => return None,
            None => a,
        },
    };
    let bad = |c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ':'));
    (!name.is_empty() && !name.contains(bad)).then(|| normalize_name(name))
}

/// The middleware: 403 and the reason for a request the guard refuses.
async fn guard(State(g): State<Arc<Guard>>, req: Request, next: Next) -> Response {
    match g.refuses(&req) {
        Some(why) => {
            let mut r = (StatusCode::FORBIDDEN, format!("403 forbidden: {why}")).into_response();
            r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
            r
        }
        None => next.run(req).await,
    }
}

impl Guard {
    /// Why `req` is not answered, if it is not.
    fn refuses(&self, req: &Request) -> Option<String> {
        let text = |h: header::HeaderName| req.headers().get(h).map(|v| v.to_str().unwrap_or("\u{FFFD}"));
        let authority = req.uri().authority().map(|a| a.as_str());
        // An absolute-form target (`GET http://x/ HTTP/1.1`) names a host too; both must pass.
        self.check_host(text(header::HOST).or(authority))
            .or_else(|| authority.and_then(|a| self.check_host(Some(a))))
            .or_else(|| self.check_origin(text(header::ORIGIN)))
    }
}

/// `app` behind the guard.
pub(crate) fn guarded(app: Router, g: Guard) -> Router {
    app.layer(axum::middleware::from_fn_with_state(Arc::new(g), guard))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(hosts: &[&str]) -> HostArgs {
        HostArgs { allowed_hosts: hosts.iter().map(|h| h.to_string()).collect(), header_timeout: 10 }
    }

    #[test]
    fn loopback_hosts_pass_with_any_port() {
        let g = Guard::new("127.0.0.1", &args(&[]));
        for ok in ["localhost", "localhost:3000", "LOCALHOST.", "app.localhost:80", "127.0.0.1:1", "127.9.9.9", "[::1]:4000", "[::1]"] {
            assert_eq!(g.check_host(Some(ok)), None, "{ok}");
        }
        for bad in ["evil.example", "evil.example:3000", "localhost.evil.example", "128.0.0.1", "[::2]:80", "10.0.0.1"] {
            let why = g.check_host(Some(bad)).unwrap_or_else(|| panic!("{bad} passed"));
            assert!(why.contains("--allowed-host"), "{why}");
        }
        for malformed in ["", "a b", "evil.example/x", "user@evil.example", "::1", "[::1]x", "a:b:c", "[evil]:80", "x:123456"] {
            assert!(g.check_host(Some(malformed)).is_some(), "{malformed:?} passed");
        }
        assert!(g.check_host(None).is_some(), "no Host");
    }

    #[test]
    fn the_bind_address_and_allowed_names_pass() {
        let g = Guard::new("192.168.1.5", &args(&["docs.test", ".tunnel.example", "[fd00::1]"]));
        for ok in ["192.168.1.5:3000", "docs.test", "DOCS.TEST:8080", "tunnel.example", "a.b.tunnel.example", "[fd00::1]:1"] {
            assert_eq!(g.check_host(Some(ok)), None, "{ok}");
        }
        for bad in ["docs.test.evil", "xdocs.test", "eviltunnel.example", "192.168.1.6"] {
            assert!(g.check_host(Some(bad)).is_some(), "{bad} passed");
        }
        assert_eq!(
            g.check_host(Some("evil.example")).unwrap(),
            "Host \"evil.example\" is not allowed; to allow it, restart with `--allowed-host evil.example`\n"
        );
    }

    #[test]
    fn origins_pass_when_absent_loopback_or_allowed() {
        let serve = Guard::new("127.0.0.1", &args(&["docs.test"]));
        for ok in [None, Some("http://localhost:5173"), Some("https://127.0.0.1"), Some("http://[::1]:3000"), Some("http://docs.test")] {
            assert_eq!(serve.check_origin(ok), None, "{ok:?}");
        }
        let why = serve.check_origin(Some("http://evil.example:3000")).expect("refused");
        assert!(why.contains("`--allowed-host evil.example`"), "{why}");
        for bad in ["null", "file://", "ftp://localhost", "http://localhost.evil.example", "localhost", "http://user@localhost"] {
            assert!(serve.check_origin(Some(bad)).is_some(), "{bad} passed");
        }
        let mcp = Guard::new("127.0.0.1", &args(&[])).with_origins(&["https://App.Test/".to_string()]);
        assert_eq!(mcp.check_origin(Some("https://app.test")), None);
        assert_eq!(mcp.check_origin(Some("http://localhost:9")), None);
        let why = mcp.check_origin(Some("https://evil.example")).expect("refused");
        assert!(why.contains("`--allowed-origin https://evil.example`"), "{why}");
        assert!(mcp.check_origin(Some("https://app.test:8443")).is_some(), "another port is another origin");
    }
}
