//! Families that arrange their children: tabs, steps, cards and grids, accordions, frames,
//! tooltips, changelog updates, badges and code groups.

use super::*;
use minijinja::context;

/// Tab `i`'s label: its own `label`/`title`, the `values` entry of its `value`, the Tabs'
/// `items[i]`, its `value`, else its number.
fn tab_label(tab: &Element, i: usize, items: &[String], values: &[(String, String)]) -> String {
    if let Some(l) = text_attr(tab, &["label", "title"]) {
        return l;
    }
    let value = text_attr(tab, &["value"]);
    if let Some(v) = &value
        && let Some((_, l)) = values.iter().find(|(val, _)| val == v)
    {
        return l.clone();
    }
    items.get(i).cloned().or(value).unwrap_or_else(|| format!("Tab {}", i + 1))
}

/// `items={['npm', 'pnpm']}` (Nextra, Fumadocs), and Docusaurus' `values={[{label, value}]}`.
fn tab_items(el: &Element) -> (Vec<String>, Vec<(String, String)>) {
    let expr = |n: &str| {
        el.attrs.iter().find(|a| a.name == n).and_then(|a| match &a.value {
            AttrValue::Expr(e) => crate::convention::js::literal(e),
            _ => None,
        })
    };
    let items = expr("items")
        .and_then(|v| v.as_array().cloned())
        .map(|a| a.iter().map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string)).collect())
        .unwrap_or_default();
    let values = expr("values")
        .and_then(|v| v.as_array().cloned())
        .map(|a| {
            a.iter()
                .filter_map(|v| {
                    let value = v.get("value")?.as_str()?.to_string();
                    let label = v.get("label").and_then(|l| l.as_str()).map_or_else(|| value.clone(), str::to_string);
                    Some((value, label))
                })
                .collect()
        })
        .unwrap_or_default();
    (items, values)
}

pub(super) fn tabs(w: &mut Walker<'_, '_>, el: &Element) -> String {
    let tabs = kids(w, el, Family::Tab);
    if tabs.is_empty() {
        return children(w, el);
    }
    let (items, values) = tab_items(el);
    let default = text_attr(el, &["defaultValue", "defaultIndex"]);
    let mut selected = 0;
    let mut panels = Vec::new();
    for (i, tab) in tabs.iter().enumerate() {
        let label = tab_label(tab, i, &items, &values);
        if flag_attr(tab, "default")
            || default.as_deref().is_some_and(|d| Some(d) == text_attr(tab, &["value"]).as_deref() || d == i.to_string())
        {
            selected = i;
        }
        let body = children(w, tab);
        panels.push((label, body));
    }
    if !html(w) {
        return panels.iter().map(|(l, b)| md_block(&format!("**{l}**"), b)).collect::<Vec<_>>().join("\n");
    }
    let sync = text_attr(el, &["groupId", "syncKey", "storageKey", "group"]);
    let panels = panels.into_iter().map(|(label, body)| TabPanel { label, lang: None, body }).collect();
    tab_widget(w, panels, selected, sync, None, false)
}

/// A tab outside any tabs: its label as a title over its content.
pub(super) fn lone_tab(w: &mut Walker<'_, '_>, el: &Element) -> String {
    let label = tab_label(el, 0, &[], &[]);
    let body = children(w, el);
    if html(w) {
        format!("<section class=\"tab-lone\"><p class=\"tab-title\">{}</p>{body}</section>", super::super::highlight::escape_html(&label))
    } else {
        md_block(&format!("**{label}**"), &body)
    }
}

pub(super) fn steps(w: &mut Walker<'_, '_>, el: &Element) -> String {
    let steps = kids(w, el, Family::Step);
    let rendered: Vec<(Option<String>, String)> = steps.iter().map(|s| (text_attr(s, &["title"]), children(w, s))).collect();
    if !html(w) {
        if rendered.is_empty() {
            return children(w, el);
        }
        let list = rendered.iter().enumerate().map(|(i, (t, b))| {
            let head = t.as_ref().map_or_else(|| format!("**Step {}**", i + 1), |t| format!("**{}. {t}**", i + 1));
            md_block(&head, b)
        });
        return list.collect::<Vec<_>>().join("\n");
    }
    let body = if rendered.is_empty() { children(w, el) } else { String::new() };
    let steps: Vec<Value> = rendered.into_iter().map(|(title, body)| context! { title, body => safe(body) }).collect();
    tpl(w, "steps", context! { steps, body => safe(body) })
}

