//! Hostile clients of both local HTTP servers (`vellum serve`, `vellum mcp --http`): request
//! heads sent slowly or never finished, hundreds of them against a low open-file limit, and
//! paths meant to make a redirect leave the server.

use super::harness::{Server, WAIT, fixture, request, send};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// Open `n` connections that each send the start of a request head and never finish it.
fn half_open(port: u16, n: usize) -> Vec<TcpStream> {
    (0..n)
        .map(|_| {
            let mut c = TcpStream::connect(("127.0.0.1", port)).expect("connect");
            c.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ").unwrap();
            c.set_read_timeout(Some(WAIT)).unwrap();
            c
        })
        .collect()
}

/// Read until the server closes `c`: EOF or a reset, never the read timeout.
#[track_caller]
fn assert_closed_by_server(c: &mut TcpStream) {
    let mut rest = Vec::new();
    if let Err(e) = c.read_to_end(&mut rest) {
        assert!(!matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut), "still open: {e}");
    }
}

/// A request head sent slowly, or never finished, ends with its connection after
/// `--header-timeout` seconds, so half-sent requests cannot use up the server's descriptors.
#[test]
fn a_half_sent_request_is_cut_off() {
    let (_tmp, src) = fixture();
    let s = Server::start(&src, &["--header-timeout", "1"]);
    let start = Instant::now();
    let mut idle = half_open(s.port, 20);
    // Connections that send nothing at all are cut off too.
    idle.extend((0..20).map(|_| TcpStream::connect(("127.0.0.1", s.port)).unwrap()));
    for c in &idle {
        c.set_read_timeout(Some(WAIT)).unwrap();
    }
    // They do not stop anyone else.
    assert_eq!(s.get("/").status, 200);
    for c in &mut idle {
        assert_closed_by_server(c);
    }
    let took = start.elapsed();
    assert!(took >= Duration::from_millis(900), "closed before the timeout: {took:?}");
    assert_eq!(s.get("/").status, 200);
}

/// A slowloris: 300 half-sent requests against a server allowed 256 open files, with a
/// header timeout far beyond the test. The server holds at most half its descriptors in
/// connections and closes the oldest idle one for each newcomer, so a real request is
/// still answered and the watcher can still read the tree.
#[cfg(unix)]
#[test]
fn serve_stays_reachable_under_300_half_open_connections_at_256_files() {
    let (_tmp, src) = fixture();
    let s = Server::launch("serve", &src, &["--port", "0", "--header-timeout", "3600"], Some(256));
    let mut idle = half_open(s.port, 300);
    let page = s.get("/guide/setup/");
    assert_eq!(page.status, 200, "log:\n{}", s.log());
    assert!(page.text().contains("Install step one."));
    // The oldest were closed to make room; the newest still wait.
    assert_closed_by_server(&mut idle[0]);
    let file = src.join("guide/setup.mdx");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("Install step one.", "Install step two.")).unwrap();
    s.wait_for_text("/guide/setup/", "Install step two.");
    drop(idle);
}

/// An MCP `initialize` over Streamable HTTP, read until its result arrives.
#[track_caller]
fn initialize(port: u16) -> String {
    let body = r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-03-26","capabilities":{},"clientInfo":{"name":"test","version":"0"}}}"#;
    let mut c = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    c.set_read_timeout(Some(WAIT)).unwrap();
    write!(
        c,
        "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    while !String::from_utf8_lossy(&got).contains("protocolVersion") {
        match c.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) => panic!("no answer to initialize: {e}; got {:?}", String::from_utf8_lossy(&got)),
        }
    }
    String::from_utf8_lossy(&got).into_owned()
}

/// `vellum mcp --http` shares the connection loop: the same slowloris leaves it reachable,
/// and a half-sent request is cut off after its `--header-timeout`.
#[cfg(unix)]
#[test]
fn mcp_http_stays_reachable_and_cuts_off_half_sent_requests() {
    let (_tmp, src) = fixture();
    let mcp = Server::launch("mcp", &src, &["--http", "0", "--header-timeout", "3600"], Some(256));
    let mut idle = half_open(mcp.port, 300);
    let answer = initialize(mcp.port);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}\nlog:\n{}", mcp.log());
    assert_closed_by_server(&mut idle[0]);
    drop((idle, mcp));

    let mcp = Server::launch("mcp", &src, &["--http", "0", "--header-timeout", "1"], None);
    let start = Instant::now();
    let mut idle = half_open(mcp.port, 5);
    for c in &mut idle {
        assert_closed_by_server(c);
    }
    assert!(start.elapsed() >= Duration::from_millis(900), "closed before the timeout");
    assert!(initialize(mcp.port).starts_with("HTTP/1.1 200"));
}

/// `Location: //host/…` (or `/\host`, which browsers read the same way) would send the
/// browser to another site. Whatever the path, a redirect names a path on this server.
#[test]
fn redirects_never_leave_the_server() {
    let (_tmp, src) = fixture();
    let page = src.join("evil.example/index.mdx");
    std::fs::create_dir_all(page.parent().unwrap()).unwrap();
    std::fs::write(&page, "---\ntitle: Evil\n---\n\nA folder named like a host.\n").unwrap();
    let s = Server::start(&src, &[]);
    let hostile = [
        "//evil.example",
        "///evil.example",
        "//evil.example/",
        "//evil.example?next=//evil.example",
        "/\\evil.example",
        "/\\\\evil.example",
        "/%2F%2Fevil.example",
        "/%2f/evil.example",
        "/%5C%5Cevil.example",
        "/%5cevil.example",
        "/%09/evil.example",
        "/./evil.example",
        "/.//evil.example",
        "/evil.example/..//evil.example",
        "//%2e%2e//evil.example",
    ];
    for raw in hostile {
        let r = request(s.port, "GET", raw);
        if let Some(loc) = r.header("location") {
            let rest = loc.strip_prefix('/').unwrap_or_else(|| panic!("{raw}: Location {loc:?} is not a path"));
            assert!(!rest.starts_with(['/', '\\']) && !loc.contains(|c: char| c.is_control() || c == '\\'), "{raw}: Location {loc:?}");
        }
    }
    assert_eq!(s.get("//evil.example").header("location"), Some("/evil.example/"));
    assert_eq!(s.get("//evil.example?x=1").header("location"), Some("/evil.example/?x=1"));
    assert!(s.get("/evil.example/").text().contains("A folder named like a host."));
    // A raw tab or backslash is no request path at all.
    for raw in ["/\t/evil.example", "/\\evil.example"] {
        let r = send(s.port, &format!("GET {raw} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"));
        assert_eq!((r.status, r.header("location")), (400, None), "{raw:?}");
    }
    drop(s);
    // A base path written with two slashes would name another host: it is refused up front.
    let out = std::process::Command::new(crate::support::bin())
        .arg("serve")
        .arg(&src)
        .args(["--port", "0", "--base-url", "//evil.example"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("names another host"), "{out:?}");
}
