//! The browser search index in the elasticlunr 0.9.5 JSON format (the `elasticlunr`
//! package loads it), written directly from vellum's tokenizer and split so the first
//! query downloads a bounded amount whatever the size of the site.
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
//! Bounded download: a term keeps at most `MAX_POSTINGS` documents per field (those
//! where it weighs most, `tf / sqrt(field length)`), while its `df` stays the true
//! document frequency, so scores keep their scale; shards are capped by size; terms
//! longer than `MAX_TERM` characters (hashes, base64) are left out.
//!
//! Terms are produced by `text::tokenize` (identifier parts included), so the
//! pipeline is a single named function, `vellumTerm`, that the browser implements.
//! This module never writes files: it hands names and bytes to a callback.

use crate::model::url;
use foldhash::HashMap;
use std::fmt::Write as _;

use rayon::prelude::*;
use serde_json::json;

use super::SearchDoc;
use super::engine::field_texts;
use super::text::{Scratch, each_word};

/// Field names of the browser index, in `engine::field_texts` order.
const FIELDS: [&str; 3] = ["title", "crumbs", "body"];
/// Documents per metadata chunk.
const CHUNK: usize = 128;
/// A shard larger than this (estimated serialized bytes) is split one character deeper.
const SHARD_BYTES: usize = 96 * 1024;
/// Deepest shard key, so pathological vocabularies cannot recurse without bound.
const MAX_DEPTH: usize = 8;
/// Excerpt length in bytes kept per document.
const EXCERPT: usize = 160;
/// Documents kept per term and field.
const MAX_POSTINGS: usize = 1500;
/// Longest term indexed, in characters.
const MAX_TERM: usize = 48;
/// Estimated serialized bytes of one posting with its share of `docInfo`.
const POSTING_BYTES: usize = 40;

/// Postings of one term: per field, (doc, occurrences), by doc.
type Postings = [Vec<(u32, u32)>; 3];

/// A term's postings while documents are indexed: pruned as they grow (see [`prune`]), with
/// the true document frequency per field kept beside them.
#[derive(Default)]
struct Gathered {
    df: [u32; 3],
    postings: Postings,
    /// Per field, the weight of the heaviest posting pruned so far (rounded down): a later
    /// document weighing no more ranks below the kept ones (it has a larger number), so it
    /// is never added only to be pruned again.
    floor: [f32; 3],
}

/// One indexed term.
struct Term {
    text: String,
    /// True document frequency per field (postings may be pruned).
    df: [u32; 3],
    postings: Postings,
}

impl Term {
    fn estimate(&self) -> usize {
        self.postings.iter().map(Vec::len).sum::<usize>() * POSTING_BYTES + self.text.len() * 24
    }
}

/// Hands the browser index files (name under `search/`, bytes) for the documents of `units`
/// (pages; `docs_of` gives each one's, in order) to `put`, each as soon as it is written
/// (from any rayon task). A unit's documents exist only while it is indexed: what stays
/// is their postings and their metadata entries, never their text.
pub(crate) fn write_index<T: Sync>(units: &[T], docs_of: impl Fn(&T) -> Vec<SearchDoc> + Sync, put: &(dyn Fn(String, Vec<u8>) + Sync)) {
    let (terms, lens, meta) = index_terms(units, docs_of);
    let mut shards = Vec::new();
    let mut start = 0;
    while start < terms.len() {
        let first = terms[start].text.chars().next().unwrap_or_default();
        let end = start + terms[start..].iter().take_while(|t| t.text.starts_with(first)).count();
        plan(&terms[start..end], first.to_string(), &mut shards);
        start = end;
    }
    shards.par_iter().for_each(|(key, members)| put(shard_file(key), shard_json(key, members, &lens)));
    let header = json!({
        "fields": FIELDS,
        "pipeline": ["vellumTerm"],
        "ref": "id",
        "version": "0.9.5",
        "index": FIELDS.iter().map(|f| (f.to_string(), json!({"root": {"docs": {}, "df": 0}}))).collect::<serde_json::Map<_, _>>(),
        "documentStore": {"save": false, "docs": {}, "docInfo": {}, "length": lens.len()},
        "lang": "Vellum",
        "shards": shards.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(),
        "chunk": CHUNK,
    });
    put("index.json".into(), header.to_string().into_bytes());
    meta.par_chunks(CHUNK).enumerate().for_each(|(n, chunk)| put(format!("d-{n}.json"), format!("[{}]", chunk.join(",")).into_bytes()));
}

