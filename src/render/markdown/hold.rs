//! The twin formatter's fast path: comrak's CommonMark formatter copies text one character
//! at a time, so long literals and text runs are held out of the tree while it runs and put
//! back afterwards, escaped exactly as it would have escaped them (a test compares both).

use super::Node;
use comrak::Options;
use comrak::nodes::NodeValue;
use std::fmt::Write as _;

/// Opens and closes a held literal's token in the Markdown formatter's output.
const HOLD: (char, char) = ('\u{E002}', '\u{E003}');

/// Takes out the literals of fenced code and raw blocks (component twins), and the text
/// of long text runs, before the CommonMark formatter runs, leaving a short token in each:
/// the formatter copies text one character at a time (with an allocation each), which made
/// it the largest single cost of rendering. A literal is left in place when its fence could
/// change (it holds a fence run of its own) or when the page's text holds the token
/// characters; a text run keeps its first characters, whose escaping depends on where the
/// formatter is, and the rest is escaped here as the formatter would ([`escape_text`]).
pub(super) fn hold_literals(root: Node<'_>, text: &str, options: &Options<'_>) -> Vec<String> {
    let mut held = Vec::new();
    if text.contains(HOLD.0) {
        return held;
    }
    for n in root.descendants() {
        let mut data = n.data_mut();
        if let NodeValue::Text(t) = &mut data.value {
            if let Some(split) = text_split(t).filter(|_| plain_text_parent(n)) {
                let in_table = n.ancestors().skip(1).any(|a| matches!(a.data().value, NodeValue::Table(_)));
                held.push(escape_text(t, split, in_table, options.extension.autolink));
                let t = t.to_mut();
                t.truncate(split);
                let _ = write!(t, "{}{}{}", HOLD.0, held.len() - 1, HOLD.1);
            }
            continue;
        }
        let lit = match &mut data.value {
            NodeValue::CodeBlock(c) if c.fenced && !c.info.is_empty() && !c.literal.contains("```") && !c.literal.contains("~~~") => {
                &mut c.literal
            }
            NodeValue::HtmlBlock(b) => &mut b.literal,
            _ => continue,
        };
        if lit.len() < 16 || !lit.ends_with('\n') || lit.starts_with('\n') || lit.contains(HOLD.0) || after_a_marker(n) {
            continue;
        }
        // The token keeps the literal's final newlines: the formatter counts them.
        let body = lit.trim_end_matches('\n');
        let token = format!("{}{}{}{}", HOLD.0, held.len(), HOLD.1, &lit[body.len()..]);
        held.push(body.to_string());
        *lit = token;
    }
    held
}

/// Where a text run is cut for [`hold_literals`]: after its leading digits and two more
/// characters (the formatter escapes a first `.`, `)`, `-`, `+` or `=` by what is around
/// it), past a final `&` (escaped by the letter after it); `None` when it is not worth it.
fn text_split(t: &str) -> Option<usize> {
    if t.len() < 24 || t.contains(HOLD.0) {
        return None;
    }
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    let mut split = digits + t[digits..].char_indices().nth(2)?.0;
    if t.as_bytes()[split - 1] == b'&' {
        split += t[split..].chars().next()?.len_utf8();
    }
    (split < t.len()).then_some(split)
}

/// A text run the formatter writes as it is: not inside emphasis (it entity-encodes edge
/// spaces there) nor a link or image (it compares a link's text with its URL).
fn plain_text_parent(n: Node<'_>) -> bool {
    n.parent().is_some_and(|p| matches!(p.data().value, NodeValue::Paragraph | NodeValue::Heading(_) | NodeValue::TableCell))
}

