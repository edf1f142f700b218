//! Shared test helpers: the shared corpus, building a tree with the real binary or library.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The repository root.
pub(crate) fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The shared corpus tarball (`../shared/corpus/…tgz`), unpacked once per test run.
/// Returns the docs folder and the changelog path; `None` when the tarball is absent.
pub(crate) fn corpus() -> Option<&'static (PathBuf, PathBuf)> {
    static DIR: OnceLock<Option<(PathBuf, PathBuf)>> = OnceLock::new();
    DIR.get_or_init(|| {
        let tgz = root().join("../shared/corpus/workos-mcp-docs-server-0.1.0.tgz");
        if !tgz.is_file() {
            return None;
        }
        let dir = std::env::temp_dir().join(format!("vellum-corpus-{}", std::process::id()));
        std::fs::create_dir_all(&dir).ok()?;
        let ok = Command::new("tar").arg("xzf").arg(&tgz).arg("-C").arg(&dir).status().ok()?.success();
        assert!(ok, "tar failed to unpack {}", tgz.display());
        let base = dir.join("package/.docs/organized");
        Some((base.join("docs"), base.join("changelogs/workos-platform.json")))
    })
    .as_ref()
}

/// The corpus, or a loud failure: CI always has `../shared`.
#[track_caller]
pub(crate) fn require_corpus() -> &'static (PathBuf, PathBuf) {
    corpus().expect("the shared corpus ../shared/corpus/workos-mcp-docs-server-0.1.0.tgz is missing")
}

/// The vellum binary built by cargo for this test run.
pub(crate) fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_vellum"))
}

/// Run the binary with arguments; returns (exit code, stdout, stderr).
pub(crate) fn run(args: &[&str], cwd: &Path) -> (i32, String, String) {
    let out = Command::new(bin()).args(args).current_dir(cwd).output().expect("vellum runs");
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// The `<main>` element of an HTML page.
pub(crate) fn main_of(html: &str) -> &str {
    let start = html.find("<main").unwrap_or(0);
    let end = html.rfind("</main>").map(|e| e + 7).unwrap_or(html.len());
    &html[start..end]
}

/// Every file under `dir` (relative paths, sorted).
pub(crate) fn files_under(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> =
        walk(dir).into_iter().filter_map(|p| p.strip_prefix(dir).ok().map(|r| r.to_string_lossy().replace('\\', "/"))).collect();
    v.sort();
    v
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() { out.extend(walk(&p)) } else { out.push(p) }
        }
    }
    out
}
