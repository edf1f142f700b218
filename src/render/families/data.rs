//! Families that present data: API fields, property tables from inline literals, file trees
//! and code given inline.

use super::*;
use crate::render::fence::{code_figure, fenced_md};
use minijinja::context;
use serde_json::Value as Json;

/// Nested tables deeper than this are shown as JSON text.
const MAX_TABLE_DEPTH: usize = 4;

/// Attributes that carry a field's name, and where the parameter goes when the attribute says.
const FIELD_NAMES: &[(&str, Option<&str>)] = &[
    ("name", None),
    ("path", Some("path")),
    ("query", Some("query")),
    ("body", Some("body")),
    ("header", Some("header")),
    ("param", None),
    ("field", None),
];

pub(super) fn field(w: &mut Walker<'_, '_>, el: &Element) -> String {
    let (name, place) =
        FIELD_NAMES.iter().find_map(|(n, place)| text_attr(el, &[n]).map(|v| (v, place.map(str::to_string)))).unwrap_or_default();
    let type_ = text_attr(el, &["type"]);
    let default = text_attr(el, &["default", "defaultValue"]);
    let required = flag_attr(el, "required");
    let deprecated = flag_attr(el, "deprecated");
    let body = children(w, el);
    if !html(w) {
        let mut head = format!("**`{name}`**");
        for part in
            [type_.map(|t| format!("`{t}`")), place, required.then(|| "required".into()), default.map(|d| format!("default: `{d}`"))]
                .into_iter()
                .flatten()
        {
            head.push_str(" · ");
            head.push_str(&part);
        }
        return md_block(&head, &body);
    }
    tpl(w, "field", context! { name, type => type_, place, required, deprecated, default, body => safe(body) })
}

/// Rows of a literal: an array of objects, or an object of objects (the key is the name).
fn rows_of(v: &Json) -> Option<Vec<(Option<String>, &serde_json::Map<String, Json>)>> {
    match v {
        Json::Array(a) if !a.is_empty() && a.iter().all(Json::is_object) => {
            Some(a.iter().filter_map(|o| Some((None, o.as_object()?))).collect())
        }
        Json::Object(m) if !m.is_empty() && m.values().all(Json::is_object) => {
            Some(m.iter().filter_map(|(k, o)| Some((Some(k.clone()), o.as_object()?))).collect())
        }
        _ => None,
    }
}

/// Column headers for the usual property keys; other keys are their own heading.
fn heading(key: &str) -> String {
    match key {
        "name" | "key" | "property" | "field" => "Name".into(),
        "type" | "typeDescription" => "Type".into(),
        "default" | "defaultValue" => "Default".into(),
        "isOptional" | "optional" | "required" => "Required".into(),
        "description" | "desc" => "Description".into(),
        k => {
            let mut c = k.chars();
            c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
        }
    }
}

/// A table's cells for one target: scalars as text, nested rows as a nested table.
struct Table {
    columns: Vec<String>,
    rows: Vec<Vec<Cell>>,
}

enum Cell {
    Text(String),
    /// Types and defaults: code, as the tools show them.
    Code(String),
    Table(Table),
}

fn table_of(v: &Json, depth: usize) -> Option<Table> {
    let rows = rows_of(v)?;
    let mut keys: Vec<String> = Vec::new();
    if rows.iter().any(|(k, _)| k.is_some()) {
        keys.push("name".into());
    }
    for (_, o) in &rows {
        for k in o.keys() {
            let col = heading(k);
            if !keys.iter().any(|have| heading(have) == col) {
                keys.push(k.clone());
            }
        }
    }
    let columns: Vec<String> = keys.iter().map(|k| heading(k)).collect();
    let rows = rows
        .iter()
        .map(|(name, o)| {
            columns
                .iter()
                .map(|col| {
                    if col == "Name"
                        && let Some(n) = name
                    {
                        return Cell::Text(n.clone());
                    }
                    let value = o.iter().find(|(k, _)| heading(k) == *col).map(|(k, v)| (k.as_str(), v));
                    match value {
                        // Where the data marks optional entries, an unmarked one is required.
                        None if col == "Required" && keys.iter().any(|k| matches!(k.as_str(), "isOptional" | "optional")) => {
                            Cell::Text("yes".into())
                        }
                        None => Cell::Text(String::new()),
                        Some(("isOptional" | "optional", Json::Bool(b))) => Cell::Text(if *b { "no" } else { "yes" }.into()),
                        Some((_, Json::Bool(b))) => Cell::Text(if *b { "yes" } else { "no" }.into()),
                        Some((_, Json::String(s))) if matches!(col.as_str(), "Type" | "Default") => Cell::Code(s.clone()),
                        Some((_, v @ Json::Number(_))) if col == "Default" => Cell::Code(v.to_string()),
                        Some((_, Json::String(s))) => Cell::Text(s.clone()),
                        Some((_, Json::Null)) => Cell::Text(String::new()),
                        Some((_, v)) => match (depth < MAX_TABLE_DEPTH).then(|| table_of(v, depth + 1)).flatten() {
                            Some(t) => Cell::Table(t),
                            None => Cell::Text(flat_text(v)),
                        },
                    }
                })
                .collect()
        })
        .collect();
    Some(Table { columns, rows })
}

