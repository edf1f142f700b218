//! What pages of a site with locales add to the template context: `lang`, `dir`, the
//! `hreflang` alternates, the language switcher's links, a fallback page's notice and
//! canonical URL, and the locale's search index; plus where each locale's files go.
//! Invariant: a site without locales adds nothing, so its pages render as before.

use crate::model::locale::fallback_notice;
use crate::site::{Page, Site};
use minijinja::{Value, context};

/// The folder of locale `i`'s files in the output: `` for the default, `fr/` for others.
pub(super) fn dir(site: &Site, i: usize) -> String {
    let Some(l) = site.locales.as_ref().and_then(|l| l.set.list.get(i)).filter(|_| i > 0) else { return String::new() };
    format!("{}/", if l.prefix.is_empty() { &l.lang } else { &l.prefix })
}

/// Where locale `i`'s search index is written: `search/`, `fr/search/`.
pub(super) fn search_dir(site: &Site, i: usize) -> String {
    format!("{}search/", dir(site, i))
}

/// The absolute URL of a page where the site has an absolute base, else its site href.
fn absolute(site: &Site, url: &str) -> String {
    let cfg = &site.config;
    match cfg.absolute_base() {
        Some(a) => format!("{}{}", a.strip_suffix(&cfg.base_path()).unwrap_or(&a), site.href(url)),
        None => site.href(url),
    }
}

/// The locale part of a page's context (see [`view`]).
pub(super) struct View {
    pub lang: String,
    pub dir: &'static str,
    pub alternates: Vec<Value>,
    pub switcher: Vec<Value>,
    pub label: String,
    pub notice: Option<String>,
    pub canonical: Option<String>,
    pub search: String,
}

/// The locale part of a page's context; `None` on a site without locales.
pub(super) fn view(site: &Site, page: &Page) -> Option<View> {
    let locales = site.locales.as_ref()?;
    let here = locales.locale(page);
    let versions = locales.versions(site, page);
    let mut alternates: Vec<Value> = versions
        .iter()
        .filter(|v| !v.fallback)
        .map(|v| context! { lang => v.locale.lang.clone(), href => absolute(site, &v.url) })
        .collect();
    if let Some(d) = versions.iter().find(|v| std::ptr::eq(v.locale, &locales.set.list[0])).filter(|_| !alternates.is_empty()) {
        alternates.push(context! { lang => "x-default", href => absolute(site, &d.url) });
    }
    let switcher = versions
        .iter()
        .map(|v| {
            context! {
                label => v.locale.label.clone(), lang => v.locale.lang.clone(), url => site.href(&v.url),
                current => v.url == page.url, fallback => v.fallback,
            }
        })
        .collect();
    let source = &locales.set.list[0];
    let notice = page.fallback_of.as_ref().map(|_| fallback_notice(&here.lang, &here.label, &source.label));
    let canonical = page.fallback_of.as_ref().map(|u| absolute(site, u));
    let search = format!("{}/{}", site.config.base_path(), search_dir(site, page.locale).trim_end_matches('/'));
    Some(View {
        lang: here.lang.clone(),
        dir: here.dir.as_str(),
        alternates,
        switcher,
        label: here.label.clone(),
        notice,
        canonical,
        search,
    })
}
