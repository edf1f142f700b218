//! Bad input that is generated rather than committed (huge pages, deep nesting, symlinks),
//! the `check` exit codes, the never-lose-output guarantee, and property tests that the JSX
//! layer and the per-page pipeline never panic. The committed cases are the
//! `tests/fixtures/invalid-*` snapshots.

use crate::support::{files_under, root, run};
use proptest::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;
use vellum::compile::{Compiled, Compiler};
use vellum::config::Config;
use vellum::output::write::{fs_write, write_atomically};

/// A site in a temporary directory: `(relative path, text)` pairs under `src/`.
pub(crate) fn site(pages: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (rel, text) in pages {
        let p = dir.path().join("src").join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

fn compile(src: &Path) -> Compiled {
    Compiler::new(src, Config::load(src, None).unwrap()).compile()
}

fn lines(c: &Compiled) -> Vec<String> {
    c.diags.sorted().iter().map(|d| d.to_line()).collect()
}

const GOOD: &str = "---\ntitle: Good page\n---\n\n## Fine\n\nStill built.\n";

/// The page's HTML file, which must exist.
fn html<'a>(c: &'a Compiled, url_dir: &str) -> String {
    let bytes = c.files.get(&format!("{url_dir}/index.html")).unwrap_or_else(|| panic!("{url_dir}/index.html not built"));
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn broken_sidebar_item_template_is_one_error_and_pages_still_build() {
    let dir = site(&[
        ("vellum.toml", "templates = \"tpl\"\n"),
        ("tpl/sidebar-item.html", "<li>{{ node.title }</li>\n"),
        ("guide/_navigation.mdx", "---\ntitle: Guide\nlinks:\n  - title: Good\n    url: /guide/good\n---\n"),
        ("guide/good.mdx", GOOD),
    ]);
    let c = compile(&dir.path().join("src"));
    let errors: Vec<String> = lines(&c).into_iter().filter(|l| l.contains("template.error")).collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("templates/sidebar-item.html:1"), "{errors:?}");
    assert!(html(&c, "guide/good").contains("Still built."));
}

#[test]
fn ten_megabyte_page_builds() {
    let mut big = String::from("---\ntitle: Big\n---\n\n");
    let mut i = 0;
    while big.len() < 10 * 1024 * 1024 {
        big.push_str(&format!(
            "## Section {i}\n\nSome *text* with `code`, a [link](/good) and <Small>inline</Small>.\n\n<CodeBlockTab title=\"t{i}\" />\n\n```js\nlet x = {i};\n```\n\n"
        ));
        i += 1;
    }
    let dir = site(&[("big.mdx", &big), ("good.mdx", GOOD)]);
    let c = compile(&dir.path().join("src"));
    assert!(html(&c, "big").contains(&format!("Section {}", i - 1)));
    assert!(html(&c, "good").contains("Still built."));
    assert_eq!(c.diags.errors(), 0, "{:?}", lines(&c));
}

#[test]
fn thousand_deep_nesting_is_reported_not_fatal() {
    let depth = 1000;
    let mut page = String::from("---\ntitle: Deep\n---\n\n");
    page.push_str(&"<Box>\n".repeat(depth));
    page.push_str("core\n");
    page.push_str(&"</Box>\n".repeat(depth));
    page.push_str("\nAfter the boxes.\n");
    let dir = site(&[("deep.mdx", &page), ("good.mdx", GOOD)]);
    let c = compile(&dir.path().join("src"));
    let deep = html(&c, "deep");
    assert!(deep.contains("After the boxes."));
    assert!(html(&c, "good").contains("Still built."));
    let ds = lines(&c);
    assert!(ds.iter().any(|d| d.starts_with("error[mdx.too-deep]: deep.mdx:")), "{ds:?}");
}

/// An HTML comment left open hides the rest of its HTML block, never the template after
/// the body (issue 27), whatever the raw HTML mode; the twin loses it too.
#[test]
fn unclosed_comment_cannot_hide_the_template() {
    let page = "---\ntitle: Open\n---\n\nBefore the comment.\n\n<!-- closed --> kept\n\n<!-- never closed\n\nHidden.\n";
    for mode in ["sanitize", "trusted", "escape"] {
        let dir = site(&[("vellum.toml", &format!("html = \"{mode}\"\n")), ("open.mdx", page), ("good.mdx", GOOD)]);
        let c = compile(&dir.path().join("src"));
        let ds = lines(&c);
        let want = "warning[html.unclosed-comment]: open.mdx:9:1: HTML comment `<!--` is never closed; it is left out, with the rest of its HTML block (hint: close it with `-->`)";
        assert!(ds.iter().any(|d| d == want), "{mode}: {ds:?}");
        let html = html(&c, "open");
        let body = &html[html.find("Before the comment.").expect(mode)..];
        assert!(!body.contains("never closed") && !body.contains("Hidden."), "{mode}: {body}");
        assert!(body.contains("</article>") && body.contains("site-footer"), "{mode}: the template is whole");
        let twin = String::from_utf8_lossy(&c.files["open.md"]).into_owned();
        assert!(twin.contains("Before the comment.") && !twin.contains("never closed"), "{mode}: {twin}");
    }
}

#[cfg(unix)]
#[test]
fn snippet_symlink_pointing_outside_is_refused() {
    let page = "---\ntitle: S\n---\n\n<CodeBlock file=\"evil\" />\n\n<CodeBlock file=\"ok\" />\n";
    let dir = site(&[("page.mdx", page), ("good.mdx", GOOD), ("snippets/ok.js", "let ok = 1;\n")]);
    let secret = dir.path().join("secret.txt");
    std::fs::write(&secret, "TOP-SECRET-CONTENT").unwrap();
    std::os::unix::fs::symlink(&secret, dir.path().join("src/snippets/evil.txt")).unwrap();
    let c = compile(&dir.path().join("src"));
    let ds = lines(&c);
    assert!(
        ds.contains(
            &format!(
                "warning[source.symlink-outside]: snippets/evil.txt: symbolic link to {}, outside the source root; it is skipped (hint: set `allow_symlinks_outside = true` in vellum.toml to read links out of the source tree)",
                secret.canonicalize().unwrap().display()
            )
        ),
        "{ds:?}"
    );
    assert!(ds.iter().any(|d| d.starts_with("warning[snippet.missing]: page.mdx:5:1:")), "{ds:?}");
    for (path, bytes) in &c.files {
        assert!(!String::from_utf8_lossy(bytes).contains("TOP-SECRET"), "{path} leaks the linked file");
    }
    assert!(html(&c, "page").contains("ok"));
}

#[cfg(unix)]
#[test]
fn symlink_loop_in_content_is_skipped() {
    let dir = site(&[("guide/intro.mdx", GOOD), ("good.mdx", GOOD)]);
    std::os::unix::fs::symlink("..", dir.path().join("src/guide/loop")).unwrap();
    let c = compile(&dir.path().join("src"));
    let ds = lines(&c);
    assert_eq!(ds, ["warning[source.symlink-loop]: guide/loop: symbolic link loop; the link is skipped"]);
    assert!(html(&c, "guide/intro").contains("Still built."));
    assert!(html(&c, "good").contains("Still built."));
}

#[test]
fn yaml_alias_bomb_is_rejected_quickly() {
    let mut yaml = String::from("---\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let prev = format!("*a{}", i - 1);
        yaml.push_str(&format!("a{i}: &a{i} [{}]\n", vec![prev; 10].join(", ")));
    }
    yaml.push_str("title: Bomb\n---\n\nBody.\n");
    let dir = site(&[("bomb.mdx", &yaml), ("good.mdx", GOOD)]);
    let c = compile(&dir.path().join("src"));
    assert!(html(&c, "good").contains("Still built."));
    assert!(html(&c, "bomb").contains("Body."));
}

/// Injection through every field that reaches a page: nothing may come out as live markup.
#[test]
fn no_script_in_any_html_output() {
    let src = root().join("tests/fixtures/invalid-injection/src");
    let c = compile(&src);
    let mut checked = 0;
    for (path, bytes) in &c.files {
        if !path.ends_with(".html") {
            continue;
        }
        let text = String::from_utf8_lossy(bytes);
        for bad in ["<script>alert", "<img src=x", "javascript:alert"] {
            assert!(!text.contains(bad), "{path} contains raw `{bad}`");
        }
        checked += 1;
    }
    assert!(checked >= 3, "only {checked} HTML files");
}

// ---- `vellum check` exit codes and JSON ----

#[test]
fn check_exit_codes() {
    let clean = site(&[("good.mdx", GOOD)]);
    let cwd = clean.path();
    let (code, _, err) = run(&["check", "src"], cwd);
    assert_eq!(code, 0, "clean tree: {err}");
    let broken = root().join("tests/fixtures/invalid-jsx/src");
    let (code, out, _) = run(&["check", broken.to_str().unwrap()], cwd);
    assert_eq!(code, 1, "errors: {out}");
    assert!(out.contains("error[mdx.unclosed]: unclosed.mdx:7:1"), "{out}");
    let warn_only = root().join("tests/fixtures/invalid-frontmatter-types/src");
    assert_eq!(run(&["check", warn_only.to_str().unwrap()], cwd).0, 0, "warnings alone pass");
    assert_eq!(run(&["check", warn_only.to_str().unwrap(), "--strict"], cwd).0, 1, "--strict fails on warnings");
    // A broken link is a warning for a build, an error for the checker, unless `[check]`
    // lowers it.
    let linked = site(&[("good.mdx", GOOD), ("a.mdx", "---\ntitle: A\n---\n\nSee [gone](/gone) and [here](/good#nowhere).\n")]);
    let (code, out, _) = run(&["check", "src"], linked.path());
    assert_eq!(code, 1, "broken link: {out}");
    assert!(out.contains("error[link.broken]: a.mdx:5:5"), "{out}");
    assert!(out.contains("error[link.broken-anchor]: a.mdx:5:"), "{out}");
    assert_eq!(run(&["build", "src", "-o", "out"], linked.path()).0, 0, "a build only warns");
    std::fs::write(linked.path().join("src/vellum.toml"), "[check]\n\"link.broken\" = \"warning\"\n\"link.broken-anchor\" = \"off\"\n")
        .unwrap();
    let (code, out, _) = run(&["check", "src"], linked.path());
    assert_eq!(code, 0, "lowered: {out}");
    assert!(out.contains("warning[link.broken]") && !out.contains("link.broken-anchor"), "{out}");
    let (code, _, err) = run(&["check", "no/such/dir"], cwd);
    assert_eq!(code, 2, "nonexistent source: {err}");
    assert!(err.contains("does not exist"), "{err}");
    assert_eq!(run(&["check", "src", "--no-such-flag"], cwd).0, 2);
    assert_eq!(run(&["check", "src", "--format", "xml"], cwd).0, 2);
    assert_eq!(run(&["check", "src", "--config", "missing.toml"], cwd).0, 2);
}

#[test]
fn check_json_lists_every_finding() {
    let src = root().join("tests/fixtures/invalid-jsx/src");
    let (code, out, _) = run(&["check", src.to_str().unwrap(), "--format", "json"], &root());
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).expect("check --format json prints JSON");
    let items = v.as_array().expect("a JSON array");
    assert_eq!(items.len(), 6, "{out}");
    for item in items {
        for key in ["file", "line", "col", "code", "severity", "message"] {
            assert!(item.get(key).is_some(), "{key} missing in {item}");
        }
    }
    let first = &items[2];
    assert_eq!(first["file"], "mismatched.mdx");
    assert_eq!((first["line"].as_u64(), first["col"].as_u64()), (Some(8), Some(1)));
    assert_eq!(first["code"], "mdx.mismatched-close");
    assert_eq!(first["severity"], "error");
}

