//! Mintlify: `docs.json` (`navigation` with `languages`/`versions`, `tabs`, `anchors`,
//! `dropdowns`, `groups` nested with `pages`, `root`, `hidden`, `tag`) or the older `mint.json`
//! (`navigation` groups, `tabs`/`anchors` by URL prefix). A page is named by its path without
//! extension (`api/x` → `/api/x`); `snippets/` holds partials, never pages.
//! Invariant: each tab (or top-level anchor/dropdown) is one section in file order; the
//! default language and version give the nav, other languages' pages are built unlisted.

use super::navkit::{Pages, line_of};
use super::{NavInput, Role, Rules, folders, layout};
use crate::diagnostics::Diagnostic;
use crate::model::{Nav, NavNode, PageUrl, has_scheme};
use serde_json::Value;

/// Mintlify's rules.
pub(super) struct Mintlify;

/// Nesting beyond this many levels is reported and cut (the JSON reader itself allows 128).
const MAX_DEPTH: usize = 64;

impl Rules for Mintlify {
    fn role(&self, rel: &str) -> Role {
        if rel == "docs.json" || rel == "mint.json" {
            Role::Nav
        } else if rel.starts_with("snippets/") && !layout::is_leftover(rel) {
            Role::Partial
        } else {
            layout::common_role(rel, Role::Skip)
        }
    }

    fn page_url(&self, rel: &str, _: &Value) -> PageUrl {
        layout::folder_url(layout::stem(rel), &["index"])
    }

    fn navs(&self, input: &NavInput<'_>) -> (Vec<Nav>, Vec<Diagnostic>) {
        let file = input.files.iter().find(|f| f.rel == "docs.json").or_else(|| input.files.iter().find(|f| f.rel == "mint.json"));
        let mut diags = Vec::new();
        let Some(file) = file else { return (folders::generate(input.pages), diags) };
        let text = file.text.as_deref().unwrap_or("");
        let json = match serde_json::from_str::<Value>(text) {
            Ok(v) => v,
            Err(e) => {
                diags.push(Diagnostic::warning(
                    &file.rel,
                    e.line() as u32,
                    e.column() as u32,
                    "config.syntax",
                    format!("invalid JSON: {e}"),
                ));
                return (folders::generate(input.pages), diags);
            }
        };
        let mut r = Reader { file: &file.rel, text, pages: Pages::new(input.pages), diags };
        let navs = if file.rel == "docs.json" { r.docs_json(json.get("navigation").unwrap_or(&Value::Null)) } else { r.mint_json(&json) };
        let navs = if navs.iter().all(|n| n.links.is_empty()) { folders::generate(input.pages) } else { navs };
        (navs, r.diags)
    }
}

/// One nav file being read.
struct Reader<'a> {
    file: &'a str,
    text: &'a str,
    pages: Pages<'a>,
    diags: Vec<Diagnostic>,
}

/// The keys under which `docs.json` nests sections, in the order Mintlify lets them nest.
const SECTION_KEYS: [(&str, &str); 4] = [("tabs", "tab"), ("anchors", "anchor"), ("dropdowns", "dropdown"), ("products", "product")];

