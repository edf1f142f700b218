//! Search documents from the compiled site: one per page section (heading), with the
//! page title, breadcrumbs and the section's plain text (code and API data included).
//! Architecture invariant: hidden (feature-flagged) and `excludeFromSearch` pages never
//! become documents.

use super::SearchDoc;
use crate::render::text::sections;
use crate::site::{Page, Site};
use rayon::prelude::*;

/// Every searchable section of the site, in reading order.
pub fn docs(site: &Site) -> Vec<SearchDoc> {
    site.pages.par_iter().filter(|p| searchable(p)).flat_map_iter(page_docs).collect()
}

/// Hands the browser index files of the site (names under `search/`) to `put` as each is
/// written; the sections' text is never held for the whole site at once.
pub fn write_browser_index(site: &Site, put: &(dyn Fn(String, Vec<u8>) + Sync)) {
    write_browser_index_of(site, &|_| true, put);
}

/// The browser index of the pages `keep` accepts (one locale's, on a site with locales).
pub fn write_browser_index_of(site: &Site, keep: &(dyn Fn(&Page) -> bool + Sync), put: &(dyn Fn(String, Vec<u8>) + Sync)) {
    let pages: Vec<&Page> = site.pages.iter().filter(|p| searchable(p) && keep(p)).collect();
    super::browser::write_index(&pages, |p| page_docs(p), put);
}

fn searchable(page: &Page) -> bool {
    !page.hidden && !page.excluded
}

/// The sections of one page (its HTML is read back into text, a large part of the cost).
fn page_docs(page: &Page) -> Vec<SearchDoc> {
    let mut out = Vec::new();
    let mut crumbs: Vec<String> = page.breadcrumbs.iter().map(|c| c.title.clone()).collect();
    if crumbs.last().is_some_and(|t| *t == page.title) {
        crumbs.pop();
    }
    let mut chain: Vec<(u8, String)> = Vec::new();
    for s in sections(&page.html.text()) {
        if s.id.is_none() && s.text.is_empty() && page.description.is_none() {
            continue;
        }
        while chain.last().is_some_and(|(l, _)| *l >= s.level) {
            chain.pop();
        }
        let mut trail = crumbs.clone();
        trail.push(page.title.clone());
        trail.extend(chain.iter().map(|(_, h)| h.clone()));
        let body = match (&s.id, &page.description) {
            (None, Some(d)) => format!("{d} {}", s.text),
            _ => s.text,
        };
        out.push(SearchDoc {
            url: match &s.id {
                Some(id) => format!("{}#{id}", page.url),
                None => page.url.clone(),
            },
            page_url: page.url.clone(),
            page_title: page.title.clone(),
            section: s.heading.clone(),
            breadcrumbs: trail,
            body,
        });
        if s.level > 0 {
            chain.push((s.level, s.heading));
        }
    }
    out
}
