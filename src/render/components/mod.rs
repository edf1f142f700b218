//! Components: each JSX element of the dialect (DIALECT §6) rendered for the site (through a
//! small template in `templates/components/`, which a theme can override) and for the
//! Markdown twin (in code), from one definition per component family.
//! Architecture invariant: every attribute value that reaches HTML is escaped (templates
//! autoescape); only rendered Markdown children are inserted raw.

mod code;
mod html;

use super::highlight::escape_html;
use super::markdown::Walker;
use super::{LinkRef, Target, link_marker};
use crate::convention::SlugRule;
use crate::diagnostics::Diagnostic;
use crate::model::family::Family;
use crate::model::url::Use;
use crate::parse::mdx::{AttrValue, Element};
use crate::parse::slug::slugify;
pub(crate) use code::unplaced_references;
use html::HTML_TAGS;
use minijinja::{Value, context};

/// The family of `el` in this tree's convention: its table, else lowercase HTML, else generic.
pub(super) fn family(w: &Walker<'_, '_>, el: &Element) -> Option<Family> {
    w.ctx.profile.components.family(&el.name).or(if HTML_TAGS.contains(&el.name.as_str()) { None } else { Some(Family::Generic) })
}

impl Element {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|a| a.name == name).and_then(|a| match &a.value {
            AttrValue::Str(s) => Some(s.as_str()),
            _ => None,
        })
    }

    fn flag(&self, name: &str) -> bool {
        self.attrs.iter().any(|a| a.name == name && !matches!(&a.value, AttrValue::Str(s) if s == "false"))
    }

    fn expr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|a| a.name == name).and_then(|a| match &a.value {
            AttrValue::Expr(e) => Some(e.as_str()),
            _ => None,
        })
    }

    fn child_elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().flat_map(|c| c.elements.iter())
    }
}

/// Render one element for the walker's target.
pub(crate) fn render_element(w: &mut Walker<'_, '_>, el: &Element) -> String {
    // A fragment (`<>…</>`) is its children.
    if el.name.is_empty() {
        return if el.inline { inline_children(w, el) } else { children(w, el) };
    }
    let Some(family) = family(w, el) else { return html::html_element(w, el) };
    match family {
        Family::Code => code::code_block(w, el),
        Family::Event => event(w, el),
        Family::ExampleApps => example_apps(w, el),
        Family::GlossaryMarker => {
            let letter = plain_children(el);
            match w.target {
                Target::Html => tpl(
                    w,
                    "glossary-marker",
                    context! { letter, id => format!("letter-{}", slugify(&plain_children(el), SlugRule::Dialect)) },
                ),
                Target::Markdown => String::new(),
            }
        }
        Family::LanguageSelector => {
            let body = children(w, el);
            let languages = el.expr("languages").map(parse_string_array).unwrap_or_default();
            match w.target {
                Target::Html => tpl(
                    w,
                    "language-selector",
                    context! { languages, body => Value::from_safe_string(body), default => w.ctx.config.default_language.clone() },
                ),
                Target::Markdown => body,
            }
        }
        Family::Small => {
            let text = inline_children(w, el);
            match w.target {
                Target::Html => format!("<small>{text}</small>"),
                Target::Markdown => format!("— {text}"),
            }
        }
        Family::StackSelection => stack_selection(w),
        Family::ProviderCards => provider_cards(w, el),
        Family::ProviderIcons => provider_icons(w, el),
        Family::Diagram | Family::Demo | Family::DataTable | Family::Partial => placeholder(w, el, family),
        Family::Style => {
            w.out.placeholders.push(format!("{}:{}: <style> dropped (site-specific CSS)", w.page.rel, el.line));
            String::new()
        }
        Family::Callout => callout(w, el),
        Family::Icon => String::new(),
        Family::Generic => html::unknown(w, el),
        f => super::families::render(w, el, f),
    }
}

