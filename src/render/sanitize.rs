//! Raw HTML written in pages, as `html = "sanitize" | "trusted" | "escape"` says.
//!
//! Sanitising uses ammonia's policy one tag at a time: Markdown splits an author's HTML into
//! pieces (`<details>` in one block, its Markdown body, `</details>` in another), and a whole-
//! fragment sanitiser would close or drop what is still open. Each start tag is cleaned by
//! ammonia in the context its element needs (a `<td>` inside a table row) and copied back
//! from its output; end tags are kept when their element is allowed; comments, doctype and
//! processing instructions go; `<script>`/`<style>` go with their content; a `<` that starts
//! no complete tag becomes text.
//! Invariant: in sanitize mode every tag in the output is one ammonia emitted, so no event
//! handler, script URL or script element survives, whatever the input's parse context.

use crate::config::HtmlMode;
use comrak::nodes::{AstNode, NodeValue};
use std::collections::HashSet;
use std::sync::LazyLock;

/// Elements docs use, beyond ammonia's defaults: disclosure, media, embeds, inline SVG (with
/// [`SVG_PARTS`]).
const EXTRA_TAGS: &[&str] = &[
    "details",
    "summary",
    "video",
    "audio",
    "source",
    "track",
    "picture",
    "iframe",
    "figure",
    "figcaption",
    "kbd",
    "mark",
    "section",
    "article",
    "aside",
    "header",
    "footer",
    "nav",
    "button",
    "svg",
    "title",
];

/// The SVG elements other than `svg` itself (`title` is HTML's too).
const SVG_PARTS: &[&str] = &[
    "g",
    "path",
    "circle",
    "ellipse",
    "rect",
    "line",
    "polyline",
    "polygon",
    "defs",
    "lineargradient",
    "radialgradient",
    "stop",
    "clippath",
    "mask",
    "symbol",
    "text",
    "tspan",
    "desc",
];

/// Attributes any allowed element may carry.
const GENERIC_ATTRS: &[&str] = &["class", "id", "style", "title", "lang", "dir", "role", "hidden", "align", "width", "height"];

/// Attributes of particular elements (SVG's are few and presentational).
const TAG_ATTRS: &[(&str, &[&str])] = &[
    ("a", &["href", "target", "rel", "name", "download"]),
    ("img", &["src", "srcset", "sizes", "alt", "loading", "decoding"]),
    ("video", &["src", "poster", "controls", "autoplay", "loop", "muted", "playsinline", "preload"]),
    ("audio", &["src", "controls", "autoplay", "loop", "muted", "preload"]),
    ("source", &["src", "srcset", "type", "media", "sizes"]),
    ("track", &["src", "kind", "srclang", "label", "default"]),
    ("iframe", &["src", "allow", "allowfullscreen", "frameborder", "loading", "referrerpolicy", "sandbox"]),
    ("details", &["open"]),
    ("button", &["type", "disabled"]),
    ("td", &["colspan", "rowspan"]),
    ("th", &["colspan", "rowspan", "scope"]),
    ("ol", &["start", "type", "reversed"]),
    ("time", &["datetime"]),
    ("svg", &["xmlns", "viewBox", "viewbox", "fill", "stroke", "stroke-width", "preserveAspectRatio"]),
    (
        "path",
        &["d", "fill", "stroke", "stroke-width", "stroke-linecap", "stroke-linejoin", "fill-rule", "clip-rule", "transform", "opacity"],
    ),
    ("g", &["fill", "stroke", "stroke-width", "transform", "opacity"]),
    ("circle", &["cx", "cy", "r", "fill", "stroke", "stroke-width"]),
    ("ellipse", &["cx", "cy", "rx", "ry", "fill", "stroke", "stroke-width"]),
    ("rect", &["x", "y", "rx", "ry", "fill", "stroke", "stroke-width", "transform"]),
    ("line", &["x1", "y1", "x2", "y2", "stroke", "stroke-width", "stroke-linecap"]),
    ("polyline", &["points", "fill", "stroke", "stroke-width"]),
    ("polygon", &["points", "fill", "stroke", "stroke-width"]),
    ("stop", &["offset", "stop-color", "stop-opacity"]),
    ("lineargradient", &["x1", "y1", "x2", "y2", "gradientUnits"]),
    ("text", &["x", "y", "fill", "font-size", "text-anchor"]),
];

/// Elements removed together with their content.
const CONTENT_DROPPED: &[&str] = &["script", "style"];

static POLICY: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.add_tags(EXTRA_TAGS)
        .add_tags(SVG_PARTS)
        .add_generic_attributes(GENERIC_ATTRS)
        .add_generic_attribute_prefixes(["data-", "aria-"])
        .link_rel(None)
        .strip_comments(true)
        .clean_content_tags(CONTENT_DROPPED.iter().copied().collect())
        // An embedded page runs its own scripts: only from https origins.
        .attribute_filter(|element, attribute, value| {
            let insecure = element == "iframe" && attribute == "src" && !value.trim_start().to_ascii_lowercase().starts_with("https://");
            (!insecure).then(|| value.into())
        });
    for (tag, attrs) in TAG_ATTRS {
        b.add_tag_attributes(*tag, attrs.iter().copied());
    }
    b
});

