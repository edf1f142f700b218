//! Page files: each page through `page.html` (in parallel), its Markdown twin, and the 404
//! page. The template context is a borrowed projection of the site (see the template
//! contract in ARCHITECTURE.md), never the domain structs themselves.

use super::nav::{NavTree, PageNav};
use super::{AssetUrls, Sink};
use crate::diagnostics::Diagnostic;
use crate::site::{Page, Site};
use minijinja::{Environment, Value, context};
use rayon::prelude::*;
use serde::Serialize;
use std::sync::Arc;

#[derive(Serialize)]
struct Link {
    title: String,
    url: String,
}

#[derive(Serialize)]
struct TocItem<'a> {
    level: u8,
    id: &'a str,
    text: &'a str,
}

/// What every page's context shares, computed once per build (walking the navigation for
/// every page was quadratic in the site's size): the header sections (nav index, title,
/// URL of their first page) and each section's sidebar tree with its closed HTML.
pub(crate) struct Shared {
    sections: Vec<(usize, String, String)>,
    navs: Vec<Arc<NavTree>>,
    /// Whether `sidebar-item.html` rendered; when not (reported once), pages get no `sidebar`.
    sidebar: bool,
}

impl Shared {
    /// For every section, or only for section `only` (a page rendered alone).
    pub(crate) fn new(site: &Site, env: &Environment<'static>, only: Option<usize>) -> (Self, Option<Diagnostic>) {
        let sections = site.section_starts().into_iter().map(|(i, first)| (i, site.navs[i].title.clone(), site.href(&first))).collect();
        let mut navs: Vec<NavTree> = site
            .navs
            .iter()
            .enumerate()
            .map(|(i, n)| if only.is_none_or(|o| o == i) { NavTree::new(site, &n.links) } else { NavTree::default() })
            .collect();
        let rendered = env.get_template(SIDEBAR_ITEM).and_then(|t| navs.par_iter_mut().try_for_each(|n| n.render_closed(&t)));
        let diag = rendered.as_ref().err().map(template_diag);
        (Self { sections, navs: navs.into_iter().map(Arc::new).collect(), sidebar: rendered.is_ok() }, diag)
    }
}

/// The header lists at most this many sections, then the page's own section if it is not
/// among them and an "All sections" link to the home page: a header row of hundreds of
/// sections is no longer navigable, and it made every page's size (and the build's time)
/// grow with the number of sections.
const HEADER_SECTIONS: usize = 24;

fn header_sections(site: &Site, page: &Page, all: &[(usize, String, String)]) -> Vec<Value> {
    let item = |(i, title, url): &(usize, String, String)| {
        context! { title => title.clone(), url => url.clone(), current => page.section == Some(*i) }
    };
    if all.len() <= HEADER_SECTIONS {
        return all.iter().map(item).collect();
    }
    let mut shown: Vec<Value> = all[..HEADER_SECTIONS].iter().map(item).collect();
    shown.extend(all[HEADER_SECTIONS..].iter().filter(|(i, ..)| page.section == Some(*i)).map(item));
    shown.push(context! { title => "All sections", url => site.href("/"), current => false, more => true });
    shown
}

/// The template of one sidebar item (see `output::nav`).
const SIDEBAR_ITEM: &str = "sidebar-item.html";

