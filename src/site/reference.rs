//! Stage 4 (site), global and cheap: the API-reference index (DIALECT §3.3–3.6). It merges
//! every page's `descriptions` into one tree, collects every `reference` entry into a
//! per-language namespace, and resolves `description: (a.b)` and bare `(Key.prop)` items into
//! [`ResolvedEntry`] trees that the HTML and Markdown renderers share.
//! Architecture invariant: a pure function of the pages' frontmatter: it renders nothing and
//! reads no files. A broken reference is a diagnostic, never a failed build.

use crate::diagnostics::Diagnostic;
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};

/// How deep items, merges and reference chains may nest before we stop (corpus maximum: 5).
const MAX_DEPTH: usize = 12;

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

/// `(a.b_c)` → `a.b_c`: a parenthesised dotted identifier and nothing else.
fn ref_path(s: &str) -> Option<&str> {
    let inner = s.trim().strip_prefix('(')?.strip_suffix(')')?;
    let ok = !inner.is_empty()
        && !inner.starts_with('.')
        && !inner.ends_with('.')
        && inner.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | '$'));
    ok.then_some(inner)
}

fn walk<'v>(root: &'v Map<String, Value>, path: &str) -> Option<&'v Value> {
    let mut segs = path.split('.');
    let mut cur = root.get(segs.next()?)?;
    for seg in segs {
        cur = cur.as_object()?.get(seg)?;
    }
    Some(cur)
}

fn text(v: Option<&Value>) -> Option<String> {
    let s = match v? {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => return None,
    };
    (!s.is_empty()).then_some(s)
}

fn flag(v: Option<&Value>) -> bool {
    matches!(v, Some(Value::Bool(true)))
}

/// Advances through a file's text so repeated needles find their own occurrence.
struct Lines<'a> {
    raw: &'a str,
    pos: usize,
    line: u32,
}

impl<'a> Lines<'a> {
    fn new(raw: &'a str) -> Self {
        let pos = raw.find("\nreference:").map_or(0, |i| i + 1);
        Self { raw, pos, line: 1 + count_nl(&raw[..pos]) }
    }

    /// 1-based line of the next occurrence of `needle` (0 when absent).
    fn find(&mut self, needle: &str) -> u32 {
        if let Some(off) = self.raw[self.pos..].find(needle) {
            let start = self.pos + off;
            self.line += count_nl(&self.raw[self.pos..start]);
            let at = self.line;
            self.line += count_nl(needle);
            self.pos = start + needle.len();
            return at;
        }
        self.raw.find(needle).map_or(0, |i| 1 + count_nl(&self.raw[..i]))
    }
}

fn count_nl(s: &str) -> u32 {
    s.bytes().filter(|&b| b == b'\n').count() as u32
}

struct RawFile<'a> {
    src: &'a RefSource<'a>,
    entries: Vec<RawEntry>,
}

struct RawEntry {
    lang: String,
    key: String,
    id: Option<String>,
    title: Option<String>,
    type_: Option<String>,
    description: Option<String>,
    /// `{curl key}.self` from `descriptions`, shown where the whole object is linked.
    self_description: Option<String>,
    kind: EntryKind,
    optional: bool,
    sends_email: bool,
    pattern_before: Option<String>,
    parameters: Vec<RawItem>,
    returns: Vec<RawItem>,
    properties: Vec<RawItem>,
}

enum RawItem {
    Ref { path: String, line: u32 },
    Inline(Box<InlineItem>),
}

struct InlineItem {
    key: Option<String>,
    type_: Option<String>,
    description: Option<String>,
    optional: bool,
    unwrap: bool,
    expanded: bool,
    /// `url` + `id` of a documented object, rarely set on `returns` items.
    link: Option<(String, String)>,
    properties: Vec<RawItem>,
}

/// Pass 1: frontmatter JSON → raw entries, with every `description: (ref)` resolved.
struct Parser<'m> {
    merged: &'m Map<String, Value>,
    diags: Vec<Diagnostic>,
    stats: RefStats,
    warned_maps: HashSet<String>,
}

struct FileCx<'a> {
    src: &'a RefSource<'a>,
    lines: Lines<'a>,
}

