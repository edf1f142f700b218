//! The agent bundle (llmstxt.org): `llms.txt` (an index of the Markdown twins by section),
//! a per-section `llms.txt`, and `llms-full.txt` (every twin in reading order); one bundle
//! per locale (the default one at the root, the others under `/<locale>/`).
//! Architecture invariant: a deterministic function of the site: same site, same bytes.

use super::Sink;
use super::pages::twin;
use crate::site::{Page, Site};
use rayon::prelude::*;
use std::fmt::Write as _;
use std::io;
use std::sync::Arc;

/// Puts every bundle file into `sink`. `llms-full.txt` is written in pieces: on a large
/// site it is hundreds of MB, and every page's twin was held twice to assemble it.
pub fn write_bundle(site: &Site, sink: &dyn Sink) {
    match &site.locales {
        None => write_scope(site, sink, None, ""),
        // The default locale's bundle at the root, each other one under its folder.
        Some(l) => (0..l.set.list.len()).into_par_iter().for_each(|i| write_scope(site, sink, Some(i), &super::locales::dir(site, i))),
    }
}

/// The bundle of one locale (`None`: the whole site), its files' paths starting with `dir`.
fn write_scope(site: &Site, sink: &dyn Sink, locale: Option<usize>, dir: &str) {
    let scope = Scope { site, locale };
    // Pages by section, once: a scan of every page per section was quadratic.
    let mut by_section: Vec<Vec<&Page>> = vec![Vec::new(); site.navs.len()];
    for p in site.pages.iter().filter(|p| included(p) && scope.has(p)) {
        if let Some(i) = p.section {
            by_section[i].push(p);
        }
    }
    let put = |path: String, text: String| sink.put(path, Arc::new(text.into_bytes()));
    rayon::join(
        || sink.put_with(format!("{dir}llms-full.txt"), &mut |out| full(&scope, out)),
        || {
            put(format!("{dir}llms.txt"), index(&scope, None, &by_section));
            for (i, nav) in site.navs.iter().enumerate() {
                if !nav.folder.is_empty() && !by_section[i].is_empty() {
                    put(format!("{}/llms.txt", nav.folder), index(&scope, Some(i), &by_section));
                }
            }
        },
    );
}

/// The pages and sections one bundle covers: one locale's, or all.
struct Scope<'a> {
    site: &'a Site,
    locale: Option<usize>,
}

impl Scope<'_> {
    fn has(&self, p: &Page) -> bool {
        self.locale.is_none_or(|l| p.locale == l)
    }

    fn has_nav(&self, i: usize) -> bool {
        match (self.locale, &self.site.locales) {
            (Some(l), Some(ls)) => ls.nav_locale.get(i) == Some(&l),
            _ => true,
        }
    }
}

fn included(p: &Page) -> bool {
    !p.hidden && !p.excluded
}

/// Absolute URL of a page's twin (or its HTML page when twins are not linked).
fn target(site: &Site, p: &Page) -> String {
    let abs = site.config.absolute_base().unwrap_or_else(|| site.config.base_path());
    if site.config.llms_link_twins { format!("{abs}{}", p.twin_href()) } else { format!("{abs}{}", crate::site::href("", &p.url)) }
}

fn entry(site: &Site, p: &Page) -> String {
    // A title may hold a line break (a file name, a YAML block); a link is one line.
    let title = p.title.replace('\n', " ");
    match &p.description {
        Some(d) => format!("- [{title}]({}): {}\n", target(site, p), d.replace('\n', " ")),
        None => format!("- [{title}]({})\n", target(site, p)),
    }
}

/// `llms.txt` for the whole site (`section: None`) or one section; `by_section` holds the
/// included pages of each section.
fn index(scope: &Scope<'_>, section: Option<usize>, by_section: &[Vec<&Page>]) -> String {
    let site = scope.site;
    let cfg = &site.config;
    let mut s = String::new();
    match section {
        None => {
            let _ = writeln!(s, "# {}\n", cfg.title);
            let summary = if cfg.description.is_empty() {
                format!("Documentation of {}, as Markdown for language models.", cfg.title)
            } else {
                cfg.description.clone()
            };
            let _ = writeln!(s, "> {}\n", summary.replace('\n', " "));
        }
        Some(i) => {
            let _ = writeln!(s, "# {} – {}\n", cfg.title, site.navs[i].title);
            let _ = writeln!(s, "> The {} section of {}, as Markdown for language models.\n", site.navs[i].title, cfg.title);
        }
    }
    let sections: Vec<usize> = match section {
        Some(i) => vec![i],
        None => (0..site.navs.len()).filter(|&i| scope.has_nav(i)).collect(),
    };
    for i in sections {
        let mut pages = by_section[i].iter().filter(|p| p.in_nav).peekable();
        if pages.peek().is_none() {
            continue;
        }
        let _ = writeln!(s, "## {}\n", site.navs[i].title);
        for p in pages {
            s.push_str(&entry(site, p));
        }
        s.push('\n');
    }
    let optional: Vec<&Page> = match section {
        Some(i) => by_section[i].iter().filter(|p| !p.in_nav).copied().collect(),
        None => site.pages.iter().filter(|p| (!p.in_nav || p.section.is_none()) && included(p) && scope.has(p)).collect(),
    };
    if !optional.is_empty() {
        s.push_str("## Optional\n\n");
        for p in optional {
            s.push_str(&entry(site, p));
        }
        s.push('\n');
    }
    s.truncate(s.trim_end().len());
    s.push('\n');
    s
}

/// Writes every page's twin, in reading order, each preceded by its URL: a batch of pages
/// at a time, rendered in parallel.
fn full(scope: &Scope<'_>, out: &mut dyn io::Write) -> io::Result<()> {
    const BATCH: usize = 1024;
    let site = scope.site;
    let abs = site.config.absolute_base().unwrap_or_else(|| site.config.base_path());
    let pages: Vec<&Page> = site.pages.iter().filter(|p| included(p) && scope.has(p)).collect();
    for batch in pages.chunks(BATCH) {
        let parts: Vec<String> =
            batch.par_iter().map(|p| format!("URL: {abs}{}\n\n{}\n---\n\n", crate::site::href("", &p.url), twin(site, p))).collect();
        for part in parts {
            out.write_all(part.as_bytes())?;
        }
    }
    Ok(())
}
