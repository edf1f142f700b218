//! The rebuild loop: receives batches of [`Change`]s from the watcher, merges a burst into
//! one batch, does the least work that keeps every page correct, and publishes the result
//! to the [`Shared`] state the server reads.
//! Architecture invariant: every rebuild that touches pages ends in a whole
//! `Compiler::compile` (its caches make it incremental), so a deleted or renamed page
//! always disappears from the site and the nav. A save that provably changes no other page
//! (`Compiler::patch`: same frontmatter, title and headings) is served first, alone; the
//! whole compile follows and replaces it. A batch first checks that the folder at the
//! source path is still the watched one: while none is there, the last good build stays
//! served (with an overlay saying why edits do not show); a folder put back is watched anew
//! and read whole.

use super::state::{BuildError, Shared, SiteFiles};
use super::watch::{self, Change, ChangeKind, Classifier, Source, WatchGuard};
use crate::compile::{Compiled, Compiler, Timings};
use crate::project::{SourceArgs, load_config};
use crate::site::Site;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

/// After a batch, wait this long for more before building. The debouncer delivers a long
/// burst (a `git checkout` of 500 files) in slices one tick (¼ of its timeout) apart.
const SETTLE: Duration = Duration::from_millis(8);
/// The wait once a batch looks like a burst (more than [`EDIT_SIZE`] files): its writer may
/// pause between files, and its rebuild costs far more than this wait.
const SETTLE_BURST: Duration = Duration::from_millis(150);
/// The most files one save touches (the file, an editor's temporary copy, a backup).
const EDIT_SIZE: usize = 3;
/// How often to look for a source folder that went away.
const SOURCE_POLL: Duration = Duration::from_millis(200);

/// How much to redo for a batch of changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Plan {
    /// Only known static files changed: they are served from disk, so just reload pages.
    ReloadOnly,
    /// Pages, nav, templates or theme changed: compile again, reusing the caches.
    Incremental,
    /// A snippet changed: the render cache does not key on snippet text, so start clean.
    ResetCaches,
    /// The configuration changed (or events were lost): reload it, new compiler.
    ReloadConfig,
}

impl Plan {
    /// The plan for `changes`, given the assets the served site knows.
    pub(crate) fn of(changes: &[Change], assets: &HashMap<String, PathBuf>, root: &Path) -> Self {
        let has = |k: ChangeKind| changes.iter().any(|c| c.kind == k);
        if has(ChangeKind::Config) || has(ChangeKind::Root) {
            Self::ReloadConfig
        } else if has(ChangeKind::Snippet) {
            Self::ResetCaches
        } else if changes.iter().all(|c| c.kind == ChangeKind::Asset && known_asset(&c.path, assets, root)) {
            Self::ReloadOnly
        } else {
            Self::Incremental
        }
    }
}

/// An asset that still exists and is already served: its new bytes need no build.
fn known_asset(path: &Path, assets: &HashMap<String, PathBuf>, root: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else { return false };
    let rel = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
    // Served under its source path, or (a convention's `static/`) under another.
    path.is_file() && (assets.contains_key(&rel) || assets.values().any(|p| p == path))
}

/// Owns the compiler between builds.
pub(crate) struct Builder {
    args: SourceArgs,
    compiler: Compiler,
    /// The canonical source root.
    root: PathBuf,
    /// Errors of the build being served; a build with any other error is not served.
    served_errors: Vec<BuildError>,
    /// The site being served, for the single-page fast path.
    site: Option<Arc<Site>>,
}

impl Builder {
    /// Load the config and run the first build.
    pub(crate) fn new(args: SourceArgs) -> Result<(Self, Compiled), String> {
        let cfg = load_config(&args)?;
        let root = args.source.canonicalize().map_err(|e| format!("{}: {e}", args.source.display()))?;
        let compiler = Compiler::incremental(&args.source, cfg);
        let compiled = crate::project::with_highlight_cache(&args, || compiler.compile());
        let served_errors = BuildError::from_diags(compiled.diags.iter());
        let site = Some(Arc::new(compiled.site.clone()));
        Ok((Self { args, compiler, root, served_errors, site }, compiled))
    }

