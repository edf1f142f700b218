//! Starlight (Astro): pages under `src/content/docs/` (or at the root of a tree that is that
//! folder), the `sidebar` option of the `starlight(…)` integration in `astro.config.*`, and the
//! frontmatter `sidebar.{order,label,hidden,badge}`, `slug` and `draft`.
//! Starlight shows one sidebar whose top-level entries are groups, so the whole site is one
//! section (`folder` "") whose links are those groups.
//! Invariant: reads only the `NavInput`; any item it cannot read is a `starlight.sidebar`
//! warning and is skipped, and with no readable `sidebar` the whole docs tree is generated.

use super::navkit::line_of;
use super::{NavInput, Role, Rules, js, layout};
use crate::diagnostics::Diagnostic;
use crate::model::locale::Dir;
use crate::model::{Locale, Locales, Nav, NavNode, PageUrl, humanize};
use crate::parse::ParsedPage;
use serde_json::Value;
use std::collections::HashSet;
use std::sync::Arc;

/// The content collection folder of an Astro project.
const DOCS: &str = "src/content/docs/";

/// Nested groups deeper than this are cut (a warning), so a hostile config cannot recurse.
const MAX_DEPTH: usize = 64;

/// Starlight's rules.
pub(super) struct Starlight;

/// Is `rel` an Astro config file at the root?
fn is_config(rel: &str) -> bool {
    matches!(rel, "astro.config.mjs" | "astro.config.ts" | "astro.config.js" | "astro.config.mts")
}

/// The path inside the docs collection: `src/content/docs/a.md` → `a.md`; a tree that is the
/// collection itself keeps its paths.
fn in_docs(rel: &str) -> &str {
    rel.strip_prefix(DOCS).unwrap_or(rel)
}

/// Astro's slug of a collection path: each segment lowercased, spaces to `-`.
fn slug_of(stem: &str) -> String {
    stem.split('/').map(|s| s.trim().to_lowercase().replace(' ', "-")).collect::<Vec<_>>().join("/")
}

impl Rules for Starlight {
    fn asset_path<'r>(&self, rel: &'r str) -> &'r str {
        layout::under_root(rel, "public")
    }

    fn role(&self, rel: &str) -> Role {
        if is_config(rel) {
            return Role::Nav;
        }
        // Outside the collection (components, Astro pages, public/) nothing is a docs page.
        if rel.starts_with("src/") && !rel.starts_with(DOCS) && !layout::is_leftover(rel) {
            return if layout::is_page_file(rel) { Role::Skip } else { Role::Asset };
        }
        layout::common_role(in_docs(rel), Role::Skip)
    }

    fn page_url(&self, rel: &str, fm: &Value) -> PageUrl {
        if let Some(slug) = fm.get("slug").and_then(Value::as_str) {
            let s = slug.trim_matches('/');
            return PageUrl { url: format!("/{s}"), is_index: rel.ends_with("index.mdx") || rel.ends_with("index.md") };
        }
        let stem = slug_of(layout::stem(in_docs(rel)));
        layout::folder_url(&stem, &["index"])
    }

    fn locales(&self, input: &NavInput<'_>) -> Option<Locales> {
        // The config's warnings are reported once, by `navs`.
        locales(&options(input, &mut Vec::new()).1)
    }

    fn navs(&self, input: &NavInput<'_>) -> (Vec<Nav>, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let (file, options) = options(input, &mut diags);
        let text = input.files.iter().find(|f| is_config(&f.rel)).and_then(|f| f.text.as_deref()).unwrap_or("");
        let locales = locale_dirs(&options);
        let pages: Vec<&ParsedPage> = input
            .pages
            .iter()
            .map(Arc::as_ref)
            .filter(|p| !is_draft(p) && !locales.contains(p.url.trim_start_matches('/').split('/').next().unwrap_or("")))
            .collect();
        let mut cx = Cx { file: &file, text, pages: &pages, diags: &mut diags };
        let links = match options.get("sidebar") {
            Some(Value::Array(items)) => cx.items(items, 0),
            Some(other) if !other.is_null() => {
                cx.warn("sidebar", "`sidebar` is not an array; the sidebar is generated from the docs folders");
                cx.autogenerate("")
            }
            _ => cx.autogenerate(""),
        };
        let title = options.get("title").and_then(label_text).unwrap_or_else(|| "Documentation".into());
        (vec![Nav { file, folder: String::new(), title, links }], diags)
    }
}

