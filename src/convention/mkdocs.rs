//! MkDocs: `mkdocs.yml` at the root; pages are the Markdown files of its `docs_dir` (default
//! `docs`), published with directory URLs (`docs/a/b.md` → `/a/b`; `index.md` or `README.md`
//! stands for its folder). The `nav:` tree lists pages by path (`a.md`, `Title: a.md`), external
//! links (`Title: https://…`) and sections (`Section: [ … ]`); with Material's
//! `navigation.indexes` feature a section's first page, when it is the folder's index, becomes
//! the section's link. Without `nav:`, every page is listed by path, each folder's index first.
//! Invariant: files outside `docs_dir` are never content; `mkdocs.yml` is the only file read.

use super::navkit::{Pages, Tree, line_of, page_title};
use super::{NavInput, Role, Rules, layout};
use crate::diagnostics::Diagnostic;
use crate::model::{Nav, NavNode, PageUrl, has_scheme, humanize};
use crate::parse::ParsedPage;
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use serde_json::Value;

/// MkDocs' rules, for a tree whose pages live in `docs_dir` (relative to the root, `` for it).
pub(super) struct Mkdocs<'p> {
    pub(super) docs_dir: &'p str,
    /// `exclude_docs`, matched against paths inside `docs_dir`; `None` without patterns.
    exclude: Option<Gitignore>,
}

/// Nesting of `nav:` beyond this is cut (the YAML reader bounds the size, not the depth).
const MAX_DEPTH: usize = 64;

/// The config files MkDocs reads at the root.
const CONFIG: [&str; 2] = ["mkdocs.yml", "mkdocs.yaml"];

/// Extensions MkDocs reads as Markdown.
const MARKDOWN: [&str; 6] = [".md", ".markdown", ".mdown", ".mkdn", ".mkd", ".mdx"];

/// `mkdocs.yml` at `root` as JSON (null when absent or unreadable: the build reports why when
/// it reads the file as a nav file).
fn read_config(root: &std::path::Path) -> Value {
    let text = CONFIG.iter().find_map(|f| std::fs::read_to_string(root.join(f)).ok()).unwrap_or_default();
    crate::parse::yaml::to_json(&text).unwrap_or(Value::Null)
}

/// The `exclude_docs` patterns of `mkdocs.yml` (gitignore lines, relative to `docs_dir`).
pub(super) fn exclude_docs(root: &std::path::Path) -> Vec<String> {
    let json = read_config(root);
    let text = json.get("exclude_docs").and_then(Value::as_str).unwrap_or("");
    text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(str::to_owned).collect()
}

/// `docs_dir` from the text of `mkdocs.yml` (its default, `docs`, when unset or unreadable).
pub(super) fn docs_dir(root: &std::path::Path) -> String {
    let json = read_config(root);
    let dir = json.get("docs_dir").and_then(Value::as_str).unwrap_or("docs");
    let dir = dir.trim_start_matches("./").trim_matches('/');
    // A docs_dir that climbs out of the tree cannot be read; the root is the nearest safe one.
    if dir.split('/').any(|s| s == "..") || dir == "." { String::new() } else { dir.to_owned() }
}

impl<'p> Mkdocs<'p> {
    /// The rules for `docs_dir` with the `exclude_docs` patterns `exclude` (a pattern the
    /// gitignore syntax rejects is dropped; `vellum check` lists the pages it would have hidden).
    pub(super) fn new(docs_dir: &'p str, exclude: &[String]) -> Self {
        let exclude = (!exclude.is_empty()).then(|| {
            let mut b = GitignoreBuilder::new("");
            for line in exclude {
                let _ = b.add_line(None, line);
            }
            b.build().unwrap_or_else(|_| Gitignore::empty())
        });
        Mkdocs { docs_dir, exclude }
    }

    /// Is `inner` (a path inside `docs_dir`) excluded by `exclude_docs`?
    fn excluded(&self, inner: &str) -> bool {
        self.exclude.as_ref().is_some_and(|g| g.matched_path_or_any_parents(inner, false).is_ignore())
    }

    /// The path inside `docs_dir`, for a path under it.
    fn inside<'r>(&self, rel: &'r str) -> Option<&'r str> {
        if self.docs_dir.is_empty() {
            return Some(rel);
        }
        rel.strip_prefix(self.docs_dir)?.strip_prefix('/')
    }
}

