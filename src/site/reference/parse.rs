//! Pass 1 of the reference index: frontmatter JSON into raw entries, with every
//! `description: (ref)` resolved against the merged `descriptions` tree.

use super::{EntryKind, MAX_DEPTH, RefSource, RefStats};
use crate::diagnostics::Diagnostic;
use serde_json::{Map, Value};
use std::collections::HashSet;

/// `(a.b_c)` → `a.b_c`: a parenthesised dotted identifier and nothing else.
pub(super) fn ref_path(s: &str) -> Option<&str> {
    let inner = s.trim().strip_prefix('(')?.strip_suffix(')')?;
    let ok = !inner.is_empty()
        && !inner.starts_with('.')
        && !inner.ends_with('.')
        && inner.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | '$'));
    ok.then_some(inner)
}

pub(super) fn walk<'v>(root: &'v Map<String, Value>, path: &str) -> Option<&'v Value> {
    let mut segs = path.split('.');
    let mut cur = root.get(segs.next()?)?;
    for seg in segs {
        cur = cur.as_object()?.get(seg)?;
    }
    Some(cur)
}

pub(super) fn text(v: Option<&Value>) -> Option<String> {
    let s = match v? {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => return None,
    };
    (!s.is_empty()).then_some(s)
}

pub(super) fn flag(v: Option<&Value>) -> bool {
    matches!(v, Some(Value::Bool(true)))
}

/// Advances through a file's text so repeated needles find their own occurrence.
pub(super) struct Lines<'a> {
    pub(super) raw: &'a str,
    pub(super) pos: usize,
    pub(super) line: u32,
}

impl<'a> Lines<'a> {
    pub(super) fn new(raw: &'a str) -> Self {
        let pos = raw.find("\nreference:").map_or(0, |i| i + 1);
        Self { raw, pos, line: 1 + count_nl(&raw[..pos]) }
    }

    /// 1-based line of the next occurrence of `needle` (0 when absent).
    pub(super) fn find(&mut self, needle: &str) -> u32 {
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

pub(super) fn count_nl(s: &str) -> u32 {
    s.bytes().filter(|&b| b == b'\n').count() as u32
}

pub(super) struct RawFile<'a> {
    pub(super) src: &'a RefSource<'a>,
    pub(super) entries: Vec<RawEntry>,
}

pub(super) struct RawEntry {
    pub(super) lang: String,
    pub(super) key: String,
    pub(super) id: Option<String>,
    pub(super) title: Option<String>,
    pub(super) type_: Option<String>,
    pub(super) description: Option<String>,
    /// `{curl key}.self` from `descriptions`, shown where the whole object is linked.
    pub(super) self_description: Option<String>,
    pub(super) kind: EntryKind,
    pub(super) optional: bool,
    pub(super) sends_email: bool,
    pub(super) pattern_before: Option<String>,
    pub(super) parameters: Vec<RawItem>,
    pub(super) returns: Vec<RawItem>,
    pub(super) properties: Vec<RawItem>,
}

pub(super) enum RawItem {
    Ref { path: String, line: u32 },
    Inline(Box<InlineItem>),
}

pub(super) struct InlineItem {
    pub(super) key: Option<String>,
    pub(super) type_: Option<String>,
    pub(super) description: Option<String>,
    pub(super) optional: bool,
    pub(super) unwrap: bool,
    pub(super) expanded: bool,
    /// `url` + `id` of a documented object, rarely set on `returns` items.
    pub(super) link: Option<(String, String)>,
    pub(super) properties: Vec<RawItem>,
}

/// Pass 1: frontmatter JSON → raw entries, with every `description: (ref)` resolved.
pub(super) struct Parser<'m> {
    pub(super) merged: &'m Map<String, Value>,
    pub(super) diags: Vec<Diagnostic>,
    pub(super) stats: RefStats,
    pub(super) warned_maps: HashSet<String>,
}

pub(super) struct FileCx<'a> {
    pub(super) src: &'a RefSource<'a>,
    pub(super) lines: Lines<'a>,
}

impl Parser<'_> {
    pub(super) fn parse_file<'a>(&mut self, src: &'a RefSource<'a>) -> RawFile<'a> {
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

    pub(super) fn invalid(&mut self, src: &RefSource<'_>, msg: String) {
        self.diags.push(Diagnostic::warning(src.file, 0, 0, "reference.invalid", msg));
    }

    pub(super) fn parse_entry(&mut self, cx: &mut FileCx<'_>, lang: &str, obj: &Map<String, Value>) -> Option<RawEntry> {
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

    pub(super) fn check_url(&mut self, cx: &mut FileCx<'_>, e: &RawEntry, v: &Value) {
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

    pub(super) fn items(&mut self, cx: &mut FileCx<'_>, v: &Value, depth: usize) -> Vec<RawItem> {
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

    pub(super) fn inline(&mut self, cx: &mut FileCx<'_>, obj: &Map<String, Value>, depth: usize) -> InlineItem {
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
    pub(super) fn description(&mut self, cx: &mut FileCx<'_>, v: &Value) -> Option<String> {
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

    pub(super) fn lookup_silent(&self, src: &RefSource<'_>, path: &str) -> Option<String> {
        let local = src.frontmatter.get("descriptions").and_then(Value::as_object).and_then(|m| walk(m, path));
        text(local.or_else(|| walk(self.merged, path)))
    }
}
