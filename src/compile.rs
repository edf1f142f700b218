//! The pipeline driver: discover → parse → (global indexes) → render → link → emit, each
//! stage's diagnostics collected, per-stage timings measured. `Compiler` keeps the render
//! cache between runs so watch mode re-renders only pages whose inputs changed.
//! Architecture invariant: this is the only module that knows the order of the stages.

use crate::config::Config;
use crate::convention::{NavInput, Profile};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::PageUrl;
use crate::output::{self, EmitInput, Files};
use crate::parse::{self, ParsedPage};
use crate::render::body::Spill;
use crate::render::partials::Includes;
use crate::render::{self, RenderCtx, RenderedPage, Snippet, Snippets};
use crate::site::{self, LinkInput, Site, reference::ReferenceIndex};
use crate::source::{self, Asset, DiscoverOptions};
use minijinja::Environment;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Wall time of each stage of one compile.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Timings {
    /// Discover and read files.
    pub load: Duration,
    /// Frontmatter, MDX, navigation, reference index.
    pub parse: Duration,
    /// Markdown, components, highlighting.
    pub render: Duration,
    /// Titles, nav, links.
    pub link: Duration,
    /// Templates, search, llms, feeds (in memory).
    pub emit: Duration,
    /// Pages actually rendered (not taken from the cache).
    pub rendered: usize,
}

/// The result of compiling a source tree in memory.
pub struct Compiled {
    /// The linked site.
    pub site: Site,
    /// Every output file.
    pub files: Files,
    /// Static files of the source tree, copied as is.
    pub assets: Vec<Asset>,
    /// Everything found.
    pub diags: Diagnostics,
    /// Source texts of the files with findings, by relative path, for diagnostic snippets:
    /// only the lines that findings point at (the others empty, so line numbers hold).
    pub sources: HashMap<String, String>,
    /// Stage timings.
    pub timings: Timings,
    /// The conventions the tree was read with.
    pub profile: Profile,
}

/// A compiler for one source tree, reusable across builds (watch mode).
pub struct Compiler {
    /// Source root.
    pub source: PathBuf,
    /// Configuration.
    pub config: Arc<Config>,
    /// Parsed pages by path, keyed by the hash of their text.
    parsed: Mutex<HashMap<String, Arc<ParsedPage>>>,
    /// Rendered pages by path, keyed by their text and every global input.
    cache: Mutex<HashMap<String, (blake3::Hash, Arc<RenderedPage>)>>,
    /// Page HTML by output path, keyed by the page's template inputs; `None` for a one-shot
    /// build, where it would only hold a second copy of every page.
    pages: Option<output::pages::PageCache>,
    /// The API-reference index and its diagnostics, keyed by the reference data of all pages.
    refs: Mutex<Option<(blake3::Hash, Arc<ReferenceIndex>, Vec<Diagnostic>)>>,
    /// The global render inputs of the last compile, for [`Compiler::patch`].
    inputs: Mutex<Option<Arc<RenderInputs>>>,
    /// Where a one-shot build keeps rendered page bodies until they are emitted, and the
    /// size of the page sources above which it does.
    spill: Option<(Arc<Spill>, u64)>,
}

/// What every page's render reads besides its own text.
struct RenderInputs {
    profile: Profile,
    references: Arc<ReferenceIndex>,
    env: Environment<'static>,
    snippets: Snippets,
    cards: Vec<render::PageCard>,
    includes: Includes,
    /// Hash of all of the above and the config: part of every render-cache key.
    global: blake3::Hash,
    theme: Vec<(String, Vec<u8>)>,
}

/// The render-cache key of a page: its text, every global input and, when it imports, the
/// imported files.
fn render_key(global: &blake3::Hash, page: &ParsedPage, includes: &Includes) -> blake3::Hash {
    let mut h = blake3::Hasher::new();
    h.update(global.as_bytes()).update(page.hash.as_bytes());
    if !page.esm.imports.is_empty() {
        h.update(includes.key().as_bytes());
    }
    h.finalize()
}

impl Compiler {
    /// A compiler for `source` with `config`.
    pub fn new(source: impl Into<PathBuf>, config: Config) -> Self {
        Self {
            source: source.into(),
            config: Arc::new(config),
            parsed: Mutex::default(),
            cache: Mutex::default(),
            pages: None,
            refs: Mutex::default(),
            inputs: Mutex::default(),
            spill: None,
        }
    }

