//! The code-sample family: `<CodeBlock file=…>` and its tabs, read from the snippet
//! directory, and the API reference entries a `referenceId` places beside them (or, unplaced,
//! after the body).
//! Architecture invariant: a snippet is named by its path inside the snippet directory; no
//! file is read here (snippets are loaded before render).

use super::{LinkRef, TabPanel, Target, children, link_marker, tab_widget, tpl};
use crate::diagnostics::Diagnostic;
use crate::model::url::{self, Use};
use crate::parse::mdx::Element;
use crate::render::highlight::escape_html;
use crate::render::markdown::{Walker, code_figure, fenced_md};
use crate::site::reference::EntrySet;
use minijinja::{Value, context};

/// One sample of a code block: the element that names its file, its tab title, file and language.
struct Part<'e> {
    named_by: &'e Element,
    title: Option<&'e str>,
    file: Option<&'e str>,
    lang: Option<&'e str>,
}

pub(super) fn code_block(w: &mut Walker<'_, '_>, el: &Element) -> String {
    let tabs: Vec<&Element> = el.child_elements().filter(|c| c.name == "CodeBlockTab").collect();
    let mut parts: Vec<Part<'_>> = Vec::new();
    if tabs.is_empty() {
        parts.push(Part { named_by: el, title: None, file: el.attr("file"), lang: el.attr("language") });
    } else {
        if el.attr("file").is_some() {
            parts.push(Part { named_by: el, title: el.attr("title"), file: el.attr("file"), lang: None });
        }
        parts.extend(tabs.iter().map(|t| Part { named_by: t, title: t.attr("title"), file: t.attr("file"), lang: t.attr("language") }));
    }
    let title = el.attr("title");
    // A refused URL is not written anywhere, not even as the figure's `data-file`.
    let shown_file = el.attr("file").filter(|f| url::check(f, Use::Link).is_ok());
    let mut reference = String::new();
    if let Some(id) = el.attr("referenceId") {
        match w.ctx.references.lookup_id(&w.page.rel, id) {
            Some(set) => {
                w.placed.insert(set.id.clone());
                reference = reference_block(w, set);
            }
            None => w.out.diags.push(Diagnostic::warning(
                &w.page.rel,
                el.line,
                el.col,
                "codeblock.referenceId-unresolved",
                format!("referenceId \"{id}\" matches no reference entry of this page"),
            )),
        }
    }
    // Fenced children (the demo form) are ordinary code blocks inside the figure.
    let fence_children = if tabs.is_empty() && el.children.is_some() { children(w, el) } else { String::new() };
    let mut samples = Vec::new();
    for p in &parts {
        let Some(file) = p.file else { continue };
        samples.push(sample(w, p.named_by, p.title, file, p.lang));
    }
    match w.target {
        Target::Html => {
            let (tablist, body) = if samples.len() > 1 {
                let panels = samples
                    .iter()
                    .map(|s| TabPanel {
                        label: s.title.clone().unwrap_or_else(|| s.lang.clone().unwrap_or_default()),
                        lang: s.lang.clone(),
                        body: s.html.clone(),
                    })
                    .collect();
                (tab_widget(w, panels, 0, None, Some(title.unwrap_or("Code samples")), true), String::new())
            } else {
                (String::new(), samples.iter().map(|s| s.html.as_str()).collect())
            };
            let figure = tpl(
                w,
                "code-block",
                context! {
                    title, file => shown_file, reference_id => el.attr("referenceId"),
                    tablist => Value::from_safe_string(tablist), body => Value::from_safe_string(format!("{body}{fence_children}")),
                },
            );
            if reference.is_empty() { figure } else { format!("<div class=\"api-pair\">{reference}{figure}</div>") }
        }
        Target::Markdown => {
            let mut out = reference;
            let missing: Vec<&Sample> = samples.iter().filter(|s| s.missing).collect();
            if !missing.is_empty() && missing.len() == samples.len() {
                let names: Vec<String> = samples.iter().filter_map(|s| s.title.clone()).collect();
                let file = shown_file.or(missing[0].file.as_deref()).unwrap_or("");
                let tabs = if names.is_empty() { String::new() } else { format!("; tabs: {}", names.join(", ")) };
                out.push_str(&format!("\n_Code sample: {} ({file}{tabs}) — not available_\n", title.unwrap_or("code")));
            } else {
                if let Some(t) = title {
                    out.push_str(&format!("\n{t}:\n\n"));
                }
                for s in &samples {
                    out.push_str(&s.md);
                }
            }
            out.push_str(&fence_children);
            out
        }
    }
}

struct Sample {
    title: Option<String>,
    lang: Option<String>,
    file: Option<String>,
    html: String,
    md: String,
    missing: bool,
}

