//! The browser search index: an elasticlunr (0.9.5 JSON format) index built with
//! `elasticlunr-rs`, split so the first query downloads a bounded amount.
//!
//! Files under `search/`:
//! * `index.json`: a loadable elasticlunr index with empty term tries and an empty
//!   `docInfo`, plus `shards` (the term-prefix keys), `chunk` (docs per meta chunk).
//! * `s-<key>.json`: `{"index": {field: trie node at <key>}, "docInfo": {...}}`. A
//!   shard holds the subtree of one term prefix (one character, split one character
//!   further while a shard exceeds `SHARD_BYTES`; a parent keeps only its own node)
//!   and the field lengths of the documents it mentions. Merging every shard into
//!   `index.json` at its key's path gives the complete elasticlunr index.
//! * `d-<n>.json`: metadata of documents `n*CHUNK ..`: `[url, heading, breadcrumbs,
//!   excerpt]` each; the document ref is its position.
//!
//! Terms are produced by `text::tokenize` (identifier parts included), so the
//! pipeline is a single named function, `vellumTerm`, that the browser implements.
//! This module never writes files: it returns names and bytes.

use std::collections::{BTreeMap, BTreeSet};

use elasticlunr::pipeline::{FnWrapper, Pipeline};
use elasticlunr::{IndexBuilder, Language};
use rayon::prelude::*;
use serde_json::{Map, Value, json};

use super::SearchDoc;
use super::engine::field_texts;
use super::text::tokenize;

/// Field names of the browser index, in `engine::field_texts` order.
const FIELDS: [&str; 3] = ["title", "crumbs", "body"];
/// Documents per metadata chunk.
const CHUNK: usize = 128;
/// A shard larger than this (serialized bytes) is split one character deeper.
const SHARD_BYTES: usize = 96 * 1024;
/// Deepest shard key, so pathological vocabularies cannot recurse without bound.
const MAX_DEPTH: usize = 4;
/// Excerpt length in bytes kept per document.
const EXCERPT: usize = 160;

/// The term analysis of `text::tokenize` presented as an elasticlunr language.
struct Vellum;

impl Language for Vellum {
    fn name(&self) -> String {
        "Vellum".into()
    }
    fn code(&self) -> String {
        "vellum".into()
    }
    fn tokenize(&self, text: &str) -> Vec<String> {
        tokenize(text).into_iter().map(|t| t.term).collect()
    }
    fn make_pipeline(&self) -> Pipeline {
        // Tokens are already normalised; the browser's `vellumTerm` does the same to
        // raw query words.
        Pipeline { queue: vec![Box::new(FnWrapper("vellumTerm".into(), Some))] }
    }
}

