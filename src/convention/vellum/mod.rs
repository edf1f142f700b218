//! vellum's own dialect (DIALECT.md, the WorkOS docs): a `_navigation.mdx` per section,
//! `_`-prefixed files private, `index.mdx` for a folder. Sections are ordered by
//! `section_order`, then by folder with `reference` last.

mod nav;

use super::{NavInput, Role, Rules, folders, layout};
use crate::diagnostics::Diagnostic;
use crate::model::Nav;
use crate::model::PageUrl;
use rayon::prelude::*;
use serde_json::Value;

/// The dialect's rules.
pub(super) struct Vellum;

/// Is this the dialect's navigation file?
fn is_nav_file(rel: &str) -> bool {
    matches!(layout::file_name(rel), "_navigation.mdx" | "_navigation.md")
}

impl Rules for Vellum {
    fn role(&self, rel: &str) -> Role {
        if is_nav_file(rel) { Role::Nav } else { layout::common_role(rel, Role::Skip) }
    }

    fn page_url(&self, rel: &str, _: &Value) -> PageUrl {
        layout::folder_url(layout::stem(rel), &["index"])
    }

    fn navs(&self, input: &NavInput<'_>) -> (Vec<Nav>, Vec<Diagnostic>) {
        let parsed: Vec<(Option<Nav>, Vec<Diagnostic>)> =
            input.files.par_iter().map(|f| nav::parse_nav(&f.rel, f.text.as_deref().unwrap_or(""))).collect();
        let mut diags = Vec::new();
        let mut navs = Vec::new();
        for (n, d) in parsed {
            diags.extend(d);
            navs.extend(n);
        }
        // Folders stand in only when no navigation file could be read at all, so an explicit
        // navigation is never mixed with a guessed one.
        if navs.is_empty() {
            navs = folders::generate(input.pages);
        }
        (folders::order_sections(navs, input.config), diags)
    }
}
