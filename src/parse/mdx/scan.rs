//! Pass 1 of the MDX layer: one left-to-right scan of the body that skips fences and code
//! spans and builds a flat tree of elements (byte ranges, no text copied), plus the ranges
//! to blank out (JSX comments, ESM) and the `{…}` expressions left in prose.
//! Architecture invariant: no recursion and no rescans; elements deeper than
//! [`MAX_DEPTH`](super::lex::MAX_DEPTH) are kept as text.

use super::lex::{self, Budget, MAX_DEPTH, Tag};
use super::{Attr, AttrValue};
use std::ops::Range;

/// How a blanked range is rewritten.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum BlankKind {
    /// Every byte becomes a space (newlines kept): JSX comments.
    Spaces,
    /// The lines become empty: ESM.
    Lines,
}

/// One element found by the scan. Positions are byte offsets into the body.
pub(super) struct Node {
    pub(super) name: String,
    pub(super) attrs: Vec<(String, AttrValue, usize)>,
    /// The `<` of the opening tag.
    pub(super) start: usize,
    /// The byte after the opening tag's `>`.
    pub(super) open_end: usize,
    /// The closing tag's range; `None` for self-closing (or unclosed, recovered) elements.
    pub(super) close: Option<Range<usize>>,
    /// The `<` is the first thing on its line (after indentation and a list marker).
    pub(super) at_line_start: bool,
    /// Direct child elements, in order.
    pub(super) children: Vec<usize>,
    /// Ranges to blank directly inside this element, in order.
    pub(super) blanks: Vec<(Range<usize>, BlankKind)>,
    /// `{…}` expressions in prose directly inside this element, in order.
    pub(super) exprs: Vec<Range<usize>>,
}

impl Node {
    fn new(name: String, start: usize, open_end: usize) -> Self {
        Node {
            name,
            attrs: Vec::new(),
            start,
            open_end,
            close: None,
            at_line_start: false,
            children: Vec::new(),
            blanks: Vec::new(),
            exprs: Vec::new(),
        }
    }

    /// The byte after the element (its closing tag, or its opening tag when self-closing).
    pub(super) fn end(&self) -> usize {
        self.close.as_ref().map_or(self.open_end, |c| c.end)
    }
}

/// A problem at a byte position.
pub(super) struct RawError {
    pub(super) pos: usize,
    pub(super) code: &'static str,
    pub(super) message: String,
    pub(super) hint: Option<String>,
}

/// The scan's result: `nodes[0]` is the body itself.
pub(super) struct Tree {
    pub(super) nodes: Vec<Node>,
    pub(super) errors: Vec<RawError>,
}

struct Scanner<'a> {
    text: &'a str,
    b: &'a [u8],
    nodes: Vec<Node>,
    /// Open elements; `stack[0]` is the root.
    stack: Vec<usize>,
    errors: Vec<RawError>,
    budget: Budget,
    /// Nesting of tags kept as text past the depth cap (0 when not overflowing).
    overflow: usize,
    /// No `-->` exists after the last failed HTML-comment search.
    no_comment_end: bool,
}

/// Scan `text` into a [`Tree`].
pub(super) fn scan(text: &str) -> Tree {
    let mut s = Scanner {
        text,
        b: text.as_bytes(),
        nodes: vec![Node::new(String::new(), 0, 0)],
        stack: vec![0],
        errors: Vec::new(),
        budget: Budget(text.len().saturating_mul(8).saturating_add(1 << 20)),
        overflow: 0,
        no_comment_end: false,
    };
    s.run();
    while s.stack.len() > 1 {
        let top = s.top();
        let name = s.nodes[top].name.clone();
        s.err(
            s.nodes[top].start,
            "mdx.unclosed",
            format!("<{name}> is never closed; it is treated as self-closing"),
            Some(format!("add </{name}>")),
        );
        s.recover_unclosed();
    }
    Tree { nodes: s.nodes, errors: s.errors }
}

