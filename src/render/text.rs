//! Small text utilities of the render stage: Markdown snippets (reference descriptions) to
//! HTML, and rendered HTML back to plain text split into sections (for search).
//! Architecture invariant: pure string functions, no page or site state.

use comrak::{Options, markdown_to_html as comrak_html};
use std::sync::Arc;

/// Render a Markdown snippet to HTML; `rewrite` maps every link URL (to markers).
pub fn markdown_to_html_with(md: &str, rewrite: &(dyn Fn(&str) -> String + Send + Sync + std::panic::RefUnwindSafe)) -> String {
    let mut o = Options::default();
    o.extension.table = true;
    o.extension.autolink = true;
    o.parse.smart = true;
    o.extension.link_url_rewriter = Some(Arc::new(move |u: &str| rewrite(u)));
    comrak_html(md, &o)
}

/// One searchable section of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextSection {
    /// Heading id (`None` for the text before the first heading).
    pub id: Option<String>,
    /// Heading level (0 for the intro).
    pub level: u8,
    /// Heading text.
    pub heading: String,
    /// Plain text of the section.
    pub text: String,
}

/// Split body HTML at `<hN id="…">…</hN>` (N = 2..=4) and strip the markup of each part,
/// in one pass over the HTML (this feeds the search index of every page).
pub fn sections(html: &str) -> Vec<TextSection> {
    let mut out = vec![TextSection { id: None, level: 0, heading: String::new(), text: String::new() }];
    let mut rest = html;
    loop {
        let last = out.last_mut().expect("non-empty");
        let Some((used, h)) = push_plain(&mut Words::new(&mut last.text), rest, true) else { break };
        let mut heading = String::new();
        push_plain(&mut Words::new(&mut heading), h.inner, false);
        out.push(TextSection { id: Some(h.id.to_string()), level: h.level, heading, text: String::new() });
        rest = &rest[used..];
    }
    out
}

/// A section heading found by [`push_plain`].
struct Heading<'a> {
    level: u8,
    id: &'a str,
    inner: &'a str,
}

/// Appends the words of `html`'s text to `w`: markup removed (a tag separates words),
/// `<script>`/`<style>` contents dropped, the entities comrak and syntect emit decoded once
/// (`&amp;lt;` stays `&lt;`). With `split`, stops after the first section heading and
/// returns the bytes read and the heading.
fn push_plain<'a>(w: &mut Words<'_>, html: &'a str, split: bool) -> Option<(usize, Heading<'a>)> {
    const ENTITIES: [(&str, &str); 7] =
        [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&#x27;", "'"), ("&nbsp;", "\u{a0}"), ("&amp;", "&")];
    let mut at = 0;
    while let Some(i) = memchr::memchr2(b'<', b'&', &html.as_bytes()[at..]) {
        w.push(&html[at..at + i]);
        at += i;
        let tail = &html[at..];
        if tail.starts_with('&') {
            let (text, len) = ENTITIES.iter().find(|(e, _)| tail.starts_with(e)).map_or(("&", 1), |(e, t)| (*t, e.len()));
            w.push(text);
            at += len;
            continue;
        }
        if split && let Some((len, h)) = heading_at(tail) {
            return Some((at + len, h));
        }
        let skip_to = if tail.starts_with("<script") {
            tail.find("</script>").map(|e| e + 9)
        } else if tail.starts_with("<style") {
            tail.find("</style>").map(|e| e + 8)
        } else {
            None
        };
        at += skip_to.or_else(|| memchr::memchr(b'>', tail.as_bytes()).map(|e| e + 1)).unwrap_or(tail.len());
        w.split();
    }
    w.push(&html[at..]);
    None
}

/// `<h2|h3|h4 id="…">…</hN>` at the start of `tail`: its length and parts.
fn heading_at(tail: &str) -> Option<(usize, Heading<'_>)> {
    let b = tail.as_bytes();
    let level = *b.get(2)?;
    if b[1] != b'h' || !(b'2'..=b'4').contains(&level) || !tail[3..].starts_with(" id=\"") {
        return None;
    }
    let id_end = 8 + memchr::memchr(b'"', &b[8..])?;
    let open_end = id_end + memchr::memchr(b'>', &b[id_end..])? + 1;
    let close = [b'<', b'/', b'h', level, b'>'];
    let close_at = open_end + memchr::memmem::find(&b[open_end..], &close)?;
    Some((close_at + close.len(), Heading { level: level - b'0', id: &tail[8..id_end], inner: &tail[open_end..close_at] }))
}

/// Words appended to a string, single-spaced; text pushed without a break in between
/// continues the current word.
struct Words<'s> {
    dst: &'s mut String,
    joined: bool,
}

impl<'s> Words<'s> {
    fn new(dst: &'s mut String) -> Self {
        Self { dst, joined: false }
    }

    fn push(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        for (k, word) in text.split(char::is_whitespace).enumerate() {
            if word.is_empty() {
                continue;
            }
            if (k > 0 || !self.joined) && !self.dst.is_empty() {
                self.dst.push(' ');
            }
            self.dst.push_str(word);
        }
        self.joined = !text.ends_with(char::is_whitespace);
    }

    /// Ends the current word.
    fn split(&mut self) {
        self.joined = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_entities_once() {
        let mut out = String::new();
        push_plain(&mut Words::new(&mut out), "&amp;lt; a&lt;b&gt; &quot;c&quot; &#39;d&#x27; e&amp;f &copy; &&lt;<i>x</i>y", false);
        assert_eq!(out, "&lt; a<b> \"c\" 'd' e&f &copy; &< x y");
    }

    #[test]
    fn splits_sections() {
        let html = "<p>Intro &amp; more</p><h2 id=\"a\">Alpha <code>x</code><a class=\"anchor\" href=\"#a\"></a></h2><p>Body</p><pre><code>let x = 1;</code></pre><h3 id=\"b\">Beta</h3><p>B</p>";
        let s = sections(html);
        assert_eq!(s.len(), 3);
        assert_eq!(s[0].text, "Intro & more");
        assert_eq!(s[1].id.as_deref(), Some("a"));
        assert_eq!(s[1].heading, "Alpha x");
        assert_eq!(s[1].text, "Body let x = 1;");
        assert_eq!(s[2].level, 3);
    }

    #[test]
    fn markdown_snippets_rewrite_links() {
        let html = markdown_to_html_with("An [Org](/reference/organization).", &|u: &str| format!("X{u}"));
        assert!(html.contains("href=\"X/reference/organization\""), "{html}");
    }
}
