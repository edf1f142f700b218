//! The Markdown layer: comrak parses each MDX document (JSX already replaced by slot tokens),
//! then one walk in document order rewrites the AST — slots become components, headings get
//! ids, fences get highlighted, the dialect's list syntaxes become tabs, stack variants and
//! accordions, directive containers and GitHub alerts become callouts — and comrak formats
//! the result as HTML or as Markdown. Fences are rendered by [`super::fence`], the line-level
//! syntaxes read before parsing by [`super::containers`].
//!
//! This module is the walk itself; its parts live beside it: [`headings`] (ids, outline
//! levels, anchors), [`lists`] (tabs, stack variants, accordions, definition lists),
//! [`callouts`] (containers, alerts, quotes), [`inline`] (text, links, images), [`tree`]
//! (building and formatting nodes), [`hold`] (the twin formatter's fast path) and [`depth`]
//! (the nesting limit).
//! Architecture invariant: the walk visits each node once, in document order, so heading ids
//! and link markers are numbered the same way for both targets. It recurses at most
//! [`MAX_NESTING`] levels deep, whatever the page.

mod callouts;
mod depth;
mod headings;
mod hold;
mod inline;
mod lists;
mod tree;

use super::containers::{self, Marks};
use super::fence::Fence;
pub(crate) use super::fence::{code_figure, fenced_md};
use super::{RenderCtx, RenderedPage, Target, components, partials, sanitize};
use crate::diagnostics::Diagnostic;
use crate::parse::ParsedPage;
use crate::parse::mdx::{self, MdxDoc};
use crate::parse::slug::Slugger;
use comrak::nodes::{AstNode, NodeValue};
use comrak::{Arena, Options, format_commonmark, format_html, parse_document};
use depth::MAX_NESTING;
use hold::{hold_literals, restore_literals};
pub(crate) use inline::is_internal;
use lists::is_definition;
use std::collections::HashMap;
use tree::{deep_copy, render_html_of, replace_with_block};

type Node<'a> = &'a AstNode<'a>;

/// The comrak trees of one page, shared by its two passes: the HTML pass parses each
/// document and keeps an untouched copy for the twin pass, so a page is parsed once.
pub(crate) struct Trees<'a> {
    arena: &'a Arena<'a>,
    /// Copies kept by the HTML pass, by Markdown text (a tree depends on its text alone;
    /// documents made during the render share addresses); taken by the twin pass.
    kept: HashMap<String, Node<'a>>,
}

impl<'a> Trees<'a> {
    /// Trees allocated in `arena`, which lives as long as the page's render.
    pub(crate) fn new(arena: &'a Arena<'a>) -> Self {
        Self { arena, kept: HashMap::new() }
    }
}

/// Per-page state of one rendering pass.
pub(crate) struct Walker<'c, 'o> {
    pub(crate) ctx: &'c RenderCtx<'c>,
    trees: &'o mut Trees<'c>,
    pub(crate) page: &'c ParsedPage,
    pub(crate) target: Target,
    pub(crate) out: &'o mut RenderedPage,
    slugger: Slugger,
    /// Enclosing headings: (level, slug).
    chain: Vec<(u8, String)>,
    /// Level of the last heading written to HTML (1: the page title).
    outline: u8,
    /// Stack values of the variant being rendered.
    stack: Vec<String>,
    /// The top document's first block is still to come (for dropping a title H1).
    first_block: bool,
    /// Counter for ids of generated widgets (tabs).
    pub(crate) widget: usize,
    /// Reference entry ids already placed by a `<CodeBlock referenceId>`.
    pub(crate) placed: std::collections::HashSet<String>,
    options: Options<'static>,
    /// Levels entered (see [`depth`]), across the documents of components' children.
    depth: usize,
    /// `markdown.too-deep` was reported on this page.
    too_deep: bool,
    /// The partials being inlined.
    pub(crate) partials: super::partials::Frames,
}

