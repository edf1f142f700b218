//! Partials and imported values: `<X prop="v">children</X>` where the page imports `X` from an
//! `.mdx`/`.md` file inlines that file's body at that place, rendered as part of the page (its
//! headings join the page's outline); `{props.x}` (and a bare `{x}`, as Mintlify writes it) in
//! the partial shows the literal prop values, `{props.children}` the element's children. Names
//! bound by `export const` or by a raw import (`?raw`, `raw-loader`) are replaced in component
//! attributes (`code={code}`) and element content (`<CodeBlock>{Source}</CodeBlock>`).
//!
//! Links in a partial are left as written and resolve from the page that shows it: an MDX
//! partial compiles to a component whose output is part of that page. A partial sees its own
//! exports and props, never the page's (as in MDX). Its parse and import diagnostics, and the
//! ones about the partials it includes, name the partial's file, once per page.
//!
//! Invariant: pure (the files come in [`Includes`], read by the compiler); a cycle, nesting past
//! [`MAX_DEPTH`] and expansion past [`MAX_EXPANSION`] bytes per page are warnings that leave the
//! element out, so a page's work stays linear in what it shows.

use super::components;
use super::markdown::Walker;
use crate::diagnostics::Diagnostic;
use crate::parse::imports::{self, Esm, ImportKind};
use crate::parse::mdx::{self, AttrValue, Bound, CHILDREN, Element, MdxDoc};
use crate::parse::{ParsedPage, frontmatter};
use crate::source::{self, SourceFile};
use serde_json::Value;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

/// Partials nested deeper than this are not inlined.
pub const MAX_DEPTH: usize = 16;
/// Source bytes one page may inline in all (per rendering pass).
pub const MAX_EXPANSION: usize = 16 << 20;

/// The texts of every file some page imports, by path from the source root.
#[derive(Debug)]
pub struct Includes {
    files: HashMap<String, String>,
    key: blake3::Hash,
}

impl Default for Includes {
    fn default() -> Self {
        Self { files: HashMap::new(), key: blake3::hash(b"") }
    }
}

impl Includes {
    /// The files `pages` import, directly or through partials: partials and pages from the
    /// tree, other files read from `root`, refused when they resolve outside it (through a
    /// symlink: `mdx.import-outside-root`) unless `allow_outside`.
    pub fn load(
        root: &Path,
        pages: &[std::sync::Arc<ParsedPage>],
        partials: &[SourceFile],
        allow_outside: bool,
    ) -> (Self, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let known: HashMap<&str, &str> = partials
            .iter()
            .filter_map(|f| Some((f.rel.as_str(), f.text.as_deref()?)))
            .chain(pages.iter().map(|p| (p.rel.as_str(), p.raw.as_str())))
            .collect();
        let canon = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let mut files = HashMap::new();
        let mut todo: Vec<(String, imports::Import)> =
            pages.iter().flat_map(|p| p.esm.imports.iter().map(|i| (p.rel.clone(), i.clone()))).collect();
        let mut seen = HashSet::new();
        while let Some((from, import)) = todo.pop() {
            if !seen.insert(import.rel.clone()) {
                continue;
            }
            // A file discovery left out (a `_`-prefixed page in some conventions, a snippet
            // folder) is still importable by path, once it is known to stay inside the root.
            let text = match known.get(import.rel.as_str()) {
                Some(t) => Some(t.to_string()),
                None => {
                    let path = root.join(&import.rel);
                    if !allow_outside && let Some(real) = source::outside_root(&canon, &path) {
                        let msg = format!("`{}` resolves outside the source root ({}); it is not read", import.rel, real.display());
                        diags.push(Diagnostic::warning(&from, import.line, import.col, "mdx.import-outside-root", msg));
                        continue;
                    }
                    std::fs::read_to_string(path).ok()
                }
            };
            let Some(text) = text else { continue };
            if import.kind != ImportKind::Raw {
                let (split, _) = frontmatter::split(&import.rel, &text);
                let (esm, _) = imports::read(&import.rel, split.body, split.body_line);
                todo.extend(esm.imports.into_iter().map(|i| (import.rel.clone(), i)));
            }
            files.insert(import.rel, text);
        }
        let mut h = blake3::Hasher::new();
        let sorted: BTreeMap<&String, &String> = files.iter().collect();
        for (rel, text) in sorted {
            h.update(rel.as_bytes()).update(&[0]).update(blake3::hash(text.as_bytes()).as_bytes());
        }
        (Self { files, key: h.finalize() }, diags)
    }

