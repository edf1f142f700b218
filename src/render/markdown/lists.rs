//! The dialect's list syntaxes (DIALECT §5.5–5.8): items starting `| Title` become tabs,
//! `$ key="a, b"` stack variants, items starting with a heading accordions; consecutive
//! `Term` / `: Definition` paragraphs become a definition list.

use super::tree::{inner_html, new_block, new_node, render_html_of, render_md_of};
use super::{Attrs, Node, Walker};
use crate::parse::mdx::MdxDoc;
use crate::parse::slug::attr_name;
use crate::render::Target;
use crate::render::components::{TabPanel, tab_widget};
use crate::render::highlight::escape_html;
use comrak::Arena;
use comrak::nodes::{NodeHtmlBlock, NodeValue};

impl Walker<'_, '_> {
    /// Consecutive `Term\n: Definition` paragraphs become one `<dl>`.
    pub(super) fn definition_list<'a>(&mut self, arena: &'a Arena<'a>, first: Node<'a>, doc: &MdxDoc, attrs: &Attrs) -> Option<Node<'a>> {
        let mut items = vec![first];
        let mut cur = first.next_sibling();
        while let Some(n) = cur.filter(|n| matches!(n.data().value, NodeValue::Paragraph) && is_definition(n)) {
            items.push(n);
            cur = n.next_sibling();
        }
        let mut out = String::new();
        if self.target == Target::Html {
            out.push_str("<dl>");
        }
        for p in &items {
            self.transform_children(arena, p, doc, attrs);
            match self.target {
                Target::Html => {
                    let html = inner_html(&render_html_of(p, &self.options));
                    let (term, def) = html.split_once("\n: ").unwrap_or((&html, ""));
                    out.push_str(&format!("<dt>{term}</dt><dd>{def}</dd>"));
                }
                Target::Markdown => {
                    let md = render_md_of(p, &self.options);
                    let (term, def) = md.trim_end().split_once("\n: ").unwrap_or((&md, ""));
                    let term = term.trim();
                    let term = if term.starts_with("**") { term.to_string() } else { format!("**{term}**") };
                    out.push_str(&format!("- {term}: {}\n", def.trim()));
                }
            }
        }
        if self.target == Target::Html {
            out.push_str("</dl>");
        }
        first.insert_before(new_node(arena, NodeValue::HtmlBlock(NodeHtmlBlock { block_type: 6, literal: out }), 0));
        for p in items {
            p.detach();
        }
        cur
    }

    /// Split a list into runs of plain, tab, stack and accordion items (DIALECT §5.6–5.8).
    /// Returns the node after the list when the list was restructured.
    pub(super) fn list<'a>(&mut self, arena: &'a Arena<'a>, list: Node<'a>, doc: &MdxDoc, attrs: &Attrs) -> Option<Node<'a>> {
        let items: Vec<Node<'a>> = list.children().collect();
        let kinds: Vec<ItemKind> = items.iter().map(|i| item_kind(i)).collect();
        if kinds.iter().all(|k| matches!(k, ItemKind::Plain)) {
            self.transform_children(arena, list, doc, attrs);
            return None;
        }
        let after = list.next_sibling();
        let mut i = 0;
        while i < items.len() {
            let j =
                (i..items.len()).find(|&j| std::mem::discriminant(&kinds[j]) != std::mem::discriminant(&kinds[i])).unwrap_or(items.len());
            let run = &items[i..j];
            match &kinds[i] {
                ItemKind::Plain => {
                    let value = list.data().value.clone();
                    let sub = new_node(arena, value, list.data().sourcepos.start.line);
                    list.insert_before(sub);
                    for it in run {
                        sub.append(it);
                    }
                    self.transform_children(arena, sub, doc, attrs);
                }
                ItemKind::Tab(_) => self.tabs(arena, list, run, &kinds[i..j], doc, attrs),
                ItemKind::Stack(..) => {
                    for (it, k) in run.iter().zip(&kinds[i..j]) {
                        let ItemKind::Stack(StackItem { key, values, rest }) = k else { continue };
                        let label = format!("For {key}: {}", values.join(", "));
                        let (open, close) = match self.target {
                            Target::Html => (
                                format!(
                                    "<div class=\"stack-variant\" data-{}=\"{}\"><p class=\"stack-label\">{}</p>",
                                    attr_name(key),
                                    escape_html(&values.join(" ")),
                                    escape_html(&label)
                                ),
                                "</div>".to_string(),
                            ),
                            Target::Markdown => (format!("**{label}**\n\n"), String::new()),
                        };
                        let saved = std::mem::replace(&mut self.stack, values.clone());
                        let body = self.item_body(arena, it, rest.as_deref(), doc, attrs);
                        self.stack = saved;
                        list.insert_before(new_block(arena, format!("{open}{body}{close}")));
                    }
                }
                ItemKind::Accordion => {
                    for it in run {
                        let body = self.item_body(arena, it, None, doc, attrs);
                        let html = match self.target {
                            Target::Html => match body.split_once('\n') {
                                // No anchor link inside <summary>: it would nest interactive content.
                                Some((head, rest)) if head.starts_with("<h") => {
                                    format!("<details class=\"accordion\"><summary>{}</summary>{rest}</details>", strip_anchor(head))
                                }
                                _ => format!("<details class=\"accordion\">{body}</details>"),
                            },
                            Target::Markdown => body,
                        };
                        list.insert_before(new_block(arena, html));
                    }
                }
            }
            i = j;
        }
        list.detach();
        after
    }

    fn tabs<'a>(&mut self, arena: &'a Arena<'a>, list: Node<'a>, run: &[Node<'a>], kinds: &[ItemKind], doc: &MdxDoc, attrs: &Attrs) {
        let titles = kinds.iter().map(|k| if let ItemKind::Tab(t) = k { t.clone() } else { String::new() });
        let mut panels = Vec::new();
        for (it, label) in run.iter().zip(titles) {
            let body = self.item_body(arena, it, None, doc, attrs);
            panels.push(TabPanel { label, lang: None, body });
        }
        let out = match self.target {
            Target::Html => tab_widget(self, panels, 0, None, None, false),
            Target::Markdown => panels.iter().map(|p| format!("**{}**\n\n{}\n", p.label, p.body)).collect(),
        };
        list.insert_before(new_block(arena, out));
    }

    /// Render an item's blocks (after its marker paragraph) as a standalone fragment.
    /// `rest` is text of the marker paragraph that belongs to the body.
    fn item_body<'a>(&mut self, arena: &'a Arena<'a>, item: Node<'a>, rest: Option<&str>, doc: &MdxDoc, attrs: &Attrs) -> String {
        let holder = new_node(arena, NodeValue::Document, item.data().sourcepos.start.line);
        let mut children: Vec<Node<'a>> = item.children().collect();
        let first_is_marker = children.first().is_some_and(|c| matches!(c.data().value, NodeValue::Paragraph))
            && !matches!(item_kind(item), ItemKind::Accordion);
        if first_is_marker {
            children.remove(0);
        }
        if let Some(r) = rest.filter(|r| !r.trim().is_empty()) {
            let p = new_node(arena, NodeValue::Paragraph, item.data().sourcepos.start.line);
            p.append(new_node(arena, NodeValue::Text(r.to_string().into()), 0));
            holder.append(p);
        }
        for c in children {
            holder.append(c);
        }
        self.transform_children(arena, holder, doc, attrs);
        match self.target {
            Target::Html => render_html_of(holder, &self.options),
            Target::Markdown => render_md_of(holder, &self.options),
        }
    }
}

