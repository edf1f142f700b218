//! The dialect's navigation files (`_navigation.mdx`, DIALECT §4): a section title and a tree
//! of links in YAML frontmatter.
//! Architecture invariant: only reads YAML; whether a URL exists is checked when the site is
//! linked, not here.

use crate::diagnostics::Diagnostic;
use crate::model::{Nav, NavNode, humanize};
use crate::parse::frontmatter;
use serde_json::Value;

/// Deepest nesting accepted; deeper `links` are reported and dropped.
const MAX_DEPTH: usize = 8;

/// Parse a nav file's text. A nav whose `links` is not a list, or whose nodes lack a title,
/// yields diagnostics and whatever could be read.
pub(super) fn parse_nav(file: &str, text: &str) -> (Option<Nav>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let (split, d) = frontmatter::split(file, text);
    diags.extend(d);
    let fm = match frontmatter::parse_yaml(file, split.yaml) {
        Ok(v) => v,
        Err(d) => {
            diags.push(d);
            return (None, diags);
        }
    };
    let folder = file.rsplit_once('/').map(|(f, _)| f.to_string()).unwrap_or_default();
    let title = match fm.get("title") {
        Some(Value::String(s)) => s.trim().to_string(),
        _ => {
            diags.push(Diagnostic::warning(
                file,
                frontmatter::key_line(text, "title"),
                1,
                "nav.no-title",
                "navigation file has no string `title`; the folder name is used",
            ));
            humanize(folder.rsplit('/').next().unwrap_or("Docs"))
        }
    };
    let links = match fm.get("links") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => nodes(file, text, items, &mut Walk::default(), &mut diags),
        Some(_) => {
            diags.push(
                Diagnostic::error(
                    file,
                    frontmatter::key_line(text, "links"),
                    1,
                    "nav.not-a-list",
                    "`links` must be a list of {title, url, links} entries",
                )
                .with_hint("write `links:` followed by `- title: …` items"),
            );
            Vec::new()
        }
    };
    (Some(Nav { file: file.to_string(), folder, title, links }), diags)
}

/// Where `nodes` is in the tree: the URLs of the enclosing entries and every URL seen so far.
#[derive(Default)]
struct Walk {
    ancestors: Vec<String>,
    seen: std::collections::HashSet<String>,
    /// Line of the previous entry: entries come in file order, so the next one is below it.
    line: u32,
}

/// Read a `links` list. URLs make a tree, not a graph, so the one "cycle" possible is an
/// entry repeating an enclosing entry's URL: it is dropped and its children take its place.
/// A URL listed twice elsewhere in the file is kept (the sidebar shows both) with a warning.
fn nodes(file: &str, raw: &str, items: &[Value], walk: &mut Walk, diags: &mut Vec<Diagnostic>) -> Vec<NavNode> {
    let depth = walk.ancestors.len() + 1;
    let mut out = Vec::new();
    for item in items {
        let Value::Object(m) = item else {
            diags.push(Diagnostic::error(
                file,
                0,
                0,
                "nav.bad-entry",
                format!("navigation entry must be a map with a title, found {item}"),
            ));
            continue;
        };
        let title = m.get("title").and_then(Value::as_str).unwrap_or("").trim().to_string();
        let url = m.get("url").and_then(Value::as_str).map(|u| normalize_url(u.trim()));
        let line = line_of(raw, &title, url.as_deref(), walk.line);
        walk.line = walk.line.max(line);
        if title.is_empty() {
            diags.push(Diagnostic::error(file, line, 0, "nav.bad-entry", "navigation entry has no title"));
        }
        let cycle = url.as_ref().is_some_and(|u| walk.ancestors.contains(u));
        if let Some(u) = &url {
            if cycle {
                diags.push(Diagnostic::warning(
                    file,
                    line,
                    0,
                    "nav.cycle",
                    format!("navigation entry \"{title}\" points to `{u}`, which encloses it; the entry is dropped"),
                ));
            } else if !walk.seen.insert(u.clone()) {
                diags.push(Diagnostic::warning(
                    file,
                    line,
                    0,
                    "nav.duplicate",
                    format!("`{u}` is listed more than once in this navigation; prev/next follow its first entry"),
                ));
            }
        }
        walk.ancestors.push(url.clone().filter(|_| !cycle).unwrap_or_default());
        let children = match m.get("links") {
            Some(Value::Array(c)) if depth < MAX_DEPTH => nodes(file, raw, c, walk, diags),
            Some(Value::Array(_)) => {
                diags.push(Diagnostic::error(
                    file,
                    line,
                    0,
                    "nav.too-deep",
                    format!("navigation nested deeper than {MAX_DEPTH} levels; the rest is dropped"),
                ));
                Vec::new()
            }
            None | Some(Value::Null) => Vec::new(),
            Some(_) => {
                diags.push(Diagnostic::error(file, line, 0, "nav.not-a-list", format!("`links` of \"{title}\" must be a list")));
                Vec::new()
            }
        };
        walk.ancestors.pop();
        if cycle {
            out.extend(children);
            continue;
        }
        out.push(NavNode {
            title,
            url,
            children,
            feature_flag: m.get("featureFlag").and_then(Value::as_str).map(str::to_string),
            exclude_from_search: m.get("excludeFromSearch").and_then(Value::as_bool).unwrap_or(false),
            line,
            ..Default::default()
        });
    }
    out
}

