//! Unit tests of the MCP core over a small fixture tree compiled in memory.

use super::*;
use crate::compile::Compiler;
use crate::config::Config;
use crate::mcp::browse::Listing;
use crate::mcp::text;

const NAV: &str = "---\ntitle: Single Sign-On\nlinks:\n  - title: Getting Started\n    links:\n      - title: Quick Start\n        url: /sso\n      - title: Test SSO\n        url: /sso/test-sso\n      - title: Secret\n        url: /sso/secret\n        featureFlag: secret-flag\n  - title: Guides\n    links:\n      - title: Login Flows\n        url: /sso/login-flows\n        links:\n          - title: Deep Dive\n            url: /sso/login-flows/deep\n---\n";
const CHANGELOG: &str = r#"[{"package":"p","version":"Older","date":"2025-01-22","changes":["Old thing."],"source":"rss","url":"https://e.com/changelog/older","guid":"g1"},
{"package":"p","version":"Newer","date":"2025-05-30","changes":["New thing."],"source":"rss","url":"https://e.com/changelog/newer","guid":"g2"}]"#;

/// Compile a fixture tree; `changelog` adds the changelog file to the config.
pub(super) fn fixture(changelog: bool, base_url: &str) -> Docs {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let files = [
        ("sso/_navigation.mdx", NAV),
        (
            "sso/index.mdx",
            "---\ntitle: Quick Start\ndescription: Start here.\n---\n\nSet up single sign-on.\n\n## Install\n\nRun the installer.\n",
        ),
        (
            "sso/test-sso.mdx",
            "---\ntitle: Test SSO\n---\n\nTest your connection.\n\n## IdP-initiated SSO\n\nThe identity provider starts the flow with a zebracorn assertion.\n",
        ),
        ("sso/secret.mdx", "---\ntitle: Secret\n---\n\nUnreleased feature text: platypus.\n"),
        ("sso/login-flows.mdx", "---\ntitle: Login Flows\n---\n\nHow users sign in.\n"),
        ("sso/login-flows/deep.mdx", "---\ntitle: Deep Dive\n---\n\nDetails.\n"),
        ("misc/orphan.mdx", "---\ntitle: Orphan\n---\n\nNot in any navigation.\n"),
        ("changelog.json", CHANGELOG),
    ];
    for (p, t) in files {
        let path = root.join(p);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, t).unwrap();
    }
    let mut cfg = Config { base_url: base_url.into(), ..Config::default() };
    if changelog {
        cfg.changelog = Some("changelog.json".into());
    }
    Docs::new(Compiler::new(root, cfg).compile().site)
}

#[test]
fn search_finds_sections_and_validates_arguments() {
    let d = fixture(true, "");
    let hits = d.search("zebracorn", None).unwrap();
    assert_eq!(hits[0].page, "/sso/test-sso");
    assert_eq!(hits[0].path, "/sso/test-sso#idp-initiated-sso");
    assert_eq!(hits[0].section, "IdP-initiated SSO");
    assert!(d.search("platypus", None).unwrap().is_empty(), "hidden pages are not searchable");
    assert_eq!(d.search("  ", None), Err(DocsError::EmptyQuery));
    assert_eq!(d.search("sso", Some(0)), Err(DocsError::BadLimit { given: 0, max: MAX_SEARCH_LIMIT }));
    assert_eq!(d.search("sso", Some(-3)), Err(DocsError::BadLimit { given: -3, max: MAX_SEARCH_LIMIT }));
    assert!(matches!(d.search("sso", Some(1_000_000_000)), Err(DocsError::BadLimit { .. })));
    assert_eq!(d.search("sso", Some(1)).unwrap().len(), 1);
    assert_eq!(d.search(&"x".repeat(5000), None), Err(DocsError::TooLong("query")));
}

#[test]
fn lookup_accepts_every_spelling() {
    let d = fixture(false, "https://example.com/docs");
    for p in [
        "/sso/test-sso",
        "sso/test-sso",
        "/sso/test-sso/",
        "/sso/test-sso.md",
        "sso/test-sso.mdx",
        "/sso/test-sso.html",
        "https://example.com/docs/sso/test-sso/",
        "/docs/sso/test-sso",
        "docs://sso/test-sso",
        " /sso/test-sso?x=1 ",
    ] {
        assert_eq!(d.lookup(p).map(|(pg, _)| pg.url.as_str()), Ok("/sso/test-sso"), "{p}");
    }
    let (_, frag) = d.lookup("/sso/test-sso#idp-initiated-sso").unwrap();
    assert_eq!(frag.as_deref(), Some("idp-initiated-sso"));
    assert_eq!(d.lookup("https://other.org/docs/sso").map(|(p, _)| p.url.as_str()), Ok("/sso"));
    assert_eq!(d.lookup("docs://index").map(|(p, _)| p.url.as_str()), Ok("/"));
}