pub(super) fn tpl(w: &mut Walker<'_, '_>, name: &str, ctx: Value) -> String {
    let full = format!("components/{name}.html");
    match w.ctx.templates.get_template(&full).and_then(|t| t.render(ctx)) {
        Ok(s) => s,
        Err(e) => {
            w.out.diags.push(Diagnostic::error(
                format!("templates/{full}"),
                e.line().unwrap_or(0) as u32,
                0,
                "template.error",
                e.to_string(),
            ));
            String::new()
        }
    }
}

/// One panel of the tab widget.
pub(crate) struct TabPanel {
    /// The tab's text.
    pub(crate) label: String,
    /// The code language a code tab shows (code tabs with the same language follow each other).
    pub(crate) lang: Option<String>,
    /// The panel's HTML.
    pub(crate) body: String,
}

/// The one tab widget (`templates/components/tabs.html`): component tabs, the dialect's tab
/// lists and code samples all render through it, so a theme overrides it once. `bare` leaves
/// out the `.tabs` box, for code samples, whose figure is the box; `label` names the tablist.
pub(crate) fn tab_widget(
    w: &mut Walker<'_, '_>,
    panels: Vec<TabPanel>,
    selected: usize,
    sync: Option<String>,
    label: Option<&str>,
    bare: bool,
) -> String {
    w.widget += 1;
    let n = w.widget;
    let tabs: Vec<Value> = panels
        .into_iter()
        .map(|p| minijinja::context! { label => p.label, lang => p.lang, body => Value::from_safe_string(p.body) })
        .collect();
    tpl(w, "tabs", minijinja::context! { n, tabs, selected, sync, label, bare })
}

pub(super) fn children(w: &mut Walker<'_, '_>, el: &Element) -> String {
    el.children.as_ref().map(|c| w.render_doc(c)).unwrap_or_default()
}

/// Children rendered as inline content (the `<p>` wrapper removed).
pub(super) fn inline_children(w: &mut Walker<'_, '_>, el: &Element) -> String {
    let s = children(w, el);
    let t = s.trim();
    let t = t.strip_prefix("<p>").and_then(|t| t.strip_suffix("</p>")).unwrap_or(t);
    t.trim().to_string()
}

fn plain_children(el: &Element) -> String {
    el.children.as_ref().map(|c| c.markdown.trim().to_string()).unwrap_or_default()
}

/// `['js', 'go']` → ["js", "go"]; anything else → empty.
fn parse_string_array(expr: &str) -> Vec<String> {
    let e = expr.trim();
    let Some(inner) = e.strip_prefix('[').and_then(|e| e.strip_suffix(']')) else { return Vec::new() };
    inner.split(',').map(|s| s.trim().trim_matches(|c| c == '\'' || c == '"').to_string()).filter(|s| !s.is_empty()).collect()
}

/// An internal URL produced by a component, resolved later like a Markdown link.
pub(super) fn internal_href(w: &mut Walker<'_, '_>, url: &str, el: &Element) -> String {
    if !super::markdown::is_internal(url) {
        return url.to_string();
    }
    w.out.links.push(LinkRef { url: url.to_string(), line: el.line, col: el.col });
    link_marker(w.out.links.len() - 1)
}

fn event(w: &mut Walker<'_, '_>, el: &Element) -> String {
    match el.name.as_str() {
        "Event.Root" => {
            let details = el.child_elements().find(|c| c.name == "Event.Details");
            let name = details.and_then(|d| d.attr("name")).unwrap_or("event").to_string();
            let coming_soon = details.is_some_and(|d| d.flag("comingSoon"));
            let (id, level) = w.anchor(&name, el.line);
            let summary: Vec<&Element> = el.child_elements().filter(|c| c.name == "Event.Description").collect();
            let summary: String = summary.iter().map(|d| children(w, d)).collect();
            let payload = details.map(|d| children(w, d)).unwrap_or_default();
            match w.target {
                Target::Html => tpl(
                    w,
                    "event",
                    context! { id, level, name, coming_soon, summary => Value::from_safe_string(summary), payload => Value::from_safe_string(payload) },
                ),
                Target::Markdown => format!(
                    "{} `{name}`{}\n\n{}\n\n{}\n",
                    "#".repeat(level as usize),
                    if coming_soon { " (coming soon)" } else { "" },
                    summary.trim(),
                    payload.trim()
                ),
            }
        }
        // Outside an Event.Root (or the nested payload note): render the children.
        _ => children(w, el),
    }
}

