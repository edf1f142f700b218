//! Stage 4, link: the global and cheap stage. Puts rendered pages in reading order, derives
//! titles, sections, breadcrumbs and prev/next from the navigation, generates listing pages
//! for folders without an index (and a home page), and resolves every link marker.
//! Architecture invariant: no Markdown is parsed here; everything is derived from parsed
//! and rendered pages, so watch mode can rerun this stage on every edit.

pub mod changelog;
pub mod links;
mod listing;
pub mod locales;
mod markers;
pub mod reference;

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::model::{Nav, NavNode, has_scheme, humanize, url};
use crate::parse::ParsedPage;
use crate::render::{Body, Heading, PageCard, RenderedPage};
use links::Routes;
use markers::{link_page, suggest_hint};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

/// What produced a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PageKind {
    /// A source file.
    Content,
    /// Generated list of a folder's pages (a folder without an index page).
    Listing,
    /// Generated home page (no root index page).
    Home,
    /// The changelog page.
    Changelog,
}

/// A breadcrumb.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Crumb {
    /// Text.
    pub title: String,
    /// Page URL (no base path), if it links.
    pub url: Option<String>,
}

/// A page of the linked site.
#[derive(Debug, Clone)]
pub struct Page {
    /// URL without base path or trailing slash (`/sso/test-sso`, `/`).
    pub url: String,
    /// Source file, relative to the root (`None` for generated pages).
    pub source: Option<String>,
    /// Content or generated.
    pub kind: PageKind,
    /// Title (derived, DIALECT §1.3).
    pub title: String,
    /// Description.
    pub description: Option<String>,
    /// Index of the page's section in [`Site::navs`].
    pub section: Option<usize>,
    /// Body HTML with resolved links.
    pub html: Body,
    /// Markdown twin body with resolved (absolute) links.
    pub markdown: Body,
    /// Headings.
    pub headings: Vec<Heading>,
    /// Breadcrumbs, ending with the page itself.
    pub breadcrumbs: Vec<Crumb>,
    /// Previous and next page in the section's nav order.
    pub prev: Option<usize>,
    /// Next page.
    pub next: Option<usize>,
    /// `showNextPage`.
    pub show_next: bool,
    /// Gated by a disabled feature flag: built but left out of nav, search, sitemap and llms.
    pub hidden: bool,
    /// Left out of search and the llms bundle (`excludeFromSearch`).
    pub excluded: bool,
    /// The page is a folder index (`index.mdx` or generated), so its twin is `…/index.md`.
    pub is_index: bool,
    /// Position in the navigation (for `list_docs` and llms ordering): nav index, if listed.
    pub in_nav: bool,
    /// Components shown as placeholders.
    pub placeholders: Vec<String>,
    /// `icon` from frontmatter.
    pub icon: Option<String>,
    /// Index of the page's locale in the site's locales (0, the default, without locales).
    pub locale: usize,
    /// A fallback page: the URL of the default-locale page whose content it shows.
    pub fallback_of: Option<String>,
}

impl Page {
    /// A generated page (no source file) with an empty body.
    pub fn generated(url: &str, kind: PageKind, title: String) -> Self {
        Page {
            url: url.to_string(),
            source: None,
            kind,
            title,
            description: None,
            section: None,
            html: Body::default(),
            markdown: Body::default(),
            headings: Vec::new(),
            breadcrumbs: Vec::new(),
            prev: None,
            next: None,
            show_next: false,
            hidden: false,
            excluded: false,
            is_index: true,
            in_nav: false,
            placeholders: Vec::new(),
            icon: None,
            locale: 0,
            fallback_of: None,
        }
    }

    /// The URL of the page's Markdown twin (no base path): `/a/b.md`, `/a/index.md`.
    pub fn twin_url(&self) -> String {
        if self.url == "/" {
            "/index.md".into()
        } else if self.is_index {
            format!("{}/index.md", self.url)
        } else {
            format!("{}.md", self.url)
        }
    }

    /// [`Page::twin_url`] as a URL writes it (percent-encoded).
    pub fn twin_href(&self) -> String {
        url::encode_path(&self.twin_url()).into_owned()
    }

    /// The output path of the page's HTML, relative to the output dir.
    pub fn html_path(&self) -> String {
        if self.url == "/" { "index.html".into() } else { format!("{}/index.html", &self.url[1..]) }
    }
}

