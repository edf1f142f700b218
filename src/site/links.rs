//! Link resolution (DIALECT §7.2): page URLs, heading paths as URL segments, `#anchors`,
//! relative links and static assets, with "did you mean" suggestions for broken ones. Links
//! are percent-decoded before they are looked up (pages are named by their decoded paths);
//! navigation entries are checked against the URL policy here too.
//! Architecture invariant: resolution reads the route table only; it never touches files.

use crate::convention::RelativeLinks;
use crate::diagnostics::Diagnostic;
use crate::model::url::{self, Use};
use crate::model::{Nav, NavNode};
use crate::render::Heading;
use std::collections::{BTreeSet, HashMap, HashSet};

/// Where a link goes after resolution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A page (index into the site's pages) and an optional heading id.
    Page(usize, Option<String>),
    /// A static file at this path (no base path).
    Asset(String),
}

/// Why a link did not resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    /// `link.broken` or `link.broken-anchor`.
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// A close existing URL.
    pub suggestion: Option<String>,
}

/// The routes of a site: page URLs, their heading paths and static files.
#[derive(Debug, Default)]
pub struct Routes {
    pages: HashMap<String, usize>,
    /// Per page: heading ids, and heading path ("a/b") → (id, stack values).
    anchors: Vec<(HashSet<String>, HashMap<String, Vec<(String, Vec<String>)>>)>,
    /// Per page: stack values usable as leading path segments.
    stack_values: Vec<HashSet<String>>,
    /// Source files (`/a/B.mdx`) → page, and per page its source file and URL, for links
    /// written to files where a tool's URLs differ from its file paths (ids, slugs).
    files: HashMap<String, usize>,
    sources: Vec<(Option<String>, String)>,
    assets: HashSet<String>,
    /// How relative links are read (the convention's rule).
    relative: RelativeLinks,
}