/// Render a page body for one target, recording headings, links and diagnostics in `out`.
pub(crate) fn render_body<'c>(
    page: &'c ParsedPage,
    ctx: &'c RenderCtx<'c>,
    trees: &mut Trees<'c>,
    target: Target,
    out: &mut RenderedPage,
) -> String {
    let mut w = Walker {
        ctx,
        trees,
        page,
        target,
        out,
        slugger: Slugger::new(ctx.profile.slug),
        chain: Vec::new(),
        outline: 1,
        stack: Vec::new(),
        first_block: true,
        widget: 0,
        placed: Default::default(),
        options: options(),
        depth: 0,
        too_deep: false,
        partials: Default::default(),
    };
    let mut body = w.render_doc(&page.mdx);
    body.push_str(&components::unplaced_references(&mut w));
    body
}

/// The dialect's Markdown: GFM tables, task lists, autolinks and strikethrough, smart
/// punctuation, raw HTML kept.
fn options() -> Options<'static> {
    let mut options = Options::default();
    options.extension.table = true;
    options.extension.tasklist = true;
    options.extension.autolink = true;
    options.extension.strikethrough = true;
    options.parse.smart = true;
    options.render.r#unsafe = true;
    options.render.tasklist_classes = true;
    options
}

impl Walker<'_, '_> {
    /// Render one MDX document (a page body or a component's children).
    pub(crate) fn render_doc(&mut self, doc: &MdxDoc) -> String {
        let (md, attrs) = containers::prepare(&doc.markdown, &self.ctx.profile.syntax);
        for c in attrs.containers.iter().filter(|c| c.close.is_none()) {
            let msg = format!("`:::{}` is never closed; it runs to the end of its block", c.name);
            self.diag(doc, c.open, 1, "markdown.unclosed-container", msg);
        }
        for &line in &attrs.stray {
            self.diag(doc, line, 1, "markdown.stray-container-close", "`:::` closes no open container; it is ignored");
        }
        let arena = self.trees.arena;
        let kept = if self.target == Target::Markdown { self.trees.kept.remove(md.as_ref()) } else { None };
        let root = kept.unwrap_or_else(|| {
            let root = parse_document(arena, &md, &self.options);
            if md.contains("<!--") {
                self.unclosed_comments(root, doc);
            }
            root
        });
        if self.target == Target::Html {
            self.trees.kept.insert(md.to_string(), deep_copy(arena, root));
            let refused = super::sanitize::raw_html(root, self.ctx.config.html);
            self.raw_html_refused(doc, refused);
        }
        self.transform_children(arena, root, doc, &attrs);
        let mut s = String::with_capacity(md.len() * 2);
        let r = match self.target {
            Target::Html => format_html(root, &self.options, &mut s).map(|()| {
                if s.contains("task-list-item-checkbox\"") {
                    // Checkboxes need an accessible name; the item text follows them.
                    s = s.replace("class=\"task-list-item-checkbox\"", "class=\"task-list-item-checkbox\" aria-label=\"Task\"");
                }
            }),
            Target::Markdown => {
                let held = hold_literals(root, &md, &self.options);
                format_commonmark(root, &self.options, &mut s).map(|()| {
                    if !held.is_empty() {
                        s = restore_literals(&s, &held);
                    }
                })
            }
        };
        if r.is_err() {
            self.diag(doc, 1, 1, "render.failed", "the Markdown formatter failed on this document");
        }
        s
    }

    /// Cuts an HTML comment that no `-->` closes out of its HTML block, with the rest of the
    /// block (which it hides anyway), and warns: left in, it would hide the page template
    /// after the body too (the footer, pagination, the live-reload script).
    fn unclosed_comments(&mut self, root: Node<'_>, doc: &MdxDoc) {
        let blocks: Vec<Node<'_>> = root.descendants().filter(|n| matches!(n.data().value, NodeValue::HtmlBlock(_))).collect();
        for n in blocks {
            let (line, col) = {
                let mut data = n.data_mut();
                let start = data.sourcepos.start;
                let NodeValue::HtmlBlock(b) = &mut data.value else { continue };
                let Some(at) = sanitize::unclosed_comment(&b.literal) else { continue };
                let before = &b.literal[..at];
                let line_start = before.rfind('\n').map_or(0, |i| i + 1);
                let col = at - line_start + if line_start == 0 { start.column } else { 1 };
                let line = start.line + before.matches('\n').count();
                b.literal.truncate(line_start + before[line_start..].trim_end().len());
                if !b.literal.is_empty() {
                    b.literal.push('\n');
                }
                (line, col)
            };
            if matches!(&n.data().value, NodeValue::HtmlBlock(b) if b.literal.is_empty()) {
                n.detach();
            }
            let msg = "HTML comment `<!--` is never closed; it is left out, with the rest of its HTML block";
            let (l, c) = self.file_pos(doc, line, col);
            self.out.diags.push(Diagnostic::warning(&self.page.rel, l, c, "html.unclosed-comment", msg).with_hint("close it with `-->`"));
        }
    }

