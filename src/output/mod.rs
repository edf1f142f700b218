//! Stage 5, emit: the linked site → every output file (pages through templates, Markdown
//! twins, search index, llms bundle, sitemap, feeds, theme assets), then an atomic write.
//! Architecture invariant: `render_files` hands every output file to a [`Sink`] and writes
//! nothing itself: the preview server collects them in memory and serves exactly that;
//! `vellum build` streams them into a `write::Staging` directory that is swapped in only
//! when every file is written, so a failed build never leaves half a site.

pub mod claims;
pub mod llms;
mod locales;
mod nav;
pub mod pages;
pub mod templates;
pub mod write;

use crate::diagnostics::Diagnostic;
use crate::render::highlight::escape_html;
use crate::site::Site;
use minijinja::Environment;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The output of a build: path (relative, `/`-separated) → bytes.
pub type Files = BTreeMap<String, Arc<Vec<u8>>>;

/// Where emitted files go, as soon as each is ready (from any rayon task).
pub trait Sink: Sync {
    /// Takes one output file (path relative, `/`-separated).
    fn put(&self, path: String, bytes: Arc<Vec<u8>>);

    /// Takes one output file that `write` writes in pieces, for a file too large to hold
    /// whole. By default the pieces are gathered and [`put`](Sink::put); nothing is put if
    /// `write` fails.
    fn put_with(&self, path: String, write: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>) {
        let mut bytes = Vec::new();
        if write(&mut bytes).is_ok() {
            self.put(path, Arc::new(bytes));
        }
    }
}

impl Sink for std::sync::Mutex<Files> {
    fn put(&self, path: String, bytes: Arc<Vec<u8>>) {
        if let Ok(mut f) = self.lock() {
            f.insert(path, bytes);
        }
    }
}

/// Everything the emit stage needs besides the site.
pub struct EmitInput<'a> {
    /// Templates.
    pub env: &'a Environment<'static>,
    /// Theme static files.
    pub theme: &'a [(String, Vec<u8>)],
    /// Build the search index now (the preview server builds it after publishing pages).
    pub search: bool,
    /// Page HTML from the previous build, keyed by a hash of everything the page's
    /// template context depends on.
    pub page_cache: Option<&'a pages::PageCache>,
}

/// Render every output file into `sink`.
pub fn render_files(site: &Site, input: &EmitInput<'_>, sink: &dyn Sink) -> Vec<Diagnostic> {
    let assets = theme_assets(input.theme, Some(sink), &site.config.base_path());
    // The search index is the largest single job: build it beside the page templates and
    // the llms bundle (each parallel inside).
    let (diags, ((), ())) = rayon::join(
        || pages::render_pages(site, input.env, &assets, input.page_cache, sink),
        || {
            rayon::join(
                || {
                    if input.search {
                        search_files(site, sink);
                    }
                },
                || llms::write_bundle(site, sink),
            )
        },
    );
    sink.put("sitemap.xml".into(), Arc::new(sitemap(site).into_bytes()));
    if !site.changelog.is_empty() {
        let origin = site.config.absolute_base().map(|a| a.strip_suffix(&site.config.base_path()).unwrap_or(&a).to_string());
        let xml = crate::site::changelog::atom(&site.changelog, &site.config.title, origin.as_deref(), &site.config.base_path());
        sink.put("changelog.xml".into(), Arc::new(xml.into_bytes()));
    }
    diags
}

/// The browser search index files (paths under `search/`) into `sink`.
pub fn search_files(site: &Site, sink: &dyn Sink) {
    let Some(locales) = &site.locales else {
        crate::search::write_browser_index(site, &|name, bytes| sink.put(format!("search/{name}"), Arc::new(bytes)));
        return;
    };
    // One index per locale, so a page searches its own language: `search/`, `fr/search/`.
    for (i, _) in locales.set.list.iter().enumerate() {
        let dir = locales::search_dir(site, i);
        crate::search::write_browser_index_of(site, &|p| p.locale == i, &|name, bytes| sink.put(format!("{dir}{name}"), Arc::new(bytes)));
    }
}

/// URLs of the theme assets with cache-busting hashes, as templates see them.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AssetUrls {
    /// theme.css.
    pub css: String,
    /// theme.js.
    pub js: String,
    /// search.js.
    pub search_js: String,
}

/// Puts the theme's files into `sink` (unless `None`) and returns the cache-busted URLs.
pub(crate) fn theme_assets(theme: &[(String, Vec<u8>)], sink: Option<&dyn Sink>, base: &str) -> AssetUrls {
    let url = |name: &str| -> String {
        let Some((_, bytes)) = theme.iter().find(|(n, _)| n == name) else { return String::new() };
        format!("{base}/{name}?v={}", &blake3::hash(bytes).to_hex()[..10])
    };
    if let Some(sink) = sink {
        for (name, bytes) in theme {
            sink.put(name.clone(), Arc::new(bytes.clone()));
        }
    }
    AssetUrls { css: url("theme.css"), js: url("theme.js"), search_js: url("search.js") }
}

/// `sitemap.xml`: every visible page (absolute URLs when `base_url` is absolute).
fn sitemap(site: &Site) -> String {
    let origin = site.config.absolute_base().map(|a| {
        let path = site.config.base_path();
        a.strip_suffix(&path).unwrap_or(&a).to_string()
    });
    let mut s =
        String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for p in site.pages.iter().filter(|p| !p.hidden) {
        s.push_str(&format!(
            "  <url><loc>{}{}</loc></url>\n",
            escape_html(origin.as_deref().unwrap_or("")),
            escape_html(&site.href(&p.url))
        ));
    }
    s.push_str("</urlset>\n");
    s
}
