//! Block syntaxes read line by line before comrak parses a document: directive containers
//! (`:::note`, `:::tip[Title]`, `::: danger Title`, `:::caution{title="…"}`, nested with more
//! colons), Python-Markdown admonitions, details and tabs (`!!! note "T"`, `??? tip`, `===
//! "Label"`, holding the indented lines after them, which are dedented), heading suffixes (the dialect's `{{ … }}`, other tools' `{#custom-id}`), and the
//! callout kinds of containers and GitHub alerts (`> [!NOTE]`).
//! A container's opening and closing lines become blank lines, so every other line keeps its
//! number; the walk then gathers the blocks between them (see `Walker::containers`).
//! Architecture invariant: lines inside fenced code are never read as syntax; one pass over
//! the lines, each line looked at once; every switch of [`Syntax`] that is off leaves its
//! syntax as text.

use crate::convention::Syntax;
use crate::model::fence::FenceTracker;
use crate::parse::slug::{HeadingAttrs, split_custom_id, split_heading_suffix};
use std::borrow::Cow;
use std::cell::Cell;
use std::collections::HashMap;

/// A directive container found in a document.
#[derive(Debug)]
pub(crate) struct Container {
    /// The directive's name, lowercased (`note`, `details`, `code-group`).
    pub(crate) name: String,
    /// `[Title]`, `{title="…"}` or the text after the name.
    pub(crate) title: Option<String>,
    /// 1-based lines of the opening and closing markers; `None`: unclosed (to the end).
    pub(crate) open: usize,
    pub(crate) close: Option<usize>,
    /// Colons of the opening marker.
    colons: usize,
    /// Shown open (`???+` details, `===` tabs).
    pub(crate) expanded: bool,
    /// Set once the walk has gathered its blocks.
    pub(crate) done: Cell<bool>,
}

impl Container {
    /// Does a block spanning lines `start..=end` sit inside this container?
    pub(crate) fn holds(&self, start: usize, end: usize) -> bool {
        start > self.open && self.close.is_none_or(|c| end < c)
    }
}

/// What the line pass found in one document.
#[derive(Debug, Default)]
pub(crate) struct Marks {
    /// Heading attributes by 1-based line (the `{{ … }}` suffix, or a `{#id}` as `url`).
    pub(crate) headings: HashMap<usize, Result<HeadingAttrs, String>>,
    /// Containers, in order of their opening lines.
    pub(crate) containers: Vec<Container>,
    /// Stray closing markers (1-based lines), removed.
    pub(crate) stray: Vec<usize>,
}

/// Read `md` line by line: strip the heading suffixes and container markers that `syntax`
/// turns on, outside fences.
pub(crate) fn prepare<'a>(md: &'a str, syntax: &Syntax) -> (Cow<'a, str>, Marks) {
    let mut marks = Marks::default();
    let attrs = syntax.heading_attrs && md.contains("{{");
    let ids = syntax.custom_heading_ids && md.contains("{#");
    let containers = syntax.containers && md.contains(":::");
    let admonitions = syntax.admonitions && ["!!!", "???", "==="].iter().any(|m| md.contains(m));
    if !(attrs || ids || containers || admonitions) {
        return (md.into(), marks);
    }
    let mut out = String::with_capacity(md.len());
    let mut fences = FenceTracker::default();
    let mut stack: Vec<usize> = Vec::new();
    let mut indented: Vec<Indented> = Vec::new();
    let mut lines = 0;
    for (i, line) in md.split_inclusive('\n').enumerate() {
        lines = i + 1;
        let line = &*dedent(line, i, &mut indented, &mut marks);
        let body = line.trim_end_matches('\n');
        let eol = &line[body.len()..];
        if fences.code_line(line) {
            out.push_str(line);
            continue;
        }
        let t = body.trim_start();
        if admonitions && let Some((name, title, expanded)) = admonition(t) {
            let out_indent = body.len() - t.len();
            // The block is the lines indented four columns past the marker.
            indented.push(Indented {
                container: marks.containers.len(),
                body: out_indent + 4 + indent_removed(&indented),
                out: out_indent,
            });
            marks.containers.push(Container { name, title, open: i + 1, close: None, colons: 0, expanded, done: Cell::new(false) });
            out.push_str(eol);
            continue;
        }
        if containers && t.starts_with(":::") {
            let colons = t.bytes().take_while(|&b| b == b':').count();
            let rest = t[colons..].trim();
            if rest.is_empty() {
                match stack.last() {
                    Some(&top) if colons >= marks.containers[top].colons => {
                        marks.containers[top].close = Some(i + 1);
                        stack.pop();
                    }
                    Some(_) => {
                        out.push_str(line);
                        continue;
                    }
                    None => marks.stray.push(i + 1),
                }
                out.push_str(eol);
                continue;
            }
            if let Some((name, title)) = opener(rest) {
                stack.push(marks.containers.len());
                marks.containers.push(Container { name, title, open: i + 1, close: None, colons, expanded: false, done: Cell::new(false) });
                out.push_str(eol);
                continue;
            }
        }
        let hashes = t.bytes().take_while(|&b| b == b'#').count();
        if (attrs || ids) && (1..=6).contains(&hashes) && t[hashes..].starts_with(' ') {
            if let Some((head, parsed)) = split_heading_suffix(body).filter(|_| attrs) {
                marks.headings.insert(i + 1, parsed);
                out.push_str(head);
                out.push_str(eol);
                continue;
            }
            if let Some((head, id)) = split_custom_id(body).filter(|_| ids) {
                let a = HeadingAttrs { url: Some(id.to_string()), in_toc: true, other: Vec::new() };
                marks.headings.insert(i + 1, Ok(a));
                out.push_str(head);
                out.push_str(eol);
                continue;
            }
        }
        out.push_str(line);
    }
    for open in indented {
        marks.containers[open.container].close = Some(lines + 1);
    }
    (out.into(), marks)
}

