//! The convention seam: which docs tool a tree was written for, and that tool's rules as plain
//! data the pipeline reads. A [`Profile`] is produced once per compile, before discovery, from
//! the files at the root (or `convention = "…"` in `vellum.toml`); one module per tool maps the
//! tool's navigation files, URL rules, Markdown extensions and component names onto vellum's own
//! model (`Nav` trees, component families, syntax switches).
//! Architecture invariant: the only module that names a docs tool. Stages read a `Profile`;
//! they never test which tool it came from beyond the switches it carries.

pub mod components;
mod docusaurus;
pub mod folders;
mod fumadocs;
pub mod js;
mod layout;
mod locales;
mod mintlify;
mod mkdocs;
mod navkit;
mod nextra;
mod starlight;
mod vellum;

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::model::{Locales, Nav, PageUrl};
use crate::parse::ParsedPage;
use crate::source::SourceFile;
use serde_json::Value;
use std::path::Path;
use std::sync::Arc;

pub use layout::is_leftover;

/// What a file of the source tree is, for one convention.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A page: rendered and published.
    Page,
    /// A navigation or config file the convention reads (never published).
    Nav,
    /// A file pages include (imports, snippets): read, never published on its own.
    Partial,
    /// A static file, copied as is.
    Asset,
    /// Neither read nor published (private files, editor leftovers ([`is_leftover`], the
    /// same in every convention), the tool's own code).
    Skip,
}

/// What a convention's navigation reader gets.
pub struct NavInput<'a> {
    /// The source root.
    pub root: &'a Path,
    /// The files of role [`Role::Nav`], with their text, sorted by path.
    pub files: &'a [SourceFile],
    /// Every parsed page, sorted by path.
    pub pages: &'a [Arc<ParsedPage>],
    /// Site configuration.
    pub config: &'a Config,
}

/// One docs tool's rules: the single interface a convention implements.
pub trait Rules: Sync {
    /// The role of a file, by its `/`-separated path relative to the root.
    fn role(&self, rel: &str) -> Role;
    /// Where a static file is published, relative to the site root: its source path, unless
    /// the tool serves a folder at the root (`static/`, `public/`, MkDocs' `docs_dir`).
    fn asset_path<'r>(&self, rel: &'r str) -> &'r str {
        rel
    }
    /// A page's URL and index-ness, computed once, after its frontmatter is read.
    fn page_url(&self, rel: &str, frontmatter: &Value) -> PageUrl;
    /// The site's sections, in display order. Pages in no section are still built (and
    /// reported as unlisted by `vellum check`).
    fn navs(&self, input: &NavInput<'_>) -> (Vec<Nav>, Vec<Diagnostic>);
    /// The site's locales, where the tool's config names them; by default, top-level
    /// folders named with language tags ([`locales::folders`]).
    fn locales(&self, input: &NavInput<'_>) -> Option<Locales> {
        locales::folders(input.pages, input.config.locales.default.as_deref())
    }
}

/// The locales of a tree, unless `vellum.toml` turns them off (`[locales] enabled = false`).
pub fn locales(rules: &dyn Rules, input: &NavInput<'_>) -> Option<Locales> {
    if input.config.locales.enabled { rules.locales(input) } else { None }
}

/// The docs tool a tree was written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// vellum's own dialect (the WorkOS docs): `_navigation.mdx` files, DIALECT.md.
    Vellum,
    /// Docusaurus: `sidebars.js|ts`, `_category_.json`, frontmatter `id`/`slug`.
    Docusaurus,
    /// Starlight (Astro): the `sidebar` of `astro.config.*`, frontmatter `sidebar.*`.
    Starlight,
    /// Mintlify: `docs.json` or the older `mint.json`.
    Mintlify,
    /// Nextra: `_meta.*` files and App-Router `page.mdx` routes.
    Nextra,
    /// Fumadocs: `meta.json` files.
    Fumadocs,
    /// MkDocs: the `nav:` of `mkdocs.yml`.
    Mkdocs,
    /// No tool's files: folders and frontmatter order.
    Plain,
}

impl Kind {
    /// Every kind, for messages and `vellum.toml` validation.
    pub const ALL: [Kind; 8] =
        [Kind::Vellum, Kind::Docusaurus, Kind::Starlight, Kind::Mintlify, Kind::Nextra, Kind::Fumadocs, Kind::Mkdocs, Kind::Plain];

