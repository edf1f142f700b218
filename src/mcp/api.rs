//! The typed core behind the MCP tools: search, read, browse and changelog over a compiled
//! [`Site`], validated and returned as plain Rust values. Knows nothing of MCP or JSON-RPC,
//! so the CLI and the tests call it directly.
//! Architecture invariant: a path argument is only ever looked up in the site model (a
//! hash map of page URLs), never joined onto the file system, so no argument can reach a
//! file outside the compiled site.

use super::browse::{self, NavHints};
use crate::output::pages::twin;
use crate::render::Heading;
use crate::search::Engine;
use crate::site::changelog::Entry;
use crate::site::links::edit_distance;
use crate::site::{Page, Site};

/// Search results returned when `limit` is not given.
pub const DEFAULT_SEARCH_LIMIT: usize = 10;
/// Most search results one call may ask for.
pub const MAX_SEARCH_LIMIT: usize = 50;
/// Changelog entries returned when `limit` is not given.
pub const DEFAULT_CHANGELOG_LIMIT: usize = 20;
/// Most changelog entries one call may ask for.
pub const MAX_CHANGELOG_LIMIT: usize = 500;
/// Longest path or query accepted; anything longer cannot name a page.
const MAX_INPUT: usize = 2048;
/// Suggestions offered for an unknown path.
const SUGGESTIONS: usize = 5;

/// A rejected request: each variant's message tells the caller how to fix the call.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DocsError {
    /// The search query has no words.
    #[error("`query` is empty: pass a few words, e.g. \"test single sign-on\"")]
    EmptyQuery,
    /// An argument is longer than any page path or sensible query.
    #[error("`{0}` is longer than {MAX_INPUT} characters")]
    TooLong(&'static str),
    /// A `limit` outside its range.
    #[error("`limit` must be between 1 and {max}, got {given}")]
    BadLimit {
        /// The value passed.
        given: i64,
        /// The largest accepted value.
        max: usize,
    },
    /// No visible page at the path.
    #[error("no page at `{path}`")]
    NotFound {
        /// The path as given.
        path: String,
        /// Likely pages: (path, title), best first.
        suggestions: Vec<(String, String)>,
    },
    /// `since` is not a `YYYY-MM-DD` date.
    #[error("`since` must be a date written YYYY-MM-DD, got \"{0}\"")]
    BadDate(String),
    /// The site has no changelog.
    #[error("this site has no changelog (set `changelog` in vellum.toml or pass --changelog)")]
    NoChangelog,
}

/// One search result: a page section.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SearchHit {
    /// Section path with anchor (`/sso/test-sso#idp-initiated`), or the page path.
    pub path: String,
    /// Page path (`/sso/test-sso`), the argument for `read_doc`.
    pub page: String,
    /// Page title.
    pub title: String,
    /// Section heading; empty for the page intro.
    pub section: String,
    /// Navigation trail.
    pub breadcrumbs: Vec<String>,
    /// Plain-text excerpt around the match.
    pub snippet: String,
}

/// Where a requested `#anchor` points.
#[derive(Debug, Clone, PartialEq)]
pub enum Anchor<'a> {
    /// The heading with that id.
    Found(&'a Heading),
    /// No heading has that id.
    Missing(String),
}

/// A page read: its Markdown twin and where it sits in the navigation.
#[derive(Debug, Clone)]
pub struct PageRead<'a> {
    /// The page.
    pub page: &'a Page,
    /// The Markdown twin (title, description, body).
    pub markdown: String,
    /// The section named by a `#anchor` in the path, if any.
    pub anchor: Option<Anchor<'a>>,
    /// Parent, siblings and children.
    pub nav: NavHints,
}

/// The compiled site and its search engine, ready to answer queries.
pub struct Docs {
    site: Site,
    engine: Engine,
}

impl Docs {
    /// Index a compiled site.
    pub fn new(site: Site) -> Self {
        let engine = Engine::new(crate::search::docs(&site));
        Self { site, engine }
    }

    /// The site.
    pub fn site(&self) -> &Site {
        &self.site
    }

    /// Pages an agent may see (not gated by a disabled feature flag), in reading order.
    pub fn visible_pages(&self) -> impl Iterator<Item = &Page> {
        self.site.pages.iter().filter(|p| !p.hidden)
    }

    /// The ranked sections matching `query`.
    pub fn search(&self, query: &str, limit: Option<i64>) -> Result<Vec<SearchHit>, DocsError> {
        let limit = check_limit(limit, DEFAULT_SEARCH_LIMIT, MAX_SEARCH_LIMIT)?;
        if query.len() > MAX_INPUT {
            return Err(DocsError::TooLong("query"));
        }
        if !query.chars().any(char::is_alphanumeric) {
            return Err(DocsError::EmptyQuery);
        }
        Ok(self.engine.search(query, limit).into_iter().map(|h| self.hit(h.doc, h.snippet)).collect())
    }

    fn hit(&self, doc: usize, snippet: String) -> SearchHit {
        let d = self.engine.doc(doc);
        SearchHit {
            path: d.url.clone(),
            page: d.page_url.clone(),
            title: d.page_title.clone(),
            section: d.section.clone(),
            breadcrumbs: d.breadcrumbs.clone(),
            snippet,
        }
    }

