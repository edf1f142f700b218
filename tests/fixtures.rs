//! Snapshot tests: each `tests/fixtures/<case>/src` tree is built and the `<main>` of every
//! page compared with `tests/fixtures/<case>/expected/<page path>` (and every `.md` twin
//! with its expected copy). `VELLUM_BLESS=1 cargo test` rewrites the expectations.

use crate::support::{main_of, root};
use std::path::Path;
use vellum::compile::Compiler;
use vellum::config::Config;

fn check_case(name: &str) {
    let dir = root().join("tests/fixtures").join(name);
    let src = dir.join("src");
    let cfg = Config::load(&src, None).expect("fixture config");
    let c = Compiler::new(&src, cfg).compile();
    let expected_dir = dir.join("expected");
    let bless = std::env::var_os("VELLUM_BLESS").is_some();
    let mut actual = std::collections::BTreeMap::new();
    for (path, bytes) in &c.files {
        let text = String::from_utf8_lossy(bytes);
        if path.ends_with("index.html") {
            actual.insert(path.clone(), format!("{}\n", main_of(&text)));
        } else if path.ends_with(".md") {
            actual.insert(path.clone(), text.into_owned());
        }
    }
    let diags: String = c.diags.sorted().iter().map(|d| format!("{}\n", d.to_line())).collect();
    actual.insert("diagnostics.txt".into(), diags);
    if bless {
        let _ = std::fs::remove_dir_all(&expected_dir);
    }
    let mut failures = Vec::new();
    for (path, text) in &actual {
        let p = expected_dir.join(path);
        if bless {
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, text).unwrap();
            continue;
        }
        match std::fs::read_to_string(&p) {
            Ok(exp) if exp == *text => {}
            Ok(exp) => failures.push(format!("{path} differs:\n--- expected\n{exp}\n--- actual\n{text}")),
            Err(_) => failures.push(format!("{path}: no expected file (run with VELLUM_BLESS=1)")),
        }
    }
    if !bless {
        for f in crate::support::files_under(&expected_dir) {
            if !actual.contains_key(&f) {
                failures.push(format!("{f}: expected file no longer produced"));
            }
        }
    }
    assert!(failures.is_empty(), "fixture {name}:\n{}", failures.join("\n\n"));
}

fn cases() -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(root().join("tests/fixtures"))
        .map(|rd| {
            rd.flatten()
                .filter(|e| e.path().join("src").is_dir() && Path::new(&e.file_name()).to_string_lossy().starts_with(|c: char| c != '.'))
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn fixture_snapshots() {
    let cases = cases();
    assert!(!cases.is_empty(), "no fixtures found");
    for c in &cases {
        check_case(c);
    }
}

/// `vellum build` keeps a large site's rendered bodies in a spill file until emit; every
/// fixture must come out of that path byte for byte as it does from memory.
#[test]
fn spilled_bodies_build_the_same_site() {
    let spill_dir = tempfile::tempdir().unwrap();
    for case in cases() {
        let src = root().join("tests/fixtures").join(&case).join("src");
        let cfg = Config::load(&src, None).expect("fixture config");
        let in_memory = Compiler::new(&src, cfg.clone()).compile();
        let spill = vellum::render::body::Spill::new_in(spill_dir.path()).unwrap();
        let spilled = Compiler::new(&src, cfg).spilling_to(spill.clone(), 0).compile();
        assert!(spilled.site.pages.iter().any(|p| matches!(p.html, vellum::render::Body::Spilled { .. })), "{case}: nothing spilled");
        assert!(in_memory.files == spilled.files, "{case}: outputs differ");
        assert_eq!(in_memory.diags.sorted(), spilled.diags.sorted(), "{case}");
        assert!(spill.error().is_none());
    }
}
