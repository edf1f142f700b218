//! Whole files: guide pages, API object and method pages, the pagination page (reusable
//! parameters) and `_navigation.mdx`, with frontmatter in the corpus's shapes.

use crate::plan::{Api, Kind, Page, Plan, Section};
use crate::text::Gen;
use crate::words::{Rng, camel, pascal};
use std::fmt::Write as _;

/// Lines of at most about `width` characters, broken at spaces (for folded YAML scalars).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = vec![String::new()];
    for w in text.split(' ') {
        let line = lines.last_mut().filter(|l| l.is_empty() || l.len() + w.len() < width);
        match line {
            Some(l) if l.is_empty() => l.push_str(w),
            Some(l) => {
                l.push(' ');
                l.push_str(w);
            }
            None => lines.push(w.to_string()),
        }
    }
    lines
}

/// A YAML single-quoted scalar.
fn quoted(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

pub(crate) fn write_page(plan: &Plan, i: usize, seed: u64) -> String {
    let page = &plan.pages[i];
    let mut g = Gen { plan, rng: Rng(seed ^ (i as u64).wrapping_mul(0xA24B_AED4_963E_E407)), out: String::with_capacity(8192) };
    g.out.push_str("---\n");
    match page.kind {
        Kind::Guide => guide(&mut g, page),
        Kind::Object(a) => object(&mut g, &plan.apis[a]),
        Kind::Method(a, verb) => method(&mut g, page, &plan.apis[a], verb),
        Kind::Pagination => pagination(&mut g),
    }
    g.out
}

fn guide(g: &mut Gen, page: &Page) {
    let _ = writeln!(g.out, "title: {}", page.title);
    let d = (0..2).map(|_| g.sentence_with(false)).collect::<Vec<_>>().join(" ");
    let _ = match g.rng.below(5) {
        0 => writeln!(g.out, "description: >-\n  {}", wrap(&d, 80).join("\n  ")),
        1 => writeln!(g.out, "description: \"{}\"", d.replacen(' ', "\\_", 2)),
        _ => writeln!(g.out, "description: {}", quoted(&d)),
    };
    if g.rng.chance(30) {
        g.out.push_str("showNextPage: true\n");
    }
    let _ = writeln!(g.out, "originalPath: .tmp-gen/content/{}\n---\n", page.rel);
    for _ in 0..g.rng.range(1, 2) {
        g.block();
    }
    for h in &page.heads {
        let _ = writeln!(g.out, "## {}\n", h.text);
        for _ in 0..g.rng.range(1, 3) {
            g.block();
        }
        for (text, _) in &h.subs {
            let _ = writeln!(g.out, "### {text}\n");
            for _ in 0..g.rng.range(1, 2) {
                g.block();
            }
        }
    }
}

/// Writes a reference property list, `- key / type / description` items at `indent`.
fn props(out: &mut String, indent: &str, name: &str, items: &[(String, String, &str)]) {
    for (key, prop, ty) in items {
        let _ = writeln!(out, "{indent}- key: {key}\n{indent}  type: {ty}\n{indent}  description: ({name}.{prop})");
    }
}

fn object(g: &mut Gen, api: &Api) {
    let lower = api.title.to_lowercase();
    let name = &api.name;
    let _ = writeln!(g.out, "descriptions:\n  {name}:\n    self: {}", quoted(&format!("The [{lower}]({}) object.", api.url)));
    let _ = writeln!(g.out, "    object: Distinguishes the {lower} object.\n    id: Unique identifier of the {lower}.");
    for (p, _) in &api.props {
        let s = g.sentence();
        let _ = if g.rng.chance(30) { writeln!(g.out, "    {p}: >-\n      {s}") } else { writeln!(g.out, "    {p}: {}", quoted(&s)) };
    }
    g.out.push_str("reference:\n");
    let object_type = format!("'\"{name}\"'");
    let base = [("object".to_string(), "object".to_string(), object_type.as_str()), ("id".into(), "id".into(), "string")];
    for (lang, key, title) in
        [("curl", name.clone(), None), ("js", pascal(name), Some("interface")), ("python", pascal(name), Some("class"))]
    {
        let _ = writeln!(g.out, "  {lang}:\n    - key: {key}\n      id: {name}\n      url: {}", api.url);
        if let Some(t) = title {
            let _ = writeln!(g.out, "      title: {t} {key}");
        }
        g.out.push_str("      properties:\n");
        let mut items: Vec<(String, String, &str)> = base.to_vec();
        items.extend(api.props.iter().map(|(p, ty)| (if lang == "js" { camel(p) } else { p.clone() }, p.clone(), *ty)));
        props(&mut g.out, "        ", name, &items);
    }
    let (p, dashed) = (g.paragraph(), name.replace('_', "-"));
    let _ = writeln!(
        g.out,
        "originalPath: .tmp-gen/content{}/index.mdx\n---\n\n# {}\n\n{p}\n\n<CodeBlock\n  title=\"Example {lower}\"\n  file=\"{dashed}\"\n  referenceId=\"{name}\"\n/>",
        api.url, api.title
    );
}

fn method(g: &mut Gen, page: &Page, api: &Api, verb: &str) {
    let name = &api.name;
    let id = format!("{verb}_{name}");
    let path = format!("/{}s", name.replace('_', "-")) + if matches!(verb, "create" | "list") { "" } else { "/:id" };
    let http = match verb {
        "create" => "POST",
        "update" => "PUT",
        "delete" => "DELETE",
        _ => "GET",
    };
    let writes = matches!(verb, "create" | "update");
    if writes {
        let s = g.sentence();
        let _ = writeln!(g.out, "descriptions:\n  {id}:\n    dry_run: {}", quoted(&s));
    }
    g.out.push_str("reference:\n");
    let langs = [
        ("curl", id.clone(), path.clone()),
        ("js", camel(&id), format!("{}s.{verb}()", camel(name))),
        ("python", id.clone(), format!("{name}s.{verb}()")),
    ];
    for (lang, key, title) in langs {
        let obj = if lang == "curl" { name.clone() } else { pascal(name) };
        let _ = writeln!(g.out, "  {lang}:\n    - key: {key}\n      id: {id}\n      url: {}\n      title: {title}", page.url);
        if lang == "curl" {
            let _ = writeln!(g.out, "      type: {http}");
        }
        g.out.push_str("      parameters:\n");
        let indent = if lang == "js" {
            g.out.push_str("        - key: options\n          unwrap: true\n          properties:\n");
            "            "
        } else {
            "        "
        };
        let field = |p: &str| if lang == "js" { camel(p) } else { p.to_string() };
        if !matches!(verb, "create" | "list") {
            let _ = writeln!(g.out, "{indent}- ({obj}.id)");
        }
        if writes {
            for (p, _) in &api.props {
                let _ = writeln!(g.out, "{indent}- ({obj}.{})", field(p));
            }
            let _ = writeln!(
                g.out,
                "{indent}- key: {}\n{indent}  type: boolean\n{indent}  optional: true\n{indent}  description: ({id}.dry_run)",
                field("dry_run")
            );
        }
        if verb == "list" {
            for p in ["before", "after", "limit", "order"] {
                let _ = writeln!(g.out, "{indent}- ({p})");
            }
        }
        if verb != "delete" {
            let _ = writeln!(g.out, "      returns:\n        - ({obj})");
        }
    }
    let (h, s, dashed) = (&page.heads[0].text, g.paragraph(), name.replace('_', "-"));
    let _ = writeln!(
        g.out,
        "originalPath: .tmp-gen/content/{}\n---\n\n## {h}\n\n{s}\n\n<CodeBlock referenceId=\"{id}\">\n  <CodeBlockTab title=\"Request\" file=\"{verb}-{dashed}-request\" />\n  <CodeBlockTab title=\"Response\" file=\"{verb}-{dashed}-response\" />\n</CodeBlock>",
        page.rel
    );
}

fn pagination(g: &mut Gen) {
    g.out.push_str("descriptions:\n  limit: Upper limit on the number of objects to return, between `1` and `100`.\n");
    g.out.push_str("  order: Order the results by the creation time.\n  before: An object ID that defines your place in the list.\n");
    g.out.push_str("  after: An object ID that defines your place in the list.\nreference:\n");
    for lang in ["curl", "js", "python"] {
        let _ = writeln!(g.out, "  {lang}:");
        for (key, ty) in [("limit", "number"), ("order", "'\"asc\" | \"desc\"'"), ("before", "string"), ("after", "string")] {
            let _ = writeln!(g.out, "    - key: {key}\n      optional: true\n      type: {ty}\n      description: ({key})");
        }
    }
    let p = g.paragraph();
    let _ = writeln!(g.out, "originalPath: .tmp-gen/content/pagination.mdx\n---\n\n# Pagination\n\n{p}");
}

pub(crate) fn nav(plan: &Plan, sec: &Section) -> String {
    let mut out = format!("---\ntitle: {}\nlinks:\n  - title: Overview\n    url: {}\n", sec.title, plan.pages[sec.index].url);
    for (title, items) in &sec.groups {
        let _ = writeln!(out, "  - title: {title}\n    links:");
        for it in items {
            let p = &plan.pages[it.page];
            let _ = writeln!(out, "      - title: {}\n        url: {}", p.title, p.url);
            if !it.children.is_empty() {
                out.push_str("        links:\n");
            }
            for &c in &it.children {
                let _ = writeln!(out, "          - title: {}\n            url: {}", plan.pages[c].title, plan.pages[c].url);
            }
        }
    }
    let _ = writeln!(out, "originalPath: .tmp-gen/content{}/_navigation.mdx\n---", sec.slug);
    out
}