    /// The canonical source root.
    pub(crate) fn root(&self) -> &Path {
        &self.root
    }

    /// A classifier for the current configuration.
    pub(crate) fn classifier(&self) -> Classifier {
        Classifier::new(&self.root, &self.compiler.config, self.args.config.as_deref())
    }

    /// Build according to `plan` (not `ReloadOnly`); `Err` when the config cannot be loaded.
    fn build(&mut self, plan: Plan) -> Result<Compiled, BuildError> {
        match plan {
            Plan::ReloadConfig => {
                let cfg = load_config(&self.args).map_err(|message| BuildError {
                    file: self.args.config.as_ref().map(|p| p.display().to_string()).unwrap_or_else(|| "vellum.toml".into()),
                    line: 0,
                    col: 0,
                    code: "config.invalid".into(),
                    message,
                })?;
                self.compiler = Compiler::incremental(&self.args.source, cfg);
            }
            Plan::ResetCaches => self.compiler = Compiler::incremental(&self.args.source, (*self.compiler.config).clone()),
            Plan::Incremental | Plan::ReloadOnly => {}
        }
        // Pages first: the search index follows right after publishing (see `run_loop`).
        Ok(self.compiler.compile_with(false))
    }

    /// The fast path for a save of existing pages (`Compiler::patch` for each): their new
    /// output files, or `None` when a full compile is needed.
    fn patch(&self, changes: &[Change]) -> Option<Vec<(String, Arc<Vec<u8>>)>> {
        let site = self.site.as_ref()?;
        if !self.served_errors.is_empty() || changes.len() > EDIT_SIZE || changes.iter().any(|c| c.kind != ChangeKind::Content) {
            return None;
        }
        let mut files = Vec::new();
        for c in changes {
            let rel = c.path.strip_prefix(&self.root).ok()?;
            let rel: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
            files.extend(self.compiler.patch(site, &rel.join("/"))?);
        }
        Some(files)
    }

    /// Accept `compiled` for serving unless it has errors the served build did not have.
    fn accept(&mut self, compiled: &Compiled) -> (bool, Vec<BuildError>) {
        let errors = BuildError::from_diags(compiled.diags.iter());
        let ok = errors.iter().all(|e| self.served_errors.iter().any(|s| s.key() == e.key()));
        if ok {
            self.served_errors = errors.clone();
        }
        (ok, errors)
    }
}

/// The servable files of a build.
pub(crate) fn site_files(c: &Compiled) -> SiteFiles {
    SiteFiles {
        files: c.files.clone(),
        assets: c.assets.iter().map(|a| (a.rel.clone(), a.path.clone())).collect(),
        base: c.site.config.base_path(),
    }
}