fn example_apps(w: &mut Walker<'_, '_>, el: &Element) -> String {
    let cards: Vec<&Element> =
        if el.name == "ExampleApps.Card" { vec![el] } else { el.child_elements().filter(|c| c.name == "ExampleApps.Card").collect() };
    let hrefs: Vec<Option<&str>> = cards.iter().map(|c| url_attr(w, c, "href", c.attr("href").unwrap_or(""))).collect();
    match w.target {
        Target::Html => {
            let items: Vec<Value> = cards
                .iter()
                .zip(&hrefs)
                .map(|(c, href)| {
                    let host = href.and_then(|h| h.split("://").nth(1)).and_then(|r| r.split('/').next()).unwrap_or("");
                    context! { href => href.unwrap_or("#"), title => c.attr("title").or(*href).unwrap_or(""), host }
                })
                .collect();
            tpl(w, "example-apps", context! { items })
        }
        Target::Markdown => {
            cards.iter().zip(&hrefs).map(|(c, href)| format!("- [{}]({})\n", c.attr("title").unwrap_or(""), href.unwrap_or("#"))).collect()
        }
    }
}

/// A component attribute holding a URL: as written, or `None` when the URL policy refuses it
/// (reported at the component).
fn url_attr<'v>(w: &mut Walker<'_, '_>, el: &Element, attr: &str, value: &'v str) -> Option<&'v str> {
    w.url_allowed(value, Use::Link, (el.line, el.col), &format!("`<{} {attr}>` URL", el.name)).then_some(value)
}

fn stack_selection(w: &mut Walker<'_, '_>) -> String {
    if w.target == Target::Markdown {
        return String::new();
    }
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for line in w.page.mdx.markdown.lines() {
        let Some(cond) = line.trim_start().strip_prefix("- $ ") else { continue };
        let Some((key, vals)) = cond.split_once('=') else { continue };
        let key = key.trim().to_string();
        let idx = groups.iter().position(|(k, _)| *k == key).unwrap_or_else(|| {
            groups.push((key.clone(), Vec::new()));
            groups.len() - 1
        });
        for v in vals.trim().trim_matches('"').split(',').map(str::trim).filter(|v| !v.is_empty()) {
            if !groups[idx].1.iter().any(|x| x == v) {
                groups[idx].1.push(v.to_string());
            }
        }
    }
    let groups: Vec<Value> = groups.into_iter().map(|(key, values)| context! { key, values }).collect();
    tpl(w, "stack-selection", context! { groups })
}

fn provider_cards(w: &mut Walker<'_, '_>, el: &Element) -> String {
    let kind = el.name.trim_start_matches("ProviderCards.");
    let (parent, want_dir) = match kind {
        "UserManagementMigration" => ("/migrate", None),
        "DirSyncIntegration" => ("/integrations", Some(true)),
        _ => ("/integrations", Some(false)),
    };
    let is_dir = |url: &str| {
        [
            "scim",
            "directory",
            "sftp",
            "workday",
            "bamboo",
            "hibob",
            "rippling",
            "gusto",
            "breathe",
            "cezanne",
            "fourth",
            "personio",
            "hris",
            "jumpcloud",
            "cyberark",
            "people-hr",
            "adp",
            "gsuite-directory",
        ]
        .iter()
        .any(|k| url.contains(k))
    };
    let cards: Vec<_> = w
        .ctx
        .cards
        .iter()
        .filter(|c| c.parent.as_deref() == Some(parent) && want_dir.is_none_or(|d| is_dir(&c.url) == d))
        .cloned()
        .collect();
    match w.target {
        Target::Html => {
            let items: Vec<Value> = cards
                .iter()
                .map(|c| context! { href => internal_href(w, &c.url, el), title => c.title.clone(), icon => c.icon.clone() })
                .collect();
            let all = internal_href(w, parent, el);
            tpl(w, "provider-cards", context! { items, all, kind })
        }
        Target::Markdown => {
            let mut s: String = cards.iter().map(|c| format!("- [{}]({})\n", c.title, internal_href(w, &c.url, el))).collect();
            if s.is_empty() {
                s = format!("- [All guides]({})\n", internal_href(w, parent, el));
            }
            s
        }
    }
}