// ---- never lose output ----

#[test]
fn failed_write_keeps_previous_output_intact() {
    let dir = site(&[("good.mdx", GOOD), ("guide/intro.mdx", GOOD), ("logo.svg", "<svg/>")]);
    let src = dir.path().join("src");
    let out = dir.path().join("public");
    let c = compile(&src);
    write_atomically(&out, &c.files, &c.assets, &fs_write).unwrap();
    let before: BTreeMap<String, Vec<u8>> =
        files_under(&out).into_iter().map(|f| (f.clone(), std::fs::read(out.join(&f)).unwrap())).collect();
    assert!(before.contains_key("good/index.html") && before.contains_key("logo.svg"), "{:?}", before.keys());

    std::fs::write(src.join("broken.mdx"), "---\ntitle: [\n---\n\n<Open>\n").unwrap();
    std::fs::write(src.join("good.mdx"), "---\ntitle: Changed\n---\n\nNew text.\n").unwrap();
    let c = compile(&src);
    assert!(c.diags.errors() > 0);
    let written = std::sync::atomic::AtomicUsize::new(0);
    let failing = |p: &Path, b: &[u8]| {
        if written.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 3 {
            return Err(std::io::Error::other("injected: disk full"));
        }
        std::fs::write(p, b)
    };
    assert!(write_atomically(&out, &c.files, &c.assets, &failing).is_err());
    let after: BTreeMap<String, Vec<u8>> =
        files_under(&out).into_iter().map(|f| (f.clone(), std::fs::read(out.join(&f)).unwrap())).collect();
    assert_eq!(before.keys().collect::<Vec<_>>(), after.keys().collect::<Vec<_>>(), "the file set changed");
    for (f, bytes) in &before {
        assert!(after[f] == *bytes, "{f} changed");
    }
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().map(|e| e.file_name()).collect();
    assert_eq!(leftovers.len(), 2, "temporary directories left behind: {leftovers:?}");
}