/// A document's entry in its `d-<n>.json`: `[url, heading, breadcrumbs, excerpt]`, the URL
/// percent-encoded as the browser follows it.
fn meta_entry(d: &SearchDoc) -> String {
    let heading = if d.section.is_empty() { &d.page_title } else { &d.section };
    let url = match d.url.strip_prefix(d.page_url.as_str()).and_then(|r| r.strip_prefix('#')) {
        Some(id) => format!("{}#{}", url::encode_path(&d.page_url), url::encode_fragment(id)),
        None => url::encode_path(&d.url).into_owned(),
    };
    serde_json::to_string(&(url, heading, &d.breadcrumbs, excerpt(&d.body))).unwrap_or_default()
}

/// Every term of the documents of `units`, sorted, with pruned postings; each document's
/// field lengths (tokens, as elasticlunr counts them) and metadata entry, in order.
fn index_terms<T: Sync>(units: &[T], docs_of: impl Fn(&T) -> Vec<SearchDoc> + Sync) -> (Vec<Term>, Vec<[u32; 3]>, Vec<String>) {
    // Each worker indexes a run of consecutive units into one vocabulary (a vocabulary per
    // small group cost more memory than the postings on large sites); the runs' terms are
    // then merged in order (doc numbers shifted), so postings stay sorted by doc, each hash
    // bucket in parallel. Hash maps, then one sort: ordered maps spent most of their time
    // comparing strings. The result does not depend on how units are split into runs.
    let runs =
        guided(units.len(), RUN_MIN, |range| units[range].iter().fold(Run::default(), |run, unit| run.add(docs_of(unit))).into_buckets());
    let (mut lens, mut meta) = (Vec::new(), Vec::new());
    let mut by_bucket: Vec<Vec<(u32, Vec<(String, Gathered)>)>> = (0..MERGE_BUCKETS).map(|_| Vec::new()).collect();
    for (buckets, l, m) in runs {
        let first = lens.len() as u32;
        lens.extend(l);
        meta.extend(m);
        for (b, terms) in buckets.into_iter().enumerate() {
            by_bucket[b].push((first, terms));
        }
    }
    let mut terms: Vec<Term> = by_bucket
        .into_par_iter()
        .flat_map_iter(|runs| {
            let mut merged: HashMap<String, Gathered> = HashMap::default();
            for (first, terms) in runs {
                for (term, g) in terms {
                    let into = merged.entry(term).or_default();
                    for f in 0..3 {
                        into.df[f] += g.df[f];
                        into.postings[f].extend(g.postings[f].iter().map(|&(d, n)| (d + first, n)));
                    }
                }
            }
            let lens = &lens;
            merged.into_iter().map(move |(text, Gathered { df, mut postings, .. })| {
                for (f, list) in postings.iter_mut().enumerate() {
                    prune(list, |d| lens[d as usize][f]);
                }
                Term { text, df, postings }
            })
        })
        .collect();
    terms.par_sort_unstable_by(|a, b| a.text.cmp(&b.text));
    (terms, lens, meta)
}

/// Fewest units in a run, however little is left to index.
const RUN_MIN: usize = 32;