fn provider_icons(w: &mut Walker<'_, '_>, el: &Element) -> String {
    let icons = el
        .expr("icons")
        .and_then(|e| e.trim().strip_prefix("externalAssets."))
        .and_then(|k| w.page.frontmatter.get("externalAssets").and_then(|a| a.get(k.trim())).and_then(|v| v.as_str()));
    if icons.is_none() {
        w.out.diags.push(Diagnostic::error(
            &w.page.rel,
            el.line,
            el.col,
            "mdx.expression-unsupported",
            "`icons` must be `{externalAssets.<name>}` naming a frontmatter `externalAssets` entry",
        ));
    }
    let icons = icons.and_then(|i| url_attr(w, el, "icons", i));
    let figma = el.attr("figmaURL").and_then(|f| url_attr(w, el, "figmaURL", f));
    match w.target {
        Target::Html => tpl(w, "provider-icons", context! { icons, figma }),
        Target::Markdown => format!(
            "Provider icons: {}{}\n",
            icons.unwrap_or("(not available)"),
            figma.map(|f| format!(" · Figma: {f}")).unwrap_or_default()
        ),
    }
}

/// A callout component (`<Aside type="tip" title="…">`, Mintlify `<Warning>`): the kind from
/// `type`/`kind`, else the component's name; the same markup as a `:::` container.
fn callout(w: &mut Walker<'_, '_>, el: &Element) -> String {
    let named = el.attr("type").or(el.attr("kind")).map_or_else(|| el.name.to_ascii_lowercase(), str::to_ascii_lowercase);
    let (kind, label) = match super::containers::shape(&named) {
        super::containers::Shape::Callout(kind, label) => (kind, label),
        _ => ("note", "Note"),
    };
    let title = el.attr("title");
    let body = children(w, el);
    match w.target {
        Target::Html => format!(
            "<blockquote class=\"callout\" data-kind=\"{kind}\"><p class=\"callout-title\"><strong>{}</strong></p>{body}</blockquote>",
            escape_html(title.unwrap_or(label))
        ),
        Target::Markdown => {
            let head = title.map_or_else(|| label.to_string(), |t| format!("{label}: {t}"));
            let mut out = format!("> **{head}**\n>\n");
            for line in body.trim_end().lines() {
                out.push_str(if line.is_empty() { ">" } else { "> " });
                out.push_str(line);
                out.push('\n');
            }
            out
        }
    }
}

pub(super) fn placeholder(w: &mut Walker<'_, '_>, el: &Element, family: Family) -> String {
    let kind = match family {
        Family::Diagram => "Diagram",
        Family::Demo => "Interactive demo",
        Family::DataTable => "Data table",
        Family::CodeLiteral => "Code sample",
        _ => "Callout",
    };
    w.out.placeholders.push(format!("{}:{}: {kind} {}", w.page.rel, el.line, el.name));
    let body = children(w, el);
    match w.target {
        Target::Html => tpl(w, "placeholder", context! { kind, name => el.name.clone(), body => Value::from_safe_string(body) }),
        Target::Markdown => format!("_({kind}: {} — not available in this text version)_\n", el.name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_arrays() {
        assert_eq!(parse_string_array("['js', 'go']"), vec!["js", "go"]);
        assert!(parse_string_array("foo()").is_empty());
    }
}
