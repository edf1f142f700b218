//! The agent bundle (llms.txt, llms-full.txt, Markdown twins) and the component vocabulary,
//! checked on the real corpus and on the `basic` fixture.

use crate::corpus::{compiled, html};
use crate::support::root;
use std::collections::BTreeSet;
use vellum::compile::Compiler;
use vellum::config::Config;

fn text(path: &str) -> String {
    let f = compiled().files.get(path).unwrap_or_else(|| panic!("no output file {path}"));
    String::from_utf8(f.to_vec()).expect("utf-8")
}

/// Lines of Markdown outside fenced code blocks.
fn prose_lines(md: &str) -> Vec<&str> {
    let mut fence: Option<String> = None;
    let mut out = Vec::new();
    for line in md.lines() {
        let t = line.trim_start();
        let ticks: String = t.chars().take_while(|c| *c == '`').collect();
        if ticks.len() >= 3 {
            match &fence {
                None => fence = Some(ticks),
                Some(f) if ticks.len() >= f.len() && t.trim_end() == ticks => fence = None,
                _ => {}
            }
            continue;
        }
        if fence.is_none() {
            out.push(line);
        }
    }
    out
}

/// Check `llms.txt` against the llmstxt.org format; returns its link targets.
fn parse_llms_txt(s: &str) -> Vec<String> {
    let mut lines = s.lines().filter(|l| !l.trim().is_empty());
    let h1 = lines.next().expect("llms.txt is empty");
    assert!(h1.starts_with("# ") && !h1.starts_with("## "), "first line must be an H1: {h1}");
    let quote = lines.next().expect("no summary");
    assert!(quote.starts_with("> "), "second block must be a blockquote: {quote}");
    let mut targets = Vec::new();
    let mut in_section = false;
    for l in lines {
        if let Some(h) = l.strip_prefix("## ") {
            assert!(!h.trim().is_empty());
            in_section = true;
            continue;
        }
        assert!(in_section, "content before the first H2 section: {l}");
        let rest = l.strip_prefix("- [").unwrap_or_else(|| panic!("section lines must be list links: {l}"));
        let (_, after) = rest.split_once("](").expect("a link");
        let (url, _) = after.split_once(')').expect("a closing paren");
        targets.push(url.to_string());
    }
    assert!(!targets.is_empty());
    targets
}

#[test]
fn llms_txt_follows_the_format_and_every_link_exists() {
    let c = compiled();
    let mut files = vec!["llms.txt".to_string()];
    files.extend(c.files.keys().filter(|k| k.ends_with("/llms.txt")).cloned());
    assert!(files.len() > 10, "per-section llms.txt files: {files:?}");
    for f in files {
        for url in parse_llms_txt(&text(&f)) {
            let path = url.strip_prefix("https://workos.com/docs/").unwrap_or_else(|| panic!("{f}: link not on the base URL: {url}"));
            assert!(c.files.contains_key(path), "{f}: link target {url} is not in the output");
        }
    }
    let top = text("llms.txt");
    assert!(top.contains("## Optional"), "pages in no nav go in an Optional section");
}

#[test]
fn twins_are_clean_markdown() {
    let c = compiled();
    let mut checked = 0;
    for (path, bytes) in &c.files {
        if !path.ends_with(".md") {
            continue;
        }
        let md = String::from_utf8_lossy(bytes);
        assert!(md.starts_with("# "), "{path}: twin starts with its title");
        assert!(!md.contains("originalPath:") && !md.starts_with("---"), "{path}: frontmatter leaked");
        assert!(!md.contains("vellum-link:"), "{path}: unresolved link marker");
        for line in prose_lines(&md) {
            let mut rest = line;
            // Inline code may show tags; strip code spans before looking for JSX.
            let stripped: String = rest.split('`').step_by(2).collect();
            rest = &stripped;
            let jsx = rest.as_bytes().windows(2).any(|w| w[0] == b'<' && w[1].is_ascii_uppercase());
            assert!(!jsx, "{path}: JSX outside code: {line}");
            assert!(!rest.contains("{{"), "{path}: `{{{{` outside code: {line}");
        }
        checked += 1;
    }
    assert!(checked >= 424, "{checked} twins");
}

#[test]
fn reference_twin_has_parameters_and_descriptions() {
    let md = text("reference/organization/create.md");
    for needle in ["name", "domain_data", "| Parameter |"] {
        assert!(md.contains(needle), "reference twin lacks {needle}:\n{md}");
    }
    assert!(!md.contains("(organization."), "description refs are resolved");
}

#[test]
fn llms_full_is_every_twin_in_order_and_deterministic() {
    let full = text("llms-full.txt");
    assert!(full.matches("\nURL: ").count() + 1 >= 400, "each page preceded by its URL");
    let (docs, changelog) = crate::support::require_corpus();
    let cfg = Config {
        title: "WorkOS Docs".into(),
        base_url: "https://workos.com/docs".into(),
        changelog: Some(changelog.clone()),
        ..Config::default()
    };
    let again = Compiler::new(docs, cfg).compile();
    for (path, bytes) in &compiled().files {
        if path.ends_with(".md") || path.ends_with(".txt") {
            assert_eq!(again.files.get(path), Some(bytes), "{path} differs between two builds");
        }
    }
}

#[test]
fn corpus_components_references_and_events() {
    let c = compiled();
    let codes: BTreeSet<&str> = c.diags.iter().map(|d| d.code).collect();
    for bad in ["ref.unresolved", "ref.ambiguous", "component.unknown", "mdx.unclosed"] {
        assert!(!codes.contains(bad), "corpus reports {bad}");
    }
    // Every page with reference data renders its entries.
    let (docs, _) = crate::support::require_corpus();
    let source = |rel: &str| std::fs::read_to_string(docs.join(rel)).unwrap();
    for p in c.site.pages.iter().filter(|p| p.source.as_deref().is_some_and(|s| s.starts_with("reference/"))) {
        let src = source(p.source.as_ref().unwrap());
        // Pages whose entries have ids (not only reusable parameters) render them.
        if src.contains("\nreference:\n") && src.contains("  id: ") {
            assert!(p.html.text().contains("class=\"api-entry\""), "{}: no API entry rendered", p.url);
        }
    }
    // Every event name has an anchor.
    let events = html("events/index.html");
    let names = source("events/index.mdx").matches("<Event.Details").count();
    assert_eq!(names, 50);
    assert_eq!(events.matches("<div class=\"event\" id=\"").count(), names);
    assert!(events.contains("id=\"connection-activated\""));
    // Synthetic listing pages fix the dialect's broken folder links.
    assert!(c.site.page("/integrations").is_some() && c.site.page("/migrate").is_some());
    let changelog = text("changelog.xml");
    assert!(changelog.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\">") && changelog.matches("<entry>").count() == 25);
}

#[test]
fn basic_fixture_twins_cover_every_component_family() {
    let src = root().join("tests/fixtures/basic/src");
    let c = Compiler::new(&src, Config::load(&src, None).unwrap()).compile();
    let md = String::from_utf8(c.files["guide/components.md"].to_vec()).unwrap();
    for needle in [
        "```js",
        "`thing.created`",
        "- [Example app](https://github.com/example/app)",
        "_(Diagram: DirectorySyncDiagram.Directory",
        "_Code sample: Payload",
    ] {
        assert!(md.contains(needle), "twin lacks {needle}:\n{md}");
    }
}
