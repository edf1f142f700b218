//! Lexical pieces of the MDX layer: JSX tags, balanced `{…}` expressions, code spans and
//! fences. Everything works on bytes of a `&str` and only stops at ASCII bytes, so every
//! index it returns is a char boundary.
//! Architecture invariant: every forward scan is charged to a shared [`Budget`], so a page
//! full of unterminated constructs still parses in linear time.

use super::AttrValue;

/// Nesting depth of elements beyond which the rest is kept as text.
pub(super) const MAX_DEPTH: usize = 64;

/// Lowercase tag names that are HTML elements (other lowercase names are text unless they
/// contain `-`, which makes them custom elements).
const HTML_TAGS: &[&str] = &[
    "a",
    "abbr",
    "article",
    "aside",
    "audio",
    "b",
    "blockquote",
    "br",
    "button",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "i",
    "iframe",
    "img",
    "ins",
    "kbd",
    "li",
    "main",
    "mark",
    "nav",
    "ol",
    "p",
    "picture",
    "pre",
    "section",
    "small",
    "source",
    "span",
    "strong",
    "style",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "track",
    "u",
    "ul",
    "video",
    "wbr",
];

/// HTML elements that never have children: `<br>` is accepted without the JSX `/`.
pub(super) fn is_void(name: &str) -> bool {
    matches!(name, "br" | "hr" | "img" | "source" | "track" | "wbr" | "col")
}

/// Work left for look-ahead scans; once spent, look-aheads fail fast.
pub(super) struct Budget(pub(super) usize);

impl Budget {
    fn spend(&mut self, n: usize) -> bool {
        match self.0.checked_sub(n) {
            Some(left) => {
                self.0 = left;
                true
            }
            None => false,
        }
    }
}

/// A tag that parsed.
pub(super) enum Tag {
    /// `<Name attrs>` or `<Name attrs />`; `end` is the byte after `>`.
    Open { name: String, attrs: Vec<RawAttr>, end: usize, self_closing: bool },
    /// `</Name>`; `end` is the byte after `>`.
    Close { name: String, end: usize },
}

/// An attribute with the byte position of its name.
pub(super) struct RawAttr {
    pub(super) name: String,
    pub(super) value: AttrValue,
    pub(super) pos: usize,
}

/// A malformed tag: what went wrong and where (byte position).
pub(super) struct TagError {
    pub(super) pos: usize,
    pub(super) code: &'static str,
    pub(super) message: String,
    pub(super) hint: Option<String>,
}

fn bad(pos: usize, message: String, hint: &str) -> TagError {
    TagError { pos, code: "mdx.bad-tag", message, hint: Some(hint.to_string()) }
}

fn is_ws(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r')
}

/// End of a JSX element name starting at `i`, when it is one we treat as an element:
/// `Foo`, `Foo.Bar.Baz`, `foo-bar`, or a known HTML tag.
fn name_end(b: &[u8], i: usize) -> Option<usize> {
    let first = *b.get(i)?;
    if !first.is_ascii_alphabetic() {
        return None;
    }
    let upper = first.is_ascii_uppercase();
    let mut j = i + 1;
    let mut dotted = false;
    let mut dashed = false;
    while let Some(&c) = b.get(j) {
        if c.is_ascii_alphanumeric() || c == b'_' || c == b'$' {
            j += 1;
        } else if c == b'-' {
            dashed = true;
            j += 1;
        } else if c == b'.' && upper && b.get(j + 1).is_some_and(|n| n.is_ascii_alphabetic()) {
            dotted = true;
            j += 1;
        } else {
            break;
        }
    }
    let name = std::str::from_utf8(&b[i..j]).ok()?;
    let ok = if upper { !(dotted && dashed) } else { HTML_TAGS.contains(&name) || dashed };
    ok.then_some(j)
}

fn skip_ws(b: &[u8], mut i: usize, budget: &mut Budget) -> usize {
    while b.get(i).is_some_and(|&c| is_ws(c)) && budget.spend(1) {
        i += 1;
    }
    i
}

fn char_at(text: &str, i: usize) -> char {
    text.get(i..).and_then(|s| s.chars().next()).unwrap_or(' ')
}

