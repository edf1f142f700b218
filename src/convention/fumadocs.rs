//! Fumadocs: pages are the `.mdx`/`.md` files of the content folder (`content/docs/`, published
//! under `/docs` as Fumadocs' `baseUrl` default, or the tree itself); `dir/index.mdx` stands for
//! its folder and `(group)` folders are left out of URLs. A folder's `meta.json` (or
//! `meta.yaml`) names it (`title`), makes it a separate sidebar (`root: true`) and lists its
//! items (`pages`): a file or folder name or relative path, `...` / `z...a` for the rest in
//! ascending / descending order, `!name` to leave a name out of the rest, `...folder` to
//! inline a folder's items, `---Label---` separators and `[Text](url)` links. Without `pages`
//! a folder lists its index first, then every file and folder by name.
//! Invariant: the sidebar is built from page paths and meta files only; a separator groups the
//! items after it; pages of another locale (`page.cn.mdx`) are built under `/cn/`, as that locale's pages.

use super::navkit::{Pages, Tree, line_of};
use super::{NavInput, Role, Rules, layout};
use crate::diagnostics::Diagnostic;
use crate::model::{Nav, NavNode, PageUrl, has_scheme, humanize};
use crate::parse::ParsedPage;
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};

/// Fumadocs' rules.
pub(super) struct Fumadocs;

/// Folders holding the content, tried in order; the first with pages is the sidebar's root.
/// `content/` itself is stripped from URLs, so `content/docs/x.mdx` is `/docs/x`.
const CONTENT_ROOTS: [&str; 4] = ["content/docs", "src/content/docs", "content", "src/content"];

/// Folder nesting (through relative `../` items too) beyond this is cut.
const MAX_DEPTH: usize = 64;

/// Is `rel` a meta file (`meta.json`, `guide/meta.yaml`, `meta.cn.json`)?
fn is_meta(rel: &str) -> bool {
    let name = layout::file_name(rel);
    name.strip_prefix("meta.").is_some_and(|r| {
        let ext = r.rsplit('.').next().unwrap_or(r);
        matches!(ext, "json" | "yaml" | "yml") && r.matches('.').count() <= 1
    })
}

/// The locale of a file name's last dotted part (`page.cn` → `cn`, `meta.zh-TW` → `zh-TW`).
fn locale_of(stem: &str) -> Option<&str> {
    let (_, tag) = stem.rsplit('/').next()?.rsplit_once('.')?;
    let (lang, region) = tag.split_once('-').unwrap_or((tag, ""));
    let lang_ok = lang.len() == 2 && lang.bytes().all(|b| b.is_ascii_lowercase());
    let region_ok = region.is_empty() || ((2..=4).contains(&region.len()) && region.bytes().all(|b| b.is_ascii_alphanumeric()));
    (lang_ok && region_ok).then_some(tag)
}

/// Path segments of a URL: route roots stripped, `(group)` folders left out.
fn url_segments(stem: &str) -> Vec<&str> {
    let stem = ["src/content/", "content/"].iter().find_map(|r| stem.strip_prefix(r)).unwrap_or(stem);
    layout::route_segments(stem).collect()
}

