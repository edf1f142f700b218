//! The real corpus (the WorkOS docs tree from ../shared/corpus), built end to end.

use crate::support::{files_under, require_corpus, run};
use std::collections::BTreeSet;
use std::sync::OnceLock;
use vellum::compile::{Compiled, Compiler};
use vellum::config::Config;

/// The corpus compiled once in memory (with the changelog configured).
pub(crate) fn compiled() -> &'static Compiled {
    static C: OnceLock<Compiled> = OnceLock::new();
    C.get_or_init(|| {
        let (docs, changelog) = require_corpus();
        let cfg = Config {
            title: "WorkOS Docs".into(),
            base_url: "https://workos.com/docs".into(),
            changelog: Some(changelog.clone()),
            ..Config::default()
        };
        Compiler::new(docs, cfg).compile()
    })
}

pub(crate) fn html(path: &str) -> String {
    let f = compiled().files.get(path).unwrap_or_else(|| panic!("no output file {path}"));
    String::from_utf8(f.to_vec()).expect("utf-8 output")
}

#[test]
fn corpus_builds_without_errors_one_page_per_source() {
    let c = compiled();
    let errors: Vec<String> = c.diags.iter().filter(|d| d.severity == vellum::diagnostics::Severity::Error).map(|d| d.to_line()).collect();
    assert!(errors.is_empty(), "errors:\n{}", errors.join("\n"));
    let sources = c.site.pages.iter().filter(|p| p.source.is_some()).count();
    assert_eq!(sources, 424);
    for p in c.site.pages.iter() {
        assert!(c.files.contains_key(&p.html_path()), "no HTML for {}", p.url);
        assert!(c.files.contains_key(&p.twin_url()[1..]), "no twin for {}", p.url);
    }
}

#[test]
fn every_nav_url_resolves_but_the_one_missing_page() {
    let c = compiled();
    let mut missing = BTreeSet::new();
    for nav in &c.site.navs {
        for node in nav.walk() {
            if let Some(u) = &node.url {
                if c.site.page(u).is_none() {
                    missing.insert(u.clone());
                }
            }
        }
    }
    assert_eq!(missing.into_iter().collect::<Vec<_>>(), vec!["/demo/share-images".to_string()]);
}

#[test]
fn no_raw_mdx_reaches_html() {
    let c = compiled();
    for (path, bytes) in &c.files {
        if !path.ends_with(".html") {
            continue;
        }
        let s = String::from_utf8_lossy(bytes);
        let body = crate::support::main_of(&s);
        for bad in ["<CodeBlock", "<Event.", "{{ \"url\"", "{{ \"visibility\"", "originalPath:", "vellum-link:", "\u{E000}"] {
            assert!(!body.contains(bad), "{path} contains {bad:?}");
        }
    }
}

#[test]
fn sample_pages_have_headings_and_highlighted_code() {
    let p = html("sso/test-sso/index.html");
    assert!(p.contains("<h1"), "h1");
    assert!(p.contains("id=\"testing-with-the-test-identity-provider\""));
    let fga = html("fga/query-language/index.html");
    assert!(fga.contains("class=\"hl-"), "sql fences are highlighted");
    let events = html("events/index.html");
    assert!(events.contains("id=\"authentication\""), "heading url attribute overrides the slug");
    let um = html("user-management/index.html");
    assert!(um.contains("class=\"stack-variant\""));
}

#[test]
fn corpus_link_findings_match_the_dialect_survey() {
    let c = compiled();
    let broken: BTreeSet<String> = c
        .diags
        .iter()
        .filter(|d| matches!(d.code, "link.broken" | "link.broken-anchor" | "asset.missing"))
        .map(|d| d.message.split('`').nth(1).unwrap_or("").to_string())
        .collect();
    let expected: BTreeSet<String> = [
        "/docs/assets/workos-datadog-dashboard.json",
        "/directory-sync/attributes/custom-attributes/auto-mapped-attributes",
        "/directory-sync/attributes/custom-attributes/custom-mapped-attributes",
        "/user-management/roles",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    assert_eq!(broken, expected);
    let relative = c.diags.iter().filter(|d| d.code == "link.relative-treated-as-root").count();
    assert_eq!(relative, 14);
}

#[test]
fn cli_build_writes_the_site_and_exits_zero() {
    let (docs, _) = require_corpus();
    let out = tempfile::tempdir().unwrap();
    let dest = out.path().join("site");
    let (code, _, err) = run(&["build", docs.to_str().unwrap(), "-o", dest.to_str().unwrap(), "--base-url", "/docs"], out.path());
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("Built 4"), "{err}");
    let files = files_under(&dest);
    assert!(files.contains(&"sso/test-sso/index.html".to_string()));
    assert!(files.contains(&"404.html".to_string()) && files.contains(&"sitemap.xml".to_string()));
    let page = std::fs::read_to_string(dest.join("sso/test-sso/index.html")).unwrap();
    assert!(page.contains("href=\"/docs/sso/login-flows/#sp-initiated-sso\""), "links carry the base path");
}

#[test]
fn the_user_guide_builds_with_no_warnings() {
    let src = crate::support::root().join("content");
    let c = Compiler::new(&src, Config::load(&src, None).expect("content/vellum.toml")).compile();
    let all: Vec<String> = c.diags.iter().map(|d| d.to_line()).collect();
    assert!(all.is_empty(), "content/ has findings:\n{}", all.join("\n"));
    assert!(c.site.pages.len() >= 18);
}

/// `sidebar` (each item rendered once, re-rendered only on the page's path) is exactly what a
/// theme looping over `nav` renders, on every corpus page; and it marks the page.
#[test]
fn sidebar_html_matches_a_theme_looping_over_nav() {
    let read = |name: &str| std::fs::read_to_string(crate::support::root().join("templates").join(name)).unwrap();
    let item = read("sidebar-item.html");
    let item = item.split_once("-#}\n").expect("the item template opens with a comment").1;
    let looped = item
        .replace("{% if children %}", "{% if node.children %}")
        .replace("{%- if children %}", "{%- if node.children %}")
        .replace("{{ children }}", "{{ loop(node.children) }}");
    let base = read("base.html").replace("{{ sidebar }}", &format!("{{%- for node in nav recursive %}}\n{looped}{{%- endfor %}}"));
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("base.html"), base).unwrap();
    let (docs, _) = crate::support::require_corpus();
    let cfg = Config { title: "WorkOS Docs".into(), base_url: "https://workos.com/docs".into(), ..Config::default() };
    let own = Compiler::new(docs, Config { templates: Some(dir.path().to_path_buf()), ..cfg.clone() }).compile();
    let ours = Compiler::new(docs, cfg).compile();
    let sidebar = |html: &str| html.find("<nav id=\"sidebar\"").map(|a| html[a..a + html[a..].find("</nav>").unwrap()].to_string());
    let mut pages = 0;
    for (path, bytes) in ours.files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let ours = sidebar(&String::from_utf8_lossy(bytes));
        assert_eq!(ours, sidebar(&String::from_utf8_lossy(&own.files[path])), "{path}");
        if let Some(s) = ours {
            let url = format!("/docs/{}", path.trim_end_matches("index.html"));
            assert_eq!(s.matches("aria-current=\"page\"").count(), s.matches(&format!("href=\"{url}\"")).count(), "{path}");
            pages += 1;
        }
    }
    assert!(pages > 300, "{pages} pages with a sidebar");
}
