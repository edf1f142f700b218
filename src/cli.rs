//! Command line: clap option structs and one function per subcommand. Prints diagnostics
//! and summaries; returns the exit code (0 ok, 1 errors or strict warnings, 2 usage).

use crate::compile::{Compiled, Compiler};
use crate::config::Config;
use crate::output::write;
use crate::project::with_highlight_cache;
use crate::project::{EXIT_USAGE, SourceArgs, compile, load_config};
use crate::render::body::Spill;
use clap::{Args, Parser, Subcommand};
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[derive(Parser, Debug)]
#[command(name = "vellum", version, about = "A fast docs compiler for MDX documentation trees")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Build the static site into an output directory.
    Build(BuildArgs),
    /// Build in memory and report broken links, missing pages and other problems.
    Check(CheckArgs),
    /// Search the docs with the ranked engine (the one the MCP server uses).
    Search(SearchArgs),
    /// Serve the site locally, rebuild on change and reload open pages.
    Serve(crate::serve::ServeArgs),
    /// Serve the compiled docs to AI agents over the Model Context Protocol (stdio or HTTP).
    Mcp(crate::mcp::McpArgs),
}

#[derive(Args, Debug)]
struct BuildArgs {
    #[command(flatten)]
    src: SourceArgs,
    /// Output directory (default: `public/`, or `output` from the config).
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Treat warnings as errors.
    #[arg(long)]
    strict: bool,
    /// List every warning and every placeholder shown for content that cannot be rendered.
    #[arg(long, short)]
    verbose: bool,
    /// Replace an output directory that is not a vellum output (its files are deleted).
    /// Never the source tree, a directory holding it, or one inside it that holds files.
    #[arg(long)]
    force: bool,
}

#[derive(Args, Debug)]
struct CheckArgs {
    #[command(flatten)]
    src: SourceArgs,
    /// Treat warnings as errors.
    #[arg(long)]
    strict: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
}

#[derive(Args, Debug)]
struct SearchArgs {
    /// `[SOURCE] QUERY`: the source directory (default `content/`) and the query.
    #[arg(num_args = 1..=2, required = true, value_names = ["SOURCE", "QUERY"])]
    words: Vec<String>,
    /// Configuration file.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Number of results.
    #[arg(long, short = 'n', default_value_t = 10)]
    limit: usize,
    /// Print JSON objects (url, title, section, snippet, score), one per line.
    #[arg(long)]
    json: bool,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Human,
    Json,
}

/// Parse arguments and run; returns the process exit code.
pub fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { EXIT_USAGE } else { 0 };
        }
    };
    match cli.command {
        Command::Build(a) => build(a),
        Command::Check(a) => check(a),
        Command::Search(a) => search(a),
        Command::Serve(a) => crate::serve::run(a),
        Command::Mcp(a) => crate::mcp::run(a),
    }
}

fn report(c: &Compiled, verbose: bool) {
    let per_code = if verbose { usize::MAX } else { 5 };
    let text = c.diags.summary(per_code, &|f| c.sources.get(f).cloned());
    if !text.is_empty() {
        eprint!("{text}");
    }
}

fn exit_code(c: &Compiled, strict: bool) -> i32 {
    let errors = c.diags.errors();
    if errors > 0 || (strict && c.diags.warnings() > 0) { 1 } else { 0 }
}

fn build(a: BuildArgs) -> i32 {
    let start = Instant::now();
    let cfg = match load_config(&a.src) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_USAGE;
        }
    };
    let out = a.output.clone().unwrap_or_else(|| cfg.output.clone());
    let mut reuse = !a.src.no_cache;
    let (c, written) = loop {
        let (c, written) = match build_once(&a, cfg.clone(), &out, reuse) {
            Ok(built) => built,
            Err(code) => return code,
        };
        match written {
            // The reclaimed spare's stale files held disk until the swap: without it, a
            // site that fits beside the live output is written.
            Err(Failed { error, recycled: true }) if matches!(error.kind(), ErrorKind::StorageFull | ErrorKind::QuotaExceeded) => {
                eprintln!("note: the disk is full; building again without the spare copy of the previous output");
                reuse = false;
            }
            written => break (c, written),
        }
    };
    report(&c, a.verbose);
    if a.verbose {
        for p in c.site.pages.iter().flat_map(|p| &p.placeholders) {
            eprintln!("placeholder: {p}");
        }
    }
    let write_time = match written {
        Ok(t) => t,
        Err(Failed { error, .. }) => {
            eprintln!("error: writing {} failed: {error}; the previous output is unchanged", out.display());
            return 1;
        }
    };
    let generated = c.site.pages.iter().filter(|p| p.source.is_none()).count();
    eprintln!("Convention: {} ({})", c.profile.kind.name(), c.profile.reason);
    let t = &c.timings;
    eprintln!(
        "Built {} pages ({} generated) into {} in {} ms (load {} · parse {} · render {} · link {} · emit {} · write {} ms); {} errors, {} warnings",
        c.site.pages.len(),
        generated,
        out.display(),
        start.elapsed().as_millis(),
        t.load.as_millis(),
        t.parse.as_millis(),
        t.render.as_millis(),
        t.link.as_millis(),
        t.emit.as_millis(),
        write_time.as_millis(),
        c.diags.errors(),
        c.diags.warnings()
    );
    if let Ok(m) = std::fs::metadata(out.join("llms-full.txt")) {
        eprintln!("llms-full.txt: {} bytes, ~{} tokens", m.len(), m.len() / 4);
    }
    let code = exit_code(&c, a.strict);
    // The process exits next (`run` is only called by `main`): the OS reclaims the site
    // at once, where dropping it page by page took ~0.4 s at 100k pages.
    std::mem::forget(c);
    code
}