/// The Astro config's file name and the options of its `starlight(…)` call (`null` without).
fn options(input: &NavInput<'_>, diags: &mut Vec<Diagnostic>) -> (String, Value) {
    let config = input.files.iter().find(|f| is_config(&f.rel));
    let options = config.and_then(|f| {
        let (module, d) = js::parse(&f.rel, f.text.as_deref().unwrap_or(""));
        diags.extend(d);
        module.call_argument("starlight", diags)
    });
    (config.map(|f| f.rel.clone()).unwrap_or_default(), options.unwrap_or(Value::Null))
}

/// `locales: { root: { label, lang, dir }, fr: { label: 'Français' } }` and `defaultLocale`:
/// the `root` locale (or the one `defaultLocale` names) is the default; a key is its
/// folder, lower-cased as Astro's slugs are.
fn locales(options: &Value) -> Option<Locales> {
    let map = options.get("locales")?.as_object()?;
    let locale = |key: &str, v: &Value| {
        let prefix = if key == "root" { String::new() } else { key.to_lowercase() };
        let lang = v.get("lang").and_then(Value::as_str).or((key != "root").then_some(key)).unwrap_or("en");
        let mut l = Locale::new(&prefix, Some(lang));
        if let Some(label) = v.get("label").and_then(Value::as_str) {
            l.label = label.to_string();
        }
        match v.get("dir").and_then(Value::as_str) {
            Some("rtl") => l.dir = Dir::Rtl,
            Some("ltr") => l.dir = Dir::Ltr,
            _ => {}
        }
        l
    };
    let default_key =
        if map.contains_key("root") { "root" } else { options.get("defaultLocale").and_then(Value::as_str).unwrap_or("root") };
    let (dk, dv) = map.iter().find(|(k, _)| k.as_str() == default_key).or_else(|| map.iter().next())?;
    Locales::new(locale(dk, dv), map.iter().filter(|(k, _)| *k != dk).map(|(k, v)| locale(k, v)))
}

/// Folders of the non-root locales (`locales: { root: …, fr: … }`): their pages are
/// translations, not entries of the default locale's sidebar.
fn locale_dirs(options: &Value) -> HashSet<String> {
    let mut dirs: HashSet<String> = options
        .get("locales")
        .and_then(Value::as_object)
        .map(|o| o.keys().filter(|k| *k != "root").map(|k| k.to_lowercase()).collect())
        .unwrap_or_default();
    // With no `root` locale, the default locale has a folder too, and its pages are the sidebar's.
    if let Some(d) = options.get("defaultLocale").and_then(Value::as_str) {
        dirs.remove(&d.to_lowercase());
    }
    dirs
}

/// A label: a string, or Starlight's `{ text }` form of badges.
fn label_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => o.get("text").and_then(Value::as_str).map(str::to_owned),
        _ => None,
    }
}

/// `draft: true` pages are left out of production builds' sidebars.
fn is_draft(p: &ParsedPage) -> bool {
    p.frontmatter.get("draft").and_then(Value::as_bool) == Some(true)
}

/// The frontmatter `sidebar` object's field `key`.
fn fm_sidebar<'a>(p: &'a ParsedPage, key: &str) -> Option<&'a Value> {
    p.frontmatter.get("sidebar").and_then(|s| s.get(key))
}

