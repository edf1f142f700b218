//! File-name rules several conventions share: which files are pages, editor leftovers, and
//! the folder-index URL rule (`a/index.mdx` → `/a`).

use super::Role;
use crate::model::PageUrl;

/// Is this a page file by its extension (`.mdx`, `.md`)?
pub(super) fn is_page_file(rel: &str) -> bool {
    rel.ends_with(".mdx") || rel.ends_with(".md")
}

/// The last path segment.
pub(super) fn file_name(rel: &str) -> &str {
    rel.rsplit('/').next().unwrap_or(rel)
}

/// Files editors and tools leave beside the ones being edited: backups (`x~`, JetBrains'
/// `x___jb_old___`), autosaves and locks (Emacs' `#x#`, `.#x`), swap files (Vim's `.x.swp`
/// down to `.x.swa`, and the `4913` file it writes to probe a folder), temporary files
/// (`*.tmp`) and Finder's `.DS_Store`. Publishing them would publish a page's source, so
/// every convention gives them [`Role::Skip`], and the watcher ignores them by this rule.
pub fn is_leftover(rel: &str) -> bool {
    let name = file_name(rel);
    let vim_swap =
        name.starts_with('.') && name.rsplit_once('.').is_some_and(|(_, ext)| matches!(ext.as_bytes(), [b's', b'w', b'a'..=b'p']));
    name.ends_with('~')
        || (name.len() > 1 && name.starts_with('#') && name.ends_with('#'))
        || name.starts_with(".#")
        || vim_swap
        || name.ends_with(".swp")
        || name.ends_with(".swo")
        || name.ends_with(".tmp")
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
        || name == "4913"
        || name == ".DS_Store"
}

/// The role of a file under the rule most tools share: `vellum.toml` and leftovers are not
/// content, a path with a `_`-prefixed segment is private (`private` decides what it is),
/// `.mdx`/`.md` files are pages and the rest assets.
pub(super) fn common_role(rel: &str, private: Role) -> Role {
    if rel == "vellum.toml" || is_leftover(rel) {
        Role::Skip
    } else if rel.split('/').any(|seg| seg.starts_with('_')) {
        private
    } else if is_page_file(rel) {
        Role::Page
    } else {
        Role::Asset
    }
}

/// `rel` with the folder `dir` (published at the site root) stripped, when it is under it.
pub(super) fn under_root<'r>(rel: &'r str, dir: &str) -> &'r str {
    rel.strip_prefix(dir).and_then(|r| r.strip_prefix('/')).filter(|r| !r.is_empty() && !dir.is_empty()).unwrap_or(rel)
}

/// The segments of a path that make URLs: empty ones and Next.js `(group)` folders left out.
pub(super) fn route_segments(path: &str) -> impl Iterator<Item = &str> {
    path.split('/').filter(|s| !(s.is_empty() || s.starts_with('(') && s.ends_with(')')))
}

/// The path without its extension (`a/b.mdx` → `a/b`).
pub(super) fn stem(rel: &str) -> &str {
    match rel.rsplit_once('.') {
        Some((s, _)) if !s.ends_with('/') && !s.is_empty() => s,
        _ => rel,
    }
}

/// The URL of a path without extension, where a last segment in `index_names` stands for its
/// folder: `a/index` → `/a`, `index` → `/`, `a/b` → `/a/b`.
pub(super) fn folder_url(stem: &str, index_names: &[&str]) -> PageUrl {
    let (parent, last) = match stem.rsplit_once('/') {
        Some((p, l)) => (Some(p), l),
        None => (None, stem),
    };
    if index_names.contains(&last) {
        return PageUrl { url: format!("/{}", parent.unwrap_or("")), is_index: true };
    }
    PageUrl { url: format!("/{stem}"), is_index: false }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_urls() {
        let u = |rel: &str| folder_url(stem(rel), &["index"]);
        assert_eq!(u("a/b.mdx"), PageUrl { url: "/a/b".into(), is_index: false });
        assert_eq!(u("a/index.mdx"), PageUrl { url: "/a".into(), is_index: true });
        assert_eq!(u("index.mdx"), PageUrl { url: "/".into(), is_index: true });
        // A name that merely ends in "index" is an ordinary page.
        assert_eq!(u("a/reindex.mdx"), PageUrl { url: "/a/reindex".into(), is_index: false });
        assert_eq!(u("tutorials-index.md"), PageUrl { url: "/tutorials-index".into(), is_index: false });
    }

    #[test]
    fn leftovers() {
        for f in ["a.mdx~", "#a.mdx#", ".#a.mdx", "x/.a.mdx.swp", "x/.a.mdx.swo", ".a.swn", "a.tmp", "d/4913", "a.mdx___jb_tmp___"] {
            assert!(is_leftover(f), "{f}");
        }
        for f in ["a.mdx", "#", "x/a.swift", ".swp/a.png", "49130", "a.mdx.swap"] {
            assert!(!is_leftover(f), "{f}");
        }
        assert_eq!(common_role("a.mdx~", Role::Skip), Role::Skip);
        assert_eq!(common_role("_x/a.mdx", Role::Partial), Role::Partial);
        assert_eq!(common_role("img/a.png", Role::Skip), Role::Asset);
    }
}