impl Routes {
    /// Build from (url, headings) per page, in page order, and asset paths (`/img/a.png`).
    pub fn new<'a>(pages: impl IntoIterator<Item = (&'a str, &'a [Heading])>, assets: impl IntoIterator<Item = String>) -> Self {
        use rayon::prelude::*;
        let pages: Vec<(&str, &[Heading])> = pages.into_iter().collect();
        // Each page's anchor tables in parallel (a visible serial step on large sites).
        let tables: Vec<_> = pages
            .par_iter()
            .map(|(_, headings)| {
                let ids = headings.iter().map(|h| h.id.clone()).collect();
                let mut paths: HashMap<String, Vec<(String, Vec<String>)>> = HashMap::new();
                let mut stack = HashSet::new();
                for h in *headings {
                    paths.entry(h.path.join("/")).or_default().push((h.id.clone(), h.stack.clone()));
                    stack.extend(h.stack.iter().cloned());
                }
                ((ids, paths), stack)
            })
            .collect();
        let mut r = Routes { assets: assets.into_iter().collect(), ..Default::default() };
        for (i, ((url, _), (anchors, stack))) in pages.iter().zip(tables).enumerate() {
            r.pages.entry(url.to_string()).or_insert(i);
            r.anchors.push(anchors);
            r.stack_values.push(stack);
        }
        r
    }

    /// Add each page's source file (`a/B.mdx`, `None` for generated pages), in page order.
    pub fn with_files<'a>(mut self, pages: impl IntoIterator<Item = (Option<&'a str>, &'a str)>) -> Self {
        for (i, (rel, url)) in pages.into_iter().enumerate() {
            if let Some(rel) = rel {
                self.files.entry(format!("/{rel}")).or_insert(i);
            }
            self.sources.push((rel.map(|r| format!("/{r}")), url.to_string()));
        }
        self
    }

    /// Read relative links by `rule` (the dialect's, from the root first, by default).
    pub fn relative_links(mut self, rule: RelativeLinks) -> Self {
        self.relative = rule;
        self
    }

    /// A relative link to a `.md`/`.mdx` file, resolved from the linking page's source file.
    fn resolve_file(&self, from: usize, path: &str, frag: Option<&str>) -> Option<Result<Target, Broken>> {
        if !(path.ends_with(".md") || path.ends_with(".mdx")) || path.starts_with('/') {
            return None;
        }
        let from_file = self.sources.get(from)?.0.as_deref()?;
        let target = *self.files.get(&join(from_file, false, path))?;
        self.resolve_absolute(&self.sources[target].1, frag)
    }

    /// Page index of an exact URL.
    pub fn page(&self, url: &str) -> Option<usize> {
        self.pages.get(url).copied()
    }

    /// Resolve `url` as written on page `from` (whose URL is `from_url`).
    /// Returns the target and whether the link was relative and taken as root-relative.
    pub fn resolve(&self, from: usize, from_url: &str, from_is_index: bool, url: &str) -> Result<(Target, bool), Broken> {
        let (path, frag) = match url.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (url, None),
        };
        // `/caf%C3%A9` names the page `/café`; `%23` and `%3F` are a name's `#` and `?`.
        let path = url::decode(path.split('?').next().unwrap_or(""));
        let path: &str = &path;
        let frag = frag.map(url::decode);
        let frag = frag.as_deref();
        if path.is_empty() {
            let frag = frag.unwrap_or("");
            return if frag.is_empty() || self.anchors[from].0.contains(frag) {
                Ok((Target::Page(from, frag_opt(frag)), false))
            } else {
                Err(self.broken_anchor(from, frag, url))
            };
        }
        let mut relative_as_root = false;
        let page_relative = self.relative != RelativeLinks::FromRoot;
        let from_is_index = from_is_index && self.relative != RelativeLinks::FromUrl;
        let candidates: Vec<String> = if path.starts_with('/') {
            vec![path.to_string()]
        } else if path.starts_with("./") || path.starts_with("../") {
            vec![join(from_url, from_is_index, path)]
        } else {
            relative_as_root = true;
            let (page, root) = (join(from_url, from_is_index, path), format!("/{path}"));
            if page_relative { vec![page, root] } else { vec![root, page] }
        };
        // The root reading of a bare relative link is reported: it is the dialect's rule, or
        // (for other tools) a link that only resolves that way.
        let root_at = usize::from(page_relative);
        for (k, cand) in candidates.iter().enumerate() {
            let norm = normalize(cand);
            if let Some(t) = self.resolve_absolute(&norm, frag) {
                return t.map(|t| (t, relative_as_root && k == root_at));
            }
            if self.assets.contains(cand.as_str()) {
                return Ok((Target::Asset(cand.clone()), false));
            }
        }
        // Only links nothing else resolves are read as file paths, so trees whose URLs are
        // their file paths resolve exactly as before.
        if let Some(t) = self.resolve_file(from, path, frag) {
            return t.map(|t| (t, false));
        }
        let norm = normalize(&candidates[0]);
        Err(Broken {
            code: "link.broken",
            message: format!("link to `{url}`: no such page, heading or file"),
            suggestion: self.suggest(&norm),
        })
    }

    /// Exact page, else longest page prefix + heading path (with optional stack segments).
    fn resolve_absolute(&self, norm: &str, frag: Option<&str>) -> Option<Result<Target, Broken>> {
        if let Some(&p) = self.pages.get(norm) {
            return Some(match frag {
                Some(f) if !f.is_empty() && !self.anchors[p].0.contains(f) => Err(self.broken_anchor(p, f, norm)),
                _ => Ok(Target::Page(p, frag.and_then(frag_opt))),
            });
        }
        let mut prefix = norm;
        while let Some(i) = prefix.rfind('/') {
            prefix = if i == 0 { "/" } else { &prefix[..i] };
            if let Some(&p) = self.pages.get(prefix) {
                let rest = norm[prefix.len()..].trim_start_matches('/');
                return self.heading_path(p, rest).map(|id| Ok(Target::Page(p, Some(id))));
            }
            if prefix == "/" {
                break;
            }
        }
        None
    }

    fn heading_path(&self, page: usize, rest: &str) -> Option<String> {
        let (_, paths) = &self.anchors[page];
        let segs: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
        let stack = &self.stack_values[page];
        let lead = segs.iter().take_while(|s| stack.contains(**s)).count();
        for skip in [lead, 0] {
            let key = segs[skip..].join("/");
            if let Some(found) = paths.get(&key) {
                let want: Vec<&str> = segs[..skip].to_vec();
                let best = found.iter().find(|(_, st)| want.iter().all(|w| st.iter().any(|s| s == w))).unwrap_or(&found[0]);
                return Some(best.0.clone());
            }
        }
        None
    }

    fn broken_anchor(&self, page: usize, frag: &str, url: &str) -> Broken {
        let ids = &self.anchors[page].0;
        Broken {
            code: "link.broken-anchor",
            message: format!("link to `{url}`: the page has no heading `#{frag}`"),
            suggestion: closest(frag, ids.iter().map(String::as_str)).map(|s| format!("#{s}")),
        }
    }

    fn suggest(&self, norm: &str) -> Option<String> {
        closest(norm, self.pages.keys().map(String::as_str))
    }
}

