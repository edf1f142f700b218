//! Helpers the file-driven conventions (Mintlify, Nextra, Fumadocs, MkDocs) share: a page table
//! keyed by URL that hands out each page's sidebar node once (a second listing is a
//! diagnostic), the folder tree of page paths, and the line of a name inside a nav file's text,
//! for positioned diagnostics.
//! Invariant: reads parsed pages only; never the file system.

use crate::diagnostics::Diagnostic;
use crate::model::{NavNode, humanize};
use crate::parse::ParsedPage;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

/// The pages of a tree by URL, and which of them a nav has listed so far.
pub(super) struct Pages<'a> {
    by_url: HashMap<&'a str, &'a ParsedPage>,
    listed: HashSet<String>,
}

impl<'a> Pages<'a> {
    /// Index `pages` by URL.
    pub(super) fn new(pages: &'a [Arc<ParsedPage>]) -> Self {
        Pages { by_url: pages.iter().map(|p| (p.url.as_str(), p.as_ref())).collect(), listed: HashSet::new() }
    }

    /// The page at `url`, if any.
    pub(super) fn get(&self, url: &str) -> Option<&'a ParsedPage> {
        self.by_url.get(url).copied()
    }

    /// The node of the page at `url` (titled `title`, else by the page's own sidebar title),
    /// marking it listed. A missing page or a second listing is a warning at `line` of `file`
    /// and gives no node.
    pub(super) fn take(&mut self, url: &str, title: Option<&str>, file: &str, line: u32, diags: &mut Vec<Diagnostic>) -> Option<NavNode> {
        let Some(page) = self.get(url) else {
            diags.push(Diagnostic::warning(file, line, 1, "nav.missing-page", format!("navigation names `{url}`, which is no page")));
            return None;
        };
        if !self.listed.insert(url.to_owned()) {
            diags.push(Diagnostic::warning(
                file,
                line,
                1,
                "nav.duplicate",
                format!("`{url}` is listed twice; the second listing is dropped"),
            ));
            return None;
        }
        Some(NavNode {
            title: title.map(str::to_owned).unwrap_or_else(|| page_title(page)),
            url: Some(url.to_owned()),
            feature_flag: page.meta.feature_flag.clone(),
            exclude_from_search: page.meta.exclude_from_search,
            line,
            ..Default::default()
        })
    }
}

/// A page's sidebar label: frontmatter `sidebarTitle`, then its title, first heading, file name.
pub(super) fn page_title(page: &ParsedPage) -> String {
    page.frontmatter
        .get("sidebarTitle")
        .and_then(|v| v.as_str())
        .map(str::to_owned)
        .or_else(|| page.meta.title.clone())
        .or_else(|| page.first_heading.clone())
        .unwrap_or_else(|| humanize(page.url.rsplit('/').next().unwrap_or("")))
}

/// The 1-based line of the first `"needle"` (quoted, as JSON and JS write names) in `text`,
/// or 1. Names are located textually because the readers give values, not spans.
pub(super) fn line_of(text: &str, needle: &str) -> u32 {
    let quoted = format!("\"{needle}\"");
    let at = text.find(&quoted).or_else(|| text.find(&format!("'{needle}'"))).or_else(|| text.find(needle));
    at.map_or(1, |i| text[..i].matches('\n').count() as u32 + 1)
}

/// Pages as a folder tree: each folder's pages by file stem and its sub-folders by name.
#[derive(Default)]
pub(super) struct Tree<'a> {
    pub(super) files: BTreeMap<String, &'a ParsedPage>,
    pub(super) dirs: BTreeMap<String, Tree<'a>>,
}

impl<'a> Tree<'a> {
    /// Place `page` at the `/`-separated path `stem` (no extension).
    pub(super) fn insert(&mut self, stem: &str, page: &'a ParsedPage) {
        match stem.split_once('/') {
            Some((d, rest)) => self.dirs.entry(d.to_owned()).or_default().insert(rest, page),
            None => {
                self.files.insert(stem.to_owned(), page);
            }
        }
    }

    /// The folder at a `/`-separated path below this one.
    pub(super) fn get(&self, path: &str) -> Option<&Tree<'a>> {
        path.split('/').filter(|s| !s.is_empty()).try_fold(self, |d, seg| d.dirs.get(seg))
    }
}
