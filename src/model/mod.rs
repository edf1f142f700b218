//! The neutral model every convention maps onto and the pipeline speaks: navigation trees,
//! page addresses, fence meta, the URL policy. Nothing here names a docs tool; plain data and pure parsers
//! (no I/O, no diagnostics).

pub mod family;
pub mod fence;
pub mod locale;
mod nav;
pub mod url;

pub use locale::{Locale, Locales};
pub use nav::{Nav, NavNode, humanize};
pub use url::has_scheme;

/// A page's address, from its path and frontmatter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageUrl {
    /// URL without base path or trailing slash (`/sso`, `/` for the root index).
    pub url: String,
    /// The page stands for its folder (`a/index.mdx`, Nextra's `a/page.mdx`), so its relative
    /// links resolve from the folder and its twin is `…/index.md`.
    pub is_index: bool,
}