    /// A one-shot build that writes each rendered page's bodies to `spill` instead of
    /// holding every page's in memory until emit, when the page sources total more than
    /// `over` bytes (ignored by [`Compiler::incremental`]).
    pub fn spilling_to(self, spill: Arc<Spill>, over: u64) -> Self {
        Self { spill: Some((spill, over)), ..self }
    }

    /// A compiler for repeated builds of `source` (watch mode): it also keeps page HTML.
    pub fn incremental(source: impl Into<PathBuf>, config: Config) -> Self {
        Self { pages: Some(Mutex::default()), ..Self::new(source, config) }
    }

    fn resolve(&self, p: &Path) -> PathBuf {
        if p.is_absolute() { p.to_path_buf() } else { self.source.join(p) }
    }

    /// Compile the whole tree in memory.
    pub fn compile(&self) -> Compiled {
        self.compile_with(true)
    }

    /// Compile; with `search: false` the search index files are left out (the preview
    /// server adds them with [`output::search_files`] after publishing the pages).
    pub fn compile_with(&self, search: bool) -> Compiled {
        let sink = Mutex::new(Files::new());
        let mut c = self.compile_to(search, &sink);
        c.files = sink.into_inner().unwrap_or_default();
        c
    }

    /// Compile, handing every output file to `sink` as soon as it is ready (`vellum build`
    /// streams them to disk, so the site is never held in memory); `files` stays empty.
    pub fn compile_into(&self, sink: &dyn output::Sink) -> Compiled {
        self.compile_to(true, sink)
    }

