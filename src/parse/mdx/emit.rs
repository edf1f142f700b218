//! Pass 2 of the MDX layer: turn the scanned tree into [`MdxDoc`]s. Each level copies only
//! its own text: child elements become slot tokens plus empty lines, JSX comments become
//! spaces and ESM lines become empty, so every level keeps the line structure of the file.
//! Architecture invariant: each byte of the body is copied at most once, and recursion is
//! bounded by the scan's depth cap.

use super::lex;
use super::scan::{self, BlankKind, Node, RawError, Tree};
use super::{Bound, CHILDREN, Element, MdxDoc, slot_token};
use std::cell::Cell;
use std::ops::Range;

/// Byte offset ↔ line lookups for the body. Lookups come in near-document order, so each
/// one gallops from the previous answer instead of bisecting the whole table.
pub(super) struct Lines {
    starts: Vec<usize>,
    first_line: u32,
    hint: Cell<usize>,
}

impl Lines {
    pub(super) fn new(text: &str, first_line: u32) -> Self {
        let mut starts = vec![0];
        starts.extend(text.bytes().enumerate().filter(|&(_, c)| c == b'\n').map(|(i, _)| i + 1));
        Lines { starts, first_line, hint: Cell::new(0) }
    }

    /// 0-based index of the line holding `pos`.
    fn index(&self, pos: usize) -> usize {
        let s = &self.starts;
        let h = self.hint.get().min(s.len() - 1);
        let (mut lo, mut hi) = if s[h] <= pos {
            let mut step = 1;
            while h + step < s.len() && s[h + step] <= pos {
                step *= 2;
            }
            (h + step / 2, (h + step).min(s.len()))
        } else {
            let mut step = 1;
            while step <= h && s[h - step] > pos {
                step *= 2;
            }
            (h.saturating_sub(step), h - step / 2)
        };
        // Invariant: s[lo] <= pos (or lo == 0) and every line from `hi` on starts after pos.
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if s[mid] <= pos { lo = mid } else { hi = mid }
        }
        self.hint.set(lo);
        lo
    }

    fn start_of(&self, pos: usize) -> usize {
        self.starts[self.index(pos)]
    }

    /// 1-based file line and 1-based byte column of `pos`.
    pub(super) fn pos(&self, pos: usize) -> (u32, u32) {
        let i = self.index(pos);
        (self.first_line + i as u32, (pos - self.starts[i]) as u32 + 1)
    }

    fn newlines(&self, r: &Range<usize>) -> usize {
        self.index(r.end) - self.index(r.start)
    }
}

/// How one range of a level's text is rewritten.
enum Repl {
    Slot(usize),
    Blank(BlankKind),
    /// A `---` thematic break written as `***` (see [`Builder::setext_guard`]).
    Stars,
    /// A literal expression's value (`{' '}`, `{"text"}`, `` {`x`} ``, `{42}`), escaped.
    Text(String),
}

/// Builds documents from a scanned tree.
pub(super) struct Builder<'a> {
    pub(super) text: &'a str,
    pub(super) tree: &'a Tree,
    pub(super) lines: &'a Lines,
    /// Warnings found while building (expressions left in prose).
    pub(super) errors: Vec<RawError>,
    /// Names an expression in prose may stand for (`export const`s, a partial's props).
    pub(super) bindings: &'a dyn Fn(&str) -> Option<Bound>,
}

