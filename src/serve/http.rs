//! The HTTP side of the preview server: site files from memory, static assets from the
//! source tree, the 404 page, redirects to folder URLs and the base path, and the event
//! stream live reload listens to.
//! Architecture invariant: a request path is decoded segment by segment and looked up as a
//! key of the in-memory site; it is never joined onto a directory. The only disk reads are
//! assets the last build listed, and only when their real path is inside the source root,
//! so no request can reach a file outside the site.

use super::inject;
use super::state::{Event, Shared, Snapshot};
use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{self, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::Stream;
use std::convert::Infallible;
use std::sync::Arc;
use tokio::sync::broadcast::error::RecvError;

/// Where live reload listens.
pub(crate) const EVENTS_PATH: &str = "/__vellum/events";

/// The router: events, status, and everything else from the site.
pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new().route(EVENTS_PATH, get(events)).route("/__vellum/status", get(status)).fallback(site).with_state(shared)
}

/// What a request path asks for.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Target {
    /// A key of the site (`sso/index.html`); `dir` when the URL ended in `/`; `path`, the
    /// request path without empty segments (still encoded), is where a folder redirects.
    Key { key: String, dir: bool, path: String },
    /// Redirect to this path (the base path).
    Redirect(String),
    /// Outside the base path.
    NotFound,
    /// Malformed or an attempt to leave the site: `..`, encoded `/` or `\`, NUL.
    Bad,
}

/// Resolve a raw (still percent-encoded) request path against the base path.
pub(crate) fn resolve(raw: &str, base: &str) -> Target {
    if !raw.starts_with('/') || raw.contains('\\') {
        return Target::Bad;
    }
    let rest = if base.is_empty() {
        raw
    } else if raw == base || raw == "/" {
        return Target::Redirect(format!("{base}/"));
    } else {
        match raw.strip_prefix(base).filter(|r| r.starts_with('/')) {
            Some(r) => r,
            None => return Target::NotFound,
        }
    };
    let mut segments = Vec::new();
    // `//evil.example/` is a path here, but a `Location` starting `//` names another host:
    // redirects are built from the segments, so they always start with one slash.
    let mut path = base.to_string();
    for seg in rest.split('/').filter(|s| !s.is_empty()) {
        path.push('/');
        path.push_str(seg);
        let Some(bytes) = percent_decode(seg) else { return Target::Bad };
        if bytes.iter().any(|&b| b == b'/' || b == b'\\' || b == 0) || bytes == b".." || bytes == b"." {
            return Target::Bad;
        }
        match String::from_utf8(bytes) {
            Ok(s) => segments.push(s),
            Err(_) => return Target::NotFound,
        }
    }
    Target::Key { key: segments.join("/"), dir: rest.ends_with('/'), path }
}

/// Decode `%XX` escapes; `None` for a malformed escape.
fn percent_decode(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = b.get(i + 1..i + 3)?;
            let hi = (hex[0] as char).to_digit(16)?;
            let lo = (hex[1] as char).to_digit(16)?;
            out.push((hi * 16 + lo) as u8);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Some(out)
}

/// The content type for a file name.
pub(crate) fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "yaml" | "yml" => "application/yaml",
        _ => "application/octet-stream",
    }
}

fn respond(status: StatusCode, ctype: &'static str, body: impl Into<Body>) -> Response {
    let mut r = (status, body.into()).into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
    // A preview must never show a stale page.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    r
}

/// `to` as a `Location` on this server: a path with one leading `/`. `//host` and `/\host`
/// name another host, and browsers drop tabs and newlines before reading it, so a target
/// with a control character or a backslash gets no `Location` at all.
fn local_location(to: &str) -> Option<String> {
    if to.contains(|c: char| c.is_control() || c == '\\') {
        return None;
    }
    Some(format!("/{}", to.trim_start_matches('/')))
}

