//! `vellum-gen OUT_DIR --pages N [--seed S]`: writes a synthetic docs tree in the corpus
//! dialect (DIALECT.md) for benchmarks at scale. Sections of 50–200 pages each get a
//! `_navigation.mdx` with nested groups; guide pages mix the corpus's constructs and link to
//! each other's pages and heading paths; some groups are API-reference folders whose
//! frontmatter cross-references like the corpus's. Snippet files are absent by design, as in
//! the corpus. Deterministic: the same arguments always write the same bytes.
//! A separate binary so benchmarking never shows up in the `vellum` CLI; see scripts/bench.sh.

mod pages;
mod plan;
mod text;
mod words;

use clap::Parser;
use pages::{nav, write_page};
use plan::Plan;
use std::path::{Path, PathBuf};
use words::Rng;

#[derive(Parser)]
#[command(name = "vellum-gen", about = "Write a synthetic docs tree in the vellum dialect, for benchmarks")]
struct Args {
    /// Output directory; created, and must be empty if it exists.
    out: PathBuf,
    /// Number of pages to write (navigation files not counted).
    #[arg(long)]
    pages: usize,
    /// Seed of the generator.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

fn write(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, text)
}

fn run(a: &Args) -> std::io::Result<()> {
    if a.out.read_dir().is_ok_and(|mut d| d.next().is_some()) {
        return Err(std::io::Error::other(format!("{} is not empty", a.out.display())));
    }
    let plan = Plan::build(a.pages, &mut Rng(a.seed));
    for i in 0..plan.pages.len() {
        write(&a.out.join(&plan.pages[i].rel), &write_page(&plan, i, a.seed))?;
    }
    for sec in &plan.sections {
        write(&a.out.join(&sec.slug[1..]).join("_navigation.mdx"), &nav(&plan, sec))?;
    }
    eprintln!("wrote {} pages in {} sections to {}", plan.pages.len(), plan.sections.len(), a.out.display());
    Ok(())
}

fn main() {
    let args = Args::parse();
    if let Err(e) = run(&args) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
