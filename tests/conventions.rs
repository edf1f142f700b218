//! Real trees written for other tools (`../shared/corpus/conventions/<name>.tgz`): built with the
//! real binary, their reading order (`llms.txt`) compared with the tool's own (`<name>.order`).

use crate::support::{root, run};
use std::path::PathBuf;
use std::process::Command;

/// Unpack `<name>.tgz` into a fresh temp dir; returns the tree.
fn unpack(name: &str) -> PathBuf {
    let tgz = root().join(format!("../shared/corpus/conventions/{name}.tgz"));
    assert!(tgz.is_file(), "missing {}", tgz.display());
    let dir = std::env::temp_dir().join(format!("vellum-conv-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    assert!(Command::new("tar").arg("xzf").arg(&tgz).arg("-C").arg(&dir).status().unwrap().success());
    dir.join(name)
}

/// `a/B/` → `a/b` (the scorer's normalisation).
fn norm(u: &str) -> String {
    let u = u.trim().trim_matches('/');
    let u = u.strip_suffix(".md").unwrap_or(u);
    let u = if u == "index" { "" } else { u.strip_suffix("/index").unwrap_or(u) };
    u.to_lowercase()
}

/// Kendall tau of `truth` (each line: URL and aliases) against `got`, over matched pages.
fn tau(order: &str, got: &[String]) -> (usize, f64) {
    let pos: Vec<usize> = order.lines().filter_map(|l| l.split('\t').map(norm).find_map(|n| got.iter().position(|g| *g == n))).collect();
    let (mut conc, mut disc) = (0i64, 0i64);
    for i in 0..pos.len() {
        for j in i + 1..pos.len() {
            if pos[i] < pos[j] { conc += 1 } else { disc += 1 }
        }
    }
    (pos.len(), (conc - disc) as f64 / (conc + disc).max(1) as f64)
}

/// Build `name` and return its tau against `<name>.order`.
fn order_tau(name: &str) -> (usize, f64) {
    let tree = unpack(name);
    let out = tree.with_file_name(format!("{name}-out"));
    let (code, _, err) = run(&["build", tree.to_str().unwrap(), "-o", out.to_str().unwrap()], &root());
    assert!(code == 0 || code == 1, "{err}");
    let llms = std::fs::read_to_string(out.join("llms.txt")).unwrap();
    let mut got: Vec<String> = Vec::new();
    for part in llms.split("](").skip(1) {
        let url = part.split([')', '#', ' ']).next().unwrap_or("");
        let url = url.split_once("://").map(|(_, r)| r.find('/').map_or("", |i| &r[i..])).unwrap_or(url);
        let n = norm(url);
        if !got.contains(&n) {
            got.push(n);
        }
    }
    let order = std::fs::read_to_string(root().join(format!("../shared/corpus/conventions/{name}.order"))).unwrap();
    tau(&order, &got)
}

#[test]
fn tau_counts_inversions() {
    let got: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
    assert_eq!(tau("a\nb\nc\n", &got), (3, 1.0));
    assert_eq!(tau("c\nb\na\n", &got), (3, -1.0));
}

#[test]
fn docusaurus_tseslint_follows_its_sidebars() {
    let (matched, t) = order_tau("docusaurus-tseslint");
    assert!(matched >= 50, "only {matched} pages matched");
    assert!(t >= 0.95, "tau {t}");
}