/// The compiled site: every page linked, plus the navigation.
#[derive(Debug, Clone)]
pub struct Site {
    /// Configuration.
    pub config: Arc<Config>,
    /// Pages in reading order: navigation order, then pages in no nav by URL.
    pub pages: Vec<Page>,
    /// Sections (navigation trees), in display order.
    pub navs: Vec<Nav>,
    /// URL → index into `pages`.
    pub by_url: HashMap<String, usize>,
    /// Changelog entries, newest first (empty without a changelog).
    pub changelog: Vec<changelog::Entry>,
    /// The site's locales, if it has several.
    pub locales: Option<locales::SiteLocales>,
    /// Every link target (pages, heading paths, assets), kept for [`Site::relink`].
    routes: Arc<Routes>,
}

impl Site {
    /// The linked HTML body, Markdown body and link diagnostics of page `i` rendered anew
    /// as `r`, for an edit that keeps the page's URL, title and headings (so no other page
    /// changes): the preview server's fast path.
    pub fn relink(&self, i: usize, rel: &str, r: &RenderedPage) -> (Body, Body, Vec<Diagnostic>) {
        link_page(&self.config, &self.routes, &self.pages, i, rel, r)
    }

    /// Each section that has a page: (nav index, URL of its first page), in display order.
    pub fn section_starts(&self) -> Vec<(usize, String)> {
        self.navs
            .iter()
            .enumerate()
            .filter_map(|(i, n)| Some((i, n.walk().into_iter().find_map(|x| x.url.clone().filter(|u| self.by_url.contains_key(u)))?)))
            .collect()
    }

    /// The page at a URL (normalized: trailing slash and `.md`/`.html` suffixes ignored).
    pub fn page(&self, url: &str) -> Option<&Page> {
        self.by_url.get(&links::normalize(url)).map(|&i| &self.pages[i])
    }

    /// A site-relative URL with the base path and a trailing slash (`/docs/sso/`).
    pub fn href(&self, url: &str) -> String {
        href(&self.config.base_path(), url)
    }
}

/// `/docs` + `/sso` → `/docs/sso/`, the path percent-encoded (`/café` → `/caf%C3%A9/`).
pub fn href(base: &str, url: &str) -> String {
    if url == "/" { format!("{base}/") } else { format!("{base}{}/", url::encode_path(url)) }
}

/// Inputs of the link stage.
pub struct LinkInput<'a> {
    /// Configuration.
    pub config: Arc<Config>,
    /// Parsed pages (same order as `rendered`).
    pub parsed: &'a [Arc<ParsedPage>],
    /// Rendered pages, consumed: each is dropped once its bodies are linked, so a one-shot
    /// build never holds a page's rendered and linked bodies for every page at once.
    pub rendered: Vec<Arc<RenderedPage>>,
    /// Navigation trees.
    pub navs: Vec<Nav>,
    /// Static assets (paths relative to the root, `/`-separated).
    pub assets: &'a [String],
    /// Nav title per page URL (first nav that lists it).
    pub nav_titles: &'a HashMap<String, String>,
    /// Changelog entries, newest first.
    pub changelog: Vec<changelog::Entry>,
    /// How the convention reads relative links.
    pub relative_links: crate::convention::RelativeLinks,
    /// The tree's locales, if it has several.
    pub locales: Option<crate::model::Locales>,
}

/// The title of a parsed page (DIALECT §1.3, with a leading H1 preferred over a nav label).
pub fn derive_title(p: &ParsedPage, nav_titles: &HashMap<String, String>) -> String {
    if let Some(t) = &p.meta.title {
        return t.clone();
    }
    if p.title_from_h1 {
        if let Some(h) = &p.first_heading {
            return h.clone();
        }
    }
    if let Some(t) = nav_titles.get(&p.url) {
        return t.clone();
    }
    if let Some(h) = p.first_heading.as_ref().filter(|h| !h.is_empty()) {
        return h.clone();
    }
    let stem = p.rel.rsplit('/').next().unwrap_or(&p.rel);
    let stem = stem.split('.').next().unwrap_or(stem);
    let stem = if stem == "index" { p.url.rsplit('/').next().unwrap_or("Home") } else { stem };
    humanize(if stem.is_empty() { "Home" } else { stem })
}

