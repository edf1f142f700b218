//! Partials beyond the `partials` fixture: edits seen by incremental builds, symlinks out of
//! the root, and a partial inlined many times.

use vellum::compile::Compiler;
use vellum::config::Config;

fn write(root: &std::path::Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn page(c: &vellum::compile::Compiled, path: &str) -> String {
    String::from_utf8_lossy(c.files.get(path).unwrap_or_else(|| panic!("{path} not built"))).into_owned()
}

const PAGE: &str = "---\ntitle: Home\n---\n\nimport Part from './_part.mdx'\nimport code from './x.js?raw'\n\n<Part who=\"Ada\" />\n\n<Code code={code} lang=\"js\" />\n";

#[test]
fn editing_a_partial_or_raw_file_rerenders_its_importer() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "index.mdx", PAGE);
    write(root, "other.mdx", "---\ntitle: Other\n---\n\nText.\n");
    write(root, "_part.mdx", "Hello {props.who}, first edition.\n");
    write(root, "x.js", "let first = 1;\n");
    let compiler = Compiler::incremental(root, Config::default());
    let first = compiler.compile();
    let html = page(&first, "index.html");
    assert!(html.contains("Hello Ada, first edition."), "{html}");
    assert!(html.contains("first"), "{html}");

    write(root, "_part.mdx", "Hello {props.who}, second edition.\n");
    assert_eq!(compiler.patch(&first.site, "_part.mdx"), None, "a partial is no page");
    let second = compiler.compile();
    let html = page(&second, "index.html");
    assert!(html.contains("Hello Ada, second edition."), "{html}");
    assert_eq!(second.timings.rendered, 1, "only the importing page re-renders");

    write(root, "x.js", "let changed = 2;\n");
    let third = compiler.compile();
    assert!(page(&third, "index.html").contains("changed"));
    assert!(page(&third, "index.md").contains("let changed = 2;"));
}

#[test]
fn a_page_imported_by_another_page_never_takes_the_fast_path() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "index.mdx", "---\ntitle: Home\n---\n\nimport Other from './other.mdx'\n\n<Other />\n");
    write(root, "other.mdx", "---\ntitle: Other\n---\n\nOld words.\n");
    let compiler = Compiler::incremental(root, Config::default());
    let first = compiler.compile();
    assert!(page(&first, "index.html").contains("Old words."));
    write(root, "other.mdx", "---\ntitle: Other\n---\n\nNew words.\n");
    assert_eq!(compiler.patch(&first.site, "other.mdx"), None);
    assert!(page(&compiler.compile(), "index.html").contains("New words."));
}

#[cfg(unix)]
#[test]
fn an_import_through_a_symlink_out_of_the_root_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "secret.md", "TOP SECRET\n");
    write(outside.path(), "secret.ts", "TOP SECRET\n");
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::os::unix::fs::symlink(outside.path(), root.join("link")).unwrap();
    write(
        root,
        "index.mdx",
        "---\ntitle: Home\n---\n\nimport S from './link/secret.md'\nimport code from './link/secret.ts?raw'\n\n<S />\n\n<Code code={code} />\n",
    );
    let c = Compiler::new(root, Config::default()).compile();
    let html = page(&c, "index.html");
    assert!(!html.contains("TOP SECRET"), "{html}");
    let refused: Vec<(u32, u32)> =
        c.diags.sorted().iter().filter(|d| d.code == "mdx.import-outside-root").map(|d| (d.line, d.col)).collect();
    assert_eq!(refused.len(), 2, "{:?}", c.diags.sorted());
    assert!(refused.contains(&(5, 1)) && refused.contains(&(6, 1)), "{refused:?}");
}

#[test]
fn a_partial_inlined_ten_thousand_times_stays_linear_and_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let uses = "<P />\n\n".repeat(10_000);
    write(root, "index.mdx", &format!("---\ntitle: Home\n---\n\nimport P from './_p.mdx'\n\n{uses}"));
    // Each level inlines the next twice: 2^16 copies unless expansion is bounded.
    for i in 0..20 {
        write(root, &format!("_d{i}.mdx"), &format!("import N from './_d{}.mdx'\n\nlevel {i} <N /> <N />\n", i + 1));
    }
    write(root, "_p.mdx", "A short *partial*.\n");
    write(root, "deep.mdx", "---\ntitle: Deep\n---\n\nimport D from './_d0.mdx'\n\n<D />\n");
    let start = std::time::Instant::now();
    let c = Compiler::new(root, Config::default()).compile();
    assert!(start.elapsed() < std::time::Duration::from_secs(60), "took {:?}", start.elapsed());
    assert_eq!(page(&c, "index.html").matches("A short <em>partial</em>.").count(), 10_000);
    let codes: Vec<&str> = c.diags.sorted().iter().map(|d| d.code).collect();
    assert!(codes.contains(&"mdx.import-too-deep") || codes.contains(&"mdx.import-too-large"), "{codes:?}");
}
