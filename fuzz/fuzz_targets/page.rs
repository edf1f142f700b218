//! Fuzz the per-page pipeline: any bytes, read as a page the way discovery reads a file,
//! then parsed (frontmatter, JSX layer) and rendered for both targets. Must never panic.

#![no_main]

use libfuzzer_sys::fuzz_target;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};
use vellum::config::Config;
use vellum::render::{RenderCtx, Snippets, render_page};
use vellum::site::reference::{RefSource, ReferenceIndex};

fuzz_target!(|data: &[u8]| {
    static TEMPLATES: OnceLock<minijinja::Environment<'static>> = OnceLock::new();
    let Ok(text) = std::str::from_utf8(data) else { return };
    let file = vellum::source::SourceFile { rel: "p.mdx".into(), text: Some(text.to_string()) };
    let page = Arc::new(vellum::parse::parse_page(file, &|_, _| vellum::model::PageUrl { url: "/p".into(), is_index: false }));
    let src = RefSource { file: &page.rel, url: &page.url, frontmatter: &page.frontmatter, raw: &page.raw };
    let (references, _) = ReferenceIndex::build(&[src]);
    let config = Config::default();
    let templates = TEMPLATES.get_or_init(|| vellum::output::templates::environment(None));
    let cards = vellum::site::cards(std::slice::from_ref(&page), &HashMap::new());
    let ctx = RenderCtx { config: &config, references: &references, templates, snippets: &Snippets::default(), cards: &cards, profile: &Default::default() };
    render_page(&page, &ctx);
});
