//! The bodies of generated pages: a folder listing (cards of the folder's visible pages) and
//! the home page when the tree has none (cards of the sections), in HTML and Markdown.
//! Architecture invariant: every text is escaped and every URL goes through [`href`].

use super::{PageKind, Site, href};
use crate::render::highlight::escape_html;
use std::collections::HashMap;

/// Bodies of listing and home pages: cards of the folder's pages (or of the sections).
pub(super) fn generated_bodies(site: &mut Site) {
    let base = site.config.base_path();
    let abs = site.config.absolute_base().unwrap_or_else(|| base.clone());
    // Visible pages by parent folder, once (scanning every page per listing was quadratic).
    let mut children: HashMap<&str, Vec<usize>> = HashMap::new();
    for (j, p) in site.pages.iter().enumerate().filter(|(_, p)| !p.hidden) {
        if let Some((parent, _)) = p.url.rsplit_once('/') {
            children.entry(if parent.is_empty() { "/" } else { parent }).or_default().push(j);
        }
    }
    let mut bodies = Vec::new();
    for i in 0..site.pages.len() {
        let kind = site.pages[i].kind;
        let entries: Vec<(String, String, Option<String>, Option<String>)> = match kind {
            PageKind::Listing => {
                let folder = site.pages[i].url.as_str();
                let mut v: Vec<_> = children
                    .get(folder)
                    .into_iter()
                    .flatten()
                    .map(|&j| &site.pages[j])
                    .filter(|p| p.url != folder)
                    .map(|p| (p.url.clone(), p.title.clone(), p.description.clone(), p.icon.clone()))
                    .collect();
                v.sort_by(|a, b| a.1.to_lowercase().cmp(&b.1.to_lowercase()));
                v
            }
            PageKind::Home => site
                .section_starts()
                .into_iter()
                .map(|(n, first)| {
                    let desc = site.page(&first).and_then(|p| p.description.clone());
                    (first, site.navs[n].title.clone(), desc, None)
                })
                .collect(),
            _ => continue,
        };
        let class = if kind == PageKind::Home { "home-sections" } else { "listing" };
        let mut html = format!("<ul class=\"{class}\">");
        let mut md = String::new();
        for (url, title, desc, icon) in &entries {
            let icon = icon.as_ref().map(|i| format!(" data-icon=\"{}\"", escape_html(i))).unwrap_or_default();
            // No-break spaces set for a wide hero line would split words in a narrow card.
            let d = desc
                .as_ref()
                .map(|d| format!("<span class=\"card-description\">{}</span>", escape_html(&d.replace('\u{a0}', " "))))
                .unwrap_or_default();
            html.push_str(&format!(
                "<li><a class=\"card\" href=\"{}\"{icon}><span class=\"card-title\">{}</span>{d}</a></li>",
                escape_html(&href(&base, url)),
                escape_html(title)
            ));
            let target =
                site.page(url).map(|p| if site.config.llms_link_twins { p.twin_href() } else { href("", url) }).unwrap_or_default();
            md.push_str(&format!("- [{title}]({abs}{target}){}\n", desc.as_ref().map(|d| format!(": {d}")).unwrap_or_default()));
        }
        html.push_str("</ul>");
        if entries.is_empty() {
            html = "<p>This section has no pages yet.</p>".into();
        }
        bodies.push((i, html, md));
    }
    for (i, html, md) in bodies {
        site.pages[i].html = html.into();
        site.pages[i].markdown = md.into();
    }
}
