//! Lowercase HTML elements written as JSX, and components no table names (rendered
//! generically, their attributes kept as `data-*`).
//! Architecture invariant: an HTML element keeps only what the sanitiser keeps of raw HTML
//! (outside `html = "trusted"`), and every URL attribute follows the URL policy.

use super::{Target, children, inline_children, tpl};
use crate::diagnostics::Diagnostic;
use crate::parse::mdx::{AttrValue, Element};
use crate::parse::slug::attr_name;
use crate::render::highlight::escape_html;
use crate::render::markdown::Walker;
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

pub(super) fn html_element(w: &mut Walker<'_, '_>, el: &Element) -> String {
    let body = children(w, el);
    if w.target == Target::Markdown {
        return body;
    }
    let attrs: String = el
        .attrs
        .iter()
        .filter(|a| !a.name.to_ascii_lowercase().starts_with("on"))
        .map(|a| {
            let name = if a.name == "className" { "class" } else { a.name.as_str() };
            match &a.value {
                AttrValue::Str(s) => format!(" {}=\"{}\"", escape_html(name), escape_html(s)),
                AttrValue::Bool => format!(" {}", escape_html(name)),
                AttrValue::Expr(e) => format!(" data-expr-{}=\"{}\"", escape_html(name), escape_html(e)),
            }
        })
        .collect();
    let tag = &el.name;
    if el.children.is_none() && matches!(tag.as_str(), "br" | "img" | "hr" | "source") {
        format!("<{tag}{attrs}>")
    } else {
        format!("<{tag}{attrs}>{body}</{tag}>")
    }
}

pub(super) fn unknown(w: &mut Walker<'_, '_>, el: &Element) -> String {
    w.out.diags.push(
        Diagnostic::warning(
            &w.page.rel,
            el.line,
            el.col,
            "component.unknown",
            format!("unknown component <{}>; its children are rendered as is", el.name),
        )
        .with_hint("vellum renders unknown components generically"),
    );
    let body = if el.inline { inline_children(w, el) } else { children(w, el) };
    let attrs: Vec<(String, String)> = el
        .attrs
        .iter()
        .map(|a| {
            let v = match &a.value {
                AttrValue::Str(s) => s.clone(),
                AttrValue::Bool => "true".into(),
                AttrValue::Expr(e) => e.clone(),
            };
            (attr_name(&a.name), v)
        })
        .collect();
    match w.target {
        Target::Html => tpl(
            w,
            "fallback",
            context! { name => el.name.clone(), inline => el.inline, empty => el.children.is_none(), attrs, body => Value::from_safe_string(body) },
        ),
        Target::Markdown => body,
    }
}

