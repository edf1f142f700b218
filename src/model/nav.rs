//! Navigation as the pipeline sees it, whichever tool's files it came from: sections of
//! nodes (groups, pages, external links), each with its title and where it was written.
//! Architecture invariant: plain data; conventions produce it, the site stage reads it.

use super::has_scheme;

/// One node of a sidebar: a group label (no url), a page, a page with children, or an
/// external link (a `url` with a scheme: `https://…`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NavNode {
    /// Text in the sidebar.
    pub title: String,
    /// Page URL (without base path, no trailing slash), for page nodes; or an absolute URL.
    pub url: Option<String>,
    /// A short label shown beside the title (Starlight badges, Nextra "New").
    pub badge: Option<String>,
    /// Child nodes.
    pub children: Vec<NavNode>,
    /// Hidden unless this feature flag is enabled.
    pub feature_flag: Option<String>,
    /// Keep the subtree out of search and the llms bundle.
    pub exclude_from_search: bool,
    /// 1-based line in the nav file (0 for generated navigation).
    pub line: u32,
}

/// A section's navigation: from a tool's navigation file or generated from folders.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Nav {
    /// The navigation file (`sso/_navigation.mdx`, `sidebars.js`), or the folder followed by
    /// `/` for generated navigation.
    pub file: String,
    /// Folder the section belongs to (`sso`, or `` for the root or a site-wide file): pages
    /// under it that no section lists are placed in it.
    pub folder: String,
    /// Section title.
    pub title: String,
    /// Top-level nodes.
    pub links: Vec<NavNode>,
}

impl NavNode {
    /// Does the node link outside the site (`https://…`, `mailto:…`)?
    pub fn is_external(&self) -> bool {
        self.url.as_deref().is_some_and(has_scheme)
    }
}

impl Nav {
    /// Every node, depth first, in order.
    pub fn walk(&self) -> Vec<&NavNode> {
        fn go<'a>(nodes: &'a [NavNode], out: &mut Vec<&'a NavNode>) {
            for n in nodes {
                out.push(n);
                go(&n.children, out);
            }
        }
        let mut out = Vec::new();
        go(&self.links, &mut out);
        out
    }
}

/// `data-syncing` → `Data syncing`.
pub fn humanize(name: &str) -> String {
    let s = name.replace(['-', '_'], " ");
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