/// A permanent redirect to `to` (a path on this server) with the request's query.
fn redirect(to: &str, query: Option<&str>) -> Response {
    let Some(to) = local_location(to) else {
        return respond(StatusCode::BAD_REQUEST, "text/plain; charset=utf-8", "bad redirect target\n");
    };
    let loc = match query {
        Some(q) => format!("{to}?{q}"),
        None => to,
    };
    let mut r = respond(StatusCode::PERMANENT_REDIRECT, "text/plain; charset=utf-8", format!("see {loc}\n"));
    if let Ok(v) = HeaderValue::from_str(&loc) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

/// A site file, with live reload (and the overlay) injected into HTML.
fn file(snap: &Snapshot, status: StatusCode, key: &str, bytes: &[u8]) -> Response {
    let ctype = content_type(key);
    if ctype.starts_with("text/html") {
        respond(status, ctype, inject::inject(bytes, snap.generation, &snap.errors))
    } else {
        respond(status, ctype, bytes.to_vec())
    }
}

fn not_found(snap: &Snapshot) -> Response {
    match snap.site.files.get("404.html") {
        Some(b) => file(snap, StatusCode::NOT_FOUND, "404.html", b),
        None => respond(StatusCode::NOT_FOUND, "text/plain; charset=utf-8", "404 not found\n"),
    }
}

async fn site(State(shared): State<Arc<Shared>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut r = respond(StatusCode::METHOD_NOT_ALLOWED, "text/plain; charset=utf-8", "method not allowed\n");
        r.headers_mut().insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    let snap = shared.snapshot();
    let (key, dir, path) = match resolve(uri.path(), &snap.site.base) {
        Target::Key { key, dir, path } => (key, dir, path),
        Target::Redirect(to) => return redirect(&to, uri.query()),
        Target::NotFound => return not_found(&snap),
        Target::Bad => return respond(StatusCode::BAD_REQUEST, "text/plain; charset=utf-8", "bad request path\n"),
    };
    let index = if key.is_empty() { "index.html".to_string() } else { format!("{key}/index.html") };
    if dir || key.is_empty() {
        return match snap.site.files.get(&index) {
            Some(b) => file(&snap, StatusCode::OK, &index, b),
            None => not_found(&snap),
        };
    }
    if let Some(b) = snap.site.files.get(&key) {
        return file(&snap, StatusCode::OK, &key, b);
    }
    if snap.site.files.contains_key(&index) {
        return redirect(&format!("{path}/"), uri.query());
    }
    if let Some(path) = snap.site.assets.get(&key) {
        // The real path decides: a link inside the tree may point anywhere.
        let inside = tokio::fs::canonicalize(path).await.is_ok_and(|real| real.starts_with(&shared.root));
        if inside && let Ok(bytes) = tokio::fs::read(path).await {
            return respond(StatusCode::OK, content_type(&key), bytes);
        }
    }
    not_found(&snap)
}

async fn status(State(shared): State<Arc<Shared>>) -> Response {
    let snap = shared.snapshot();
    let body = serde_json::json!({ "generation": snap.generation, "rebuilds": snap.rebuilds, "errors": *snap.errors });
    respond(StatusCode::OK, "application/json", body.to_string())
}

/// The server-sent event for a state change.
fn to_sse(ev: &Event) -> sse::Event {
    match ev {
        Event::Reload(g) => sse::Event::default().event("reload").data(g.to_string()),
        Event::Errors(g, errors) => {
            let data = serde_json::json!({ "generation": g, "errors": **errors });
            sse::Event::default().event("error").data(data.to_string())
        }
    }
}

/// The event stream. A page passes the generation it was rendered from; if the state has
/// moved on since (an event was missed while connecting), it gets the current state first.
async fn events(State(shared): State<Arc<Shared>>, uri: Uri) -> Sse<impl Stream<Item = Result<sse::Event, Infallible>>> {
    let seen: Option<u64> = uri.query().unwrap_or("").split('&').find_map(|kv| kv.strip_prefix("generation=")).and_then(|g| g.parse().ok());
    let rx = shared.subscribe();
    let snap = shared.snapshot();
    let first = seen.filter(|&g| g != snap.generation).map(|_| Event::for_snapshot(&snap));
    let stream = futures_util::stream::unfold((rx, first, shared), |(mut rx, first, shared)| async move {
        if let Some(ev) = first {
            return Some((Ok(to_sse(&ev)), (rx, None, shared)));
        }
        let ev = match rx.recv().await {
            Ok(ev) => ev,
            // Too slow to read every event: the current state is all that matters.
            Err(RecvError::Lagged(_)) => Event::for_snapshot(&shared.snapshot()),
            Err(RecvError::Closed) => return None,
        };
        Some((Ok(to_sse(&ev)), (rx, None, shared)))
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(k: &str, dir: bool) -> Target {
        let path = if k.is_empty() { String::new() } else { format!("/{k}") };
        Target::Key { key: k.into(), dir, path }
    }

    #[test]
    fn resolves_paths_and_refuses_escapes() {
        assert_eq!(resolve("/", ""), key("", true));
        assert_eq!(resolve("/sso/jit/", ""), key("sso/jit", true));
        assert_eq!(resolve("/theme.css", ""), key("theme.css", false));
        let encoded = |k: &str, dir: bool, path: &str| Target::Key { key: k.into(), dir, path: path.into() };
        assert_eq!(resolve("/a%20b.png", ""), encoded("a b.png", false, "/a%20b.png"));
        assert_eq!(resolve("/caf%C3%A9/", ""), encoded("café", true, "/caf%C3%A9"));
        // Leading and doubled slashes are dropped: a redirect must stay on this server.
        assert_eq!(resolve("//sso", ""), key("sso", false));
        assert_eq!(resolve("///evil.example//x/", ""), key("evil.example/x", true));
        for bad in [
            "/../etc/passwd",
            "/a/../../x",
            "/%2e%2e/x",
            "/%2E%2E/x",
            "/a%2f..%2f..%2fx",
            "/a%5c..",
            "/a\\b",
            "/a%00.html",
            "/.",
            "/%zz",
            "/a%2",
        ] {
            assert_eq!(resolve(bad, ""), Target::Bad, "{bad}");
        }
        assert_eq!(resolve("relative", ""), Target::Bad);
    }

    #[test]
    fn redirects_name_paths_on_this_server() {
        assert_eq!(local_location("/sso/").as_deref(), Some("/sso/"));
        assert_eq!(local_location("//evil.example/").as_deref(), Some("/evil.example/"));
        assert_eq!(local_location("///evil.example").as_deref(), Some("/evil.example"));
        for bad in ["/\\evil.example", "/\t/evil.example", "/\n/evil", "/a\\b", "/\u{7f}x"] {
            assert_eq!(local_location(bad), None, "{bad:?}");
        }
        // What `resolve` hands to a redirect never starts with two slashes in the first place.
        for raw in ["//sso", "///evil.example//x", "/%2F%2Fevil", "/%5C%5Cevil", "/\\evil.example", "//%2Fevil"] {
            if let Target::Key { path, .. } | Target::Redirect(path) = resolve(raw, "") {
                assert!(path.starts_with('/') && !path[1..].starts_with(['/', '\\']), "{raw}: {path}");
            }
        }
    }

    #[test]
    fn base_path() {
        assert_eq!(resolve("/", "/docs"), Target::Redirect("/docs/".into()));
        assert_eq!(resolve("/docs", "/docs"), Target::Redirect("/docs/".into()));
        assert_eq!(resolve("/docs/", "/docs"), Target::Key { key: String::new(), dir: true, path: "/docs".into() });
        assert_eq!(resolve("/docs/sso/", "/docs"), Target::Key { key: "sso".into(), dir: true, path: "/docs/sso".into() });
        assert_eq!(resolve("/docs//sso", "/docs"), Target::Key { key: "sso".into(), dir: false, path: "/docs/sso".into() });
        assert_eq!(resolve("/docsx/sso/", "/docs"), Target::NotFound);
        assert_eq!(resolve("/sso/", "/docs"), Target::NotFound);
        assert_eq!(resolve("/docs/../x", "/docs"), Target::Bad);
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("theme.CSS"), "text/css; charset=utf-8");
        assert_eq!(content_type("search.js"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("llms.txt"), "text/plain; charset=utf-8");
        assert_eq!(content_type("sso.md"), "text/markdown; charset=utf-8");
        assert_eq!(content_type("sitemap.xml"), "application/xml");
        assert_eq!(content_type("img/logo.svg"), "image/svg+xml");
        assert_eq!(content_type("Makefile"), "application/octet-stream");
    }
}
