//! The Markdown layer: comrak parses each MDX document (JSX already replaced by slot tokens),
//! then one walk in document order rewrites the AST — slots become components, headings get
//! ids, fences get highlighted, the dialect's list syntaxes become tabs, stack variants and
//! accordions, directive containers and GitHub alerts become callouts — and comrak formats
//! the result as HTML or as Markdown. Fences are rendered by [`super::fence`], the line-level
//! syntaxes read before parsing by [`super::containers`].
//! Architecture invariant: the walk visits each node once, in document order, so heading ids
//! and link markers are numbered the same way for both targets.

use super::containers::{self, Container, Marks, Shape};
use super::fence::Fence;
pub(crate) use super::fence::{code_figure, fenced_md};
use super::highlight::escape_html;
use super::{Heading, LinkRef, RenderCtx, RenderedPage, Target, components, link_marker};
use crate::diagnostics::Diagnostic;
use crate::model::url::Use;
use crate::parse::ParsedPage;
use crate::parse::mdx::{self, MdxDoc};
use crate::parse::slug::{HeadingAttrs, Slugger, attr_name, slugify};
use comrak::nodes::{Ast, AstNode, LineColumn, NodeHtmlBlock, NodeValue};
use comrak::{Arena, Options, format_commonmark, format_html, parse_document};
use std::collections::HashMap;
use std::fmt::Write as _;

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
        let root = kept.unwrap_or_else(|| parse_document(arena, &md, &self.options));
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

    fn file_pos(&self, doc: &MdxDoc, line: usize, col: usize) -> (u32, u32) {
        (doc.first_line + line.max(1) as u32 - 1, col as u32 + doc.col_offset)
    }

    fn diag(&mut self, doc: &MdxDoc, line: usize, col: usize, code: &'static str, msg: impl Into<String>) {
        let (l, c) = self.file_pos(doc, line, col);
        self.out.diags.push(Diagnostic::warning(&self.page.rel, l, c, code, msg));
    }

    fn transform_children<'a>(&mut self, arena: &'a Arena<'a>, node: Node<'a>, doc: &MdxDoc, attrs: &Attrs) {
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
    }

    /// Gather `first` and the following siblings inside container `c` into a callout (or
    /// accordion, or plain group); returns the sibling after them.
    fn container<'a>(&mut self, arena: &'a Arena<'a>, first: Node<'a>, c: &Container, doc: &MdxDoc, attrs: &Attrs) -> Option<Node<'a>> {
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
    fn alert<'a>(&mut self, arena: &'a Arena<'a>, quote: Node<'a>, doc: &MdxDoc, attrs: &Attrs) -> bool {
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
                        .map(|el| components::render_element(self, el))
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
            Kind::BlockQuote => {
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

    fn text<'a>(&mut self, arena: &'a Arena<'a>, node: Node<'a>, doc: &MdxDoc) {
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
            let html = doc.elements.get(slot).map(|el| components::render_element(self, el)).unwrap_or_default();
            node.insert_before(new_node(arena, NodeValue::HtmlInline(html), 0));
            last = range.end;
        }
        if last < text.len() {
            node.insert_before(new_node(arena, NodeValue::Text(fixed(&text[last..], en).into()), 0));
        }
        node.detach();
    }

    fn heading<'a>(&mut self, arena: &'a Arena<'a>, node: Node<'a>, level: u8, first_block: bool, doc: &MdxDoc, attrs: &Attrs) {
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

    fn link(&mut self, node: Node<'_>, doc: &MdxDoc) {
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

    fn image<'a>(&mut self, arena: &'a Arena<'a>, node: Node<'a>, doc: &MdxDoc) {
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

    /// Consecutive `Term\n: Definition` paragraphs become one `<dl>`.
    fn definition_list<'a>(&mut self, arena: &'a Arena<'a>, first: Node<'a>, doc: &MdxDoc, attrs: &Attrs) -> Option<Node<'a>> {
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
    fn list<'a>(&mut self, arena: &'a Arena<'a>, list: Node<'a>, doc: &MdxDoc, attrs: &Attrs) -> Option<Node<'a>> {
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
                        let ItemKind::Stack(key, values, rest) = k else { continue };
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
        self.widget += 1;
        let n = self.widget;
        let titles: Vec<String> = kinds.iter().map(|k| if let ItemKind::Tab(t) = k { t.clone() } else { String::new() }).collect();
        let mut out = String::new();
        if self.target == Target::Html {
            out.push_str("<div class=\"tabs\"><div role=\"tablist\">");
            for (i, t) in titles.iter().enumerate() {
                out.push_str(&format!(
                    "<button type=\"button\" role=\"tab\" id=\"tab-{n}-{i}\" aria-controls=\"panel-{n}-{i}\" aria-selected=\"{}\" tabindex=\"{}\">{}</button>",
                    i == 0,
                    if i == 0 { 0 } else { -1 },
                    escape_html(t)
                ));
            }
            out.push_str("</div>");
        }
        for (i, (it, t)) in run.iter().zip(&titles).enumerate() {
            let body = self.item_body(arena, it, None, doc, attrs);
            match self.target {
                Target::Html => out.push_str(&format!(
                    "<section role=\"tabpanel\" id=\"panel-{n}-{i}\" aria-labelledby=\"tab-{n}-{i}\" tabindex=\"0\"><p class=\"tab-title\">{}</p>{body}</section>",
                    escape_html(t)
                )),
                Target::Markdown => out.push_str(&format!("**{t}**\n\n{body}\n")),
            }
        }
        if self.target == Target::Html {
            out.push_str("</div>");
        }
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

