//! Stage 4 (site), global and cheap: the API-reference index (DIALECT §3.3–3.6). It merges
//! every page's `descriptions` into one tree, collects every `reference` entry into a
//! per-language namespace, and resolves `description: (a.b)` and bare `(Key.prop)` items into
//! [`ResolvedEntry`] trees that the HTML and Markdown renderers share.
//! Architecture invariant: a pure function of the pages' frontmatter: it renders nothing and
//! reads no files. A broken reference is a diagnostic, never a failed build.

use crate::diagnostics::Diagnostic;
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};

mod parse;
mod resolve;
#[cfg(test)]
mod tests;

use parse::{Parser, RawFile};
use resolve::Resolver;

/// How deep items, merges and reference chains may nest before we stop (corpus maximum: 5).
pub(super) const MAX_DEPTH: usize = 12;

/// One page's input to the index.
#[derive(Debug, Clone, Copy)]
pub struct RefSource<'a> {
    /// Path relative to the docs root, e.g. `reference/sso/profile.mdx`.
    pub file: &'a str,
    /// Page URL, e.g. `/reference/sso/profile`.
    pub url: &'a str,
    /// The parsed YAML frontmatter.
    pub frontmatter: &'a Value,
    /// The whole file text, searched for the line numbers of diagnostics.
    pub raw: &'a str,
}

/// A parameter, return value or property after every `(ref)` was resolved.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ResolvedItem {
    /// Name; `None` for `anonymous` items and for links to whole objects.
    pub key: Option<String>,
    /// Free-text type (`string`, `Promise<User>` …), not escaped.
    #[serde(rename = "type")]
    pub type_: Option<String>,
    /// Page URL + `#id` of the documented object the type names.
    pub type_link: Option<String>,
    /// Resolved Markdown description.
    pub description: Option<String>,
    /// `optional: true`.
    pub optional: bool,
    /// Show the nested properties open.
    pub expanded: bool,
    /// Nested properties (`unwrap` children are already promoted into the parent list).
    pub properties: Vec<ResolvedItem>,
}

/// What a reference entry documents, told apart by its shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EntryKind {
    /// A method or endpoint: has `parameters` and/or `returns`.
    Method,
    /// An object or type: has `properties`.
    Object,
    /// A reusable parameter (no `id`), spliced into other entries.
    Parameter,
}

/// One language variant of a reference entry, fully resolved.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ResolvedEntry {
    /// Shared id of the language variants (`None` for reusable parameters).
    pub id: Option<String>,
    /// SDK language: `curl`, `js`, `go` …
    pub lang: String,
    /// Identifier in that language.
    pub key: String,
    /// Display signature (`/portal/generate_link`, `portal.generateLink()`).
    pub title: Option<String>,
    /// HTTP verb of a curl endpoint.
    pub method: Option<String>,
    /// Type of a reusable parameter, or a non-verb `type`.
    #[serde(rename = "type")]
    pub type_: Option<String>,
    /// Resolved Markdown description.
    pub description: Option<String>,
    /// Method, object or reusable parameter.
    pub kind: EntryKind,
    /// Parameters (empty when none).
    pub parameters: Vec<ResolvedItem>,
    /// Return values.
    pub returns: Vec<ResolvedItem>,
    /// Object properties.
    pub properties: Vec<ResolvedItem>,
    /// `optional: true`.
    pub optional: bool,
    /// `sendsEmail: true`: show a "Sends an email" badge.
    pub sends_email: bool,
    /// `patternBefore`, for hot-linking the name in code samples.
    pub pattern_before: Option<String>,
}

/// All language variants of one entry `id` on one page, in the page's order.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct EntrySet {
    /// The shared id, used as the HTML anchor.
    pub id: String,
    /// Source file of the page.
    pub file: String,
    /// URL of the page.
    pub url: String,
    /// One entry per language.
    pub variants: Vec<ResolvedEntry>,
}

impl EntrySet {
    /// Index of the variant shown by default: curl when present, else the first.
    pub fn default_variant(&self) -> usize {
        self.variants.iter().position(|v| v.lang == "curl").unwrap_or(0)
    }
}

