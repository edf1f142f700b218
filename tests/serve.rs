//! `vellum serve` driven from outside: the real binary on a free port of 127.0.0.1, a
//! fixture tree made per test, raw HTTP over `TcpStream` (so `/../` reaches the server
//! as sent), the event stream, and a headless Chromium for live reload as a user sees it.
//! Hostile clients are in [`hostile`]; files and folders replaced rather than edited in
//! [`source_folder`].

mod harness;
mod hostile;
mod source_folder;

use crate::support::root;
use harness::{Events, SECRET, Server, WAIT, fixture, generation_of, request, send};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

#[test]
fn serves_pages_assets_and_the_404_page_with_content_types() {
    let (_tmp, src) = fixture();
    let s = Server::start(&src, &[]);
    let home = s.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(home.header("content-type"), Some("text/html; charset=utf-8"));
    assert!(home.text().contains("Welcome home."));
    let setup = s.get("/guide/setup/");
    assert_eq!(setup.status, 200);
    let html = setup.text();
    assert!(html.contains("Install step one."));
    let script = html.find("/__vellum/events").expect("live reload injected");
    assert!(script < html.rfind("</body>").expect("body end"), "script goes before </body>");
    assert!(!html.contains("role=\"alert\""), "no overlay without errors");

    let redirect = s.get("/guide/setup?x=1");
    assert_eq!(redirect.status, 308);
    assert_eq!(redirect.header("location"), Some("/guide/setup/?x=1"));
    // `Location: //guide/…` would send the browser to a host named `guide`.
    for raw in ["//guide/setup", "///guide//setup", "//guide/setup/../setup"] {
        let r = s.get(raw);
        assert!(r.header("location").is_none_or(|l| l.starts_with('/') && !l.starts_with("//")), "{raw}: {:?}", r.header("location"));
    }
    assert_eq!(s.get("//guide/setup?x=1").header("location"), Some("/guide/setup/?x=1"));
    assert_eq!(s.get("///guide//setup").header("location"), Some("/guide/setup/"));

    for (path, ctype) in [
        ("/logo.svg", "image/svg+xml"),
        ("/notes.txt", "text/plain; charset=utf-8"),
        ("/sitemap.xml", "application/xml"),
        ("/guide/setup.md", "text/markdown; charset=utf-8"),
    ] {
        let r = s.get(path);
        assert_eq!((r.status, r.header("content-type")), (200, Some(ctype)), "{path}");
    }
    let css = s.get("/theme.css");
    assert_eq!((css.status, css.header("content-type")), (200, Some("text/css; charset=utf-8")));
    assert!(!css.text().contains("__vellum"), "only HTML gets the script");

    let missing = s.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    assert_eq!(missing.header("content-type"), Some("text/html; charset=utf-8"));
    assert!(missing.text().contains("/__vellum/events"), "the 404 page reloads too");
    assert_eq!(s.get("/no-such-file.png").status, 404);
    assert_eq!(request(s.port, "POST", "/").status, 405);
}

#[test]
fn never_serves_a_file_outside_the_site() {
    let (_tmp, src) = fixture();
    let s = Server::start(&src, &[]);
    let attempts = [
        "/../outside/secret.txt",
        "/guide/../../outside/secret.txt",
        "/%2e%2e/outside/secret.txt",
        "/%2E%2E/%2E%2E/outside/secret.txt",
        "/%2e%2e%2foutside%2fsecret.txt",
        "/guide%2f..%2f..%2foutside%2fsecret.txt",
        "/..%5coutside%5csecret.txt",
        "/..\\outside\\secret.txt",
        "/notes.txt%00.html",
        "/leak.txt",
        "/leakdir/secret.txt",
    ];
    for path in attempts {
        let r = s.get(path);
        assert!((400..500).contains(&r.status), "{path}: status {}", r.status);
        assert!(!r.text().contains(SECRET), "{path} leaked the secret");
    }
    // The same server does serve a real asset, so the refusals above are not an accident.
    assert_eq!(s.get("/notes.txt").status, 200);
}

#[test]
fn serves_under_the_base_path() {
    let (_tmp, src) = fixture();
    let s = Server::start(&src, &["--base-url", "/docs"]);
    let root = s.get("/");
    assert_eq!((root.status, root.header("location")), (308, Some("/docs/")));
    assert_eq!(s.get("/docs").header("location"), Some("/docs/"));
    assert_eq!(s.get("/docs//guide/setup").header("location"), Some("/docs/guide/setup/"));
    assert!(s.get("/docs/").text().contains("Welcome home."));
    assert!(s.get("/docs/guide/setup/").text().contains("Install step one."));
    assert_eq!(s.get("/docs/logo.svg").status, 200);
    assert_eq!(s.get("/guide/setup/").status, 404);
    assert_eq!(s.get("/docs/../outside/secret.txt").status, 400);
}