    /// The name used in `vellum.toml` and the build summary.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Vellum => "vellum",
            Kind::Docusaurus => "docusaurus",
            Kind::Starlight => "starlight",
            Kind::Mintlify => "mintlify",
            Kind::Nextra => "nextra",
            Kind::Fumadocs => "fumadocs",
            Kind::Mkdocs => "mkdocs",
            Kind::Plain => "plain",
        }
    }

    /// The kind named `name` (as in `vellum.toml`).
    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// How heading ids are made from heading text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SlugRule {
    /// The dialect's rule: ASCII letters and digits, `-2` for the second duplicate.
    Dialect,
    /// github-slugger, as Docusaurus, Starlight, Nextra, Mintlify and MkDocs' toc use: Unicode
    /// letters kept, duplicates get `-1`, `-2`.
    GitHub,
}

/// Which Markdown extensions a tree's pages are written with. Each switch is a syntax some
/// tool defines; the render stage honours exactly the ones that are on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Syntax {
    /// The dialect's list syntaxes: `- | Label` tabs, `- $ key=…` stack variants, `- + Q` accordions.
    pub dialect_lists: bool,
    /// The dialect's bold-prefix callouts (`**Note:** …` paragraphs).
    pub bold_callouts: bool,
    /// The dialect's `{{ "url": "…" }}` heading-attribute suffix.
    pub heading_attrs: bool,
    /// Directive containers: `:::note`, `:::tip[Title]`, `:::caution Title`, nested with more colons.
    pub containers: bool,
    /// Python-Markdown admonitions (`!!! note "Title"`), pymdownx details (`??? tip`, `???+`)
    /// and tabs (`=== "Label"`), each holding the indented lines after it.
    pub admonitions: bool,
    /// How relative links (`b`, `../x/y`) are read.
    pub relative_links: RelativeLinks,
    /// GitHub alerts: `> [!NOTE]` blockquotes.
    pub gh_alerts: bool,
    /// Explicit heading ids: `## Title {#custom-id}`.
    pub custom_heading_ids: bool,
    /// Docusaurus `// highlight-next-line` / `highlight-start` comments in fences.
    pub highlight_comments: bool,
}

/// How a tool's sites read a relative link; each is how a browser resolves it against the
/// page's URL as that tool serves it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum RelativeLinks {
    /// The dialect's rule: a bare relative link (`sso/x`) from the site root first, with a
    /// warning; `./` and `../` from the page.
    #[default]
    FromRoot,
    /// From the page's folder, an index page's being its own (URLs with a trailing slash:
    /// MkDocs, Starlight).
    FromFolder,
    /// From the page's URL without a trailing slash: an index page's links are read from its
    /// parent (Next.js, Docusaurus, Mintlify).
    FromUrl,
}

/// A tree's conventions as plain data, read by every stage that needs them. Its `Debug` form
/// is part of the render-cache key, so a change of convention re-renders every page.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    /// The tool.
    pub kind: Kind,
    /// How the kind was chosen (for the build summary): `detected from sidebars.js`,
    /// `vellum.toml`, `default`.
    pub reason: String,
    /// Heading-id rule.
    pub slug: SlugRule,
    /// Markdown extensions.
    pub syntax: Syntax,
    /// Component names and the families they stand for.
    pub components: components::Table,
    /// The folder, relative to the root, that the tool's config says holds the pages (MkDocs'
    /// `docs_dir`); empty where the convention reads the whole tree.
    pub docs_dir: String,
    /// Patterns (gitignore lines, relative to `docs_dir`) of files the tool's config keeps
    /// out of the site (MkDocs' `exclude_docs`).
    pub exclude: Vec<String>,
    /// The folders of pages the tool's config names, each with its URL base and nav file
    /// (Docusaurus' docs plugin instances); empty where the convention's defaults apply.
    pub roots: Vec<ContentRoot>,
}

/// A folder of pages a tool's config names (a Docusaurus docs plugin instance).
#[derive(Debug, Clone, PartialEq)]
pub struct ContentRoot {
    /// The folder, relative to the source root (`docs`; `` for the root itself).
    pub dir: String,
    /// The URL its pages are published under (`/docs`; `` for the site root).
    pub url: String,
    /// The navigation file listing its pages: a root-relative path, `Some("")` for the tool's
    /// default file name, `None` for navigation generated from the folder.
    pub nav: Option<String>,
}