enum ItemKind {
    Plain,
    Tab(String),
    /// key, values, body text on the marker paragraph after its first line.
    Stack(String, Vec<String>, Option<String>),
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
            return ItemKind::Stack(key.trim().to_string(), values, rest);
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
fn is_definition(p: Node<'_>) -> bool {
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

/// Heading text for ids, the TOC and titles: text and code, without inline components.
fn heading_text(node: Node<'_>) -> String {
    node.collect_text()
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
        || url.starts_with(super::LINK_MARKER))
}

/// Opens and closes a held literal's token in the Markdown formatter's output.
const HOLD: (char, char) = ('\u{E002}', '\u{E003}');

/// Takes out the literals of fenced code and raw blocks (component twins), and the text
/// of long text runs, before the CommonMark formatter runs, leaving a short token in each:
/// the formatter copies text one character at a time (with an allocation each), which made
/// it the largest single cost of rendering. A literal is left in place when its fence could
/// change (it holds a fence run of its own) or when the page's text holds the token
/// characters; a text run keeps its first characters, whose escaping depends on where the
/// formatter is, and the rest is escaped here as the formatter would ([`escape_text`]).
fn hold_literals(root: Node<'_>, text: &str, options: &Options<'_>) -> Vec<String> {
    let mut held = Vec::new();
    if text.contains(HOLD.0) {
        return held;
    }
    for n in root.descendants() {
        let mut data = n.data_mut();
        if let NodeValue::Text(t) = &mut data.value {
            if let Some(split) = text_split(t).filter(|_| plain_text_parent(n)) {
                let in_table = n.ancestors().skip(1).any(|a| matches!(a.data().value, NodeValue::Table(_)));
                held.push(escape_text(t, split, in_table, options.extension.autolink));
                let t = t.to_mut();
                t.truncate(split);
                let _ = write!(t, "{}{}{}", HOLD.0, held.len() - 1, HOLD.1);
            }
            continue;
        }
        let lit = match &mut data.value {
            NodeValue::CodeBlock(c) if c.fenced && !c.info.is_empty() && !c.literal.contains("```") && !c.literal.contains("~~~") => {
                &mut c.literal
            }
            NodeValue::HtmlBlock(b) => &mut b.literal,
            _ => continue,
        };
        if lit.len() < 16 || !lit.ends_with('\n') || lit.starts_with('\n') || lit.contains(HOLD.0) || after_a_marker(n) {
            continue;
        }
        // The token keeps the literal's final newlines: the formatter counts them.
        let body = lit.trim_end_matches('\n');
        let token = format!("{}{}{}{}", HOLD.0, held.len(), HOLD.1, &lit[body.len()..]);
        held.push(body.to_string());
        *lit = token;
    }
    held
}

/// Where a text run is cut for [`hold_literals`]: after its leading digits and two more
/// characters (the formatter escapes a first `.`, `)`, `-`, `+` or `=` by what is around
/// it), past a final `&` (escaped by the letter after it); `None` when it is not worth it.
fn text_split(t: &str) -> Option<usize> {
    if t.len() < 24 || t.contains(HOLD.0) {
        return None;
    }
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    let mut split = digits + t[digits..].char_indices().nth(2)?.0;
    if t.as_bytes()[split - 1] == b'&' {
        split += t[split..].chars().next()?.len_utf8();
    }
    (split < t.len()).then_some(split)
}

/// A text run the formatter writes as it is: not inside emphasis (it entity-encodes edge
/// spaces there) nor a link or image (it compares a link's text with its URL).
fn plain_text_parent(n: Node<'_>) -> bool {
    n.parent().is_some_and(|p| matches!(p.data().value, NodeValue::Paragraph | NodeValue::Heading(_) | NodeValue::TableCell))
}

/// `t[from..]` escaped as comrak's CommonMark formatter escapes text away from the start
/// of a line: ASCII controls as entities (NUL as U+FFFD), the punctuation that could start
/// Markdown syntax with a backslash (`@` too with autolinks), `&` before a letter, `|`
/// inside a table.
fn escape_text(t: &str, from: usize, in_table: bool, autolink: bool) -> String {
    let b = t.as_bytes();
    let mut out = String::with_capacity(t.len() - from + 8);
    for (i, c) in t[from..].char_indices() {
        let i = from + i;
        if in_table && c == '|' {
            out.push('\\');
        }
        let escape = c.is_ascii()
            && (c < ' '
                || matches!(c, '*' | '_' | '[' | ']' | '#' | '<' | '>' | '\\' | '`' | '~' | '!')
                || (autolink && c == '@')
                || (c == '&' && b.get(i + 1).is_some_and(u8::is_ascii_alphabetic)));
        match c {
            _ if !escape => out.push(c),
            '\0' => out.push('\u{fffd}'),
            _ if c.is_ascii_punctuation() => {
                out.push('\\');
                out.push(c);
            }
            _ => {
                let _ = write!(out, "&#{};", c as u32);
            }
        }
    }
    out
}

/// Whether a block starts on the line of a list item's marker (`- `, `1. `), where the
/// text before it is not the prefix of its following lines.
fn after_a_marker(node: Node<'_>) -> bool {
    let mut n = node;
    while n.previous_sibling().is_none() {
        let Some(parent) = n.parent() else { return false };
        match parent.data().value {
            NodeValue::Document => return false,
            NodeValue::BlockQuote => n = parent,
            _ => return true,
        }
    }
    false
}

/// Puts held literals back into formatted Markdown. The formatter writes its line prefix
/// (list indentation, `> `) before each line of a literal, so each line after a token's
/// first gets the text that precedes the token on its line.
fn restore_literals(s: &str, held: &[String]) -> String {
    let mut out = String::with_capacity(s.len() + held.iter().map(String::len).sum::<usize>() * 2);
    let mut rest = s;
    while let Some(k) = rest.find(HOLD.0) {
        let Some(end) = rest[k..].find(HOLD.1).map(|e| k + e) else { break };
        let Some(lit) = rest[k + HOLD.0.len_utf8()..end].parse::<usize>().ok().and_then(|i| held.get(i)) else { break };
        out.push_str(&rest[..k]);
        let prefix = &out[out.rfind('\n').map_or(0, |i| i + 1)..];
        let prefix = prefix.to_string();
        if prefix.is_empty() {
            out.push_str(lit);
        } else {
            for (i, line) in lit.split('\n').enumerate() {
                if i > 0 {
                    out.push('\n');
                    out.push_str(&prefix);
                }
                out.push_str(line);
            }
        }
        rest = &rest[end + HOLD.1.len_utf8()..];
    }
    out.push_str(rest);
    out
}

/// A copy of the tree under `root`, allocated in `arena` (iterative: trees can be deep).
fn deep_copy<'a>(arena: &'a Arena<'a>, root: Node<'a>) -> Node<'a> {
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

