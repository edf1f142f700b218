//! Building blocks of the walk: new nodes, raw blocks that replace or wrap a subtree, a
//! tree copy for the twin pass, and a subtree formatted on its own.

use super::Node;
use comrak::nodes::{Ast, AstNode, LineColumn, NodeHtmlBlock, NodeValue};
use comrak::{Arena, Options, format_commonmark, format_html};

/// A copy of the tree under `root`, allocated in `arena` (iterative: trees can be deep).
pub(super) fn deep_copy<'a>(arena: &'a Arena<'a>, root: Node<'a>) -> Node<'a> {
    let copy = |n: Node<'a>| -> Node<'a> { arena.alloc(AstNode::from(n.data().clone())) };
    let top = copy(root);
    let mut stack = vec![(root, top)];
    while let Some((from, to)) = stack.pop() {
        for child in from.children() {
            let c = copy(child);
            to.append(c);
            stack.push((child, c));
        }
    }
    top
}

pub(super) fn new_node<'a>(arena: &'a Arena<'a>, value: NodeValue, line: usize) -> Node<'a> {
    arena.alloc(AstNode::from(Ast::new(value, LineColumn { line, column: 1 })))
}

pub(super) fn new_block<'a>(arena: &'a Arena<'a>, literal: String) -> Node<'a> {
    new_node(arena, NodeValue::HtmlBlock(NodeHtmlBlock { block_type: 6, literal: ensure_newline(literal) }), 0)
}

fn ensure_newline(mut s: String) -> String {
    if !s.ends_with('\n') {
        s.push('\n');
    }
    s
}

pub(super) fn replace_with_block<'a>(arena: &'a Arena<'a>, node: Node<'a>, literal: String) {
    if !literal.trim().is_empty() {
        node.insert_before(new_block(arena, literal));
    }
    node.detach();
}

/// Surround a block with raw open/close markup, keeping its children as Markdown nodes.
pub(super) fn wrap<'a>(arena: &'a Arena<'a>, node: Node<'a>, open: &str, close: &str) {
    node.insert_before(new_block(arena, open.to_string()));
    for c in node.children().collect::<Vec<_>>() {
        node.insert_before(c);
    }
    node.insert_before(new_block(arena, close.to_string()));
    node.detach();
}

/// Replace a block by its children (in the twin, a container's content stands unquoted).
pub(super) fn wrap_md(node: Node<'_>) {
    for c in node.children().collect::<Vec<_>>() {
        node.insert_before(c);
    }
    node.detach();
}

/// A paragraph holding `**text**`.
pub(super) fn strong_paragraph<'a>(arena: &'a Arena<'a>, text: &str) -> Node<'a> {
    let p = new_node(arena, NodeValue::Paragraph, 0);
    let strong = new_node(arena, NodeValue::Strong, 0);
    strong.append(new_node(arena, NodeValue::Text(text.to_string().into()), 0));
    p.append(strong);
    p
}

pub(super) fn render_html_of(node: Node<'_>, options: &Options<'_>) -> String {
    let mut s = String::new();
    let _ = format_html(node, options, &mut s);
    s
}

pub(super) fn render_md_of(node: Node<'_>, options: &Options<'_>) -> String {
    let mut s = String::new();
    let _ = format_commonmark(node, options, &mut s);
    s
}

/// The content of `<p>…</p>\n` or `<h2>…</h2>\n`.
pub(super) fn inner_html(html: &str) -> String {
    let t = html.trim_end();
    let start = t.find('>').map(|i| i + 1).unwrap_or(0);
    let end = t.rfind("</").filter(|&e| e >= start).unwrap_or(t.len());
    t[start..end].to_string()
}