/// The template context of one page.
pub(crate) fn page_context(
    site: &Site,
    env: &Environment<'static>,
    page: &Page,
    assets: &AssetUrls,
    shared: &Shared,
) -> Result<Value, minijinja::Error> {
    let cfg = &site.config;
    let locale = super::locales::view(site, page);
    let sections = match &site.locales {
        // The header shows the sections of the page's own locale.
        Some(l) => {
            let mine: Vec<_> = shared.sections.iter().filter(|s| l.nav_locale.get(s.0) == Some(&page.locale)).cloned().collect();
            header_sections(site, page, &mine)
        }
        None => header_sections(site, page, &shared.sections),
    };
    let here = page.section.map(|i| Arc::new(shared.navs[i].at(&page.url)));
    let sidebar = match &here {
        Some(here) if shared.sidebar => here.sidebar(&env.get_template(SIDEBAR_ITEM)?)?,
        _ => String::new(),
    };
    let nav = here.map(PageNav::view).unwrap_or_else(|| Value::from(Vec::<Value>::new()));
    let section_title = page.section.map(|i| site.navs[i].title.clone());
    let head_title = match (&section_title, page.url == "/") {
        (_, true) => cfg.title.clone(),
        (Some(s), _) if *s != page.title => format!("{} – {s} | {}", page.title, cfg.title),
        _ => format!("{} | {}", page.title, cfg.title),
    };
    let link = |i: Option<usize>| i.map(|i| Link { title: site.pages[i].title.clone(), url: site.href(&site.pages[i].url) });
    let toc: Vec<TocItem> =
        page.headings.iter().filter(|h| h.in_toc).map(|h| TocItem { level: h.level, id: &h.id, text: &h.text }).collect();
    let crumbs: Vec<Value> =
        page.breadcrumbs.iter().map(|c| context! { title => c.title.clone(), url => c.url.as_ref().map(|u| site.href(u)) }).collect();
    let canonical = locale.as_ref().and_then(|l| l.canonical.clone()).or_else(|| {
        cfg.absolute_base().map(|a| {
            let path = cfg.base_path();
            format!("{}{}", a.strip_suffix(&path).unwrap_or(&a), site.href(&page.url))
        })
    });
    let l = locale.as_ref();
    Ok(context! {
        site => context! {
            title => cfg.title.clone(), base => cfg.base_path(), lang => "en", description => cfg.description.clone(),
            assets => Value::from_serialize(assets), sections, generator => concat!("vellum ", env!("CARGO_PKG_VERSION")),
        },
        page => context! {
            title => page.title.clone(), head_title, description => page.description.clone(), url => site.href(&page.url),
            canonical, md_url => format!("{}{}", cfg.base_path(), page.twin_href()), body => Value::from_safe_string(page.html.text().into_owned()),
            toc, breadcrumbs => crumbs, prev => link(page.prev), next => link(page.next), show_next => page.show_next,
            noindex => page.hidden, section_title, kind => Value::from_serialize(page.kind),
            lang => l.map(|l| l.lang.clone()), dir => l.map(|l| l.dir), alternates => l.map(|l| l.alternates.clone()),
            fallback_notice => l.and_then(|l| l.notice.clone()), search => l.map(|l| l.search.clone()),
            locale_label => l.map(|l| l.label.clone()),
        },
        locales => l.map(|l| l.switcher.clone()),
        nav,
        sidebar => Value::from_safe_string(sidebar),
    })
}

/// Rendered page HTML by output path: (hash of the page's template inputs, bytes).
pub type PageCache = std::sync::Mutex<std::collections::HashMap<String, (blake3::Hash, Arc<Vec<u8>>)>>;

/// Hash of what every page's context shares: config, navigation, titles and places of all
/// pages, asset URLs. A change here re-renders every page.
fn shape_hash(site: &Site, assets: &AssetUrls) -> blake3::Hash {
    let mut h = blake3::Hasher::new();
    h.update(format!("{:?}{:?}{:?}", site.config, site.navs, assets.css).as_bytes());
    h.update(format!("{}{}", assets.js, assets.search_js).as_bytes());
    for p in &site.pages {
        h.update(format!("{}\0{}\0{:?}\0{}\0{}\n", p.url, p.title, p.section, p.hidden, p.in_nav).as_bytes());
    }
    h.finalize()
}

/// Hash of one page's template inputs.
fn page_key(shape: &blake3::Hash, page: &Page) -> blake3::Hash {
    let mut h = blake3::Hasher::new();
    h.update(shape.as_bytes()).update(page.html.text().as_bytes());
    h.update(
        format!(
            "{:?}{:?}{:?}{:?}{:?}{}{:?}",
            page.description, page.headings, page.breadcrumbs, page.prev, page.next, page.show_next, page.kind
        )
        .as_bytes(),
    );
    h.finalize()
}

/// Render every page's HTML and Markdown twin, and the 404 page, into `sink`.
pub fn render_pages(
    site: &Site,
    env: &Environment<'static>,
    assets: &AssetUrls,
    cache: Option<&PageCache>,
    sink: &dyn Sink,
) -> Vec<Diagnostic> {
    let shape = cache.map(|_| shape_hash(site, assets));
    let (shared, sidebar_diag) = Shared::new(site, env, None);
    let mut diags: Vec<Diagnostic> = site
        .pages
        .par_iter()
        .filter_map(|page| {
            // Only a watch-mode cache needs the key (hashing every page costs ~3 % of a build).
            let key = shape.as_ref().map(|shape| page_key(shape, page));
            let path = page.html_path();
            let hit = cache.and_then(|c| c.lock().ok()?.get(&path).filter(|(k, _)| Some(*k) == key).map(|(_, b)| b.clone()));
            let html = match hit {
                Some(b) => Ok(b),
                None => page_html(env, site, page, assets, &shared),
            };
            let (twin_path, twin) = twin_file(site, page);
            sink.put(twin_path, twin);
            match html {
                Ok(b) => {
                    if let (Some(c), Some(key)) = (cache, key)
                        && let Ok(mut c) = c.lock()
                    {
                        c.insert(path.clone(), (key, b.clone()));
                    }
                    sink.put(path, b);
                    None
                }
                Err(e) => Some(template_diag(&e)),
            }
        })
        .collect();
    let not_found = Page {
        url: "/404".into(),
        title: "Page not found".into(),
        ..site.pages.first().cloned().unwrap_or_else(|| Page::generated("/", crate::site::PageKind::Home, String::new()))
    };
    let mut ctx_page = not_found;
    ctx_page.section = None;
    ctx_page.html = Default::default();
    ctx_page.headings.clear();
    ctx_page.breadcrumbs.clear();
    ctx_page.prev = None;
    ctx_page.next = None;
    ctx_page.description = None;
    match env.get_template("404.html").and_then(|t| t.render(page_context(site, env, &ctx_page, assets, &shared)?)) {
        Ok(h) => sink.put("404.html".into(), Arc::new(h.into_bytes())),
        Err(e) => diags.push(template_diag(&e)),
    }
    diags.extend(sidebar_diag);
    diags
}

