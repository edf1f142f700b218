//! Components: each JSX element of the dialect (DIALECT §6) rendered for the site (through a
//! small template in `templates/components/`, which a theme can override) and for the
//! Markdown twin (in code), from one definition per component family.
//! Architecture invariant: every attribute value that reaches HTML is escaped (templates
//! autoescape); only rendered Markdown children are inserted raw.

use super::highlight::escape_html;
use super::markdown::{Walker, code_figure, fenced_md};
use super::{LinkRef, Target, link_marker};
use crate::convention::SlugRule;
use crate::diagnostics::Diagnostic;
use crate::model::family::Family;
use crate::parse::mdx::{AttrValue, Element};
use crate::parse::slug::{attr_name, slugify};
use crate::site::reference::EntrySet;
use minijinja::{Value, context};

/// Lowercase HTML tags passed through as HTML (with escaped attributes).
const HTML_TAGS: &[&str] = &[
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
    let Some(family) = family(w, el) else { return html_element(w, el) };
    match family {
        Family::Code => code_block(w, el),
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
        Family::Generic => unknown(w, el),
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

fn code_block(w: &mut Walker<'_, '_>, el: &Element) -> String {
    let tabs: Vec<&Element> = el.child_elements().filter(|c| c.name == "CodeBlockTab").collect();
    // (element that names the file, title, file, language)
    let mut parts: Vec<(&Element, Option<String>, Option<String>, Option<String>)> = Vec::new();
    if tabs.is_empty() {
        parts.push((el, None, el.attr("file").map(str::to_string), el.attr("language").map(str::to_string)));
    } else {
        if el.attr("file").is_some() {
            parts.push((el, el.attr("title").map(str::to_string), el.attr("file").map(str::to_string), None));
        }
        for t in &tabs {
            parts.push((
                t,
                t.attr("title").map(str::to_string),
                t.attr("file").map(str::to_string),
                t.attr("language").map(str::to_string),
            ));
        }
    }
    let title = el.attr("title");
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
    for (named_by, tab_title, file, lang) in &parts {
        let Some(file) = file else { continue };
        samples.push(sample(w, named_by, tab_title.as_deref(), file, lang.as_deref()));
    }
    match w.target {
        Target::Html => {
            w.widget += 1;
            let n = w.widget;
            let body = samples.iter().enumerate().map(|(i, s)| (i, s)).fold(String::new(), |mut acc, (i, s)| {
                let label = s.title.clone().unwrap_or_else(|| s.lang.clone().unwrap_or_default());
                if samples.len() > 1 {
                    acc.push_str(&format!("<section role=\"tabpanel\" id=\"code-{n}-{i}\" aria-labelledby=\"code-{n}-{i}-tab\" tabindex=\"0\"><p class=\"tab-title\">{}</p>{}</section>", escape_html(&label), s.html));
                } else {
                    acc.push_str(&s.html);
                }
                acc
            });
            let tablist = if samples.len() > 1 {
                let buttons: String = samples
                    .iter()
                    .enumerate()
                    .map(|(i, s)| {
                        let label = s.title.clone().unwrap_or_else(|| s.lang.clone().unwrap_or_default());
                        let lang = s.lang.as_deref().map(|l| format!(" data-lang=\"{}\"", escape_html(l))).unwrap_or_default();
                        format!("<button type=\"button\" role=\"tab\" id=\"code-{n}-{i}-tab\" aria-controls=\"code-{n}-{i}\" aria-selected=\"{}\" tabindex=\"{}\"{lang}>{}</button>", i == 0, if i == 0 { 0 } else { -1 }, escape_html(&label))
                    })
                    .collect();
                format!("<div role=\"tablist\" aria-label=\"{}\">{buttons}</div>", escape_html(title.unwrap_or("Code samples")))
            } else {
                String::new()
            };
            let figure = tpl(
                w,
                "code-block",
                context! {
                    title, file => el.attr("file"), reference_id => el.attr("referenceId"),
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
                let file = el.attr("file").or(missing[0].file.as_deref()).unwrap_or("");
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
    if file.contains("://") {
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
    let raw = &w.page.raw;
    let mark = |url: &str| -> String {
        if !super::markdown::is_internal(url) {
            return url.to_string();
        }
        // Description links live in the frontmatter: point at the URL's first use there.
        let (line, col) = match raw.find(&format!("]({url}")) {
            Some(at) => {
                let before = &raw[..at];
                (before.matches('\n').count() as u32 + 1, (at - before.rfind('\n').map(|n| n + 1).unwrap_or(0)) as u32 + 3)
            }
            None => (0, 0),
        };
        let mut f = found.lock().unwrap_or_else(|e| e.into_inner());
        f.push(LinkRef { url: url.to_string(), line, col });
        link_marker(first + f.len() - 1)
    };
    let out = match w.target {
        Target::Html => {
            let html = super::reference::render_entry_html(set, &|md: &str| super::text::markdown_to_html_with(md, &mark));
            // A heading of the same name already holds the id (its anchor): ids must be unique.
            let section = format!("<section class=\"api-entry\" id=\"{}\">", escape_html(&set.id));
            if w.out.headings.iter().any(|h| h.id == set.id) { html.replacen(&section, "<section class=\"api-entry\">", 1) } else { html }
        }
        Target::Markdown => super::reference::render_entry_markdown(set, &mark),
    };
    w.out.links.extend(found.into_inner().unwrap_or_else(|e| e.into_inner()));
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
    let items: Vec<Value> = cards
        .iter()
        .map(|c| {
            let href = c.attr("href").unwrap_or("");
            let host = href.split("://").nth(1).and_then(|r| r.split('/').next()).unwrap_or("");
            context! { href, title => c.attr("title").unwrap_or(href), host }
        })
        .collect();
    match w.target {
        Target::Html => tpl(w, "example-apps", context! { items }),
        Target::Markdown => {
            cards.iter().map(|c| format!("- [{}]({})\n", c.attr("title").unwrap_or(""), c.attr("href").unwrap_or(""))).collect()
        }
    }
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
    let figma = el.attr("figmaURL");
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

fn html_element(w: &mut Walker<'_, '_>, el: &Element) -> String {
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
fn unknown(w: &mut Walker<'_, '_>, el: &Element) -> String {
    let message = format!("unknown component <{}>; rendered generically (its text, links and children)", el.name);
    if !w.out.diags.iter().any(|d| d.code == "component.unknown" && d.message == message) {
        w.out.diags.push(
            Diagnostic::warning(&w.page.rel, el.line, el.col, "component.unknown", message)
                .with_hint("map it onto a family in vellum.toml: [components] Name = \"callout\""),
        );
    }
    let body = if el.inline { inline_children(w, el) } else { children(w, el) };
    let texts: Vec<String> =
        TEXT_ATTRS.iter().filter_map(|n| super::families::text_attr(el, &[n])).filter(|t| !t.trim().is_empty()).collect();
    let href = super::families::href_attr(w, el, &["href", "link", "url", "to"]);
    let tables = super::families::literal_tables(w, el);
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
            let mut parts: Vec<String> = texts.iter().map(|t| super::families::twin_text(t)).collect();
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_arrays() {
        assert_eq!(parse_string_array("['js', 'go']"), vec!["js", "go"]);
        assert!(parse_string_array("foo()").is_empty());
    }
}
