//! Callouts: directive containers (`:::note`) gathered into quotes, GitHub alerts
//! (`> [!NOTE]`) and block quotes whose text starts with a label (`Note:`), rendered as the
//! theme's callout markup in HTML and as a quote with a bold label line in the twin.

use super::tree::{new_node, strong_paragraph, wrap, wrap_md};
use super::{Attrs, Node, Walker};
use crate::parse::mdx::MdxDoc;
use crate::render::Target;
use crate::render::containers::{self, Container, Shape};
use crate::render::highlight::escape_html;
use comrak::Arena;
use comrak::nodes::NodeValue;

impl Walker<'_, '_> {
    /// Gather `first` and the following siblings inside container `c` into a callout (or
    /// accordion, or plain group); returns the sibling after them.
    pub(super) fn container<'a>(
        &mut self,
        arena: &'a Arena<'a>,
        first: Node<'a>,
        c: &Container,
        doc: &MdxDoc,
        attrs: &Attrs,
    ) -> Option<Node<'a>> {
        c.done.set(true);
        let quote = new_node(arena, NodeValue::BlockQuote, first.data().sourcepos.start.line);
        first.insert_before(quote);
        let mut cur = Some(first);
        while let Some(n) = cur.filter(|n| {
            let sp = n.data().sourcepos;
            c.holds(sp.start.line, sp.end.line)
        }) {
            cur = n.next_sibling();
            quote.append(n);
        }
        self.transform_children(arena, quote, doc, attrs);
        let title = c.title.as_deref().map(crate::parse::plain_inline);
        match containers::shape(&c.name) {
            Shape::Callout(kind, label) => self.callout(arena, quote, kind, label, title.as_deref()),
            Shape::Details => {
                let title = title.unwrap_or_else(|| "Details".into());
                match self.target {
                    Target::Html => {
                        let expanded = if c.expanded { " open" } else { "" };
                        let open = format!("<details class=\"accordion\"{expanded}><summary>{}</summary>", escape_html(&title));
                        wrap(arena, quote, &open, "</details>");
                    }
                    Target::Markdown => {
                        quote.insert_before(strong_paragraph(arena, &title));
                        wrap_md(quote);
                    }
                }
            }
            Shape::Group => {
                self.diag(
                    doc,
                    c.open,
                    1,
                    "markdown.unknown-container",
                    format!("`:::{}` is not a container vellum knows; its content is shown unframed", c.name),
                );
                match self.target {
                    Target::Html => {
                        wrap(arena, quote, &format!("<div class=\"directive\" data-directive=\"{}\">", escape_html(&c.name)), "</div>")
                    }
                    Target::Markdown => wrap_md(quote),
                }
            }
        }
        cur
    }

    /// Finish a callout whose content is already in `quote`: HTML gets the theme's callout
    /// markup with a title line, the twin a `> **Label: Title**` line.
    fn callout<'a>(&mut self, arena: &'a Arena<'a>, quote: Node<'a>, kind: &str, label: &str, title: Option<&str>) {
        match self.target {
            Target::Html => {
                let shown = escape_html(title.unwrap_or(label));
                let open =
                    format!("<blockquote class=\"callout\" data-kind=\"{kind}\"><p class=\"callout-title\"><strong>{shown}</strong></p>");
                wrap(arena, quote, &open, "</blockquote>");
            }
            Target::Markdown => {
                let text = title.map_or_else(|| label.to_string(), |t| format!("{label}: {t}"));
                quote.prepend(strong_paragraph(arena, &text));
            }
        }
    }

    /// A GitHub alert (`> [!NOTE]` first line): the marker removed, the quote a callout.
    pub(super) fn alert<'a>(&mut self, arena: &'a Arena<'a>, quote: Node<'a>, doc: &MdxDoc, attrs: &Attrs) -> bool {
        let Some(p) = quote.first_child().filter(|p| matches!(p.data().value, NodeValue::Paragraph)) else { return false };
        let marker: Vec<Node<'a>> =
            p.children().take_while(|n| !matches!(n.data().value, NodeValue::SoftBreak | NodeValue::LineBreak)).collect();
        let mut text = String::new();
        for n in &marker {
            n.collect_text_append(&mut text);
        }
        let Some(kind) = containers::alert_kind(&text) else { return false };
        for n in marker {
            n.detach();
        }
        if let Some(b) = p.first_child().filter(|b| matches!(b.data().value, NodeValue::SoftBreak | NodeValue::LineBreak)) {
            b.detach();
        }
        if p.first_child().is_none() {
            p.detach();
        }
        self.transform_children(arena, quote, doc, attrs);
        let Shape::Callout(theme_kind, label) = containers::shape(kind) else { return false };
        self.callout(arena, quote, theme_kind, label, None);
        true
    }

    /// A block quote: a callout of the kind its text starts with (`Note:`), if any.
    pub(super) fn quote<'a>(&mut self, arena: &'a Arena<'a>, node: Node<'a>, doc: &MdxDoc, attrs: &Attrs) {
        self.transform_children(arena, node, doc, attrs);
        if self.target == Target::Html {
            let kind = callout_kind(&node.collect_text());
            let open = match kind {
                Some(k) => format!("<blockquote class=\"callout\" data-kind=\"{k}\">"),
                None => "<blockquote class=\"callout\">".to_string(),
            };
            wrap(arena, node, &open, "</blockquote>");
        }
    }
}

fn callout_kind(text: &str) -> Option<&'static str> {
    let t = text.trim_start().to_lowercase();
    [
        ("note", "note"),
        ("tip", "tip"),
        ("important", "important"),
        ("known issue", "warning"),
        ("warning", "warning"),
        ("caution", "warning"),
    ]
    .into_iter()
    .find(|(label, _)| t.strip_prefix(label).is_some_and(|r| r.starts_with(':') || r.starts_with("**:")))
    .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn callouts() {
        assert_eq!(callout_kind("Note: x"), Some("note"));
        assert_eq!(callout_kind("Important: x"), Some("important"));
        assert_eq!(callout_kind("Known issue: x"), Some("warning"));
        assert_eq!(callout_kind("Noted"), None);
    }
}
