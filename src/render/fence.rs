//! Fenced code in both targets: the info string read once by [`FenceMeta::parse`], the
//! dialect's highlight markers or Docusaurus' magic comments taken out, and, when a fence
//! marks lines (`{1,3}`, `mark=`, `ins=`, `del=`, a `diff` fence, `showLineNumbers`), each
//! highlighted line wrapped in a `<span class="line">` carrying its classes.
//! Architecture invariant: a fence that marks no line renders exactly as plain highlighted
//! code (the dialect's output does not change); line wrapping closes and reopens the
//! highlighter's spans at each newline, so the HTML stays balanced; work is linear in the
//! code, whatever ranges the info string names.

use super::highlight::{Highlighter, escape_html};
use crate::model::fence::FenceMeta;
use std::fmt::Write as _;

/// A fence ready to render: its meta and its code with marker lines removed.
pub(crate) struct Fence {
    pub(crate) meta: FenceMeta,
    /// The code as shown.
    pub(crate) code: String,
    /// The code as written, minus marker lines (the twin keeps a diff's `+`/`-`).
    pub(crate) source: String,
    /// `(highlighted, inserted, deleted)` per shown line, from comments and diff markers.
    marks: Vec<(bool, bool, bool)>,
}

impl Fence {
    /// Read a fence. `magic_comments`: Docusaurus' `highlight-next-line`, `highlight-start`
    /// and `highlight-end` comments mark lines; otherwise the dialect's `highlight-start/end`
    /// marker lines are only removed.
    pub(crate) fn new(info: &str, literal: &str, magic_comments: bool) -> Fence {
        let meta = FenceMeta::parse(info);
        if !magic_comments {
            let code = strip_highlight_markers(literal);
            return Fence { meta, source: code.clone(), code, marks: Vec::new() };
        }
        let mut marks = Vec::new();
        let mut source = String::with_capacity(literal.len());
        let (mut next, mut range) = (false, false);
        for line in literal.split_inclusive('\n') {
            match magic_comment(line) {
                Some(Magic::NextLine) => next = true,
                Some(Magic::Start) => range = true,
                Some(Magic::End) => range = false,
                None => {
                    marks.push((next || range, false, false));
                    next = false;
                    source.push_str(line);
                }
            }
        }
        let mut code = source.clone();
        if meta.diff {
            // `+`/`-` lines of a diff; with `lang=` the markers are not part of the code.
            let strip = meta.lang != "diff";
            code.clear();
            for (i, line) in source.split_inclusive('\n').enumerate() {
                let header = line.starts_with("+++ ") || line.starts_with("--- ");
                let sign = line.as_bytes().first().copied().filter(|c| matches!(c, b'+' | b'-') && !header);
                if let Some(m) = marks.get_mut(i) {
                    m.1 = sign == Some(b'+');
                    m.2 = sign == Some(b'-');
                }
                code.push_str(if strip && sign.is_some() { &line[1..] } else { line });
            }
        }
        if marks.iter().all(|m| *m == (false, false, false)) {
            marks.clear();
        }
        Fence { meta, code, source, marks }
    }

    /// Does the HTML need per-line wrapping?
    fn marks_lines(&self) -> bool {
        !self.marks.is_empty() || self.meta.marks_lines()
    }

    /// `<figure class="code-block">` with the caption, highlighted code and line classes.
    pub(crate) fn html(&self) -> String {
        let title = self.meta.title.as_deref();
        if !self.marks_lines() {
            return code_figure(&self.meta.lang, title, &self.code, None);
        }
        let body = Highlighter::global().highlight(&self.code, &self.meta.lang);
        let caption = title.map(|t| format!("<figcaption>{}</figcaption>", escape_html(t))).unwrap_or_default();
        let class = if self.meta.lang.is_empty() { String::new() } else { format!(" class=\"language-{}\"", escape_html(&self.meta.lang)) };
        let pre = if self.meta.line_numbers { "<pre class=\"line-numbers\">" } else { "<pre>" };
        format!("<figure class=\"code-block\">{caption}{pre}<code{class}>{}</code></pre></figure>", self.wrap_lines(&body))
    }