/// `f` of consecutive ranges covering `0..n`, in order. Each rayon worker, as it comes free,
/// claims the next range, sized at its share of what is left (guided scheduling): a few
/// ranges, as a range has a cost of its own, yet the last ones are small, so no worker is
/// left alone with a long one at the end, as with `fold`, whose pieces are only split when
/// another worker steals.
fn guided<R: Send>(n: usize, min: usize, f: impl Fn(std::ops::Range<usize>) -> R + Sync) -> Vec<R> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let (next, done) = (AtomicUsize::new(0), std::sync::Mutex::new(Vec::new()));
    let workers = rayon::current_num_threads();
    let end_of = |start: usize| (start + ((n - start) / workers).max(min)).min(n);
    (0..workers).into_par_iter().for_each(|_| {
        while let Ok(start) = next.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |s| (s < n).then(|| end_of(s))) {
            let r = f(start..end_of(start));
            done.lock().unwrap_or_else(|e| e.into_inner()).push((start, r));
        }
    });
    let mut done = done.into_inner().unwrap_or_else(|e| e.into_inner());
    done.sort_unstable_by_key(|(start, _)| *start);
    done.into_iter().map(|(_, r)| r).collect()
}

/// Consecutive documents indexed together, numbered from 0. Terms are interned, so a token
/// costs a hash lookup, not an allocation; each distinct word is analysed once.
#[derive(Default)]
struct Run {
    vocab: HashMap<String, u32>,
    lists: Vec<Gathered>,
    lens: Vec<[u32; 3]>,
    meta: Vec<String>,
    /// Word → (its token count, range of its kept term ids in `word_terms`).
    words: HashMap<Box<str>, (u32, std::ops::Range<u32>)>,
    word_terms: Vec<u32>,
    /// Occurrences of each term in the current field, and the terms it has.
    counts: Vec<u32>,
    touched: Vec<u32>,
    /// (term, field) lists to prune once the current document is complete.
    full: Vec<(u32, usize)>,
}

impl Run {
    fn add(mut self, docs: Vec<SearchDoc>) -> Self {
        for d in &docs {
            let doc = self.lens.len() as u32;
            let mut len = [0u32; 3];
            for (f, text) in field_texts(d).iter().enumerate() {
                let mut scratch = Scratch::default();
                each_word(text, |word, _| {
                    let (tokens, ids) = match self.words.get(word) {
                        Some(known) => known.clone(),
                        None => {
                            let (mut tokens, from) = (0, self.word_terms.len() as u32);
                            scratch.word(word, 0, &mut |term, _, _| {
                                tokens += 1;
                                if term.is_empty() || (term.len() > MAX_TERM && term.chars().count() > MAX_TERM) {
                                    return;
                                }
                                let id = match self.vocab.get(term) {
                                    Some(&id) => id,
                                    None => {
                                        self.vocab.insert(term.to_owned(), self.lists.len() as u32);
                                        self.lists.push(Gathered::default());
                                        self.counts.push(0);
                                        self.lists.len() as u32 - 1
                                    }
                                };
                                self.word_terms.push(id);
                            });
                            let known = (tokens, from..self.word_terms.len() as u32);
                            self.words.insert(word.into(), known.clone());
                            known
                        }
                    };
                    len[f] += tokens;
                    for &id in &self.word_terms[ids.start as usize..ids.end as usize] {
                        if self.counts[id as usize] == 0 {
                            self.touched.push(id);
                        }
                        self.counts[id as usize] += 1;
                    }
                });
                for id in self.touched.drain(..) {
                    let g = &mut self.lists[id as usize];
                    let n = std::mem::take(&mut self.counts[id as usize]);
                    g.df[f] += 1;
                    if weight(n, len[f]) <= f64::from(g.floor[f]) {
                        continue;
                    }
                    g.postings[f].push((doc, n));
                    if g.postings[f].len() >= 2 * MAX_POSTINGS {
                        self.full.push((id, f));
                    }
                }
            }
            self.lens.push(len);
            // Pruning as lists grow keeps the same documents as pruning once at the end
            // (the order is total and a document's weight never changes), and bounds the
            // memory of common terms' lists.
            for (id, f) in self.full.drain(..) {
                let lens = &self.lens;
                let g = &mut self.lists[id as usize];
                if let Some(cut) = prune(&mut g.postings[f], |d| lens[d as usize][f]) {
                    g.floor[f] = round_down(cut);
                }
            }
            self.meta.push(meta_entry(d));
        }
        self
    }

