//! What the server tests share: a fixture tree made per test, the real binary started on a
//! free port of 127.0.0.1 (optionally with a low open-file limit), raw HTTP over
//! `TcpStream` (so `/../` reaches the server as sent) and a reader of the event stream.

use crate::support::bin;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

pub(super) const SECRET: &str = "TOP-SECRET-42";
pub(super) const WAIT: Duration = Duration::from_secs(30);

/// A source tree in a temp dir, with a secret file beside it (outside the source).
pub(super) fn fixture() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("site");
    let w = |rel: &str, text: &str| {
        let p = src.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    w("vellum.toml", "title = \"Fixture Docs\"\n");
    w("index.mdx", "---\ntitle: Home\n---\n\nWelcome home.\n");
    w("guide/index.mdx", "---\ntitle: Guide\n---\n\nGuide intro.\n");
    let filler: String = (1..=80).map(|i| format!("Paragraph {i} of filler text so the page scrolls.\n\n")).collect();
    w("guide/setup.mdx", &format!("---\ntitle: Setup\n---\n\nInstall step one.\n\n{filler}"));
    w("logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    w("notes.txt", "plain notes");
    std::fs::create_dir_all(tmp.path().join("outside")).unwrap();
    std::fs::write(tmp.path().join("outside/secret.txt"), SECRET).unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(tmp.path().join("outside/secret.txt"), src.join("leak.txt")).unwrap();
        std::os::unix::fs::symlink(tmp.path().join("outside"), src.join("leakdir")).unwrap();
    }
    (tmp, src)
}

/// The running server; killed on drop.
pub(super) struct Server {
    child: Child,
    pub(super) port: u16,
    log: Arc<Mutex<String>>,
}

impl Server {
    /// `vellum serve SRC --port 0 EXTRA…`.
    #[track_caller]
    pub(super) fn start(src: &Path, extra: &[&str]) -> Self {
        Self::launch("serve", src, &[&["--port", "0"], extra].concat(), None)
    }

