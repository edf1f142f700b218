//! The nesting limit of the walk. The walk recurses once per level of the tree, and a page
//! can nest as deep as its author likes (20,000 `> ` make 20,000 quotes), so past
//! [`MAX_NESTING`] levels a subtree is not walked: its words become one plain text run, with
//! one `markdown.too-deep` warning per page. comrak's parser and formatters, the tree copy
//! and the twin's literal holding are iterative, so the walk is the only recursion to bound.
//!
//! A level is a node that can hold its own kind again: a document (a page, a component's
//! children, a tab's or an accordion's body), a list, a quote, emphasis, a link or image.
//! Items, paragraphs, headings and table parts do not count: none can hold itself without
//! a counted node between, so the walk's stack stays within a few frames per level.

use super::tree::new_node;
use super::{Node, Walker};
use crate::diagnostics::Diagnostic;
use crate::parse::mdx::{self, MdxDoc};
use comrak::nodes::NodeValue;
use comrak::{Arena, Options, parse_document};

/// Levels the walk enters below the page (see the module doc). Measured in release, the
/// costliest level (a component) takes about 3 KiB of stack, so a rayon worker's 2 MiB
/// holds a walk this deep many times over (`tests/deep_nesting.rs` renders on a quarter of
/// it); it matches the JSX layer's limit and stays below comrak's, which stops opening
/// lists and quotes after 100 on one line and shows the rest as text without a word.
pub(super) const MAX_NESTING: usize = 64;

/// Whether the walk counts `node` as a level.
pub(super) fn counts(node: Node<'_>) -> bool {
    !matches!(
        node.data().value,
        NodeValue::Item(_)
            | NodeValue::TaskItem(_)
            | NodeValue::Paragraph
            | NodeValue::Heading(_)
            | NodeValue::Table(_)
            | NodeValue::TableRow(_)
            | NodeValue::TableCell
    )
}

impl Walker<'_, '_> {
    /// Replace what `node` holds by its words, as one paragraph per item of a list, one
    /// paragraph in a block, one text run in an inline node; warns once per page.
    pub(super) fn flatten<'a>(&mut self, arena: &'a Arena<'a>, node: Node<'a>, doc: &MdxDoc) {
        if !self.too_deep {
            self.too_deep = true;
            let pos = node.data().sourcepos.start;
            let (line, col) = self.file_pos(doc, pos.line, pos.column.max(1));
            let msg = format!("Markdown nested more than {MAX_NESTING} levels deep; what is deeper is shown as plain text");
            self.out.diags.push(
                Diagnostic::warning(&self.page.rel, line, col, "markdown.too-deep", msg)
                    .with_hint("lists, quotes, emphasis, links and components count one level each"),
            );
        }
        let holders: Vec<Node<'a>> = if matches!(node.data().value, NodeValue::List(_)) { node.children().collect() } else { vec![node] };
        for holder in holders {
            let text = words(holder, doc, &self.options);
            while let Some(c) = holder.first_child() {
                c.detach();
            }
            if text.is_empty() {
                continue;
            }
            let run = new_node(arena, NodeValue::Text(text.into()), 0);
            if holder.can_contain_type(&NodeValue::Paragraph) {
                let p = new_node(arena, NodeValue::Paragraph, holder.data().sourcepos.start.line);
                p.append(run);
                holder.append(p);
            } else {
                holder.append(run);
            }
        }
    }
}

/// The words under `node` (not its own), separated by single spaces, with each component's
/// slot replaced by the words of its children. Iterative over the tree; it recurses only
/// into components' children, which the JSX layer nests at most 64 deep.
fn words(node: Node<'_>, doc: &MdxDoc, options: &Options<'_>) -> String {
    let mut raw = String::new();
    push_words(node, doc, options, &mut raw);
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn push_words(node: Node<'_>, doc: &MdxDoc, options: &Options<'_>, out: &mut String) {
    for n in node.descendants().skip(1) {
        match &n.data().value {
            NodeValue::Text(t) => push_text(t, doc, options, out),
            NodeValue::Code(c) => out.push_str(&c.literal),
            NodeValue::CodeBlock(c) => {
                out.push(' ');
                out.push_str(&c.literal);
            }
            v if v.block() || matches!(v, NodeValue::SoftBreak | NodeValue::LineBreak) => out.push(' '),
            _ => {}
        }
    }
}

/// A text run's words, its slot tokens replaced by the words of their components.
fn push_text(text: &str, doc: &MdxDoc, options: &Options<'_>, out: &mut String) {
    let mut last = 0;
    for (range, slot) in mdx::find_slots(text) {
        out.push_str(&text[last..range.start]);
        if let Some(children) = doc.elements.get(slot).and_then(|el| el.children.as_ref()) {
            let arena = Arena::new();
            out.push(' ');
            push_words(parse_document(&arena, &children.markdown, options), children, options, out);
            out.push(' ');
        }
        last = range.end;
    }
    out.push_str(&text[last..]);
}