    /// Terms into buckets by hash (so runs merge bucket by bucket in parallel), field
    /// lengths, metadata entries.
    fn into_buckets(mut self) -> (Vec<Vec<(String, Gathered)>>, Vec<[u32; 3]>, Vec<String>) {
        let mut buckets: Vec<Vec<(String, Gathered)>> = (0..MERGE_BUCKETS).map(|_| Vec::new()).collect();
        for (term, id) in self.vocab {
            buckets[bucket_of(&term)].push((term, std::mem::take(&mut self.lists[id as usize])));
        }
        (buckets, self.lens, self.meta)
    }
}

/// Buckets of terms merged in parallel across runs.
const MERGE_BUCKETS: usize = 64;

fn bucket_of(term: &str) -> usize {
    use std::hash::BuildHasher;
    foldhash::fast::FixedState::with_seed(0).hash_one(term) as usize % MERGE_BUCKETS
}

/// A term's weight in a field: `tf / sqrt(field length)`.
fn weight(occurrences: u32, field_len: u32) -> f64 {
    f64::from(occurrences).sqrt() / f64::from(field_len.max(1)).sqrt()
}

/// The largest `f32` not above `w`.
fn round_down(w: f64) -> f32 {
    let r = w as f32;
    if f64::from(r) > w { r.next_down() } else { r }
}

/// Keeps the `MAX_POSTINGS` documents where the term weighs most (ties: lower doc first), in
/// doc order; returns the weight of the heaviest one removed, if any was.
fn prune(list: &mut Vec<(u32, u32)>, len: impl Fn(u32) -> u32) -> Option<f64> {
    if list.len() <= MAX_POSTINGS {
        return None;
    }
    let w = |&(d, n): &(u32, u32)| weight(n, len(d));
    list.select_nth_unstable_by(MAX_POSTINGS, |a, b| w(b).total_cmp(&w(a)).then(a.0.cmp(&b.0)));
    let cut = w(&list[MAX_POSTINGS]);
    list.truncate(MAX_POSTINGS);
    list.sort_unstable();
    Some(cut)
}

/// Assigns `terms` (all starting with `key`, sorted) to shards: `key`'s own shard, and
/// child shards for large subtrees while the shard is too big.
fn plan<'a>(terms: &'a [Term], key: String, shards: &mut Vec<(String, Vec<&'a Term>)>) {
    let size: usize = terms.iter().map(Term::estimate).sum();
    let depth = key.chars().count();
    if size <= SHARD_BYTES || depth >= MAX_DEPTH {
        shards.push((key, terms.iter().collect()));
        return;
    }
    // Split off only the large subtrees; small ones stay with the parent so a
    // vocabulary does not turn into hundreds of tiny requests.
    let mut own = Vec::new();
    let mut children = Vec::new();
    let mut i = 0;
    while i < terms.len() {
        let Some(next) = terms[i].text[key.len()..].chars().next() else {
            own.push(&terms[i]);
            i += 1;
            continue;
        };
        let prefix = format!("{key}{next}");
        let end = i + terms[i..].iter().take_while(|t| t.text.starts_with(&prefix)).count();
        let group = &terms[i..end];
        if group.iter().map(Term::estimate).sum::<usize>() >= SHARD_BYTES / 8 {
            children.push((group, prefix));
        } else {
            own.extend(group);
        }
        i = end;
    }
    shards.push((key, own));
    for (group, prefix) in children {
        plan(group, prefix, shards);
    }
}