/// A page's sidebar label: `sidebar.label`, else its title.
fn page_label(p: &ParsedPage) -> String {
    fm_sidebar(p, "label")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .or_else(|| p.meta.title.clone())
        .or_else(|| p.first_heading.clone())
        .unwrap_or_else(|| humanize(p.url.rsplit('/').next().unwrap_or("")))
}

/// A page's sidebar entry: its label, its `sidebar.badge`, and `pagefind: false` keeping it
/// out of search (and so of the llms bundle, which vellum keeps with search).
fn page_node(p: &ParsedPage) -> NavNode {
    NavNode {
        title: page_label(p),
        url: Some(p.url.clone()),
        badge: fm_sidebar(p, "badge").and_then(label_text),
        exclude_from_search: p.frontmatter.get("pagefind").and_then(Value::as_bool) == Some(false),
        ..Default::default()
    }
}

/// The state of one reading of the sidebar.
struct Cx<'a, 'd> {
    file: &'a str,
    /// The config's text, to place warnings at the line naming what they are about.
    text: &'a str,
    pages: &'a [&'a ParsedPage],
    diags: &'d mut Vec<Diagnostic>,
}

impl Cx<'_, '_> {
    /// A warning at the first line of the config that names `near`.
    fn warn(&mut self, near: &str, msg: impl Into<String>) {
        let line = line_of(self.text, near);
        self.diags.push(Diagnostic::warning(self.file, line, 1, "starlight.sidebar", msg));
    }

    fn page(&self, url: &str) -> Option<&ParsedPage> {
        self.pages.iter().copied().find(|p| p.url == url)
    }

    fn items(&mut self, items: &[Value], depth: usize) -> Vec<NavNode> {
        if depth > MAX_DEPTH {
            self.warn("items", format!("sidebar groups nest deeper than {MAX_DEPTH} levels; the deeper ones are left out"));
            return Vec::new();
        }
        let mut out = Vec::new();
        for item in items {
            match item {
                Value::String(slug) => out.extend(self.slug_link(slug, None)),
                Value::Object(o) => {
                    let label = o.get("label").and_then(Value::as_str).map(str::to_owned);
                    let badge = o.get("badge").and_then(label_text);
                    let mut node = if let Some(slug) = o.get("slug").and_then(Value::as_str) {
                        match self.slug_link(slug, label) {
                            Some(n) => n,
                            None => continue,
                        }
                    } else if let Some(link) = o.get("link").and_then(Value::as_str) {
                        let url = if link.starts_with('/') { link.trim_end_matches('/').to_owned() } else { link.to_owned() };
                        let url = if url.is_empty() { "/".to_owned() } else { url };
                        NavNode { title: label.unwrap_or_else(|| url.clone()), url: Some(url), ..Default::default() }
                    } else if let Some(Value::Array(children)) = o.get("items") {
                        let children = self.items(children, depth + 1);
                        NavNode { title: label.unwrap_or_default(), children, ..Default::default() }
                    } else if let Some(auto) = o.get("autogenerate") {
                        let dir = auto.get("directory").and_then(Value::as_str).unwrap_or("").trim_matches('/');
                        let children = self.autogenerate(dir);
                        match label {
                            Some(title) => NavNode { title, children, ..Default::default() },
                            // An unlabelled autogenerated entry stands for its pages in place.
                            None => {
                                out.extend(children);
                                continue;
                            }
                        }
                    } else {
                        let near = label.clone().unwrap_or_default();
                        self.warn(
                            &near,
                            format!(
                                "sidebar item `{}` has no slug, link, items or autogenerate; it is left out",
                                label.unwrap_or_default()
                            ),
                        );
                        continue;
                    };
                    if badge.is_some() {
                        node.badge = badge;
                    }
                    out.push(node);
                }
                _ => self.warn("sidebar", "a sidebar item is neither a string nor an object; it is left out"),
            }
        }
        out
    }