/// An open indented block (admonition, details, tab): the source column its lines start at,
/// and the column its marker has in the output.
struct Indented {
    container: usize,
    body: usize,
    out: usize,
}

/// Columns the innermost open block removes from its lines.
fn indent_removed(open: &[Indented]) -> usize {
    open.last().map_or(0, |o| o.body - o.out)
}

/// Close the open indented blocks a line is not indented enough for (a blank line closes
/// nothing), then strip the columns the innermost one that remains removes.
fn dedent<'l>(line: &'l str, i: usize, open: &mut Vec<Indented>, marks: &mut Marks) -> Cow<'l, str> {
    if open.is_empty() {
        return line.into();
    }
    let text = line.trim_end_matches('\n');
    if text.trim().is_empty() {
        return line[text.len()..].into();
    }
    let columns = text.len() - text.trim_start_matches(' ').len();
    while open.last().is_some_and(|o| columns < o.body) {
        if let Some(o) = open.pop() {
            marks.containers[o.container].close = Some(i + 1);
        }
    }
    let strip = indent_removed(open).min(columns);
    if strip == 0 { line.into() } else { line[strip..].to_string().into() }
}

/// `!!! note "Title"`, `??? tip`, `???+ warning "T"`, `=== "Label"`: (name, title, expanded).
/// An empty title (`!!! note ""`) leaves the kind's own label.
fn admonition(t: &str) -> Option<(String, Option<String>, bool)> {
    let (marker, rest) = t.split_once(' ')?;
    let quoted = |s: &str| s.trim().strip_prefix('"').and_then(|r| r.strip_suffix('"')).map(str::to_owned);
    if matches!(marker, "===" | "===!" | "===+") {
        return Some(("details".into(), Some(quoted(rest)?).filter(|l| !l.is_empty()), true));
    }
    if !matches!(marker, "!!!" | "???" | "???+") {
        return None;
    }
    let (kind, title) = match rest.find('"') {
        Some(q) => (&rest[..q], quoted(&rest[q..])?),
        None => (rest, String::new()),
    };
    // The first class is the kind (`!!! note inline end`).
    let kind = kind.split_whitespace().next()?.to_ascii_lowercase();
    if !kind.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        return None;
    }
    let title = Some(title).filter(|t| !t.is_empty());
    if marker == "!!!" {
        return Some((kind, title, false));
    }
    let label = title.unwrap_or_else(|| match shape(&kind) {
        Shape::Callout(_, label) => label.to_owned(),
        _ => crate::model::humanize(&kind),
    });
    Some(("details".into(), Some(label), marker == "???+"))
}