/// A `$ key="a, b"` item: the variant it shows, and the text of its marker paragraph after
/// the first line (part of its body).
struct StackItem {
    key: String,
    values: Vec<String>,
    rest: Option<String>,
}

enum ItemKind {
    Plain,
    Tab(String),
    Stack(StackItem),
    Accordion,
}

fn item_kind(item: Node<'_>) -> ItemKind {
    let Some(first) = item.first_child() else { return ItemKind::Plain };
    if matches!(first.data().value, NodeValue::Heading(_)) {
        return ItemKind::Accordion;
    }
    if !matches!(first.data().value, NodeValue::Paragraph) {
        return ItemKind::Plain;
    }
    let text = paragraph_source_text(first);
    let (head, rest) = text.split_once('\n').map(|(h, r)| (h, Some(r.to_string()))).unwrap_or((&text, None));
    if let Some(title) = head.strip_prefix("| ").or_else(|| head.strip_prefix("|\u{a0}")) {
        return ItemKind::Tab(title.trim().to_string());
    }
    if let Some(cond) = head.strip_prefix("$ ") {
        let norm: String = cond.chars().map(|c| if matches!(c, '“' | '”' | '\'' | '‘' | '’') { '"' } else { c }).collect();
        if let Some((key, val)) = norm.split_once('=') {
            let values: Vec<String> =
                val.trim().trim_matches('"').split(',').map(|v| v.trim().to_string()).filter(|v| !v.is_empty()).collect();
            return ItemKind::Stack(StackItem { key: key.trim().to_string(), values, rest });
        }
    }
    ItemKind::Plain
}

/// Text of a paragraph with soft breaks as newlines.
fn paragraph_source_text(p: Node<'_>) -> String {
    let mut s = String::new();
    for n in p.children() {
        match &n.data().value {
            NodeValue::SoftBreak | NodeValue::LineBreak => s.push('\n'),
            _ => n.collect_text_append(&mut s),
        }
    }
    s
}

/// Is this paragraph `Term` + soft break + `: Definition` (DIALECT §5.5)?
pub(super) fn is_definition(p: Node<'_>) -> bool {
    let breaks = p.children().filter(|c| matches!(c.data().value, NodeValue::SoftBreak)).count();
    if breaks != 1 {
        return false;
    }
    let after = p.children().skip_while(|c| !matches!(c.data().value, NodeValue::SoftBreak)).nth(1);
    match after.map(|n| n.data().value.clone()) {
        Some(NodeValue::Text(t)) => t.starts_with(": ") && t.len() > 2,
        _ => false,
    }
}

/// A heading's HTML without its `<a class="anchor">` link.
fn strip_anchor(heading: &str) -> String {
    match (heading.find("<a class=\"anchor\""), heading.rfind("</a>")) {
        (Some(a), Some(b)) if b > a => format!("{}{}", &heading[..a], &heading[b + 4..]),
        _ => heading.to_string(),
    }
}