    /// The twin: the caption as a `Title:` line (as the dialect writes it), then the fence.
    pub(crate) fn markdown(&self) -> String {
        let title = self.meta.title.as_ref().map(|t| format!("{t}:\n\n")).unwrap_or_default();
        let lang = if self.meta.diff { "diff" } else { &self.meta.lang };
        format!("{title}{}", fenced_md(lang, &self.source))
    }

    /// Each line of highlighted `body` in `<span class="line …">`, the highlighter's open
    /// spans closed before each newline and reopened after it.
    fn wrap_lines(&self, body: &str) -> String {
        let mut out = String::with_capacity(body.len() + body.len() / 4);
        let mut open: Vec<&str> = Vec::new();
        let mut n = 0u32;
        let mut rest = body;
        while !rest.is_empty() {
            let end = rest.find('\n').map_or(rest.len(), |e| e + 1);
            let (line, tail) = rest.split_at(end);
            rest = tail;
            let text = line.strip_suffix('\n').unwrap_or(line);
            if !line.ends_with('\n') && only_tags(text) {
                // The closing tags after the last newline: already closed line by line.
                break;
            }
            self.line_open(&mut out, n);
            for tag in &open {
                out.push_str(tag);
            }
            out.push_str(text);
            track_spans(text, &mut open);
            for _ in &open {
                out.push_str("</span>");
            }
            out.push_str("</span>");
            if line.ends_with('\n') {
                out.push('\n');
            }
            n += 1;
        }
        out
    }

    fn line_open(&self, out: &mut String, i: u32) {
        let line = i + 1;
        let (mut hl, mut ins, mut del) = self.marks.get(i as usize).copied().unwrap_or_default();
        hl |= self.meta.highlight.contains(line);
        ins |= self.meta.ins.contains(line);
        del |= self.meta.del.contains(line);
        out.push_str("<span class=\"line");
        for (on, class) in [(hl, " hl-mark"), (ins, " hl-ins"), (del, " hl-del")] {
            if on {
                out.push_str(class);
            }
        }
        out.push('"');
        if self.meta.line_numbers {
            let _ = write!(out, " data-line=\"{}\"", self.meta.start.saturating_add(i));
        }
        out.push('>');
    }
}

/// Is `s` nothing but tags (no text a reader sees)?
fn only_tags(s: &str) -> bool {
    let mut in_tag = false;
    s.chars().all(|c| {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => return false,
            _ => {}
        }
        true
    })
}

/// Update the stack of open `<span …>` tags after `text` (syntect writes only `<span
/// class="…">` and `</span>`; everything else is escaped).
fn track_spans<'a>(text: &'a str, open: &mut Vec<&'a str>) {
    let mut rest = text;
    while let Some(k) = rest.find('<') {
        rest = &rest[k..];
        if let Some(r) = rest.strip_prefix("</span>") {
            open.pop();
            rest = r;
        } else if let Some(e) = rest.find('>').filter(|_| rest.starts_with("<span")) {
            open.push(&rest[..=e]);
            rest = &rest[e + 1..];
        } else {
            rest = &rest[1..];
        }
    }
}

enum Magic {
    NextLine,
    Start,
    End,
}

/// A line that is only a magic comment, in any comment syntax Docusaurus reads
/// (`//`, `/* */`, `{/* */}`, `#`, `<!-- -->`, `--`, `%`, `;;`).
fn magic_comment(line: &str) -> Option<Magic> {
    let t = line.trim();
    if !t.contains("highlight-") {
        return None;
    }
    let word = [("{/*", "*/}"), ("/*", "*/"), ("<!--", "-->"), ("//", ""), ("#", ""), ("--", ""), (";;", ""), ("%", "")]
        .iter()
        .find_map(|(open, close)| t.strip_prefix(open).and_then(|r| r.strip_suffix(close)).map(str::trim))?;
    match word {
        "highlight-next-line" => Some(Magic::NextLine),
        "highlight-start" => Some(Magic::Start),
        "highlight-end" => Some(Magic::End),
        _ => None,
    }
}