/// Receive batches until the sender is gone; rebuild and publish after each burst.
/// Owns the watcher so a config change can re-aim it at moved directories.
pub(crate) fn run_loop(
    mut builder: Builder,
    mut watcher: WatchGuard,
    poll: bool,
    tx: Sender<Vec<Change>>,
    rx: Receiver<Vec<Change>>,
    shared: Arc<Shared>,
) {
    while let Ok(first) = rx.recv() {
        let mut changes = settle(first, &rx);
        let source = watcher.source();
        if source != Source::Watched || changes.iter().any(|c| c.kind == ChangeKind::Root) {
            drop(watcher);
            watcher = rewatch(source, &builder, poll, &tx, &rx, &shared);
            changes = vec![Change { path: builder.root().to_path_buf(), kind: ChangeKind::Root }];
        }
        let start = Instant::now();
        let snap = shared.snapshot();
        let plan = Plan::of(&changes, &snap.site.assets, builder.root());
        if plan == Plan::ReloadOnly {
            shared.publish(None, snap.errors.to_vec(), false);
            eprintln!("reloaded: {}", describe(&changes, builder.root()));
            continue;
        }
        // A saved page that changes no other page is served at once; the full compile
        // below then brings the search index and the llms bundle up to date.
        let patched = if plan == Plan::Incremental { builder.patch(&changes) } else { None };
        if let Some(patch) = &patched {
            let mut files = (*snap.site).clone();
            files.files.extend(patch.iter().cloned());
            shared.publish(Some(Arc::new(files)), Vec::new(), true);
            eprintln!("updated in {} ms ({}): the page alone", start.elapsed().as_millis(), describe(&changes, builder.root()));
        }
        match builder.build(plan) {
            Ok(compiled) => {
                let (ok, errors) = builder.accept(&compiled);
                // Re-aimed before the reload is announced: an edit made after the browser
                // reloads must reach the new watcher (the old one drops what it holds).
                if plan == Plan::ReloadConfig && ok {
                    match watch::start(builder.classifier(), poll, tx.clone()) {
                        Ok(w) => watcher = w,
                        Err(e) => eprintln!("warning: cannot re-watch after the config change: {e}"),
                    }
                }
                let n = errors.len();
                let mut files = site_files(&compiled);
                // Until the new index is built, the previous one keeps search working.
                let previous = shared.snapshot();
                files
                    .files
                    .extend(previous.site.files.range("search/".to_string().."search0".to_string()).map(|(k, v)| (k.clone(), v.clone())));
                // When the full compile agrees with the patch, open pages need no second reload.
                let agrees = patched.as_ref().is_some_and(|p| ok && p.iter().all(|(k, v)| files.files.get(k) == Some(v)));
                if agrees {
                    shared.replace_quietly(previous.generation, Arc::new(files.clone()));
                } else {
                    shared.publish(ok.then(|| Arc::new(files.clone())), errors, true);
                }
                let ms = start.elapsed().as_millis();
                if ok {
                    eprintln!("rebuilt in {ms} ms ({}): {}", describe(&changes, builder.root()), stages(&compiled.timings));
                } else {
                    let text = compiled.diags.summary(0, &|f| compiled.sources.get(f).cloned());
                    eprint!("{text}");
                    eprintln!("build failed in {ms} ms with {n} errors; still serving the last good build");
                }
                if ok {
                    // Off the rebuild loop, so the next edit does not wait for the index.
                    let site = Arc::new(compiled.site);
                    builder.site = Some(site.clone());
                    let (shared, generation) = (shared.clone(), shared.snapshot().generation);
                    std::thread::spawn(move || {
                        files.files.retain(|k, _| !k.starts_with("search/"));
                        let search = std::sync::Mutex::new(crate::output::Files::new());
                        crate::output::search_files(&site, &search);
                        files.files.extend(search.into_inner().unwrap_or_default());
                        shared.replace_quietly(generation, Arc::new(files));
                    });
                }
            }
            Err(e) => {
                eprintln!("error: {}", e.message);
                shared.publish(None, vec![e], true);
            }
        }
    }
    drop(watcher);
}

/// The folder at the source path is not the watched one (`source`, or it was renamed and
/// perhaps put back): wait until a folder is there, watch it and let its copy settle.
/// Meanwhile the last good build stays served, with an overlay while no folder is there.
fn rewatch(
    source: Source,
    builder: &Builder,
    poll: bool,
    tx: &Sender<Vec<Change>>,
    rx: &Receiver<Vec<Change>>,
    shared: &Shared,
) -> WatchGuard {
    let root = builder.root();
    if source == Source::Gone {
        eprintln!("source folder {} removed or renamed; waiting for it to come back (still serving the last good build)", root.display());
        let message = "the source folder was removed or renamed; showing the last good build until it is back".to_string();
        let gone = BuildError { file: root.display().to_string(), line: 0, col: 0, code: "serve.source-gone".into(), message };
        shared.publish(None, vec![gone], false);
    }
    let mut warned = false;
    let watcher = loop {
        if root.is_dir() {
            match watch::start(builder.classifier(), poll, tx.clone()) {
                Ok(w) => break w,
                Err(e) if !warned => {
                    eprintln!("warning: cannot watch {}: {e}; trying again", root.display());
                    warned = true;
                }
                Err(_) => {}
            }
        }
        std::thread::sleep(SOURCE_POLL);
    };
    // A `cp -r` may still be filling the folder. What is queued (from the old folder, or
    // about files the whole read below sees anyway) is dropped.
    settle(Vec::new(), rx);
    let what = match source {
        Source::Gone => "is back",
        Source::Replaced => "replaced",
        Source::Watched => "renamed and back",
    };
    eprintln!("source folder {what}; rebuilding");
    watcher
}