    fn compile_to(&self, search: bool, sink: &dyn output::Sink) -> Compiled {
        let mut t = Timings::default();
        let mut diags = Diagnostics::default();
        let cfg = &self.config;

        let start = Instant::now();
        let mut profile = Profile::for_root(&self.source, cfg.convention);
        profile.components = profile.components.with_site(&cfg.components);
        let snippet_dir = self.resolve(&cfg.snippets);
        let mut exclude = vec![snippet_dir.clone(), cfg.output.clone()];
        exclude.extend(cfg.templates.iter().map(|p| self.resolve(p)));
        exclude.extend(cfg.theme.iter().map(|p| self.resolve(p)));
        let rules = profile.rules();
        let (tree, d) = source::discover(
            &self.source,
            &DiscoverOptions {
                exclude,
                allow_symlinks_outside: cfg.allow_symlinks_outside,
                output_mark: Some(output::write::target::OUTPUT_MARK),
            },
            &*rules,
        );
        diags.extend(d);
        let source_bytes: u64 = tree.pages.iter().filter_map(|f| f.text.as_ref()).map(|t| t.len() as u64).sum();
        let spill = self.spill.as_ref().filter(|(_, over)| source_bytes > *over).map(|(s, _)| s);
        let snippets = load_snippets(&self.source, &snippet_dir, &cfg.snippets, cfg.allow_symlinks_outside, &mut diags);
        let changelog = match &cfg.changelog {
            Some(p) => site::changelog::load(&self.resolve(p), &p.display().to_string()).unwrap_or_else(|d| {
                diags.push(d);
                Vec::new()
            }),
            None => Vec::new(),
        };
        t.load = start.elapsed();

        let start = Instant::now();
        let address = |rel: &str, fm: &serde_json::Value| rules.page_url(rel, fm);
        // Caches only pay off across builds; a one-shot build frees each stage's data early.
        let keep = self.pages.is_some();
        let mut parsed: Vec<Arc<ParsedPage>> = tree
            .pages
            .into_par_iter()
            .filter_map(|f| {
                let text = f.text.as_deref()?;
                if !keep {
                    return Some(Arc::new(parse::parse_page(f, &address)));
                }
                let hash = blake3::hash(text.as_bytes());
                // A cached page stands only while its address holds (the convention may change).
                let fresh = |p: &Arc<ParsedPage>| {
                    p.hash == hash && address(&p.rel, &p.frontmatter) == PageUrl { url: p.url.clone(), is_index: p.is_index }
                };
                if let Some(p) = self.parsed.lock().ok().and_then(|c| c.get(&f.rel).cloned()).filter(fresh) {
                    return Some(p);
                }
                let p = Arc::new(parse::parse_page(f, &address));
                if let Ok(mut c) = self.parsed.lock() {
                    c.insert(p.rel.clone(), p.clone());
                }
                Some(p)
            })
            .collect();
        let (navs_src, mut tree_assets) = (tree.navs, tree.assets);
        if let Ok(mut c) = self.parsed.lock() {
            let live: HashSet<&str> = parsed.iter().map(|p| p.rel.as_str()).collect();
            c.retain(|k, _| live.contains(k.as_str()));
        }
        // One page per output path, chosen before navigation is read: a page left out is
        // in no nav, bundle or index. Static files are checked once the site is linked.
        let theme = output::templates::theme_files(cfg.theme.as_ref().map(|p| self.resolve(p)).as_deref());
        let mut claims = output::claims::Claims::new(&theme, !changelog.is_empty());
        diags.extend(claims.pages(&mut parsed));
        let nav_input = NavInput { root: &self.source, files: &navs_src, pages: &parsed, config: cfg };
        let (nav_list, d) = rules.navs(&nav_input);
        let locales = crate::convention::locales(&*rules, &nav_input);
        // The rules borrow the profile, which the compiled site takes below.
        drop(rules);
        diags.extend(d);
        let mut nav_titles = HashMap::new();
        for n in &nav_list {
            for node in n.walk() {
                if let Some(u) = &node.url {
                    nav_titles.entry(u.clone()).or_insert_with(|| node.title.clone());
                }
            }
        }
        let refs_key = {
            let mut h = blake3::Hasher::new();
            for p in &parsed {
                if let Some(r) = &p.ref_hash {
                    h.update(p.rel.as_bytes()).update(&[0]).update(p.url.as_bytes()).update(r.as_bytes());
                }
            }
            h.finalize()
        };
        let cached =
            self.refs.lock().ok().and_then(|c| c.as_ref().filter(|(k, ..)| *k == refs_key).map(|(_, r, d)| (r.clone(), d.clone())));
        let (references, d) = cached.unwrap_or_else(|| {
            let ref_sources: Vec<_> = parsed
                .iter()
                .map(|p| site::reference::RefSource { file: &p.rel, url: &p.url, frontmatter: &p.frontmatter, raw: &p.raw })
                .collect();
            let (r, d) = ReferenceIndex::build(&ref_sources);
            let r = Arc::new(r);
            if let Ok(mut c) = self.refs.lock() {
                *c = Some((refs_key, r.clone(), d.clone()));
            }
            (r, d)
        });
        diags.extend(d);
        t.parse = start.elapsed();

        let start = Instant::now();
        let env = output::templates::environment(cfg.templates.as_ref().map(|p| self.resolve(p)).as_deref());
        let cards = site::cards(&parsed, &nav_titles);
        let (includes, d) = Includes::load(&self.source, &parsed, &tree.partials, cfg.allow_symlinks_outside);
        diags.extend(d);
        let ctx = RenderCtx {
            config: cfg,
            references: &references,
            templates: &env,
            snippets: &snippets,
            cards: &cards,
            profile: &profile,
            includes: &includes,
        };
        // Every page's render depends on these global inputs as well as its own text.
        let global = {
            let mut h = blake3::Hasher::new();
            h.update(format!("{cfg:?}{profile:?}").as_bytes());
            h.update(output::templates::fingerprint(cfg.templates.as_ref().map(|p| self.resolve(p)).as_deref()).as_bytes());
            h.update(refs_key.as_bytes());
            h.update(format!("{:?}", snippets.by_name.keys().collect::<Vec<_>>()).as_bytes());
            h.update(format!("{cards:?}").as_bytes());
            h.finalize()
        };
        let rendered: Vec<(Arc<RenderedPage>, bool)> = parsed
            .par_iter_mut()
            .map(|p| {
                if !keep {
                    let mut r = render::render_page(p, &ctx);
                    if let Some(spill) = spill {
                        for body in [&mut r.html, &mut r.markdown] {
                            *body = spill.body(std::mem::take(body).into_text());
                        }
                    }
                    let r = Arc::new(r);
                    // Later stages read the page's metadata, never its body or frontmatter.
                    if let Some(p) = Arc::get_mut(p) {
                        (p.mdx, p.frontmatter) = Default::default();
                    }
                    return (r, true);
                }
                let key = render_key(&global, p, &includes);
                if let Some((h, r)) = self.cache.lock().ok().and_then(|c| c.get(&p.rel).cloned()) {
                    if h == key {
                        return (r, false);
                    }
                }
                let r = Arc::new(render::render_page(p, &ctx));
                if let Ok(mut c) = self.cache.lock() {
                    c.insert(p.rel.clone(), (key, r.clone()));
                }
                (r, true)
            })
            .collect();
        if let Ok(mut c) = self.cache.lock() {
            let live: HashSet<&str> = parsed.iter().map(|p| p.rel.as_str()).collect();
            c.retain(|k, _| live.contains(k.as_str()));
        }
        t.rendered = rendered.iter().filter(|(_, fresh)| *fresh).count();
        let rendered: Vec<Arc<RenderedPage>> = rendered.into_iter().map(|(r, _)| r).collect();
        for (p, r) in parsed.iter().zip(&rendered) {
            diags.extend(p.diags.iter().cloned());
            diags.extend(r.diags.iter().cloned());
        }
        if !keep {
            render::highlight::Highlighter::global().finish();
            // Past render, a page's text is only quoted by diagnostics: keep the lines of
            // those found so far and of its links (the link stage reports there), so the
            // sources are not all held through the link stage, a large site's peak.
            let noted = noted_lines(&diags);
            parsed.par_iter_mut().zip(&rendered).for_each(|(p, r)| {
                if let Some(p) = Arc::get_mut(p) {
                    let mut lines = noted.get(p.rel.as_str()).cloned().unwrap_or_default();
                    lines.extend(r.links.iter().map(|l| l.line));
                    p.raw = quoted_lines(&p.raw, &lines);
                }
            });
        }
        t.render = start.elapsed();

        let start = Instant::now();
        let assets: Vec<String> = tree_assets.iter().map(|a| a.rel.clone()).collect();
        let (site, d) = site::link(LinkInput {
            config: cfg.clone(),
            parsed: &parsed,
            rendered,
            navs: nav_list,
            assets: &assets,
            nav_titles: &nav_titles,
            changelog,
            relative_links: profile.syntax.relative_links,
            locales,
        });
        diags.extend(d);
        diags.extend(claims.assets(&site, &mut tree_assets));
        t.link = start.elapsed();
        // Diagnostics quote their own line: only those lines of the files with findings are
        // kept (later stages report on templates, not sources).
        let noted = noted_lines(&diags);
        let sources: HashMap<String, String> = parsed
            .par_iter()
            .map(|p| (&p.rel, p.raw.as_str()))
            .chain(navs_src.par_iter().map(|n| (&n.rel, n.text.as_deref().unwrap_or(""))))
            .filter_map(|(rel, text)| Some((rel.clone(), quoted_lines(text, noted.get(rel.as_str())?))))
            .collect();
        drop((noted, navs_src));
        // Freed in parallel: on a large site, dropping every parsed page was a serial step.
        parsed.into_par_iter().for_each(drop);

        let start = Instant::now();
        diags.extend(output::render_files(&site, &EmitInput { env: &env, theme: &theme, search, page_cache: self.pages.as_ref() }, sink));
        t.emit = start.elapsed();
        if keep && let Ok(mut last) = self.inputs.lock() {
            *last = Some(Arc::new(RenderInputs { profile: profile.clone(), references, env, snippets, cards, includes, global, theme }));
        }

        Compiled { site, files: Files::new(), assets: tree_assets, diags: dedupe(diags), sources, timings: t, profile }
    }