    /// A hash of every file's path and text: part of the render key of a page that imports.
    pub fn key(&self) -> blake3::Hash {
        self.key
    }

    /// Does some page import the file `rel`?
    pub fn contains(&self, rel: &str) -> bool {
        self.files.contains_key(rel)
    }

    fn text(&self, rel: &str) -> Option<&str> {
        self.files.get(rel).map(String::as_str)
    }
}

/// One partial being inlined.
#[derive(Debug)]
struct Frame {
    rel: String,
    esm: Esm,
    props: BTreeMap<String, Value>,
    children: Option<MdxDoc>,
}

/// The partials a rendering pass is inside, and what it has inlined so far.
#[derive(Debug, Default)]
pub(crate) struct Frames {
    stack: Vec<Frame>,
    expanded: usize,
    reported: HashSet<String>,
}

/// Render `el`: inline it when it names an imported partial, else render it as a component,
/// with the names it uses bound first.
pub(crate) fn render_element(w: &mut Walker<'_, '_>, el: &Element) -> String {
    if el.name == CHILDREN {
        // The children belong to the document that inlined the partial.
        let Some(frame) = w.partials.stack.pop() else { return String::new() };
        let out = frame.children.as_ref().map(|c| w.render_doc(c)).unwrap_or_default();
        w.partials.stack.push(frame);
        return strip_p(out, el.inline);
    }
    let import = scope(w).import(&el.name).filter(|i| i.kind == ImportKind::Partial).cloned();
    if let Some(import) = import {
        return inline(w, el, &import.rel);
    }
    match bind(w, el) {
        Cow::Borrowed(el) => components::render_element(w, el),
        Cow::Owned(el) => components::render_element(w, &el),
    }
}

fn scope<'w>(w: &'w Walker<'_, '_>) -> &'w Esm {
    w.partials.stack.last().map_or(&w.page.esm, |f| &f.esm)
}

/// The value `name` stands for where `w` is: a prop, an `export const`, an imported file's
/// text or an imported partial's export.
fn value(w: &Walker<'_, '_>, name: &str) -> Option<Value> {
    if let Some(frame) = w.partials.stack.last() {
        let prop = name.strip_prefix("props.").unwrap_or(name);
        if let Some(v) = frame.props.get(prop) {
            return Some(v.clone());
        }
    }
    let esm = scope(w);
    if let Some(v) = esm.consts.get(name) {
        return Some(v.clone());
    }
    let import = esm.import(name)?;
    let text = w.ctx.includes.text(&import.rel)?;
    match &import.kind {
        ImportKind::Raw => Some(Value::String(text.to_string())),
        ImportKind::Export(n) => {
            let (split, _) = frontmatter::split(&import.rel, text);
            imports::read(&import.rel, split.body, split.body_line).0.consts.remove(n)
        }
        ImportKind::Partial => None,
    }
}

/// `el` with attribute expressions and an expression child that name a bound value replaced
/// by it (strings as strings, other literals as JSON, which attribute readers take as literals).
fn bind<'e>(w: &Walker<'_, '_>, el: &'e Element) -> Cow<'e, Element> {
    let has_names = !w.page.esm.imports.is_empty() || !w.page.esm.consts.is_empty() || !w.partials.stack.is_empty();
    if !has_names {
        return Cow::Borrowed(el);
    }
    let mut out = Cow::Borrowed(el);
    for (k, a) in el.attrs.iter().enumerate() {
        let AttrValue::Expr(e) = &a.value else { continue };
        let Some(v) = value(w, e.trim()) else { continue };
        out.to_mut().attrs[k].value = match v {
            Value::String(s) => AttrValue::Str(s),
            v => AttrValue::Expr(v.to_string()),
        };
    }
    if let Some(e) = &el.expression_child
        && let Some(v) = value(w, e.trim())
    {
        out.to_mut().expression_child = Some(imports::text_of(&v).unwrap_or_else(|| v.to_string()));
    }
    out
}