/// `first` plus every batch that follows within [`SETTLE`] of the previous one
/// ([`SETTLE_BURST`] once there are more than [`EDIT_SIZE`] changes).
fn settle(first: Vec<Change>, rx: &Receiver<Vec<Change>>) -> Vec<Change> {
    let mut all = first;
    loop {
        let wait = if all.len() > EDIT_SIZE { SETTLE_BURST } else { SETTLE };
        match rx.recv_timeout(wait) {
            Ok(more) => all.extend(more),
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => return all,
        }
    }
}

/// `3 changes: content, nav` or the single path.
fn describe(changes: &[Change], root: &Path) -> String {
    if let [c] = changes {
        if c.kind == ChangeKind::Root {
            return "the source folder".into();
        }
        return c.path.strip_prefix(root).unwrap_or(&c.path).display().to_string();
    }
    let mut kinds: Vec<ChangeKind> = changes.iter().map(|c| c.kind).collect();
    kinds.sort();
    kinds.dedup();
    let names: Vec<String> = kinds.iter().map(|k| format!("{k:?}").to_lowercase()).collect();
    format!("{} changes: {}", changes.len(), names.join(", "))
}

/// The per-stage line the benchmark reads: `load 3 · parse 1 · … ms`.
pub(crate) fn stages(t: &Timings) -> String {
    let ms = |d: Duration| format!("{:.1}", d.as_secs_f64() * 1000.0);
    format!(
        "load {} · parse {} · render {} ({} pages) · link {} · emit {} ms",
        ms(t.load),
        ms(t.parse),
        ms(t.render),
        t.rendered,
        ms(t.link),
        ms(t.emit)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(root: &Path, rel: &str, kind: ChangeKind) -> Change {
        Change { path: root.join(rel), kind }
    }

    #[test]
    fn plans_the_least_work() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("logo.png"), [1]).unwrap();
        let assets: HashMap<String, PathBuf> = [("logo.png".to_string(), root.join("logo.png"))].into();
        let plan = |cs: &[Change]| Plan::of(cs, &assets, root);
        assert_eq!(plan(&[change(root, "logo.png", ChangeKind::Asset)]), Plan::ReloadOnly);
        assert_eq!(plan(&[change(root, "new.png", ChangeKind::Asset)]), Plan::Incremental, "a new asset changes link checks");
        assert_eq!(plan(&[change(root, "a.mdx", ChangeKind::Content), change(root, "logo.png", ChangeKind::Asset)]), Plan::Incremental);
        assert_eq!(plan(&[change(root, "_navigation.mdx", ChangeKind::Nav)]), Plan::Incremental);
        assert_eq!(
            plan(&[change(root, "snippets/a.js", ChangeKind::Snippet), change(root, "a.mdx", ChangeKind::Content)]),
            Plan::ResetCaches
        );
        assert_eq!(
            plan(&[change(root, "a.mdx", ChangeKind::Content), change(root, "vellum.toml", ChangeKind::Config)]),
            Plan::ReloadConfig
        );
        assert_eq!(plan(&[change(root, "", ChangeKind::Root)]), Plan::ReloadConfig, "a folder put back is read whole");
    }

    #[test]
    fn settle_merges_a_burst() {
        let (tx, rx) = std::sync::mpsc::channel();
        let root = Path::new("/r");
        let t = std::thread::spawn(move || {
            for i in 0..5 {
                tx.send(vec![change(root, &format!("{i}.mdx"), ChangeKind::Content)]).unwrap();
                std::thread::sleep(Duration::from_millis(2));
            }
            // A writer pausing in the middle of a burst.
            std::thread::sleep(Duration::from_millis(60));
            tx.send(vec![change(root, "late.mdx", ChangeKind::Content)]).unwrap();
        });
        let first = rx.recv().unwrap();
        let all = settle(first, &rx);
        t.join().unwrap();
        assert_eq!(all.len(), 6);
        assert_eq!(describe(&all, root), "6 changes: content");
    }
}