/// Pages whose names a URL encodes are served at the encoded paths their links use.
#[test]
fn serves_pages_at_their_percent_encoded_paths() {
    let (_tmp, src) = fixture();
    for (name, text) in [("café", "Coffee text."), ("hash#tag", "Hash text."), ("a space", "Space text.")] {
        std::fs::write(src.join(format!("guide/{name}.mdx")), format!("---\ntitle: T\n---\n\n{text}\n")).unwrap();
    }
    let s = Server::start(&src, &[]);
    for (path, text) in [("/guide/caf%C3%A9/", "Coffee text."), ("/guide/hash%23tag/", "Hash text."), ("/guide/a%20space/", "Space text.")]
    {
        let r = s.get(path);
        assert_eq!(r.status, 200, "{path}");
        assert!(r.text().contains(text), "{path}");
    }
    assert!(s.get("/guide/").text().contains("href=\"/guide/caf%C3%A9/\""), "links are encoded as served");
}

/// A DNS-rebinding page reaches the server with its own name in `Host`; a cross-site
/// script sends its `Origin`. Neither is answered; loopback names and `--allowed-host` are.
#[test]
fn answers_only_loopback_and_allowed_hosts() {
    let (_tmp, src) = fixture();
    let s = Server::start(&src, &["--allowed-host", "docs.test"]);
    let p = s.port;
    let get = |path: &str, headers: &str| send(p, &format!("GET {path} HTTP/1.1\r\n{headers}Connection: close\r\n\r\n"));
    for host in
        [format!("localhost:{p}"), format!("127.0.0.1:{p}"), format!("[::1]:{p}"), format!("docs.localhost:{p}"), "docs.test".into()]
    {
        let r = get("/guide/setup/", &format!("Host: {host}\r\n"));
        assert_eq!(r.status, 200, "Host: {host}: {}", r.text());
        assert!(r.text().contains("Install step one."), "Host: {host}");
    }
    for host in [format!("evil.example:{p}"), "evil.example".into(), format!("docs.test.evil.example:{p}")] {
        let r = get("/guide/setup/", &format!("Host: {host}\r\n"));
        assert_eq!(r.status, 403, "Host: {host}");
        let name = host.split(':').next().unwrap();
        assert!(r.text().contains(&format!("--allowed-host {name}")), "no hint: {}", r.text());
        assert!(!r.text().contains("Install step one."), "a refused request got the page");
    }
    assert_eq!(get("/", "").status, 403, "no Host at all");
    // The event stream and the status endpoint refuse other sites' scripts.
    let host = format!("Host: 127.0.0.1:{p}\r\n");
    for path in ["/__vellum/status", "/guide/setup/"] {
        let r = get(path, &format!("{host}Origin: http://evil.example\r\n"));
        assert_eq!(r.status, 403, "{path}");
        assert!(r.text().contains("--allowed-host evil.example"), "{}", r.text());
        assert_eq!(get(path, &format!("{host}Origin: http://127.0.0.1:{p}\r\n")).status, 200, "{path}, same origin");
    }
    let mut events = TcpStream::connect(("127.0.0.1", p)).unwrap();
    write!(events, "GET /__vellum/events HTTP/1.1\r\n{host}Origin: https://evil.example\r\n\r\n").unwrap();
    events.set_read_timeout(Some(WAIT)).unwrap();
    let mut head = [0u8; 12];
    events.read_exact(&mut head).unwrap();
    assert_eq!(&head, b"HTTP/1.1 403", "the event stream answered a foreign origin");
}

#[test]
fn an_edit_sends_reload_and_the_new_text_is_served() {
    let (_tmp, src) = fixture();
    let s = Server::start(&src, &[]);
    let page = s.get("/guide/setup/").text();
    let mut events = Events::open(s.port, generation_of(&page));
    let file = src.join("guide/setup.mdx");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("Install step one.", "Install step two.")).unwrap();
    let (name, data) = events.next();
    assert_eq!(name, "reload", "{data}");
    let page = s.get("/guide/setup/").text();
    assert!(page.contains("Install step two."), "log:\n{}", s.log());
    assert!(generation_of(&page) > 0);
    // A body edit takes the single-page fast path.
    s.wait_for_log("the page alone");
    // The full compile that follows brings the agent bundle up to date.
    s.wait_for_text("/llms-full.txt", "Install step two.");

    // A renamed page leaves the site and the nav; the new name appears in both.
    std::fs::rename(&file, src.join("guide/install.mdx")).unwrap();
    assert_eq!(events.next().0, "reload");
    s.wait_for_text("/guide/install/", "Install step two.");
    assert_eq!(s.get("/guide/setup/").status, 404);
    let guide = s.get("/guide/").text();
    assert!(!guide.contains("/guide/setup/"), "nav still links the old name");
    assert!(guide.contains("/guide/install/"), "nav lacks the new name");
}