fn new_node<'a>(arena: &'a Arena<'a>, value: NodeValue, line: usize) -> Node<'a> {
    arena.alloc(AstNode::from(Ast::new(value, LineColumn { line, column: 1 })))
}

fn new_block<'a>(arena: &'a Arena<'a>, literal: String) -> Node<'a> {
    new_node(arena, NodeValue::HtmlBlock(NodeHtmlBlock { block_type: 6, literal: ensure_newline(literal) }), 0)
}

fn ensure_newline(mut s: String) -> String {
    if !s.ends_with('\n') {
        s.push('\n');
    }
    s
}

fn replace_with_block<'a>(arena: &'a Arena<'a>, node: Node<'a>, literal: String) {
    if !literal.trim().is_empty() {
        node.insert_before(new_block(arena, literal));
    }
    node.detach();
}

/// Surround a block with raw open/close markup, keeping its children as Markdown nodes.
fn wrap<'a>(arena: &'a Arena<'a>, node: Node<'a>, open: &str, close: &str) {
    node.insert_before(new_block(arena, open.to_string()));
    for c in node.children().collect::<Vec<_>>() {
        node.insert_before(c);
    }
    node.insert_before(new_block(arena, close.to_string()));
    node.detach();
}

/// Replace a block by its children (in the twin, a container's content stands unquoted).
fn wrap_md(node: Node<'_>) {
    for c in node.children().collect::<Vec<_>>() {
        node.insert_before(c);
    }
    node.detach();
}