/// `t[from..]` escaped as comrak's CommonMark formatter escapes text away from the start
/// of a line: ASCII controls as entities (NUL as U+FFFD), the punctuation that could start
/// Markdown syntax with a backslash (`@` too with autolinks), `&` before a letter, `|`
/// inside a table.
fn escape_text(t: &str, from: usize, in_table: bool, autolink: bool) -> String {
    let b = t.as_bytes();
    let mut out = String::with_capacity(t.len() - from + 8);
    for (i, c) in t[from..].char_indices() {
        let i = from + i;
        if in_table && c == '|' {
            out.push('\\');
        }
        let escape = c.is_ascii()
            && (c < ' '
                || matches!(c, '*' | '_' | '[' | ']' | '#' | '<' | '>' | '\\' | '`' | '~' | '!')
                || (autolink && c == '@')
                || (c == '&' && b.get(i + 1).is_some_and(u8::is_ascii_alphabetic)));
        match c {
            _ if !escape => out.push(c),
            '\0' => out.push('\u{fffd}'),
            _ if c.is_ascii_punctuation() => {
                out.push('\\');
                out.push(c);
            }
            _ => {
                let _ = write!(out, "&#{};", c as u32);
            }
        }
    }
    out
}

/// Whether a block starts on the line of a list item's marker (`- `, `1. `), where the
/// text before it is not the prefix of its following lines.
fn after_a_marker(node: Node<'_>) -> bool {
    let mut n = node;
    while n.previous_sibling().is_none() {
        let Some(parent) = n.parent() else { return false };
        match parent.data().value {
            NodeValue::Document => return false,
            NodeValue::BlockQuote => n = parent,
            _ => return true,
        }
    }
    false
}

/// Puts held literals back into formatted Markdown. The formatter writes its line prefix
/// (list indentation, `> `) before each line of a literal, so each line after a token's
/// first gets the text that precedes the token on its line.
pub(super) fn restore_literals(s: &str, held: &[String]) -> String {
    let mut out = String::with_capacity(s.len() + held.iter().map(String::len).sum::<usize>() * 2);
    let mut rest = s;
    while let Some(k) = rest.find(HOLD.0) {
        let Some(end) = rest[k..].find(HOLD.1).map(|e| k + e) else { break };
        let Some(lit) = rest[k + HOLD.0.len_utf8()..end].parse::<usize>().ok().and_then(|i| held.get(i)) else { break };
        out.push_str(&rest[..k]);
        let prefix = &out[out.rfind('\n').map_or(0, |i| i + 1)..];
        let prefix = prefix.to_string();
        if prefix.is_empty() {
            out.push_str(lit);
        } else {
            for (i, line) in lit.split('\n').enumerate() {
                if i > 0 {
                    out.push('\n');
                    out.push_str(&prefix);
                }
                out.push_str(line);
            }
        }
        rest = &rest[end + HOLD.1.len_utf8()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use comrak::{Arena, format_commonmark, parse_document};

    fn format(text: &str, hold: bool) -> String {
        let arena = Arena::new();
        let options = super::super::options();
        let root = parse_document(&arena, text, &options);
        let held = if hold { hold_literals(root, text, &options) } else { Vec::new() };
        assert_eq!(held.is_empty(), !hold, "{text:?}");
        let mut s = String::new();
        format_commonmark(root, &options, &mut s).unwrap();
        restore_literals(&s, &held)
    }

    #[test]
    fn held_literals_format_exactly_as_the_formatter_writes_them() {
        let code = "```js\nlet a = 1;\n\n  let b = [a];\n```\n";
        let cases = [
            format!("Intro.\n\n{code}\nAfter.\n"),
            format!("- item one\n\n  {}\n- item two\n", code.replace('\n', "\n  ")),
            format!("1. first\n   1. nested\n\n      {}\n", code.replace('\n', "\n      ")),
            format!("> quoted\n>\n> {}\n", code.replace('\n', "\n> ")),
            "<div class=\"x\">\n<p>raw block</p>\n\n\n".to_string() + "\ntext\n",
            format!("- item\n\n  <section>\n  <p>raw in a list</p>\n  </section>\n\n  {}", code.replace('\n', "\n  ")),
            "1\\. A list-like start, then *stars*, _under_, [brackets], #hash, <tag>, \\\\, `tick`, ~tilde, !bang &amp; &x @at\n"
                .to_string(),
            "| Column | Other |\n| --- | --- |\n| a long cell with a \\| pipe and &copy; more | x &#0; y &lt; z 12345678901234567890 |\n"
                .to_string(),
            "12\\) twelve then a long run of text & more text &\n\n- \\+ plus starts this long item text\n".to_string(),
        ];
        for text in &cases {
            assert_eq!(format(text, true), format(text, false), "{text}");
        }
    }
}