static ALLOWED: LazyLock<HashSet<&'static str>> = LazyLock::new(|| POLICY.clone_tags());

/// Apply `mode` to every raw HTML node under `root`.
pub(crate) fn raw_html<'a>(root: &'a AstNode<'a>, mode: HtmlMode) {
    for n in root.descendants() {
        let mut data = n.data_mut();
        let (lit, block) = match &mut data.value {
            NodeValue::HtmlBlock(b) => (&mut b.literal, true),
            NodeValue::HtmlInline(s) => (s, false),
            _ => continue,
        };
        *lit = match mode {
            HtmlMode::Sanitize => sanitize(lit),
            HtmlMode::Escape if block => format!("<p>{}</p>\n", escape(lit.trim_end())),
            HtmlMode::Escape => escape(lit),
            HtmlMode::Trusted => tag_filter(lit),
        };
    }
}

/// The sanitised form of a piece of raw HTML.
pub(crate) fn sanitize(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(k) = rest.find('<') {
        out.push_str(&rest[..k]);
        rest = &rest[k..];
        let after = &rest[1..];
        if after.starts_with("!--") {
            // From the first `-`: `<!-->` and `<!--->` are whole (empty) comments.
            let body = &after[1..];
            rest = body.find("-->").map_or("", |e| &body[e + 3..]);
            continue;
        }
        if after.starts_with(['!', '?']) {
            rest = after.find('>').map_or("", |e| &after[e + 1..]);
            continue;
        }
        let Some(end) = tag_end(rest) else {
            out.push_str("&lt;");
            rest = after;
            continue;
        };
        let (closing, name) = tag_name(&rest[..end]);
        if name.is_empty() {
            out.push_str("&lt;");
            rest = after;
            continue;
        }
        let tag = &rest[..end];
        rest = &rest[end..];
        let lower = name.to_ascii_lowercase();
        if CONTENT_DROPPED.contains(&lower.as_str()) {
            if !closing {
                rest = skip_content(rest, &lower);
            }
            continue;
        }
        if closing {
            if ALLOWED.contains(lower.as_str()) {
                out.push_str("</");
                out.push_str(&lower);
                out.push('>');
            }
            continue;
        }
        out.push_str(&start_tag(tag, &lower));
    }
    out.push_str(rest);
    out
}

/// Where a comment opens in `html` that no `-->` closes, as a browser reads it (`<!-->`
/// and `<!--->` close themselves).
pub(crate) fn unclosed_comment(html: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(at) = html[from..].find("<!--").map(|i| from + i) {
        match html[at + 2..].find("-->") {
            Some(end) => from = at + 2 + end + 3,
            None => return Some(at),
        }
    }
    None
}

/// `tag` (a whole start tag, `<name …>`) as ammonia cleans it, or nothing when its element is
/// not allowed. Table parts are parsed inside the table that gives them meaning.
fn start_tag(tag: &str, name: &str) -> String {
    let (open, close) = match name {
        "td" | "th" => ("<table><tbody><tr>", "</tr></tbody></table>"),
        "tr" => ("<table><tbody>", "</tbody></table>"),
        "tbody" | "thead" | "tfoot" | "caption" | "colgroup" => ("<table>", "</table>"),
        "col" => ("<table><colgroup>", "</colgroup></table>"),
        // SVG's parts are only SVG inside an `<svg>`.
        _ if SVG_PARTS.contains(&name) => ("<svg>", "</svg>"),
        _ => ("", ""),
    };
    let cleaned = POLICY.clean(&format!("{open}{tag}{close}")).to_string();
    let Some(at) = find_start(&cleaned, name) else { return String::new() };
    let Some(len) = tag_end(&cleaned[at..]) else { return String::new() };
    let mut out = cleaned[at..at + len].to_string();
    // `<path … />` in SVG closes the element; the serialiser drops the slash.
    if tag.trim_end_matches('>').trim_end().ends_with('/') && !out.ends_with("/>") {
        out.insert_str(out.len() - 1, " /");
    }
    out
}

/// Where `<name` starts a tag in serialised HTML.
fn find_start(html: &str, name: &str) -> Option<usize> {
    let pat = format!("<{name}");
    let mut from = 0;
    while let Some(i) = html[from..].find(&pat).map(|i| i + from) {
        let next = html[i + pat.len()..].chars().next();
        if next.is_none_or(|c| c == '>' || c == '/' || c.is_whitespace()) {
            return Some(i);
        }
        from = i + pat.len();
    }
    None
}

/// The length of the tag starting at `s[0] == '<'`, quotes respected; `None` if it never ends.
fn tag_end(s: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in s.char_indices().skip(1) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return Some(i + 1),
            (None, '<') => return None,
            _ => {}
        }
    }
    None
}

