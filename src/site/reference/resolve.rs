//! Pass 2 of the reference index: bare `(Key.prop)` items resolved per language, same file
//! first, then the nearest path; cycles and depth are bounded.

use super::parse::{RawEntry, RawFile, RawItem};
use super::*;

/// What a bare `(ref)` names: a whole entry or one item inside an entry.
#[derive(Clone, Copy)]
pub(super) enum Target<'r> {
    Entry(usize, usize),
    Item(usize, &'r RawItem),
}

/// (file index, entry index) into the raw files.
pub(super) type EntryAt = (usize, usize);

/// Per-resolution state: nesting depth, whether to report, and objects being expanded.
pub(super) struct Cx {
    pub(super) depth: usize,
    pub(super) report: bool,
    pub(super) stack: Vec<EntryAt>,
}

/// Pass 2: bare item refs, per language, with the same-file / nearest-path precedence.
pub(super) struct Resolver<'r> {
    pub(super) files: &'r [RawFile<'r>],
    /// lang → key → (file, entry), in source order.
    pub(super) names: HashMap<&'r str, HashMap<&'r str, Vec<EntryAt>>>,
    /// Entry id → files defining it, for inline `url`/`id` links.
    pub(super) ids: HashMap<&'r str, Vec<usize>>,
    pub(super) diags: Vec<Diagnostic>,
    pub(super) stats: RefStats,
    /// Active `lookup` calls.
    pub(super) nesting: usize,
}

impl<'r> Resolver<'r> {
    pub(super) fn new(files: &'r [RawFile<'r>]) -> Self {
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

    pub(super) fn entry(&self, fi: usize, ei: usize) -> &'r RawEntry {
        &self.files[fi].entries[ei]
    }

    pub(super) fn resolve_entry(&mut self, fi: usize, ei: usize) -> ResolvedEntry {
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

    pub(super) fn items(&mut self, fi: usize, lang: &str, items: &'r [RawItem], cx: &mut Cx) -> Vec<ResolvedItem> {
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

    pub(super) fn item(&mut self, fi: usize, lang: &str, it: &'r RawItem, cx: &mut Cx, out: &mut Vec<ResolvedItem>) {
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
    pub(super) fn spliced_entry(&mut self, tf: usize, te: usize, cx: &mut Cx) -> ResolvedItem {
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
    pub(super) fn link(&self, url: &str, id: &str) -> String {
        let files = self.ids.get(id).map(Vec::as_slice).unwrap_or(&[]);
        let page =
            files.iter().map(|&f| self.files[f].src.url).find(|u| *u == url).or_else(|| files.first().map(|&f| self.files[f].src.url));
        format!("{}#{id}", page.unwrap_or(url))
    }

    /// Find what `(path)` names in `lang`, preferring the same file, then the nearest path.
    pub(super) fn lookup(&mut self, fi: usize, lang: &str, path: &str, line: u32, report: bool) -> Option<Target<'r>> {
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

    pub(super) fn lookup_nested(&mut self, fi: usize, lang: &str, path: &str, line: u32, report: bool) -> Option<Target<'r>> {
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
    pub(super) fn descend(&mut self, at: Target<'r>, lang: &str, rest: &[&str], depth: usize) -> Option<Target<'r>> {
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
pub(super) fn find_child<'r>(items: &'r [RawItem], seg: &str, depth: usize) -> Option<&'r RawItem> {
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
pub(super) fn shared_dirs(a: &str, b: &str) -> usize {
    let dir = |p: &'_ str| p.rsplit_once('/').map_or("", |(d, _)| d).to_string();
    let (a, b) = (dir(a), dir(b));
    a.split('/').zip(b.split('/')).take_while(|(x, y)| x == y).count()
}
