//! How core results read to an agent: each tool's result as compact Markdown, every one
//! capped at [`MAX_OUTPUT`] bytes with a note saying what was cut.
//! Architecture invariant: pure formatting of `api` values; no lookups, no protocol types.

use super::api::{Anchor, DocsError, PageRead, SearchHit};
use super::browse::{Link, Listing, NavHints, TreeNode};
use crate::site::changelog::Entry;
use std::fmt::Write;

/// Largest tool result, in bytes.
pub const MAX_OUTPUT: usize = 60 * 1024;

/// `text` cut to at most `max` bytes at a line (or char) boundary, with a note when cut.
pub fn cap(text: String, max: usize) -> String {
    if text.len() <= max {
        return text;
    }
    let note = format!(
        "\n\n[Truncated: showing about {} of {} KB. Read a smaller part: use search_docs to find the section you need.]\n",
        max / 1024,
        text.len().div_ceil(1024)
    );
    let mut end = max.saturating_sub(note.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    // Prefer a line break in the last 2 KB so a line is not cut in half.
    if let Some(nl) = text[..end].rfind('\n').filter(|&nl| end - nl < 2048) {
        end = nl;
    }
    let mut out = text[..end].to_string();
    out.push_str(&note);
    out
}

/// Search results.
pub fn search(query: &str, hits: &[SearchHit]) -> String {
    let q: String = query.chars().take(200).collect();
    if hits.is_empty() {
        return format!("No results for \"{q}\". Try other or fewer words, or browse the sections with list_docs.\n");
    }
    let mut s = format!("{} results for \"{q}\", best first:\n\n", hits.len());
    for (i, h) in hits.iter().enumerate() {
        let _ = write!(s, "{}. **{}**", i + 1, h.title);
        if !h.section.is_empty() && h.section != h.title {
            let _ = write!(s, " › {}", h.section);
        }
        let _ = writeln!(s, "\n   path: {}", h.path);
        if h.breadcrumbs.len() > 1 {
            let _ = writeln!(s, "   in: {}", h.breadcrumbs.join(" › "));
        }
        if !h.snippet.is_empty() {
            let _ = writeln!(s, "   > {}", h.snippet.replace('\n', " "));
        }
        s.push('\n');
    }
    let first = &hits[0].page;
    let _ = writeln!(s, "Read a page with read_doc, e.g. {{\"path\": \"{first}\"}}; a path with #anchor also works.");
    cap(s, MAX_OUTPUT)
}

/// A page read: a note on the requested section, the Markdown twin, then navigation hints.
pub fn read(r: &PageRead<'_>) -> String {
    let mut head = String::new();
    match &r.anchor {
        Some(Anchor::Found(h)) => {
            let _ = writeln!(
                head,
                "[Requested section: \"{}\" (#{}). The whole page follows; the section starts at that heading.]\n",
                h.text, h.id
            );
        }
        Some(Anchor::Missing(a)) => {
            let ids: Vec<String> = r.page.headings.iter().filter(|h| h.in_toc).take(30).map(|h| format!("#{}", h.id)).collect();
            let listed = if ids.is_empty() {
                "the page has no section headings".to_string()
            } else {
                format!("its sections are {}", ids.join(", "))
            };
            let a: String = a.chars().take(100).collect();
            let _ = writeln!(head, "[No section #{a} on this page; {listed}. The whole page follows.]\n");
        }
        None => {}
    }
    let foot = nav(&r.nav, &r.page.url);
    let body = cap(r.markdown.clone(), MAX_OUTPUT.saturating_sub(head.len() + foot.len()));
    format!("{head}{body}{foot}")
}

fn links(list: &[Link]) -> String {
    list.iter().map(|l| format!("{} ({})", l.title, l.path)).collect::<Vec<_>>().join(" · ")
}

fn nav(h: &NavHints, url: &str) -> String {
    let mut s = format!("\n---\nNavigation for {url}\n");
    if let Some(sec) = &h.section {
        let _ = writeln!(s, "- Section: {} ({})", sec.title, sec.path);
    }
    if let Some(g) = &h.group {
        let _ = writeln!(s, "- Group: {g}");
    }
    if let Some(p) = &h.parent {
        let _ = writeln!(s, "- Parent: {}", links(std::slice::from_ref(p)));
    }
    if let Some(p) = &h.prev {
        let _ = writeln!(s, "- Previous: {}", links(std::slice::from_ref(p)));
    }
    if let Some(n) = &h.next {
        let _ = writeln!(s, "- Next: {}", links(std::slice::from_ref(n)));
    }
    if !h.siblings.is_empty() {
        let _ = writeln!(s, "- Siblings: {}", links(&h.siblings));
    }
    if !h.children.is_empty() {
        let _ = writeln!(s, "- Children: {}", links(&h.children));
    }
    if h.more > 0 {
        let _ = writeln!(s, "- {} more nearby pages: list_docs {{\"path\": \"{url}\"}}", h.more);
    }
    s
}

/// A `list_docs` result.
pub fn listing(l: &Listing) -> String {
    let mut s = String::new();
    match l {
        Listing::Sections { sections, unlisted, changelog } => {
            let _ = writeln!(s, "# Documentation sections ({})\n", sections.len());
            for sec in sections {
                let first = sec.path.as_deref().map(|p| format!(" · starts at {p}")).unwrap_or_default();
                let _ = writeln!(s, "- **{}** — folder `{}` · {} pages{first}", sec.title, sec.folder, sec.pages);
            }
            if *unlisted > 0 {
                let _ = writeln!(s, "\n{unlisted} more pages are in no section's navigation; search_docs finds them.");
            }
            if *changelog {
                let _ = writeln!(s, "The changelog is at /changelog (or call get_changelog).");
            }
            let _ = writeln!(
                s,
                "\nCall list_docs with a folder (e.g. {{\"path\": \"{}\"}}) to see a section's pages, then read_doc with a page path.",
                sections.first().map_or("sso", |x| x.folder.as_str())
            );
        }
        Listing::Tree { title, path, nodes } => {
            let at = path.as_deref().map(|p| format!(" ({p})")).unwrap_or_default();
            let _ = writeln!(s, "# {title}{at}\n");
            if nodes.is_empty() {
                let _ = writeln!(s, "No pages below this one. Read it with read_doc, or call list_docs without a path for the sections.");
            }
            for n in nodes {
                tree(&mut s, n, 0);
            }
            if !nodes.is_empty() {
                let _ = writeln!(s, "\nRead a page with read_doc {{\"path\": …}}; list_docs on a page path shows what is below it.");
            }
        }
    }
    cap(s, MAX_OUTPUT)
}

fn tree(s: &mut String, n: &TreeNode, depth: usize) {
    let indent = "  ".repeat(depth);
    let _ = match &n.path {
        Some(p) => write!(s, "{indent}- {} — {p}", n.title),
        None => write!(s, "{indent}- {}", n.title),
    };
    if n.folded > 0 {
        let _ = write!(s, " (+{} pages below)", n.folded);
    }
    s.push('\n');
    for c in &n.children {
        tree(s, c, depth + 1);
    }
}

/// A `get_changelog` result.
pub fn changelog(entries: &[&Entry], since: Option<&str>) -> String {
    let range = since.map(|d| format!(" since {d}")).unwrap_or_default();
    if entries.is_empty() {
        return format!("No changelog entries{range}.\n");
    }
    let mut s = format!("# Changelog: {} entries{range}, newest first\n", entries.len());
    for e in entries {
        let _ = writeln!(s, "\n## {} — {}", e.date, e.title);
        for c in &e.changes {
            let _ = writeln!(s, "- {c}");
        }
        if !e.url.is_empty() {
            let _ = writeln!(s, "{}", e.url);
        }
    }
    cap(s, MAX_OUTPUT)
}

/// A rejected call, with what to do instead.
pub fn error(e: &DocsError) -> String {
    match e {
        DocsError::NotFound { path, suggestions } => {
            let mut s = format!("No page at `{path}`.");
            if suggestions.is_empty() {
                s.push_str(" No similar page found.");
            } else {
                s.push_str(" Closest pages:\n");
                for (p, t) in suggestions {
                    let _ = writeln!(s, "- {t} — {p}");
                }
            }
            s.push_str("\nUse search_docs to find pages by topic, or list_docs to browse.");
            s
        }
        other => other.to_string(),
    }
}