/// `name[Label]{key="v"} rest` after the colons: (lowercased name, title).
fn opener(rest: &str) -> Option<(String, Option<String>)> {
    let name_len = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_')).unwrap_or(rest.len());
    if name_len == 0 || !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let name = rest[..name_len].to_ascii_lowercase();
    let mut tail = &rest[name_len..];
    let mut title = None;
    if let Some(after) = tail.strip_prefix('[') {
        // A label may hold brackets of its own (`[Use \`a[0]\`]`): match depth.
        let mut depth = 1usize;
        let end = after.char_indices().find_map(|(k, c)| {
            match c {
                '[' => depth += 1,
                ']' => depth -= 1,
                _ => {}
            }
            (depth == 0).then_some(k)
        });
        let end = end.unwrap_or(after.len());
        title = Some(after[..end].trim().to_string());
        tail = after.get(end + 1..).unwrap_or("");
    }
    let tail = tail.trim_start();
    let tail = match tail.strip_prefix('{') {
        Some(attrs) => {
            let end = attrs.find('}').unwrap_or(attrs.len());
            if let Some(t) = attr_title(&attrs[..end]) {
                title = Some(t);
            }
            attrs.get(end + 1..).unwrap_or("")
        }
        None => tail,
    };
    let tail = tail.trim();
    if title.is_none() && !tail.is_empty() {
        title = Some(tail.to_string());
    }
    Some((name, title.filter(|t| !t.is_empty())))
}

/// `title="…"` (or `'…'`, or bare) inside a directive's `{…}` attributes.
fn attr_title(attrs: &str) -> Option<String> {
    let at = attrs.find("title=")?;
    let v = &attrs[at + 6..];
    let v = match v.chars().next() {
        Some(q @ ('"' | '\'')) => &v[1..v[1..].find(q).map_or(v.len(), |e| e + 1)],
        _ => v.split_whitespace().next().unwrap_or(""),
    };
    Some(v.to_string())
}

/// How a container or alert is shown: a callout of a kind the theme styles, an accordion,
/// or (an unknown directive) a plain group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// A callout: (`data-kind` the theme styles, label shown when there is no title).
    Callout(&'static str, &'static str),
    /// VitePress `::: details`.
    Details,
    /// A directive vellum does not know: its content, unlabelled.
    Group,
}

/// The shape of directive or alert `name` (lowercase).
pub(crate) fn shape(name: &str) -> Shape {
    match name {
        "note" => Shape::Callout("note", "Note"),
        "info" => Shape::Callout("note", "Info"),
        "tip" => Shape::Callout("tip", "Tip"),
        "success" => Shape::Callout("tip", "Success"),
        "important" => Shape::Callout("important", "Important"),
        "warning" => Shape::Callout("warning", "Warning"),
        "caution" => Shape::Callout("warning", "Caution"),
        "danger" => Shape::Callout("warning", "Danger"),
        // Material for MkDocs' kinds (and their aliases), as the nearest styled kind.
        "abstract" | "summary" | "tldr" => Shape::Callout("note", "Abstract"),
        "question" | "help" | "faq" => Shape::Callout("note", "Question"),
        "example" => Shape::Callout("note", "Example"),
        "quote" | "cite" => Shape::Callout("note", "Quote"),
        "hint" => Shape::Callout("tip", "Hint"),
        "check" | "done" => Shape::Callout("tip", "Success"),
        "attention" => Shape::Callout("warning", "Attention"),
        "error" => Shape::Callout("warning", "Error"),
        "failure" | "fail" | "missing" => Shape::Callout("warning", "Failure"),
        "bug" => Shape::Callout("warning", "Bug"),
        "details" => Shape::Details,
        _ => Shape::Group,
    }
}