fn sample(w: &mut Walker<'_, '_>, el: &Element, title: Option<&str>, file: &str, lang: Option<&str>) -> Sample {
    let mut s = Sample {
        title: title.map(str::to_string),
        lang: lang.map(str::to_string),
        file: Some(file.to_string()),
        html: String::new(),
        md: String::new(),
        missing: false,
    };
    if file.contains("://") || url::has_scheme(file) {
        if !w.url_allowed(file, Use::Link, (el.line, el.col), &format!("`<{} file>` URL", el.name)) {
            s.missing = true;
            s.file = None;
            s.html = "<pre class=\"missing-snippet\">[code sample refused]</pre>".into();
            return s;
        }
        let href = escape_html(file);
        s.html = format!("<p class=\"external-sample\"><a href=\"{href}\">{href}</a></p>");
        s.md = format!("[{file}]({file})\n");
        return s;
    }
    if file.starts_with('/') || file.split(['/', '\\']).any(|seg| seg == "..") {
        w.out.diags.push(
            Diagnostic::error(
                &w.page.rel,
                el.line,
                el.col,
                "snippet.path-escape",
                format!("snippet path \"{file}\" leaves the snippet directory"),
            )
            .with_hint("name a snippet by its path inside the snippet directory"),
        );
        s.missing = true;
        s.html = format!("<pre class=\"missing-snippet\">[code sample \"{}\" refused]</pre>", escape_html(file));
        return s;
    }
    let found = w.ctx.snippets.by_name.get(file).cloned().unwrap_or_default();
    let chosen: Vec<_> = match lang {
        Some(l) => found.iter().filter(|v| v.lang == l).collect(),
        None => found.iter().collect(),
    };
    let chosen = if chosen.is_empty() { found.iter().collect() } else { chosen };
    if chosen.is_empty() {
        w.out.diags.push(Diagnostic::warning(
            &w.page.rel,
            el.line,
            el.col,
            "snippet.missing",
            format!("code sample \"{file}\" not found in the snippet directory"),
        ));
        s.missing = true;
        s.html = format!("<pre class=\"missing-snippet\">[code sample \"{}\" not available]</pre>", escape_html(file));
        return s;
    }
    for v in chosen {
        s.lang.get_or_insert_with(|| v.lang.clone());
        let data = format!(" data-sdk=\"{}\"", escape_html(&v.lang));
        s.html.push_str(&code_figure(&v.lang, None, &v.code, Some(&data)));
        s.md.push_str(&fenced_md(&v.lang, &v.code));
        s.md.push('\n');
    }
    s
}

/// An API reference entry set for the walker's target; internal links in its descriptions
/// become link markers like any other link of the page.
fn reference_block(w: &mut Walker<'_, '_>, set: &EntrySet) -> String {
    let first = w.out.links.len();
    let found = std::sync::Mutex::new(Vec::new());
    let refused = std::sync::Mutex::new(Vec::new());
    let (raw, rel) = (&w.page.raw, &w.page.rel);
    let mark = |url: &str| -> String {
        // Description links live in the frontmatter: point at the URL's first use there.
        let at = || match raw.find(&format!("]({url}")) {
            Some(at) => {
                let before = &raw[..at];
                (before.matches('\n').count() as u32 + 1, (at - before.rfind('\n').map(|n| n + 1).unwrap_or(0)) as u32 + 3)
            }
            None => (0, 0),
        };
        if let Err(why) = url::check(url, Use::Link) {
            let (line, col) = at();
            refused.lock().unwrap_or_else(|e| e.into_inner()).push(crate::render::urls::refused(rel, line, col, "link to", url, &why));
            return "#".into();
        }
        if !crate::render::markdown::is_internal(url) {
            return url.to_string();
        }
        let (line, col) = at();
        let mut f = found.lock().unwrap_or_else(|e| e.into_inner());
        f.push(LinkRef { url: url.to_string(), line, col });
        link_marker(first + f.len() - 1)
    };
    let out = match w.target {
        Target::Html => {
            let html = crate::render::reference::render_entry_html(set, &|md: &str| crate::render::text::markdown_to_html_with(md, &mark));
            // A heading of the same name already holds the id (its anchor): ids must be unique.
            let section = format!("<section class=\"api-entry\" id=\"{}\">", escape_html(&set.id));
            if w.out.headings.iter().any(|h| h.id == set.id) { html.replacen(&section, "<section class=\"api-entry\">", 1) } else { html }
        }
        Target::Markdown => crate::render::reference::render_entry_markdown(set, &mark),
    };
    w.out.links.extend(found.into_inner().unwrap_or_else(|e| e.into_inner()));
    w.out.diags.extend(refused.into_inner().unwrap_or_else(|e| e.into_inner()));
    out
}

/// Entry sets of the page that no `<CodeBlock referenceId>` placed, rendered after the body.
pub(crate) fn unplaced_references(w: &mut Walker<'_, '_>) -> String {
    let refs = w.ctx.references;
    let sets = refs.page_entries(&w.page.rel);
    let mut out = String::new();
    for set in sets {
        if !w.placed.contains(&set.id) {
            out.push_str(&reference_block(w, set));
            out.push('\n');
        }
    }
    out
}