/// Cards for every page (used by generated components and listing pages).
pub fn cards(parsed: &[Arc<ParsedPage>], nav_titles: &HashMap<String, String>) -> Vec<PageCard> {
    let mut v: Vec<PageCard> = parsed
        .iter()
        .map(|p| PageCard {
            url: p.url.clone(),
            title: derive_title(p, nav_titles),
            description: p.meta.description.clone(),
            icon: p.meta.icon.clone(),
            parent: p.meta.breadcrumb.as_ref().map(|b| links::normalize(&b.1)),
        })
        .collect();
    v.sort_by(|a, b| a.title.to_lowercase().cmp(&b.title.to_lowercase()));
    v
}

/// Run the link stage.
pub fn link(input: LinkInput<'_>) -> (Site, Vec<Diagnostic>) {
    let config = input.config.clone();
    let mut diags = Vec::new();
    let mut navs = input.navs;
    // The first nav of each folder (lookups per page and per folder were quadratic at scale).
    let mut nav_by_folder: HashMap<String, usize> = HashMap::new();
    for (i, n) in navs.iter().enumerate() {
        nav_by_folder.entry(n.folder.clone()).or_insert(i);
    }

    // Pages from sources, in parallel: on a large site this loop was a visible serial step.
    let mut pages: Vec<Page> = input
        .parsed
        .par_iter()
        .zip(&input.rendered)
        .map(|(p, r)| Page {
            url: p.url.clone(),
            source: Some(p.rel.clone()),
            kind: PageKind::Content,
            title: derive_title(p, input.nav_titles),
            description: p.meta.description.clone(),
            section: None,
            html: Body::default(),
            markdown: Body::default(),
            headings: r.headings.clone(),
            breadcrumbs: Vec::new(),
            prev: None,
            next: None,
            show_next: p.meta.show_next_page,
            hidden: p.meta.feature_flag.as_deref().is_some_and(|f| !config.flag_enabled(f)),
            excluded: p.meta.exclude_from_search,
            is_index: p.is_index,
            in_nav: false,
            placeholders: r.placeholders.clone(),
            icon: p.meta.icon.clone(),
            locale: 0,
            fallback_of: None,
        })
        .collect();
    let mut sources: Vec<Option<usize>> = (0..pages.len()).map(Some).collect();

    // Generated pages: listings for folders without an index, and the home page.
    let existing: BTreeSet<String> = pages.iter().map(|p| p.url.clone()).collect();
    links::check_nav_urls(&mut navs, &existing, &mut diags);
    let mut folders: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, p) in pages.iter().enumerate() {
        if let Some((parent, _)) = p.url.rsplit_once('/') {
            folders.entry(if parent.is_empty() { "/".into() } else { parent.to_string() }).or_default().push(i);
        }
    }
    // The root always exists, so `/` is never a 404 (a generated home page at worst).
    let mut ancestors = BTreeSet::from(["/".to_string()]);
    for f in folders.keys() {
        let mut cur = f.as_str();
        while let Some((parent, _)) = cur.rsplit_once('/') {
            let parent = if parent.is_empty() { "/" } else { parent };
            ancestors.insert(parent.to_string());
            if parent == "/" {
                break;
            }
            cur = parent;
        }
    }
    for folder in folders.keys().cloned().chain(ancestors).collect::<BTreeSet<_>>() {
        if existing.contains(&folder) {
            continue;
        }
        let nav_title = nav_by_folder.get(folder.trim_start_matches('/')).map(|&n| navs[n].title.clone());
        let kind = if folder == "/" { PageKind::Home } else { PageKind::Listing };
        let title = match kind {
            PageKind::Home => config.title.clone(),
            _ => nav_title.unwrap_or_else(|| humanize(folder.rsplit('/').next().unwrap_or(""))),
        };
        let description = (kind == PageKind::Home && !config.description.is_empty()).then(|| config.description.clone());
        pages.push(Page { description, ..Page::generated(&folder, kind, title) });
        sources.push(None);
    }

    if !input.changelog.is_empty() && !existing.contains("/changelog") {
        let (html, markdown) = changelog::bodies(&input.changelog);
        let description = Some(format!("What changed in {}, newest first.", config.title));
        pages.push(Page {
            description,
            html: html.into(),
            markdown: markdown.into(),
            ..Page::generated("/changelog", PageKind::Changelog, "Changelog".into())
        });
        sources.push(None);
    }

    // Reading order: nav order first, then the rest by URL, the changelog last.
    let url_index: HashMap<String, usize> = pages.iter().enumerate().map(|(i, p)| (p.url.clone(), i)).collect();
    let mut order: Vec<usize> = Vec::with_capacity(pages.len());
    let mut placed = vec![false; pages.len()];
    let mut section_of: Vec<Option<usize>> = vec![None; pages.len()];
    let mut nav_hidden = vec![false; pages.len()];
    let mut nav_excluded = vec![false; pages.len()];
    for (ni, nav) in navs.iter().enumerate() {
        visit_nav(&nav.links, &mut |node, flagged_off, excluded| {
            let Some(url) = &node.url else { return };
            let Some(&i) = url_index.get(url.as_str()) else {
                if !has_scheme(url) {
                    diags.push(
                        Diagnostic::warning(
                            &nav.file,
                            node.line,
                            0,
                            "nav.missing-page",
                            format!("navigation entry \"{}\" points to `{url}`, which has no page", node.title),
                        )
                        .with_hint(suggest_hint(links::closest(url, url_index.keys().map(String::as_str)))),
                    );
                }
                return;
            };
            if section_of[i].is_none() || nav.folder == top_folder(url) {
                section_of[i] = Some(ni);
            }
            nav_hidden[i] |= flagged_off(&config);
            nav_excluded[i] |= excluded;
            if !placed[i] {
                placed[i] = true;
                order.push(i);
            }
        });
    }
    let mut rest: Vec<usize> = (0..pages.len()).filter(|&i| !placed[i]).collect();
    rest.sort_by(|&a, &b| pages[a].url.cmp(&pages[b].url));
    // The home page comes first.
    if let Some(pos) = rest.iter().position(|&i| pages[i].url == "/") {
        let home = rest.remove(pos);
        order.insert(0, home);
    }
    order.extend(rest);
    if let Some(pos) = order.iter().position(|&i| pages[i].kind == PageKind::Changelog) {
        let c = order.remove(pos);
        order.push(c);
    }
    for (i, p) in pages.iter_mut().enumerate() {
        p.in_nav = placed[i];
        p.hidden |= nav_hidden[i];
        p.excluded |= nav_excluded[i];
        p.section = section_of[i].or_else(|| nav_by_folder.get(top_folder(&p.url)).copied().filter(|&n| !navs[n].folder.is_empty()));
    }
    let mut old_to_new = vec![0; pages.len()];
    for (new, &old) in order.iter().enumerate() {
        old_to_new[old] = new;
    }
    let mut slots: Vec<Option<Page>> = pages.into_iter().map(Some).collect();
    let mut pages: Vec<Page> = order.iter().map(|&o| slots[o].take().expect("each index once")).collect();
    let sources: Vec<Option<usize>> = order.iter().map(|&o| sources[o]).collect();
    let by_url: HashMap<String, usize> = pages.iter().enumerate().map(|(i, p)| (p.url.clone(), i)).collect();

    // Prev/next within each section's nav order; breadcrumbs.
    for (ni, nav) in navs.iter().enumerate() {
        let mut seq: Vec<usize> = Vec::new();
        visit_nav(&nav.links, &mut |node, _, _| {
            if let Some(&i) = node.url.as_ref().and_then(|u| by_url.get(u)) {
                if !seq.contains(&i) && !pages[i].hidden {
                    seq.push(i);
                }
            }
        });
        for w in seq.windows(2) {
            if pages[w[0]].section == Some(ni) {
                pages[w[0]].next = Some(w[1]);
            }
            if pages[w[1]].section == Some(ni) {
                pages[w[1]].prev = Some(w[0]);
            }
        }
    }
    // Each section's first URL, once (walking the nav per page was quadratic).
    let firsts: Vec<Option<String>> = navs.iter().map(|n| n.walk().into_iter().find_map(|x| x.url.clone())).collect();
    let crumbs: Vec<Vec<Crumb>> =
        (0..pages.len()).into_par_iter().map(|i| breadcrumbs(&pages, i, (&navs, &firsts), input.parsed, &sources, &by_url)).collect();
    for (page, c) in pages.iter_mut().zip(crumbs) {
        page.breadcrumbs = c;
    }

    // Routes and link resolution.
    let assets: Vec<String> = input.assets.iter().map(|a| format!("/{a}")).collect();
    let routes = Arc::new(
        Routes::new(pages.iter().map(|p| (p.url.as_str(), p.headings.as_slice())), assets)
            .with_files(pages.iter().map(|p| (p.source.as_deref(), p.url.as_str())))
            .relative_links(input.relative_links),
    );
    let mut rendered: Vec<Option<Arc<RenderedPage>>> = input.rendered.into_iter().map(Some).collect();
    let rendered: Vec<Option<Arc<RenderedPage>>> = sources.iter().map(|s| s.and_then(|pi| rendered[pi].take())).collect();
    let resolved: Vec<Option<(Body, Body, Vec<Diagnostic>)>> = rendered
        .into_par_iter()
        .enumerate()
        .map(|(i, r)| Some(link_page(&config, &routes, &pages, i, &input.parsed[sources[i]?].rel, r.as_deref()?)))
        .collect();
    for (page, (html, md, d)) in pages.iter_mut().zip(resolved).filter_map(|(p, r)| Some((p, r?))) {
        page.html = html;
        page.markdown = md;
        diags.extend(d);
    }
    let mut site = Site { config, pages, navs, by_url, changelog: input.changelog, locales: None, routes };
    listing::generated_bodies(&mut site);
    if let Some(set) = input.locales {
        locales::apply(&mut site, set);
    }
    (site, diags)
}