/// The dialect's marker lines, removed without marking anything.
fn strip_highlight_markers(code: &str) -> String {
    if !code.contains("highlight-") {
        return code.to_string();
    }
    code.split_inclusive('\n')
        .filter(|l| !matches!(l.trim(), "{/* highlight-start */}" | "{/* highlight-end */}" | "// highlight-start" | "// highlight-end"))
        .collect()
}

/// `<figure class="code-block">` with an optional caption and highlighted code.
pub(crate) fn code_figure(lang: &str, title: Option<&str>, code: &str, data: Option<&str>) -> String {
    let caption = title.map(|t| format!("<figcaption>{}</figcaption>", escape_html(t))).unwrap_or_default();
    let body = Highlighter::global().highlight(code, lang);
    let class = if lang.is_empty() { String::new() } else { format!(" class=\"language-{}\"", escape_html(lang)) };
    format!("<figure class=\"code-block\"{}>{caption}<pre><code{class}>{body}</code></pre></figure>", data.unwrap_or(""))
}

/// A Markdown fence long enough not to be closed by backticks inside `code`.
pub(crate) fn fenced_md(lang: &str, code: &str) -> String {
    let longest = code.lines().map(|l| l.trim_start().chars().take_while(|c| *c == '`').count()).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    let nl = if code.ends_with('\n') || code.is_empty() { "" } else { "\n" };
    format!("{fence}{lang}\n{code}{nl}{fence}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(info: &str, code: &str) -> Vec<String> {
        let f = Fence::new(info, code, true);
        let html = f.html();
        html.split("<span class=\"line").skip(1).map(|l| l.split('"').next().unwrap_or("").trim().to_string()).collect()
    }

    #[test]
    fn marked_lines_get_classes() {
        assert_eq!(lines("txt {1,3}", "a\nb\nc\n"), ["hl-mark", "", "hl-mark"]);
        assert_eq!(lines("txt ins={2} del={1}", "a\nb\n"), ["hl-del", "hl-ins"]);
        assert_eq!(lines("diff", "+a\n-b\n c\n"), ["hl-ins", "hl-del", ""]);
        assert_eq!(
            lines("js", "// highlight-next-line\na\nb\n{/* highlight-start */}\nc\nd\n/* highlight-end */\ne\n"),
            ["hl-mark", "", "hl-mark", "hl-mark", ""]
        );
        // A huge range costs only the code's lines.
        assert_eq!(lines("txt {1-999999999}", "a\n"), ["hl-mark"]);
        assert!(Fence::new("txt showLineNumbers=7", "a\nb\n", true).html().contains("data-line=\"8\""));
    }

    #[test]
    fn wrapped_lines_keep_spans_balanced() {
        let f = Fence::new("js {2}", "let a = `x\ny`;\nlet b = 1;\n", true);
        let html = f.html();
        assert_eq!(html.matches("<span").count(), html.matches("</span>").count(), "{html}");
        assert!(html.contains("hl-mark"));
        assert_eq!(html.matches("<span class=\"line").count(), 3, "no empty line after the last newline: {html}");
    }

    #[test]
    fn diff_with_a_language_drops_the_markers_from_the_code() {
        let f = Fence::new("diff lang=\"js\"", "+let a;\n-let b;\n", true);
        assert_eq!(f.code, "let a;\nlet b;\n");
        assert_eq!(f.markdown(), "```diff\n+let a;\n-let b;\n```\n");
    }

    #[test]
    fn unmarked_fences_render_as_before() {
        let f = Fence::new("js title=\"a.js\"", "let a;\n", true);
        assert_eq!(f.html(), code_figure("js", Some("a.js"), "let a;\n", None));
        assert_eq!(f.markdown(), "a.js:\n\n```js\nlet a;\n```\n");
        let d = Fence::new("jsx", "<B>\n  {/* highlight-start */}\n  x\n  {/* highlight-end */}\n</B>\n", false);
        assert_eq!(d.code, "<B>\n  x\n</B>\n");
        assert!(!d.html().contains("class=\"line"));
    }

    #[test]
    fn fences_grow_past_inner_backticks() {
        assert_eq!(fenced_md("md", "```js\nx\n```\n"), "````md\n```js\nx\n```\n````\n");
    }
}
