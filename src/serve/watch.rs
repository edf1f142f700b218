//! The watcher: file-system events (native, or polling with `--poll`) → debounced,
//! `.gitignore`-filtered batches of classified [`Change`]s, sent on a channel.
//!
//! A watch follows the folder, not its path: once the source folder is removed or renamed
//! away, nothing under the path is reported any more, even when a folder is put back there.
//! So the watcher reports the root's own removal or rename ([`ChangeKind::Root`]), and
//! [`WatchGuard::source`] tells whether the folder at the root path is still the watched one.
//! Architecture invariant: the watcher never builds anything; it only says what changed.
//! The rebuild loop on the other end of the channel decides what to redo.

use crate::config::Config;
use crate::convention::{Kind, Profile, Role, is_leftover};
use crate::output::write::target::OUTPUT_MARK;
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use notify::event::ModifyKind;
use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, NoCache, RecommendedCache, new_debouncer, new_debouncer_opt};
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

/// Quiet time per file before its events are delivered. Short, so an edit shows quickly;
/// the rebuild loop merges the batches of a longer burst (a `git checkout`).
pub(crate) const DEBOUNCE: Duration = Duration::from_millis(10);
/// How often the polling watcher (`--poll`) looks at the tree.
const POLL_INTERVAL: Duration = Duration::from_millis(100);

/// What kind of input changed; decides how much is rebuilt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum ChangeKind {
    /// A page (`.mdx`, `.md`).
    Content,
    /// A navigation or config file of the tree's convention.
    Nav,
    /// A file in the snippet directory.
    Snippet,
    /// A file in the template directory.
    Template,
    /// A file in the theme directory.
    Theme,
    /// `vellum.toml`, or events were lost: everything is rebuilt from scratch.
    Config,
    /// Any other file of the source tree (a static asset).
    Asset,
    /// A partial, or a file no convention publishes, which a page may import: compiled
    /// again (the render cache keys on imported files, so only importers re-render).
    Import,
    /// The source folder itself was removed or renamed (perhaps put back since).
    Root,
}

/// One changed path and its kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Change {
    /// The path as reported by the watcher (absolute).
    pub(crate) path: PathBuf,
    /// Its kind.
    pub(crate) kind: ChangeKind,
}

/// Sorts paths into [`ChangeKind`]s and drops the ones no build reads.
pub(crate) struct Classifier {
    root: PathBuf,
    config_file: PathBuf,
    snippets: PathBuf,
    templates: Option<PathBuf>,
    theme: Option<PathBuf>,
    output: Option<PathBuf>,
    ignores: Vec<Gitignore>,
    /// The tree's convention (its file roles: pages, navigation, partials), and the one
    /// `vellum.toml` forces, if any.
    profile: Profile,
    forced: Option<Kind>,
}

impl Classifier {
    /// A classifier for the canonical source `root`, its config and config file.
    pub(crate) fn new(root: &Path, config: &Config, config_file: Option<&Path>) -> Self {
        let resolve = |p: &Path| absolute_in(root, p);
        Self {
            root: root.to_path_buf(),
            config_file: config_file.map(|f| absolute_in(&cwd(), f)).unwrap_or_else(|| root.join("vellum.toml")),
            snippets: resolve(&config.snippets),
            templates: config.templates.as_deref().map(resolve),
            theme: config.theme.as_deref().map(resolve),
            output: std::path::absolute(&config.output).ok().and_then(|p| p.canonicalize().ok()),
            ignores: gitignores(root),
            profile: Profile::for_root(root, config.convention),
            forced: config.convention,
        }
    }

    /// Directories to watch recursively besides the root, and files to watch directly.
    pub(crate) fn extra_watches(&self) -> Vec<(PathBuf, RecursiveMode)> {
        let mut v: Vec<(PathBuf, RecursiveMode)> = [&Some(self.snippets.clone()), &self.templates, &self.theme]
            .into_iter()
            .flatten()
            .filter(|d| d.is_dir() && !d.starts_with(&self.root))
            .map(|d| (d.clone(), RecursiveMode::Recursive))
            .collect();
        if !self.config_file.starts_with(&self.root)
            && let Some(dir) = self.config_file.parent().filter(|d| d.is_dir())
        {
            v.push((dir.to_path_buf(), RecursiveMode::NonRecursive));
        }
        v
    }

