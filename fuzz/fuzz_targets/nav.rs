//! Fuzz the navigation-config readers of every convention: any bytes, as the nav file each
//! convention reads (`sidebars.js`, `docs.json`, `mint.json`, `_navigation.mdx` …), through
//! the static JS evaluator and the convention's `navs`. Must never panic or hang.

#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;
use vellum::config::Config;
use vellum::convention::{Kind, NavInput, Profile, js};
use vellum::source::SourceFile;

/// A nav file each convention reads, by kind.
const FILES: &[(Kind, &str)] = &[
    (Kind::Docusaurus, "sidebars.js"),
    (Kind::Docusaurus, "docs/guide/_category_.json"),
    (Kind::Mintlify, "docs.json"),
    (Kind::Mintlify, "mint.json"),
    (Kind::Starlight, "astro.config.mjs"),
    (Kind::Nextra, "_meta.tsx"),
    (Kind::Fumadocs, "meta.json"),
    (Kind::Mkdocs, "mkdocs.yml"),
    (Kind::Vellum, "_navigation.mdx"),
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let (kind, rel) = FILES[pick as usize % FILES.len()];
    let (module, mut diags) = js::parse(rel, text);
    let _ = module.default_export(&mut diags);
    let _ = module.call_argument("starlight", &mut diags);
    let files = [SourceFile { rel: rel.into(), text: Some(text.to_string()) }];
    let config = Config::default();
    let input = NavInput { root: Path::new("/nonexistent"), files: &files, pages: &[], config: &config };
    let _ = Profile::of(kind, "fuzz").rules().navs(&input);
});