    /// The preview server's fast path for a saved page: re-parse, re-render and re-link the
    /// existing page `rel` alone against `site` (the last compile), returning its output
    /// files (HTML and twin). Only for an edit that provably changes no other page: same
    /// frontmatter, same title source, same headings, no errors. `None` otherwise (or when
    /// nothing changed); a full compile is needed then. The caches are seeded, so the full
    /// compile that follows reuses this render.
    pub fn patch(&self, site: &Site, rel: &str) -> Option<Vec<(String, Arc<Vec<u8>>)>> {
        let inputs = self.inputs.lock().ok()?.clone()?;
        let old = self.parsed.lock().ok()?.get(rel).cloned()?;
        let path = self.resolve(Path::new(rel));
        // A page swapped for a link out of the tree waits for the full compile, which skips it.
        let root = self.source.canonicalize().ok()?;
        if !self.config.allow_symlinks_outside && source::outside_root(&root, &path).is_some() {
            return None;
        }
        let text = std::fs::read_to_string(path).ok()?;
        let rules = inputs.profile.rules();
        let new = parse::parse_page(source::SourceFile { rel: rel.to_string(), text: Some(text) }, &|r, fm| rules.page_url(r, fm));
        // A page another page imports changes that page too.
        if new.hash == old.hash
            || inputs.includes.contains(rel)
            || new.esm != old.esm
            || new.has_errors()
            || new.frontmatter != old.frontmatter
            || new.first_heading != old.first_heading
            || new.title_from_h1 != old.title_from_h1
        {
            return None;
        }
        // A page of a site with locales has fallback copies in other locales: recompile.
        if site.locales.is_some() {
            return None;
        }
        let i = *site.by_url.get(&new.url)?;
        let page = &site.pages[i];
        if page.source.as_deref() != Some(rel) {
            return None;
        }
        let ctx = RenderCtx {
            config: &self.config,
            references: &inputs.references,
            templates: &inputs.env,
            snippets: &inputs.snippets,
            cards: &inputs.cards,
            profile: &inputs.profile,
            includes: &inputs.includes,
        };
        let r = render::render_page(&new, &ctx);
        if r.headings != page.headings || r.diags.iter().any(Diagnostic::is_error) {
            return None;
        }
        let (html, markdown, d) = site.relink(i, rel, &r);
        if d.iter().any(Diagnostic::is_error) {
            return None;
        }
        let page = site::Page { html, markdown, placeholders: r.placeholders.clone(), ..page.clone() };
        let files = output::pages::page_files(site, &page, &inputs.env, &inputs.theme).ok()?;
        let new = Arc::new(new);
        let key = render_key(&inputs.global, &new, &inputs.includes);
        self.parsed.lock().ok()?.insert(rel.to_string(), new);
        self.cache.lock().ok()?.insert(rel.to_string(), (key, Arc::new(r)));
        Some(files)
    }
}

