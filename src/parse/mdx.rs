//! The MDX/JSX layer of stage 2 (DIALECT §2, §6): finds JSX elements in a page body and
//! replaces each with a slot token, so comrak sees plain Markdown with the same lines, and
//! the renderer later swaps each slot for the component's rendering.
//!
//! What it reads: block elements (a line starting with `<Name`, after indentation and an
//! optional list marker; multi-line tags, a lone `>` or `/>` line included), inline elements
//! inside a line of text, attributes (`"…"`, `'…'`, bare, `{expr}`), `` <style>{`…`}</style> ``
//! expression children, JSX comments (blanked) and top-level `import`/`export` lines (blanked).
//! Fences, code spans and HTML comments are never read as JSX; `a < b`, `<3` and
//! `<https://…>` are text.
//!
//! Recovery: an unclosed element is treated as self-closing, its content stays in the page;
//! a stray closing tag is kept as text; a malformed tag is kept as text and scanning resumes
//! on the next line; elements nested deeper than 64 levels are kept as text.
//!
//! Positions: lines are file lines; columns are 1-based *byte* columns, as in comrak's
//! sourcepos. In a child document a line's file column is its column + `col_offset`, except
//! for a first line that starts right after the opening tag (`<Tag>text`), which starts at
//! the element's content column.
//!
//! Architecture invariant: never panics, never evaluates expressions, runs in linear time
//! (two passes: [`scan`] builds a flat tree of ranges, [`emit`] copies each byte once).

mod emit;
mod lex;
pub(crate) use lex::{is_esm, literal_text};
mod scan;
#[cfg(test)]
mod tests;

use std::ops::Range;

/// A body with every JSX element replaced by a slot token.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MdxDoc {
    /// Markdown for comrak. Same number of lines as the input: a block element spanning lines
    /// L1..L2 becomes its token on L1 (at the element's original indentation) and empty lines
    /// for L2..; so comrak's line numbers + (first_line - 1) give file lines.
    pub markdown: String,
    /// Slot i's element.
    pub elements: Vec<Element>,
    /// 1-based file line of the first line of `markdown`.
    pub first_line: u32,
    /// Columns removed from every line by dedenting (children of an element), to map columns back.
    pub col_offset: u32,
}

/// One JSX element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    /// Tag name: `CodeBlock`, `Event.Root`, `div`, `style`.
    pub name: String,
    /// Attributes in source order.
    pub attrs: Vec<Attr>,
    /// `None` when self-closing; otherwise the content, dedented and parsed recursively
    /// (empty when the content is an expression child).
    pub children: Option<MdxDoc>,
    /// The content when it is one `{…}` expression: a template literal's text
    /// (`` <style>{`css`}</style> `` gives `css`), otherwise the expression's source.
    pub expression_child: Option<String>,
    /// The element sits inside a line of text (`## Title <Small>x</Small>`).
    pub inline: bool,
    /// 1-based file line of `<`.
    pub line: u32,
    /// 1-based byte column of `<`.
    pub col: u32,
}

/// One attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attr {
    /// Attribute name.
    pub name: String,
    /// Its value.
    pub value: AttrValue,
    /// 1-based file line of the name.
    pub line: u32,
    /// 1-based byte column of the name.
    pub col: u32,
}

/// An attribute value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttrValue {
    /// `a="x"` or `a='x'`, the text between the quotes.
    Str(String),
    /// A bare `a`.
    Bool,
    /// `a={expr}`: the source text between the braces, trimmed.
    Expr(String),
}

/// A problem in the MDX syntax of a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MdxError {
    /// 1-based file line.
    pub line: u32,
    /// 1-based byte column.
    pub col: u32,
    /// Stable code, e.g. `mdx.unclosed`.
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

impl MdxError {
    /// Errors fail the build; `mdx.expression-unsupported` (an expression left as text) is a warning.
    pub fn is_error(&self) -> bool {
        self.code != "mdx.expression-unsupported"
    }
}

/// What a name in a prose expression (`{name}`, `{props.title}`) stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Bound {
    /// A literal's text, shown as plain text.
    Text(String),
    /// The children of the element that inlined this partial: an element named [`CHILDREN`].
    Children,
    /// A value only the render stage knows (an imported file's text): as element content the
    /// name is kept for it, in prose it is left out.
    Later,
}

/// The name of the element that stands for `{props.children}` in a partial; no JSX tag can
/// have it, so no author's element is mistaken for it.
pub const CHILDREN: &str = "{props.children}";

/// Parse a body whose first line is file line `first_line`.
pub fn parse(body: &str, first_line: u32) -> (MdxDoc, Vec<MdxError>) {
    parse_with(body, first_line, &|_| None)
}

/// [`parse`], with `bindings` saying what names in prose expressions stand for.
pub fn parse_with(body: &str, first_line: u32, bindings: &dyn Fn(&str) -> Option<Bound>) -> (MdxDoc, Vec<MdxError>) {
    let tree = scan::scan(body);
    let lines = emit::Lines::new(body, first_line);
    let mut builder = emit::Builder { text: body, tree: &tree, lines: &lines, errors: Vec::new(), bindings };
    let doc = builder.root();
    let mut errors: Vec<MdxError> = tree
        .errors
        .iter()
        .chain(&builder.errors)
        .map(|e| {
            let (line, col) = lines.pos(e.pos);
            MdxError { line, col, code: e.code, message: e.message.clone(), hint: e.hint.clone() }
        })
        .collect();
    errors.sort_by_key(|e| (e.line, e.col));
    (doc, errors)
}

const SLOT_OPEN: char = '\u{E000}';
const SLOT_CLOSE: char = '\u{E001}';
const SLOT_WORD: &str = "vslot";

/// The token for slot i: private-use characters around `vslot{i}`, which comrak, emphasis
/// and smart punctuation leave alone.
pub fn slot_token(i: usize) -> String {
    format!("{SLOT_OPEN}{SLOT_WORD}{i}{SLOT_CLOSE}")
}

/// Find slot tokens in a text: yields (byte range, slot index).
pub fn find_slots(text: &str) -> Vec<(Range<usize>, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(k) = text[from..].find(SLOT_OPEN) {
        let start = from + k;
        let after = start + SLOT_OPEN.len_utf8();
        from = after;
        let Some(rest) = text[after..].strip_prefix(SLOT_WORD) else { continue };
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let tail = &rest[digits..];
        if digits == 0 || !tail.starts_with(SLOT_CLOSE) {
            continue;
        }
        let Ok(i) = rest[..digits].parse() else { continue };
        let end = after + SLOT_WORD.len() + digits + SLOT_CLOSE.len_utf8();
        out.push((start..end, i));
        from = end;
    }
    out
}