    /// The page at `path` (any spelling [`Docs::lookup`] accepts) with navigation hints.
    pub fn read(&self, path: &str) -> Result<PageRead<'_>, DocsError> {
        let (page, fragment) = self.lookup(path)?;
        let anchor = fragment.map(|f| match page.headings.iter().find(|h| h.id == f || h.slug == f) {
            Some(h) => Anchor::Found(h),
            None => Anchor::Missing(f),
        });
        Ok(PageRead { page, markdown: twin(&self.site, page), anchor, nav: browse::hints(&self.site, page) })
    }

    /// The Markdown twin of the page at `path`.
    pub fn markdown(&self, path: &str) -> Result<String, DocsError> {
        self.lookup(path).map(|(p, _)| twin(&self.site, p))
    }

    /// Browse the navigation: sections without a path, else the children of a section or page.
    pub fn list(&self, path: Option<&str>) -> Result<browse::Listing, DocsError> {
        let Some(path) = path.map(str::trim).filter(|p| !p.is_empty() && *p != "/") else {
            return Ok(browse::sections(&self.site));
        };
        if path.len() > MAX_INPUT {
            return Err(DocsError::TooLong("path"));
        }
        if let Some(l) = browse::section(&self.site, path) {
            return Ok(l);
        }
        let (page, _) = self.lookup(path)?;
        Ok(browse::children(&self.site, page))
    }

    /// Changelog entries, newest first, on or after `since`.
    pub fn changelog(&self, limit: Option<i64>, since: Option<&str>) -> Result<Vec<&Entry>, DocsError> {
        let limit = check_limit(limit, DEFAULT_CHANGELOG_LIMIT, MAX_CHANGELOG_LIMIT)?;
        let since = since.map(str::trim).filter(|s| !s.is_empty());
        if let Some(s) = since {
            if !valid_date(s) {
                return Err(DocsError::BadDate(s.chars().take(40).collect()));
            }
        }
        if self.site.config.changelog.is_none() && self.site.changelog.is_empty() {
            return Err(DocsError::NoChangelog);
        }
        Ok(self.site.changelog.iter().filter(|e| since.is_none_or(|s| e.date.as_str() >= s)).take(limit).collect())
    }

    /// Resolve a path as an agent may write it: with or without a leading slash, with a
    /// `.md`/`.mdx`/`.html` suffix, a trailing slash, a `#anchor`, a `?query`, the base path,
    /// a full URL on the site, or a `docs://` resource URI. Returns the page and the anchor.
    pub fn lookup(&self, raw: &str) -> Result<(&Page, Option<String>), DocsError> {
        let raw = raw.trim();
        if raw.len() > MAX_INPUT {
            return Err(DocsError::TooLong("path"));
        }
        let (path, fragment) = match raw.split_once('#') {
            Some((p, f)) => (p, Some(f.to_string()).filter(|f| !f.is_empty())),
            None => (raw, None),
        };
        let path = path.split('?').next().unwrap_or(path);
        let cfg = &self.site.config;
        let path = match cfg.absolute_base() {
            Some(abs) if path.starts_with(&abs) => &path[abs.len()..],
            _ => path,
        };
        let (path, foreign) = match path.split_once("://") {
            Some(("docs", rest)) => (rest, false),
            Some((_, rest)) => (rest.find('/').map_or("", |i| &rest[i..]), true),
            None => (path, false),
        };
        let path = format!("/{}", path.trim_start_matches('/'));
        let base = cfg.base_path();
        let unbased = path.strip_prefix(&base).filter(|r| !base.is_empty() && (r.is_empty() || r.starts_with('/')));
        // A URL on another origin may carry an unconfigured base path (`/docs/…`).
        let unprefixed = foreign.then(|| path[1..].find('/').map(|i| &path[i + 1..])).flatten();
        let found =
            [Some(path.as_str()), unbased, unprefixed].into_iter().flatten().find_map(|p| self.site.page(p).filter(|pg| !pg.hidden));
        match found {
            Some(page) => Ok((page, fragment)),
            None => Err(DocsError::NotFound { path: raw.chars().take(200).collect(), suggestions: self.suggest(unbased.unwrap_or(&path)) }),
        }
    }

    /// Pages close to an unknown path: by edit distance of the URL, then by search.
    fn suggest(&self, path: &str) -> Vec<(String, String)> {
        let target = crate::site::links::normalize(path);
        let max = (target.chars().count() / 3).clamp(2, 12);
        let mut close: Vec<(usize, &Page)> =
            self.visible_pages().map(|p| (edit_distance(&target, &p.url), p)).filter(|(d, _)| *d <= max).collect();
        close.sort_by_key(|(d, p)| (*d, p.url.len()));
        let mut out: Vec<(String, String)> = close.into_iter().take(3).map(|(_, p)| (p.url.clone(), p.title.clone())).collect();
        let words: String = target.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ");
        for h in self.engine.search(&words, SUGGESTIONS * 2) {
            if out.len() >= SUGGESTIONS {
                break;
            }
            let d = self.engine.doc(h.doc);
            if !out.iter().any(|(u, _)| *u == d.page_url) {
                out.push((d.page_url.clone(), d.page_title.clone()));
            }
        }
        out
    }
}

fn check_limit(limit: Option<i64>, default: usize, max: usize) -> Result<usize, DocsError> {
    match limit {
        None => Ok(default),
        Some(n) if n >= 1 && n as u64 <= max as u64 => Ok(n as usize),
        Some(given) => Err(DocsError::BadLimit { given, max }),
    }
}

/// `YYYY-MM-DD` with a month 01–12 and a day 01–31.
fn valid_date(d: &str) -> bool {
    let b = d.as_bytes();
    let shape = b.len() == 10 && b[4] == b'-' && b[7] == b'-' && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    shape && matches!(d[5..7].parse::<u8>(), Ok(1..=12)) && matches!(d[8..10].parse::<u8>(), Ok(1..=31))
}

#[cfg(test)]
mod tests;