impl Builder<'_> {
    /// The document for the whole body.
    pub(super) fn root(&mut self) -> MdxDoc {
        self.doc(0, 0..self.text.len(), false)
    }

    /// The document for `node`'s content in `region`; `midline`: the region starts right
    /// after the opening tag, mid-line.
    fn doc(&mut self, node: usize, region: Range<usize>, midline: bool) -> MdxDoc {
        let tree = self.tree;
        let n = &tree.nodes[node];
        let mut repls: Vec<(Range<usize>, Repl)> = Vec::with_capacity(n.children.len() + n.blanks.len());
        let mut bound_slots = Vec::new();
        for e in &n.exprs {
            let src = &self.text[e.clone()];
            let inner = src[1..src.len() - 1].trim();
            match (self.bindings)(inner) {
                Some(Bound::Text(value)) => {
                    repls.push((e.clone(), Repl::Text(markdown_escape(&value))));
                    continue;
                }
                Some(Bound::Later) => {
                    repls.push((e.clone(), Repl::Blank(BlankKind::Spaces)));
                    continue;
                }
                Some(Bound::Children) => {
                    repls.push((e.clone(), Repl::Slot(n.children.len() + bound_slots.len())));
                    bound_slots.push(self.children_element(e));
                    continue;
                }
                None => {}
            }
            match lex::literal_text(&src[1..src.len() - 1]) {
                Some(value) if !src.contains('\n') => repls.push((e.clone(), Repl::Text(markdown_escape(&value)))),
                _ if src.starts_with("{{") || self.directive_braces(e.start) => {}
                // Only a JavaScript runtime could tell what it renders; its source is no text.
                _ => {
                    self.warn_expr(e.start, "a JSX expression in text is not evaluated; it is left out");
                    repls.push((e.clone(), Repl::Blank(BlankKind::Spaces)));
                }
            }
        }
        let mut blanks = n.blanks.iter().peekable();
        for (i, &c) in n.children.iter().enumerate() {
            let child = &tree.nodes[c];
            while let Some((r, k)) = blanks.next_if(|(r, _)| r.start < child.start) {
                repls.push((r.clone(), Repl::Blank(*k)));
            }
            repls.push((child.start..child.end(), Repl::Slot(i)));
            if let Some(dashes) = self.setext_guard(child).filter(|d| d.end <= region.end) {
                repls.push((dashes, Repl::Stars));
            }
        }
        repls.extend(blanks.map(|(r, k)| (r.clone(), Repl::Blank(*k))));
        repls.sort_by_key(|(r, _)| r.start);
        let dedent = if node == 0 { 0 } else { self.dedent(&region, midline, &repls) };
        let markdown = self.emit(&region, midline, dedent, &repls);
        let elements = n.children.iter().map(|&c| self.element(c)).chain(bound_slots).collect();
        let (first_line, _) = self.lines.pos(region.start);
        MdxDoc { markdown, elements, first_line, col_offset: dedent as u32 }
    }

    /// Braces no tool reads as JSX, kept as text without a warning: a heading's `{#custom-id}`
    /// or a directive container's `:::name{key="…"}` attributes (the render stage reads them
    /// where the convention defines them).
    fn directive_braces(&self, pos: usize) -> bool {
        let start = self.text[..pos].rfind('\n').map_or(0, |i| i + 1);
        let end = self.text[pos..].find('\n').map_or(self.text.len(), |i| pos + i);
        let (line, before, at) = (&self.text[start..end], &self.text[start..pos], &self.text[pos..end]);
        let t = line.trim_start();
        let heading_id = t.starts_with('#')
            && at.starts_with("{#")
            && crate::parse::slug::split_custom_id(line).is_some_and(|(h, _)| h.len() <= before.len());
        let container = t.starts_with(":::")
            && before
                .trim_start()
                .trim_start_matches(':')
                .trim_start()
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '[' | ']' | ' '));
        heading_id || container
    }

    /// The element standing for `{props.children}` at `e`: block when alone on its line.
    fn children_element(&self, e: &Range<usize>) -> Element {
        let (line, col) = self.lines.pos(e.start);
        let start = self.text[..e.start].rfind('\n').map_or(0, |i| i + 1);
        let end = self.text[e.end..].find('\n').map_or(self.text.len(), |i| e.end + i);
        let inline = !self.text[start..e.start].trim().is_empty() || !self.text[e.end..end].trim().is_empty();
        let name = CHILDREN.to_string();
        Element { name, attrs: Vec::new(), children: None, expression_child: None, inline, line, col }
    }

    fn warn_expr(&mut self, pos: usize, message: &str) {
        let hint = Some("escape `{` as `\\{`, or use a component attribute".to_string());
        self.errors.push(RawError { pos, code: "mdx.expression-unsupported", message: message.to_string(), hint });
    }

    fn element(&mut self, idx: usize) -> Element {
        let (tree, lines) = (self.tree, self.lines);
        let n: &Node = &tree.nodes[idx];
        let inline = self.is_inline(n);
        let (line, col) = lines.pos(n.start);
        let attrs = scan::attrs_of(n, |p| lines.pos(p));
        let (children, expression_child) = match &n.close {
            None => (None, None),
            Some(close) => match self.expression_child(n, close.start) {
                Some(e) => {
                    let (first_line, _) = lines.pos(n.open_end);
                    let empty = MdxDoc { markdown: String::new(), elements: Vec::new(), first_line, col_offset: 0 };
                    (Some(empty), Some(e))
                }
                None => {
                    let (region, midline) = self.child_region(n.open_end, close.start);
                    (Some(self.doc(idx, region, midline)), None)
                }
            },
        };
        Element { name: n.name.clone(), attrs, children, expression_child, inline, line, col }
    }

    /// Inside a line of text: it does not start its line, or it is followed by text on it.
    fn is_inline(&self, n: &Node) -> bool {
        let end = n.end();
        let rest = &self.text[end..self.text[end..].find('\n').map_or(self.text.len(), |k| end + k)];
        !n.at_line_start || (self.single_line(n) && !rest.trim().is_empty())
    }

    fn single_line(&self, n: &Node) -> bool {
        self.lines.index(n.start) == self.lines.index(n.end().saturating_sub(1))
    }

    /// The dashes of a `---` line right after a one-line block element. In MDX that line is
    /// a thematic break; after a token line comrak would read a setext underline, so the
    /// dashes become `*`s (also a thematic break, never an underline).
    fn setext_guard(&self, n: &Node) -> Option<Range<usize>> {
        if self.is_inline(n) || !self.single_line(n) {
            return None;
        }
        let end = n.end();
        let start = end + self.text[end..].find('\n')? + 1;
        let line = &self.text[start..self.text[start..].find('\n').map_or(self.text.len(), |k| start + k)];
        let indent = line.len() - line.trim_start_matches(' ').len();
        let dashes = line[indent..].trim_end();
        let is_break = indent <= 3 && dashes.len() >= 3 && dashes.bytes().all(|c| c == b'-');
        is_break.then(|| start + indent..start + indent + dashes.len())
    }

    /// The content of an element that is one `{…}` expression and nothing else: the text of
    /// a template literal, or (with a warning) the expression's source.
    fn expression_child(&mut self, n: &Node, close: usize) -> Option<String> {
        let [e] = n.exprs.as_slice() else { return None };
        let text = self.text;
        let only = n.children.is_empty() && text[n.open_end..e.start].trim().is_empty() && text[e.end..close].trim().is_empty();
        if !only {
            return None;
        }
        let inner = &text[e.start + 1..e.end - 1];
        match (self.bindings)(inner.trim()) {
            Some(Bound::Text(v)) => return Some(v),
            Some(Bound::Later) => return Some(inner.trim().to_string()),
            Some(Bound::Children) => return None,
            None => {}
        }
        // A one-line string literal (`{'text'}`) is text, evaluated with the rest of the content.
        if lex::template_text(inner).is_none() && lex::literal_text(inner).is_some() && !inner.contains('\n') {
            return None;
        }
        match lex::template_text(inner) {
            Some(t) if !t.contains("${") => Some(t),
            Some(t) => {
                self.warn_expr(e.start, "`${…}` in a template literal is not evaluated; it is kept as text");
                Some(t)
            }
            None => {
                self.warn_expr(e.start, "only a template literal (`` {`…`} ``) is supported as element content; the source is kept");
                Some(inner.trim().to_string())
            }
        }
    }

    /// The children's text between `open_end` and the closing tag at `close`: without the
    /// rest of the opening line when it is blank, and without the closing tag's line when
    /// nothing else is on it.
    fn child_region(&self, open_end: usize, close: usize) -> (Range<usize>, bool) {
        let (text, lines) = (self.text, self.lines);
        let open_line_end = text[open_end..].find('\n').map(|k| open_end + k);
        let (start, midline) = match open_line_end {
            Some(le) if le < close && text[open_end..le].trim().is_empty() => (le + 1, false),
            _ => (open_end + text[open_end..close].len() - text[open_end..close].trim_start_matches([' ', '\t']).len(), true),
        };
        let close_line = lines.start_of(close);
        let end = if close_line > start && text[close_line..close].trim().is_empty() { close_line - 1 } else { close };
        (start..end.max(start), midline)
    }

    /// The common indentation of the region's lines that are not blank and do not start
    /// inside a replaced range (a mid-line first line does not count).
    fn dedent(&self, region: &Range<usize>, midline: bool, repls: &[(Range<usize>, Repl)]) -> usize {
        let b = self.text.as_bytes();
        let mut min = usize::MAX;
        let mut ri = 0;
        let mut pos = region.start;
        let mut first = true;
        while pos < region.end {
            while repls.get(ri).is_some_and(|(r, _)| r.end <= pos) {
                ri += 1;
            }
            let inside = repls.get(ri).is_some_and(|(r, _)| r.start < pos);
            let le = b[pos..region.end].iter().position(|&c| c == b'\n').map_or(region.end, |k| pos + k);
            let counts = !(inside || first && midline);
            if counts {
                let line = &b[pos..le];
                let indent = line.iter().take_while(|&&c| c == b' ').count();
                if line[indent..].iter().any(|c| !c.is_ascii_whitespace()) {
                    min = min.min(indent);
                }
            }
            first = false;
            // Jump over a replaced range instead of walking its lines.
            pos = match repls.get(ri) {
                Some((r, _)) if r.start < le && r.end > le => self.text[r.end..].find('\n').map_or(region.end, |k| r.end + k) + 1,
                _ => le + 1,
            };
        }
        if min == usize::MAX { 0 } else { min }
    }

    fn emit(&self, region: &Range<usize>, midline: bool, dedent: usize, repls: &[(Range<usize>, Repl)]) -> String {
        let (text, b) = (self.text, self.text.as_bytes());
        let mut out = String::with_capacity(region.len());
        let mut pos = region.start;
        let mut at_line_start = !midline;
        let mut ri = 0;
        while pos < region.end {
            if at_line_start {
                at_line_start = false;
                let k = b[pos..region.end].iter().take(dedent).take_while(|&&c| c == b' ').count();
                pos += k;
                continue;
            }
            let next = repls.get(ri).map_or(usize::MAX, |(r, _)| r.start);
            if pos >= next {
                let (r, repl) = &repls[ri];
                ri += 1;
                match repl {
                    Repl::Slot(i) => {
                        out.push_str(&slot_token(*i));
                        out.extend(std::iter::repeat_n('\n', self.lines.newlines(r)));
                    }
                    Repl::Blank(BlankKind::Lines) => out.extend(std::iter::repeat_n('\n', self.lines.newlines(r))),
                    Repl::Stars => out.extend(std::iter::repeat_n('*', r.len())),
                    Repl::Text(t) => out.push_str(t),
                    Repl::Blank(BlankKind::Spaces) => out.extend(b[r.clone()].iter().map(|&c| if c == b'\n' { '\n' } else { ' ' })),
                }
                pos = r.end.max(pos);
                continue;
            }
            let stop = next.min(region.end);
            match b[pos..stop].iter().position(|&c| c == b'\n') {
                Some(k) => {
                    out.push_str(&text[pos..pos + k + 1]);
                    pos += k + 1;
                    at_line_start = true;
                }
                None => {
                    out.push_str(&text[pos..stop]);
                    pos = stop;
                }
            }
        }
        out
    }
}

/// `text` with Markdown's punctuation escaped, so a literal's value reads as plain text.
fn markdown_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(if c == '\n' || c == '\t' { ' ' } else { c });
    }
    out
}
