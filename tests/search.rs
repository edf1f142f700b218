//! Search quality and search output on the real corpus: recall@5 and MRR over the
//! judged queries of `tests/relevance.json`, the browser index checked by node against
//! the real elasticlunr package, and the `vellum search` output formats.

use crate::support::{require_corpus, root, run};
use serde_json::{Value, json};
use std::collections::HashSet;
use std::process::Command;
use std::sync::OnceLock;
use vellum::compile::{Compiled, Compiler};
use vellum::config::Config;
use vellum::search::{Engine, docs};

/// The corpus compiled once with the default configuration, and its search engine.
fn corpus() -> &'static (Compiled, Engine) {
    static C: OnceLock<(Compiled, Engine)> = OnceLock::new();
    C.get_or_init(|| {
        let c = Compiler::new(&require_corpus().0, Config::default()).compile();
        let e = Engine::new(docs(&c.site));
        (c, e)
    })
}

struct Judged {
    kind: String,
    q: String,
    expect: Vec<String>,
}

fn relevance() -> Vec<Judged> {
    let text = std::fs::read_to_string(root().join("tests/relevance.json")).expect("tests/relevance.json");
    let v: Value = serde_json::from_str(&text).expect("relevance.json is JSON");
    let queries = v["queries"].as_array().expect("relevance.json has a queries array");
    queries
        .iter()
        .map(|q| Judged {
            kind: q["kind"].as_str().expect("kind").into(),
            q: q["q"].as_str().expect("q").into(),
            expect: q["expect"].as_array().expect("expect").iter().map(|u| u.as_str().expect("expect URL").into()).collect(),
        })
        .collect()
}

/// The distinct pages of the engine's top results, best first.
fn top_pages(e: &Engine, q: &str, n: usize) -> Vec<String> {
    let mut pages: Vec<String> = Vec::new();
    for hit in e.search(q, n * 2) {
        let p = &e.doc(hit.doc).page_url;
        if !pages.contains(p) {
            pages.push(p.clone());
        }
    }
    pages.truncate(n);
    pages
}

#[test]
fn relevance_set_is_well_formed() {
    let (c, _) = corpus();
    let set = relevance();
    assert!(set.len() >= 40, "only {} judged queries", set.len());
    let pages: HashSet<&str> = c.site.pages.iter().filter(|p| !p.hidden && !p.excluded).map(|p| p.url.as_str()).collect();
    let mut seen = HashSet::new();
    for j in &set {
        assert!(!j.q.trim().is_empty() && !j.expect.is_empty() && !j.kind.is_empty(), "incomplete entry {:?}", j.q);
        assert!(seen.insert(j.q.as_str()), "duplicate query {:?}", j.q);
        for u in &j.expect {
            assert!(pages.contains(u.as_str()), "{:?} expects {u}, which is not a searchable page", j.q);
        }
    }
}

#[test]
fn recall_and_mrr_on_the_real_corpus() {
    let (_, e) = corpus();
    let set = relevance();
    let (mut found, mut rr) = (0usize, 0.0f64);
    let mut misses = Vec::new();
    for j in &set {
        let pages = top_pages(e, &j.q, 5);
        match pages.iter().position(|p| j.expect.contains(p)) {
            Some(r) => {
                found += 1;
                rr += 1.0 / (r as f64 + 1.0);
                if r > 0 {
                    misses.push(format!("  rank {} [{}] {:?}: {:?}", r + 1, j.kind, j.q, pages));
                }
            }
            None => misses.push(format!("  MISS [{}] {:?} expected {:?}: {:?}", j.kind, j.q, j.expect, pages)),
        }
    }
    let n = set.len() as f64;
    let (recall, mrr) = (found as f64 / n, rr / n);
    println!("search relevance over {} queries: recall@5 {recall:.3}, MRR {mrr:.3}\n{}", set.len(), misses.join("\n"));
    assert!(recall >= 0.9, "recall@5 {recall:.3} < 0.9 (MRR {mrr:.3}); misses are printed above");
}

/// The browser index of the real corpus, loaded by the elasticlunr package and by
/// `themes/default/search.js` in node, must agree with each other and with the engine.
#[test]
fn browser_index_agrees_with_elasticlunr_and_the_engine() {
    let js = root().join("tests/search_js");
    assert!(
        js.join("node_modules/elasticlunr").is_dir(),
        "tests/search_js/node_modules is missing: run scripts/test.sh (it installs node and the elasticlunr package)"
    );
    let (c, e) = corpus();
    let dir = tempfile::tempdir().expect("temp dir");
    vellum::search::write_browser_index(&c.site, &|name, bytes| {
        std::fs::write(dir.path().join(name), bytes).expect("write index file");
    });
    let queries: Vec<Value> = relevance().iter().map(|j| json!({"q": j.q, "expect": j.expect, "rust": top_pages(e, &j.q, 5)})).collect();
    let qpath = dir.path().join("queries.json");
    std::fs::write(&qpath, json!({ "queries": queries }).to_string()).expect("write queries");
    let out = Command::new("node")
        .arg(js.join("check.mjs"))
        .arg(dir.path())
        .arg(&qpath)
        .output()
        .expect("node runs (scripts/test.sh installs it)");
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{}", stderr.trim());
    assert!(out.status.success(), "check.mjs failed:\n{stderr}\n{}", String::from_utf8_lossy(&out.stdout));
}

fn write(dir: &std::path::Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

#[test]
fn cli_prints_tab_separated_and_json_results() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    write(d, "index.mdx", "---\ntitle: Home\n---\n\nWelcome to the widget docs.\n");
    write(
        d,
        "guides/rotate-keys.mdx",
        "---\ntitle: Rotate keys\ndescription: Replace signing keys safely.\n---\n\n## Schedule a rotation\n\nCall rotateSigningKey before the old key expires.\n",
    );
    write(d, "guides/colors.mdx", "---\ntitle: Colors\n---\n\nPick a palette for the widget.\n");
    let (code, out, err) = run(&["search", ".", "rotateSigningKey"], d);
    assert_eq!(code, 0, "{err}");
    let first = out.lines().next().unwrap_or_else(|| panic!("no results; stderr: {err}"));
    let cols: Vec<&str> = first.split('\t').collect();
    assert_eq!(cols.len(), 3, "{first:?}");
    assert_eq!(cols[0], "/guides/rotate-keys#schedule-a-rotation");
    assert_eq!(cols[1], "Rotate keys");
    assert!(cols[2].parse::<f32>().is_ok_and(|s| s > 0.0), "score {:?}", cols[2]);

    let (code, out, err) = run(&["search", ".", "widget", "--json"], d);
    assert_eq!(code, 0, "{err}");
    let hits: Vec<Value> = out.lines().map(|l| serde_json::from_str(l).expect("one JSON object per line")).collect();
    assert!(hits.len() >= 2, "{out}");
    for h in &hits {
        for key in ["url", "title", "section", "snippet"] {
            assert!(h[key].is_string(), "{key} in {h}");
        }
        assert!(h["score"].as_f64().is_some_and(|s| s > 0.0), "{h}");
        assert!(h["snippet"].as_str().unwrap().contains("widget"), "{h}");
    }
    let urls: HashSet<&str> = hits.iter().map(|h| h["url"].as_str().unwrap()).collect();
    assert!(urls.contains("/") && urls.contains("/guides/colors"), "{urls:?}");
    assert!(!urls.iter().any(|u| u.starts_with("/guides/rotate-keys")), "{urls:?}");
}
