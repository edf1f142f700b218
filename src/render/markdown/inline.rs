//! Inline nodes: text runs (slot tokens become components, dashes are fixed), links (internal
//! ones become markers the link stage resolves, external ones are checked for shape) and
//! images (local sources checked like links).

use super::tree::new_node;
use super::{Node, Walker};
use crate::diagnostics::Diagnostic;
use crate::model::url::Use;
use crate::parse::mdx::{self, MdxDoc};
use crate::render::highlight::escape_html;
use crate::render::{LinkRef, Target, link_marker, partials};
use comrak::Arena;
use comrak::nodes::NodeValue;

impl Walker<'_, '_> {
    pub(super) fn text<'a>(&mut self, arena: &'a Arena<'a>, node: Node<'a>, doc: &MdxDoc) {
        let text = match &node.data().value {
            NodeValue::Text(t) => t.to_string(),
            _ => return,
        };
        let slots = mdx::find_slots(&text);
        let fixed = |s: &str, en: bool| {
            let s = s.replace(" - ", " – ");
            if en { s.replace('—', "–") } else { s }
        };
        let en = self.ctx.config.em_dash_to_en_dash;
        if slots.is_empty() {
            let f = fixed(&text, en);
            if f != text {
                node.data_mut().value = NodeValue::Text(f.into());
            }
            return;
        }
        let mut last = 0;
        for (range, slot) in slots {
            if range.start > last {
                node.insert_before(new_node(arena, NodeValue::Text(fixed(&text[last..range.start], en).into()), 0));
            }
            let html = doc.elements.get(slot).map(|el| partials::render_element(self, el)).unwrap_or_default();
            node.insert_before(new_node(arena, NodeValue::HtmlInline(html), 0));
            last = range.end;
        }
        if last < text.len() {
            node.insert_before(new_node(arena, NodeValue::Text(fixed(&text[last..], en).into()), 0));
        }
        node.detach();
    }

    pub(super) fn link(&mut self, node: Node<'_>, doc: &MdxDoc) {
        let pos = node.data().sourcepos.start;
        let mut data = node.data_mut();
        let NodeValue::Link(link) = &mut data.value else { return };
        let (line, col) = self.file_pos(doc, pos.line, pos.column);
        if !self.url_allowed(&link.url, Use::Link, (line, col), "link to") {
            link.url = "#".into();
            return;
        }
        if !is_internal(&link.url) {
            // External links are not fetched (no network), only checked for shape.
            if let Some(problem) = external_problem(&link.url) {
                let d =
                    Diagnostic::warning(&self.page.rel, line, col, "link.bad-external", format!("external link `{}`: {problem}", link.url));
                drop(data);
                self.out.diags.push(d);
            }
            return;
        }
        self.out.links.push(LinkRef { url: link.url.clone(), line, col });
        link.url = link_marker(self.out.links.len() - 1);
    }

    pub(super) fn image<'a>(&mut self, arena: &'a Arena<'a>, node: Node<'a>, doc: &MdxDoc) {
        let pos = node.data().sourcepos.start;
        let url = match &node.data().value {
            NodeValue::Image(l) => l.url.clone(),
            _ => return,
        };
        let alt = node.collect_text();
        let (line, col) = self.file_pos(doc, pos.line, pos.column);
        // Local images resolve like links: checked, and given the base path.
        let src = if !self.url_allowed(&url, Use::Image, (line, col), "image") {
            if let NodeValue::Image(l) = &mut node.data_mut().value {
                l.url = "#".into();
            }
            "#".into()
        } else if is_internal(&url) {
            self.out.links.push(LinkRef { url: url.clone(), line, col });
            let marker = link_marker(self.out.links.len() - 1);
            if let NodeValue::Image(l) = &mut node.data_mut().value {
                l.url = marker.clone();
            }
            marker
        } else {
            url
        };
        if self.target == Target::Html {
            let html = format!("<img src=\"{}\" alt=\"{}\" loading=\"lazy\" decoding=\"async\">", escape_html(&src), escape_html(&alt));
            node.insert_before(new_node(arena, NodeValue::HtmlInline(html), 0));
            node.detach();
        }
    }
}

/// What is wrong with the shape of an external `http(s)` or `mailto` URL, if anything.
fn external_problem(url: &str) -> Option<&'static str> {
    if let Some(rest) = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://")) {
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        let host = host.rsplit('@').next().unwrap_or(host);
        let name = host.split(':').next().unwrap_or(host);
        if name.is_empty() || name.starts_with('.') || name.ends_with('.') && name.len() == 1 {
            return Some("no host name");
        }
        if !name.chars().all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '[' | ']' | '_')) {
            return Some("invalid characters in the host name");
        }
        if url.chars().any(char::is_whitespace) {
            return Some("contains whitespace");
        }
    } else if let Some(addr) = url.strip_prefix("mailto:") {
        if !addr.split('?').next().unwrap_or("").contains('@') {
            return Some("no e-mail address");
        }
    } else if url.starts_with("http:") || url.starts_with("https:") {
        return Some("missing `//` after the scheme");
    }
    None
}

/// Internal links: site-absolute, relative paths and `#anchors` (no scheme).
pub(crate) fn is_internal(url: &str) -> bool {
    !(url.is_empty()
        || url.starts_with("//")
        || url.contains("://")
        || url.starts_with("mailto:")
        || url.starts_with("tel:")
        || url.starts_with("data:")
        || url.starts_with(crate::render::LINK_MARKER))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn external_link_shapes() {
        assert_eq!(external_problem("https://dashboard.workos.com/x?y#z"), None);
        assert_eq!(external_problem("mailto:support@workos.com?subject=Hi"), None);
        assert_eq!(external_problem("http://localhost:8001"), None);
        assert_eq!(external_problem("https:/example.com"), Some("missing `//` after the scheme"));
        assert_eq!(external_problem("https:///path"), Some("no host name"));
        assert_eq!(external_problem("https://exa mple.com"), Some("invalid characters in the host name"));
        assert_eq!(external_problem("mailto:nobody"), Some("no e-mail address"));
    }
}