/// Whether `tag` is an end tag, and its element name (empty if it has none).
fn tag_name(tag: &str) -> (bool, &str) {
    let body = &tag[1..];
    let (closing, body) = match body.strip_prefix('/') {
        Some(b) => (true, b),
        None => (false, body),
    };
    let len = body.bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'-').count();
    let name = &body[..len];
    (closing, if name.starts_with(|c: char| c.is_ascii_alphabetic()) { name } else { "" })
}

/// `rest` after the end tag of `name` (case-insensitive); empty when it never comes.
fn skip_content<'s>(rest: &'s str, name: &str) -> &'s str {
    let pat = format!("</{name}");
    let lower = rest.to_ascii_lowercase();
    match lower.find(&pat) {
        Some(i) => rest[i..].find('>').map_or("", |e| &rest[i + e + 1..]),
        None => "",
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// GFM's tag filter (trusted mode): `<script>`, `<iframe>` and the like become text, so a
/// page cannot break the layout by accident.
fn tag_filter(lit: &str) -> String {
    const FILTERED: [&str; 9] = ["title", "textarea", "style", "xmp", "iframe", "noembed", "noframes", "script", "plaintext"];
    let mut out = String::with_capacity(lit.len());
    let mut rest = lit;
    while let Some(k) = rest.find('<') {
        out.push_str(&rest[..k]);
        let tag = rest[k + 1..].strip_prefix('/').unwrap_or(&rest[k + 1..]);
        let name_len = tag.bytes().take_while(u8::is_ascii_alphabetic).count();
        let ends = tag[name_len..].starts_with(|c: char| c.is_whitespace() || c == '>' || c == '/') || tag.len() == name_len;
        let filtered = ends && FILTERED.iter().any(|f| f.eq_ignore_ascii_case(&tag[..name_len]));
        out.push_str(if filtered { "&lt;" } else { "<" });
        rest = &rest[k + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_vectors_go() {
        assert_eq!(sanitize("<img src=x onerror=alert(4)>"), "<img src=\"x\">");
        assert_eq!(sanitize("a<script>alert(1)</script>b"), "ab");
        assert_eq!(sanitize("<a href=\"javascript:alert(1)\" onclick=\"x()\">t</a>"), "<a>t</a>");
        assert_eq!(sanitize("<a href=\"JaVaScRiPt:alert(1)\">t</a>"), "<a>t</a>");
        assert_eq!(sanitize("<iframe src=\"http://x.example\"></iframe>"), "<iframe></iframe>");
        assert_eq!(
            sanitize("<iframe srcdoc=\"<script>x</script>\" src=\"https://y.example/e\"></iframe>"),
            "<iframe src=\"https://y.example/e\"></iframe>"
        );
        assert_eq!(sanitize("<svg onload=alert(1)><path d=\"M0\" /></svg>"), "<svg><path d=\"M0\" /></svg>");
        assert_eq!(sanitize("<style>body{display:none}</style>x"), "x");
        assert_eq!(sanitize("<object data=x></object><embed src=y>"), "");
        assert_eq!(sanitize("<!-- c --><x-y>"), "");
        assert_eq!(sanitize("<div title=\"a>b\" onmouseover=x>"), "<div title=\"a&gt;b\">");
    }

    #[test]
    fn what_docs_use_stays() {
        for keep in [
            "<details open=\"\">",
            "<summary>",
            "</details>",
            "<div class=\"note\" id=\"x\" style=\"color: red\">",
            "<img src=\"/a.png\" alt=\"A\" width=\"200\">",
            "<video src=\"/v.mp4\" controls=\"\">",
            "<iframe src=\"https://www.youtube.com/embed/x\" allowfullscreen=\"\">",
            "<a href=\"https://example.com\" target=\"_blank\" rel=\"noopener\">",
            "<td colspan=\"2\">",
            "<span data-x=\"1\" aria-label=\"l\">",
        ] {
            assert_eq!(sanitize(keep), keep, "{keep}");
        }
        assert_eq!(sanitize("<br/>"), "<br />");
        assert_eq!(sanitize("1 < 2 and 3 > 2"), "1 &lt; 2 and 3 > 2");
        assert_eq!(sanitize("<"), "&lt;");
        assert_eq!(sanitize("<td><tr><th scope=col>"), "<td><tr><th scope=\"col\">");
    }

    #[test]
    fn comments_close_as_in_a_browser() {
        assert_eq!(sanitize("a<!-->b<!--->c<!-- d -->e"), "abce");
        assert_eq!(unclosed_comment("<!-- a --> <!-->"), None);
        assert_eq!(unclosed_comment("<p>x</p>\n<!-- never <!-- closed -- >"), Some(9));
        assert_eq!(unclosed_comment("<!-- a --> b <!--"), Some(13));
    }

    #[test]
    fn never_panics_on_fragments() {
        for s in ["<", "</", "<a", "<a href=\"", "</>", "<1>", "<!", "<!--", "<?", "<é>", "<script", "<script>x", "<>", "<a\u{0}>"] {
            let out = sanitize(s);
            assert!(!out.contains("<script") && !out.contains("on"), "{s:?} → {out:?}");
        }
    }
}
