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

/// Split body HTML at `<hN id="…">` (N = 2..=4) and strip the markup of each part.
pub fn sections(html: &str) -> Vec<TextSection> {
    let mut out = vec![TextSection { id: None, level: 0, heading: String::new(), text: String::new() }];
    let mut rest = html;
    loop {
        let next = find_heading(rest);
        let Some((start, level, id, end_of_heading, heading_html)) = next else {
            push_text(out.last_mut().expect("non-empty"), rest);
            break;
        };
        push_text(out.last_mut().expect("non-empty"), &rest[..start]);
        out.push(TextSection {
            id: Some(id),
            level,
            heading: {
                let mut h = String::new();
                push_words(&mut h, &strip_tags(heading_html));
                h
            },
            text: String::new(),
        });
        rest = &rest[end_of_heading..];
    }
    out
}

fn push_text(s: &mut TextSection, html: &str) {
    push_words(&mut s.text, &strip_tags(html));
}

/// Appends the words of `text` to `dst`, single-spaced.
fn push_words(dst: &mut String, text: &str) {
    for w in text.split_whitespace() {
        if !dst.is_empty() {
            dst.push(' ');
        }
        dst.push_str(w);
    }
}

/// Find the next `<h2|h3|h4 id="…">…</hN>`: (start, level, id, end, inner html).
fn find_heading(html: &str) -> Option<(usize, u8, String, usize, &str)> {
    let mut from = 0;
    while let Some(i) = html[from..].find("<h") {
        let start = from + i;
        let b = html.as_bytes();
        let level = b.get(start + 2).copied().unwrap_or(0);
        if (b'2'..=b'4').contains(&level) && html[start + 3..].starts_with(" id=\"") {
            let id_start = start + 8;
            let id_end = id_start + html[id_start..].find('"')?;
            let open_end = id_end + html[id_end..].find('>')? + 1;
            let close = format!("</h{}>", level as char);
            let close_at = open_end + html[open_end..].find(&close)?;
            return Some((start, level - b'0', html[id_start..id_end].to_string(), close_at + close.len(), &html[open_end..close_at]));
        }
        from = start + 2;
    }
    None
}

/// Markup removed, the common entities decoded, `<script>`/`<style>` contents dropped.
pub fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        push_decoded(&mut out, &rest[..lt]);
        let after = &rest[lt..];
        let skip_to = if after.starts_with("<script") {
            after.find("</script>").map(|e| e + 9)
        } else if after.starts_with("<style") {
            after.find("</style>").map(|e| e + 8)
        } else {
            None
        };
        let end = skip_to.or_else(|| after.find('>').map(|e| e + 1)).unwrap_or(after.len());
        // Block-level tags separate words.
        out.push(' ');
        rest = &after[end..];
    }
    push_decoded(&mut out, rest);
    out
}

/// Appends `s` to `out` with the entities comrak and syntect emit decoded (in one pass:
/// `&amp;lt;` stays `&lt;`).
fn push_decoded(out: &mut String, s: &str) {
    const ENTITIES: [(&str, &str); 7] =
        [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&#x27;", "'"), ("&nbsp;", "\u{a0}"), ("&amp;", "&")];
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let (text, len) = ENTITIES.iter().find(|(e, _)| tail.starts_with(e)).map_or(("&", 1), |(e, t)| (*t, e.len()));
        out.push_str(text);
        rest = &tail[len..];
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_entities_once() {
        let mut out = String::new();
        push_decoded(&mut out, "&amp;lt; a&lt;b&gt; &quot;c&quot; &#39;d&#x27; e&nbsp;f &copy; &&lt;");
        assert_eq!(out, "&lt; a<b> \"c\" 'd' e\u{a0}f &copy; &<");
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