/// The lines each file's diagnostics point at, by file.
fn noted_lines(diags: &Diagnostics) -> HashMap<&str, Vec<u32>> {
    let mut noted: HashMap<&str, Vec<u32>> = HashMap::new();
    for d in diags.iter() {
        noted.entry(d.file.as_str()).or_default().push(d.line);
    }
    noted
}

/// `text` with only the lines in `keep` (1-based), the others emptied.
fn quoted_lines(text: &str, keep: &[u32]) -> String {
    let mut keep = keep.to_vec();
    keep.sort_unstable();
    let mut out = String::new();
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if keep.binary_search(&(i as u32 + 1)).is_ok() {
            out.push_str(line);
        }
    }
    out
}

/// Warnings that should appear once per key rather than once per use.
fn dedupe(diags: Diagnostics) -> Diagnostics {
    let mut seen = HashSet::new();
    let mut out = Diagnostics::default();
    let mut last: Option<&Diagnostic> = None;
    for d in diags.sorted() {
        if last == Some(d) {
            continue;
        }
        last = Some(d);
        if d.code == "component.unknown" {
            let name = d.message.split(['<', '>']).nth(1).unwrap_or("").to_string();
            if !seen.insert(name) {
                continue;
            }
        }
        out.push(d.clone());
    }
    out
}

