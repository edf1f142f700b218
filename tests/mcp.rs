//! `vellum mcp` end to end: the official MCP Python SDK (tests/mcp_client/check.py) drives
//! the real binary over stdio, on the real corpus and on a small fixture tree. Skipped with
//! a message only when `python3 -c 'import mcp'` fails outside CI.

use crate::support;
use std::path::Path;
use std::process::Command;

fn python_has_mcp() -> bool {
    Command::new("python3").args(["-c", "import mcp"]).status().is_ok_and(|s| s.success())
}

/// Run check.py against `source`; false when skipped.
#[track_caller]
fn check(source: &Path, extra: &[&str]) -> bool {
    if !python_has_mcp() {
        assert!(std::env::var_os("CI").is_none(), "CI must provide python3 with the `mcp` package (pip install mcp)");
        eprintln!("SKIPPED: the MCP end-to-end test needs python3 with the `mcp` package (pip install mcp)");
        return false;
    }
    let script = support::root().join("tests/mcp_client/check.py");
    let out = Command::new("python3").arg(&script).arg(support::bin()).arg(source).args(extra).output().expect("python3 runs");
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "check.py failed on {}\n--- stdout\n{stdout}\n--- stderr\n{stderr}", source.display());
    assert!(stdout.contains("mcp check: ok"), "{stdout}");
    true
}

#[test]
fn mcp_server_on_the_corpus() {
    let (docs, changelog) = support::require_corpus();
    let changelog = changelog.to_string_lossy();
    check(docs, &["--changelog", &changelog, "--query", "test sso", "--expect", "/sso/test-sso", "--calls", "1000"]);
}

#[test]
fn mcp_server_on_a_fixture_without_changelog() {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        (
            "guide/_navigation.mdx",
            "---\ntitle: Guide\nlinks:\n  - title: Basics\n    links:\n      - title: Setup\n        url: /guide/setup\n      - title: Usage\n        url: /guide/usage\n---\n",
        ),
        (
            "guide/setup.mdx",
            "---\ntitle: Setup\ndescription: Install the thing.\n---\n\nInstall it.\n\n## Zebracorn mode\n\nEnable the zebracorn flag.\n",
        ),
        ("guide/usage.mdx", "---\ntitle: Usage\n---\n\nUse it daily.\n"),
    ];
    for (p, text) in files {
        let path = dir.path().join(p);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    check(dir.path(), &["--query", "zebracorn", "--expect", "/guide/setup", "--calls", "200"]);
}
