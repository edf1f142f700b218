//! The canonical component families other docs tools share (tabs, steps, cards, accordions,
//! API fields, property tables, file trees, badges, frames, inline code, tooltips, changelog
//! updates), each rendered once for HTML (a template in `templates/components/`, which a theme
//! can override) and once for the Markdown twin. Which names map here is the convention's
//! component table; this module names no tool.
//! Invariant: no text of the source is dropped: every label, title and description attribute
//! reaches both targets, and attribute values reach HTML escaped (templates autoescape).

mod data;
pub(super) use data::literal_tables;
mod layout;

use super::Target;
use super::components::{TabPanel, children, family, inline_children, internal_href, tab_widget, tpl};
use super::markdown::Walker;
use crate::model::family::Family;
use crate::parse::mdx::{AttrValue, Element, literal_text};
use minijinja::Value;

/// Render `el` of one of this module's families.
pub(super) fn render(w: &mut Walker<'_, '_>, el: &Element, f: Family) -> String {
    match f {
        Family::Tabs => layout::tabs(w, el),
        Family::Tab => layout::lone_tab(w, el),
        Family::Steps => layout::steps(w, el),
        Family::Step => layout::lone_step(w, el),
        Family::Card => layout::card(w, el),
        Family::CardGrid | Family::AccordionGroup => layout::group(w, el, f),
        Family::Accordion => layout::accordion(w, el),
        Family::Frame => layout::frame(w, el),
        Family::Tooltip => layout::tooltip(w, el),
        Family::Update => layout::update(w, el),
        Family::Badge => layout::badge(w, el),
        Family::CodeGroup => layout::code_group(w, el),
        Family::Field => data::field(w, el),
        Family::PropTable => data::prop_table(w, el),
        Family::FileTree | Family::Folder | Family::File => data::file_tree(w, el, f),
        Family::CodeLiteral => data::code_literal(w, el),
        _ => String::new(),
    }
}

/// The text of the first of `names` that is set: a string, or an expression that is a literal
/// (`title={"A"}`, ``label={`B`}``).
pub(super) fn text_attr(el: &Element, names: &[&str]) -> Option<String> {
    names.iter().find_map(|n| {
        el.attrs.iter().find(|a| a.name == *n).and_then(|a| match &a.value {
            AttrValue::Str(s) => Some(s.clone()),
            AttrValue::Expr(e) => literal_text(e),
            AttrValue::Bool => None,
        })
    })
}

/// Whether boolean attribute `name` is set and not `false` (`required`, `required={true}`).
pub(super) fn flag_attr(el: &Element, name: &str) -> bool {
    el.attrs.iter().any(|a| {
        a.name == name
            && match &a.value {
                AttrValue::Bool => true,
                AttrValue::Str(s) => s != "false",
                AttrValue::Expr(e) => e.trim() != "false",
            }
    })
}

/// A link attribute: refused by the URL policy (reported, left out), or kept, with internal
/// targets as link markers the site stage resolves and checks.
pub(super) fn href_attr(w: &mut Walker<'_, '_>, el: &Element, names: &[&str]) -> Option<String> {
    let (name, url) = names.iter().find_map(|n| text_attr(el, &[n]).map(|u| (*n, u)))?;
    let what = format!("`<{} {name}>` URL", el.name);
    w.url_allowed(&url, crate::model::url::Use::Link, (el.line, el.col), &what).then(|| internal_href(w, &url, el))
}

/// The children rendered as blocks (`inline` elements keep their text inline).
pub(super) fn body(w: &mut Walker<'_, '_>, el: &Element) -> String {
    if el.inline { inline_children(w, el) } else { children(w, el) }
}

/// Direct child elements of `el` whose family is `f`.
pub(super) fn kids<'e>(w: &Walker<'_, '_>, el: &'e Element, f: Family) -> Vec<&'e Element> {
    el.children.iter().flat_map(|c| c.elements.iter()).filter(|c| family(w, c) == Some(f)).collect()
}

/// Rendered HTML passed to a template unescaped.
pub(super) fn safe(s: String) -> Value {
    Value::from_safe_string(s)
}

/// A Markdown twin block: `head` on its own paragraph, then the body.
pub(super) fn md_block(head: &str, body: &str) -> String {
    let body = body.trim_end();
    match (head.is_empty(), body.is_empty()) {
        (true, _) => format!("{body}\n"),
        (false, true) => format!("{head}\n"),
        (false, false) => format!("{head}\n\n{body}\n"),
    }
}

/// Is the walker writing HTML?
pub(super) fn html(w: &Walker<'_, '_>) -> bool {
    w.target == Target::Html
}

/// Attribute text for the Markdown twin: a `<` that was text in the source stays text there.
pub(super) fn twin_text(s: &str) -> String {
    s.replace('<', "\\<")
}