/// Snippet files under `dir`, by name (path without extension). Like every entry of the
/// source tree, a file is read only if it resolves inside the source root `source` (inside
/// `dir` itself when the configuration puts `dir` elsewhere), unless `allow_outside`;
/// diagnostics name files under `shown`, the directory as configured.
fn load_snippets(source: &Path, dir: &Path, shown: &Path, allow_outside: bool, diags: &mut Diagnostics) -> Snippets {
    let mut s = Snippets::default();
    let Ok(root) = dir.canonicalize() else { return s };
    let source_root = source.canonicalize().unwrap_or_else(|_| source.to_path_buf());
    // A directory the configuration names outside the tree is the boundary itself.
    let elsewhere = shown.is_absolute() || shown.components().any(|c| c == std::path::Component::ParentDir);
    let bound = if elsewhere { &root } else { &source_root };
    if !allow_outside && !root.starts_with(bound) {
        diags.push(source::symlink_outside(shown.display().to_string(), &root));
        return s;
    }
    for e in walkdir::WalkDir::new(&root).follow_links(true).sort_by_file_name().into_iter().flatten() {
        if !e.file_type().is_file() {
            continue;
        }
        let rel = e.path().strip_prefix(&root).unwrap_or(e.path()).to_string_lossy().replace('\\', "/");
        if !allow_outside && let Some(target) = source::outside_root(bound, e.path()) {
            diags.push(source::symlink_outside(format!("{}/{rel}", shown.display()), &target));
            continue;
        }
        let (name, ext) = match rel.rsplit_once('.') {
            Some((n, x)) if !n.is_empty() && !n.ends_with('/') => (n.to_string(), x.to_string()),
            _ => (rel.clone(), String::new()),
        };
        let Ok(code) = std::fs::read_to_string(e.path()) else { continue };
        s.by_name.entry(name).or_default().push(Snippet { lang: lang_of_ext(&ext).to_string(), code });
    }
    s
}

fn lang_of_ext(ext: &str) -> &str {
    match ext {
        "js" | "mjs" | "cjs" => "js",
        "ts" => "ts",
        "py" => "python",
        "rb" => "ruby",
        "go" => "go",
        "java" => "java",
        "kt" => "kotlin",
        "php" => "php",
        "cs" => "dotnet",
        "ex" | "exs" => "elixir",
        "sh" => "shell",
        "rs" => "rust",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, rel: &str, text: &str) {
        std::fs::write(root.join(rel), text).unwrap();
    }

    const PAGE: &str =
        "---\ntitle: Guide\n---\n\nSee [the other page](/other#details).\n\n## Setup\n\nRun `make`.\n\n```js\nlet a = 1;\n```\n";

    #[test]
    fn quoted_lines_keep_line_numbers() {
        let text = "one\ntwo\r\nthree\nfour";
        let q = quoted_lines(text, &[3, 2, 3]);
        assert_eq!(q, "\ntwo\r\nthree\n");
        let d = Diagnostic::warning("f", 3, 2, "x", "m");
        assert_eq!(d.render(Some(&q)), d.render(Some(text)));
    }

    #[test]
    fn patch_equals_a_full_compile_and_refuses_outline_changes() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "index.mdx", "---\ntitle: Home\n---\n\nWelcome.\n");
        write(root, "guide.mdx", PAGE);
        write(root, "other.mdx", "---\ntitle: Other\n---\n\n## Details\n\nText.\n");
        let compiler = Compiler::incremental(root, Config::default());
        let first = compiler.compile();
        assert_eq!(first.diags.errors(), 0);

        write(root, "guide.mdx", &PAGE.replace("Run `make`.", "Run `make install` & wait."));
        let files = compiler.patch(&first.site, "guide.mdx").expect("a body edit takes the fast path");
        let full = Compiler::new(root, Config::default()).compile();
        assert_eq!(files.len(), 2);
        for (path, bytes) in &files {
            assert_eq!(full.files.get(path), Some(bytes), "{path} differs from a full compile");
        }
        assert!(String::from_utf8_lossy(&files[0].1).contains("make install"));
        assert!(String::from_utf8_lossy(&files[0].1).contains("href=\"/other/#details\""));

        let refused = [
            ("a heading", PAGE.replace("## Setup", "## Install")),
            ("the frontmatter", PAGE.replace("title: Guide", "title: Guide two")),
            ("an error", PAGE.replace("Run `make`.", "<Broken")),
            ("nothing", std::fs::read_to_string(root.join("guide.mdx")).unwrap()),
        ];
        for (what, text) in refused {
            write(root, "guide.mdx", &text);
            assert!(compiler.patch(&first.site, "guide.mdx").is_none(), "an edit of {what} must take the full path");
        }
        assert!(compiler.patch(&first.site, "missing.mdx").is_none());
    }
}
