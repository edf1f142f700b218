//! Nextra (4, App Router): a page is `page.mdx` in its route folder (`docs/guide/page.mdx` →
//! `/docs/guide`) or a file of the `content/` directory (`index.mdx` stands for its folder);
//! `(group)` folders are left out of URLs and `_private` folders are not routes (their MDX files
//! are partials pages import). `_meta.{js,jsx,ts,tsx,json}` files order a folder's entries by
//! key, rename them (a string value, or `title`) and hide them (`display: 'hidden'`);
//! `_meta.global.*` at the root does the same for the whole tree through nested `items`.
//! Invariant: the sidebar is the folder tree (see `folders::generate`), reordered by the
//! `_meta` files; a `_meta` that cannot be read is a warning and leaves its folder as is.

use super::{NavInput, Role, Rules, folders, js, layout};
use crate::diagnostics::Diagnostic;
use crate::model::{Nav, NavNode, PageUrl};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// Nextra's rules.
pub(super) struct Nextra;

/// Folders that hold the routes of a Next.js project, stripped from URLs.
const ROUTE_ROOTS: [&str; 4] = ["src/app/", "app/", "src/content/", "content/"];

/// Nesting of `_meta.global` items beyond this is ignored, so a hostile file cannot recurse.
const MAX_DEPTH: usize = 64;

/// Is `rel` a `_meta` file (`_meta.tsx`, `docs/_meta.json`, `_meta.global.ts`)?
fn is_meta(rel: &str) -> bool {
    let name = layout::file_name(rel);
    let Some(stem) = name.strip_prefix("_meta.") else { return false };
    let ext = stem.strip_prefix("global.").unwrap_or(stem);
    matches!(ext, "js" | "jsx" | "ts" | "tsx" | "mjs" | "json")
}

/// The route of a folder path: the route root stripped, `(group)` segments left out.
fn route(dir: &str) -> String {
    let dir = ROUTE_ROOTS.iter().find_map(|r| dir.strip_prefix(r)).unwrap_or(dir);
    let dir = if ROUTE_ROOTS.iter().any(|r| r.trim_end_matches('/') == dir) { "" } else { dir };
    layout::route_segments(dir).collect::<Vec<_>>().join("/")
}

impl Rules for Nextra {
    fn asset_path<'r>(&self, rel: &'r str) -> &'r str {
        layout::under_root(rel, "public")
    }

    fn role(&self, rel: &str) -> Role {
        if is_meta(rel) {
            return Role::Nav;
        }
        if layout::is_leftover(rel) || rel == "vellum.toml" {
            return Role::Skip;
        }
        let code = [".js", ".jsx", ".ts", ".tsx", ".mjs", ".cjs"].iter().any(|e| rel.ends_with(e));
        if code || rel == "package.json" {
            // The project's own code (components, next.config, mdx-components) is not content.
            return Role::Skip;
        }
        let private = rel.split('/').any(|s| s.starts_with('_'));
        match (layout::is_page_file(rel), private) {
            (true, true) => Role::Partial,
            (true, false) => Role::Page,
            (false, true) => Role::Skip,
            (false, false) => Role::Asset,
        }
    }

    fn page_url(&self, rel: &str, _: &Value) -> PageUrl {
        let stem = layout::stem(rel);
        let (dir, last) = stem.rsplit_once('/').unwrap_or(("", stem));
        let dir = route(&format!("{dir}/"));
        if last == "page" || last == "index" {
            return PageUrl { url: format!("/{dir}"), is_index: true };
        }
        let url = if dir.is_empty() { format!("/{last}") } else { format!("/{dir}/{last}") };
        PageUrl { url, is_index: false }
    }

    fn navs(&self, input: &NavInput<'_>) -> (Vec<Nav>, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let mut metas: HashMap<String, Map<String, Value>> = HashMap::new();
        let mut files: Vec<_> = input.files.iter().filter(|f| is_meta(&f.rel)).collect();
        // The global file first, so a folder's own `_meta` has the last word.
        files.sort_by_key(|f| !layout::file_name(&f.rel).starts_with("_meta.global."));
        for f in files {
            let (module, d) = js::parse(&f.rel, f.text.as_deref().unwrap_or(""));
            diags.extend(d);
            let Some(value) = module.default_export(&mut diags) else { continue };
            let Value::Object(map) = value else {
                diags.push(Diagnostic::warning(&f.rel, 1, 1, "nextra.meta", "the default export is not an object; it is ignored"));
                continue;
            };
            let dir = f.rel.rsplit_once('/').map_or("", |(d, _)| d);
            let folder = route(&format!("{dir}/"));
            if layout::file_name(&f.rel).starts_with("_meta.global.") {
                collect_global(&folder, &map, &mut metas, 0);
            }
            metas.insert(folder, map);
        }
        let mut navs = folders::generate(input.pages);
        for nav in &mut navs {
            let prefix = nav.folder.clone();
            arrange(&mut nav.links, &prefix, &metas);
        }
        if let Some(root) = metas.get("") {
            // The root section first, then the top folders in the root `_meta`'s order.
            let rank = |n: &Nav| match n.folder.as_str() {
                "" => 0,
                f => root.keys().position(|k| k == f).map_or(usize::MAX, |p| p + 1),
            };
            navs.sort_by_key(rank);
        }
        (navs, diags)
    }
}