/// Navigation entries by the URL policy: only http, https, mailto and tel links leave the
/// site (any other scheme would run in every sidebar of the section); such an entry keeps
/// its title and loses its link. A site link written percent-encoded is decoded when that
/// names one of `pages` (`/caf%C3%A9` lists `/café`); readers give the others as page URLs.
pub fn check_nav_urls(navs: &mut [Nav], pages: &BTreeSet<String>, diags: &mut Vec<Diagnostic>) {
    fn go(file: &str, nodes: &mut [NavNode], pages: &BTreeSet<String>, diags: &mut Vec<Diagnostic>) {
        for n in nodes {
            if let Some(u) = &n.url {
                match url::check(u, Use::Link) {
                    Err(why) => {
                        let message =
                            format!("navigation entry \"{}\" links to `{}`: {why}; only its title is shown", n.title, url::shown(u));
                        diags.push(Diagnostic::error(file, n.line, 0, "nav.unsafe-url", message));
                        n.url = None;
                    }
                    Ok(()) if !pages.contains(u) && pages.contains(url::decode(u).as_ref()) => n.url = Some(url::decode(u).into_owned()),
                    Ok(()) => {}
                }
            }
            go(file, &mut n.children, pages, diags);
        }
    }
    for nav in navs {
        go(&nav.file, &mut nav.links, pages, diags);
    }
}

fn frag_opt(f: &str) -> Option<String> {
    (!f.is_empty()).then(|| f.to_string())
}

/// Resolve a `./x` or `../x` path against the page's folder.
fn join(from_url: &str, from_is_index: bool, rel: &str) -> String {
    let mut segs: Vec<&str> = from_url.split('/').filter(|s| !s.is_empty()).collect();
    if !from_is_index {
        segs.pop();
    }
    for part in rel.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                segs.pop();
            }
            p => segs.push(p),
        }
    }
    format!("/{}", segs.join("/"))
}

/// `/a/b/`, `/a/b.mdx`, `/a/b/index` → `/a/b`.
pub fn normalize(url: &str) -> String {
    let mut u = url.trim_end_matches('/');
    for ext in [".mdx", ".md", ".html"] {
        u = u.strip_suffix(ext).unwrap_or(u);
    }
    let u = u.strip_suffix("/index").unwrap_or(u);
    if u.is_empty() || u == "/index" { "/".to_string() } else { u.to_string() }
}

/// The candidate closest to `target` by edit distance, if close enough to be a likely typo.
/// A candidate that extends the target (`/roles` → `/roles-and-permissions`) wins.
pub fn closest<'a>(target: &str, candidates: impl Iterator<Item = &'a str>) -> Option<String> {
    let len = target.chars().count();
    let max = (len / 5).clamp(1, 6);
    let mut best: Option<(usize, &str)> = None;
    let mut extension: Option<&str> = None;
    for c in candidates {
        if c.len() > target.len() && c.starts_with(target) && !target.is_empty() {
            if extension.is_none_or(|e| c.len() < e.len() || (c.len() == e.len() && c < e)) {
                extension = Some(c);
            }
            continue;
        }
        // The distance is at least the length difference: skip the table when that is too far.
        if c.chars().count().abs_diff(len) > max {
            continue;
        }
        let d = edit_distance(target, c);
        if d <= max && best.is_none_or(|(bd, bc)| (d, c) < (bd, bc)) {
            best = Some((d, c));
        }
    }
    extension.or(best.map(|(_, c)| c)).map(str::to_string)
}

