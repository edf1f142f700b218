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
