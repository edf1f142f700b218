//! The URL policy and encoding from outside: script URLs in every convention's navigation,
//! the invalid-urls fixture in headless Chromium (tests/browser/urls.mjs), and page names
//! that need percent-encoding, on disk and in every output that links them.

use crate::support::{files_under, root, run};
use std::path::Path;
use std::process::Command;

/// Writes `files` (relative path, text) under a new temporary directory.
fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (rel, text) in files {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

/// Builds `src` into `out`; returns (exit code, stderr).
fn build(src: &Path, out: &Path) -> (i32, String) {
    let (code, _, err) = run(&["build", src.to_str().unwrap(), "-o", out.to_str().unwrap()], src);
    (code, err)
}

#[test]
fn every_convention_refuses_script_urls_in_its_nav() {
    let page = "---\ntitle: Intro\n---\n\nText.\n";
    let cases: Vec<(&str, Vec<(&str, String)>)> = vec![
        (
            "vellum",
            vec![
                ("guide/intro.mdx", page.into()),
                (
                    "guide/_navigation.mdx",
                    "---\ntitle: Guide\nlinks:\n  - title: Intro\n    url: /guide/intro\n  - title: A\n    url: \"javascript:alert(1)\"\n  - title: B\n    url: \"JAVASCRIPT:alert(2)\"\n  - title: C\n    url: \"java\\tscript:alert(3)\"\n  - title: D\n    url: \"\\x01javascript:alert(4)\"\n  - title: E\n    url: \"data:text/html,<script>alert(5)</script>\"\n---\n".into(),
                ),
            ],
        ),
        (
            "docusaurus",
            vec![
                ("docs/intro.mdx", page.into()),
                (
                    "sidebars.js",
                    "module.exports = { docs: ['intro', { type: 'link', label: 'A', href: 'javascript:alert(1)' }, { type: 'link', label: 'B', href: 'java\\tscript:alert(3)' }, { type: 'link', label: 'C', href: '\\x01javascript:alert(4)' }, { type: 'link', label: 'D', href: 'data:text/html,<script>alert(5)</script>' }] };\n".into(),
                ),
            ],
        ),
        (
            "mintlify",
            vec![
                ("intro.mdx", page.into()),
                (
                    "docs.json",
                    r#"{"name": "x", "navigation": {"groups": [{"group": "G", "pages": ["intro", {"title": "A", "href": "javascript:alert(1)"}, {"title": "B", "href": "java\tscript:alert(3)"}, {"title": "C", "href": "\u0001javascript:alert(4)"}]}]}}"#.into(),
                ),
            ],
        ),
        (
            "starlight",
            vec![
                ("src/content/docs/intro.mdx", page.into()),
                (
                    "astro.config.mjs",
                    "import starlight from '@astrojs/starlight';\nexport default { integrations: [starlight({ title: 'x', sidebar: ['intro', { label: 'A', link: 'javascript:alert(1)' }, { label: 'B', link: 'JavaScript:alert(2)' }, { label: 'C', link: '\\x01javascript:alert(4)' }] })] };\n".into(),
                ),
            ],
        ),
        (
            "mkdocs",
            vec![
                ("docs/intro.md", "# Intro\n".into()),
                (
                    "mkdocs.yml",
                    "site_name: x\nnav:\n  - Intro: intro.md\n  - A: javascript:alert(1)\n  - B: \"java\\tscript:alert(3)\"\n  - C: \"data:text/html,<script>alert(5)</script>\"\n".into(),
                ),
            ],
        ),
        (
            "fumadocs",
            vec![
                ("content/docs/intro.mdx", page.into()),
                ("content/docs/meta.json", r#"{"pages": ["intro", "[A](javascript:alert(1))", "[B](JAVASCRIPT:alert(2))"]}"#.into()),
            ],
        ),
    ];
    for (name, files) in cases {
        let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
        let src = tree(&files);
        let out = tempfile::tempdir().unwrap();
        let (code, err) = build(src.path(), &out.path().join("site"));
        assert!(err.contains(&format!("Convention: {name}")), "{name}: {err}");
        assert_eq!(code, 1, "{name}: a script URL in the nav fails the build:\n{err}");
        assert!(err.contains("error[nav.unsafe-url]"), "{name}:\n{err}");
        for f in files_under(&out.path().join("site")).iter().filter(|f| f.ends_with(".html")) {
            let html = std::fs::read_to_string(out.path().join("site").join(f)).unwrap();
            assert!(!html.contains("alert("), "{name}: {f} holds a payload:\n{html}");
        }
    }
}

/// Headless Chromium: no payload of the invalid-urls fixture runs on load or on click. The
/// script fails on the fixture as built before the policy (every vector there ran).
#[test]
fn no_script_url_runs_in_a_browser() {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let node = Command::new("node").arg("--version").output().is_ok_and(|o| o.status.success());
    if !node || !Path::new(&chromium).exists() {
        eprintln!("SKIPPED no_script_url_runs_in_a_browser: needs node and {chromium} (apt-get install -y nodejs npm chromium)");
        return;
    }
    let dir = root().join("tests/browser");
    if !dir.join("node_modules/playwright-core").is_dir() {
        let ok = Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(&dir).status().is_ok_and(|s| s.success());
        assert!(ok, "npm ci in {} failed", dir.display());
    }
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let (code, err) = build(&root().join("tests/fixtures/invalid-urls/src"), &site);
    assert_eq!(code, 1, "the fixture's refused URLs are errors:\n{err}");
    let run = Command::new("node")
        .arg(dir.join("urls.mjs"))
        .arg(&site)
        .args(["/guide/vectors/", "/guide/raw/"])
        .env("CHROMIUM", &chromium)
        .output()
        .expect("node runs");
    assert!(run.status.success(), "a script URL ran:\n{}{}", String::from_utf8_lossy(&run.stdout), String::from_utf8_lossy(&run.stderr));
}

/// Names a URL must encode: written at their decoded paths (a static host serves
/// `/q%3Fmark/` from `q?mark/index.html`), linked percent-encoded everywhere.
#[test]
fn names_are_encoded_in_every_output_and_kept_on_disk() {
    let src = tree(&[
        ("q?mark.mdx", "# Question\n\nText.\n"),
        ("new\nline.mdx", "# Line\n\nText.\n"),
        ("café.mdx", "# Café\n\nText.\n"),
        ("index.mdx", "# Home\n\n[q](/q%3Fmark) [n](/new%0Aline) [c](/caf%C3%A9)\n"),
        ("vellum.toml", "base_url = \"https://docs.example.com/d\"\n"),
    ]);
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let (code, err) = build(src.path(), &site);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("link.broken"), "percent-encoded links resolve:\n{err}");
    for dir in ["q?mark", "new\nline", "café"] {
        assert!(site.join(dir).join("index.html").is_file(), "{dir:?} is written at its decoded path");
    }
    let read = |f: &str| std::fs::read_to_string(site.join(f)).unwrap();
    let home = read("index.html");
    for href in ["href=\"/d/q%3Fmark/\"", "href=\"/d/new%0Aline/\"", "href=\"/d/caf%C3%A9/\""] {
        assert!(home.contains(href), "{href} in\n{home}");
    }
    let sitemap = read("sitemap.xml");
    assert!(sitemap.contains("<loc>https://docs.example.com/d/q%3Fmark/</loc>"), "{sitemap}");
    assert!(sitemap.contains("<loc>https://docs.example.com/d/new%0Aline/</loc>"), "{sitemap}");
    let llms = read("llms.txt");
    assert!(llms.contains("(https://docs.example.com/d/new%0Aline.md)"), "{llms}");
    assert!(llms.lines().all(|l| !l.starts_with("line")), "no link is split over two lines:\n{llms}");
    let search: String =
        files_under(&site.join("search")).iter().filter(|f| f.starts_with("d-")).map(|f| read(&format!("search/{f}"))).collect();
    assert!(search.contains("\"/q%3Fmark\"") && search.contains("\"/caf%C3%A9\""), "{search}");
}