    /// `vellum CMD SRC ARGS…`, with at most `fd_limit` open files when given; returns once it
    /// has printed the URL it serves.
    #[track_caller]
    pub(super) fn launch(cmd: &str, src: &Path, args: &[&str], fd_limit: Option<u32>) -> Self {
        let mut command = match fd_limit {
            Some(n) => {
                let mut c = Command::new("sh");
                c.arg("-c").arg(format!("ulimit -n {n} && exec \"$0\" \"$@\"")).arg(bin());
                c
            }
            None => Command::new(bin()),
        };
        let mut child = command
            .arg(cmd)
            .arg(src)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("vellum starts");
        let log = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = mpsc::channel();
        let out: [Box<dyn Read + Send>; 2] = [Box::new(child.stdout.take().unwrap()), Box::new(child.stderr.take().unwrap())];
        for stream in out {
            let (sink, tx) = (log.clone(), tx.clone());
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    sink.lock().unwrap().push_str(&format!("{line}\n"));
                    let _ = tx.send(line);
                }
            });
        }
        // `serve` prints its URL on stdout, `mcp --http` on stderr.
        let url = loop {
            let line = rx.recv_timeout(WAIT).unwrap_or_else(|_| panic!("no URL printed; log:\n{}", log.lock().unwrap()));
            if let Some(url) = line.split_whitespace().find(|w| w.starts_with("http://127.0.0.1:")) {
                break url.to_string();
            }
        };
        let port = url
            .trim_start_matches("http://127.0.0.1:")
            .split('/')
            .next()
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no port in {url}"));
        Self { child, port, log }
    }

    pub(super) fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// Waits until the server has logged `text` (it logs after it publishes).
    #[track_caller]
    pub(super) fn wait_for_log(&self, text: &str) {
        let start = Instant::now();
        while !self.log().contains(text) {
            assert!(start.elapsed() < WAIT, "the log never showed {text:?}:\n{}", self.log());
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    #[track_caller]
    pub(super) fn get(&self, raw_path: &str) -> Resp {
        request(self.port, "GET", raw_path)
    }

    pub(super) fn rebuilds(&self) -> u64 {
        let v: serde_json::Value = serde_json::from_slice(&self.get("/__vellum/status").body).expect("status is JSON");
        v["rebuilds"].as_u64().expect("rebuilds count")
    }

    /// Poll `path` until its body contains `text`.
    #[track_caller]
    pub(super) fn wait_for_text(&self, path: &str, text: &str) -> Resp {
        let start = Instant::now();
        loop {
            let r = self.get(path);
            if r.text().contains(text) {
                return r;
            }
            assert!(start.elapsed() < WAIT, "{path} never showed {text:?}; status {}; log:\n{}", r.status, self.log());
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(super) struct Resp {
    pub(super) status: u16,
    headers: Vec<(String, String)>,
    pub(super) body: Vec<u8>,
}

impl Resp {
    pub(super) fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
    pub(super) fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// One raw HTTP/1.1 request; the path is sent exactly as given.
#[track_caller]
pub(super) fn request(port: u16, method: &str, raw_path: &str) -> Resp {
    send(port, &format!("{method} {raw_path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"))
}

/// Send `raw` (request line, headers and any body) and read the response until the
/// server closes the connection.
#[track_caller]
pub(super) fn send(port: u16, raw: &str) -> Resp {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(WAIT)).unwrap();
    s.write_all(raw.as_bytes()).unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).expect("read response");
    let end =
        buf.windows(4).position(|w| w == b"\r\n\r\n").unwrap_or_else(|| panic!("no header end in {:?}", String::from_utf8_lossy(&buf)));
    let head = String::from_utf8_lossy(&buf[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines.next().and_then(|l| l.split(' ').nth(1)).and_then(|s| s.parse().ok()).expect("status line");
    let headers: Vec<(String, String)> =
        lines.filter_map(|l| l.split_once(':')).map(|(k, v)| (k.trim().to_string(), v.trim().to_string())).collect();
    let mut body = buf[end + 4..].to_vec();
    if headers.iter().any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked")) {
        body = dechunk(&body);
    }
    Resp { status, headers, body }
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(nl) = b.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(String::from_utf8_lossy(&b[..nl]).trim(), 16).unwrap_or(0);
        if size == 0 || b.len() < nl + 2 + size {
            break;
        }
        out.extend_from_slice(&b[nl + 2..nl + 2 + size]);
        b = &b[(nl + 4 + size).min(b.len())..];
    }
    out
}

/// The build generation a page was served from (the live-reload script carries it).
#[track_caller]
pub(super) fn generation_of(html: &str) -> u64 {
    let at = html.find("data-generation=\"").expect("live-reload script injected") + "data-generation=\"".len();
    html[at..].split('"').next().and_then(|g| g.parse().ok()).expect("generation number")
}

/// A reader of the server's event stream.
pub(super) struct Events {
    stream: TcpStream,
    pending: String,
}

impl Events {
    pub(super) fn open(port: u16, generation: u64) -> Self {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        write!(stream, "GET /__vellum/events?generation={generation} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
        stream.set_read_timeout(Some(Duration::from_millis(200))).unwrap();
        Self { stream, pending: String::new() }
    }

    /// The next `(event, data)`, skipping keep-alive comments and chunk framing.
    #[track_caller]
    pub(super) fn next(&mut self) -> (String, String) {
        let start = Instant::now();
        loop {
            let (mut name, mut data) = (None, None);
            let mut consumed = 0;
            for line in self.pending.split_inclusive('\n') {
                if !line.ends_with('\n') {
                    break;
                }
                consumed += line.len();
                let l = line.trim_end();
                if let Some(v) = l.strip_prefix("event:") {
                    name = Some(v.trim().to_string());
                } else if let Some(v) = l.strip_prefix("data:") {
                    data = Some(v.trim().to_string());
                } else if l.is_empty()
                    && let (Some(n), Some(d)) = (&name, &data)
                {
                    let ev = (n.clone(), d.clone());
                    self.pending.drain(..consumed);
                    return ev;
                }
            }
            assert!(start.elapsed() < WAIT, "no event; got so far: {:?}", self.pending);
            let mut buf = [0u8; 4096];
            match self.stream.read(&mut buf) {
                Ok(0) => panic!("event stream closed"),
                Ok(n) => self.pending.push_str(&String::from_utf8_lossy(&buf[..n])),
                Err(_) => {} // read timeout: look again
            }
        }
    }
}