/// A nested value as readable text: arrays and objects of scalars joined.
fn flat_text(v: &Json) -> String {
    match v {
        Json::String(s) => s.clone(),
        Json::Array(a) => a.iter().map(flat_text).collect::<Vec<_>>().join(", "),
        Json::Object(m) => m.iter().map(|(k, v)| format!("{k}: {}", flat_text(v))).collect::<Vec<_>>().join("; "),
        v => v.to_string(),
    }
}

fn table_html(w: &mut Walker<'_, '_>, t: &Table) -> String {
    let rows: Vec<Vec<Value>> = t
        .rows
        .iter()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Cell::Text(s) => Value::from(s.as_str()),
                    Cell::Code(s) => safe(format!("<code>{}</code>", crate::render::highlight::escape_html(s))),
                    Cell::Table(t) => safe(table_html(w, t)),
                })
                .collect()
        })
        .collect();
    tpl(w, "prop-table", context! { columns => t.columns.clone(), rows })
}

fn cell_md(c: &Cell) -> String {
    match c {
        Cell::Text(s) => s.replace('|', "\\|").replace('\n', " "),
        Cell::Code(s) if s.is_empty() => String::new(),
        Cell::Code(s) => format!("`{}`", s.replace('|', "\\|").replace('\n', " ")),
        // A table cannot nest in Markdown: each nested row becomes `a: b` items.
        Cell::Table(t) => t
            .rows
            .iter()
            .map(|r| r.iter().map(cell_md).filter(|s| !s.is_empty()).collect::<Vec<_>>().join(": "))
            .collect::<Vec<_>>()
            .join("; "),
    }
}

fn table_md(t: &Table) -> String {
    let mut out = format!("| {} |\n|{}\n", t.columns.join(" | "), " --- |".repeat(t.columns.len()));
    for r in &t.rows {
        out.push_str(&format!("| {} |\n", r.iter().map(cell_md).collect::<Vec<_>>().join(" | ")));
    }
    out
}

/// Every attribute of `el` whose value is literal tabular data, rendered as tables.
pub(in crate::render) fn literal_tables(w: &mut Walker<'_, '_>, el: &Element) -> String {
    let mut out = String::new();
    for a in &el.attrs {
        let AttrValue::Expr(e) = &a.value else { continue };
        if !e.trim_start().starts_with(['[', '{']) {
            continue;
        }
        let Some(t) = crate::convention::js::literal(e).and_then(|v| table_of(&v, 0)) else { continue };
        out.push_str(&if html(w) { table_html(w, &t) } else { table_md(&t) });
    }
    out
}

pub(super) fn prop_table(w: &mut Walker<'_, '_>, el: &Element) -> String {
    let tables = literal_tables(w, el);
    let body = children(w, el);
    if tables.is_empty() && body.trim().is_empty() {
        return super::super::components::placeholder(w, el, Family::DataTable);
    }
    format!("{tables}{body}")
}

pub(super) fn file_tree(w: &mut Walker<'_, '_>, el: &Element, f: Family) -> String {
    let name = text_attr(el, &["name", "title", "label"]).unwrap_or_default();
    let body = children(w, el);
    if !html(w) {
        return match f {
            Family::FileTree => body,
            Family::Folder => {
                let inner: String = body.lines().filter(|l| !l.trim().is_empty()).map(|l| format!("  {l}\n")).collect();
                format!("- {name}/\n{inner}")
            }
            _ => format!("- {name}\n"),
        };
    }
    let kind = match f {
        Family::FileTree => "tree",
        Family::Folder => "folder",
        _ => "file",
    };
    let list = !kids(w, el, Family::Folder).is_empty() || !kids(w, el, Family::File).is_empty();
    tpl(w, "file-tree", context! { kind, name, list, body => safe(body) })
}

/// `<Code code="…" lang="js" title="x.js">`, or a `<CodeBlock language>` whose child is the code.
pub(super) fn code_literal(w: &mut Walker<'_, '_>, el: &Element) -> String {
    let code = text_attr(el, &["code"])
        .or_else(|| el.expression_child.clone())
        .or_else(|| el.children.as_ref().map(|c| c.markdown.trim_matches('\n').to_string()));
    let lang = text_attr(el, &["lang", "language"]).unwrap_or_default();
    let title = text_attr(el, &["title", "filename"]);
    let Some(code) = code.filter(|c| !c.trim().is_empty()) else {
        return super::super::components::placeholder(w, el, Family::CodeLiteral);
    };
    if html(w) {
        code_figure(&lang, title.as_deref(), &code, None)
    } else {
        let fence = fenced_md(&lang, &code);
        title.map_or(fence.clone(), |t| format!("_{t}_\n\n{fence}"))
    }
}