    fn file_pos(&self, doc: &MdxDoc, line: usize, col: usize) -> (u32, u32) {
        (doc.first_line + line.max(1) as u32 - 1, col as u32 + doc.col_offset)
    }

    fn diag(&mut self, doc: &MdxDoc, line: usize, col: usize, code: &'static str, msg: impl Into<String>) {
        let (l, c) = self.file_pos(doc, line, col);
        self.out.diags.push(Diagnostic::warning(&self.page.rel, l, c, code, msg));
    }

    fn transform_children<'a>(&mut self, arena: &'a Arena<'a>, node: Node<'a>, doc: &MdxDoc, attrs: &Attrs) {
        let level = depth::counts(node);
        if level && self.depth > MAX_NESTING && node.first_child().is_some() {
            self.flatten(arena, node, doc);
            return;
        }
        self.depth += usize::from(level);
        // A container gathers blocks into a quote, which a list (whose children are items)
        // or a table cannot hold: there the markers stay blank lines.
        let gathers = node.can_contain_type(&NodeValue::BlockQuote);
        let mut cur = node.first_child();
        while let Some(child) = cur {
            let sp = child.data().sourcepos;
            let container = attrs.containers.iter().find(|c| gathers && !c.done.get() && c.holds(sp.start.line, sp.end.line));
            cur = match container {
                Some(c) => self.container(arena, child, c, doc, attrs),
                None => self.transform_node(arena, child, doc, attrs),
            };
        }
        self.depth -= usize::from(level);
    }

    /// Transform `node`; returns the next sibling to visit (nodes it inserted are done).
    fn transform_node<'a>(&mut self, arena: &'a Arena<'a>, node: Node<'a>, doc: &MdxDoc, attrs: &Attrs) -> Option<Node<'a>> {
        let next = node.next_sibling();
        let first_block = std::mem::take(&mut self.first_block) && node.data().value.block();
        let kind = Kind::of(node);
        match kind {
            Kind::Paragraph => {
                if let Some(slots) = only_slots(node) {
                    let html: String = slots
                        .iter()
                        .filter_map(|&i| doc.elements.get(i))
                        .map(|el| partials::render_element(self, el))
                        .collect::<Vec<_>>()
                        .join("\n");
                    replace_with_block(arena, node, html);
                } else if is_definition(node) {
                    return self.definition_list(arena, node, doc, attrs);
                } else {
                    self.transform_children(arena, node, doc, attrs);
                }
            }
            Kind::Text => self.text(arena, node, doc),
            Kind::Heading(level) => self.heading(arena, node, level, first_block, doc, attrs),
            Kind::Code => self.code_block(arena, node, doc),
            Kind::Link => {
                self.link(node, doc);
                self.transform_children(arena, node, doc, attrs);
            }
            Kind::Image => self.image(arena, node, doc),
            Kind::List => return self.list(arena, node, doc, attrs).or(next),
            Kind::BlockQuote if self.ctx.profile.syntax.gh_alerts && self.alert(arena, node, doc, attrs) => {}
            Kind::BlockQuote => self.quote(arena, node, doc, attrs),
            Kind::Table => {
                self.transform_children(arena, node, doc, attrs);
                if self.target == Target::Html {
                    let inner = render_html_of(node, &self.options);
                    replace_with_block(arena, node, format!("<div class=\"table-wrap\">{inner}</div>"));
                }
            }
            Kind::Other => self.transform_children(arena, node, doc, attrs),
        }
        next
    }

    fn code_block<'a>(&mut self, arena: &'a Arena<'a>, node: Node<'a>, doc: &MdxDoc) {
        let (fenced, info, literal, line) = match &node.data().value {
            NodeValue::CodeBlock(cb) => (cb.fenced, cb.info.clone(), cb.literal.clone(), node.data().sourcepos.start.line),
            _ => return,
        };
        if !fenced {
            // MDX has no indented code: indented text is Markdown (e.g. under-dedented JSX children).
            let sub = MdxDoc {
                markdown: literal,
                elements: Vec::new(),
                first_line: doc.first_line + line as u32 - 1,
                col_offset: doc.col_offset,
            };
            let mut sub = sub;
            sub.elements = doc.elements.clone();
            let rendered = self.render_doc(&sub);
            replace_with_block(arena, node, rendered);
            return;
        }
        let fence = Fence::new(&info, &literal, self.ctx.profile.syntax.highlight_comments);
        for key in &fence.meta.unknown {
            self.diag(doc, line, 1, "fence.unknown-meta", format!("unknown code fence attribute `{key}`; it is ignored"));
        }
        let html = match self.target {
            Target::Html => fence.html(),
            Target::Markdown => fence.markdown(),
        };
        replace_with_block(arena, node, html);
    }
}