impl Profile {
    /// The profile of a kind, with its tool's syntax switches.
    pub fn of(kind: Kind, reason: impl Into<String>) -> Self {
        // Plain folders keep the dialect's rules (vellum's own default) and also read the
        // block syntaxes every other tool shares, which the dialect never writes.
        let dialect = matches!(kind, Kind::Vellum | Kind::Plain);
        let syntax = Syntax {
            dialect_lists: dialect,
            bold_callouts: dialect,
            heading_attrs: dialect,
            containers: kind != Kind::Vellum,
            admonitions: kind == Kind::Mkdocs,
            relative_links: match kind {
                Kind::Vellum | Kind::Plain => RelativeLinks::FromRoot,
                // Sites served without a trailing slash (Next.js, Docusaurus, Mintlify).
                Kind::Nextra | Kind::Fumadocs | Kind::Docusaurus | Kind::Mintlify => RelativeLinks::FromUrl,
                Kind::Starlight | Kind::Mkdocs => RelativeLinks::FromFolder,
            },
            gh_alerts: kind != Kind::Vellum,
            custom_heading_ids: kind != Kind::Vellum,
            highlight_comments: kind != Kind::Vellum,
        };
        let slug = if dialect { SlugRule::Dialect } else { SlugRule::GitHub };
        Profile {
            kind,
            reason: reason.into(),
            slug,
            syntax,
            components: components::Table::of(kind),
            docs_dir: String::new(),
            exclude: Vec::new(),
            roots: Vec::new(),
        }
    }

    /// The profile for a source root: `forced` (from `vellum.toml`) if given, else detected.
    pub fn for_root(root: &Path, forced: Option<Kind>) -> Self {
        let mut profile = match forced {
            Some(k) => Profile::of(k, "vellum.toml"),
            None => {
                let (kind, why) = detect(root);
                Profile::of(kind, why)
            }
        };
        if profile.kind == Kind::Docusaurus {
            profile.roots = docusaurus::content_roots(root);
        }
        if profile.kind == Kind::Mkdocs {
            profile.docs_dir = mkdocs::docs_dir(root);
            profile.exclude = mkdocs::exclude_docs(root);
        }
        profile
    }
}

impl Profile {
    /// The rules of the profile's convention (boxed, as some hold the profile's settings; the
    /// others are zero-sized and allocate nothing).
    pub fn rules(&self) -> Box<dyn Rules + '_> {
        match self.kind {
            Kind::Vellum => Box::new(vellum::Vellum),
            Kind::Plain => Box::new(folders::Plain),
            Kind::Docusaurus => Box::new(docusaurus::Docusaurus { roots: &self.roots }),
            Kind::Mintlify => Box::new(mintlify::Mintlify),
            Kind::Nextra => Box::new(nextra::Nextra),
            Kind::Starlight => Box::new(starlight::Starlight),
            Kind::Fumadocs => Box::new(fumadocs::Fumadocs),
            Kind::Mkdocs => Box::new(mkdocs::Mkdocs::new(&self.docs_dir, &self.exclude)),
        }
    }
}

impl Default for Profile {
    /// The dialect, which vellum's own guide and the WorkOS docs are written in.
    fn default() -> Self {
        Profile::of(Kind::Vellum, "default")
    }
}

/// Files at a tree's root that name its tool, in the order they are tried: a tool's own
/// config wins over generic markers (a Docusaurus tree may hold `_category_.json` files, a
/// Nextra tree `meta.json`).
const MARKERS: &[(&str, Kind)] = &[
    ("docs.json", Kind::Mintlify),
    ("mint.json", Kind::Mintlify),
    ("sidebars.js", Kind::Docusaurus),
    ("sidebars.ts", Kind::Docusaurus),
    ("sidebars.mjs", Kind::Docusaurus),
    ("sidebars.cjs", Kind::Docusaurus),
    ("sidebars.json", Kind::Docusaurus),
    ("docusaurus.config.js", Kind::Docusaurus),
    ("docusaurus.config.ts", Kind::Docusaurus),
    ("docusaurus.config.mjs", Kind::Docusaurus),
    ("source.config.ts", Kind::Fumadocs),
    ("source.config.mjs", Kind::Fumadocs),
    ("content/docs/meta.json", Kind::Fumadocs),
    ("mkdocs.yml", Kind::Mkdocs),
    ("mkdocs.yaml", Kind::Mkdocs),
    ("_meta.global.tsx", Kind::Nextra),
    ("_meta.global.ts", Kind::Nextra),
    ("_meta.global.jsx", Kind::Nextra),
    ("_meta.global.js", Kind::Nextra),
    ("_meta.tsx", Kind::Nextra),
    ("_meta.ts", Kind::Nextra),
    ("_meta.jsx", Kind::Nextra),
    ("_meta.js", Kind::Nextra),
    ("_meta.json", Kind::Nextra),
    ("meta.json", Kind::Fumadocs),
];

