//! Navigation for trees without `_navigation.mdx` files: one section per top-level folder,
//! pages ordered by frontmatter `order`/`sidebar_position`/`weight`, then title.
//! Architecture invariant: used only when the tree has no navigation file at all, so an
//! explicit navigation is never mixed with a guessed one.

use crate::parse::ParsedPage;
use crate::source::nav::{Nav, NavNode, humanize};
use std::collections::BTreeMap;

/// Generate sections from the folder structure.
pub fn generate(parsed: &[std::sync::Arc<ParsedPage>]) -> Vec<Nav> {
    let mut by_top: BTreeMap<String, Vec<&ParsedPage>> = BTreeMap::new();
    for p in parsed {
        let top = p.url.trim_start_matches('/').split('/').next().unwrap_or("").to_string();
        let top = if p.url.matches('/').count() <= 1 && !p.rel.contains('/') { String::new() } else { top };
        by_top.entry(top).or_default().push(p.as_ref());
    }
    by_top
        .into_iter()
        .map(|(folder, pages)| {
            let prefix = if folder.is_empty() { "/".to_string() } else { format!("/{folder}") };
            let title = pages
                .iter()
                .find(|p| p.url == prefix && !folder.is_empty())
                .and_then(|p| p.meta.title.clone().or_else(|| p.first_heading.clone()))
                .unwrap_or_else(|| if folder.is_empty() { "Documentation".into() } else { humanize(&folder) });
            Nav {
                file: if folder.is_empty() { String::new() } else { format!("{folder}/") },
                folder: folder.clone(),
                title,
                links: level(&pages, &prefix),
            }
        })
        .collect()
}

/// Nodes for the pages directly under `prefix`, with sub-folders nested.
fn level(pages: &[&ParsedPage], prefix: &str) -> Vec<NavNode> {
    let depth = if prefix == "/" { 1 } else { prefix.matches('/').count() + 1 };
    let mut entries: Vec<(f64, String, NavNode)> = Vec::new();
    let mut folders: BTreeMap<String, ()> = BTreeMap::new();
    for p in pages {
        let segs = p.url.matches('/').count();
        let under = prefix == "/" || p.url == prefix || p.url.starts_with(&format!("{prefix}/"));
        if !under {
            continue;
        }
        if segs == depth || p.url == prefix {
            let title = p
                .meta
                .title
                .clone()
                .or_else(|| p.first_heading.clone())
                .unwrap_or_else(|| humanize(p.url.rsplit('/').next().unwrap_or("")));
            let order = if p.url == prefix { f64::MIN } else { p.meta.order.unwrap_or(f64::MAX) };
            entries.push((
                order,
                title.to_lowercase(),
                NavNode {
                    title,
                    url: Some(p.url.clone()),
                    children: Vec::new(),
                    feature_flag: p.meta.feature_flag.clone(),
                    exclude_from_search: p.meta.exclude_from_search,
                    line: 0,
                },
            ));
        } else if segs > depth {
            let sub: String = p.url.split('/').take(depth + 1).collect::<Vec<_>>().join("/");
            folders.insert(sub, ());
        }
    }
    for sub in folders.keys() {
        let children = level(pages, sub);
        if let Some(pos) = entries.iter().position(|(_, _, n)| n.url.as_deref() == Some(sub)) {
            let mut node = entries.remove(pos);
            node.2.children = children.into_iter().filter(|c| c.url.as_deref() != Some(sub)).collect();
            entries.push(node);
        } else {
            let title = humanize(sub.rsplit('/').next().unwrap_or(""));
            entries.push((
                f64::MAX,
                title.to_lowercase(),
                NavNode { title, url: None, children, feature_flag: None, exclude_from_search: false, line: 0 },
            ));
        }
    }
    entries.sort_by(|a, b| a.0.partial_cmp(&b.0).unwrap_or(std::cmp::Ordering::Equal).then_with(|| a.1.cmp(&b.1)));
    entries.into_iter().map(|(_, _, n)| n).collect()
}
