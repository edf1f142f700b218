//! The pipeline driver: discover → parse → (global indexes) → render → link → emit, each
//! stage's diagnostics collected, per-stage timings measured. `Compiler` keeps the render
//! cache between runs so watch mode re-renders only pages whose inputs changed.
//! Architecture invariant: this is the only module that knows the order of the stages.

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::{self, EmitInput, Files};
use crate::parse::{self, ParsedPage};
use crate::render::{self, RenderCtx, RenderedPage, Snippet, Snippets};
use crate::site::{self, LinkInput, Site, reference::ReferenceIndex};
use crate::source::{self, Asset, DiscoverOptions, nav};
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
    /// Source texts by relative path (for diagnostic snippets).
    pub sources: HashMap<String, String>,
    /// Stage timings.
    pub timings: Timings,
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
}

impl Compiler {
    /// A compiler for `source` with `config`.
    pub fn new(source: impl Into<PathBuf>, config: Config) -> Self {
        Self { source: source.into(), config: Arc::new(config), parsed: Mutex::default(), cache: Mutex::default(), pages: None }
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
        let mut t = Timings::default();
        let mut diags = Diagnostics::default();
        let cfg = &self.config;

        let start = Instant::now();
        let snippet_dir = self.resolve(&cfg.snippets);
        let mut exclude = vec![snippet_dir.clone(), cfg.output.clone()];
        exclude.extend(cfg.templates.iter().map(|p| self.resolve(p)));
        exclude.extend(cfg.theme.iter().map(|p| self.resolve(p)));
        let (tree, d) = source::discover(&self.source, &DiscoverOptions { exclude });
        diags.extend(d);
        let snippets = load_snippets(&snippet_dir, &cfg.snippets, &mut diags);
        let changelog = match &cfg.changelog {
            Some(p) => site::changelog::load(&self.resolve(p), &p.display().to_string()).unwrap_or_else(|d| {
                diags.push(d);
                Vec::new()
            }),
            None => Vec::new(),
        };
        t.load = start.elapsed();

        let start = Instant::now();
        let navs: Vec<(Option<nav::Nav>, Vec<Diagnostic>)> =
            tree.navs.par_iter().map(|f| nav::parse_nav(&f.rel, f.text.as_deref().unwrap_or(""))).collect();
        let mut nav_list = Vec::new();
        for (n, d) in navs {
            diags.extend(d);
            nav_list.extend(n);
        }
        let parsed: Vec<Arc<ParsedPage>> = tree
            .pages
            .par_iter()
            .filter_map(|f| {
                let text = f.text.as_deref()?;
                let hash = blake3::hash(text.as_bytes());
                if let Some(p) = self.parsed.lock().ok().and_then(|c| c.get(&f.rel).cloned()).filter(|p| p.hash == hash) {
                    return Some(p);
                }
                let p = Arc::new(parse::parse_page(f));
                if let Ok(mut c) = self.parsed.lock() {
                    c.insert(f.rel.clone(), p.clone());
                }
                Some(p)
            })
            .collect();
        if let Ok(mut c) = self.parsed.lock() {
            let live: HashSet<&str> = parsed.iter().map(|p| p.rel.as_str()).collect();
            c.retain(|k, _| live.contains(k.as_str()));
        }
        if nav_list.is_empty() {
            nav_list = site::autonav::generate(&parsed);
        }
        let mut nav_titles = HashMap::new();
        for n in &nav_list {
            for node in n.walk() {
                if let Some(u) = &node.url {
                    nav_titles.entry(u.clone()).or_insert_with(|| node.title.clone());
                }
            }
        }
        let ref_sources: Vec<_> = parsed
            .iter()
            .map(|p| site::reference::RefSource { file: &p.rel, url: &p.url, frontmatter: &p.frontmatter, raw: &p.raw })
            .collect();
        let (references, d) = ReferenceIndex::build(&ref_sources);
        diags.extend(d);
        t.parse = start.elapsed();

        let start = Instant::now();
        let env = output::templates::environment(cfg.templates.as_ref().map(|p| self.resolve(p)).as_deref());
        let cards = site::cards(&parsed, &nav_titles);
        let ctx = RenderCtx { config: cfg, references: &references, templates: &env, snippets: &snippets, cards: &cards };
        // Every page's render depends on these global inputs as well as its own text.
        let global = {
            let mut h = blake3::Hasher::new();
            h.update(format!("{cfg:?}").as_bytes());
            h.update(output::templates::fingerprint(cfg.templates.as_ref().map(|p| self.resolve(p)).as_deref()).as_bytes());
            for p in &parsed {
                for key in ["reference", "descriptions"] {
                    if let Some(v) = p.frontmatter.get(key) {
                        h.update(p.rel.as_bytes()).update(v.to_string().as_bytes());
                    }
                }
            }
            h.update(format!("{:?}", snippets.by_name.keys().collect::<Vec<_>>()).as_bytes());
            h.update(format!("{cards:?}").as_bytes());
            h.finalize()
        };
        let rendered: Vec<(Arc<RenderedPage>, bool)> = parsed
            .par_iter()
            .map(|p| {
                let key = blake3::Hasher::new().update(global.as_bytes()).update(p.hash.as_bytes()).finalize();
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
        t.render = start.elapsed();

        let start = Instant::now();
        let assets: Vec<String> = tree.assets.iter().map(|a| a.rel.clone()).collect();
        let (site, d) = site::link(LinkInput {
            config: cfg.clone(),
            parsed: &parsed,
            rendered: &rendered,
            navs: nav_list,
            assets: &assets,
            nav_titles: &nav_titles,
            changelog,
        });
        diags.extend(d);
        t.link = start.elapsed();

        let start = Instant::now();
        let theme = output::templates::theme_files(cfg.theme.as_ref().map(|p| self.resolve(p)).as_deref());
        let (files, d) = output::render_files(&site, &EmitInput { env: &env, theme: &theme, search, page_cache: self.pages.as_ref() });
        diags.extend(d);
        t.emit = start.elapsed();

        let sources = parsed
            .iter()
            .map(|p| (p.rel.clone(), p.raw.clone()))
            .chain(tree.navs.into_iter().map(|n| (n.rel, n.text.unwrap_or_default())))
            .collect();
        Compiled { site, files, assets: tree.assets, diags: dedupe(diags), sources, timings: t }
    }
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

/// Snippet files under `dir`, by name (path without extension). Files whose real path is
/// outside `dir` (symlinks pointing out) are refused; diagnostics name them under `shown`,
/// the directory as configured (relative to the source root unless absolute).
fn load_snippets(dir: &Path, shown: &Path, diags: &mut Diagnostics) -> Snippets {
    let mut s = Snippets::default();
    let Ok(root) = dir.canonicalize() else { return s };
    for e in walkdir::WalkDir::new(&root).follow_links(true).sort_by_file_name().into_iter().flatten() {
        if !e.file_type().is_file() {
            continue;
        }
        let rel = e.path().strip_prefix(&root).unwrap_or(e.path()).to_string_lossy().replace('\\', "/");
        let real = e.path().canonicalize();
        if !real.as_ref().is_ok_and(|r| r.starts_with(&root)) {
            diags.push(Diagnostic::error(
                format!("{}/{rel}", shown.display()),
                0,
                0,
                "snippet.path-escape",
                "snippet is a link to a file outside the snippet directory; it is ignored",
            ));
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
