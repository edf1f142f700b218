//! Navigation views for the MCP core: the list of sections, a section's or page's subtree,
//! and the parent / siblings / children of a page. Read from the site's nav trees, falling
//! back to URL folders for pages that no nav lists.
//! Architecture invariant: only visible pages appear (feature-flagged nodes and hidden
//! pages are left out), and every path shown is one `read_doc` accepts.

use crate::model::{Nav, NavNode};
use crate::site::{Page, PageKind, Site};

/// Levels of a subtree shown by `list_docs`; deeper pages are counted, not listed.
const TREE_DEPTH: usize = 3;
/// Most siblings shown with a page.
const MAX_SIBLINGS: usize = 25;
/// Most children shown with a page.
const MAX_CHILDREN: usize = 50;

/// A titled page path.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Link {
    /// Title.
    pub title: String,
    /// Page path (`/sso/test-sso`).
    pub path: String,
}

/// Where a page sits: its section, group, parent, siblings, children and reading order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NavHints {
    /// The section (nav) title and its first page.
    pub section: Option<Link>,
    /// The nearest enclosing group label (a nav entry without a page).
    pub group: Option<String>,
    /// The nearest enclosing page.
    pub parent: Option<Link>,
    /// Pages beside this one.
    pub siblings: Vec<Link>,
    /// Pages below this one.
    pub children: Vec<Link>,
    /// Siblings or children left out by the caps.
    pub more: usize,
    /// Previous page in reading order.
    pub prev: Option<Link>,
    /// Next page in reading order.
    pub next: Option<Link>,
}

/// A top-level section.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// Section title.
    pub title: String,
    /// Folder, the argument for `list_docs`.
    pub folder: String,
    /// First page.
    pub path: Option<String>,
    /// Pages listed in the section.
    pub pages: usize,
}

/// A node of a listed subtree.
#[derive(Debug, Clone, PartialEq)]
pub struct TreeNode {
    /// Title.
    pub title: String,
    /// Page path; `None` for group labels.
    pub path: Option<String>,
    /// Shown children.
    pub children: Vec<TreeNode>,
    /// Pages below this node that are not shown (depth cap).
    pub folded: usize,
}

/// What `list_docs` returns.
#[derive(Debug, Clone, PartialEq)]
pub enum Listing {
    /// Every section, plus counts of what lies outside them.
    Sections {
        /// The sections, in display order.
        sections: Vec<Section>,
        /// Visible pages listed by no nav.
        unlisted: usize,
        /// The site has a changelog page.
        changelog: bool,
    },
    /// The subtree under a section or page.
    Tree {
        /// Section or page title.
        title: String,
        /// Section's first page or the page itself.
        path: Option<String>,
        /// The nodes.
        nodes: Vec<TreeNode>,
    },
}

fn shown(site: &Site, n: &NavNode) -> bool {
    n.feature_flag.as_deref().is_none_or(|f| site.config.flag_enabled(f))
}

/// The node's page path, if it names a visible page.
fn page_path<'a>(site: &Site, n: &'a NavNode) -> Option<&'a str> {
    n.url.as_deref().filter(|u| site.page(u).is_some_and(|p| !p.hidden))
}

fn link(p: &Page) -> Link {
    Link { title: p.title.clone(), path: p.url.clone() }
}

fn count(site: &Site, nodes: &[NavNode], depth: usize) -> usize {
    if depth > 16 {
        return 0;
    }
    nodes.iter().filter(|n| shown(site, n)).map(|n| usize::from(page_path(site, n).is_some()) + count(site, &n.children, depth + 1)).sum()
}

fn first_page(site: &Site, nav: &Nav) -> Option<String> {
    nav.walk().into_iter().filter(|n| shown(site, n)).find_map(|n| page_path(site, n).map(str::to_string))
}

/// Every section with its first page and page count.
pub fn sections(site: &Site) -> Listing {
    let sections = site
        .navs
        .iter()
        .map(|n| Section {
            title: n.title.clone(),
            folder: n.folder.clone(),
            path: first_page(site, n),
            pages: count(site, &n.links, 0).max(folder_pages(site, &n.folder).len()),
        })
        .collect();
    let unlisted = site.pages.iter().filter(|p| !p.hidden && !p.in_nav && p.kind == PageKind::Content).count();
    Listing::Sections { sections, unlisted, changelog: site.pages.iter().any(|p| p.kind == PageKind::Changelog) }
}

/// The section whose folder or title is `name` (`sso`, `/sso/`, `Single Sign-On`).
pub fn section(site: &Site, name: &str) -> Option<Listing> {
    let folder = name.trim_matches('/');
    let nav = site
        .navs
        .iter()
        .find(|n| !n.folder.is_empty() && n.folder == folder)
        .or_else(|| site.navs.iter().find(|n| n.title.eq_ignore_ascii_case(name.trim())))?;
    let mut nodes = tree(site, &nav.links, 1);
    if nodes.is_empty() {
        nodes = folder_pages(site, &nav.folder).into_iter().map(|p| leaf(site, p)).collect();
    }
    Some(Listing::Tree { title: nav.title.clone(), path: first_page(site, nav), nodes })
}

/// The children of a page: its nav subtree, or the pages in its URL folder.
pub fn children(site: &Site, page: &Page) -> Listing {
    let nodes = match find(site, page) {
        Some(f) if !f.node.children.is_empty() => tree(site, &f.node.children, 1),
        _ => folder_pages(site, page.url.trim_start_matches('/')).into_iter().map(|p| leaf(site, p)).collect(),
    };
    Listing::Tree { title: page.title.clone(), path: Some(page.url.clone()), nodes }
}

