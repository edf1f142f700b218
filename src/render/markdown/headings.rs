//! Headings: ids (slugs made unique on the page, or the `url` attribute), the enclosing
//! chain that gives each heading its path, outline levels that never skip one in HTML, and
//! the anchors components register (event names).

use super::tree::{inner_html, render_html_of, replace_with_block};
use super::{Attrs, Node, Walker};
use crate::diagnostics::Diagnostic;
use crate::parse::mdx::MdxDoc;
use crate::parse::slug::{HeadingAttrs, attr_name, slugify};
use crate::render::highlight::escape_html;
use crate::render::{Heading, Target};
use comrak::Arena;
use comrak::nodes::NodeValue;

impl Walker<'_, '_> {
    /// Register a non-TOC anchor (an event name) one level below the current heading;
    /// returns its id and heading level.
    pub(crate) fn anchor(&mut self, text: &str, line: u32) -> (String, u8) {
        let level = self.chain.last().map(|(l, _)| (l + 1).min(6)).unwrap_or(2);
        let slug = slugify(text, self.ctx.profile.slug);
        let id = self.slugger.unique(&slug);
        let mut path: Vec<String> = self.chain.iter().filter(|(l, _)| *l < level).map(|(_, s)| s.clone()).collect();
        path.push(slug.clone());
        self.out.headings.push(Heading {
            level,
            id: id.clone(),
            slug,
            text: text.to_string(),
            in_toc: false,
            path,
            stack: self.stack.clone(),
            line,
        });
        // The twin keeps source levels; HTML never skips a level (see `outline_level`).
        (id, if self.target == Target::Html { self.outline_level(level) } else { level })
    }

    /// The level a heading is written at: at most one below the previous one, since HTML
    /// outlines may not skip levels (content often starts at `###`). Headings keep their
    /// source level for paths and the table of contents.
    fn outline_level(&mut self, level: u8) -> u8 {
        self.outline = level.min(self.outline + 1);
        self.outline
    }

    pub(super) fn heading<'a>(&mut self, arena: &'a Arena<'a>, node: Node<'a>, level: u8, first_block: bool, doc: &MdxDoc, attrs: &Attrs) {
        let line = node.data().sourcepos.start.line;
        let (file_line, _) = self.file_pos(doc, line, 1);
        let mut level = level;
        if level == 1 {
            if first_block && self.page.title_from_h1 {
                node.detach();
                return;
            }
            if self.page.meta.title.is_some() {
                self.out.diags.push(
                    Diagnostic::warning(
                        &self.page.rel,
                        file_line,
                        1,
                        "page.title-and-h1",
                        "page has a frontmatter title and an H1; the H1 is shown as an H2",
                    )
                    .with_hint("remove the H1 or the `title`"),
                );
            }
            level = 2;
            if let NodeValue::Heading(h) = &mut node.data_mut().value {
                h.level = 2;
            }
        }
        self.transform_children(arena, node, doc, attrs);
        let text = heading_text(node);
        let attr = match attrs.headings.get(&line) {
            Some(Ok(a)) => a.clone(),
            Some(Err(msg)) => {
                self.diag(doc, line, 1, "heading.bad-attributes", msg.clone());
                HeadingAttrs { in_toc: true, ..Default::default() }
            }
            None => HeadingAttrs { in_toc: true, ..Default::default() },
        };
        if text.trim().is_empty() && node.descendants().any(|n| matches!(n.data().value, NodeValue::Image(_))) {
            self.diag(doc, line, 1, "heading.image-only", "heading consists only of an image; its slug comes from the alt text");
        }
        let slug_text = if text.trim().is_empty() { node.collect_text() } else { text.clone() };
        let slug = attr.url.clone().unwrap_or_else(|| slugify(&slug_text, self.ctx.profile.slug));
        let id = self.slugger.unique(&slug);
        while self.chain.last().is_some_and(|(l, _)| *l >= level) {
            self.chain.pop();
        }
        self.chain.push((level, slug.clone()));
        self.out.headings.push(Heading {
            level,
            id: id.clone(),
            slug,
            text: text.trim().to_string(),
            in_toc: attr.in_toc && (level == 2 || level == 3),
            path: self.chain.iter().map(|(_, s)| s.clone()).collect(),
            stack: self.stack.clone(),
            line: file_line,
        });
        if self.target == Target::Html {
            let inner = inner_html(&render_html_of(node, &self.options));
            let data: String = attr.other.iter().map(|(k, v)| format!(" data-{}=\"{}\"", attr_name(k), escape_html(v))).collect();
            let level = self.outline_level(level);
            let html = format!(
                "<h{level} id=\"{id}\"{data}>{inner}<a class=\"anchor\" href=\"#{id}\" aria-label=\"Link to this section: {}\"></a></h{level}>",
                escape_html(text.trim())
            );
            replace_with_block(arena, node, html);
        }
    }
}

/// Heading text for ids, the TOC and titles: text and code, without inline components.
fn heading_text(node: Node<'_>) -> String {
    node.collect_text()
}