/// Levenshtein distance over chars.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(id: &str, path: &[&str], stack: &[&str]) -> Heading {
        Heading {
            level: 2,
            id: id.into(),
            slug: id.into(),
            text: id.into(),
            in_toc: true,
            path: path.iter().map(|s| s.to_string()).collect(),
            stack: stack.iter().map(|s| s.to_string()).collect(),
            line: 1,
        }
    }

    fn routes() -> Routes {
        let a = vec![h("wildcard-characters", &["wildcard-characters"], &[]), h("x", &["wildcard-characters", "x"], &[])];
        let b = vec![h("save", &["3-handle", "save"], &["vanilla", "nodejs"]), h("save-2", &["3-handle", "save"], &["nextjs"])];
        Routes::new([("/sso/redirect-uris", &a[..]), ("/user-management", &b[..]), ("/", &[][..])], ["/img/a.png".to_string()])
    }

    #[test]
    fn resolves_pages_heading_paths_and_stacks() {
        let r = routes();
        assert_eq!(r.resolve(2, "/", true, "/sso/redirect-uris/").unwrap().0, Target::Page(0, None));
        assert_eq!(r.resolve(2, "/", true, "/sso/redirect-uris/wildcard-characters/x").unwrap().0, Target::Page(0, Some("x".into())));
        assert_eq!(r.resolve(2, "/", true, "/user-management/nextjs/3-handle/save").unwrap().0, Target::Page(1, Some("save-2".into())));
        assert_eq!(
            r.resolve(2, "/", true, "/user-management/vanilla/nodejs/3-handle/save").unwrap().0,
            Target::Page(1, Some("save".into()))
        );
        assert_eq!(r.resolve(0, "/sso/redirect-uris", false, "#x").unwrap().0, Target::Page(0, Some("x".into())));
        assert_eq!(r.resolve(0, "/sso/redirect-uris", false, "sso/redirect-uris").unwrap(), (Target::Page(0, None), true));
        assert_eq!(r.resolve(0, "/sso/redirect-uris", false, "/img/a.png").unwrap().0, Target::Asset("/img/a.png".into()));
    }

    #[test]
    fn broken_links_suggest() {
        let r = routes();
        let e = r.resolve(2, "/", true, "/sso/redirect-uri").unwrap_err();
        assert_eq!(e.code, "link.broken");
        assert_eq!(e.suggestion.as_deref(), Some("/sso/redirect-uris"));
        let e = r.resolve(2, "/", true, "/user-managment").unwrap_err();
        assert_eq!(e.suggestion.as_deref(), Some("/user-management"));
        assert_eq!(
            closest("/user-management/roles", ["/user-management/radar", "/user-management/roles-and-permissions"].into_iter()).as_deref(),
            Some("/user-management/roles-and-permissions")
        );
        let e = r.resolve(0, "/sso/redirect-uris", false, "#wildcard-character").unwrap_err();
        assert_eq!(e.code, "link.broken-anchor");
        assert_eq!(e.suggestion.as_deref(), Some("#wildcard-characters"));
        assert!(r.resolve(2, "/", true, "/sso/redirect-uris/nope").is_err());
    }

    #[test]
    fn relative_paths() {
        assert_eq!(join("/a/b", false, "./c"), "/a/c");
        assert_eq!(join("/a/b", true, "./c"), "/a/b/c");
        assert_eq!(join("/a/b", false, "../c"), "/c");
        assert_eq!(normalize("/a/b/index.mdx"), "/a/b");
        assert_eq!(normalize("/"), "/");
    }

    #[test]
    fn relative_link_rules() {
        let e: Vec<(&str, &[Heading])> = vec![("/docs/guide", &[]), ("/docs/guide/intro", &[]), ("/docs/intro", &[]), ("/intro", &[])];
        let at = |rule, url: &str| Routes::new(e.clone(), []).relative_links(rule).resolve(0, "/docs/guide", true, url).map(|r| r.0);
        // From an index page: its own folder (trailing-slash sites) or its parent (Next.js).
        assert_eq!(at(RelativeLinks::FromFolder, "intro"), Ok(Target::Page(1, None)));
        assert_eq!(at(RelativeLinks::FromUrl, "intro"), Ok(Target::Page(2, None)));
        assert_eq!(at(RelativeLinks::FromUrl, "./intro"), Ok(Target::Page(2, None)));
        // The dialect: a bare relative link from the root first.
        assert_eq!(at(RelativeLinks::FromRoot, "intro"), Ok(Target::Page(3, None)));
    }
}