impl Scanner<'_> {
    fn top(&self) -> usize {
        self.stack.last().copied().unwrap_or(0)
    }

    fn err(&mut self, pos: usize, code: &'static str, message: String, hint: Option<String>) {
        self.errors.push(RawError { pos, code, message, hint });
    }

    fn line_end(&self, pos: usize) -> usize {
        self.b[pos..].iter().position(|&c| c == b'\n').map_or(self.b.len(), |n| pos + n)
    }

    fn run(&mut self) {
        let b = self.b;
        let mut pos = 0;
        let mut line_start = true;
        let mut content_start = usize::MAX;
        let mut fence: Option<(u8, usize)> = None;
        let mut prev_blank = true;
        while pos < b.len() {
            if line_start {
                line_start = false;
                let le = self.line_end(pos);
                let line = &b[pos..le];
                let indent = line.iter().take_while(|&&c| c == b' ' || c == b'\t').count();
                let blank = line[indent..].iter().all(|&c| c == b'\r');
                if let Some((c, n)) = fence {
                    if lex::fence_close(line, c, n) {
                        fence = None;
                    }
                } else if blank {
                    prev_blank = true;
                } else if let Some(f) = lex::fence_open(&line[indent..]) {
                    fence = Some(f);
                    prev_blank = false;
                } else if indent == 0 && prev_blank && lex::is_esm(line) {
                    // ESM is read at the document level even between a component's tags: MDX's
                    // JSX tags are not containers (the lines between are parsed as the document).
                    let end = self.esm_end(pos);
                    let top = self.top();
                    self.nodes[top].blanks.push((pos..end, BlankKind::Lines));
                    prev_blank = false;
                    pos = end;
                    continue;
                } else {
                    prev_blank = false;
                    content_start = pos + indent + lex::list_marker_len(&line[indent..]);
                    pos += indent;
                    continue;
                }
                pos = le + 1;
                line_start = true;
                continue;
            }
            pos = match b[pos] {
                b'\n' => {
                    line_start = true;
                    pos + 1
                }
                b'\\' if b.get(pos + 1).is_some_and(u8::is_ascii_punctuation) => pos + 2,
                b'`' => {
                    let n = lex::run_len(b, pos, b'`');
                    lex::code_span_end(b, pos + n, n, &mut self.budget).unwrap_or(pos + n)
                }
                b'<' => self.on_lt(pos, pos == content_start),
                b'{' if self.overflow == 0 => self.on_brace(pos),
                _ => pos + 1,
            };
        }
    }

    /// The end of an ESM block starting at `pos`: the newline before the next blank line.
    fn esm_end(&self, mut pos: usize) -> usize {
        loop {
            let le = self.line_end(pos);
            if le >= self.b.len() {
                return le;
            }
            let next = self.line_end(le + 1);
            if self.b[le + 1..next].iter().all(|c| c.is_ascii_whitespace()) {
                return le;
            }
            pos = le + 1;
        }
    }

    fn on_lt(&mut self, pos: usize, at_line_start: bool) -> usize {
        if self.b[pos..].starts_with(b"<!--") {
            // HTML comments are comrak's; only make sure their content is not read as JSX.
            if !self.no_comment_end {
                if let Some(n) = self.b[pos + 4..].windows(3).position(|w| w == b"-->") {
                    return pos + 4 + n + 3;
                }
                self.no_comment_end = true;
            }
            return pos + 4;
        }
        match lex::parse_tag(self.text, pos, &mut self.budget) {
            Ok(None) => pos + 1,
            Err(_) if self.overflow > 0 => pos + 1,
            Err(e) => {
                self.err(e.pos, e.code, e.message, e.hint);
                self.line_end(pos)
            }
            Ok(Some(Tag::Open { name, attrs, end, self_closing })) => {
                let self_closing = self_closing || lex::is_void(&name);
                if self.overflow > 0 {
                    self.overflow += usize::from(!self_closing);
                    return end;
                }
                if self.stack.len() > MAX_DEPTH {
                    let msg = format!("<{name}> is nested more than {MAX_DEPTH} levels deep; it and its content are kept as text");
                    self.err(pos, "mdx.too-deep", msg, Some("flatten the nesting".to_string()));
                    self.overflow = usize::from(!self_closing);
                    return end;
                }
                let mut node = Node::new(name, pos, end);
                node.at_line_start = at_line_start;
                node.attrs = attrs.into_iter().map(|a| (a.name, a.value, a.pos)).collect();
                let idx = self.nodes.len();
                self.nodes.push(node);
                let parent = self.top();
                self.nodes[parent].children.push(idx);
                if !self_closing {
                    self.stack.push(idx);
                }
                end
            }
            Ok(Some(Tag::Close { name, end })) => {
                if self.overflow > 0 {
                    self.overflow -= 1;
                    return end;
                }
                self.on_close(pos, end, name);
                end
            }
        }
    }

    fn on_close(&mut self, pos: usize, end: usize, name: String) {
        let Some(k) = self.stack.iter().rposition(|&i| i != 0 && self.nodes[i].name == name) else {
            if self.stack.len() == 1 {
                self.err(
                    pos,
                    "mdx.unexpected-close",
                    format!("</{name}> closes nothing; it is kept as text"),
                    Some(format!("remove </{name}> or add <{name}> before it")),
                );
            } else {
                let top = &self.nodes[self.top()];
                let msg = format!("</{name}> does not match the open <{}>; it is kept as text", top.name);
                let hint = format!("close <{}> with </{}>", top.name, top.name);
                self.err(pos, "mdx.mismatched-close", msg, Some(hint));
            }
            return;
        };
        if k + 1 < self.stack.len() {
            let top = &self.nodes[self.top()];
            let msg = format!("</{name}> closes <{name}> while <{}> is still open; <{}> is treated as self-closing", top.name, top.name);
            let hint = format!("add </{}> before </{name}>", top.name);
            self.err(pos, "mdx.mismatched-close", msg, Some(hint));
            while self.stack.len() > k + 1 {
                self.recover_unclosed();
            }
        }
        let idx = self.top();
        self.nodes[idx].close = Some(pos..end);
        self.stack.pop();
    }

    /// Treat the innermost open element as self-closing: its content moves to its parent.
    /// It is the parent's last child, so appending keeps every list in document order.
    fn recover_unclosed(&mut self) {
        let Some(idx) = self.stack.pop() else { return };
        let parent = self.top();
        let children = std::mem::take(&mut self.nodes[idx].children);
        let blanks = std::mem::take(&mut self.nodes[idx].blanks);
        let exprs = std::mem::take(&mut self.nodes[idx].exprs);
        let p = &mut self.nodes[parent];
        p.children.extend(children);
        p.blanks.extend(blanks);
        p.exprs.extend(exprs);
    }

    fn on_brace(&mut self, pos: usize) -> usize {
        let Some(end) = lex::scan_balanced(self.b, pos + 1, b'{', &mut self.budget) else {
            let msg = "`{` starts a JSX expression that never closes; it is kept as text".to_string();
            self.err(pos, "mdx.expression-unsupported", msg, Some("escape it as `\\{`".to_string()));
            return pos + 1;
        };
        let inner = self.text[pos + 1..end - 1].trim();
        let top = self.top();
        let is_comment = inner.len() >= 4 && inner.starts_with("/*") && inner.ends_with("*/") && !inner[2..inner.len() - 2].contains("*/");
        if is_comment {
            self.nodes[top].blanks.push((pos..end, BlankKind::Spaces));
        } else {
            self.nodes[top].exprs.push(pos..end);
        }
        end
    }
}

/// Attributes with file positions.
pub(super) fn attrs_of(node: &Node, pos: impl Fn(usize) -> (u32, u32)) -> Vec<Attr> {
    node.attrs
        .iter()
        .map(|(name, value, p)| {
            let (line, col) = pos(*p);
            Attr { name: name.clone(), value: value.clone(), line, col }
        })
        .collect()
}
