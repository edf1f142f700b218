//! Stage 3 (render): one resolved API-reference entry set → an HTML section for the site, a
//! Markdown block for the agent bundle, or plain text for search (DIALECT §3.7).
//! Architecture invariant: renders resolved data only: `(ref)` resolution lives in
//! `site::reference`. Every string from the data is escaped here except descriptions, which
//! go through the caller's Markdown renderer.

use super::highlight::escape_html;
use crate::site::reference::{EntrySet, ResolvedEntry, ResolvedItem};
use std::collections::HashSet;
use std::fmt::Write as _;

/// Nesting beyond which properties are not rendered (resolution already caps it).
const MAX_DEPTH: usize = 16;

/// Display name of an SDK language.
pub fn lang_label(lang: &str) -> &str {
    match lang {
        "curl" => "cURL",
        "js" => "JavaScript",
        "go" => "Go",
        "python" => "Python",
        "java" => "Java",
        "ruby" => "Ruby",
        "php" => "PHP",
        "dotnet" => ".NET",
        "json" => "JSON",
        other => other,
    }
}

/// `<section class="api-entry">` with one `div.lang-variant` per language; `md` renders a
/// description's Markdown to HTML.
pub fn render_entry_html(set: &EntrySet, md: &dyn Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(4096);
    let id = escape_html(&set.id);
    let default = set.default_variant();
    let _ = writeln!(out, "<section class=\"api-entry\" id=\"{id}\">");
    if set.variants.len() > 1 {
        out.push_str("<div class=\"lang-switcher\" role=\"tablist\" aria-label=\"SDK language\">\n");
        for (i, v) in set.variants.iter().enumerate() {
            let lang = escape_html(&v.lang);
            let _ = writeln!(
                out,
                "<button type=\"button\" role=\"tab\" id=\"{id}-{lang}-tab\" aria-selected=\"{}\" aria-controls=\"{id}-{lang}\" data-lang=\"{lang}\">{}</button>",
                i == default,
                escape_html(lang_label(&v.lang))
            );
        }
        out.push_str("</div>\n");
    }
    for (i, v) in set.variants.iter().enumerate() {
        let lang = escape_html(&v.lang);
        let hidden = if i == default { "" } else { " hidden" };
        let labelled =
            if set.variants.len() > 1 { format!(" role=\"tabpanel\" aria-labelledby=\"{id}-{lang}-tab\"") } else { String::new() };
        let _ = writeln!(out, "<div class=\"lang-variant\" id=\"{id}-{lang}\" data-lang=\"{lang}\"{labelled}{hidden}>");
        variant_html(&mut out, v, md);
        out.push_str("</div>\n");
    }
    out.push_str("</section>\n");
    out
}

fn variant_html(out: &mut String, v: &ResolvedEntry, md: &dyn Fn(&str) -> String) {
    out.push_str("<p class=\"api-signature\">");
    if let Some(m) = &v.method {
        let _ = write!(out, "<span class=\"http-method\">{}</span> ", escape_html(m));
    }
    let _ = write!(out, "<code>{}</code>", escape_html(signature(v)));
    if v.sends_email {
        out.push_str(" <span class=\"badge badge-email\">Sends an email</span>");
    }
    out.push_str("</p>\n");
    if let Some(d) = &v.description {
        let _ = writeln!(out, "<div class=\"api-description\">{}</div>", md(d));
    }
    for (title, items) in sections(v) {
        let _ = writeln!(out, "<p class=\"params-title\">{title}</p>");
        items_html(out, items, md, 0);
    }
}