/// Parse a tag at `lt` (a `<`). `Ok(None)`: not a tag, the `<` is text.
pub(super) fn parse_tag(text: &str, lt: usize, budget: &mut Budget) -> Result<Option<Tag>, TagError> {
    let b = text.as_bytes();
    let closing = b.get(lt + 1) == Some(&b'/');
    let name_start = lt + 1 + usize::from(closing);
    // A fragment (`<>…</>`) groups children without an element: its name is empty.
    if b.get(name_start) == Some(&b'>') {
        let end = name_start + 1;
        return Ok(Some(if closing {
            Tag::Close { name: String::new(), end }
        } else {
            Tag::Open { name: String::new(), attrs: Vec::new(), end, self_closing: false }
        }));
    }
    let Some(name_stop) = name_end(b, name_start) else { return Ok(None) };
    match b.get(name_stop) {
        Some(&c) if is_ws(c) || c == b'>' || c == b'/' => {}
        None => {}
        Some(_) => return Ok(None),
    }
    let name = text[name_start..name_stop].to_string();
    if closing {
        let i = skip_ws(b, name_stop, budget);
        return match b.get(i) {
            Some(b'>') => Ok(Some(Tag::Close { name, end: i + 1 })),
            _ => Err(bad(i, format!("closing tag </{name}> must end with `>`"), "closing tags take no attributes")),
        };
    }
    let mut attrs = Vec::new();
    let mut i = name_stop;
    loop {
        i = skip_ws(b, i, budget);
        match b.get(i) {
            None => {
                return Err(bad(lt, format!("tag <{name}> is never closed with `>`"), "end the tag with `>` or `/>`"));
            }
            Some(b'>') => return Ok(Some(Tag::Open { name, attrs, end: i + 1, self_closing: false })),
            Some(b'/') => {
                let j = skip_ws(b, i + 1, budget);
                if b.get(j) == Some(&b'>') {
                    return Ok(Some(Tag::Open { name, attrs, end: j + 1, self_closing: true }));
                }
                return Err(bad(i, format!("expected `/>` in tag <{name}>"), "a `/` in a tag must be followed by `>`"));
            }
            Some(b'{') => {
                return Err(bad(
                    i,
                    format!("spread attributes are not supported in tag <{name}>"),
                    "write each attribute as name=\"value\"",
                ));
            }
            Some(&c) if c.is_ascii_alphabetic() || c == b'_' || c == b'$' => {
                let (attr, next) = parse_attr(text, i, &name, budget)?;
                attrs.push(attr);
                i = next;
            }
            Some(_) => {
                let c = char_at(text, i);
                return Err(bad(
                    i,
                    format!("unexpected `{c}` in tag <{name}>"),
                    "attributes look like name=\"value\", name={expression} or a bare name",
                ));
            }
        }
    }
}

fn parse_attr(text: &str, start: usize, tag: &str, budget: &mut Budget) -> Result<(RawAttr, usize), TagError> {
    let b = text.as_bytes();
    let mut i = start;
    while b.get(i).is_some_and(|&c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'$' | b'-' | b':' | b'.')) {
        i += 1;
    }
    let name = text[start..i].to_string();
    let after = skip_ws(b, i, budget);
    if b.get(after) != Some(&b'=') {
        return Ok((RawAttr { name, value: AttrValue::Bool, pos: start }, i));
    }
    let v = skip_ws(b, after + 1, budget);
    match b.get(v) {
        Some(&q @ (b'"' | b'\'')) => {
            let close = b[v + 1..].iter().position(|&c| c == q).filter(|&n| budget.spend(n));
            match close {
                Some(n) => {
                    let value = AttrValue::Str(text[v + 1..v + 1 + n].to_string());
                    Ok((RawAttr { name, value, pos: start }, v + 2 + n))
                }
                None => Err(bad(v, format!("the value of `{name}` in <{tag}> is never closed"), "add the closing quote")),
            }
        }
        Some(b'{') => match scan_balanced(b, v + 1, b'{', budget) {
            Some(end) => {
                let value = AttrValue::Expr(text[v + 1..end - 1].trim().to_string());
                Ok((RawAttr { name, value, pos: start }, end))
            }
            None => Err(TagError {
                pos: v,
                code: "mdx.unclosed-expression",
                message: format!("the expression of `{name}` in <{tag}> never closes"),
                hint: Some("add the matching `}`".to_string()),
            }),
        },
        _ => Err(bad(v, format!("attribute `{name}` in <{tag}> has no value after `=`"), "write name=\"value\" or name={expression}")),
    }
}

/// Scan JavaScript-ish source from `i`, inside an opener already consumed (`{` or a template
/// literal's `` ` ``), to the byte after its matching closer. Strings, template literals with
/// `${…}`, comments and bracket nesting are respected; `None` if it never closes.
pub(super) fn scan_balanced(b: &[u8], mut i: usize, opener: u8, budget: &mut Budget) -> Option<usize> {
    let mut stack = vec![opener];
    while let Some(&top) = stack.last() {
        if !budget.spend(1) {
            return None;
        }
        let c = *b.get(i)?;
        let quote = i;
        i += 1;
        if top == b'`' {
            match c {
                b'\\' => i += 1,
                b'`' => {
                    stack.pop();
                }
                b'$' if b.get(i) == Some(&b'{') => {
                    i += 1;
                    stack.push(b'{');
                }
                _ => {}
            }
            continue;
        }
        match c {
            b'{' | b'[' | b'(' | b'`' => stack.push(c),
            b'}' | b']' | b')' => {
                let want = match c {
                    b'}' => b'{',
                    b']' => b'[',
                    _ => b'(',
                };
                if top != want {
                    return None;
                }
                stack.pop();
            }
            // A quote not closed on its line is no JS string: it is JSX text (`<p>don't</p>`)
            // or a JSX attribute value spanning lines (`<path d="…⏎…"/>`), plain text for nesting.
            b'"' | b'\'' => loop {
                if !budget.spend(1) {
                    return None;
                }
                match *b.get(i)? {
                    b'\\' => i += 2,
                    b'\n' => {
                        i = quote + 1;
                        break;
                    }
                    q if q == c => {
                        i += 1;
                        break;
                    }
                    _ => i += 1,
                }
            },
            b'/' if b.get(i) == Some(&b'/') => {
                let n = b[i..].iter().position(|&c| c == b'\n')?;
                budget.spend(n);
                i += n;
            }
            b'/' if b.get(i) == Some(&b'*') => {
                let n = b[i + 1..].windows(2).position(|w| w == b"*/")?;
                budget.spend(n);
                i += n + 3;
            }
            _ => {}
        }
    }
    Some(i)
}