/// What the build found, for tests and `--verbose`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct RefStats {
    /// Reference entries in all pages.
    pub entries: usize,
    /// `description: (ref)` uses.
    pub description_refs: usize,
    /// … resolved in the same file's `descriptions`.
    pub description_same_file: usize,
    /// … resolved in another file's `descriptions`.
    pub description_other_file: usize,
    /// … that hit a map node (resolved to its `self` leaf when it has one).
    pub description_map_node: usize,
    /// … map-node hits without a `self` leaf (no description shown).
    pub description_map_without_self: usize,
    /// … not found.
    pub description_unresolved: usize,
    /// Bare `(Key)` / `(Key.prop)` items.
    pub item_refs: usize,
    /// … resolved to another file.
    pub item_refs_cross_file: usize,
    /// … with candidates in several files (settled by precedence or not).
    pub item_refs_multi_candidate: usize,
    /// … still tied after the nearest-path rule.
    pub item_refs_ambiguous: usize,
    /// … not found.
    pub item_refs_unresolved: usize,
    /// `reference.url-mismatch` warnings.
    pub url_mismatches: usize,
}

/// The global API-reference index: resolved entry sets per page.
#[derive(Debug, Clone, Default)]
pub struct ReferenceIndex {
    pages: HashMap<String, Vec<EntrySet>>,
    stats: RefStats,
}

impl ReferenceIndex {
    /// Merge, index and resolve the reference data of every page.
    pub fn build(sources: &[RefSource<'_>]) -> (Self, Vec<Diagnostic>) {
        let mut merged = Map::new();
        for s in sources {
            if let Some(Value::Object(d)) = s.frontmatter.get("descriptions") {
                merge(&mut merged, d, 0);
            }
        }
        let mut p = Parser { merged: &merged, diags: Vec::new(), stats: RefStats::default(), warned_maps: HashSet::new() };
        let files: Vec<RawFile<'_>> = sources.iter().map(|s| p.parse_file(s)).collect();
        let Parser { mut diags, mut stats, .. } = p;
        let mut r = Resolver::new(&files);
        let mut pages: HashMap<String, Vec<EntrySet>> = HashMap::new();
        for (fi, f) in files.iter().enumerate() {
            let mut sets: Vec<EntrySet> = Vec::new();
            for (ei, e) in f.entries.iter().enumerate() {
                let resolved = r.resolve_entry(fi, ei);
                let Some(id) = e.id.clone() else { continue };
                match sets.iter_mut().find(|s| s.id == id) {
                    Some(s) if s.variants.iter().any(|v| v.lang == e.lang) => r.diags.push(Diagnostic::warning(
                        f.src.file,
                        0,
                        0,
                        "reference.duplicate-id",
                        format!("two `{}` entries share the id `{id}`; the second is ignored", e.lang),
                    )),
                    Some(s) => s.variants.push(resolved),
                    None => sets.push(EntrySet { id, file: f.src.file.to_string(), url: f.src.url.to_string(), variants: vec![resolved] }),
                }
            }
            if !sets.is_empty() {
                pages.insert(f.src.file.to_string(), sets);
            }
        }
        stats.entries = files.iter().map(|f| f.entries.len()).sum();
        let (rd, rs) = (r.diags, r.stats);
        stats.item_refs = rs.item_refs;
        stats.item_refs_cross_file = rs.item_refs_cross_file;
        stats.item_refs_multi_candidate = rs.item_refs_multi_candidate;
        stats.item_refs_ambiguous = rs.item_refs_ambiguous;
        stats.item_refs_unresolved = rs.item_refs_unresolved;
        diags.extend(rd);
        (Self { pages, stats }, diags)
    }

    /// The entry sets of a page (reusable parameters excluded), in the page's order.
    pub fn page_entries(&self, file: &str) -> &[EntrySet] {
        self.pages.get(file).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The set a `<CodeBlock referenceId>` names; `-` and `_` are interchangeable.
    pub fn lookup_id(&self, file: &str, reference_id: &str) -> Option<&EntrySet> {
        let sets = self.page_entries(file);
        let norm = |s: &str| s.replace('-', "_");
        sets.iter().find(|s| s.id == reference_id).or_else(|| {
            let want = norm(reference_id);
            sets.iter().find(|s| norm(&s.id) == want)
        })
    }

    /// Counts gathered while building.
    pub fn stats(&self) -> &RefStats {
        &self.stats
    }
}

/// Deep-merge `from` into `into`; the first definition of a leaf wins.
fn merge(into: &mut Map<String, Value>, from: &Map<String, Value>, depth: usize) {
    for (k, v) in from {
        match (into.get_mut(k), v) {
            (Some(Value::Object(a)), Value::Object(b)) if depth < MAX_DEPTH => merge(a, b, depth + 1),
            (Some(_), _) => {}
            (None, v) => {
                into.insert(k.clone(), v.clone());
            }
        }
    }
}