/// Internal nav URLs are kept without a trailing slash (`/sso/`, `/sso` → `/sso`).
fn normalize_url(u: &str) -> String {
    if u.contains("://") || u.len() <= 1 { u.to_string() } else { u.trim_end_matches('/').to_string() }
}

/// Best-effort line of an entry: the `url:` line if any, else the `title:` line; the first
/// after line `after` (1-based), else the first in the file.
fn line_of(raw: &str, title: &str, url: Option<&str>, after: u32) -> u32 {
    let find = |needle: &str, val: &str, skip: u32| {
        raw.lines()
            .enumerate()
            .skip(skip as usize)
            .find(|(_, l)| l.trim_start().trim_start_matches("- ").starts_with(needle) && l.contains(val))
            .map(|(i, _)| i as u32 + 1)
    };
    let at = |skip| url.and_then(|u| find("url:", u, skip)).or_else(|| find("title:", title, skip));
    at(after).or_else(|| at(0)).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_groups_pages_and_children() {
        let text = "---\ntitle: Single Sign-On\nlinks:\n  - title: Getting Started\n    links:\n      - title: Quick Start\n        url: /sso\n  - title: Logout\n    url: /reference/sso/logout/\n    featureFlag: single-logout-docs\n    links: []\n  - title: Old\n    excludeFromSearch: true\n    links: []\n---\n";
        let (nav, d) = parse_nav("sso/_navigation.mdx", text);
        assert!(d.is_empty(), "{d:?}");
        let nav = nav.unwrap();
        assert_eq!(nav.folder, "sso");
        assert_eq!(nav.title, "Single Sign-On");
        assert_eq!(nav.links[0].children[0].url.as_deref(), Some("/sso"));
        assert_eq!(nav.links[0].children[0].line, 7);
        assert_eq!(nav.links[1].url.as_deref(), Some("/reference/sso/logout"));
        assert_eq!(nav.links[1].feature_flag.as_deref(), Some("single-logout-docs"));
        assert!(nav.links[2].exclude_from_search);
        assert_eq!(nav.walk().len(), 4);
    }

    #[test]
    fn links_not_a_list() {
        let (nav, d) = parse_nav("x/_navigation.mdx", "---\ntitle: X\nlinks: nope\n---\n");
        assert!(nav.unwrap().links.is_empty());
        assert_eq!(
            d[0].to_line(),
            "error[nav.not-a-list]: x/_navigation.mdx:3:1: `links` must be a list of {title, url, links} entries (hint: write `links:` followed by `- title: …` items)"
        );
    }
}