#[test]
fn a_broken_file_shows_the_overlay_until_it_is_fixed() {
    let (_tmp, src) = fixture();
    let s = Server::start(&src, &[]);
    let mut events = Events::open(s.port, generation_of(&s.get("/").text()));
    let file = src.join("guide/setup.mdx");
    let good = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, "---\ntitle: [unclosed\n---\n\nInstall step broken.\n").unwrap();
    let (name, data) = events.next();
    assert_eq!(name, "error", "{data}");
    let v: serde_json::Value = serde_json::from_str(&data).expect("error data is JSON");
    let first = &v["errors"][0];
    assert_eq!(first["file"], "guide/setup.mdx", "{data}");
    assert!(first["line"].as_u64().unwrap_or(0) > 0, "{data}");
    assert!(!first["message"].as_str().unwrap_or("").is_empty(), "{data}");

    // The last good build is still served, with the overlay rendered by the server.
    let page = s.get("/guide/setup/");
    assert_eq!(page.status, 200);
    let html = page.text();
    assert!(html.contains("Install step one.") && !html.contains("Install step broken."));
    assert!(html.contains("id=\"vellum-error-overlay\" role=\"alert\""), "no overlay");
    assert!(html.contains("guide/setup.mdx:2"), "overlay lacks file:line");

    std::fs::write(&file, good.replace("Install step one.", "Install step fixed.")).unwrap();
    assert_eq!(events.next().0, "reload");
    let html = s.get("/guide/setup/").text();
    assert!(html.contains("Install step fixed."));
    assert!(!html.contains("role=\"alert\""), "overlay still shown after the fix");
}

#[test]
fn a_config_change_rebuilds_everything_and_a_bad_config_is_reported() {
    let (_tmp, src) = fixture();
    let s = Server::start(&src, &[]);
    let mut events = Events::open(s.port, generation_of(&s.get("/").text()));
    std::fs::write(src.join("vellum.toml"), "title = \"Renamed Docs\"\n").unwrap();
    assert_eq!(events.next().0, "reload");
    assert!(s.get("/guide/").text().contains("Renamed Docs"));
    std::fs::write(src.join("vellum.toml"), "title = [\n").unwrap();
    let (name, data) = events.next();
    assert_eq!(name, "error");
    assert!(data.contains("vellum.toml"), "{data}");
    assert!(s.get("/guide/").text().contains("Renamed Docs"), "the last good site stays");
}

#[test]
fn a_burst_of_500_files_is_one_rebuild() {
    let (_tmp, src) = fixture();
    let s = Server::start(&src, &[]);
    assert_eq!(s.rebuilds(), 0);
    // What a `git checkout` does: many files written back to back.
    for i in 0..500 {
        std::fs::write(src.join(format!("guide/page-{i:03}.mdx")), format!("---\ntitle: Page {i}\n---\n\nBody {i}.\n")).unwrap();
    }
    s.wait_for_text("/guide/page-499/", "Body 499.");
    // Anything still queued would rebuild within this time.
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(s.rebuilds(), 1, "log:\n{}", s.log());
    assert!(s.get("/guide/page-000/").text().contains("Body 0."));
}

/// Headless Chromium (tests/browser/live-reload.mjs): open a page, edit its source, see
/// the new text without a manual reload; then the overlay for a broken file, and its end.
#[test]
fn a_browser_sees_edits_without_a_manual_reload() {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let node = Command::new("node").arg("--version").output().is_ok_and(|o| o.status.success());
    if !node || !Path::new(&chromium).exists() {
        eprintln!(
            "SKIPPED a_browser_sees_edits_without_a_manual_reload: needs node and {chromium} (apt-get install -y nodejs npm chromium)"
        );
        return;
    }
    let dir = root().join("tests/browser");
    if !dir.join("node_modules/playwright-core").is_dir() {
        let ok = Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(&dir).status().is_ok_and(|s| s.success());
        assert!(ok, "npm ci in {} failed", dir.display());
    }
    let (_tmp, src) = fixture();
    let s = Server::start(&src, &[]);
    let out = Command::new("node")
        .arg(dir.join("live-reload.mjs"))
        .arg(format!("http://127.0.0.1:{}/guide/setup/", s.port))
        .arg(src.join("guide/setup.mdx"))
        .env("CHROMIUM", &chromium)
        .output()
        .expect("node runs");
    assert!(
        out.status.success(),
        "browser test failed:\n{}{}\nserver log:\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
        s.log()
    );
}
