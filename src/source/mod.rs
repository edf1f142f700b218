//! Stage 1, discover: walk the source tree and sort its files, by the convention's
//! [`Rules::role`], into pages, navigation files, partials and static assets.
//! Architecture invariant: this stage reads files and nothing else; it never parses Markdown
//! and never decides a page's URL (that needs its frontmatter). It reads nothing that
//! resolves outside the source root unless `allow_symlinks_outside` says so ([`outside_root`]
//! is the one rule; snippets, partials and watch mode use it too).

use crate::convention::{Role, Rules};
use crate::diagnostics::Diagnostic;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// A page source: an `.mdx` or `.md` file that is not private.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the source root, `/`-separated (`sso/index.mdx`).
    pub rel: String,
    /// The file's text; `None` when it could not be read as UTF-8 text (a diagnostic says why).
    pub text: Option<String>,
}

/// A static file copied to the output as is.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Published path relative to the site root, `/`-separated: the path in the source
    /// tree, or under the folder the convention serves at the root.
    pub rel: String,
    /// Absolute path on disk.
    pub path: PathBuf,
}

/// Everything found under the source root.
#[derive(Debug, Default)]
pub struct SourceTree {
    /// Pages, sorted by `rel`.
    pub pages: Vec<SourceFile>,
    /// Navigation and config files the convention reads, sorted by `rel`.
    pub navs: Vec<SourceFile>,
    /// Files pages include (never published on their own), sorted by `rel`.
    pub partials: Vec<SourceFile>,
    /// Static files, sorted by `rel`.
    pub assets: Vec<Asset>,
}

/// Options for discovery: what to leave out.
#[derive(Debug, Clone, Default)]
pub struct DiscoverOptions {
    /// Directories (absolute or relative to the root) that are not content: snippets, output.
    pub exclude: Vec<PathBuf>,
    /// Read symlinks whose target is outside the source root (`allow_symlinks_outside`).
    pub allow_symlinks_outside: bool,
    /// A file name that marks a folder as a build's output (`.vellum-output`): a folder
    /// holding it is never read, whatever its name, so no output is read back as source.
    pub output_mark: Option<&'static str>,
}

/// Where `path` really is, when that is outside `root` (canonical): the link target a
/// build must not read. `None` when it resolves inside, or does not resolve at all (a
/// dangling link is reported by whoever reads it).
pub fn outside_root(root: &Path, path: &Path) -> Option<PathBuf> {
    path.canonicalize().ok().filter(|real| !real.starts_with(root))
}

/// The `source.symlink-outside` warning for the link `rel` to `target`.
pub fn symlink_outside(rel: impl Into<String>, target: &Path) -> Diagnostic {
    Diagnostic::warning(
        rel,
        0,
        0,
        "source.symlink-outside",
        format!("symbolic link to {}, outside the source root; it is skipped", target.display()),
    )
    .with_hint("set `allow_symlinks_outside = true` in vellum.toml to read links out of the source tree")
}

/// Is a name private (`_foo`), hidden (`.git`) or a dependency folder?
fn skipped_name(name: &str) -> bool {
    name.starts_with('.') || name == "node_modules"
}

/// Walk `root` and classify every file. Unreadable files, invalid UTF-8, binary files,
/// symlink loops and symlinks out of the root become diagnostics; discovery itself never
/// fails on content.
pub fn discover(root: &Path, opts: &DiscoverOptions, rules: &dyn Rules) -> (SourceTree, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    // Only a link can lead out of the root (every other entry sits under a checked one), so
    // only links pay for a `canonicalize`.
    let mut outside = Vec::new();
    let excluded: Vec<PathBuf> =
        opts.exclude.iter().map(|p| if p.is_absolute() { p.clone() } else { root.join(p) }).filter_map(|p| p.canonicalize().ok()).collect();
    let mut texts = Vec::new();
    let mut assets = Vec::new();
    let walker = walkdir::WalkDir::new(root).follow_links(true).sort_by_file_name().into_iter();
    let walker = walker.filter_entry(|e| {
        let name = e.file_name().to_string_lossy();
        if e.depth() > 0 && skipped_name(&name) {
            return false;
        }
        if e.depth() > 0
            && e.path_is_symlink()
            && !opts.allow_symlinks_outside
            && let Some(target) = outside_root(&canonical_root, e.path())
        {
            outside.push(symlink_outside(rel_of(root, e.path()), &target));
            return false;
        }
        let output = |dir: &Path| {
            e.depth() > 0 && opts.output_mark.is_some_and(|m| std::fs::symlink_metadata(dir.join(m)).is_ok_and(|m| m.is_file()))
        };
        !(e.file_type().is_dir() && (output(e.path()) || e.path().canonicalize().map(|c| excluded.contains(&c)).unwrap_or(false)))
    });
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                let rel = err.path().map(|p| rel_of(root, p)).unwrap_or_default();
                let (code, msg) = if err.loop_ancestor().is_some() {
                    ("source.symlink-loop", "symbolic link loop; the link is skipped".to_string())
                } else {
                    ("source.unreadable", err.to_string())
                };
                diags.push(Diagnostic::warning(rel, 0, 0, code, msg));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = rel_of(root, entry.path());
        match rules.role(&rel) {
            Role::Asset => assets.push(Asset { rel: rules.asset_path(&rel).to_owned(), path: entry.path().to_path_buf() }),
            Role::Skip => {}
            role => texts.push((rel, entry.path().to_path_buf(), role)),
        }
    }
    diags.extend(outside);
    // An asset is copied only at the end of a build: one that cannot be opened is reported
    // now, naming it, and left out, instead of failing the whole write.
    let checked: Vec<(Asset, Option<Diagnostic>)> = assets
        .into_par_iter()
        .map(|a| {
            let diag = std::fs::File::open(&a.path).err().map(|e| unreadable(rel_of(root, &a.path), &e));
            (a, diag)
        })
        .collect();
    let mut assets = Vec::with_capacity(checked.len());
    for (a, diag) in checked {
        match diag {
            Some(d) => diags.push(d),
            None => assets.push(a),
        }
    }
    let loaded: Vec<(SourceFile, Role, Option<Diagnostic>)> = texts
        .into_par_iter()
        .map(|(rel, path, role)| {
            let (text, diag) = read_text(&rel, &path);
            (SourceFile { rel, text }, role, diag)
        })
        .collect();
    let mut tree = SourceTree { assets, ..Default::default() };
    for (file, role, diag) in loaded {
        diags.extend(diag);
        match role {
            Role::Nav => tree.navs.push(file),
            Role::Partial => tree.partials.push(file),
            _ => tree.pages.push(file),
        }
    }
    (tree, diags)
}

