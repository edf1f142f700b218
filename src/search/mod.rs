//! Search: one ranking engine for `vellum search` and the MCP server, and the
//! prebuilt browser index that `themes/default/search.js` queries.
//!
//! Input is one [`SearchDoc`] per page section (heading), already reduced to plain
//! text by the render stage. This module never reads files, never renders HTML and
//! never knows about base paths: URLs stay site-relative.
//!
//! Ranking (`Engine`): BM25F over three fields (section heading ×3, page title,
//! breadcrumbs and URL words ×2, body ×1), with field length counted in distinct terms
//! so API pages that repeat one table per SDK language are not punished for it;
//! identifier splitting (`createOrganization`, `organizations.list_users`,
//! `/directories/:id`), a light suffix stripper, prefix expansion and typo expansion
//! (1 edit from 5 characters, 2 from 8; a transposition is one edit). A document must
//! match the query's words to score fully (coverage squared, each word weighted by its
//! rarity). The best candidates are then re-scored (`rerank`): headings and page names
//! made of query words, and query words side by side. At most two sections per page
//! are returned, the second ranked at half its score, so the top results are distinct
//! pages.

mod browser;
mod engine;
mod rerank;
mod snippet;
mod text;

mod site;

pub use engine::Engine;
pub use site::{docs, write_browser_index, write_browser_index_of};

/// One searchable page section.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchDoc {
    /// Section URL with anchor, without base path: `/sso/test-sso#idp-initiated`.
    pub url: String,
    /// URL of the containing page: `/sso/test-sso`.
    pub page_url: String,
    /// Title of the containing page.
    pub page_title: String,
    /// Heading text of the section; empty for the page intro.
    pub section: String,
    /// Navigation trail, e.g. `["Single Sign-On", "Test SSO"]`.
    pub breadcrumbs: Vec<String>,
    /// Plain-text body of the section (code included, markup stripped).
    pub body: String,
}

/// One ranked result.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// Position of the document in the engine (see [`Engine::doc`]).
    pub doc: usize,
    /// Relevance score; only comparable within one query.
    pub score: f32,
    /// Plain-text excerpt of the body around the best match.
    pub snippet: String,
}