impl Reader<'_> {
    /// `docs.json` `navigation`: one section per tab (or anchor/dropdown at the top), else one;
    /// `global` anchors and tabs that link out lead every section's sidebar, as Mintlify shows
    /// them on every page.
    fn docs_json(&mut self, nav: &Value) -> Vec<Nav> {
        let global: Vec<NavNode> = global_links(nav.get("global").unwrap_or(&Value::Null));
        let mut navs = self.sections(nav);
        // Not into an empty sidebar, which the caller replaces by the folders.
        for n in navs.iter_mut().filter(|n| !n.links.is_empty()) {
            n.links.splice(0..0, global.iter().cloned());
        }
        navs
    }

    /// The sections of `navigation` (without its `global` links).
    fn sections(&mut self, nav: &Value) -> Vec<Nav> {
        let nav = self.pick_default(nav, 0);
        for (key, label) in SECTION_KEYS {
            if let Some(items) = nav.get(key).and_then(Value::as_array) {
                let mut out = Vec::new();
                for item in items {
                    let title = item.get(label).and_then(Value::as_str).unwrap_or("Documentation").to_owned();
                    if item.get("hidden").and_then(Value::as_bool) == Some(true) {
                        continue;
                    }
                    let links = self.container(item, 1);
                    if !links.is_empty() {
                        out.push(Nav { file: self.file.to_owned(), folder: String::new(), title, links });
                    }
                }
                return out;
            }
        }
        let links = self.container(nav, 0);
        vec![Nav { file: self.file.to_owned(), folder: String::new(), title: "Documentation".into(), links }]
    }

    /// Follow `languages` / `versions` to the default one (`default: true`, else the first).
    fn pick_default<'v>(&self, mut v: &'v Value, depth: usize) -> &'v Value {
        for key in ["languages", "versions"] {
            if let Some(list) = v.get(key).and_then(Value::as_array).filter(|l| !l.is_empty()) {
                let chosen = list.iter().find(|x| x.get("default").and_then(Value::as_bool) == Some(true)).unwrap_or(&list[0]);
                v = if depth < MAX_DEPTH { self.pick_default(chosen, depth + 1) } else { chosen };
            }
        }
        v
    }

    /// The nodes of anything that may hold navigation: `href` only (an external link),
    /// nested tabs/anchors/dropdowns, `groups`, `pages`.
    fn container(&mut self, v: &Value, depth: usize) -> Vec<NavNode> {
        let v = self.pick_default(v, depth);
        let mut out = Vec::new();
        if depth > MAX_DEPTH {
            self.too_deep();
            return out;
        }
        for (key, label) in SECTION_KEYS {
            for item in v.get(key).and_then(Value::as_array).into_iter().flatten() {
                let title = item.get(label).and_then(Value::as_str).unwrap_or("").to_owned();
                let children = self.container(item, depth + 1);
                if let Some(href) = item.get("href").and_then(Value::as_str).filter(|_| children.is_empty()) {
                    out.push(NavNode { title, url: Some(href.to_owned()), ..Default::default() });
                } else if !children.is_empty() {
                    out.push(NavNode { title, children, ..Default::default() });
                }
            }
        }
        for g in v.get("groups").and_then(Value::as_array).into_iter().flatten() {
            out.extend(self.entry(g, depth + 1));
        }
        for p in v.get("pages").and_then(Value::as_array).into_iter().flatten() {
            out.extend(self.entry(p, depth + 1));
        }
        out
    }

    /// One entry of `pages`/`groups`: a page path, an OpenAPI operation, or a group.
    fn entry(&mut self, v: &Value, depth: usize) -> Option<NavNode> {
        match v {
            Value::String(s) => self.page(s),
            Value::Object(o) if o.contains_key("group") => {
                let title = o.get("group").and_then(Value::as_str).unwrap_or("").to_owned();
                if o.get("hidden").and_then(Value::as_bool) == Some(true) {
                    return None;
                }
                if depth > MAX_DEPTH {
                    self.too_deep();
                    return None;
                }
                let root = o.get("root").and_then(Value::as_str).and_then(|r| self.page(r));
                let children = self.container(v, depth);
                let badge = o.get("tag").and_then(Value::as_str).map(str::to_owned);
                let line = line_of(self.text, &title);
                match root {
                    Some(r) => Some(NavNode { children, badge, line, title, ..r }),
                    None if children.is_empty() => None,
                    None => Some(NavNode { title, children, badge, line, ..Default::default() }),
                }
            }
            Value::Object(o) if o.contains_key("href") => {
                let title = ["title", "label", "name"].iter().find_map(|k| o.get(*k).and_then(Value::as_str)).unwrap_or("");
                let href = o.get("href").and_then(Value::as_str).unwrap_or("");
                Some(NavNode { title: title.to_owned(), url: Some(href.to_owned()), ..Default::default() })
            }
            _ => {
                self.diags.push(Diagnostic::warning(
                    self.file,
                    1,
                    1,
                    "nav.unknown-entry",
                    format!("navigation entry `{v}` is neither a page nor a group; skipped"),
                ));
                None
            }
        }
    }

    /// A page path (`api/x`, `/api/x`), an external URL, or an OpenAPI operation (`GET /users`).
    fn page(&mut self, path: &str) -> Option<NavNode> {
        let line = line_of(self.text, path);
        if has_scheme(path) {
            return Some(NavNode { title: path.to_owned(), url: Some(path.to_owned()), line, ..Default::default() });
        }
        if path.split_once(' ').is_some_and(|(m, _)| m.chars().all(|c| c.is_ascii_uppercase()) && !m.is_empty()) {
            self.diags.push(Diagnostic::warning(
                self.file,
                line,
                1,
                "nav.openapi",
                format!("`{path}` is an OpenAPI operation; its page needs the OpenAPI spec, which vellum does not read; skipped"),
            ));
            return None;
        }
        let url = layout::folder_url(path.trim_matches('/'), &["index"]).url;
        self.pages.take(&url, None, self.file, line, &mut self.diags)
    }

    fn too_deep(&mut self) {
        self.diags.push(Diagnostic::warning(
            self.file,
            1,
            1,
            "nav.too-deep",
            format!("navigation nests deeper than {MAX_DEPTH} levels; the rest is cut"),
        ));
    }

    /// `mint.json`: `navigation` groups, split into `tabs` (and internal `anchors`) by URL
    /// prefix; groups under no tab form the first section.
    fn mint_json(&mut self, json: &Value) -> Vec<Nav> {
        let mut prefixes: Vec<(String, String)> = Vec::new();
        for (key, label) in [("tabs", "name"), ("anchors", "name")] {
            for t in json.get(key).and_then(Value::as_array).into_iter().flatten() {
                let (Some(name), Some(url)) = (t.get(label).and_then(Value::as_str), t.get("url").and_then(Value::as_str)) else {
                    continue;
                };
                if !has_scheme(url) && !url.trim_matches('/').is_empty() {
                    prefixes.push((name.to_owned(), url.trim_matches('/').to_owned()));
                }
            }
        }
        let mut sections: Vec<Nav> = std::iter::once("Documentation".to_owned())
            .chain(prefixes.iter().map(|(n, _)| n.clone()))
            .map(|title| Nav { file: self.file.to_owned(), folder: String::new(), title, links: Vec::new() })
            .collect();
        for g in json.get("navigation").and_then(Value::as_array).into_iter().flatten() {
            let Some(node) = self.entry(g, 1) else { continue };
            let first = first_url(&node).unwrap_or_default();
            let at = prefixes
                .iter()
                .position(|(_, p)| first.trim_start_matches('/').starts_with(&format!("{p}/")) || first.trim_start_matches('/') == p);
            sections[at.map_or(0, |i| i + 1)].links.push(node);
        }
        sections.retain(|s| !s.links.is_empty());
        sections
    }
}

