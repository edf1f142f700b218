//! The changelog (DIALECT §8): a JSON array of entries, rendered as the `/changelog` page
//! (grouped by month, newest first) and, by the emit stage, as an Atom feed.
//! Architecture invariant: entry text is plain text and is always escaped.

use crate::diagnostics::Diagnostic;
use crate::model::url::{self, Use};
use crate::render::highlight::escape_html;
use serde::Deserialize;
use std::path::Path;

/// One changelog entry.
#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
pub struct Entry {
    /// Entry title (the JSON's `version`).
    #[serde(rename = "version")]
    pub title: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Plain-text changes.
    #[serde(default)]
    pub changes: Vec<String>,
    /// Link to the announcement.
    #[serde(default)]
    pub url: String,
    /// Stable id (defaults to the URL).
    #[serde(default)]
    pub guid: String,
}

impl Entry {
    /// Anchor id: the last path segment of the URL, or the slugged title.
    pub fn id(&self) -> String {
        let seg = self.url.trim_end_matches('/').rsplit('/').next().unwrap_or("");
        let s = crate::parse::slug::slugify(
            if seg.is_empty() || seg.contains(':') { &self.title } else { seg },
            crate::convention::SlugRule::Dialect,
        );
        if s.is_empty() { "entry".into() } else { s }
    }
}

/// Read and validate a changelog file; entries come back newest first.
pub fn load(path: &Path, display: &str) -> Result<Vec<Entry>, Diagnostic> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Diagnostic::error(display, 0, 0, "changelog.unreadable", format!("cannot read changelog: {e}")))?;
    let mut entries: Vec<Entry> = serde_json::from_str(&text).map_err(|e| {
        Diagnostic::error(display, e.line() as u32, e.column() as u32, "changelog.invalid", format!("invalid changelog JSON: {e}"))
    })?;
    if let Some(bad) = entries.iter().find(|e| !valid_date(&e.date)) {
        return Err(Diagnostic::error(
            display,
            0,
            0,
            "changelog.invalid",
            format!("entry \"{}\" has date \"{}\"; expected YYYY-MM-DD", bad.title, bad.date),
        ));
    }
    // An entry's link reaches the page and the feed: the URL policy decides, as for a page.
    for e in &entries {
        if let Err(why) = url::check(&e.url, Use::Link) {
            let at = serde_json::to_string(&e.url).ok().and_then(|quoted| text.find(&quoted)).unwrap_or(0);
            let line = if at == 0 { 0 } else { text[..at].matches('\n').count() as u32 + 1 };
            let message = format!("entry \"{}\" links to `{}`: {why}; the changelog is not built", e.title, url::shown(&e.url));
            return Err(Diagnostic::error(display, line, 0, "link.unsafe-url", message));
        }
    }
    entries.sort_by(|a, b| b.date.cmp(&a.date));
    Ok(entries)
}