/// `{"index": {field: node at key}, "docInfo": {...}}` for one shard's terms.
fn shard_json(key: &str, members: &[&Term], lens: &[[u32; 3]]) -> Vec<u8> {
    let mut out = String::from("{\"index\":{");
    let mut first = true;
    for (f, name) in FIELDS.iter().enumerate() {
        let here: Vec<(&str, &Term)> = members.iter().filter(|t| t.df[f] > 0).map(|t| (t.text.as_str(), *t)).collect();
        if here.is_empty() {
            continue;
        }
        if !first {
            out.push(',');
        }
        first = false;
        let _ = write!(out, "\"{name}\":");
        node(&mut out, &here, key.len(), f);
    }
    out.push_str("},\"docInfo\":{");
    let mut refs: Vec<u32> = members.iter().flat_map(|t| t.postings.iter().flatten().map(|p| p.0)).collect();
    refs.sort_unstable();
    refs.dedup();
    let mut num = itoa::Buffer::new();
    for (i, d) in refs.iter().enumerate() {
        let [a, b, c] = lens[*d as usize];
        out.push_str(if i == 0 { "\"" } else { ",\"" });
        out.push_str(num.format(*d));
        for (name, v) in [("\":{\"title\":", a), (",\"crumbs\":", b), (",\"body\":", c)] {
            out.push_str(name);
            out.push_str(num.format(v));
        }
        out.push('}');
    }
    out.push_str("}}");
    out.into_bytes()
}

/// Writes the trie node whose terms are `terms` (sorted, sharing their first `depth`
/// bytes; a term of exactly `depth` bytes is the node's own).
fn node(out: &mut String, terms: &[(&str, &Term)], depth: usize, field: usize) {
    out.push_str("{\"docs\":{");
    let (own, rest) = match terms.first() {
        Some((s, t)) if s.len() == depth => (Some(*t), &terms[1..]),
        _ => (None, terms),
    };
    let mut num = itoa::Buffer::new();
    if let Some(t) = own {
        for (i, (d, n)) in t.postings[field].iter().enumerate() {
            out.push_str(if i == 0 { "\"" } else { ",\"" });
            out.push_str(num.format(*d));
            out.push_str("\":{\"tf\":");
            push_tf(out, *n);
            out.push('}');
        }
    }
    out.push_str("},\"df\":");
    out.push_str(num.format(own.map_or(0, |t| t.df[field])));
    let mut i = 0;
    while i < rest.len() {
        let c = rest[i].0[depth..].chars().next().unwrap_or_default();
        let end = i + rest[i..].iter().take_while(|(s, _)| s[depth..].starts_with(c)).count();
        out.push(',');
        if c.is_ascii_alphanumeric() {
            out.extend(['"', c, '"']);
        } else {
            let mut buf = [0u8; 4];
            out.push_str(&serde_json::to_string(c.encode_utf8(&mut buf) as &str).unwrap_or_default());
        }
        out.push(':');
        node(out, &rest[i..end], depth + c.len_utf8(), field);
        i = end;
    }
    out.push('}');
}

/// elasticlunr's term frequency, `sqrt(n)` to three decimals, as JSON.
fn push_tf(out: &mut String, n: u32) {
    static SMALL: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| (0..64).map(tf_text).collect());
    match SMALL.get(n as usize) {
        Some(s) => out.push_str(s),
        None => out.push_str(&tf_text(n)),
    }
}

