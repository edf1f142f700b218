//! Link markers replaced by resolved URLs: each page's HTML and Markdown bodies get the
//! site URL (with the base path, percent-encoded) or the twin URL of every link target, and
//! broken links and anchors become warnings with a suggestion.
//! Architecture invariant: reads the route table and the pages' URLs, never files; a body is
//! linked where it was rendered to (in memory or spilled), never rewritten in place.

use super::links::{Routes, Target};
use super::{Page, href};
use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::model::url::{encode_fragment, encode_path};
use crate::render::highlight::escape_html;
use crate::render::{Body, LinkRef, RenderedPage};

/// Page `i`'s bodies with every link marker replaced by its resolved URL: site URLs with
/// the base path in HTML, absolute URLs (twins when configured) in Markdown. A body stays
/// where it was rendered to (in memory or spilled).
pub(super) fn link_page(
    config: &Config,
    routes: &Routes,
    pages: &[Page],
    i: usize,
    rel: &str,
    r: &RenderedPage,
) -> (Body, Body, Vec<Diagnostic>) {
    let base = config.base_path();
    let abs = config.absolute_base().unwrap_or_else(|| base.clone());
    let page = &pages[i];
    let mut d = Vec::new();
    let html_target = |t: &Target| match t {
        Target::Page(p, frag) => with_frag(&href(&base, &pages[*p].url), frag),
        Target::Asset(a) => format!("{base}{}", encode_path(a)),
    };
    let md_target = |t: &Target| match t {
        Target::Page(p, frag) => {
            let target = if config.llms_link_twins { pages[*p].twin_href() } else { href("", &pages[*p].url) };
            with_frag(&format!("{abs}{target}"), frag)
        }
        Target::Asset(a) => format!("{abs}{}", encode_path(a)),
    };
    let html_urls = resolve_all(routes, i, page, &r.links, rel, &mut d, &html_target, &base);
    let md_urls = resolve_all(routes, i, page, &r.md_links, rel, &mut Vec::new(), &md_target, &abs);
    (r.html.linked(as_written(html_urls, true)), r.markdown.linked(as_written(md_urls, false)), d)
}

/// URLs as a body shows them: escaped in HTML; in Markdown with spaces and `)`
/// percent-encoded, so the link syntax holds.
fn as_written(urls: Vec<String>, html: bool) -> Vec<String> {
    urls.into_iter().map(|u| if html { escape_html(&u) } else { u.replace(' ', "%20").replace(')', "%29") }).collect()
}

pub(super) fn suggest_hint(s: Option<String>) -> String {
    match s {
        Some(s) => format!("did you mean `{s}`?"),
        None => "fix the URL or add the page".into(),
    }
}

fn resolve_all(
    routes: &Routes,
    i: usize,
    page: &Page,
    links: &[LinkRef],
    rel: &str,
    diags: &mut Vec<Diagnostic>,
    to_url: &dyn Fn(&Target) -> String,
    base: &str,
) -> Vec<String> {
    links
        .iter()
        .map(|l| match routes.resolve(i, &page.url, page.is_index, &l.url) {
            Ok((t, relative)) => {
                if relative {
                    diags.push(
                        Diagnostic::warning(
                            rel,
                            l.line,
                            l.col,
                            "link.relative-treated-as-root",
                            format!("relative link `{}` is resolved from the site root", l.url),
                        )
                        .with_hint(format!("write `/{}`", l.url)),
                    );
                }
                to_url(&t)
            }
            Err(b) => {
                // A URL naming a file (an image, a download) is a missing asset, not a page.
                let file = l
                    .url
                    .split(['#', '?'])
                    .next()
                    .unwrap_or("")
                    .rsplit('/')
                    .next()
                    .is_some_and(|f| f.rsplit_once('.').is_some_and(|(_, x)| !matches!(x, "md" | "mdx" | "html")));
                let (code, message) = if file && b.code == "link.broken" {
                    ("asset.missing", format!("`{}`: no such file in the source tree", l.url))
                } else {
                    (b.code, b.message)
                };
                let mut d = Diagnostic::warning(rel, l.line, l.col, code, message);
                d.hint = Some(suggest_hint(b.suggestion));
                diags.push(d);
                if l.url.starts_with('/') { format!("{base}{}", l.url) } else { l.url.clone() }
            }
        })
        .collect()
}

fn with_frag(url: &str, frag: &Option<String>) -> String {
    match frag {
        Some(f) => format!("{url}#{}", encode_fragment(f)),
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_are_substituted() {
        let urls = vec!["/docs/a/".to_string(), "/b/#x&y".to_string()];
        assert_eq!(
            Body::Text("<a href=\"vellum-link:0:\">a</a> <a href=\"vellum-link:1:\">".into()).linked(as_written(urls.clone(), true)).text(),
            "<a href=\"/docs/a/\">a</a> <a href=\"/b/#x&amp;y\">"
        );
        assert_eq!(
            Body::Text("[a](vellum-link:0:) vellum-link:9: vellum-link:x".into()).linked(as_written(urls, false)).text(),
            "[a](/docs/a/) vellum-link:9: vellum-link:x"
        );
    }
}