/// The root-relative path an absolute import specifier names, in the forms the tools define
/// whatever the tree's convention: Mintlify's `/snippets/x.mdx` (from the docs root) and
/// Docusaurus' `@site/x` (from the site folder). Astro's `~/` and `@/` are per-project
/// `tsconfig` paths, which vellum does not read: `None`, like any other bare specifier.
pub fn import_root_alias(spec: &str) -> Option<&str> {
    spec.strip_prefix("@site/").or_else(|| spec.strip_prefix('/').filter(|s| !s.starts_with('/')))
}

/// Guess a tree's tool from the files at its root (and, for Starlight, whether its Astro config
/// uses the `starlight` integration). `_navigation.mdx` anywhere in the first two levels means
/// the dialect; nothing recognised means plain folders.
pub fn detect(root: &Path) -> (Kind, String) {
    for (file, kind) in MARKERS {
        if root.join(file).is_file() {
            return (*kind, format!("detected from {file}"));
        }
    }
    for file in ["astro.config.mjs", "astro.config.ts", "astro.config.js", "astro.config.mts"] {
        let p = root.join(file);
        if p.is_file() && std::fs::read_to_string(&p).is_ok_and(|t| t.contains("starlight")) {
            return (Kind::Starlight, format!("detected from {file}"));
        }
    }
    if has_dialect_nav(root) {
        return (Kind::Vellum, "detected from _navigation.mdx".into());
    }
    (Kind::Plain, "no navigation file found".into())
}

/// Is there a `_navigation.mdx` at the root or one level down?
fn has_dialect_nav(root: &Path) -> bool {
    let nav = |d: &Path| ["_navigation.mdx", "_navigation.md"].iter().any(|f| d.join(f).is_file());
    nav(root)
        || std::fs::read_dir(root)
            .map(|rd| rd.flatten().any(|e| e.file_type().is_ok_and(|t| t.is_dir()) && nav(&e.path())))
            .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_each_tool_from_its_root_files() {
        let cases: &[(&str, &str, Kind)] = &[
            ("sidebars.js", "module.exports = {}", Kind::Docusaurus),
            ("docs.json", "{}", Kind::Mintlify),
            ("mint.json", "{}", Kind::Mintlify),
            ("mkdocs.yml", "nav: []", Kind::Mkdocs),
            ("_meta.global.tsx", "export default {}", Kind::Nextra),
            ("meta.json", "{}", Kind::Fumadocs),
            ("astro.config.mjs", "import starlight from '@astrojs/starlight'", Kind::Starlight),
            ("_navigation.mdx", "---\ntitle: A\n---\n", Kind::Vellum),
            ("astro.config.mjs", "export default {}", Kind::Plain),
        ];
        for (file, text, kind) in cases {
            let dir = tempfile::tempdir().unwrap();
            std::fs::write(dir.path().join(file), text).unwrap();
            assert_eq!(detect(dir.path()).0, *kind, "{file}");
        }
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sso")).unwrap();
        std::fs::write(dir.path().join("sso/_navigation.mdx"), "").unwrap();
        assert_eq!(detect(dir.path()).0, Kind::Vellum);
        assert_eq!(Profile::for_root(dir.path(), Some(Kind::Mkdocs)).kind, Kind::Mkdocs);
    }

    #[test]
    fn editor_leftovers_are_skipped_by_every_convention() {
        let dir = tempfile::tempdir().unwrap();
        let dirs = ["", "docs/", "src/", "src/components/", "src/content/docs/", "static/", "public/", "snippets/", "_x/"];
        for kind in Kind::ALL {
            let mut profile = Profile::for_root(dir.path(), Some(kind));
            profile.docs_dir = "docs".into();
            let rules = profile.rules();
            for d in dirs {
                for name in ["a.mdx~", "#a.mdx#", ".#a.mdx", ".a.mdx.swp", ".a.mdx.swo", "a.tmp", "4913", "logo.png~"] {
                    assert_eq!(rules.role(&format!("{d}{name}")), Role::Skip, "{} {d}{name}", kind.name());
                }
            }
        }
    }

    #[test]
    fn names_round_trip() {
        for k in Kind::ALL {
            assert_eq!(Kind::from_name(k.name()), Some(k));
        }
    }
}