    /// A link to the page with `slug` (`guides/a`, `` or `index` for the home page).
    fn slug_link(&mut self, slug: &str, label: Option<String>) -> Option<NavNode> {
        let s = slug.trim_matches('/');
        let s = s.strip_suffix("/index").or((s == "index").then_some("")).unwrap_or(s);
        let url = format!("/{}", s.to_lowercase());
        let Some(p) = self.page(&url) else {
            self.warn(slug, format!("sidebar slug `{slug}` names no page; it is left out"));
            return None;
        };
        Some(NavNode { title: label.unwrap_or_else(|| page_label(p)), ..page_node(p) })
    }

    /// The entries Starlight generates for the pages under `dir` (`` for the whole tree):
    /// files and sub-folders sorted by `sidebar.order` (unset last), then by path; hidden pages
    /// left out; a sub-folder is a group labelled with its name.
    fn autogenerate(&mut self, dir: &str) -> Vec<NavNode> {
        let prefix = if dir.is_empty() { String::from("/") } else { format!("/{}/", dir.to_lowercase()) };
        let mut under: Vec<(&str, &ParsedPage)> = self
            .pages
            .iter()
            .copied()
            .filter_map(|p| {
                let rel = layout::stem(in_docs(&p.rel));
                let rel = rel.strip_suffix("/index").unwrap_or(rel);
                let key = if dir.is_empty() { Some(rel) } else { rel.strip_prefix(dir).and_then(|r| r.strip_prefix('/')) };
                let url_ok = p.url.starts_with(&prefix) || dir.is_empty();
                key.filter(|k| url_ok && !k.is_empty() && *k != "index").map(|k| (k, p))
            })
            .filter(|(_, p)| fm_sidebar(p, "hidden").and_then(Value::as_bool) != Some(true))
            .collect();
        under.sort_by(|a, b| a.0.cmp(b.0));
        tree(&under)
    }
}

/// Nest `(path under the directory, page)` pairs (sorted by path) into sidebar entries.
fn tree(pages: &[(&str, &ParsedPage)]) -> Vec<NavNode> {
    // (order, path key, node)
    let mut entries: Vec<(f64, String, NavNode)> = Vec::new();
    let mut i = 0;
    while i < pages.len() {
        let (key, p) = pages[i];
        match key.split_once('/') {
            None => {
                let order = fm_sidebar(p, "order").and_then(Value::as_f64).unwrap_or(f64::MAX);
                entries.push((order, key.to_owned(), page_node(p)));
                i += 1;
            }
            Some((folder, _)) => {
                let start = i;
                while i < pages.len() && pages[i].0.split_once('/').is_some_and(|(f, _)| f == folder) {
                    i += 1;
                }
                let inner: Vec<(&str, &ParsedPage)> =
                    pages[start..i].iter().map(|(k, p)| (k.split_once('/').map_or(*k, |(_, r)| r), *p)).collect();
                let children = tree(&inner);
                let order = children_min_order(&inner);
                entries.push((order, folder.to_owned(), NavNode { title: folder.to_owned(), children, ..Default::default() }));
            }
        }
    }
    entries.sort_by(|a, b| a.0.partial_cmp(&b.0).unwrap_or(std::cmp::Ordering::Equal).then_with(|| a.1.cmp(&b.1)));
    entries.into_iter().map(|(_, _, n)| n).collect()
}

