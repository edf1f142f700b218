//! The corpus site as a reader meets it: every page valid HTML (the Nu HTML Checker), and
//! representative pages accessible, keyboard-operable and readable without JavaScript in
//! headless Chromium (tests/browser/a11y.mjs). Both need tests/browser's npm packages, Java
//! and Chromium, which `scripts/test.sh` installs; without them these tests fail, loudly.

use crate::support::{require_corpus, root, run};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// The corpus built once (with its changelog) into a temporary directory.
fn site() -> &'static Path {
    static SITE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &SITE
        .get_or_init(|| {
            let (docs, changelog) = require_corpus();
            let tmp = tempfile::tempdir().expect("temp dir");
            let dest = tmp.path().join("site");
            let args = ["build", docs.to_str().unwrap(), "-o", dest.to_str().unwrap(), "--changelog", changelog.to_str().unwrap()];
            let (code, _, err) = run(&args, tmp.path());
            assert_eq!(code, 0, "corpus build failed:\n{err}");
            (tmp, dest)
        })
        .1
}

/// tests/browser/node_modules/`package`, or a failure saying how to install it.
#[track_caller]
fn npm_package(package: &str) -> PathBuf {
    let dir = root().join("tests/browser/node_modules").join(package);
    assert!(dir.is_dir(), "{} is missing: run `npm install` in tests/browser (scripts/test.sh does)", dir.display());
    dir
}

/// Runs a tool, failing with `hint` when it cannot be started at all.
#[track_caller]
fn tool(cmd: &mut Command, hint: &str) -> Output {
    cmd.output().unwrap_or_else(|e| panic!("{:?} could not run ({e}): {hint}", cmd.get_program()))
}

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

#[test]
fn every_corpus_page_is_valid_html() {
    let jar = npm_package("vnu-jar").join("build/dist/vnu.jar");
    let java = "install Java (apt-get install -y default-jre-headless)";
    assert!(tool(Command::new("java").arg("-version"), java).status.success(), "java -version failed: {java}");
    let out = tool(Command::new("java").arg("-jar").arg(&jar).args(["--errors-only", "--skip-non-html"]).arg(site()), java);
    let report = text(&out);
    let errors = report.lines().filter(|l| l.contains("error:")).count();
    assert!(out.status.success() && errors == 0, "the Nu HTML Checker found {errors} error(s):\n{report}");
}

#[test]
fn corpus_pages_are_accessible_in_a_browser() {
    npm_package("playwright-core");
    npm_package("axe-core");
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    assert!(Path::new(&chromium).exists(), "{chromium} is missing: apt-get install -y chromium (or set CHROMIUM)");
    let script = root().join("tests/browser/a11y.mjs");
    let out =
        tool(Command::new("node").arg(script).arg(site()).env("CHROMIUM", &chromium), "install Node.js (apt-get install -y nodejs npm)");
    assert!(out.status.success(), "accessibility checks failed:\n{}", text(&out));
}