fn tf_text(n: u32) -> String {
    ((f64::from(n).sqrt() * 1000.0).round() / 1000.0).to_string()
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
    use serde_json::Value;

    fn node_at<'a>(root: &'a Value, key: &str) -> Option<&'a Value> {
        let mut node = root;
        let mut buf = [0u8; 4];
        for c in key.chars() {
            node = node.get(&*c.encode_utf8(&mut buf))?;
        }
        Some(node)
    }

    fn index_files(docs: &[SearchDoc]) -> std::collections::BTreeMap<String, Vec<u8>> {
        let files = std::sync::Mutex::new(std::collections::BTreeMap::new());
        write_index(docs, |d| vec![d.clone()], &|name, bytes| {
            files.lock().unwrap().insert(name, bytes);
        });
        files.into_inner().unwrap()
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
        let files = index_files(&docs);
        let names: Vec<&str> = files.keys().map(String::as_str).collect();
        assert!(names.contains(&"d-2.json") && !names.contains(&"d-3.json"));
        let header: Value = serde_json::from_slice(&files["index.json"]).unwrap();
        assert_eq!(header["pipeline"], json!(["vellumTerm"]));
        assert_eq!(header["documentStore"]["length"], json!(300));
        let shards = header["shards"].as_array().unwrap();
        assert!(shards.contains(&json!("c")) && shards.contains(&json!("é")));
        let c: Value = serde_json::from_slice(&files["s-c.json"]).unwrap();
        let node = node_at(&c["index"]["body"], "reateorganization").unwrap();
        assert_eq!(node["df"], json!(300));
        assert_eq!(c["docInfo"]["7"]["title"], json!(1));
        assert!(names.contains(&"s-_e9.json"));
    }

    #[test]
    fn large_shards_split_and_stay_bounded() {
        let docs: Vec<_> = (0..3000).map(|i| doc(i, &format!("set{i} seven{i} sea{} sun", i % 7))).collect();
        let files = index_files(&docs);
        let header: Value = serde_json::from_slice(&files["index.json"]).unwrap();
        let shards = header["shards"].as_array().unwrap();
        assert!(shards.contains(&json!("s")) && shards.contains(&json!("se")), "{shards:?}");
        for (name, bytes) in &files {
            if name.starts_with("s-") {
                assert!(bytes.len() < SHARD_BYTES * 3, "{name} {}", bytes.len());
            }
        }
    }

    #[test]
    fn postings_kept_are_the_heaviest_whatever_the_order_of_pruning() {
        // Pseudo-random weights, close together (field lengths of up to 800 words): the list
        // is pruned several times as its floor rises, and must end as the top `MAX_POSTINGS`
        // of all the documents.
        let mut x = 0x9e37_79b9_u32;
        let counts: Vec<(u32, u32)> = (0..12 * MAX_POSTINGS)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                (1 + x % 3, x / 3 % 800)
            })
            .collect();
        let docs: Vec<_> = counts
            .iter()
            .enumerate()
            .map(|(i, &(n, fill))| doc(i, &format!("{}{}", "common ".repeat(n as usize), "filler ".repeat(fill as usize))))
            .collect();
        // In one run, where the floor applies, and across runs, as a site is indexed.
        let mut run = Run::default().add(docs.clone());
        let common = &mut run.lists[run.vocab["common"] as usize];
        prune(&mut common.postings[2], |d| run.lens[d as usize][2]);
        let (terms, lens, _) = index_terms(&docs, |d| vec![d.clone()]);
        let merged = terms.iter().find(|t| t.text == "common").unwrap();
        assert_eq!((common.df[2], merged.df[2]), (docs.len() as u32, docs.len() as u32));
        let w = |&(d, n): &(u32, u32)| weight(n, lens[d as usize][2]);
        let mut all: Vec<(u32, u32)> = counts.iter().enumerate().map(|(d, &(n, _))| (d as u32, n)).collect();
        all.sort_by(|a, b| w(b).total_cmp(&w(a)).then(a.0.cmp(&b.0)));
        all.truncate(MAX_POSTINGS);
        all.sort_unstable();
        assert_eq!(common.postings[2], all);
        assert_eq!(merged.postings[2], all);
    }

    #[test]
    fn guided_ranges_cover_everything_in_order() {
        for n in [0, 1, 31, 32, 1000, 100_000] {
            let ranges = guided(n, 32, |r| r);
            assert_eq!(ranges.iter().map(|r| r.len()).sum::<usize>(), n);
            assert!(ranges.windows(2).all(|w| w[0].end == w[1].start && w[0].len() >= 32), "{ranges:?}");
            assert_eq!(ranges.first().map_or(0, |r| r.start), 0);
        }
    }

    #[test]
    fn excerpt_cuts_at_char_boundary() {
        let e = excerpt(&"é".repeat(200));
        assert!(e.ends_with('…') && e.len() <= EXCERPT + 4);
    }
}