/// What the line pass found in a document (heading attributes, containers).
type Attrs = Marks;

#[derive(Debug)]
enum Kind {
    Paragraph,
    Text,
    Heading(u8),
    Code,
    Link,
    Image,
    List,
    BlockQuote,
    Table,
    Other,
}

impl Kind {
    fn of(node: Node<'_>) -> Kind {
        match &node.data().value {
            NodeValue::Paragraph => Kind::Paragraph,
            NodeValue::Text(_) => Kind::Text,
            NodeValue::Heading(h) => Kind::Heading(h.level),
            NodeValue::CodeBlock(_) => Kind::Code,
            NodeValue::Link(_) => Kind::Link,
            NodeValue::Image(_) => Kind::Image,
            NodeValue::List(_) => Kind::List,
            NodeValue::BlockQuote => Kind::BlockQuote,
            NodeValue::Table(_) => Kind::Table,
            _ => Kind::Other,
        }
    }
}

/// A paragraph made only of slot tokens (one per line: adjacent one-line elements) holds
/// block components; returns their slots.
fn only_slots(p: Node<'_>) -> Option<Vec<usize>> {
    let mut slots = Vec::new();
    for c in p.children() {
        match &c.data().value {
            NodeValue::SoftBreak | NodeValue::LineBreak => {}
            NodeValue::Text(t) => {
                let t = t.trim();
                let found = mdx::find_slots(t);
                let covered: usize = found.iter().map(|(r, _)| r.len()).sum();
                if found.is_empty() || covered != t.len() {
                    return None;
                }
                slots.extend(found.into_iter().map(|(_, i)| i));
            }
            _ => return None,
        }
    }
    (!slots.is_empty()).then_some(slots)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_twin_from_kept_trees_equals_the_twin_rendered_alone() {
        let config = crate::config::Config::default();
        let references = crate::site::reference::ReferenceIndex::default();
        let templates = crate::output::templates::environment(None);
        let snippets = super::super::Snippets::default();
        let ctx = RenderCtx {
            config: &config,
            references: &references,
            templates: &templates,
            snippets: &snippets,
            cards: &[],
            profile: &Default::default(),
            includes: &Default::default(),
        };
        let cases = [
            // Over-indented lines in children become documents made during the render.
            "<Tabs>\n  intro one\n\n      first *deeper* text\n</Tabs>\n\n<Tabs>\n  intro two\n\n      second `deeper` text\n</Tabs>\n",
            "# Title\n\n<Tabs>\n  ## Inside\n\n  Same body.\n</Tabs>\n\n<Tabs>\n  ## Inside\n\n  Same body.\n</Tabs>\n\n<div>raw <b>html</b></div>\n",
        ];
        for text in cases {
            let file = crate::source::SourceFile { rel: "p.mdx".into(), text: Some(text.into()) };
            let page = crate::parse::parse_page(file, &|_, _| crate::model::PageUrl { url: "/p".into(), is_index: false });
            let both = crate::render::render_page(&page, &ctx);
            let arena = Arena::new();
            let alone = render_body(&page, &ctx, &mut Trees::new(&arena), Target::Markdown, &mut RenderedPage::default());
            assert_eq!(both.markdown.text(), alone, "{text}");
            assert!(alone.contains("deeper") || alone.contains("Inside"), "{alone}");
        }
    }
}