/// Builds the browser index files (name under `search/`, bytes) for `docs`.
pub fn write_browser_index(docs: &[SearchDoc]) -> Vec<(String, Vec<u8>)> {
    let mut builder = IndexBuilder::with_language(Box::new(Vellum)).save_docs(false).set_ref("id");
    for f in FIELDS {
        builder = builder.add_field(f);
    }
    let mut index = builder.build();
    for (i, d) in docs.iter().enumerate() {
        index.add_doc(&i.to_string(), field_texts(d));
    }
    let Ok(mut full) = serde_json::to_value(&index) else { return Vec::new() };
    let doc_info = full["documentStore"]["docInfo"].take();
    let mut roots = Map::new();
    for f in FIELDS {
        roots.insert(f.into(), full["index"][f]["root"].take());
        full["index"][f] = json!({"root": {"docs": {}, "df": 0}});
    }
    full["documentStore"]["docs"] = json!({});
    full["documentStore"]["docInfo"] = json!({});

    let first: BTreeSet<String> = roots.values().flat_map(child_keys).collect();
    // Shards are disjoint subtrees: move each out of the roots instead of copying it,
    // then serialize them in parallel.
    let subtrees: Vec<(String, Map<String, Value>)> = first
        .into_iter()
        .map(|key| {
            let nodes = roots.iter_mut().filter_map(|(f, root)| root.as_object_mut()?.remove(&key).map(|n| (f.clone(), n))).collect();
            (key, nodes)
        })
        .collect();
    let sharded: Vec<(Vec<String>, Vec<(String, Vec<u8>)>)> = subtrees
        .into_par_iter()
        .map(|(key, nodes)| {
            let (mut keys, mut files) = (Vec::new(), Vec::new());
            shard(nodes, &key, &doc_info, &mut keys, &mut files);
            (keys, files)
        })
        .collect();
    let mut files = Vec::new();
    let mut keys = Vec::new();
    for (k, f) in sharded {
        keys.extend(k);
        files.extend(f);
    }
    full["shards"] = json!(keys);
    full["chunk"] = json!(CHUNK);
    for (n, chunk) in docs.chunks(CHUNK).enumerate() {
        let meta: Vec<Value> = chunk
            .iter()
            .map(|d| {
                let heading = if d.section.is_empty() { &d.page_title } else { &d.section };
                json!([d.url, heading, d.breadcrumbs, excerpt(&d.body)])
            })
            .collect();
        files.push((format!("d-{n}.json"), Value::Array(meta).to_string().into_bytes()));
    }
    files.insert(0, ("index.json".into(), full.to_string().into_bytes()));
    files
}

/// File-name-safe form of a shard key (the browser computes the same).
pub(crate) fn shard_file(key: &str) -> String {
    let mut name = String::from("s-");
    for c in key.chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            name.push(c);
        } else {
            name.push_str(&format!("_{:x}", u32::from(c)));
        }
    }
    name + ".json"
}

/// Trie node children keys (every key except `docs` and `df`).
fn child_keys(node: &Value) -> Vec<String> {
    node.as_object().map(|o| o.keys().filter(|k| *k != "docs" && *k != "df").cloned().collect()).unwrap_or_default()
}

/// Length of `v` serialized as compact JSON, computed without serializing.
fn json_len(v: &Value) -> usize {
    match v {
        Value::Null => 4,
        Value::Bool(b) => {
            if *b {
                4
            } else {
                5
            }
        }
        Value::Number(n) => n.to_string().len(),
        Value::String(s) => s.len() + 2,
        Value::Array(a) => 2 + a.iter().map(json_len).sum::<usize>() + a.len().saturating_sub(1),
        Value::Object(o) => 2 + o.iter().map(|(k, v)| k.len() + 3 + json_len(v)).sum::<usize>() + o.len().saturating_sub(1),
    }
}

/// Emits the shard for `key` (the trie node at `key` of each field), splitting off large
/// child subtrees into their own shards.
fn shard(mut own: Map<String, Value>, key: &str, doc_info: &Value, keys: &mut Vec<String>, files: &mut Vec<(String, Vec<u8>)>) {
    let size: usize = own.iter().map(|(k, v)| k.len() + 3 + json_len(v)).sum();
    let mut children: BTreeMap<String, Map<String, Value>> = BTreeMap::new();
    if size > SHARD_BYTES && key.chars().count() < MAX_DEPTH {
        // Split off only the large subtrees; small ones stay with the parent so a
        // vocabulary does not turn into hundreds of tiny requests.
        let mut sizes: BTreeMap<String, usize> = BTreeMap::new();
        for node in own.values() {
            for k in child_keys(node) {
                *sizes.entry(k.clone()).or_default() += json_len(&node[&k]);
            }
        }
        for (k, _) in sizes.into_iter().filter(|(_, n)| *n >= SHARD_BYTES / 8) {
            let moved = own.iter_mut().filter_map(|(f, node)| node.as_object_mut()?.remove(&k).map(|n| (f.clone(), n))).collect();
            children.insert(k, moved);
        }
    }
    let mut refs = BTreeSet::new();
    for node in own.values() {
        collect_refs(node, &mut refs, 0);
    }
    let info: BTreeMap<&String, &Value> = refs.iter().filter_map(|r| doc_info.get(r).map(|v| (r, v))).collect();
    let body = json!({"index": own, "docInfo": info});
    keys.push(key.to_string());
    files.push((shard_file(key), body.to_string().into_bytes()));
    for (c, nodes) in children {
        shard(nodes, &format!("{key}{c}"), doc_info, keys, files);
    }
}

