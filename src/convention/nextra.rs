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
    nodes.retain(|n| {
        let entry = key_of(n, depth).and_then(|k| meta.get(&k));
        entry.and_then(|e| e.get("display")).and_then(Value::as_str) != Some("hidden")
    });
    for node in nodes.iter_mut() {
        let entry = key_of(node, depth).and_then(|k| meta.get(&k));
        let title = match entry {
            Some(Value::String(s)) => Some(s.as_str()),
            Some(e) => e.get("title").and_then(Value::as_str),
            None => None,
        };
        if let Some(t) = title.filter(|t| !t.is_empty()) {
            node.title = t.to_string();
        }
    }
    // The folder's own page (no key at this depth) leads, as in the generated order.
    nodes.sort_by_key(|n| key_of(n, depth).map_or(0, |k| meta.keys().position(|m| *m == k).map_or(usize::MAX, |p| p + 1)));
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