/// A paragraph holding `**text**`.
fn strong_paragraph<'a>(arena: &'a Arena<'a>, text: &str) -> Node<'a> {
    let p = new_node(arena, NodeValue::Paragraph, 0);
    let strong = new_node(arena, NodeValue::Strong, 0);
    strong.append(new_node(arena, NodeValue::Text(text.to_string().into()), 0));
    p.append(strong);
    p
}

fn render_html_of(node: Node<'_>, options: &Options<'_>) -> String {
    let mut s = String::new();
    let _ = format_html(node, options, &mut s);
    s
}

fn render_md_of(node: Node<'_>, options: &Options<'_>) -> String {
    let mut s = String::new();
    let _ = format_commonmark(node, options, &mut s);
    s
}

/// A heading's HTML without its `<a class="anchor">` link.
fn strip_anchor(heading: &str) -> String {
    match (heading.find("<a class=\"anchor\""), heading.rfind("</a>")) {
        (Some(a), Some(b)) if b > a => format!("{}{}", &heading[..a], &heading[b + 4..]),
        _ => heading.to_string(),
    }
}

/// The content of `<p>…</p>\n` or `<h2>…</h2>\n`.
fn inner_html(html: &str) -> String {
    let t = html.trim_end();
    let start = t.find('>').map(|i| i + 1).unwrap_or(0);
    let end = t.rfind("</").filter(|&e| e >= start).unwrap_or(t.len());
    t[start..end].to_string()
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

    #[test]
    fn callouts() {
        assert_eq!(callout_kind("Note: x"), Some("note"));
        assert_eq!(callout_kind("Important: x"), Some("important"));
        assert_eq!(callout_kind("Known issue: x"), Some("warning"));
        assert_eq!(callout_kind("Noted"), None);
    }

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

#[cfg(test)]
mod hold_tests {
    use super::*;

    fn format(text: &str, hold: bool) -> String {
        let arena = Arena::new();
        let options = options();
        let root = parse_document(&arena, text, &options);
        let held = if hold { hold_literals(root, text, &options) } else { Vec::new() };
        assert_eq!(held.is_empty(), !hold, "{text:?}");
        let mut s = String::new();
        format_commonmark(root, &options, &mut s).unwrap();
        restore_literals(&s, &held)
    }

    #[test]
    fn held_literals_format_exactly_as_the_formatter_writes_them() {
        let code = "```js\nlet a = 1;\n\n  let b = [a];\n```\n";
        let cases = [
            format!("Intro.\n\n{code}\nAfter.\n"),
            format!("- item one\n\n  {}\n- item two\n", code.replace('\n', "\n  ")),
            format!("1. first\n   1. nested\n\n      {}\n", code.replace('\n', "\n      ")),
            format!("> quoted\n>\n> {}\n", code.replace('\n', "\n> ")),
            "<div class=\"x\">\n<p>raw block</p>\n\n\n".to_string() + "\ntext\n",
            format!("- item\n\n  <section>\n  <p>raw in a list</p>\n  </section>\n\n  {}", code.replace('\n', "\n  ")),
            "1\\. A list-like start, then *stars*, _under_, [brackets], #hash, <tag>, \\\\, `tick`, ~tilde, !bang &amp; &x @at\n"
                .to_string(),
            "| Column | Other |\n| --- | --- |\n| a long cell with a \\| pipe and &copy; more | x &#0; y &lt; z 12345678901234567890 |\n"
                .to_string(),
            "12\\) twelve then a long run of text & more text &\n\n- \\+ plus starts this long item text\n".to_string(),
        ];
        for text in &cases {
            assert_eq!(format(text, true), format(text, false), "{text}");
        }
    }
}