fn items_html(out: &mut String, items: &[ResolvedItem], md: &dyn Fn(&str) -> String, depth: usize) {
    out.push_str("<dl class=\"params\">\n");
    for it in items {
        out.push_str("<dt>");
        if let Some(k) = &it.key {
            let _ = write!(out, "<code>{}</code>", escape_html(k));
        }
        if let Some(t) = &it.type_ {
            let sep = if it.key.is_some() { " " } else { "" };
            match &it.type_link {
                Some(href) => {
                    let _ = write!(out, "{sep}<a class=\"param-type\" href=\"{}\"><code>{}</code></a>", escape_html(href), escape_html(t));
                }
                None => {
                    let _ = write!(out, "{sep}<span class=\"param-type\">{}</span>", escape_html(t));
                }
            }
        }
        if it.optional {
            out.push_str(" <span class=\"badge\">optional</span>");
        }
        out.push_str("</dt>\n");
        let nested = !it.properties.is_empty() && depth < MAX_DEPTH;
        // Every term gets a `<dd>`, empty or not: a trailing lone `<dt>` is invalid HTML.
        out.push_str("<dd>");
        if let Some(d) = &it.description {
            out.push_str(&md(d));
        }
        if nested {
            let open = if it.expanded { " open" } else { "" };
            let _ = writeln!(out, "<details{open}><summary>Properties</summary>");
            items_html(out, &it.properties, md, depth + 1);
            out.push_str("</details>");
        }
        out.push_str("</dd>\n");
    }
    out.push_str("</dl>\n");
}

/// The Markdown form for `.md` twins and llms-full: curl in full (else the first language)
/// and one `SDK methods:` line. `link` makes an internal URL (starting with `/`) absolute.
pub fn render_entry_markdown(set: &EntrySet, link: &dyn Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(2048);
    let Some(full) = set.variants.get(set.default_variant()) else { return out };
    let sig = match &full.method {
        Some(m) => format!("{m} {}", signature(full)),
        None => signature(full).to_string(),
    };
    let _ = writeln!(out, "#### {}\n", code_span(&sig));
    if full.sends_email {
        out.push_str("_Sends an email._\n\n");
    }
    if let Some(d) = &full.description {
        let _ = writeln!(out, "{}\n", rewrite_links(d, link));
    }
    for (title, items) in sections(full) {
        let name = match title {
            "Parameters" => "Parameter",
            "Returns" => "Field",
            _ => "Property",
        };
        let _ = writeln!(out, "{title}:\n\n| {name} | Type | Required | Description |\n| --- | --- | --- | --- |");
        rows_md(&mut out, items, "", link, 0);
        out.push('\n');
    }
    let others: Vec<String> =
        set.variants.iter().filter(|v| v.lang != full.lang).map(|v| format!("{} {}", v.lang, code_span(signature(v)))).collect();
    if !others.is_empty() {
        let _ = writeln!(out, "SDK methods: {}\n", others.join(" · "));
    }
    out
}

fn rows_md(out: &mut String, items: &[ResolvedItem], prefix: &str, link: &dyn Fn(&str) -> String, depth: usize) {
    for it in items {
        let name = match &it.key {
            Some(k) if prefix.is_empty() => k.clone(),
            Some(k) => format!("{prefix}.{k}"),
            None => prefix.to_string(),
        };
        let ty = match (&it.type_, &it.type_link) {
            (Some(t), Some(href)) => format!("[{}]({})", code_span(t), absolute(href, link)),
            (Some(t), None) => code_span(t),
            (None, _) => String::new(),
        };
        let shown = if name.is_empty() { "—".to_string() } else { code_span(&name) };
        let desc = it.description.as_deref().map(|d| rewrite_links(d, link)).unwrap_or_default();
        let required = if it.optional { "no" } else { "yes" };
        let _ = writeln!(out, "| {} | {} | {required} | {} |", cell(&shown), cell(&ty), cell(&desc));
        // A linked object is documented on its own page; inline properties are flattened.
        if it.type_link.is_none() && depth < MAX_DEPTH {
            rows_md(out, &it.properties, &name, link, depth + 1);
        }
    }
}

/// Plain text of a set's signatures, keys and descriptions, for the search index.
pub fn entry_set_text(set: &EntrySet) -> String {
    let mut out = String::new();
    let mut seen: HashSet<&str> = HashSet::new();
    for v in &set.variants {
        push_text(&mut out, &mut seen, signature(v));
        if let Some(d) = &v.description {
            push_text(&mut out, &mut seen, d);
        }
        for (_, items) in sections(v) {
            items_text(&mut out, &mut seen, items, 0);
        }
    }
    out
}

