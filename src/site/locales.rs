//! One site in several locales, after linking: every page gets its locale, each page of the
//! default locale gets a counterpart in every other locale (its translation, or a fallback
//! page holding the default content at the translated URL), and the default locale's
//! sections are copied for each other locale with their links mapped to that locale's URLs.
//! Invariant: a site without locales is untouched; in one with locales, every translation
//! key of the default locale has a page in every locale, and sections the convention made
//! of other locales' pages alone are replaced by the mapped copies.

use super::{Crumb, Page, PageKind, Site};
use crate::model::{Locale, Locales, Nav, NavNode, has_scheme};
use std::collections::HashMap;

/// The locales of a linked site.
#[derive(Debug, Clone)]
pub struct SiteLocales {
    /// The locales, the default first.
    pub set: Locales,
    /// The locale of each section of [`Site::navs`].
    pub nav_locale: Vec<usize>,
}

/// One locale's version of a page, for the language switcher and `hreflang` links.
#[derive(Debug, Clone)]
pub struct Version<'a> {
    /// The locale.
    pub locale: &'a Locale,
    /// Its page (URL without base path).
    pub url: String,
    /// The page is the default locale's content (not a translation).
    pub fallback: bool,
}

impl SiteLocales {
    /// The locale of a page (its index in `set.list`).
    pub fn locale<'s>(&'s self, page: &Page) -> &'s Locale {
        &self.set.list[page.locale]
    }

    /// The page's version in each locale that has one, in locale order.
    pub fn versions<'s>(&'s self, site: &Site, page: &Page) -> Vec<Version<'s>> {
        let Some((_, key)) = self.set.of(&page.url) else { return Vec::new() };
        self.set
            .list
            .iter()
            .filter_map(|l| {
                let url = l.url(key);
                let p = site.page(&url)?;
                Some(Version { locale: l, fallback: p.fallback_of.is_some(), url })
            })
            .collect()
    }
}

/// Gives `site` its locales (see the module doc).
pub(super) fn apply(site: &mut Site, set: Locales) {
    let of = |url: &str| set.of(url).map(|(l, k)| (l, k.to_string()));
    let keys: Vec<Option<(usize, String)>> = site.pages.iter().map(|p| of(&p.url)).collect();
    for (p, k) in site.pages.iter_mut().zip(&keys) {
        p.locale = k.as_ref().map_or(0, |(l, _)| *l);
    }

    // Sections made only of other locales' pages give way to the mapped copies.
    let keep: Vec<bool> = site
        .navs
        .iter()
        .map(|n| {
            let urls: Vec<&str> = n.walk().into_iter().filter_map(|x| x.url.as_deref()).filter(|u| !has_scheme(u)).collect();
            urls.is_empty() || urls.iter().any(|u| of(u).is_none_or(|(l, _)| l == 0))
        })
        .collect();
    let mut renumber = vec![None; site.navs.len()];
    let mut navs = Vec::new();
    for (i, n) in std::mem::take(&mut site.navs).into_iter().enumerate() {
        if keep[i] {
            renumber[i] = Some(navs.len());
            navs.push(n);
        }
    }
    for p in &mut site.pages {
        p.section = p.section.and_then(|s| renumber[s]).filter(|_| p.locale == 0);
    }

    // Fallback pages for every default-locale page another locale lacks.
    let by_url = by_url_now(site);
    let mut counterpart: Vec<Vec<Option<usize>>> = vec![vec![None; site.pages.len()]; set.list.len()];
    let defaults: Vec<usize> = (0..site.pages.len()).filter(|&i| matches!(&keys[i], Some((0, _)))).collect();
    for &d in &defaults {
        let key = keys[d].as_ref().map(|(_, k)| k.as_str()).unwrap_or("/");
        for (li, l) in set.list.iter().enumerate().skip(1) {
            let url = l.url(key);
            counterpart[li][d] = Some(match by_url.get(&url) {
                Some(&t) => t,
                None if site.pages[d].kind == PageKind::Changelog => continue,
                None => {
                    let original = &site.pages[d];
                    let page = Page {
                        url,
                        locale: li,
                        fallback_of: Some(original.url.clone()),
                        excluded: true,
                        prev: None,
                        next: None,
                        ..original.clone()
                    };
                    site.pages.push(page);
                    site.pages.len() - 1
                }
            });
        }
    }
    let map_url = |li: usize, url: &str| -> Option<String> {
        match of(url) {
            Some((0, key)) => Some(set.list[li].url(&key)),
            _ => None,
        }
    };

    // Each default section, copied per locale.
    let index: HashMap<String, usize> = by_url_now(site);
    let defaults_navs = navs.len();
    let mut nav_locale = vec![0; defaults_navs];
    for li in 1..set.list.len() {
        for s in 0..defaults_navs {
            let nav = &navs[s];
            let links = map_nodes(&nav.links, &|u| map_url(li, u), &|u| translated_title(site, &index, u));
            let folder = if nav.folder.is_empty() { String::new() } else { set.list[li].url(&format!("/{}", nav.folder))[1..].to_string() };
            navs.push(Nav { file: nav.file.clone(), folder, title: nav.title.clone(), links });
            nav_locale.push(li);
        }
    }

    // Places of the counterparts: section, prev/next, breadcrumbs of their default page.
    for li in 1..set.list.len() {
        for &d in &defaults {
            let Some(t) = counterpart[li][d] else { continue };
            let src = &site.pages[d];
            let section = src.section.map(|s| defaults_navs * li + s);
            let near = |i: Option<usize>| i.and_then(|i| map_url(li, &site.pages[i].url)).and_then(|u| index.get(&u).copied());
            let (prev, next, in_nav) = (near(src.prev), near(src.next), src.in_nav);
            let crumbs: Vec<Crumb> = src
                .breadcrumbs
                .iter()
                .map(|c| {
                    let url = c.url.as_deref().and_then(|u| map_url(li, u)).filter(|u| index.contains_key(u));
                    let title = url.as_deref().and_then(|u| translated_title(site, &index, u)).unwrap_or_else(|| c.title.clone());
                    Crumb { title, url }
                })
                .collect();
            let page = &mut site.pages[t];
            page.section = section;
            page.prev = prev;
            page.next = next;
            page.in_nav = in_nav;
            page.breadcrumbs = crumbs;
            if let Some(last) = page.breadcrumbs.last_mut() {
                last.title = page.title.clone();
            }
        }
    }
    site.navs = navs;
    reorder(site, &set);
    site.locales = Some(SiteLocales { set, nav_locale });
}