#[test]
fn the_library_writer_never_replaces_a_users_directory() {
    let dir = site(&[("good.mdx", GOOD)]);
    let src = dir.path().join("src");
    let mine = dir.path().join("mine");
    std::fs::create_dir(&mine).unwrap();
    std::fs::write(mine.join("notes.txt"), "mine").unwrap();
    let c = compile(&src);
    let err = write_atomically(&mine, &c.files, &c.assets, &fs_write).unwrap_err();
    assert!(err.to_string().contains("not a vellum output"), "{err}");
    assert_eq!(files_under(&mine), ["notes.txt"]);
    let mut left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().map(|e| e.file_name()).collect();
    left.sort();
    assert_eq!(left, ["mine", "src"], "nothing was staged");
}

// ---- never panic ----

/// Text made of the pieces that stress the JSX layer and the Markdown around it.
fn mdx_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("<".to_string()),
        Just(">".to_string()),
        Just("/>".to_string()),
        Just("</".to_string()),
        Just("{".to_string()),
        Just("}".to_string()),
        Just("{/*".to_string()),
        Just("*/}".to_string()),
        Just("`".to_string()),
        Just("```".to_string()),
        Just("\"".to_string()),
        Just("'".to_string()),
        Just("=".to_string()),
        Just("\n".to_string()),
        Just("\n\n".to_string()),
        Just("  ".to_string()),
        Just("- ".to_string()),
        Just("# ".to_string()),
        Just("| a |".to_string()),
        Just("---\n".to_string()),
        Just("<CodeBlock".to_string()),
        Just("<CodeBlockTab".to_string()),
        Just("</CodeBlock>".to_string()),
        Just("<Event.Root>".to_string()),
        Just("<div".to_string()),
        Just("<style>".to_string()),
        Just(" file=\"x\"".to_string()),
        Just(" referenceId=\"a\"".to_string()),
        Just("[l](/x)".to_string()),
        Just("{{ \"url\": \"y\" }}".to_string()),
        Just("import x from 'y'\n".to_string()),
        "[a-zA-Z0-9 .:$|()-]{0,8}",
        any::<char>().prop_map(|c| c.to_string()),
        Just("\u{E000}vslot0\u{E001}".to_string()),
        Just("é€😀\u{a0}".to_string()),
    ];
    prop::collection::vec(piece, 0..60).prop_map(|v| v.concat())
}