    /// The kind of change at `path`, or `None` when no build reads it.
    pub(crate) fn classify(&self, path: &Path) -> Option<ChangeKind> {
        if path == self.config_file {
            return Some(ChangeKind::Config);
        }
        // Editor leftovers are never content (the convention's rule, which discovery applies
        // to the tree); the snippet, template and theme folders get the same rule here.
        let leftover = path.file_name().is_some_and(|n| is_leftover(&n.to_string_lossy()));
        if leftover || path == self.root || self.output.as_deref().is_some_and(|o| path.starts_with(o)) {
            return None;
        }
        if path.starts_with(&self.snippets) {
            return Some(ChangeKind::Snippet);
        }
        if self.templates.as_deref().is_some_and(|t| path.starts_with(t)) {
            return Some(ChangeKind::Template);
        }
        if self.theme.as_deref().is_some_and(|t| path.starts_with(t)) {
            return Some(ChangeKind::Theme);
        }
        let rel = path.strip_prefix(&self.root).ok()?;
        // Hidden files and dependency folders are never part of the site (see `source`).
        if rel.components().any(|c| {
            let s = c.as_os_str().to_string_lossy();
            s.starts_with('.') || s == "node_modules"
        }) {
            return None;
        }
        if self.ignored(path) || self.in_an_output(path) {
            return None;
        }
        let rel: Vec<_> = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect();
        let role = self.profile.rules().role(&rel.join("/"));
        // A file that makes the tree another tool's (a first `sidebars.js`): everything is
        // read anew. Pages and navigation files of the current tool cannot do that.
        if matches!(role, Role::Asset | Role::Skip) && Profile::for_root(&self.root, self.forced).kind != self.profile.kind {
            return Some(ChangeKind::Config);
        }
        match role {
            Role::Page => Some(ChangeKind::Content),
            Role::Nav => Some(ChangeKind::Nav),
            Role::Partial | Role::Skip => Some(ChangeKind::Import),
            Role::Asset => Some(ChangeKind::Asset),
        }
    }

    /// Is `path` inside a build's output folder under the root (one holding the output
    /// mark, whatever its name)? Discovery never reads those, so their writes are no change.
    fn in_an_output(&self, path: &Path) -> bool {
        path.ancestors().skip(1).take_while(|d| d.starts_with(&self.root) && *d != self.root).any(|d| d.join(OUTPUT_MARK).is_file())
    }

    /// Is `path` (under the root) ignored by a `.gitignore`? The deepest file decides.
    fn ignored(&self, path: &Path) -> bool {
        for gi in &self.ignores {
            if !path.starts_with(gi.path()) {
                continue;
            }
            let m = gi.matched_path_or_any_parents(path, path.is_dir());
            if m.is_ignore() {
                return true;
            }
            if m.is_whitelist() {
                return false;
            }
        }
        false
    }
}

fn cwd() -> PathBuf {
    std::env::current_dir().unwrap_or_default()
}

/// `p` made absolute against `base`, canonical when it exists (watch events are canonical).
fn absolute_in(base: &Path, p: &Path) -> PathBuf {
    let joined = if p.is_absolute() { p.to_path_buf() } else { base.join(p) };
    joined.canonicalize().unwrap_or(joined)
}

/// `.gitignore` files from `root` up to the repository root, deepest first.
fn gitignores(root: &Path) -> Vec<Gitignore> {
    let mut out = Vec::new();
    for dir in root.ancestors() {
        let file = dir.join(".gitignore");
        if file.is_file() {
            let mut b = GitignoreBuilder::new(dir);
            if let Some(e) = b.add(&file) {
                eprintln!("warning: {}: {e}", file.display());
            }
            match b.build() {
                Ok(gi) => out.push(gi),
                Err(e) => eprintln!("warning: {}: {e}", file.display()),
            }
        }
        if dir.join(".git").exists() {
            break;
        }
    }
    out
}

/// Whether the folder at the source path is the one being watched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    /// It is.
    Watched,
    /// No folder there (removed, or renamed away).
    Gone,
    /// Another folder is there (deleted and copied back, or renamed into place).
    Replaced,
}

/// The identity of a folder: device, inode and birth time, where the system has them (an
/// inode number freed by `rm -rf` is often given to the next folder made).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FolderId(Option<(u64, u64)>, Option<std::time::SystemTime>);

impl FolderId {
    /// `None` when `path` is not a folder.
    fn of(path: &Path) -> Option<Self> {
        let meta = std::fs::metadata(path).ok().filter(|m| m.is_dir())?;
        #[cfg(unix)]
        let inode = {
            use std::os::unix::fs::MetadataExt;
            Some((meta.dev(), meta.ino()))
        };
        #[cfg(not(unix))]
        let inode = None;
        Some(Self(inode, meta.created().ok()))
    }
}

/// Keeps the watcher alive; dropping it stops watching.
pub(crate) struct WatchGuard {
    _debouncer: Box<dyn Send>,
    root: PathBuf,
    /// The folder watched at `root`.
    id: Option<FolderId>,
}

impl WatchGuard {
    /// Is the folder at the source path still the watched one? (Where folders have no
    /// identity, a folder put back is noticed through its [`ChangeKind::Root`] change.)
    pub(crate) fn source(&self) -> Source {
        match FolderId::of(&self.root) {
            None => Source::Gone,
            Some(now) if Some(now) != self.id => Source::Replaced,
            Some(_) => Source::Watched,
        }
    }
}