fn by_url_now(site: &Site) -> HashMap<String, usize> {
    site.pages.iter().enumerate().map(|(i, p)| (p.url.clone(), i)).collect()
}

/// The title of the translated page at `url` (`None` for a fallback page or no page).
fn translated_title(site: &Site, index: &HashMap<String, usize>, url: &str) -> Option<String> {
    index.get(url).map(|&i| &site.pages[i]).filter(|p| p.fallback_of.is_none()).map(|p| p.title.clone())
}

/// `nodes` with internal URLs mapped by `map` and page labels by `title` (iterative
/// enough: nav trees are bounded by their readers).
fn map_nodes(nodes: &[NavNode], map: &dyn Fn(&str) -> Option<String>, title: &dyn Fn(&str) -> Option<String>) -> Vec<NavNode> {
    nodes
        .iter()
        .map(|n| {
            let url = n.url.as_deref().map(|u| if has_scheme(u) { u.to_string() } else { map(u).unwrap_or_else(|| u.to_string()) });
            let label = url.as_deref().filter(|u| !has_scheme(u)).and_then(title);
            NavNode { title: label.unwrap_or_else(|| n.title.clone()), url, children: map_nodes(&n.children, map, title), ..n.clone() }
        })
        .collect()
}

/// Reading order: the default locale's pages as linked, then each locale's pages in the
/// order of their default counterparts, then its pages of its own.
fn reorder(site: &mut Site, set: &Locales) {
    let n = site.pages.len();
    let mut order: Vec<usize> = (0..n).filter(|&i| site.pages[i].locale == 0).collect();
    let pos: HashMap<String, usize> = order.iter().enumerate().map(|(r, &i)| (site.pages[i].url.clone(), r)).collect();
    for li in 1..set.list.len() {
        let mut mine: Vec<(usize, usize)> = (0..n)
            .filter(|&i| site.pages[i].locale == li)
            .map(|i| {
                let default_url = set.of(&site.pages[i].url).map(|(_, k)| set.list[0].url(k));
                (default_url.and_then(|u| pos.get(&u).copied()).unwrap_or(usize::MAX), i)
            })
            .collect();
        mine.sort();
        order.extend(mine.into_iter().map(|(_, i)| i));
    }
    let mut old_to_new = vec![0; n];
    for (new, &old) in order.iter().enumerate() {
        old_to_new[old] = new;
    }
    let mut slots: Vec<Option<Page>> = std::mem::take(&mut site.pages).into_iter().map(Some).collect();
    site.pages = order.iter().filter_map(|&o| slots[o].take()).collect();
    for p in &mut site.pages {
        p.prev = p.prev.map(|i| old_to_new[i]);
        p.next = p.next.map(|i| old_to_new[i]);
    }
    site.by_url = by_url_now(site);
}