impl Parser<'_> {
    fn parse_file<'a>(&mut self, src: &'a RefSource<'a>) -> RawFile<'a> {
        let mut cx = FileCx { src, lines: Lines::new(src.raw) };
        let mut entries = Vec::new();
        match src.frontmatter.get("reference") {
            None | Some(Value::Null) => {}
            Some(Value::Object(langs)) => {
                for (lang, list) in langs {
                    let Some(list) = list.as_array() else {
                        self.invalid(src, format!("`reference.{lang}` must be a list of entries"));
                        continue;
                    };
                    for e in list {
                        match e.as_object() {
                            Some(obj) => entries.extend(self.parse_entry(&mut cx, lang, obj)),
                            None => self.invalid(src, format!("an entry of `reference.{lang}` is not a mapping")),
                        }
                    }
                }
            }
            Some(_) => self.invalid(src, "`reference` must map SDK languages to lists of entries".into()),
        }
        let ids: Vec<(usize, &str, &str)> = entries
            .iter()
            .enumerate()
            .filter(|(_, e)| e.lang == "curl")
            .filter_map(|(i, e)| Some((i, e.id.as_deref()?, e.key.as_str())))
            .collect();
        let selfs: Vec<Option<String>> = entries
            .iter()
            .map(|e| {
                let id = e.id.as_deref()?;
                let key = ids.iter().find(|(_, i, _)| *i == id).map_or(e.key.as_str(), |(_, _, k)| k);
                self.lookup_silent(src, &format!("{key}.self"))
            })
            .collect();
        for (e, s) in entries.iter_mut().zip(selfs) {
            e.self_description = s;
        }
        RawFile { src, entries }
    }

    fn invalid(&mut self, src: &RefSource<'_>, msg: String) {
        self.diags.push(Diagnostic::warning(src.file, 0, 0, "reference.invalid", msg));
    }

    fn parse_entry(&mut self, cx: &mut FileCx<'_>, lang: &str, obj: &Map<String, Value>) -> Option<RawEntry> {
        let Some(key) = text(obj.get("key")) else {
            self.invalid(cx.src, format!("a `reference.{lang}` entry has no `key`"));
            return None;
        };
        let mut e = RawEntry {
            lang: lang.to_string(),
            key,
            id: text(obj.get("id")),
            title: text(obj.get("title")),
            type_: None,
            description: None,
            self_description: None,
            kind: EntryKind::Parameter,
            optional: flag(obj.get("optional")),
            sends_email: flag(obj.get("sendsEmail")),
            pattern_before: text(obj.get("patternBefore")),
            parameters: Vec::new(),
            returns: Vec::new(),
            properties: Vec::new(),
        };
        let (mut has_calls, mut has_props) = (false, false);
        // Visit fields in source order so `Lines` finds each ref's own line.
        for (k, v) in obj {
            match k.as_str() {
                "type" => e.type_ = text(Some(v)),
                "description" => e.description = self.description(cx, v),
                "parameters" => (has_calls, e.parameters) = (true, self.items(cx, v, 0)),
                "returns" => (has_calls, e.returns) = (true, self.items(cx, v, 0)),
                "properties" => (has_props, e.properties) = (true, self.items(cx, v, 0)),
                "url" => self.check_url(cx, &e, v),
                _ => {}
            }
        }
        e.kind = match (has_calls, has_props, &e.id) {
            (true, _, _) => EntryKind::Method,
            (false, true, _) | (false, false, Some(_)) => EntryKind::Object,
            _ => EntryKind::Parameter,
        };
        Some(e)
    }

    fn check_url(&mut self, cx: &mut FileCx<'_>, e: &RawEntry, v: &Value) {
        let Some(url) = text(Some(v)) else { return };
        let norm = |u: &str| if u.len() > 1 { u.trim_end_matches('/').to_string() } else { u.to_string() };
        if url.starts_with("http://") || url.starts_with("https://") || norm(&url) == norm(cx.src.url) {
            return;
        }
        let line = cx.lines.find(&url);
        self.stats.url_mismatches += 1;
        let msg = format!("`{}` entry `{}` has url `{url}` but lives on `{}`; the page URL is used", e.lang, e.key, cx.src.url);
        self.diags
            .push(Diagnostic::warning(cx.src.file, line, 0, "reference.url-mismatch", msg).with_hint(format!("set `url: {}`", cx.src.url)));
    }

    fn items(&mut self, cx: &mut FileCx<'_>, v: &Value, depth: usize) -> Vec<RawItem> {
        let Some(list) = v.as_array() else { return Vec::new() };
        if depth >= MAX_DEPTH {
            self.invalid(cx.src, format!("reference items nest deeper than {MAX_DEPTH} levels; the rest is ignored"));
            return Vec::new();
        }
        let mut out = Vec::with_capacity(list.len());
        for it in list {
            match it {
                Value::String(s) => match ref_path(s) {
                    Some(path) => out.push(RawItem::Ref { path: path.to_string(), line: cx.lines.find(s.trim()) }),
                    None => self.invalid(cx.src, format!("reference item `{s}` is neither a mapping nor a `(ref)`")),
                },
                Value::Object(obj) => out.push(RawItem::Inline(Box::new(self.inline(cx, obj, depth)))),
                _ => self.invalid(cx.src, "a reference item is neither a mapping nor a `(ref)`".into()),
            }
        }
        out
    }

    fn inline(&mut self, cx: &mut FileCx<'_>, obj: &Map<String, Value>, depth: usize) -> InlineItem {
        let mut it = InlineItem {
            key: text(obj.get("key")).filter(|k| k != "anonymous"),
            type_: None,
            description: None,
            optional: flag(obj.get("optional")),
            unwrap: flag(obj.get("unwrap")),
            expanded: flag(obj.get("expanded")),
            link: text(obj.get("url")).zip(text(obj.get("id"))),
            properties: Vec::new(),
        };
        for (k, v) in obj {
            match k.as_str() {
                "type" => it.type_ = text(Some(v)),
                "description" => it.description = self.description(cx, v),
                "properties" => it.properties = self.items(cx, v, depth + 1),
                _ => {}
            }
        }
        if it.type_.is_none() && it.link.is_some() {
            it.type_ = text(obj.get("title"));
        }
        it
    }

    /// A literal description, or the text a `(ref)` names (same file first, then global).
    fn description(&mut self, cx: &mut FileCx<'_>, v: &Value) -> Option<String> {
        let raw = v.as_str()?;
        let Some(path) = ref_path(raw) else { return text(Some(v)) };
        self.stats.description_refs += 1;
        let local = cx.src.frontmatter.get("descriptions").and_then(Value::as_object).and_then(|m| walk(m, path));
        let hit = local.or_else(|| walk(self.merged, path));
        match hit {
            Some(Value::Object(m)) => {
                self.stats.description_map_node += 1;
                let own = text(m.get("self"));
                if own.is_none() {
                    self.stats.description_map_without_self += 1;
                    if self.warned_maps.insert(path.to_string()) {
                        let line = cx.lines.find(raw.trim());
                        let msg = format!("description `({path})` names a map with no `self` entry; no description is shown");
                        let hint = "point at one of its leaves, or add a `self` key";
                        self.diags.push(Diagnostic::warning(cx.src.file, line, 0, "ref.description-map-without-self", msg).with_hint(hint));
                    }
                }
                own
            }
            Some(leaf) if text(Some(leaf)).is_some() => {
                if local.is_some() {
                    self.stats.description_same_file += 1;
                } else {
                    self.stats.description_other_file += 1;
                }
                text(Some(leaf))
            }
            _ => {
                self.stats.description_unresolved += 1;
                let line = cx.lines.find(raw.trim());
                let msg = format!("description `({path})` is not defined in any page's `descriptions`");
                self.diags.push(Diagnostic::warning(cx.src.file, line, 0, "ref.unresolved", msg));
                None
            }
        }
    }

    fn lookup_silent(&self, src: &RefSource<'_>, path: &str) -> Option<String> {
        let local = src.frontmatter.get("descriptions").and_then(Value::as_object).and_then(|m| walk(m, path));
        text(local.or_else(|| walk(self.merged, path)))
    }
}