impl Rules for Mkdocs<'_> {
    fn asset_path<'r>(&self, rel: &'r str) -> &'r str {
        layout::under_root(rel, self.docs_dir)
    }

    fn role(&self, rel: &str) -> Role {
        if CONFIG.contains(&rel) {
            return Role::Nav;
        }
        let Some(inner) = self.inside(rel) else { return Role::Skip };
        // MkDocs' default `exclude_docs`: dot files and the `templates/` folder.
        if layout::is_leftover(inner)
            || inner.split('/').any(|s| s.starts_with('.'))
            || inner.starts_with("templates/")
            || self.excluded(inner)
        {
            return Role::Skip;
        }
        if MARKDOWN.iter().any(|e| inner.ends_with(e)) { Role::Page } else { Role::Asset }
    }

    fn page_url(&self, rel: &str, _: &Value) -> PageUrl {
        let inner = self.inside(rel).unwrap_or(rel);
        layout::folder_url(layout::stem(inner), &["index", "README", "readme"])
    }

    fn navs(&self, input: &NavInput<'_>) -> (Vec<Nav>, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let Some(file) = input.files.iter().find(|f| CONFIG.contains(&f.rel.as_str())) else {
            return (vec![self.by_path(input.pages)], diags);
        };
        let text = file.text.as_deref().unwrap_or("");
        let config = match crate::parse::yaml::to_json(text) {
            Ok(v) => v,
            Err(e) => {
                diags.push(Diagnostic::warning(&file.rel, e.line as u32, e.col as u32, "config.syntax", e.message));
                Value::Null
            }
        };
        let Some(nav) = config.get("nav").and_then(Value::as_array) else {
            return (vec![self.by_path(input.pages)], diags);
        };
        let features = config.pointer("/theme/features").and_then(Value::as_array);
        let indexes = features.is_some_and(|f| f.iter().any(|v| v == "navigation.indexes"));
        let mut r = Reader { rules: self, file: &file.rel, text, pages: Pages::new(input.pages), diags, indexes };
        let links = r.entries(nav, 0);
        (vec![Nav { file: file.rel.clone(), folder: String::new(), title: "Documentation".into(), links }], r.diags)
    }
}

impl Mkdocs<'_> {
    /// MkDocs' navigation without `nav:`: pages by path, each folder's index first, folders as
    /// sections titled by their name.
    fn by_path(&self, pages: &[std::sync::Arc<ParsedPage>]) -> Nav {
        let mut top = Tree::default();
        for p in pages {
            if let Some(inner) = self.inside(&p.rel) {
                top.insert(layout::stem(inner), p);
            }
        }
        fn nodes(dir: &Tree<'_>) -> Vec<NavNode> {
            let page = |p: &ParsedPage| NavNode { title: page_title(p), url: Some(p.url.clone()), ..Default::default() };
            let index_name = ["index", "README", "readme"].into_iter().find(|n| dir.files.contains_key(*n));
            let index = index_name.and_then(|n| dir.files.get(n));
            let mut named: Vec<(String, NavNode)> = Vec::new();
            for (name, p) in dir.files.iter().filter(|(n, _)| Some(n.as_str()) != index_name) {
                named.push((name.to_lowercase(), page(p)));
            }
            for (name, d) in &dir.dirs {
                named.push((name.to_lowercase(), NavNode { title: humanize(name), children: nodes(d), ..Default::default() }));
            }
            named.sort_by(|a, b| a.0.cmp(&b.0));
            index.map(|p| page(p)).into_iter().chain(named.into_iter().map(|(_, n)| n)).collect()
        }
        Nav { file: String::new(), folder: String::new(), title: "Documentation".into(), links: nodes(&top) }
    }
}

/// `mkdocs.yml` being read.
struct Reader<'a> {
    rules: &'a Mkdocs<'a>,
    file: &'a str,
    text: &'a str,
    pages: Pages<'a>,
    diags: Vec<Diagnostic>,
    /// Material's `navigation.indexes`: a section's leading index page is its link.
    indexes: bool,
}