/// `_meta.global` entries with `items` stand for their folder's `_meta`.
fn collect_global(folder: &str, map: &Map<String, Value>, metas: &mut HashMap<String, Map<String, Value>>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    for (key, value) in map {
        if let Some(Value::Object(items)) = value.get("items") {
            let sub = if folder.is_empty() { key.clone() } else { format!("{folder}/{key}") };
            collect_global(&sub, items, metas, depth + 1);
            metas.insert(sub, items.clone());
        }
    }
}

/// The route segment a node stands for under `folder`: its page's, or its first descendant's.
fn key_of(node: &NavNode, depth: usize) -> Option<String> {
    if let Some(url) = &node.url {
        return url.trim_start_matches('/').split('/').nth(depth).map(str::to_owned);
    }
    node.children.iter().find_map(|c| key_of(c, depth))
}

/// Order, rename and hide the nodes of `folder` (and below) by its `_meta`; entries no `_meta`
/// names keep their generated order, after the named ones (as Nextra places them).
fn arrange(nodes: &mut Vec<NavNode>, folder: &str, metas: &HashMap<String, Map<String, Value>>) {
    let depth = if folder.is_empty() { 0 } else { folder.matches('/').count() + 1 };
    for node in nodes.iter_mut() {
        if !node.children.is_empty()
            && let Some(key) = key_of(node, depth)
        {
            let sub = if folder.is_empty() { key } else { format!("{folder}/{key}") };
            arrange(&mut node.children, &sub, metas);
        }
    }
    let Some(meta) = metas.get(folder) else { return };
    // `'*'` gives every entry of the folder its defaults (an entry's own fields win).
    let field = |key: &str, name: &str| -> Option<Value> {
        let own = meta.get(key).and_then(|e| e.get(name));
        own.or_else(|| meta.get("*").and_then(|d| d.get(name))).cloned()
    };
    // A folder's own page (no key at this depth) is its `index` entry.
    let key = |n: &NavNode| key_of(n, depth).filter(|k| !k.is_empty()).or_else(|| n.url.is_some().then(|| "index".to_owned()));
    nodes.retain(|n| key(n).and_then(|k| field(&k, "display")) != Some(Value::from("hidden")));
    for node in nodes.iter_mut() {
        let entry = key(node).and_then(|k| meta.get(&k));
        if let Some(t) = entry.and_then(entry_title).filter(|t| !t.is_empty()) {
            node.title = t.to_string();
        }
    }
    let rank = |key: &str| meta.keys().position(|m| m == key).map_or(usize::MAX, |p| p + 1);
    // The folder's own page leads unless its `_meta` places `index`, as in the generated order.
    let rank_of = |n: &NavNode| key(n).map_or(0, |k| if k == "index" && !meta.contains_key("index") { 0 } else { rank(&k) });
    let mut ranked: Vec<(usize, NavNode)> = std::mem::take(nodes).into_iter().map(|n| (rank_of(&n), n)).collect();
    // Entries that name no page: external links (`href`) and separators (a label).
    for (key, entry) in meta {
        if key == "*" || ranked.iter().any(|(r, _)| *r == rank(key)) {
            continue;
        }
        let title = entry_title(entry).unwrap_or(key).to_string();
        let href = entry.get("href").and_then(Value::as_str);
        let separator = entry.get("type").and_then(Value::as_str) == Some("separator");
        if let Some(href) = href {
            ranked.push((rank(key), NavNode { title, url: Some(href.to_string()), ..Default::default() }));
        } else if separator && entry_title(entry).is_some_and(|t| !t.is_empty()) {
            ranked.push((rank(key), NavNode { title, ..Default::default() }));
        }
    }
    ranked.sort_by_key(|(r, _)| *r);
    *nodes = ranked.into_iter().map(|(_, n)| n).collect();
}