/// What a bare `(ref)` names: a whole entry or one item inside an entry.
#[derive(Clone, Copy)]
enum Target<'r> {
    Entry(usize, usize),
    Item(usize, &'r RawItem),
}

/// (file index, entry index) into the raw files.
type EntryAt = (usize, usize);

/// Per-resolution state: nesting depth, whether to report, and objects being expanded.
struct Cx {
    depth: usize,
    report: bool,
    stack: Vec<EntryAt>,
}

/// Pass 2: bare item refs, per language, with the same-file / nearest-path precedence.
struct Resolver<'r> {
    files: &'r [RawFile<'r>],
    /// lang → key → (file, entry), in source order.
    names: HashMap<&'r str, HashMap<&'r str, Vec<EntryAt>>>,
    /// Entry id → files defining it, for inline `url`/`id` links.
    ids: HashMap<&'r str, Vec<usize>>,
    diags: Vec<Diagnostic>,
    stats: RefStats,
    /// Active `lookup` calls.
    nesting: usize,
}

impl<'r> Resolver<'r> {
    fn new(files: &'r [RawFile<'r>]) -> Self {
        let mut names: HashMap<&str, HashMap<&str, Vec<EntryAt>>> = HashMap::new();
        let mut ids: HashMap<&str, Vec<usize>> = HashMap::new();
        for (fi, f) in files.iter().enumerate() {
            for (ei, e) in f.entries.iter().enumerate() {
                names.entry(&e.lang).or_default().entry(&e.key).or_default().push((fi, ei));
                if let Some(id) = &e.id {
                    ids.entry(id).or_default().push(fi);
                }
            }
        }
        Self { files, names, ids, diags: Vec::new(), stats: RefStats::default(), nesting: 0 }
    }

    fn entry(&self, fi: usize, ei: usize) -> &'r RawEntry {
        &self.files[fi].entries[ei]
    }

    fn resolve_entry(&mut self, fi: usize, ei: usize) -> ResolvedEntry {
        let e = self.entry(fi, ei);
        let mut cx = Cx { depth: 0, report: true, stack: vec![(fi, ei)] };
        let is_verb = |t: &str| matches!(t, "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS");
        let method = e.type_.clone().filter(|t| e.lang == "curl" && is_verb(t));
        ResolvedEntry {
            id: e.id.clone(),
            lang: e.lang.clone(),
            key: e.key.clone(),
            title: e.title.clone(),
            type_: if method.is_some() { None } else { e.type_.clone() },
            method,
            description: e.description.clone(),
            kind: e.kind,
            parameters: self.items(fi, &e.lang, &e.parameters, &mut cx),
            returns: self.items(fi, &e.lang, &e.returns, &mut cx),
            properties: self.items(fi, &e.lang, &e.properties, &mut cx),
            optional: e.optional,
            sends_email: e.sends_email,
            pattern_before: e.pattern_before.clone(),
        }
    }

    fn items(&mut self, fi: usize, lang: &str, items: &'r [RawItem], cx: &mut Cx) -> Vec<ResolvedItem> {
        if cx.depth >= MAX_DEPTH {
            return Vec::new();
        }
        cx.depth += 1;
        let mut out = Vec::with_capacity(items.len());
        for it in items {
            self.item(fi, lang, it, cx, &mut out);
        }
        cx.depth -= 1;
        out
    }

    fn item(&mut self, fi: usize, lang: &str, it: &'r RawItem, cx: &mut Cx, out: &mut Vec<ResolvedItem>) {
        match it {
            RawItem::Inline(i) => {
                let properties = self.items(fi, lang, &i.properties, cx);
                if i.unwrap {
                    out.extend(properties);
                    return;
                }
                out.push(ResolvedItem {
                    key: i.key.clone(),
                    type_: i.type_.clone(),
                    type_link: i.link.as_ref().map(|(url, id)| self.link(url, id)),
                    description: i.description.clone(),
                    optional: i.optional,
                    expanded: i.expanded,
                    properties,
                });
            }
            RawItem::Ref { path, line } => {
                let Some(target) = self.lookup(fi, lang, path, *line, cx.report) else {
                    out.push(ResolvedItem {
                        key: Some(path.clone()),
                        type_: None,
                        type_link: None,
                        description: None,
                        optional: false,
                        expanded: false,
                        properties: Vec::new(),
                    });
                    return;
                };
                // The target's own refs are reported where the target is defined.
                let report = std::mem::replace(&mut cx.report, false);
                match target {
                    Target::Item(tf, ti) => self.item(tf, lang, ti, cx, out),
                    Target::Entry(tf, te) => out.push(self.spliced_entry(tf, te, cx)),
                }
                cx.report = report;
            }
        }
    }

    /// A reusable parameter inline, or a whole object as a type link with its properties.
    fn spliced_entry(&mut self, tf: usize, te: usize, cx: &mut Cx) -> ResolvedItem {
        let e = self.entry(tf, te);
        let properties = if cx.stack.contains(&(tf, te)) {
            Vec::new()
        } else {
            cx.stack.push((tf, te));
            let p = self.items(tf, &e.lang, &e.properties, cx);
            cx.stack.pop();
            p
        };
        match &e.id {
            None => ResolvedItem {
                key: Some(e.key.clone()),
                type_: e.type_.clone(),
                type_link: None,
                description: e.description.clone(),
                optional: e.optional,
                expanded: false,
                properties,
            },
            Some(id) => ResolvedItem {
                key: None,
                type_: Some(e.key.clone()),
                type_link: Some(format!("{}#{id}", self.files[tf].src.url)),
                description: e.description.clone().or_else(|| e.self_description.clone()),
                optional: e.optional,
                expanded: false,
                properties,
            },
        }
    }

    /// `url#id`, moved to the page that really defines `id` when `url` is stale.
    fn link(&self, url: &str, id: &str) -> String {
        let files = self.ids.get(id).map(Vec::as_slice).unwrap_or(&[]);
        let page =
            files.iter().map(|&f| self.files[f].src.url).find(|u| *u == url).or_else(|| files.first().map(|&f| self.files[f].src.url));
        format!("{}#{id}", page.unwrap_or(url))
    }

    /// Find what `(path)` names in `lang`, preferring the same file, then the nearest path.
    fn lookup(&mut self, fi: usize, lang: &str, path: &str, line: u32, report: bool) -> Option<Target<'r>> {
        if report {
            self.stats.item_refs += 1;
        }
        // Refs may chain through refs: bound the nesting so a cyclic input cannot recurse forever.
        if self.nesting >= MAX_DEPTH {
            return None;
        }
        self.nesting += 1;
        let found = self.lookup_nested(fi, lang, path, line, report);
        self.nesting -= 1;
        found
    }

    fn lookup_nested(&mut self, fi: usize, lang: &str, path: &str, line: u32, report: bool) -> Option<Target<'r>> {
        let file = self.files[fi].src.file;
        let segs: Vec<&str> = path.split('.').collect();
        for k in (1..=segs.len()).rev() {
            let Some(cands) = self.names.get(lang).and_then(|m| m.get(segs[..k].join(".").as_str())).cloned() else { continue };
            let found: Vec<(usize, Target<'r>)> =
                cands.into_iter().filter_map(|(cf, ce)| Some((cf, self.descend(Target::Entry(cf, ce), lang, &segs[k..], 0)?))).collect();
            let Some(&(first_file, first)) = found.first() else { continue };
            let pick = if let Some(&(_, t)) = found.iter().find(|(f, _)| *f == fi) {
                (fi, t)
            } else {
                let score = |f: usize| shared_dirs(file, self.files[f].src.file);
                let best = found.iter().map(|(f, _)| score(*f)).max().unwrap_or(0);
                let winners: Vec<&(usize, Target<'r>)> = found.iter().filter(|(f, _)| score(*f) == best).collect();
                if report && winners.iter().any(|(f, _)| *f != winners[0].0) {
                    self.stats.item_refs_ambiguous += 1;
                    let places: Vec<&str> = winners.iter().map(|(f, _)| self.files[*f].src.file).collect();
                    let msg = format!("`({path})` is defined equally near in {}; using the first", places.join(", "));
                    self.diags.push(Diagnostic::warning(file, line, 0, "ref.ambiguous", msg));
                }
                *winners.first().copied().unwrap_or(&(first_file, first))
            };
            if report {
                self.stats.item_refs_multi_candidate += usize::from(found.iter().any(|(f, _)| *f != first_file));
                self.stats.item_refs_cross_file += usize::from(pick.0 != fi);
            }
            return Some(pick.1);
        }
        if report {
            self.stats.item_refs_unresolved += 1;
            let msg = format!("`({path})` matches no `{lang}` reference entry or property");
            self.diags.push(
                Diagnostic::warning(file, line, 0, "ref.unresolved", msg)
                    .with_hint("check the key path against the entry's `key` and `properties`"),
            );
        }
        None
    }

    /// Follow `rest` down through `properties[].key` from `at`.
    fn descend(&mut self, at: Target<'r>, lang: &str, rest: &[&str], depth: usize) -> Option<Target<'r>> {
        let Some((seg, tail)) = rest.split_first() else { return Some(at) };
        if depth >= MAX_DEPTH {
            return None;
        }
        let (fi, children): (usize, &'r [RawItem]) = match at {
            Target::Entry(f, e) => {
                let e = self.entry(f, e);
                (f, if e.properties.is_empty() { &e.parameters } else { &e.properties })
            }
            Target::Item(f, RawItem::Inline(i)) => (f, &i.properties),
            Target::Item(f, RawItem::Ref { path, .. }) => {
                let t = self.lookup(f, lang, path, 0, false)?;
                return self.descend(t, lang, rest, depth + 1);
            }
        };
        let child = find_child(children, seg, 0)?;
        self.descend(Target::Item(fi, child), lang, tail, depth + 1)
    }
}

/// The item named `seg` among `items`, looking inside `unwrap` wrappers too.
fn find_child<'r>(items: &'r [RawItem], seg: &str, depth: usize) -> Option<&'r RawItem> {
    items
        .iter()
        .find(|it| match it {
            RawItem::Inline(i) => i.key.as_deref() == Some(seg),
            RawItem::Ref { path, .. } => path.rsplit('.').next() == Some(seg),
        })
        .or_else(|| {
            (depth < MAX_DEPTH).then_some(())?;
            items.iter().find_map(|it| match it {
                RawItem::Inline(i) if i.unwrap => find_child(&i.properties, seg, depth + 1),
                _ => None,
            })
        })
}

