//! Lowercase HTML elements written as JSX, and components no table names (rendered
//! generically, their attributes kept as `data-*`).
//! Architecture invariant: an HTML element keeps only what the sanitiser keeps of raw HTML
//! (outside `html = "trusted"`), and every URL attribute follows the URL policy.

use super::{Target, children, inline_children, tpl};
use crate::config::HtmlMode;
use crate::diagnostics::Diagnostic;
use crate::parse::mdx::{AttrValue, Element};
use crate::parse::slug::attr_name;
use crate::render::highlight::escape_html;
use crate::render::markdown::Walker;
use crate::render::sanitize;
use minijinja::{Value, context};

/// Lowercase HTML tags passed through as HTML (with escaped attributes).
pub(super) const HTML_TAGS: &[&str] = &[
    "div",
    "span",
    "section",
    "aside",
    "figure",
    "figcaption",
    "details",
    "summary",
    "p",
    "br",
    "img",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "td",
    "th",
    "video",
    "picture",
    "source",
    "iframe",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "code",
    "pre",
    "sup",
    "sub",
    "kbd",
    "hr",
];

/// A lowercase HTML element, its attributes escaped: kept as the sanitiser keeps those of raw
/// HTML (with `html = "trusted"`, all but event handlers), URLs by the policy, reported.
pub(super) fn html_element(w: &mut Walker<'_, '_>, el: &Element) -> String {
    let body = children(w, el);
    if w.target == Target::Markdown {
        return body;
    }
    let tag = &el.name;
    let trusted = w.ctx.config.html == HtmlMode::Trusted;
    let mut attrs = String::new();
    for a in &el.attrs {
        let name = if a.name == "className" { "class" } else { a.name.as_str() };
        let lower = name.to_ascii_lowercase();
        if lower.starts_with("on") {
            continue;
        }
        let value = match &a.value {
            AttrValue::Str(s) => s.as_str(),
            AttrValue::Bool => "",
            AttrValue::Expr(e) => {
                attrs.push_str(&format!(" data-expr-{}=\"{}\"", escape_html(name), escape_html(e)));
                continue;
            }
        };
        if let Some(used) = sanitize::url_use(tag, &lower)
            && !w.url_allowed(value, used, (el.line, el.col), &format!("`<{tag} {name}>` URL"))
        {
            continue;
        }
        if !trusted && !sanitize::keeps_attr(tag, &lower, value) {
            continue;
        }
        match &a.value {
            AttrValue::Str(s) => attrs.push_str(&format!(" {}=\"{}\"", escape_html(name), escape_html(s))),
            _ => attrs.push_str(&format!(" {}", escape_html(name))),
        }
    }
    if el.children.is_none() && matches!(tag.as_str(), "br" | "img" | "hr" | "source") {
        format!("<{tag}{attrs}>")
    } else {
        format!("<{tag}{attrs}>{body}</{tag}>")
    }
}

/// Attributes whose values are words a reader should see, whatever the component.
const TEXT_ATTRS: &[&str] = &[
    "title",
    "label",
    "name",
    "heading",
    "subtitle",
    "description",
    "summary",
    "caption",
    "alt",
    "text",
    "tip",
    "question",
    "answer",
    "message",
];

/// An unknown component, rendered generically without losing text: its text attributes are
/// shown, `href` is a link, literal tabular data is a table and children are kept. Warned
/// once per component name on a page.
pub(super) fn unknown(w: &mut Walker<'_, '_>, el: &Element) -> String {
    let message = format!("unknown component <{}>; rendered generically (its text, links and children)", el.name);
    if !w.out.diags.iter().any(|d| d.code == "component.unknown" && d.message == message) {
        w.out.diags.push(
            Diagnostic::warning(&w.page.rel, el.line, el.col, "component.unknown", message)
                .with_hint("map it onto a family in vellum.toml: [components] Name = \"callout\""),
        );
    }
    let body = if el.inline { inline_children(w, el) } else { children(w, el) };
    let texts: Vec<String> =
        TEXT_ATTRS.iter().filter_map(|n| crate::render::families::text_attr(el, &[n])).filter(|t| !t.trim().is_empty()).collect();
    let href = crate::render::families::href_attr(w, el, &["href", "link", "url", "to"]);
    let tables = crate::render::families::literal_tables(w, el);
    match w.target {
        Target::Html => {
            let attrs: Vec<(String, String)> = el
                .attrs
                .iter()
                .filter_map(|a| match &a.value {
                    AttrValue::Str(s)
                        if !TEXT_ATTRS.contains(&a.name.as_str()) && !matches!(a.name.as_str(), "href" | "link" | "url" | "to") =>
                    {
                        Some((attr_name(&a.name), s.clone()))
                    }
                    _ => None,
                })
                .collect();
            tpl(
                w,
                "fallback",
                context! { name => el.name.clone(), inline => el.inline, attrs, texts, href, tables => Value::from_safe_string(tables), body => Value::from_safe_string(body) },
            )
        }
        Target::Markdown => {
            let mut parts: Vec<String> = texts.iter().map(|t| crate::render::families::twin_text(t)).collect();
            if let Some(h) = href {
                match parts.first_mut() {
                    Some(first) => *first = format!("[{first}]({h})"),
                    None => parts.push(format!("<{h}>")),
                }
            }
            if el.inline {
                parts.push(body);
                return parts.into_iter().filter(|p| !p.is_empty()).collect::<Vec<_>>().join(" ");
            }
            parts.push(tables);
            parts.push(body);
            parts.into_iter().filter(|p| !p.trim().is_empty()).map(|p| p.trim_end().to_string()).collect::<Vec<_>>().join("\n\n") + "\n"
        }
    }
}