/// Start watching `root` (canonical) and the classifier's extra paths; every debounced
/// batch with at least one relevant change is sent on `tx`.
pub(crate) fn start(classifier: Classifier, poll: bool, tx: Sender<Vec<Change>>) -> notify::Result<WatchGuard> {
    let root = classifier.root.clone();
    let id = FolderId::of(&root);
    let mut watches = classifier.extra_watches();
    watches.insert(0, (root.clone(), RecursiveMode::Recursive));
    let handler = move |res: DebounceEventResult| match res {
        Ok(events) => {
            let mut changes: Vec<Change> = Vec::new();
            for ev in &events {
                if ev.need_rescan() {
                    // Events were lost: rebuild from scratch.
                    changes.push(Change { path: classifier.root.clone(), kind: ChangeKind::Config });
                    continue;
                }
                if matches!(ev.kind, EventKind::Access(_)) {
                    continue;
                }
                // The watch ends with the folder; the rebuild loop looks at what is there now.
                let gone = matches!(ev.kind, EventKind::Remove(_) | EventKind::Modify(ModifyKind::Name(_)));
                for p in &ev.paths {
                    let kind = if *p == classifier.root { gone.then_some(ChangeKind::Root) } else { classifier.classify(p) };
                    if let Some(kind) = kind
                        && !changes.iter().any(|c| c.path == *p)
                    {
                        changes.push(Change { path: p.clone(), kind });
                    }
                }
            }
            if !changes.is_empty() {
                // The receiver is gone only when the server is shutting down.
                let _ = tx.send(changes);
            }
        }
        Err(errors) => {
            for e in errors {
                eprintln!("warning: watching files: {e}");
            }
        }
    };
    let guard: Box<dyn Send> = if poll {
        let cfg = notify::Config::default().with_poll_interval(POLL_INTERVAL);
        let mut d: Debouncer<notify::PollWatcher, NoCache> = new_debouncer_opt(DEBOUNCE, None, handler, NoCache, cfg)?;
        for (p, mode) in &watches {
            d.watch(p, *mode)?;
        }
        Box::new(d)
    } else {
        let mut d: Debouncer<notify::RecommendedWatcher, RecommendedCache> = new_debouncer(DEBOUNCE, None, handler)?;
        for (p, mode) in &watches {
            d.watch(p, *mode)?;
        }
        Box::new(d)
    };
    Ok(WatchGuard { _debouncer: guard, root, id })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_by_location_and_name() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(root.join("snippets")).unwrap();
        std::fs::create_dir_all(root.join("tpl")).unwrap();
        std::fs::create_dir_all(root.join("sso")).unwrap();
        std::fs::write(root.join("sso/_navigation.mdx"), "").unwrap();
        std::fs::write(root.join(".gitignore"), "drafts/\n*.log\n").unwrap();
        let cfg = Config { templates: Some("tpl".into()), ..Config::default() };
        let c = Classifier::new(&root, &cfg, None);
        let k = |p: &str| c.classify(&root.join(p));
        assert_eq!(k("sso/index.mdx"), Some(ChangeKind::Content));
        assert_eq!(k("glossary.md"), Some(ChangeKind::Content));
        assert_eq!(k("sso/_navigation.mdx"), Some(ChangeKind::Nav));
        assert_eq!(k("snippets/a.js"), Some(ChangeKind::Snippet));
        assert_eq!(k("tpl/page.html"), Some(ChangeKind::Template));
        assert_eq!(k("vellum.toml"), Some(ChangeKind::Config));
        assert_eq!(k("img/logo.png"), Some(ChangeKind::Asset));
        assert_eq!(k("drafts/x.mdx"), None, "gitignored directory");
        assert_eq!(k("build.log"), None, "gitignored pattern");
        assert_eq!(k(".git/index"), None);
        assert_eq!(k("node_modules/x/a.md"), None);
        std::fs::create_dir_all(root.join("old-site/sso")).unwrap();
        std::fs::write(root.join("old-site").join(OUTPUT_MARK), "").unwrap();
        assert_eq!(k("old-site/sso/index.md"), None, "another build's output inside the source");
        assert_eq!(k("sso/.index.mdx.swp"), None);
        assert_eq!(k("sso/index.mdx~"), None);
        for leftover in ["sso/#index.mdx#", "sso/index.mdx.tmp", "snippets/a.js~", "tpl/.#page.html"] {
            assert_eq!(k(leftover), None, "{leftover}");
        }
        assert_eq!(c.classify(&root), None, "the root itself is the watcher's concern");
        assert_eq!(c.classify(Path::new("/elsewhere/x.mdx")), None);
        assert_eq!(k("sso/_draft.mdx"), Some(ChangeKind::Import), "a private file a page may import");
    }

    #[test]
    fn a_file_that_changes_the_convention_reloads_everything() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let c = Classifier::new(&root, &Config::default(), None);
        assert_eq!(c.classify(&root.join("sidebars.js")), Some(ChangeKind::Asset));
        std::fs::write(root.join("sidebars.js"), "module.exports = {}").unwrap();
        assert_eq!(c.classify(&root.join("sidebars.js")), Some(ChangeKind::Config));
    }
}