fn leaf(site: &Site, p: &Page) -> TreeNode {
    let below = folder_pages(site, p.url.trim_start_matches('/')).len();
    TreeNode { title: p.title.clone(), path: Some(p.url.clone()), children: Vec::new(), folded: below }
}

fn tree(site: &Site, nodes: &[NavNode], depth: usize) -> Vec<TreeNode> {
    nodes
        .iter()
        .filter(|n| shown(site, n))
        .filter_map(|n| {
            let path = page_path(site, n).map(str::to_string);
            let (children, folded) =
                if depth >= TREE_DEPTH { (Vec::new(), count(site, &n.children, depth)) } else { (tree(site, &n.children, depth + 1), 0) };
            // Group labels with nothing visible below them are noise.
            (path.is_some() || !children.is_empty() || folded > 0).then(|| TreeNode { title: n.title.clone(), path, children, folded })
        })
        .collect()
}

/// Visible pages directly inside a URL folder (`sso` → `/sso/x`), by title.
fn folder_pages<'a>(site: &'a Site, folder: &str) -> Vec<&'a Page> {
    if folder.is_empty() {
        return Vec::new();
    }
    let prefix = format!("/{folder}/");
    let mut v: Vec<&Page> = site
        .pages
        .iter()
        .filter(|p| !p.hidden && p.url.strip_prefix(&prefix).is_some_and(|rest| !rest.is_empty() && !rest.contains('/')))
        .collect();
    v.sort_by_key(|p| p.title.to_lowercase());
    v
}

/// A page's nav node, the nodes above it (outermost first), and the list it sits in.
struct Found<'a> {
    node: &'a NavNode,
    ancestors: Vec<&'a NavNode>,
    container: &'a [NavNode],
}

fn find<'a>(site: &'a Site, page: &Page) -> Option<Found<'a>> {
    fn go<'a>(nodes: &'a [NavNode], url: &str, depth: usize) -> Option<Found<'a>> {
        if depth > 16 {
            return None;
        }
        for n in nodes {
            if n.url.as_deref() == Some(url) {
                return Some(Found { node: n, ancestors: Vec::new(), container: nodes });
            }
            if let Some(mut f) = go(&n.children, url, depth + 1) {
                f.ancestors.insert(0, n);
                return Some(f);
            }
        }
        None
    }
    let own = page.section.and_then(|i| site.navs.get(i));
    own.into_iter().chain(site.navs.iter()).find_map(|nav| go(&nav.links, &page.url, 0))
}

/// Pages under `nodes`, looking through group labels one level.
fn page_links(site: &Site, nodes: &[NavNode], skip: &str) -> Vec<Link> {
    let mut out = Vec::new();
    for n in nodes.iter().filter(|n| shown(site, n)) {
        match page_path(site, n) {
            Some(p) if p != skip => out.extend(site.page(p).map(link)),
            Some(_) => {}
            None => out.extend(
                n.children
                    .iter()
                    .filter(|c| shown(site, c))
                    .filter_map(|c| page_path(site, c).filter(|p| *p != skip))
                    .filter_map(|p| site.page(p))
                    .map(link),
            ),
        }
    }
    out
}

/// Navigation hints for a page.
pub fn hints(site: &Site, page: &Page) -> NavHints {
    let at = |i: Option<usize>| i.and_then(|i| site.pages.get(i)).filter(|p| !p.hidden).map(link);
    let mut h = NavHints { prev: at(page.prev), next: at(page.next), ..NavHints::default() };
    h.section =
        page.section.and_then(|i| site.navs.get(i)).map(|n| Link { title: n.title.clone(), path: first_page(site, n).unwrap_or_default() });
    let (mut siblings, mut children) = match find(site, page) {
        Some(f) => {
            h.group = f.ancestors.last().filter(|a| a.url.is_none()).map(|a| a.title.clone());
            h.parent = f.ancestors.iter().rev().find_map(|a| page_path(site, a)).and_then(|p| site.page(p)).map(link);
            let siblings: Vec<Link> = f
                .container
                .iter()
                .filter(|n| shown(site, n))
                .filter_map(|n| page_path(site, n).filter(|p| *p != page.url))
                .filter_map(|p| site.page(p))
                .map(link)
                .collect();
            (siblings, page_links(site, &f.node.children, &page.url))
        }
        None => {
            h.parent =
                page.breadcrumbs.iter().rev().find_map(|c| c.url.as_deref()).and_then(|u| site.page(u)).filter(|p| !p.hidden).map(link);
            let folder = page.url.rsplit_once('/').map_or("", |(f, _)| f).trim_start_matches('/');
            let siblings = folder_pages(site, folder).into_iter().filter(|p| p.url != page.url).map(link).collect();
            (siblings, Vec::new())
        }
    };
    if children.is_empty() {
        children = folder_pages(site, page.url.trim_start_matches('/')).into_iter().map(link).collect();
    }
    h.more = siblings.len().saturating_sub(MAX_SIBLINGS) + children.len().saturating_sub(MAX_CHILDREN);
    siblings.truncate(MAX_SIBLINGS);
    children.truncate(MAX_CHILDREN);
    h.siblings = siblings;
    h.children = children;
    h
}