impl Rules for Fumadocs {
    fn asset_path<'r>(&self, rel: &'r str) -> &'r str {
        layout::under_root(rel, "public")
    }

    fn role(&self, rel: &str) -> Role {
        if is_meta(rel) {
            return Role::Nav;
        }
        let top = rel.split('/').next().unwrap_or("");
        let code = [".js", ".jsx", ".ts", ".tsx", ".mjs", ".cjs", ".json"].iter().any(|e| rel.ends_with(e));
        // The app around the content (its code, routes and the repository's own files) is not
        // content; Fumadocs reads only its content folder.
        let repo_file = !rel.contains('/') && ["README.md", "CHANGELOG.md", "CONTRIBUTING.md", "LICENSE.md"].contains(&rel);
        if code || repo_file || matches!(top, "app" | "components" | "lib" | "node_modules") || rel.starts_with("src/app/") {
            return Role::Skip;
        }
        layout::common_role(rel, Role::Partial)
    }

    fn page_url(&self, rel: &str, _: &Value) -> PageUrl {
        let stem = layout::stem(rel);
        let locale = locale_of(stem);
        let stem = locale.map_or(stem, |l| &stem[..stem.len() - l.len() - 1]);
        let mut segs = url_segments(stem);
        let is_index = segs.last() == Some(&"index");
        if is_index {
            segs.pop();
        }
        let path = segs.join("/");
        let url = match locale {
            Some(l) if path.is_empty() => format!("/{l}"),
            Some(l) => format!("/{l}/{path}"),
            None => format!("/{path}"),
        };
        PageUrl { url, is_index }
    }

    /// The "dot" i18n parser: `page.cn.mdx` is `page.mdx` in `cn`; the default language
    /// (`[locales] default`, else `en`) has no suffix.
    fn locales(&self, input: &NavInput<'_>) -> Option<crate::model::Locales> {
        let found = input.pages.iter().filter_map(|p| locale_of(layout::stem(&p.rel)));
        super::locales::suffixes(input.config.locales.default.as_deref().unwrap_or("en"), found)
    }

    fn navs(&self, input: &NavInput<'_>) -> (Vec<Nav>, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let mut metas: HashMap<String, (&str, &str, Map<String, Value>)> = HashMap::new();
        for f in input.files.iter().filter(|f| is_meta(&f.rel) && locale_of(layout::stem(&f.rel)).is_none()) {
            let text = f.text.as_deref().unwrap_or("");
            let value = if f.rel.ends_with(".json") {
                serde_json::from_str::<Value>(text).map_err(|e| (e.line(), e.column(), e.to_string()))
            } else {
                crate::parse::yaml::to_json(text).map_err(|e| (e.line, e.col, e.message))
            };
            match value {
                Ok(Value::Object(map)) => {
                    let dir = f.rel.rsplit_once('/').map_or("", |(d, _)| d);
                    metas.insert(dir.to_owned(), (&f.rel, text, map));
                }
                Ok(_) => diags.push(Diagnostic::warning(&f.rel, 1, 1, "fumadocs.meta", "a meta file must be an object; it is ignored")),
                Err((l, c, m)) => diags.push(Diagnostic::warning(&f.rel, l as u32, c as u32, "config.syntax", m)),
            }
        }
        let pages: Vec<&ParsedPage> = input.pages.iter().map(AsRef::as_ref).collect();
        let root = CONTENT_ROOTS.iter().copied().find(|r| pages.iter().any(|p| p.rel.starts_with(&format!("{r}/")))).unwrap_or("");
        let mut tree = Tree::default();
        for p in &pages {
            let rel = if root.is_empty() { Some(p.rel.as_str()) } else { p.rel.strip_prefix(&format!("{root}/")) };
            let Some(rel) = rel.filter(|r| layout::is_page_file(r) && locale_of(layout::stem(r)).is_none()) else { continue };
            tree.insert(layout::stem(rel), p);
        }
        let mut b = Builder { top: &tree, root, metas, pages: Pages::new(input.pages), diags, roots: Vec::new() };
        let links = b.items(root, &tree, 0);
        let mut navs = Vec::new();
        if !links.is_empty() {
            navs.push(Nav { file: b.meta_file(root), folder: String::new(), title: "Documentation".into(), links });
        }
        navs.append(&mut b.roots);
        (navs, b.diags)
    }
}

/// Joins `base` and a relative `item` path, resolving `.` and `..` (`None` above the root).
fn join(base: &str, item: &str) -> Option<String> {
    let mut segs: Vec<&str> = base.split('/').filter(|s| !s.is_empty()).collect();
    for s in item.split('/') {
        match s {
            "" | "." => {}
            ".." => {
                segs.pop()?;
            }
            s => segs.push(s),
        }
    }
    Some(segs.join("/"))
}