/// Inline the partial `rel` for `el`.
fn inline(w: &mut Walker<'_, '_>, el: &Element, rel: &str) -> String {
    let (line, col) = (el.line, el.col);
    // The element's position is in the file being rendered: the innermost partial, or the page.
    let file = w.partials.stack.last().map_or(&w.page.rel, |f| &f.rel).clone();
    // Once per problem and partial: a partial used 10,000 times is not 10,000 warnings.
    let warn = |w: &mut Walker<'_, '_>, code: &'static str, msg: String| {
        if w.partials.reported.insert(format!("{code} {rel}")) {
            w.out.diags.push(Diagnostic::warning(&file, line, col, code, msg));
        }
        String::new()
    };
    let Some(text) = w.ctx.includes.text(rel) else {
        return warn(w, "mdx.import-missing", format!("`<{}>`: the partial `{rel}` is not in the source tree; it is left out", el.name));
    };
    if rel == w.page.rel || w.partials.stack.iter().any(|f| f.rel == rel) {
        return warn(w, "mdx.import-cycle", format!("`<{}>` includes `{rel}` inside itself; the inner copy is left out", el.name));
    }
    if w.partials.stack.len() >= MAX_DEPTH {
        return warn(w, "mdx.import-too-deep", format!("partials nest deeper than {MAX_DEPTH} levels at `<{}>`; it is left out", el.name));
    }
    w.partials.expanded += text.len();
    if w.partials.expanded > MAX_EXPANSION {
        return warn(
            w,
            "mdx.import-too-large",
            format!("this page inlines more than {MAX_EXPANSION} bytes of partials; `<{}>` is left out", el.name),
        );
    }
    let mut props = BTreeMap::new();
    for a in &el.attrs {
        let v = match &a.value {
            AttrValue::Str(s) => Value::String(s.clone()),
            AttrValue::Bool => Value::Bool(true),
            AttrValue::Expr(e) => match value(w, e.trim()).or_else(|| crate::convention::js::literal(e)) {
                Some(v) => v,
                None => continue,
            },
        };
        props.insert(a.name.clone(), v);
    }
    let (split, _) = frontmatter::split(rel, text);
    let (esm, esm_diags) = imports::read(rel, split.body, split.body_line);
    let bound = |name: &str| {
        let prop = name.strip_prefix("props.").unwrap_or(name);
        if prop == "children" {
            return Some(Bound::Children);
        }
        props.get(prop).and_then(imports::text_of).map(Bound::Text).or_else(|| esm.bound(name))
    };
    let (doc, errs) = mdx::parse_with(split.body, split.body_line, &bound);
    if w.partials.reported.insert(rel.to_string()) {
        w.out.diags.extend(esm_diags);
        for e in errs {
            let d = if e.is_error() {
                Diagnostic::error(rel, e.line, e.col, e.code, e.message)
            } else {
                Diagnostic::warning(rel, e.line, e.col, e.code, e.message)
            };
            w.out.diags.push(d);
        }
    }
    w.partials.stack.push(Frame { rel: rel.to_string(), esm, props, children: el.children.clone() });
    let out = w.render_doc(&doc);
    w.partials.stack.pop();
    strip_p(out, el.inline)
}

/// Inside a line of text, a one-paragraph rendering loses its `<p>`.
fn strip_p(s: String, inline: bool) -> String {
    if !inline {
        return s;
    }
    let t = s.trim();
    match t.strip_prefix("<p>").and_then(|t| t.strip_suffix("</p>")).filter(|t| !t.contains("<p>")) {
        Some(t) => t.to_string(),
        None => s,
    }
}