/// The text of a template literal that is the whole of `expr` (trimmed), with `\` escapes
/// resolved; `None` when `expr` is not exactly one template literal.
/// The value of a literal expression: a string in either quote, a template literal without
/// substitutions, or a number; `None` for anything else.
pub(crate) fn literal_text(expr: &str) -> Option<String> {
    let e = expr.trim();
    if let Some(t) = template_text(e).filter(|t| !t.contains("${")) {
        return Some(t);
    }
    if !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit() || b == b'.') && e.bytes().filter(|&b| b == b'.').count() <= 1 {
        return Some(e.to_string());
    }
    let q = e.chars().next().filter(|q| matches!(q, '"' | '\''))?;
    let inner = e.strip_prefix(q)?.strip_suffix(q)?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next()? {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                c => out.push(c),
            },
            // An unescaped quote ends the string early: `'a' + 'b'` is no single literal.
            c if c == q => return None,
            c => out.push(c),
        }
    }
    Some(out)
}

pub(super) fn template_text(expr: &str) -> Option<String> {
    let e = expr.trim();
    let b = e.as_bytes();
    if b.first() != Some(&b'`') {
        return None;
    }
    let end = scan_balanced(b, 1, b'`', &mut Budget(b.len() + 1))?;
    if end != b.len() {
        return None;
    }
    let mut out = String::with_capacity(e.len());
    let mut chars = e[1..e.len() - 1].chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            _ => out.push(c),
        }
    }
    Some(out)
}

/// Length of the backtick run at `i`.
pub(super) fn run_len(b: &[u8], i: usize, c: u8) -> usize {
    b[i..].iter().take_while(|&&x| x == c).count()
}

/// The byte after the code span whose opening run of `n` backticks ends at `i`, if a closing
/// run of exactly `n` exists before the paragraph ends (a blank line, or a line starting
/// with `<`, which is a JSX tag in MDX).
pub(super) fn code_span_end(b: &[u8], mut i: usize, n: usize, budget: &mut Budget) -> Option<usize> {
    while let Some(&c) = b.get(i) {
        if !budget.spend(1) {
            return None;
        }
        match c {
            b'`' => {
                let m = run_len(b, i, b'`');
                if m == n {
                    return Some(i + m);
                }
                i += m;
            }
            b'\n' => {
                let first = b[i + 1..].iter().position(|&c| c != b' ' && c != b'\t').map(|k| b[i + 1 + k]);
                if matches!(first, None | Some(b'\n' | b'\r' | b'<')) {
                    return None;
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    None
}

/// An opening code fence at the start of `line` (indentation already removed): its char and
/// run length.
pub(super) fn fence_open(line: &[u8]) -> Option<(u8, usize)> {
    let c = *line.first()?;
    if c != b'`' && c != b'~' {
        return None;
    }
    let n = run_len(line, 0, c);
    if n < 3 || (c == b'`' && line[n..].contains(&b'`')) {
        return None;
    }
    Some((c, n))
}

/// Does `line` close a fence opened with `n` × `c`?
pub(super) fn fence_close(line: &[u8], c: u8, n: usize) -> bool {
    let t = line.trim_ascii_start();
    let m = run_len(t, 0, c);
    m >= n && t[m..].iter().all(|x| x.is_ascii_whitespace())
}

/// Length of a list-item marker and its following spaces at the start of `s`, or 0.
pub(super) fn list_marker_len(s: &[u8]) -> usize {
    let digits = s.iter().take_while(|c| c.is_ascii_digit()).count();
    let m = match s.first() {
        Some(b'-' | b'*' | b'+') => 1,
        _ if (1..=9).contains(&digits) && matches!(s.get(digits), Some(b'.' | b')')) => digits + 1,
        _ => return 0,
    };
    let spaces = s[m..].iter().take_while(|&&c| c == b' ').count();
    if spaces == 0 { 0 } else { m + spaces }
}

/// An ESM line (`import … from …`, `export const …`) as MDX allows at the top level.
pub(crate) fn is_esm(line: &[u8]) -> bool {
    if let Some(rest) = line.strip_prefix(b"import ") {
        return matches!(rest.first(), Some(b'{' | b'*' | b'\'' | b'"')) || rest.windows(6).any(|w| w == b" from ");
    }
    let Some(rest) = line.strip_prefix(b"export ") else { return false };
    ["const ", "let ", "var ", "function ", "default ", "class ", "async ", "{", "*"].iter().any(|k| rest.starts_with(k.as_bytes()))
}
