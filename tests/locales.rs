//! A tree with locales builds as one site: the head of every page names its locale and its
//! translations, untranslated pages fall back with a notice, and search and the llms bundle
//! come once per locale.

use crate::support::root;
use vellum::compile::Compiler;
use vellum::config::Config;

fn built(case: &str, cfg: impl FnOnce(&mut Config)) -> vellum::compile::Compiled {
    let src = root().join("tests/fixtures").join(case).join("src");
    let mut config = Config::load(&src, None).expect("fixture config");
    config.base_url = "https://example.com/docs".into();
    cfg(&mut config);
    Compiler::new(&src, config).compile()
}

fn text(c: &vellum::compile::Compiled, path: &str) -> String {
    String::from_utf8(c.files.get(path).unwrap_or_else(|| panic!("{path} not built")).to_vec()).unwrap()
}

#[test]
fn starlight_locales_make_one_site() {
    let c = built("conv-locales-starlight", |_| {});
    assert_eq!(c.diags.errors(), 0);
    let fr = text(&c, "fr/guides/first/index.html");
    assert!(fr.contains("<html lang=\"fr\" dir=\"ltr\" data-search=\"/docs/fr/search\""), "{fr}");
    for (lang, href) in [("en", "/docs/guides/first/"), ("fr", "/docs/fr/guides/first/"), ("x-default", "/docs/guides/first/")] {
        assert!(fr.contains(&format!("<link rel=\"alternate\" hreflang=\"{lang}\" href=\"https://example.com{href}\">")), "{lang}");
    }
    // The Arabic page is a fallback: no hreflang claims it, the switcher still links it.
    assert!(!fr.contains("hreflang=\"ar\" href=\"https"));
    assert!(fr.contains("<a href=\"/docs/ar/guides/first/\" hreflang=\"ar\" lang=\"ar\">"));
    assert!(fr.contains("<a href=\"/docs/fr/guides/first/\" hreflang=\"fr\" lang=\"fr\" aria-current=\"page\">"));
    // The French sidebar links French URLs, with the translated page's title.
    assert!(fr.contains("<a href=\"/docs/fr/guides/first/\" aria-current=\"page\">Premier guide</a>"));
    assert!(fr.contains("<a href=\"/docs/fr/guides/second/\">Second guide</a>"));

    let fallback = text(&c, "ar/guides/second/index.html");
    assert!(fallback.contains("<html lang=\"ar\" dir=\"rtl\""));
    assert!(fallback.contains("<link rel=\"canonical\" href=\"https://example.com/docs/guides/second/\">"));
    assert!(fallback.contains("class=\"fallback-notice\""));
    assert!(fallback.contains("More steps"));

    let en = text(&c, "index.html");
    assert!(en.contains("<html lang=\"en\" dir=\"ltr\" data-search=\"/docs/search\""));
    // One llms bundle and one search index per locale; the root lists the default locale only.
    let llms = text(&c, "llms.txt");
    assert!(llms.contains("/docs/guides/first.md") && !llms.contains("/fr/"), "{llms}");
    let fr_llms = text(&c, "fr/llms.txt");
    assert!(fr_llms.contains("/docs/fr/guides/first.md") && !fr_llms.contains("/docs/guides/"), "{fr_llms}");
    assert!(c.files.contains_key("fr/llms-full.txt") && c.files.contains_key("ar/search/index.json"));
    let fr_docs = text(&c, "fr/search/d-0.json");
    assert!(fr_docs.contains("/fr/guides/first") && !fr_docs.contains("\"/guides/first"), "{fr_docs}");
}

#[test]
fn locales_can_be_turned_off() {
    let c = built("conv-locales-starlight", |cfg| cfg.locales.enabled = false);
    let fr = text(&c, "fr/guides/first/index.html");
    assert!(fr.contains("<html lang=\"en\" data-base=\"/docs\">") && !fr.contains("hreflang"));
    assert!(!c.files.contains_key("fr/llms.txt") && !c.files.contains_key("ar/guides/second/index.html"));
}

#[test]
fn suffix_locales_fall_back_to_the_default() {
    let c = built("conv-fumadocs", |_| {});
    let cn = text(&c, "cn/docs/install/index.html");
    assert!(cn.contains("<html lang=\"cn\"") && !cn.contains("fallback-notice"));
    let fallback = text(&c, "cn/docs/guides/alpha/index.html");
    assert!(
        fallback.contains("fallback-notice")
            && fallback.contains("<link rel=\"canonical\" href=\"https://example.com/docs/docs/guides/alpha/\">")
    );
}