fn items_text<'a>(out: &mut String, seen: &mut HashSet<&'a str>, items: &'a [ResolvedItem], depth: usize) {
    for it in items {
        for s in [&it.key, &it.description].into_iter().flatten() {
            push_text(out, seen, s);
        }
        // Linked objects have their own page; their properties would only repeat it.
        if it.type_link.is_none() && depth < MAX_DEPTH {
            items_text(out, seen, &it.properties, depth + 1);
        }
    }
}

fn push_text<'a>(out: &mut String, seen: &mut HashSet<&'a str>, s: &'a str) {
    if !seen.insert(s) {
        return;
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out.push_str(&plain(s));
}

/// Markdown → plain text, enough for search: link text without targets, no code ticks or
/// emphasis markers.
fn plain(md: &str) -> String {
    let stripped = rewrite_links_with(md, &mut |_| None);
    stripped.chars().filter(|c| !matches!(c, '`' | '*')).collect()
}

fn sections(v: &ResolvedEntry) -> impl Iterator<Item = (&'static str, &[ResolvedItem])> {
    [("Parameters", v.parameters.as_slice()), ("Returns", v.returns.as_slice()), ("Properties", v.properties.as_slice())]
        .into_iter()
        .filter(|(_, items)| !items.is_empty())
}

fn signature(v: &ResolvedEntry) -> &str {
    v.title.as_deref().unwrap_or(&v.key)
}

fn absolute(url: &str, link: &dyn Fn(&str) -> String) -> String {
    if url.starts_with('/') { link(url) } else { url.to_string() }
}

/// Internal link targets in Markdown made absolute by `link`.
fn rewrite_links(md: &str, link: &dyn Fn(&str) -> String) -> String {
    rewrite_links_with(md, &mut |url| Some(absolute(url, link)))
}