/// Number of leading directories two files share.
fn shared_dirs(a: &str, b: &str) -> usize {
    let dir = |p: &'_ str| p.rsplit_once('/').map_or("", |(d, _)| d).to_string();
    let (a, b) = (dir(a), dir(b));
    a.split('/').zip(b.split('/')).take_while(|(x, y)| x == y).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pages as (file, full text); the URL is the file without `.mdx` / `/index.mdx`.
    fn build(pages: &[(&str, &str)]) -> (ReferenceIndex, Vec<Diagnostic>) {
        let fms: Vec<Value> = pages
            .iter()
            .map(|(_, t)| {
                let yaml = t.strip_prefix("---\n").and_then(|r| r.split("\n---\n").next()).unwrap_or("");
                crate::parse::yaml::to_json(yaml).expect("test YAML parses")
            })
            .collect();
        let urls: Vec<String> = pages.iter().map(|(f, _)| format!("/{}", f.trim_end_matches(".mdx").trim_end_matches("/index"))).collect();
        let sources: Vec<RefSource<'_>> =
            pages.iter().zip(&fms).zip(&urls).map(|(((file, raw), fm), url)| RefSource { file, url, frontmatter: fm, raw }).collect();
        ReferenceIndex::build(&sources)
    }

    fn codes(d: &[Diagnostic]) -> Vec<&str> {
        d.iter().map(|d| d.code).collect()
    }

    const OBJECT: &str = "---
descriptions:
  widget:
    self: The [Widget](/reference/widget) object.
    id: Unique identifier of the widget.
    role:
      slug: The role slug.
reference:
  curl:
    - key: widget
      id: widget
      url: /reference/widget
      title: widget
      properties:
        - key: id
          type: string
          description: (widget.id)
        - key: role
          type: object
          description: (widget.role)
          properties:
            - key: slug
              type: string
              description: (widget.role.slug)
  js:
    - key: Widget
      id: widget
      url: /reference/widget
      title: interface Widget
      properties:
        - key: id
          type: string
          description: (widget.id)
    - key: limit
      optional: true
      type: number
      description: (limit)
---
";

    const METHOD: &str = "---
descriptions:
  limit: Upper limit.
  get_widget:
    widget_id: The widget's id.
reference:
  curl:
    - key: get_widget
      type: GET
      id: get-widget
      url: /reference/widget/get
      title: '/widgets/:id'
      sendsEmail: true
      parameters:
        - (widget.id)
        - key: anonymous
          type: object
      returns:
        - (widget)
  js:
    - key: getWidget
      id: get-widget
      url: /reference/old/place
      title: widgets.getWidget()
      parameters:
        - key: options
          type: object
          unwrap: true
          properties:
            - (limit)
            - key: widgetId
              type: 'Promise<Map<\"a\" | \"b\">>'
              description: (get_widget.widget_id)
      returns:
        - (Widget)
        - (nope.nothing)
---
";

    #[test]
    fn resolves_descriptions_items_and_objects() {
        let (idx, diags) = build(&[("reference/widget/index.mdx", OBJECT), ("reference/widget/get.mdx", METHOD)]);
        let sets = idx.page_entries("reference/widget/get.mdx");
        assert_eq!(sets.len(), 1);
        let set = &sets[0];
        assert_eq!(set.id, "get-widget");
        assert_eq!(set.variants.iter().map(|v| v.lang.as_str()).collect::<Vec<_>>(), ["curl", "js"]);
        let curl = &set.variants[0];
        assert_eq!(curl.method.as_deref(), Some("GET"));
        assert!(curl.sends_email);
        // `(widget.id)` splices the curl object's property, description resolved in its file.
        assert_eq!(curl.parameters[0].key.as_deref(), Some("id"));
        assert_eq!(curl.parameters[0].description.as_deref(), Some("Unique identifier of the widget."));
        // `anonymous` keeps only its type.
        assert_eq!(curl.parameters[1].key, None);
        assert_eq!(curl.parameters[1].type_.as_deref(), Some("object"));
        // A whole object in `returns` is a type link with the `self` text and its properties.
        let ret = &curl.returns[0];
        assert_eq!(ret.type_link.as_deref(), Some("/reference/widget#widget"));
        assert_eq!(ret.description.as_deref(), Some("The [Widget](/reference/widget) object."));
        assert_eq!(ret.properties.len(), 2);
        assert!(!ret.expanded);
        // The JS `options` wrapper is unwrapped; `(limit)` is the reusable parameter.
        let js = &set.variants[1];
        let keys: Vec<_> = js.parameters.iter().map(|p| p.key.as_deref()).collect();
        assert_eq!(keys, [Some("limit"), Some("widgetId")]);
        assert!(js.parameters[0].optional);
        assert_eq!(js.parameters[0].description.as_deref(), Some("Upper limit."));
        // JS object's `self` comes from the curl key of the same id.
        assert_eq!(js.returns[0].description.as_deref(), Some("The [Widget](/reference/widget) object."));
        assert_eq!(js.returns[0].type_.as_deref(), Some("Widget"));
        // Diagnostics: the map without `self`, the unresolved item, the stale url.
        let mut c = codes(&diags);
        c.sort_unstable();
        assert_eq!(c, ["ref.description-map-without-self", "ref.unresolved", "reference.url-mismatch"]);
        let unresolved = diags.iter().find(|d| d.code == "ref.unresolved").expect("warned");
        assert_eq!((unresolved.file.as_str(), unresolved.line), ("reference/widget/get.mdx", 36));
        let url = diags.iter().find(|d| d.code == "reference.url-mismatch").expect("warned");
        assert_eq!(url.line, 23);
        let map = diags.iter().find(|d| d.code == "ref.description-map-without-self").expect("warned");
        assert_eq!((map.file.as_str(), map.line), ("reference/widget/index.mdx", 20));
        let s = idx.stats();
        assert_eq!((s.entries, s.description_refs, s.description_map_node, s.description_map_without_self), (5, 6, 1, 1));
        assert_eq!((s.item_refs, s.item_refs_unresolved, s.item_refs_cross_file), (5, 1, 4));
    }

    #[test]
    fn lookup_id_tolerates_hyphens_and_skips_reusable_entries() {
        let (idx, _) = build(&[("reference/widget/index.mdx", OBJECT), ("reference/widget/get.mdx", METHOD)]);
        assert_eq!(idx.lookup_id("reference/widget/get.mdx", "get_widget").map(|s| s.id.as_str()), Some("get-widget"));
        assert_eq!(idx.lookup_id("reference/widget/get.mdx", "get-widget").map(|s| s.id.as_str()), Some("get-widget"));
        assert!(idx.lookup_id("reference/widget/get.mdx", "widget").is_none());
        // `limit` (no id) is not an entry set.
        let ids: Vec<_> = idx.page_entries("reference/widget/index.mdx").iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["widget"]);
        assert!(idx.page_entries("missing.mdx").is_empty());
    }

    fn thing(desc: &str) -> String {
        format!("---\nreference:\n  curl:\n    - key: thing\n      type: string\n      description: {desc}\n---\n")
    }

    fn user(thing_ref: &str) -> String {
        format!("---\nreference:\n  curl:\n    - key: m\n      id: m\n      parameters:\n        - ({thing_ref})\n---\n")
    }

    #[test]
    fn nearest_directory_wins_and_ties_warn() {
        let (a, b, u) = (thing("from-a"), thing("from-b"), user("thing"));
        let (idx, diags) = build(&[("reference/x/index.mdx", &a), ("reference/y/z/index.mdx", &b), ("reference/y/z/m.mdx", &u)]);
        let p = &idx.page_entries("reference/y/z/m.mdx")[0].variants[0].parameters[0];
        assert_eq!(p.description.as_deref(), Some("from-b"));
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(idx.stats().item_refs_multi_candidate, 1);

        let (idx, diags) = build(&[("reference/x/index.mdx", &a), ("reference/y/index.mdx", &b), ("reference/m.mdx", &u)]);
        assert_eq!(codes(&diags), ["ref.ambiguous"]);
        assert_eq!(diags[0].line, 7);
        let p = &idx.page_entries("reference/m.mdx")[0].variants[0].parameters[0];
        assert_eq!(p.description.as_deref(), Some("from-a"));
    }

    #[test]
    fn same_file_wins_and_languages_do_not_mix() {
        let here = "---\nreference:\n  curl:\n    - key: thing\n      type: here\n    - key: m\n      id: m\n      parameters:\n        - (thing)\n  js:\n    - key: m\n      id: m\n      parameters:\n        - (thing)\n---\n";
        let (idx, diags) = build(&[("reference/a/index.mdx", &thing("x")), ("reference/a/m.mdx", here)]);
        let set = &idx.page_entries("reference/a/m.mdx")[0];
        assert_eq!(set.variants[0].parameters[0].type_.as_deref(), Some("here"));
        assert_eq!(codes(&diags), ["ref.unresolved"], "js has no `thing`");
        assert_eq!(diags[0].line, 14);
    }

    #[test]
    fn cyclic_references_terminate() {
        let text = "---\nreference:\n  curl:\n    - key: a\n      id: a\n      properties:\n        - (b)\n        - (a.x.y)\n        - key: x\n          properties:\n            - (a.x)\n    - key: b\n      id: b\n      properties:\n        - (a)\n---\n";
        let (idx, _) = build(&[("reference/c.mdx", text)]);
        assert_eq!(idx.page_entries("reference/c.mdx").len(), 2);
    }

    #[test]
    fn bad_shapes_are_diagnostics_not_panics() {
        let text = "---\nreference:\n  curl:\n    - 3\n    - title: no key\n    - key: k\n      parameters:\n        - not a ref\n        - key: x\n          description: 7\n  js: nope\n---\n";
        let (idx, diags) = build(&[("reference/bad.mdx", text), ("reference/worse.mdx", "---\nreference: 3\n---\n")]);
        assert_eq!(idx.stats().entries, 1);
        assert_eq!(codes(&diags).iter().filter(|c| **c == "reference.invalid").count(), 5);
    }

    #[test]
    fn nbsp_and_block_scalars_are_trimmed_text() {
        let text = "---\ndescriptions:\n  a: \"Admin\\_Portal\"\n  b: |\n    \"x\" | \"y\"\nreference:\n  curl:\n    - key: k\n      id: k\n      properties:\n        - key: p\n          type: |\n            \"x\" | \"y\"\n          description: (a)\n        - key: q\n          description: (b)\n---\n";
        let (idx, diags) = build(&[("reference/k.mdx", text)]);
        assert!(diags.is_empty(), "{diags:?}");
        let props = &idx.page_entries("reference/k.mdx")[0].variants[0].properties;
        assert_eq!(props[0].type_.as_deref(), Some("\"x\" | \"y\""));
        assert_eq!(props[0].description.as_deref(), Some("Admin\u{a0}Portal"));
        assert_eq!(props[1].description.as_deref(), Some("\"x\" | \"y\""));
    }
}
