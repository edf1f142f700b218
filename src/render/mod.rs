//! Stage 3, render: one page's MDX → body HTML and a Markdown twin, with its headings and
//! links, in one rayon task (comrak's AST is not `Send`).
//! Architecture invariant: `render_page` is a pure function of (parsed page, `RenderCtx`):
//! it reads no files and knows no other page's output, so its result can be cached by hash.
//! Internal links are left as markers that the link stage resolves.

pub mod body;
pub mod components;
mod containers;
mod families;
mod fence;
pub mod highlight;
pub mod markdown;
pub mod partials;
pub mod reference;
pub(crate) mod sanitize;
pub mod text;
pub(crate) mod urls;

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::parse::ParsedPage;
use crate::site::reference::ReferenceIndex;
pub use body::Body;
use minijinja::Environment;
use std::collections::BTreeMap;

/// What a rendering is for: the HTML site or the Markdown twin of the agent bundle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Body HTML for the site.
    Html,
    /// Clean Markdown for `.md` twins and `llms-full.txt`.
    Markdown,
}

/// A page summary other pages can list (provider cards, listing pages).
#[derive(Debug, Clone, serde::Serialize)]
pub struct PageCard {
    /// Page URL (no base path).
    pub url: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: Option<String>,
    /// `icon` slug.
    pub icon: Option<String>,
    /// `breadcrumb.url`, which groups integration and migration guides.
    pub parent: Option<String>,
}

/// Read-only inputs shared by every page's render.
pub struct RenderCtx<'a> {
    /// Site configuration.
    pub config: &'a Config,
    /// Global API-reference index.
    pub references: &'a ReferenceIndex,
    /// Component templates.
    pub templates: &'a Environment<'static>,
    /// Snippets for `<CodeBlock file=…>`, by name without extension.
    pub snippets: &'a Snippets,
    /// Cards of every page, for generated components.
    pub cards: &'a [PageCard],
    /// The tree's conventions: syntax switches, heading-id rule.
    pub profile: &'a crate::convention::Profile,
    /// The files pages import (partials, raw files).
    pub includes: &'a partials::Includes,
}

/// Code snippets found in the snippet directory: name → list of (language, code, file name).
#[derive(Debug, Default, Clone)]
pub struct Snippets {
    /// By snippet name (file stem; `install-sdk` for `install-sdk.js` and `install-sdk.py`).
    pub by_name: BTreeMap<String, Vec<Snippet>>,
}

/// One snippet file.
#[derive(Debug, Clone)]
pub struct Snippet {
    /// Language from the extension (`js`, `py` → `python` …).
    pub lang: String,
    /// The code.
    pub code: String,
}

/// A heading of a rendered page.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Heading {
    /// 1–6.
    pub level: u8,
    /// Unique id on the page.
    pub id: String,
    /// Slug used as a path segment (the `url` attribute, or the slug before de-duplication).
    pub slug: String,
    /// Plain text.
    pub text: String,
    /// Shown in the table of contents (H2/H3 without `no-quick-nav`).
    pub in_toc: bool,
    /// Slugs of the enclosing headings, outermost first, then this one.
    pub path: Vec<String>,
    /// Stack values (`- $ frontend="a, b"`) of the variant the heading sits in.
    pub stack: Vec<String>,
    /// 1-based file line.
    pub line: u32,
}

/// A link found in content, resolved later by the site stage.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkRef {
    /// The URL as written.
    pub url: String,
    /// 1-based file line and column.
    pub line: u32,
    /// Column.
    pub col: u32,
}

/// The output of the render stage for one page.
#[derive(Debug, Clone, Default)]
pub struct RenderedPage {
    /// Body HTML, with link markers (see [`link_marker`]).
    pub html: Body,
    /// Markdown twin body, with link markers.
    pub markdown: Body,
    /// Headings in document order.
    pub headings: Vec<Heading>,
    /// Links of the HTML body, indexed by marker number.
    pub links: Vec<LinkRef>,
    /// Links of the Markdown twin, indexed by marker number.
    pub md_links: Vec<LinkRef>,
    /// Names of components shown as placeholders (for `--verbose`).
    pub placeholders: Vec<String>,
    /// Problems found.
    pub diags: Vec<Diagnostic>,
}

/// How a link marker starts; see [`link_marker`].
const LINK_MARKER: &str = "vellum-link:";

/// The marker that stands for link `i` until the site stage resolves it.
pub fn link_marker(i: usize) -> String {
    format!("{LINK_MARKER}{i}:")
}

/// Render a parsed page for both targets.
pub fn render_page(page: &ParsedPage, ctx: &RenderCtx<'_>) -> RenderedPage {
    let mut out = RenderedPage::default();
    let arena = comrak::Arena::new();
    let mut trees = markdown::Trees::new(&arena);
    let html = markdown::render_body(page, ctx, &mut trees, Target::Html, &mut out);
    // The Markdown pass records the same headings and links again; keep the HTML pass's.
    let mut md_out = RenderedPage::default();
    let md = markdown::render_body(page, ctx, &mut trees, Target::Markdown, &mut md_out);
    out.html = html.into();
    out.markdown = md.into();
    out.md_links = md_out.links;
    out
}