/// The kind of a GitHub alert's first line (`[!NOTE]`, any case), when it is one.
pub(crate) fn alert_kind(first_line: &str) -> Option<&'static str> {
    let inner = first_line.trim().strip_prefix("[!")?.strip_suffix(']')?;
    let name = inner.to_ascii_lowercase();
    ["note", "tip", "important", "warning", "caution"].into_iter().find(|k| *k == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convention::{Kind, Profile};

    fn on() -> Syntax {
        crate::convention::Profile::of(crate::convention::Kind::Docusaurus, "").syntax
    }

    #[test]
    fn containers_keep_lines_and_nest() {
        let md = "::::tip[Outer **bold**]\nA\n:::note\nB\n:::\n::::\n```md\n:::note\n```\n";
        let (out, m) = prepare(md, &on());
        assert_eq!(out, "\nA\n\nB\n\n\n```md\n:::note\n```\n");
        let got: Vec<_> = m.containers.iter().map(|c| (c.name.as_str(), c.title.as_deref(), c.open, c.close)).collect();
        assert_eq!(got, [("tip", Some("Outer **bold**"), 1, Some(6)), ("note", None, 3, Some(5))]);
    }

    #[test]
    fn admonitions_hold_their_indented_lines() {
        let on = Profile::of(Kind::Mkdocs, "").syntax;
        let md =
            "!!! note \"Read *this*\"\n    A\n\n    ```sh\n    x\n    ```\n\n    ??? tip\n        B\n\n    C\nD\n=== \"One\"\n\n    E\n";
        let (out, m) = prepare(md, &on);
        assert_eq!(out, "\nA\n\n```sh\nx\n```\n\n\nB\n\nC\nD\n\n\nE\n");
        let got: Vec<_> = m.containers.iter().map(|c| (c.name.as_str(), c.title.as_deref(), c.open, c.close, c.expanded)).collect();
        let want = [
            ("note", Some("Read *this*"), 1, Some(12), false),
            ("details", Some("Tip"), 8, Some(11), false),
            ("details", Some("One"), 13, Some(16), true),
        ];
        assert_eq!(got, want);
        assert_eq!(admonition("!!! warning inline end \"\""), Some(("warning".into(), None, false)));
        assert_eq!(admonition("???+ bug"), Some(("details".into(), Some("Bug".into()), true)));
        assert_eq!(admonition("!!! \"no kind\""), None);
        assert_eq!(admonition("!!!important"), None);
        // Off (every other tool): text.
        assert_eq!(prepare(md, &Profile::of(Kind::Docusaurus, "").syntax).0, md);
    }

    #[test]
    fn opener_forms() {
        assert_eq!(opener("caution Title here"), Some(("caution".into(), Some("Title here".into()))));
        assert_eq!(opener("danger{title=\"Look out\"}"), Some(("danger".into(), Some("Look out".into()))));
        assert_eq!(opener("tip[a [b] c]"), Some(("tip".into(), Some("a [b] c".into()))));
        assert_eq!(opener("NOTE"), Some(("note".into(), None)));
        assert_eq!(opener("tip[unclosed"), Some(("tip".into(), Some("unclosed".into()))));
        assert_eq!(opener("{x}"), None);
        assert_eq!(opener("9x"), None);
    }

    #[test]
    fn unclosed_and_stray_markers() {
        let (out, m) = prepare(":::\nA\n:::warning\nB\n", &on());
        assert_eq!(out, "\nA\n\nB\n");
        assert_eq!((m.stray.as_slice(), m.containers[0].close), (&[1][..], None));
        // Fewer colons than the open container: text.
        let (out, m) = prepare("::::note\n:::\n::::\n", &on());
        assert_eq!((out.as_ref(), m.containers[0].close), ("\n:::\n\n", Some(3)));
    }

    #[test]
    fn switches_off_leave_text() {
        let off = crate::convention::Profile::default().syntax;
        let md = ":::note\nA\n:::\n## T {#x}\n";
        assert_eq!(prepare(md, &off).0, md);
        let (out, m) = prepare(md, &on());
        assert_eq!(out, "\nA\n\n## T\n");
        assert_eq!(m.headings[&4].as_ref().unwrap().url.as_deref(), Some("x"));
    }

    #[test]
    fn heading_suffixes_outside_fences_only() {
        let off = crate::convention::Profile::default().syntax;
        let md = "## A {{ \"url\": \"x\" }}\n```\n## B {{ \"url\": \"y\" }}\n```\n";
        let (out, m) = prepare(md, &off);
        assert_eq!(out, "## A\n```\n## B {{ \"url\": \"y\" }}\n```\n");
        assert_eq!(m.headings.len(), 1);
        assert_eq!(m.headings[&1].as_ref().unwrap().url.as_deref(), Some("x"));
    }

    #[test]
    fn alerts() {
        assert_eq!(alert_kind("[!NOTE]"), Some("note"));
        assert_eq!(alert_kind(" [!Warning] "), Some("warning"));
        assert_eq!(alert_kind("[!NOPE]"), None);
        assert_eq!(alert_kind("[!NOTE] text"), None);
    }
}