#[test]
fn unknown_and_hidden_paths_suggest_pages() {
    let d = fixture(false, "");
    let Err(DocsError::NotFound { suggestions, .. }) = d.lookup("/sso/test-ssso") else { panic!("expected not found") };
    assert_eq!(suggestions[0].0, "/sso/test-sso");
    assert!(matches!(d.lookup("/sso/secret"), Err(DocsError::NotFound { .. })), "feature-flagged pages are not readable");
    for evil in ["../../../etc/passwd", "/../../etc/passwd", "file:///etc/passwd", "..%2f..%2fetc%2fpasswd", "\0", "/sso/../../Cargo.toml"]
    {
        let Err(DocsError::NotFound { suggestions, .. }) = d.lookup(evil) else { panic!("{evil} resolved") };
        assert!(suggestions.iter().all(|(p, _)| d.site().page(p).is_some()), "{evil}: {suggestions:?}");
    }
    let msg = text::error(&d.lookup("../../../etc/passwd").unwrap_err());
    assert!(!msg.contains("root:"), "{msg}");
}

#[test]
fn read_returns_twin_anchor_and_nav_hints() {
    let d = fixture(false, "");
    let r = d.read("/sso/test-sso#idp-initiated-sso").unwrap();
    assert!(r.markdown.starts_with("# Test SSO\n"), "{}", r.markdown);
    assert!(matches!(r.anchor, Some(Anchor::Found(h)) if h.text == "IdP-initiated SSO"));
    assert_eq!(r.nav.group.as_deref(), Some("Getting Started"));
    assert_eq!(r.nav.siblings.iter().map(|l| l.path.as_str()).collect::<Vec<_>>(), ["/sso"], "hidden sibling left out");
    assert_eq!(r.nav.section.as_ref().map(|s| s.title.as_str()), Some("Single Sign-On"));
    let out = text::read(&r);
    assert!(out.starts_with("[Requested section: \"IdP-initiated SSO\""), "{out}");
    assert!(out.contains("- Siblings: Quick Start (/sso)"), "{out}");
    let r = d.read("/sso/login-flows#nope").unwrap();
    assert!(matches!(r.anchor, Some(Anchor::Missing(ref a)) if a == "nope"));
    assert_eq!(r.nav.children.iter().map(|l| l.path.as_str()).collect::<Vec<_>>(), ["/sso/login-flows/deep"]);
    let deep = d.read("/sso/login-flows/deep").unwrap();
    assert_eq!(deep.nav.parent.as_ref().map(|p| p.path.as_str()), Some("/sso/login-flows"));
    let orphan = d.read("misc/orphan").unwrap();
    assert_eq!(orphan.nav.section, None);
}

#[test]
fn list_shows_sections_then_subtrees() {
    let d = fixture(false, "");
    let Listing::Sections { sections, unlisted, changelog } = d.list(None).unwrap() else { panic!() };
    let sso = sections.iter().find(|s| s.folder == "sso").unwrap();
    assert_eq!((sso.title.as_str(), sso.path.as_deref(), sso.pages), ("Single Sign-On", Some("/sso"), 4));
    assert_eq!((unlisted, changelog), (1, false));
    for arg in ["sso", "/sso/", "single sign-on"] {
        let Listing::Tree { title, nodes, .. } = d.list(Some(arg)).unwrap() else { panic!("{arg}") };
        assert_eq!(title, "Single Sign-On");
        assert_eq!(nodes.iter().map(|n| n.title.as_str()).collect::<Vec<_>>(), ["Getting Started", "Guides"]);
        assert_eq!(nodes[0].children.len(), 2, "flagged entry hidden");
    }
    let Listing::Tree { nodes, .. } = d.list(Some("/sso/login-flows")).unwrap() else { panic!() };
    assert_eq!(nodes[0].path.as_deref(), Some("/sso/login-flows/deep"));
    assert!(matches!(d.list(Some("/nope")), Err(DocsError::NotFound { .. })));
    assert!(text::listing(&d.list(None).unwrap()).contains("**Single Sign-On** — folder `sso` · 4 pages · starts at /sso"));
}

#[test]
fn changelog_filters_and_explains_absence() {
    let d = fixture(true, "");
    let all = d.changelog(None, None).unwrap();
    assert_eq!(all.iter().map(|e| e.title.as_str()).collect::<Vec<_>>(), ["Newer", "Older"]);
    assert_eq!(d.changelog(None, Some("2025-02-01")).unwrap().len(), 1);
    assert_eq!(d.changelog(Some(1), None).unwrap()[0].title, "Newer");
    assert_eq!(d.changelog(None, Some("2025-13-01")), Err(DocsError::BadDate("2025-13-01".into())));
    assert_eq!(d.changelog(None, Some("yesterday")), Err(DocsError::BadDate("yesterday".into())));
    assert!(matches!(d.changelog(Some(0), None), Err(DocsError::BadLimit { .. })));
    assert_eq!(fixture(false, "").changelog(None, None), Err(DocsError::NoChangelog));
}

#[test]
fn output_is_capped_at_a_char_boundary() {
    let long = "é".repeat(40_000) + "\nend";
    let out = text::cap(long, 1000);
    assert!(out.len() <= 1000, "{}", out.len());
    assert!(out.contains("[Truncated"));
    assert_eq!(text::cap("short".into(), 1000), "short");
}