fn rel_of(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// The `source.unreadable` error for a file that cannot be read.
fn unreadable(rel: impl Into<String>, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error(rel, 0, 0, "source.unreadable", format!("cannot read file: {e}"))
}

/// Read a file as UTF-8 text, reporting binary content and the position of invalid bytes.
pub fn read_text(rel: &str, path: &Path) -> (Option<String>, Option<Diagnostic>) {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return (None, Some(unreadable(rel, &e))),
    };
    if bytes.contains(&0) {
        let d = Diagnostic::error(rel, 0, 0, "source.binary", "file contains NUL bytes; it is not a text page")
            .with_hint("remove it or rename it so it does not end in .mdx/.md");
        return (None, Some(d));
    }
    match String::from_utf8(bytes) {
        Ok(mut s) => {
            if s.starts_with('\u{feff}') {
                s.drain(..3);
            }
            if s.contains('\r') {
                s = s.replace("\r\n", "\n").replace('\r', "\n");
            }
            (Some(s), None)
        }
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let before = &e.as_bytes()[..valid];
            let line = before.iter().filter(|&&b| b == b'\n').count() as u32 + 1;
            let line_start = before.iter().rposition(|&b| b == b'\n').map(|i| i + 1).unwrap_or(0);
            let col = String::from_utf8_lossy(&before[line_start..]).chars().count() as u32 + 1;
            let d =
                Diagnostic::error(rel, line, col, "source.invalid-utf8", "invalid UTF-8 byte sequence").with_hint("save the file as UTF-8");
            (None, Some(d))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discovers_and_classifies() {
        let dir = tempfile::tempdir().unwrap();
        let r = dir.path();
        std::fs::create_dir_all(r.join("sso/_private")).unwrap();
        std::fs::write(r.join("sso/index.mdx"), "---\ntitle: A\n---\n").unwrap();
        std::fs::write(r.join("sso/_navigation.mdx"), "---\ntitle: S\nlinks: []\n---\n").unwrap();
        std::fs::write(r.join("sso/_private/x.md"), "secret").unwrap();
        std::fs::write(r.join("sso/_draft.mdx"), "draft").unwrap();
        std::fs::write(r.join("logo.png"), [1, 2, 3]).unwrap();
        std::fs::write(r.join("bad.mdx"), [b'a', b'\n', b'x', 0xff, b'y']).unwrap();
        let (tree, diags) = discover(r, &DiscoverOptions::default(), crate::convention::Profile::default().rules().as_ref());
        let pages: Vec<_> = tree.pages.iter().map(|p| p.rel.as_str()).collect();
        assert_eq!(pages, ["bad.mdx", "sso/index.mdx"]);
        assert_eq!(tree.navs.len(), 1);
        assert_eq!(tree.assets.len(), 1);
        assert_eq!(diags.len(), 1);
        assert_eq!(
            diags[0].to_line(),
            "error[source.invalid-utf8]: bad.mdx:2:2: invalid UTF-8 byte sequence (hint: save the file as UTF-8)"
        );
    }

    #[test]
    fn a_folder_marked_as_an_output_is_never_read() {
        let dir = tempfile::tempdir().unwrap();
        let r = dir.path();
        for (rel, text) in [("index.mdx", "# Home"), ("a/b/index.md", "# Old output"), ("a/b/.mark", ""), ("a/c.mdx", "# C")] {
            std::fs::create_dir_all(r.join(rel).parent().unwrap()).unwrap();
            std::fs::write(r.join(rel), text).unwrap();
        }
        let profile = crate::convention::Profile::default();
        let rules = profile.rules();
        let opts = DiscoverOptions { output_mark: Some(".mark"), ..Default::default() };
        let (tree, _) = discover(r, &opts, rules.as_ref());
        assert_eq!(tree.pages.iter().map(|p| p.rel.as_str()).collect::<Vec<_>>(), ["a/c.mdx", "index.mdx"]);
        // The root itself is read even when it holds the mark.
        std::fs::write(r.join(".mark"), "").unwrap();
        assert_eq!(discover(r, &opts, rules.as_ref()).0.pages.len(), 2);
    }
}