/// Each `[text](url)`: `f(url)` gives the new target, or `None` to keep only the text.
fn rewrite_links_with(md: &str, f: &mut dyn FnMut(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(md.len());
    let mut rest = md;
    while let Some(i) = rest.find("](") {
        let after = &rest[i + 2..];
        let Some(close) = after.find(')') else { break };
        let url = after[..close].trim();
        out.push_str(&rest[..i]);
        match f(url) {
            Some(new) => {
                let _ = write!(out, "]({new})");
            }
            None => {
                // Drop the `[` that opened this link text.
                if let Some(open) = out.rfind('[') {
                    out.remove(open);
                }
            }
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

/// A GFM table cell: one line, `|` escaped.
fn cell(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ").replace('|', "\\|")
}

/// `s` as an inline code span, with enough backticks to hold any inside it.
fn code_span(s: &str) -> String {
    let mut run = 0;
    let mut longest = 0;
    for c in s.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if longest > 0 { " " } else { "" };
    format!("{fence}{pad}{s}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::reference::{EntryKind, RefSource, ReferenceIndex};
    use serde_json::Value;
    use std::path::Path;

    fn item(key: Option<&str>, ty: &str, desc: Option<&str>) -> ResolvedItem {
        ResolvedItem {
            key: key.map(str::to_string),
            type_: Some(ty.to_string()),
            type_link: None,
            description: desc.map(str::to_string),
            optional: false,
            expanded: false,
            properties: Vec::new(),
        }
    }

    fn variant(lang: &str, title: &str) -> ResolvedEntry {
        ResolvedEntry {
            id: Some("create_thing".into()),
            lang: lang.into(),
            key: "k".into(),
            title: Some(title.into()),
            method: None,
            type_: None,
            description: None,
            kind: EntryKind::Method,
            parameters: Vec::new(),
            returns: Vec::new(),
            properties: Vec::new(),
            optional: false,
            sends_email: false,
            pattern_before: None,
        }
    }

    fn sample() -> EntrySet {
        let mut curl = variant("curl", "/things");
        curl.method = Some("POST".into());
        curl.sends_email = true;
        let mut opts = item(Some("options"), "object", Some("Line one\nline | two"));
        opts.expanded = true;
        let mut nested = item(Some("org_id"), "Promise<User>", Some("See [org](/reference/org)."));
        nested.optional = true;
        opts.properties.push(nested);
        curl.parameters = vec![opts];
        let mut ret = item(None, "thing", Some("The thing."));
        ret.type_link = Some("/reference/thing#thing".into());
        ret.properties.push(item(Some("id"), "string", None));
        curl.returns = vec![ret];
        let js = variant("js", "things.create<T>()");
        EntrySet {
            id: "create_thing".into(),
            file: "reference/thing/create.mdx".into(),
            url: "/reference/thing/create".into(),
            variants: vec![js, curl],
        }
    }

    fn md(s: &str) -> String {
        format!("<p>{}</p>", escape_html(s))
    }

    #[test]
    fn html_has_variants_switcher_badges_and_escaped_types() {
        let html = render_entry_html(&sample(), &md);
        assert!(html.starts_with("<section class=\"api-entry\" id=\"create_thing\">"));
        // curl is the default even though js comes first.
        assert!(html.contains("<div class=\"lang-variant\" id=\"create_thing-js\" data-lang=\"js\" role=\"tabpanel\" aria-labelledby=\"create_thing-js-tab\" hidden>"));
        assert!(html.contains("id=\"create_thing-curl\" data-lang=\"curl\" role=\"tabpanel\" aria-labelledby=\"create_thing-curl-tab\">"));
        assert!(html.contains("aria-selected=\"true\" aria-controls=\"create_thing-curl\" data-lang=\"curl\">cURL</button>"));
        assert!(html.contains("<span class=\"http-method\">POST</span> <code>/things</code>"));
        assert!(html.contains("<code>things.create&lt;T&gt;()</code>"));
        assert!(html.contains("<span class=\"badge badge-email\">Sends an email</span>"));
        assert!(html.contains("<p class=\"params-title\">Parameters</p>\n<dl class=\"params\">"));
        assert!(
            html.contains(
                "<code>org_id</code> <span class=\"param-type\">Promise&lt;User&gt;</span> <span class=\"badge\">optional</span>"
            )
        );
        assert!(html.contains("<details open><summary>Properties</summary>"));
        assert!(html.contains("<dt><a class=\"param-type\" href=\"/reference/thing#thing\"><code>thing</code></a></dt>"));
        assert!(html.contains("<details><summary>Properties</summary>"), "linked object is collapsed");
        assert!(!html.contains("Promise<User>"));
        assert_eq!(html.matches("<section").count(), html.matches("</section>").count());
        assert_eq!(html.matches("<dl").count(), html.matches("</dl>").count());
    }

    #[test]
    fn markdown_has_signature_table_and_sdk_line() {
        let out = render_entry_markdown(&sample(), &|u| format!("https://ex.com{u}"));
        assert!(out.starts_with("#### `POST /things`\n\n_Sends an email._\n"), "{out}");
        assert!(out.contains("| Parameter | Type | Required | Description |\n| --- | --- | --- | --- |\n"));
        assert!(out.contains("| `options` | `object` | yes | Line one line \\| two |\n"));
        assert!(out.contains("| `options.org_id` | `Promise<User>` | no | See [org](https://ex.com/reference/org). |\n"));
        assert!(out.contains("| — | [`thing`](https://ex.com/reference/thing#thing) | yes | The thing. |\n"));
        assert!(!out.contains("`thing.id`"), "linked objects are not flattened");
        assert!(out.contains("SDK methods: js `things.create<T>()`"));
    }

    #[test]
    fn first_language_in_full_without_curl_and_text_dedupes() {
        let mut set = sample();
        set.variants.retain(|v| v.lang == "js");
        set.variants[0].description = Some("Make a [thing](/t) with `code`.".into());
        let out = render_entry_markdown(&set, &|u| u.to_string());
        assert!(out.starts_with("#### `things.create<T>()`"));
        assert!(!out.contains("SDK methods"));
        assert!(!render_entry_html(&set, &md).contains("lang-switcher"));
        let text = entry_set_text(&sample());
        assert!(text.contains("org_id") && text.contains("See org.") && text.contains("Line one"));
        assert!(!text.contains("/reference/org"), "{text}");
        assert_eq!(text.matches("create<T>").count(), 1);
        assert_eq!(plain("Make a [thing](/t) with `code`."), "Make a thing with code.");
        assert_eq!(code_span("a`b"), "`` a`b ``");
    }

    const CORPUS: &str = "/tmp/corpus/package/.docs/organized/docs";

    fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        let Ok(rd) = std::fs::read_dir(dir) else { return };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "mdx" || x == "md") {
                out.push(p);
            }
        }
    }

    #[test]
    fn corpus_counts_and_rendering() {
        let root = Path::new(CORPUS);
        if !root.exists() {
            eprintln!("skipping: {CORPUS} not found");
            return;
        }
        let mut paths = Vec::new();
        walk(root, &mut paths);
        paths.sort();
        let mut pages: Vec<(String, String, String, Value)> = Vec::new();
        for p in &paths {
            let raw = std::fs::read_to_string(p).expect("readable corpus file");
            let rel = p.strip_prefix(root).expect("under root").to_string_lossy().replace('\\', "/");
            let Some(rest) = raw.strip_prefix("---\n") else { continue };
            let end = rest.find("\n---\n").map_or(rest.len(), |i| i + 1);
            let fm: Value = crate::parse::yaml::to_json(&rest[..end]).expect("corpus YAML parses");
            let stem = rel.trim_end_matches(".mdx").trim_end_matches(".md");
            let url = format!("/{}", stem.trim_end_matches("index").trim_end_matches('/'));
            pages.push((rel, url, raw, fm));
        }
        let sources: Vec<RefSource<'_>> =
            pages.iter().map(|(f, u, r, fm)| RefSource { file: f, url: u, frontmatter: fm, raw: r }).collect();
        let start = std::time::Instant::now();
        let (idx, diags) = ReferenceIndex::build(&sources);
        let built = start.elapsed();
        let (mut html_bytes, mut md_bytes, mut n_sets) = (0, 0, 0);
        for (f, ..) in &pages {
            for set in idx.page_entries(f) {
                n_sets += 1;
                html_bytes += render_entry_html(set, &md).len();
                md_bytes += render_entry_markdown(set, &|u| format!("https://workos.com{u}")).len();
                md_bytes += entry_set_text(set).len();
            }
        }
        let total = start.elapsed();
        eprintln!(
            "reference: {} pages, {n_sets} entry sets; build {built:?}, build+render {total:?} ({html_bytes} B html, {md_bytes} B md+text)",
            pages.len()
        );
        let s = idx.stats();
        eprintln!("{s:?}");
        let count = |c: &str| diags.iter().filter(|d| d.code == c).count();
        assert_eq!(s.entries, 906);
        assert_eq!(s.description_refs, 3708);
        assert_eq!((s.description_same_file, s.description_other_file, s.description_map_node), (2570, 1122, 16));
        assert_eq!((s.description_unresolved, count("ref.description-map-without-self")), (0, 3));
        assert_eq!((s.item_refs, s.item_refs_unresolved, s.item_refs_ambiguous), (1223, 0, 0));
        assert_eq!(s.item_refs_multi_candidate, 23);
        assert_eq!((s.url_mismatches, count("reference.url-mismatch")), (93, 93));
        assert!(diags.iter().all(|d| d.line > 0), "every diagnostic has a line");
        assert_eq!(count("ref.unresolved") + count("ref.ambiguous"), 0);

        let file = "reference/organization/create.mdx";
        let set = idx.lookup_id(file, "create_organization").expect("create_organization set");
        let html = render_entry_html(set, &md);
        for needle in [
            "<code>name</code>",
            "<code>domain_data</code>",
            "<code>external_id</code>",
            "<code>domainData</code>",
            "&quot;pending&quot; | &quot;verified&quot;",
            "List&lt;OrganizationDomainDataOptions&gt;",
            "href=\"/reference/organization#organization\"",
        ] {
            assert!(html.contains(needle), "missing {needle}");
        }
        assert!(idx.lookup_id("reference/vault/object/version.mdx", "object-version").is_some());
        let unresolved_ids = [("reference/fga/schema/index.mdx", "schema"), ("user-management/metadata.mdx", "set_external_id")];
        assert!(unresolved_ids.iter().all(|(f, id)| idx.lookup_id(f, id).is_none()));
    }
}