/// A step outside any steps: a titled block.
pub(super) fn lone_step(w: &mut Walker<'_, '_>, el: &Element) -> String {
    let title = text_attr(el, &["title"]);
    let body = children(w, el);
    if html(w) {
        let steps = vec![context! { title, body => safe(body) }];
        tpl(w, "steps", context! { steps })
    } else {
        md_block(&title.map(|t| format!("**{t}**")).unwrap_or_default(), &body)
    }
}

pub(super) fn card(w: &mut Walker<'_, '_>, el: &Element) -> String {
    let title = text_attr(el, &["title", "label", "name"]);
    let description = text_attr(el, &["description", "subtitle"]);
    let href = href_attr(w, el, &["href", "link", "url", "to"]);
    let body = body(w, el);
    if !html(w) {
        let (title, description) = (title.as_deref().map(twin_text), description.as_deref().map(twin_text));
        let head = match (&title, &href) {
            (Some(t), Some(h)) => format!("**[{t}]({h})**"),
            (Some(t), None) => format!("**{t}**"),
            (None, Some(h)) => format!("<{h}>"),
            (None, None) => String::new(),
        };
        let text = [description.unwrap_or_default(), body].into_iter().filter(|s| !s.trim().is_empty()).collect::<Vec<_>>().join("\n\n");
        return md_block(&head, &text);
    }
    let label = title.clone().or(description.clone()).unwrap_or_default();
    tpl(w, "card", context! { title, description, href, label, body => safe(body) })
}

/// A grid of cards or a stack of accordions: the children inside a classed box.
pub(super) fn group(w: &mut Walker<'_, '_>, el: &Element, f: Family) -> String {
    let body = children(w, el);
    if !html(w) {
        return body;
    }
    let class = if f == Family::CardGrid { "card-grid" } else { "accordion-group" };
    let cols = text_attr(el, &["cols", "columns"]).filter(|c| c.bytes().all(|b| b.is_ascii_digit()) && !c.is_empty());
    let style = cols.map(|c| format!(" data-cols=\"{c}\"")).unwrap_or_default();
    format!("<div class=\"{class}\"{style}>{body}</div>")
}

pub(super) fn accordion(w: &mut Walker<'_, '_>, el: &Element) -> String {
    let title = text_attr(el, &["title", "summary", "label", "name"]).unwrap_or_else(|| "Details".into());
    let description = text_attr(el, &["description"]);
    let body = children(w, el);
    if !html(w) {
        let text = [description.as_deref().map(twin_text).unwrap_or_default(), body]
            .into_iter()
            .filter(|s| !s.trim().is_empty())
            .collect::<Vec<_>>()
            .join("\n\n");
        return md_block(&format!("**{}**", twin_text(&title)), &text);
    }
    let open = flag_attr(el, "defaultOpen") || flag_attr(el, "open");
    tpl(w, "accordion", context! { title, description, open, body => safe(body) })
}

pub(super) fn frame(w: &mut Walker<'_, '_>, el: &Element) -> String {
    let caption = text_attr(el, &["caption", "title"]);
    let body = children(w, el);
    if !html(w) {
        return md_block(body.trim_end(), &caption.map(|c| format!("_{c}_")).unwrap_or_default());
    }
    tpl(w, "frame", context! { caption, body => safe(body) })
}

pub(super) fn tooltip(w: &mut Walker<'_, '_>, el: &Element) -> String {
    let tip = text_attr(el, &["tip", "content", "title"]).unwrap_or_default();
    let body = inline_children(w, el);
    if !html(w) {
        return if tip.is_empty() { body } else { format!("{body} ({tip})") };
    }
    tpl(w, "tooltip", context! { tip, body => safe(body) })
}

pub(super) fn update(w: &mut Walker<'_, '_>, el: &Element) -> String {
    let label = text_attr(el, &["label", "title"]).unwrap_or_default();
    let description = text_attr(el, &["description"]);
    let body = children(w, el);
    if !html(w) {
        let head = description.as_ref().map_or_else(|| format!("**{label}**"), |d| format!("**{label}** {d}"));
        return md_block(&head, &body);
    }
    tpl(w, "update", context! { label, description, body => safe(body) })
}

pub(super) fn badge(w: &mut Walker<'_, '_>, el: &Element) -> String {
    let text = text_attr(el, &["text", "label"]).unwrap_or_else(|| inline_children(w, el));
    if !html(w) {
        return format!("`{text}`");
    }
    let variant = text_attr(el, &["variant", "color", "type"]);
    tpl(w, "badge", context! { text, variant })
}

/// Code samples shown together: each keeps its own title as a caption.
pub(super) fn code_group(w: &mut Walker<'_, '_>, el: &Element) -> String {
    let body = children(w, el);
    if !html(w) {
        return body;
    }
    tpl(w, "code-group", context! { body => safe(body) })
}