fn valid_date(d: &str) -> bool {
    let b = d.as_bytes();
    b.len() == 10 && b[4] == b'-' && b[7] == b'-' && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

const MONTHS: [&str; 12] =
    ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/// The `/changelog` page body: (HTML, Markdown).
pub fn bodies(entries: &[Entry]) -> (String, String) {
    let mut html = String::from("<div class=\"changelog\">");
    let mut md = String::new();
    let mut month = String::new();
    for e in entries {
        let m = &e.date[..7];
        if m != month {
            if !month.is_empty() {
                html.push_str("</section>");
            }
            month = m.to_string();
            let name = format!("{} {}", MONTHS[e.date[5..7].parse::<usize>().unwrap_or(1).clamp(1, 12) - 1], &e.date[..4]);
            html.push_str(&format!("<section><h2 id=\"{m}\">{name}</h2>"));
            md.push_str(&format!("\n## {name}\n\n"));
        }
        let title = escape_html(&e.title);
        let heading = if e.url.is_empty() { title.clone() } else { format!("<a href=\"{}\">{title}</a>", escape_html(&e.url)) };
        html.push_str(&format!("<article id=\"{}\"><time datetime=\"{}\">{}</time><h3>{heading}</h3>", e.id(), e.date, e.date));
        for c in &e.changes {
            html.push_str(&format!("<p>{}</p>", escape_html(c)));
        }
        html.push_str("</article>");
        let link = if e.url.is_empty() { e.title.clone() } else { format!("[{}]({})", e.title, e.url) };
        md.push_str(&format!("- {}: {link}: {}\n", e.date, e.changes.join(" ")));
    }
    if !month.is_empty() {
        html.push_str("</section>");
    }
    html.push_str("</div>");
    (html, md.trim_start().to_string())
}

/// The Atom 1.0 feed (`changelog.xml`). `site_url` is the absolute site URL if known.
pub fn atom(entries: &[Entry], title: &str, site_url: Option<&str>, base: &str) -> String {
    let page = format!("{}{base}/changelog/", site_url.unwrap_or(""));
    let id = site_url
        .map(|_| page.clone())
        .unwrap_or_else(|| format!("urn:vellum:changelog:{}", crate::parse::slug::slugify(title, crate::convention::SlugRule::Dialect)));
    let updated = entries.first().map(|e| e.date.as_str()).unwrap_or("1970-01-01");
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    s.push_str(&format!(
        "  <title>{} changelog</title>\n  <id>{}</id>\n  <updated>{updated}T00:00:00Z</updated>\n",
        escape_html(title),
        escape_html(&id)
    ));
    s.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n  <author><name>{}</name></author>\n",
        escape_html(&page),
        escape_html(title)
    ));
    if site_url.is_some() {
        s.push_str(&format!(
            "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}{base}/changelog.xml\"/>\n",
            escape_html(site_url.unwrap_or(""))
        ));
    }
    for e in entries {
        let eid = if !e.guid.is_empty() {
            e.guid.clone()
        } else if !e.url.is_empty() {
            e.url.clone()
        } else {
            format!("{id}#{}", e.id())
        };
        s.push_str("  <entry>\n");
        s.push_str(&format!(
            "    <title>{}</title>\n    <id>{}</id>\n    <updated>{}T00:00:00Z</updated>\n",
            escape_html(&e.title),
            escape_html(&eid),
            e.date
        ));
        if !e.url.is_empty() {
            s.push_str(&format!("    <link rel=\"alternate\" href=\"{}\"/>\n", escape_html(&e.url)));
        }
        s.push_str(&format!("    <summary>{}</summary>\n  </entry>\n", escape_html(&e.changes.join(" "))));
    }
    s.push_str("</feed>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries() -> Vec<Entry> {
        let json = r#"[{"package":"p","version":"Older <b>","date":"2025-01-22","changes":["x & y"],"source":"rss","url":"https://e.com/changelog/older","guid":"https://e.com/changelog/older"},
                      {"package":"p","version":"Newer","date":"2025-05-30","changes":["z"],"source":"rss","url":"https://e.com/changelog/newer","guid":"g2"}]"#;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("c.json");
        std::fs::write(&p, json).unwrap();
        load(&p, "c.json").unwrap()
    }

    #[test]
    fn newest_first_grouped_and_escaped() {
        let e = entries();
        assert_eq!(e[0].title, "Newer");
        let (html, md) = bodies(&e);
        assert!(html.find("May 2025").unwrap() < html.find("January 2025").unwrap());
        assert!(html.contains("Older &lt;b&gt;") && html.contains("x &amp; y"));
        assert!(html.contains("<article id=\"older\"><time datetime=\"2025-01-22\">"));
        assert!(md.starts_with("## May 2025\n\n- 2025-05-30: [Newer](https://e.com/changelog/newer): z"));
    }

    #[test]
    fn atom_feed_has_required_elements() {
        let xml = atom(&entries(), "Docs", Some("https://e.com"), "/docs");
        for needle in [
            "<feed xmlns=\"http://www.w3.org/2005/Atom\">",
            "<id>https://e.com/docs/changelog/</id>",
            "<updated>2025-05-30T00:00:00Z</updated>",
            "<author><name>Docs</name></author>",
            "<id>g2</id>",
            "rel=\"self\"",
        ] {
            assert!(xml.contains(needle), "{needle}\n{xml}");
        }
    }

    #[test]
    fn bad_json_is_a_positioned_error() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("c.json");
        std::fs::write(&p, "[{\"version\": 1}]").unwrap();
        let d = load(&p, "c.json").unwrap_err();
        assert_eq!((d.code, d.line), ("changelog.invalid", 1));
    }

    #[test]
    fn script_links_refuse_the_changelog() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("c.json");
        std::fs::write(&p, "[\n{\"version\": \"v\", \"date\": \"2025-01-01\",\n \"url\": \"java\\tscript:alert(1)\"}]").unwrap();
        let d = load(&p, "c.json").unwrap_err();
        assert_eq!((d.code, d.line), ("link.unsafe-url", 3));
    }
}