/// Why a build's files were not swapped in, and whether its staging directory was the
/// recycled spare.
struct Failed {
    error: std::io::Error,
    recycled: bool,
}

/// One attempt of `vellum build`: prepare the output, compile into a staging directory (the
/// recycled spare when `reuse`) and swap it in. `Err` is an exit code, its message printed.
fn build_once(a: &BuildArgs, mut cfg: Config, out: &Path, reuse: bool) -> Result<(Compiled, Result<Duration, Failed>), i32> {
    // Before any work: only an absent, empty or vellum-made output is replaced, and one
    // build at a time writes beside it.
    let on_wait = &mut || eprintln!("waiting for another vellum build writing beside {} to finish", out.display());
    let target = write::Target::prepare(out, Some(&a.src.source), a.force, on_wait).map_err(|e| {
        eprintln!("error: {e}");
        if matches!(e, write::OutputError::Refused { .. }) { EXIT_USAGE } else { 1 }
    })?;
    // Discovery leaves the output out by this path, whatever its name.
    cfg.output = target.path().to_path_buf();
    // Pages are written as they are rendered, into a directory swapped in at the end.
    let staging = write::Staging::new(target, &write::fs_write, reuse).map_err(|e| {
        eprintln!("error: cannot write {}: {e}", out.display());
        1
    })?;
    let recycled = staging.recycled();
    // On a large site, rendered bodies wait for emit in a file beside the output, not in
    // memory (~4 bytes of body per byte of source). Below this size, holding them costs
    // under 1 GB, and writing and reading them back would cost ~3 % of the build.
    const SPILL_OVER: u64 = 64 << 20;
    let spill = Spill::new_in(out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."))).ok();
    let compiler = Compiler::new(&a.src.source, cfg);
    let compiler = match &spill {
        Some(s) => compiler.spilling_to(s.clone(), SPILL_OVER),
        None => compiler,
    };
    let c = with_highlight_cache(&a.src, || compiler.compile_into(&staging));
    if let Some(e) = spill.and_then(|s| s.error()) {
        return Ok((c, Err(Failed { error: std::io::Error::other(e), recycled: false })));
    }
    let write_start = Instant::now();
    let written = staging.finish(&c.assets).map(|()| write_start.elapsed()).map_err(|error| Failed { error, recycled });
    Ok((c, written))
}

fn check(a: CheckArgs) -> i32 {
    let cfg = match load_config(&a.src) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_USAGE;
        }
    };
    let levels = cfg.check.clone();
    let mut c = with_highlight_cache(&a.src, || Compiler::new(&a.src.source, cfg).compile());
    // Pages no navigation lists are built and searchable but hard to find; the checker says so.
    if c.site.navs.iter().any(|n| !n.file.is_empty() && !n.file.ends_with('/')) {
        for p in c.site.pages.iter().filter(|p| !p.in_nav && !p.hidden) {
            if let Some(src) = &p.source {
                c.diags.push(
                    crate::diagnostics::Diagnostic::warning(src, 0, 0, "nav.unlisted", format!("page `{}` is in no navigation", p.url))
                        .with_hint("add it to the navigation, or link it from a listed page"),
                );
            }
        }
    }
    c.diags.relevel(&levels);
    match a.format {
        Format::Json => {
            let items: Vec<_> = c.diags.sorted();
            println!("{}", serde_json::to_string_pretty(&items).unwrap_or_default());
        }
        Format::Human => {
            for d in c.diags.sorted() {
                println!("{}", d.render(c.sources.get(&d.file).map(String::as_str)));
            }
            let errors = c.diags.errors();
            eprintln!("{} pages checked: {} errors, {} warnings", c.site.pages.len(), errors, c.diags.warnings());
        }
    }
    exit_code(&c, a.strict)
}

fn search(a: SearchArgs) -> i32 {
    let (source, query) = match a.words.as_slice() {
        [q] => (PathBuf::from("content"), q.clone()),
        [s, q] => (PathBuf::from(s), q.clone()),
        _ => return EXIT_USAGE,
    };
    if query.trim().is_empty() {
        eprintln!("error: the query is empty");
        return EXIT_USAGE;
    }
    let src = SourceArgs { source, config: a.config, base_url: None, changelog: None, jobs: None, no_cache: false };
    let c = match compile(&src) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_USAGE;
        }
    };
    let engine = crate::search::Engine::new(crate::search::docs(&c.site));
    for hit in engine.search(&query, a.limit.clamp(1, 1000)) {
        let d = engine.doc(hit.doc);
        if a.json {
            let v = serde_json::json!({ "url": d.url, "title": d.page_title, "section": d.section, "snippet": hit.snippet, "score": hit.score });
            println!("{v}");
        } else {
            println!("{}\t{}\t{:.3}", d.url, d.page_title, hit.score);
        }
    }
    0
}
