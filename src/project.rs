//! Project set-up every front end shares (the CLI, `serve`, `mcp`): the source options,
//! loading the configuration with its command-line overrides, the highlight cache across
//! builds, and one compile. Sits below the CLI and the servers, so none imports another.
//! Invariant: no printing beyond cache warnings; errors are returned as messages.

use crate::compile::{Compiled, Compiler};
use crate::config::Config;
use clap::Args;
use std::path::{Path, PathBuf};

/// Exit code for usage and configuration errors.
pub const EXIT_USAGE: i32 = 2;

/// Options shared by every command that compiles a source tree.
#[derive(Args, Debug, Clone)]
pub struct SourceArgs {
    /// Source directory (default: `content/`).
    #[arg(default_value = "content")]
    pub source: PathBuf,
    /// Configuration file (default: SOURCE/vellum.toml if it exists).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Public URL or base path of the site, e.g. `https://example.com/docs` or `/docs`.
    #[arg(long)]
    pub base_url: Option<String>,
    /// Changelog JSON file.
    #[arg(long)]
    pub changelog: Option<PathBuf>,
    /// Worker threads (default: one per core).
    #[arg(long, short = 'j')]
    pub jobs: Option<usize>,
    /// Do not read or write the highlight cache (kept in `$VELLUM_CACHE_DIR`, else
    /// `$XDG_CACHE_HOME/vellum` or `~/.cache/vellum`), nor keep the replaced output for reuse.
    #[arg(long)]
    pub no_cache: bool,
}

/// Load the config for a source tree and apply the command-line overrides.
pub fn load_config(src: &SourceArgs) -> Result<Config, String> {
    if !src.source.is_dir() {
        return Err(format!("source directory `{}` does not exist", src.source.display()));
    }
    let mut cfg = Config::load(&src.source, src.config.as_deref()).map_err(|e| e.to_string())?;
    if let Some(b) = &src.base_url {
        crate::config::check_base_url(b).map_err(|e| format!("--base-url: {e}"))?;
        cfg.base_url = b.clone();
    }
    if let Some(c) = &src.changelog {
        cfg.changelog = Some(std::path::absolute(c).unwrap_or_else(|_| c.clone()));
    }
    if let Some(j) = src.jobs {
        let _ = rayon::ThreadPoolBuilder::new().num_threads(j.max(1)).build_global();
    }
    Ok(cfg)
}

/// Compile a source tree, or return the usage error message.
pub fn compile(src: &SourceArgs) -> Result<Compiled, String> {
    let cfg = load_config(src)?;
    Ok(with_highlight_cache(src, || Compiler::new(&src.source, cfg).compile()))
}

/// Runs `f` with the highlighted code blocks of earlier builds of this source loaded, and
/// saves the blocks it used (highlighting is the costliest part of rendering).
pub(crate) fn with_highlight_cache<T>(src: &SourceArgs, f: impl FnOnce() -> T) -> T {
    let file = if src.no_cache { None } else { highlight_cache_file(&src.source) };
    let h = crate::render::highlight::Highlighter::global();
    if let Some(p) = &file {
        h.load(p);
        // In use: keep it out of another tree's stale-cache sweep.
        let _ = std::fs::File::options().append(true).open(p).and_then(|f| f.set_modified(std::time::SystemTime::now()));
    }
    let out = f();
    if let Some(p) = &file {
        if let Err(e) = h.save(p) {
            eprintln!("warning: cannot save the highlight cache {}: {e}", p.display());
        }
        forget_stale_caches(p.parent().unwrap_or(Path::new(".")));
    }
    out
}

/// `<cache dir>/highlight-<hash of the canonical source path>.bin`; `None` when no cache
/// directory is known or `VELLUM_CACHE_DIR` is set empty.
fn highlight_cache_file(source: &Path) -> Option<PathBuf> {
    let dir = match std::env::var_os("VELLUM_CACHE_DIR") {
        Some(d) if d.is_empty() => return None,
        Some(d) => PathBuf::from(d),
        None => std::env::var_os("XDG_CACHE_HOME")
            .filter(|d| !d.is_empty())
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?
            .join("vellum"),
    };
    let root = source.canonicalize().ok()?;
    Some(dir.join(format!("highlight-{}.bin", &blake3::hash(root.as_os_str().as_encoded_bytes()).to_hex()[..16])))
}

/// Deletes cache files of source trees not built for 30 days (temporary checkouts).
fn forget_stale_caches(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let month = std::time::Duration::from_secs(30 * 24 * 3600);
    for e in entries.flatten() {
        let stale = e.metadata().ok().and_then(|m| m.modified().ok()).and_then(|t| t.elapsed().ok()).is_some_and(|age| age > month);
        if stale && e.file_name().to_string_lossy().starts_with("highlight-") {
            let _ = std::fs::remove_file(e.path());
        }
    }
}