/// The external links of `navigation.global`: its `anchors` and `tabs` with an `href`.
fn global_links(global: &Value) -> Vec<NavNode> {
    SECTION_KEYS
        .iter()
        .flat_map(|(key, label)| global.get(key).and_then(Value::as_array).into_iter().flatten().map(move |item| (item, *label)))
        .filter_map(|(item, label)| {
            let href = item.get("href").and_then(Value::as_str)?;
            let title = item.get(label).and_then(Value::as_str).unwrap_or(href);
            Some(NavNode { title: title.to_owned(), url: Some(href.to_owned()), ..Default::default() })
        })
        .collect()
}

/// The first page URL of a node, depth first.
fn first_url(n: &NavNode) -> Option<String> {
    n.url.clone().or_else(|| n.children.iter().find_map(first_url))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_and_urls() {
        assert_eq!(Mintlify.role("docs.json"), Role::Nav);
        assert_eq!(Mintlify.role("snippets/a.mdx"), Role::Partial);
        assert_eq!(Mintlify.role("api/x.mdx"), Role::Page);
        assert_eq!(Mintlify.page_url("api/x.mdx", &Value::Null).url, "/api/x");
        assert_eq!(Mintlify.page_url("index.mdx", &Value::Null).url, "/");
    }

    #[test]
    fn global_anchors_lead_every_section() {
        let nav = serde_json::json!({
            "global": {"anchors": [{"anchor": "Blog", "href": "https://x.dev/blog"}, {"anchor": "No link"}]},
            "tabs": [{"tab": "A", "pages": ["https://a.dev"]}, {"tab": "B", "pages": ["https://b.dev"]}],
        });
        let mut r = Reader { file: "docs.json", text: "", pages: Pages::new(&[]), diags: Vec::new() };
        let navs = r.docs_json(&nav);
        assert_eq!(navs.len(), 2);
        for n in &navs {
            assert_eq!(n.links[0].title, "Blog");
            assert_eq!(n.links[0].url.as_deref(), Some("https://x.dev/blog"));
            assert_eq!(n.links.len(), 2);
        }
    }
}