impl Reader<'_> {
    fn entries(&mut self, list: &[Value], depth: usize) -> Vec<NavNode> {
        if depth > MAX_DEPTH {
            self.diags.push(Diagnostic::warning(
                self.file,
                1,
                1,
                "nav.too-deep",
                format!("nav nests deeper than {MAX_DEPTH} levels; the rest is cut"),
            ));
            return Vec::new();
        }
        list.iter().filter_map(|v| self.entry(v, depth)).collect()
    }

    /// `a.md`, `Title: a.md`, `Title: https://…` or `Section: [ … ]`.
    fn entry(&mut self, v: &Value, depth: usize) -> Option<NavNode> {
        match v {
            Value::String(path) => self.page(path, None),
            Value::Object(o) if o.len() == 1 => {
                let (title, v) = o.iter().next()?;
                match v {
                    Value::String(path) => self.page(path, Some(title)),
                    Value::Array(items) => {
                        let mut children = self.entries(items, depth + 1);
                        let line = line_of(self.text, title);
                        if self.indexes && children.first().is_some_and(|c| c.children.is_empty() && self.is_index(c)) {
                            let index = children.remove(0);
                            return Some(NavNode { title: title.clone(), children, line, ..index });
                        }
                        (!children.is_empty()).then(|| NavNode { title: title.clone(), children, line, ..Default::default() })
                    }
                    _ => self.unknown(v),
                }
            }
            _ => self.unknown(v),
        }
    }

    fn is_index(&self, node: &NavNode) -> bool {
        node.url.as_deref().and_then(|u| self.pages.get(u)).is_some_and(|p| self.rules.page_url(&p.rel, &Value::Null).is_index)
    }

    fn unknown(&mut self, v: &Value) -> Option<NavNode> {
        self.diags.push(Diagnostic::warning(
            self.file,
            1,
            1,
            "nav.unknown-entry",
            format!("nav entry `{v}` is neither a page, a link nor a section; skipped"),
        ));
        None
    }

    /// A page by its path in `docs_dir`, or an external link.
    fn page(&mut self, path: &str, title: Option<&String>) -> Option<NavNode> {
        let line = line_of(self.text, path);
        let title = title.map(String::as_str);
        if has_scheme(path) || path.starts_with("//") {
            return Some(NavNode { title: title.unwrap_or(path).to_owned(), url: Some(path.to_owned()), line, ..Default::default() });
        }
        let inner = path.trim_start_matches("./").trim_start_matches('/');
        let rel = if self.rules.docs_dir.is_empty() { inner.to_owned() } else { format!("{}/{inner}", self.rules.docs_dir) };
        let url = self.rules.page_url(&rel, &Value::Null).url;
        self.pages.take(&url, title, self.file, line, &mut self.diags)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_and_urls() {
        let m = Mkdocs::new("docs", &[]);
        assert_eq!(m.role("mkdocs.yml"), Role::Nav);
        assert_eq!(m.role("docs/a/b.md"), Role::Page);
        assert_eq!(m.role("docs/img/x.png"), Role::Asset);
        assert_eq!(m.role("README.md"), Role::Skip);
        assert_eq!(m.role("src/x.md"), Role::Skip);
        assert_eq!(m.role("docs/.hidden/x.md"), Role::Skip);
        assert_eq!(m.page_url("docs/a/b.md", &Value::Null).url, "/a/b");
        assert_eq!(m.page_url("docs/a/index.md", &Value::Null).url, "/a");
        assert_eq!(m.page_url("docs/README.md", &Value::Null).url, "/");
        let root = Mkdocs::new("", &[]);
        assert_eq!(root.page_url("guide/x.md", &Value::Null).url, "/guide/x");
    }

    #[test]
    fn exclude_docs_hides_matching_files_inside_docs_dir() {
        let m = Mkdocs::new("docs", &["drafts/".into(), "*.tmp.md".into(), "/secret.md".into(), "!drafts/keep.md".into()]);
        assert_eq!(m.role("docs/drafts/a.md"), Role::Skip);
        assert_eq!(m.role("docs/a/b.tmp.md"), Role::Skip);
        assert_eq!(m.role("docs/secret.md"), Role::Skip);
        assert_eq!(m.role("docs/a/secret.md"), Role::Page);
        assert_eq!(m.role("docs/b.md"), Role::Page);
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("mkdocs.yml"), "exclude_docs: |\n  # comment\n  drafts/\n  *.py\n").unwrap();
        assert_eq!(exclude_docs(dir.path()), ["drafts/", "*.py"]);
    }

    #[test]
    fn python_and_env_tags_are_not_fatal() {
        let text = "site_name: !ENV [SITE, 'x']\nmarkdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\nnav:\n  - a.md\n";
        let json = crate::parse::yaml::to_json(text).expect("tags are read as plain values");
        assert_eq!(json["nav"][0], "a.md");
    }

    #[test]
    fn reads_docs_dir() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(docs_dir(dir.path()), "docs");
        std::fs::write(dir.path().join("mkdocs.yml"), "site_name: x\ndocs_dir: ./site-src/\n").unwrap();
        assert_eq!(docs_dir(dir.path()), "site-src");
        std::fs::write(dir.path().join("mkdocs.yml"), "docs_dir: ../../etc\n").unwrap();
        assert_eq!(docs_dir(dir.path()), "");
    }
}