/// Parse and render one page the way the compiler does, without touching the disk.
fn render_one(text: &str) -> String {
    render_with(text, &Default::default())
}

/// [`render_one`] with a convention's profile.
fn render_with(text: &str, profile: &vellum::convention::Profile) -> String {
    rendered(text, profile).html.into_text()
}

/// Render one page with a convention's profile: HTML, twin and diagnostics.
pub(crate) fn rendered(text: &str, profile: &vellum::convention::Profile) -> vellum::render::RenderedPage {
    use vellum::render::{RenderCtx, Snippets, render_page};
    use vellum::site::reference::{RefSource, ReferenceIndex};
    let file = vellum::source::SourceFile { rel: "p.mdx".into(), text: Some(text.to_string()) };
    let page = Arc::new(vellum::parse::parse_page(file, &|_, _| vellum::model::PageUrl { url: "/p".into(), is_index: false }));
    let src = RefSource { file: &page.rel, url: &page.url, frontmatter: &page.frontmatter, raw: &page.raw };
    let (references, _) = ReferenceIndex::build(&[src]);
    let config = Config::default();
    let templates = vellum::output::templates::environment(None);
    let cards = vellum::site::cards(std::slice::from_ref(&page), &HashMap::new());
    let ctx = RenderCtx {
        config: &config,
        references: &references,
        templates: &templates,
        snippets: &Snippets::default(),
        cards: &cards,
        profile,
        includes: &Default::default(),
    };
    render_page(&page, &ctx)
}
proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn jsx_layer_never_panics(body in mdx_text(), first in 1u32..5) {
        let (doc, errors) = vellum::parse::mdx::parse(&body, first);
        // Lines are preserved, so comrak's line numbers map back to the file.
        prop_assert_eq!(doc.markdown.matches('\n').count(), body.matches('\n').count());
        for e in errors {
            prop_assert!(e.line >= first);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn page_pipeline_never_panics(fm in "(title: [a-z<>\\[\\]\"]{0,6}\n|showNextPage: (yes|true|1)\n|reference: \\{\\}\n|description: \\[\\]\n){0,3}", body in mdx_text()) {
        render_one(&format!("---\n{fm}---\n{body}"));
        render_one(&body);
    }

}

/// A container opened inside a list item cannot gather the next item into a quote (a list
/// holds only items); the proptest below found the formatter's panic on exactly this.
#[test]
fn container_inside_a_list_keeps_the_list() {
    let docusaurus = vellum::convention::Profile::of(vellum::convention::Kind::Docusaurus, "test");
    let page = rendered("- one\n  :::note\n- two\n  ", &docusaurus);
    let twin = page.markdown.into_text();
    let html = page.html.into_text();
    assert!(twin.contains("- one") && twin.contains("two"), "{twin}\n{html}");
    assert!(page.diags.iter().all(|d| d.code != "render.failed"), "{:?}", page.diags);
}

/// Lines of the block syntaxes other tools define: containers, alerts, fences with meta.
fn block_syntax_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just(":::note\n".to_string()),
        Just("::::tip[T".to_string()),
        Just(":::danger{title=\"x\n".to_string()),
        Just(":::\n".to_string()),
        Just("::::\n".to_string()),
        Just("> [!NOTE]\n".to_string()),
        Just("> [!tip]".to_string()),
        Just("```js {1,3-5} title=\"a\" ins={2} del={".to_string()),
        Just("```diff lang=\"js\"\n".to_string()),
        Just("```\n".to_string()),
        Just("~~~\n".to_string()),
        Just("// highlight-next-line\n".to_string()),
        Just("{/* highlight-start */}\n".to_string()),
        Just("+x\n-y\n".to_string()),
        Just("## T {#id}\n".to_string()),
        Just("- item\n  ".to_string()),
        Just("\n".to_string()),
        "[a-z {}#\\[\\]!:=\"-]{0,8}".prop_map(|s| s),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn block_syntaxes_never_panic(body in block_syntax_text()) {
        let docusaurus = vellum::convention::Profile::of(vellum::convention::Kind::Docusaurus, "test");
        render_with(&body, &docusaurus);
        render_one(&body);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn whole_compile_never_panics(body in mdx_text()) {
        let dir = site(&[("p.mdx", &body), ("_navigation.mdx", &format!("---\ntitle: T\nlinks:\n  - title: P\n    url: /p\n{body}"))]);
        let c = compile(&dir.path().join("src"));
        prop_assert!(c.files.contains_key("index.html"));
    }
}

/// Entries that would write one output path (same URL, paths differing only in case, a page
/// and a static file) keep one deterministic winner, the same in the HTML, the twin, the nav,
/// `llms.txt`, `llms-full.txt` and the search index; each loser is an error naming both files
/// and is built nowhere. Editor leftovers are neither pages nor static files.
#[test]
fn colliding_entries_have_one_winner_everywhere_and_leftovers_are_never_published() {
    let page = |title: &str, token: &str| format!("---\ntitle: {title}\n---\n\nBody {token}.\n");
    let dir = site(&[
        ("index.md", &page("Home", "homewinner")),
        ("index.mdx", &page("Home two", "loserzebra")),
        ("A.mdx", &page("Upper", "upperwinner")),
        ("a.mdx", &page("Lower", "loserzebra")),
        ("b.md", &page("Bee", "beewinner")),
        ("b.mdx", &page("Bee two", "loserzebra")),
        ("p.mdx", &page("Pee", "peewinner")),
        ("p/index.mdx", &page("Pee folder", "loserzebra")),
        ("g/x.mdx", &page("Gee", "geewinner")),
        ("g/index.html", "<p>loserzebra</p>"),
        ("img/Logo.svg", "<svg>upper</svg>"),
        ("img/logo.svg", "<svg>loserzebra</svg>"),
        ("x.mdx~", "loserzebra"),
        ("#x.mdx#", "loserzebra"),
        (".#x.mdx", "loserzebra"),
        (".x.mdx.swp", "loserzebra"),
        ("x.tmp", "loserzebra"),
        ("4913", "loserzebra"),
        ("img/logo.svg~", "loserzebra"),
    ]);
    let src = dir.path().join("src");
    let c = compile(&src);
    let collisions: Vec<String> = c.diags.sorted().iter().filter(|d| d.code == "output.collision").map(|d| d.to_line()).collect();
    let losers: Vec<&str> = collisions.iter().map(|l| l.split(": ").nth(1).unwrap()).collect();
    assert_eq!(losers, ["a.mdx", "b.mdx", "g/index.html", "img/logo.svg", "index.mdx", "p/index.mdx"], "{collisions:#?}");
    assert!(collisions[2].contains("the page vellum generates for `/g`"), "{}", collisions[2]);
    assert!(collisions[0].contains("`A.mdx`") && collisions[0].contains("differ only in case"), "{}", collisions[0]);
    assert!(collisions[1].contains("`b.mdx` and `b.md` both write `b/index.html`"), "{}", collisions[1]);
    assert_eq!(c.diags.errors(), collisions.len(), "{:?}", lines(&c));
    // The winners, built from their own files everywhere.
    let text = |path: &str| String::from_utf8_lossy(c.files.get(path).unwrap_or_else(|| panic!("{path} not built"))).into_owned();
    for (html, twin, token) in [
        ("index.html", "index.md", "homewinner"),
        ("A/index.html", "A.md", "upperwinner"),
        ("b/index.html", "b.md", "beewinner"),
        ("p/index.html", "p.md", "peewinner"),
    ] {
        assert!(text(html).contains(token) && text(twin).contains(token), "{html}");
        assert_eq!(text("llms-full.txt").matches(token).count(), 1, "{token}");
    }
    let urls: Vec<&str> = c.site.pages.iter().map(|p| p.url.as_str()).collect();
    assert_eq!(urls.len(), urls.iter().collect::<std::collections::HashSet<_>>().len(), "one page per URL: {urls:?}");
    let nav: Vec<&str> = c.site.navs.iter().flat_map(|n| n.walk()).filter_map(|n| n.url.as_deref()).collect();
    assert!(!nav.contains(&"/a"), "the loser is not in the nav: {nav:?}");
    assert_eq!(nav.iter().filter(|u| **u == "/b").count(), 1, "{nav:?}");
    assert_eq!(text("llms.txt").matches("/b.md").count(), 1, "{}", text("llms.txt"));
    // No loser and no leftover reaches any output file, the search index included.
    for (path, bytes) in &c.files {
        assert!(!String::from_utf8_lossy(bytes).contains("loserzebra"), "{path} holds a loser's or a leftover's text");
    }
    let assets: Vec<&str> = c.assets.iter().map(|a| a.rel.as_str()).collect();
    assert_eq!(assets, ["img/Logo.svg"]);
}