/// The title an entry gives: a string value, or its `title` string (a JSX title cannot be
/// read statically; the evaluator has warned about it).
fn entry_title(entry: &Value) -> Option<&str> {
    match entry {
        Value::String(s) => Some(s),
        _ => entry.get("title").and_then(Value::as_str),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes() {
        let u = |rel: &str| Nextra.page_url(rel, &Value::Null).url;
        assert_eq!(u("page.mdx"), "/");
        assert_eq!(u("docs/guide/page.mdx"), "/docs/guide");
        assert_eq!(u("app/(marketing)/about/page.mdx"), "/about");
        assert_eq!(u("content/index.mdx"), "/");
        assert_eq!(u("content/guide/intro.mdx"), "/guide/intro");
        assert_eq!(u("src/content/a/index.md"), "/a");
    }

    fn page(url: &str) -> NavNode {
        NavNode { title: url.to_string(), url: Some(url.to_string()), ..Default::default() }
    }

    fn meta(v: Value) -> HashMap<String, Map<String, Value>> {
        HashMap::from([(String::new(), v.as_object().unwrap().clone())])
    }

    #[test]
    fn meta_orders_renames_hides_and_adds_links_and_separators() {
        let metas = meta(serde_json::json!({
            "b": "Bee",
            "-- tools": {"type": "separator", "title": "Tools"},
            "gh": {"title": "GitHub", "href": "https://github.com/x"},
            "hid": {"display": "hidden"},
            "a": {"title": "Ay"},
            "--": {"type": "separator"},
        }));
        let mut nodes = vec![page("/a"), page("/b"), page("/hid"), page("/z")];
        arrange(&mut nodes, "", &metas);
        let mut own = vec![page("/docs/x"), page("/docs")];
        let docs = HashMap::from([("docs".to_string(), serde_json::json!({"x": "X", "index": "Overview"}).as_object().unwrap().clone())]);
        arrange(&mut own, "docs", &docs);
        assert_eq!(own.iter().map(|n| n.title.as_str()).collect::<Vec<_>>(), ["X", "Overview"]);
        let got: Vec<(&str, Option<&str>)> = nodes.iter().map(|n| (n.title.as_str(), n.url.as_deref())).collect();
        assert_eq!(
            got,
            [("Bee", Some("/b")), ("Tools", None), ("GitHub", Some("https://github.com/x")), ("Ay", Some("/a")), ("/z", Some("/z"))]
        );
    }

    #[test]
    fn star_gives_defaults_an_entry_overrides() {
        let metas = meta(serde_json::json!({"*": {"display": "hidden"}, "a": {"display": "normal"}}));
        let mut nodes = vec![page("/a"), page("/b")];
        arrange(&mut nodes, "", &metas);
        assert_eq!(nodes.iter().map(|n| n.title.as_str()).collect::<Vec<_>>(), ["/a"]);
    }

    #[test]
    fn roles() {
        assert_eq!(Nextra.role("_meta.global.tsx"), Role::Nav);
        assert_eq!(Nextra.role("docs/_meta.json"), Role::Nav);
        assert_eq!(Nextra.role("_partials/x.mdx"), Role::Partial);
        assert_eq!(Nextra.role("components/table.tsx"), Role::Skip);
        assert_eq!(Nextra.role("docs/page.mdx"), Role::Page);
        assert_eq!(Nextra.role("public/logo.png"), Role::Asset);
    }
}