/// Document refs mentioned anywhere under `node` (depth-capped: terms are short).
fn collect_refs(node: &Value, refs: &mut BTreeSet<String>, depth: usize) {
    if depth > 256 {
        return;
    }
    let Some(o) = node.as_object() else { return };
    for (k, v) in o {
        if k == "docs" {
            if let Some(d) = v.as_object() {
                refs.extend(d.keys().cloned());
            }
        } else if k != "df" {
            collect_refs(v, refs, depth + 1);
        }
    }
}

fn excerpt(body: &str) -> String {
    if body.len() <= EXCERPT {
        return body.to_string();
    }
    let mut end = EXCERPT;
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    let end = body[..end].rfind(' ').unwrap_or(end);
    format!("{}…", &body[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node_at<'a>(root: &'a Value, key: &str) -> Option<&'a Value> {
        let mut node = root;
        let mut buf = [0u8; 4];
        for c in key.chars() {
            node = node.get(&*c.encode_utf8(&mut buf))?;
        }
        Some(node)
    }

    fn doc(i: usize, body: &str) -> SearchDoc {
        SearchDoc {
            url: format!("/p{i}#s"),
            page_url: format!("/p{i}"),
            page_title: format!("Page {i}"),
            section: "Setup".into(),
            breadcrumbs: vec!["Guide".into()],
            body: body.into(),
        }
    }

    #[test]
    fn writes_loadable_header_shards_and_chunks() {
        let docs: Vec<_> = (0..300).map(|i| doc(i, "createOrganization lists users é")).collect();
        let files = write_browser_index(&docs);
        let names: Vec<&str> = files.iter().map(|f| f.0.as_str()).collect();
        assert_eq!(names[0], "index.json");
        assert!(names.contains(&"d-2.json") && !names.contains(&"d-3.json"));
        let header: Value = serde_json::from_slice(&files[0].1).unwrap();
        assert_eq!(header["pipeline"], json!(["vellumTerm"]));
        assert_eq!(header["documentStore"]["length"], json!(300));
        let shards = header["shards"].as_array().unwrap();
        assert!(shards.contains(&json!("c")) && shards.contains(&json!("é")));
        let c = files.iter().find(|f| f.0 == "s-c.json").unwrap();
        let c: Value = serde_json::from_slice(&c.1).unwrap();
        let node = node_at(&c["index"]["body"], "reateorganization").unwrap();
        assert_eq!(node["df"], json!(300));
        assert_eq!(c["docInfo"]["7"]["title"], json!(1));
        assert!(names.contains(&"s-_e9.json"));
    }

    #[test]
    fn large_shards_split_and_stay_bounded() {
        let docs: Vec<_> = (0..3000).map(|i| doc(i, &format!("set{i} seven{i} sea{} sun", i % 7))).collect();
        let files = write_browser_index(&docs);
        let header: Value = serde_json::from_slice(&files[0].1).unwrap();
        let shards = header["shards"].as_array().unwrap();
        assert!(shards.contains(&json!("s")) && shards.contains(&json!("se")), "{shards:?}");
        for (name, bytes) in &files {
            if name.starts_with("s-") {
                assert!(bytes.len() < SHARD_BYTES * 3, "{name} {}", bytes.len());
            }
        }
    }

    #[test]
    fn excerpt_cuts_at_char_boundary() {
        let e = excerpt(&"é".repeat(200));
        assert!(e.ends_with('…') && e.len() <= EXCERPT + 4);
    }
}