fn page_html(
    env: &Environment<'static>,
    site: &Site,
    page: &Page,
    assets: &AssetUrls,
    shared: &Shared,
) -> Result<Arc<Vec<u8>>, minijinja::Error> {
    // Sized up front: growing the buffer to a page's size copied it several times.
    let sidebar = page.section.map_or(0, |i| shared.navs[i].closed_len());
    let mut out = Vec::with_capacity(page.html.len() + sidebar + 8 * 1024);
    env.get_template("page.html")?.render_captured_to(page_context(site, env, page, assets, shared)?, &mut out)?;
    Ok(Arc::new(out))
}

fn twin_file(site: &Site, page: &Page) -> (String, Arc<Vec<u8>>) {
    (page.twin_url()[1..].to_string(), Arc::new(twin(site, page).into_bytes()))
}

/// One page's output files (HTML, twin) exactly as [`render_pages`] writes them, for a
/// page re-rendered alone (the preview server's fast path).
pub fn page_files(
    site: &Site,
    page: &Page,
    env: &Environment<'static>,
    theme: &[(String, Vec<u8>)],
) -> Result<Vec<(String, Arc<Vec<u8>>)>, Diagnostic> {
    let assets = super::theme_assets(theme, None, &site.config.base_path());
    let (shared, diag) = Shared::new(site, env, page.section);
    if let Some(d) = diag {
        return Err(d);
    }
    let html = page_html(env, site, page, &assets, &shared).map_err(|e| template_diag(&e))?;
    Ok(vec![(page.html_path(), html), twin_file(site, page)])
}

fn template_diag(e: &minijinja::Error) -> Diagnostic {
    let name = e.name().unwrap_or("template");
    Diagnostic::error(format!("templates/{name}"), e.line().unwrap_or(0) as u32, 0, "template.error", format!("{e:#}"))
}

/// The Markdown twin of a page: title, description, body (DIALECT §8 of the agent bundle).
pub fn twin(site: &Site, page: &Page) -> String {
    let mut s = format!("# {}\n\n", page.title);
    if let Some(d) = &page.description {
        s.push_str(&format!("> {d}\n\n"));
    }
    s.push_str(page.markdown.text().trim());
    s.push('\n');
    let _ = site;
    s
}

#[cfg(test)]
mod tests {
    use crate::compile::Compiler;
    use crate::config::Config;

    #[test]
    fn the_header_lists_a_bounded_number_of_sections_and_always_the_current_one() {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..40 {
            let folder = dir.path().join(format!("s{i:02}"));
            std::fs::create_dir(&folder).unwrap();
            std::fs::write(folder.join("page.mdx"), format!("---\ntitle: Page {i}\n---\n\nText.\n")).unwrap();
        }
        let c = Compiler::new(dir.path(), Config::default()).compile();
        assert_eq!(c.diags.errors(), 0);
        let header = |path: &str| {
            let html = String::from_utf8(c.files.get(path).unwrap().to_vec()).unwrap();
            let start = html.find("<nav class=\"sections\"").unwrap();
            html[start..start + html[start..].find("</nav>").unwrap()].to_string()
        };
        let first = header("s00/page/index.html");
        assert_eq!(first.matches("<li>").count(), super::HEADER_SECTIONS + 1);
        assert!(first.contains("<a href=\"/s00/page/\" aria-current=\"true\">"));
        assert!(first.contains("<a href=\"/\">All sections</a>"));
        let last = header("s39/page/index.html");
        assert_eq!(last.matches("<li>").count(), super::HEADER_SECTIONS + 2);
        assert!(last.contains("<a href=\"/s39/page/\" aria-current=\"true\">"));
        assert!(!last.contains("/s38/"));
    }
}