/// A generated group sorts by the lowest `sidebar.order` of its pages, as Starlight does.
fn children_min_order(pages: &[(&str, &ParsedPage)]) -> f64 {
    pages.iter().filter_map(|(_, p)| fm_sidebar(p, "order").and_then(Value::as_f64)).fold(f64::MAX, f64::min)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_roles() {
        let u = |rel: &str, fm: Value| Starlight.page_url(rel, &fm).url;
        assert_eq!(u("src/content/docs/Guides/My Page.mdx", Value::Null), "/guides/my-page");
        assert_eq!(u("src/content/docs/index.mdx", Value::Null), "/");
        assert_eq!(u("guides/index.md", Value::Null), "/guides");
        assert_eq!(u("a.md", serde_json::json!({"slug": "custom/x/"})), "/custom/x");
        assert_eq!(Starlight.role("astro.config.mjs"), Role::Nav);
        assert_eq!(Starlight.role("src/components/A.mdx"), Role::Skip);
        assert_eq!(Starlight.role("src/content/docs/a.mdx"), Role::Page);
    }

    /// The sidebar and warnings of a tree: `(path, text)` pages and an `astro.config.mjs`.
    fn build(config: &str, pages: &[(&str, &str)]) -> (Vec<NavNode>, Vec<Diagnostic>) {
        let pages: Vec<Arc<ParsedPage>> = pages
            .iter()
            .map(|(rel, text)| {
                let src = crate::source::SourceFile { rel: rel.to_string(), text: Some(text.to_string()) };
                Arc::new(crate::parse::parse_page(src, &|r, fm| Starlight.page_url(r, fm)))
            })
            .collect();
        let files = [crate::source::SourceFile { rel: "astro.config.mjs".into(), text: Some(config.into()) }];
        let cfg = crate::config::Config::default();
        let input = NavInput { root: std::path::Path::new("."), files: &files, pages: &pages, config: &cfg };
        let (mut navs, diags) = Starlight.navs(&input);
        (navs.remove(0).links, diags)
    }

    #[test]
    fn pagefind_false_keeps_a_page_out_of_search_and_warnings_have_lines() {
        let config = "import starlight from '@astrojs/starlight';\nexport default {\n  integrations: [starlight({\n    sidebar: [\n      'a',\n      'missing',\n      { slug: 'b', badge: { text: 'New', variant: 'tip' } },\n    ],\n  })],\n};\n";
        let (links, diags) = build(
            config,
            &[("src/content/docs/a.md", "---\ntitle: A\npagefind: false\n---\n"), ("src/content/docs/b.md", "---\ntitle: B\n---\n")],
        );
        assert_eq!(links.len(), 2);
        assert!(links[0].exclude_from_search && !links[1].exclude_from_search);
        assert_eq!(links[1].badge.as_deref(), Some("New"));
        let missing = diags.iter().find(|d| d.message.contains("missing")).expect("a warning for the missing slug");
        assert_eq!(missing.line, 6);
    }

    #[test]
    fn locale_folders_exclude_the_default() {
        let o = serde_json::json!({"locales": {"root": {}, "fr": {}, "zh-CN": {}}});
        let d = locale_dirs(&o);
        assert!(d.contains("fr") && d.contains("zh-cn") && !d.contains("root"));
        let o = serde_json::json!({"locales": {"en": {}, "fr": {}}, "defaultLocale": "en"});
        assert_eq!(locale_dirs(&o).len(), 1);
    }

    #[test]
    fn locales_come_from_the_config() {
        let o = serde_json::json!({"locales": {"root": {"label": "English", "lang": "en"}, "zh-CN": {"label": "简体中文", "lang": "zh-CN"}, "ar": {"label": "العربية", "dir": "rtl"}}});
        let l = locales(&o).unwrap();
        assert_eq!((l.list[0].prefix.as_str(), l.list[0].lang.as_str()), ("", "en"));
        let zh = l.list.iter().find(|x| x.lang == "zh-CN").unwrap();
        assert_eq!((zh.prefix.as_str(), zh.label.as_str()), ("zh-cn", "简体中文"));
        assert_eq!(l.list.iter().find(|x| x.prefix == "ar").unwrap().dir, Dir::Rtl);
        let o = serde_json::json!({"locales": {"en": {}, "fr": {}}, "defaultLocale": "fr"});
        assert_eq!(locales(&o).unwrap().list[0].prefix, "fr");
        assert!(locales(&serde_json::json!({"locales": 3})).is_none());
    }
}