/// Reads the meta files over the folder tree.
struct Builder<'t, 'a> {
    /// The content tree and the folder it stands for.
    top: &'t Tree<'a>,
    root: &'t str,
    /// Meta files by folder: (file, text, value).
    metas: HashMap<String, (&'a str, &'a str, Map<String, Value>)>,
    pages: Pages<'a>,
    diags: Vec<Diagnostic>,
    /// Sections of `root: true` folders, in the order they were met.
    roots: Vec<Nav>,
}

/// One parsed `pages` item.
enum Item<'s> {
    Rest { descending: bool },
    Extract(&'s str),
    Exclude,
    Separator(&'s str),
    Link { text: &'s str, url: &'s str },
    Name(&'s str),
}

fn item(s: &str) -> Item<'_> {
    let link = s.strip_prefix("external:").unwrap_or(s);
    if s == "..." || s == "z...a" {
        Item::Rest { descending: s == "z...a" }
    } else if s.starts_with('!') {
        Item::Exclude
    } else if let Some(name) = s.strip_prefix("...") {
        Item::Extract(name)
    } else if s.len() >= 3 && s.starts_with("---") && s.ends_with("---") {
        let label = s.get(3..s.len().saturating_sub(3)).unwrap_or("");
        Item::Separator(strip_icon(label))
    } else if let Some((text, url)) = link.strip_prefix('[').and_then(|r| r.rsplit_once("](")).filter(|_| link.ends_with(')')) {
        Item::Link { text: strip_icon(text.rsplit("][").next().unwrap_or(text)), url: &url[..url.len() - 1] }
    } else {
        Item::Name(s)
    }
}

/// `[Icon]Label` → `Label` (Fumadocs lets separators and links name an icon first).
fn strip_icon(s: &str) -> &str {
    match s.strip_prefix('[').and_then(|r| r.split_once(']')) {
        Some((_, rest)) if !rest.is_empty() => rest,
        _ => s,
    }
}

impl<'t, 'a> Builder<'t, 'a> {
    /// The content folder at `path` (relative to the source root).
    fn dir(&self, path: &str) -> Option<&'t Tree<'a>> {
        let under = if self.root.is_empty() { Some(path) } else { path.strip_prefix(self.root) };
        self.top.get(under.filter(|p| p.is_empty() || p.starts_with('/') || self.root.is_empty())?)
    }

    /// The meta file of a folder and its text (empty when it has none).
    fn meta_text(&self, folder: &str) -> (&'a str, &'a str) {
        self.metas.get(folder).map_or(("", ""), |m| (m.0, m.1))
    }

    fn meta_file(&self, folder: &str) -> String {
        self.metas.get(folder).map_or_else(|| format!("{folder}/"), |m| m.0.to_owned())
    }

    /// The items of the folder `path` (relative to the source root; `dir` is its tree).
    fn items(&mut self, path: &str, dir: &'t Tree<'a>, depth: usize) -> Vec<NavNode> {
        let list: Option<Vec<String>> = self
            .metas
            .get(path)
            .and_then(|m| m.2.get("pages"))
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect());
        let Some(list) = list else {
            return self.rest(path, dir, &HashSet::new(), false, depth);
        };
        let named: HashSet<&str> = list
            .iter()
            .filter_map(|s| match item(s) {
                Item::Name(n) | Item::Extract(n) => Some(n.trim_end_matches('/')),
                _ => None,
            })
            .chain(list.iter().filter_map(|s| s.strip_prefix('!')))
            .collect();
        let (_, text) = self.meta_text(path);
        let mut out: Vec<NavNode> = Vec::new();
        // Items after a separator go into its group; a bare `---` ends the group.
        let mut group: Option<NavNode> = None;
        for s in &list {
            let nodes: Vec<NavNode> = match item(s) {
                Item::Rest { descending } => self.rest(path, dir, &named, descending, depth),
                Item::Exclude => Vec::new(),
                Item::Separator(label) => {
                    out.extend(group.take().filter(|g| !g.children.is_empty()));
                    if !label.is_empty() {
                        group = Some(NavNode { title: label.to_owned(), line: line_of(text, s), ..Default::default() });
                    }
                    continue;
                }
                Item::Link { text: t, url } => {
                    vec![NavNode { title: t.to_owned(), url: Some(url.to_owned()), line: line_of(text, s), ..Default::default() }]
                }
                Item::Extract(name) => match join(path, name).and_then(|p| self.dir(&p).map(|d| (p, d))) {
                    Some((p, d)) if depth < MAX_DEPTH => {
                        let mut v: Vec<NavNode> = d.files.get("index").and_then(|i| self.page(i, &p)).into_iter().collect();
                        v.extend(self.items(&p, d, depth + 1));
                        v
                    }
                    _ => self.missing(path, s),
                },
                Item::Name(name) => self.named(path, dir, name, depth),
            };
            match &mut group {
                Some(g) => g.children.extend(nodes),
                None => out.extend(nodes),
            }
        }
        out.extend(group.filter(|g| !g.children.is_empty()));
        out
    }

    /// A `pages` item naming a file or folder (`guide`, `../other/page`, `sub/`).
    fn named(&mut self, path: &str, dir: &'t Tree<'a>, name: &str, depth: usize) -> Vec<NavNode> {
        let name = name.trim_end_matches('/');
        if has_scheme(name) {
            return vec![NavNode { title: name.to_owned(), url: Some(name.to_owned()), ..Default::default() }];
        }
        let stem = layout::stem(name);
        let stem = if layout::is_page_file(name) { stem } else { name };
        if let Some(p) = dir.files.get(stem) {
            return self.page(p, path).into_iter().collect();
        }
        let Some(full) = join(path, stem) else { return self.missing(path, name) };
        let (parent, last) = full.rsplit_once('/').unwrap_or(("", &full));
        if let Some(p) = self.dir(parent).and_then(|d| d.files.get(last)) {
            return self.page(p, parent).into_iter().collect();
        }
        match self.dir(&full) {
            Some(d) if depth < MAX_DEPTH => self.folder(&full, d, depth + 1).into_iter().collect(),
            Some(_) => {
                let (file, text) = self.meta_text(path);
                self.diags.push(Diagnostic::warning(
                    file,
                    line_of(text, name),
                    1,
                    "nav.too-deep",
                    "folders nest too deep; the rest is cut",
                ));
                Vec::new()
            }
            None => self.missing(path, name),
        }
    }

    /// A `pages` item of the folder `path` that names nothing.
    fn missing(&mut self, path: &str, name: &str) -> Vec<NavNode> {
        let (file, text) = self.meta_text(path);
        self.diags.push(Diagnostic::warning(file, line_of(text, name), 1, "nav.missing-page", format!("`{name}` is no page or folder")));
        Vec::new()
    }

    /// The remaining items of a folder, by name: pages and folders `named` does not hold
    /// (a folder's index stands for the folder; the root's index leads the rest).
    fn rest(&mut self, path: &str, dir: &'t Tree<'a>, named: &HashSet<&str>, descending: bool, depth: usize) -> Vec<NavNode> {
        let mut names: Vec<(&String, bool)> = dir
            .files
            .keys()
            .filter(|k| *k != "index")
            .map(|k| (k, false))
            .chain(dir.dirs.keys().map(|k| (k, true)))
            .filter(|(k, _)| !named.contains(k.as_str()))
            .collect();
        names.sort_by_key(|(k, _)| k.to_lowercase());
        if descending {
            names.reverse();
        }
        let mut out = Vec::new();
        if depth == 0
            && !named.contains("index")
            && let Some(p) = dir.files.get("index")
        {
            out.extend(self.page(p, path));
        }
        for (name, is_dir) in names {
            if is_dir {
                let sub = if path.is_empty() { name.clone() } else { format!("{path}/{name}") };
                if depth < MAX_DEPTH {
                    out.extend(self.folder(&sub, &dir.dirs[name], depth + 1));
                }
            } else {
                out.extend(self.page(dir.files[name], path));
            }
        }
        out
    }

    /// A folder's node (its index as the link), or nothing when it is a separate root or empty.
    fn folder(&mut self, path: &str, dir: &'t Tree<'a>, depth: usize) -> Option<NavNode> {
        let meta = self.metas.get(path).map(|m| &m.2);
        let title = meta.and_then(|m| m.get("title")).and_then(Value::as_str).map(str::to_owned);
        let is_root = meta.and_then(|m| m.get("root")).is_some_and(|r| r.as_bool() == Some(true) || r.is_string());
        let lists_index = meta.and_then(|m| m.get("pages")).and_then(Value::as_array).is_some_and(|a| a.iter().any(|v| v == "index"));
        let index = dir.files.get("index").copied().filter(|_| !lists_index && !is_root);
        let index_node = index.and_then(|p| self.page(p, path));
        let mut children = Vec::new();
        if is_root
            && !lists_index
            && let Some(p) = dir.files.get("index")
        {
            children.extend(self.page(p, path));
        }
        children.extend(self.items(path, dir, depth));
        let name = path.rsplit('/').next().unwrap_or(path);
        let title = title.or_else(|| index_node.as_ref().map(|n| n.title.clone())).unwrap_or_else(|| humanize(name));
        if is_root {
            if !children.is_empty() {
                self.roots.push(Nav { file: self.meta_file(path), folder: String::new(), title, links: children });
            }
            return None;
        }
        match index_node {
            Some(n) => Some(NavNode { title, children, ..n }),
            None if children.is_empty() => None,
            None => Some(NavNode { title, children, ..Default::default() }),
        }
    }

    /// The node of a page of `folder`.
    fn page(&mut self, page: &ParsedPage, folder: &str) -> Option<NavNode> {
        let file = self.meta_file(folder);
        let (_, text) = self.meta_text(folder);
        let line = line_of(text, layout::stem(layout::file_name(&page.rel)));
        self.pages.take(&page.url, None, &file, line, &mut self.diags)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_roles() {
        let u = |rel: &str| Fumadocs.page_url(rel, &Value::Null).url;
        assert_eq!(u("content/docs/index.mdx"), "/docs");
        assert_eq!(u("content/docs/guide/intro.mdx"), "/docs/guide/intro");
        assert_eq!(u("content/docs/(start)/install.mdx"), "/docs/install");
        assert_eq!(u("content/docs/guide/index.cn.mdx"), "/cn/docs/guide");
        assert_eq!(u("a/b.mdx"), "/a/b");
        assert_eq!(u("v1.2.mdx"), "/v1.2");
        assert_eq!(Fumadocs.role("content/docs/meta.json"), Role::Nav);
        assert_eq!(Fumadocs.role("guide/meta.cn.json"), Role::Nav);
        assert_eq!(Fumadocs.role("metadata.json"), Role::Skip);
        assert_eq!(Fumadocs.role("app/layout.tsx"), Role::Skip);
        assert_eq!(Fumadocs.role("README.md"), Role::Skip);
        assert_eq!(Fumadocs.role("content/docs/a.mdx"), Role::Page);
    }

    #[test]
    fn items() {
        assert!(matches!(item("..."), Item::Rest { descending: false }));
        assert!(matches!(item("z...a"), Item::Rest { descending: true }));
        assert!(matches!(item("...guides"), Item::Extract("guides")));
        assert!(matches!(item("!old"), Item::Exclude));
        assert!(matches!(item("---Setup---"), Item::Separator("Setup")));
        assert!(matches!(item("---[Rocket]Setup---"), Item::Separator("Setup")));
        assert!(matches!(item("---"), Item::Separator("")));
        assert!(matches!(item("[GitHub](https://github.com)"), Item::Link { text: "GitHub", url: "https://github.com" }));
        assert!(matches!(item("external:[Icon][Blog](https://x.dev)"), Item::Link { text: "Blog", url: "https://x.dev" }));
        assert!(matches!(item("../other/page"), Item::Name("../other/page")));
        assert_eq!(join("content/docs/a", "../b/c"), Some("content/docs/b/c".into()));
        assert_eq!(join("", ".."), None);
    }
}