fn top_folder(url: &str) -> &str {
    url.trim_start_matches('/').split('/').next().unwrap_or("")
}

/// Depth-first over nav nodes; the callback gets the node, whether a feature flag hides it
/// (for a given config) and whether an ancestor excludes it from search.
fn visit_nav(nodes: &[NavNode], f: &mut dyn FnMut(&NavNode, &dyn Fn(&Config) -> bool, bool)) {
    fn go(nodes: &[NavNode], flags: &mut Vec<String>, excluded: bool, f: &mut dyn FnMut(&NavNode, &dyn Fn(&Config) -> bool, bool)) {
        for n in nodes {
            let pushed = n.feature_flag.clone().map(|fl| flags.push(fl)).is_some();
            let ex = excluded || n.exclude_from_search;
            let snapshot = flags.clone();
            f(n, &move |c: &Config| snapshot.iter().any(|fl| !c.flag_enabled(fl)), ex);
            go(&n.children, flags, ex, f);
            if pushed {
                flags.pop();
            }
        }
    }
    go(nodes, &mut Vec::new(), false, f);
}

fn breadcrumbs(
    pages: &[Page],
    i: usize,
    (navs, firsts): (&[Nav], &[Option<String>]),
    parsed: &[Arc<ParsedPage>],
    sources: &[Option<usize>],
    by_url: &HashMap<String, usize>,
) -> Vec<Crumb> {
    let page = &pages[i];
    let mut crumbs = Vec::new();
    if let Some(ni) = page.section {
        let nav = &navs[ni];
        crumbs.push(Crumb { title: nav.title.clone(), url: firsts[ni].clone() });
        if let Some(path) = nav_path(&nav.links, &page.url) {
            for n in &path[..path.len().saturating_sub(1)] {
                crumbs.push(Crumb { title: n.title.clone(), url: n.url.clone().filter(|u| by_url.contains_key(u)) });
            }
        }
    } else if let Some(pi) = sources[i] {
        if let Some((t, u)) = &parsed[pi].meta.breadcrumb {
            let u = links::normalize(u);
            crumbs.push(Crumb { title: t.clone(), url: by_url.contains_key(&u).then_some(u) });
        }
    }
    if crumbs.is_empty() && page.url != "/" {
        if let Some((parent, _)) = page.url.rsplit_once('/') {
            let parent = if parent.is_empty() { "/" } else { parent };
            if let Some(&pi) = by_url.get(parent) {
                crumbs.push(Crumb { title: pages[pi].title.clone(), url: Some(parent.to_string()) });
            }
        }
    }
    crumbs.retain(|c| c.url.as_deref() != Some(page.url.as_str()));
    crumbs.push(Crumb { title: page.title.clone(), url: None });
    crumbs
}

/// The chain of nav nodes from the top to the node with `url`.
pub fn nav_path<'a>(nodes: &'a [NavNode], url: &str) -> Option<Vec<&'a NavNode>> {
    for n in nodes {
        if n.url.as_deref() == Some(url) {
            return Some(vec![n]);
        }
        if let Some(mut p) = nav_path(&n.children, url) {
            p.insert(0, n);
            return Some(p);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twin_urls() {
        let mut p = Page { is_index: false, ..Page::generated("/sso/jit", PageKind::Content, String::new()) };
        assert_eq!(p.twin_url(), "/sso/jit.md");
        assert_eq!(p.html_path(), "sso/jit/index.html");
        p.is_index = true;
        assert_eq!(p.twin_url(), "/sso/jit/index.md");
        p.url = "/".into();
        assert_eq!(p.twin_url(), "/index.md");
        assert_eq!(p.html_path(), "index.html");
    }
}
