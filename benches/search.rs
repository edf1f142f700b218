//! Search latency on a real docs tree: engine build time and warm query latency
//! (median, p95) over the judged queries of `tests/relevance.json`.
//!
//! `cargo bench --bench search [-- <docs dir>]`; without a directory it unpacks the
//! shared corpus (`../shared/corpus/*.tgz`) into a temp dir. Prints figures only.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use vellum::compile::Compiler;
use vellum::config::Config;
use vellum::search::{Engine, docs};

/// Rounds over the query set after one warm-up round.
const ROUNDS: usize = 20;

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    // Only an existing directory counts: under `cargo test` the harness passes its own
    // arguments (`--test-threads 2`).
    let (source, _keep) = match std::env::args().skip(1).find(|a| !a.starts_with('-') && std::path::Path::new(a).is_dir()) {
        Some(dir) => (PathBuf::from(dir), None),
        None => {
            let tmp = tempfile::tempdir().expect("temp dir");
            let tgz = root.join("../shared/corpus/workos-mcp-docs-server-0.1.0.tgz");
            let ok = Command::new("tar").arg("xzf").arg(&tgz).arg("-C").arg(tmp.path()).status().is_ok_and(|s| s.success());
            assert!(ok, "cannot unpack {}; pass a docs directory instead", tgz.display());
            (tmp.path().join("package/.docs/organized/docs"), Some(tmp))
        }
    };
    let compiled = Compiler::new(&source, Config::default()).compile();
    let t = Instant::now();
    let sections = docs(&compiled.site);
    let engine = Engine::new(sections);
    println!("engine: {} sections indexed in {:.1} ms", engine.len(), t.elapsed().as_secs_f64() * 1e3);

    let text = std::fs::read_to_string(root.join("tests/relevance.json")).expect("tests/relevance.json");
    let set: serde_json::Value = serde_json::from_str(&text).expect("relevance JSON");
    let queries: Vec<&str> = set["queries"].as_array().expect("queries").iter().filter_map(|q| q["q"].as_str()).collect();
    for q in &queries {
        std::hint::black_box(engine.search(q, 10));
    }
    let mut times: Vec<Duration> = Vec::with_capacity(queries.len() * ROUNDS);
    for _ in 0..ROUNDS {
        for q in &queries {
            let t = Instant::now();
            std::hint::black_box(engine.search(q, 10));
            times.push(t.elapsed());
        }
    }
    times.sort();
    let at = |p: f64| times[((times.len() - 1) as f64 * p) as usize].as_secs_f64() * 1e6;
    println!(
        "warm query latency over {} searches ({} queries): median {:.0} µs, p95 {:.0} µs, max {:.0} µs",
        times.len(),
        queries.len(),
        at(0.5),
        at(0.95),
        at(1.0)
    );
}
