//! What the preview server serves: the latest good build, the errors of the latest build
//! and the channel that tells open pages to reload. The rebuild loop writes it; the HTTP
//! handlers only read it.
//! Architecture invariant: a build with new errors never replaces the served files, so a
//! broken page never blanks the site; it only changes `errors`.

use crate::diagnostics::Diagnostic;
use crate::output::Files;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use tokio::sync::broadcast;

/// The files of one good build, ready to serve.
#[derive(Debug, Default, Clone)]
pub(crate) struct SiteFiles {
    /// Output files by relative path (`sso/index.html`).
    pub(crate) files: Files,
    /// Static files of the source tree by relative path → path on disk.
    pub(crate) assets: HashMap<String, PathBuf>,
    /// The base path (`""` or `/docs`).
    pub(crate) base: String,
}

/// One error shown in the overlay.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct BuildError {
    /// Source file, relative to the source root.
    pub(crate) file: String,
    /// 1-based line, 0 when unknown.
    pub(crate) line: u32,
    /// 1-based column, 0 when unknown.
    pub(crate) col: u32,
    /// Stable diagnostic code.
    pub(crate) code: String,
    /// What is wrong.
    pub(crate) message: String,
}

impl BuildError {
    /// The overlay form of every error-severity diagnostic.
    pub(crate) fn from_diags<'a>(diags: impl IntoIterator<Item = &'a Diagnostic>) -> Vec<Self> {
        diags
            .into_iter()
            .filter(|d| d.is_error())
            .map(|d| Self { file: d.file.clone(), line: d.line, col: d.col, code: d.code.to_string(), message: d.message.clone() })
            .collect()
    }

    /// Identity across edits: lines move when text above the error changes.
    pub(crate) fn key(&self) -> (&str, &str, &str) {
        (&self.file, &self.code, &self.message)
    }
}

/// What the server serves at one moment.
#[derive(Debug, Default)]
pub(crate) struct Snapshot {
    /// The latest good build.
    pub(crate) site: Arc<SiteFiles>,
    /// Errors of the latest build (the overlay); empty when it was clean.
    pub(crate) errors: Arc<Vec<BuildError>>,
    /// Bumped on every change a page should see; pages embed it to detect missed events.
    pub(crate) generation: u64,
    /// Completed rebuilds since start (not counting the first build).
    pub(crate) rebuilds: u64,
}

/// A message to every open page.
#[derive(Debug, Clone)]
pub(crate) enum Event {
    /// The site changed: reload.
    Reload(u64),
    /// The latest build failed: show these errors, keep the page.
    Errors(u64, Arc<Vec<BuildError>>),
}

impl Event {
    /// The event that brings a page up to date with `snap`.
    pub(crate) fn for_snapshot(snap: &Snapshot) -> Self {
        if snap.errors.is_empty() { Self::Reload(snap.generation) } else { Self::Errors(snap.generation, snap.errors.clone()) }
    }
}

/// The state shared between the rebuild loop and the HTTP handlers.
pub(crate) struct Shared {
    current: RwLock<Arc<Snapshot>>,
    events: broadcast::Sender<Event>,
    /// The canonical source root: no asset outside it is ever served.
    pub(crate) root: PathBuf,
}

impl Shared {
    /// State serving `first`.
    pub(crate) fn new(root: PathBuf, first: Snapshot) -> Self {
        Self { current: RwLock::new(Arc::new(first)), events: broadcast::channel(64).0, root }
    }

    /// The current snapshot.
    pub(crate) fn snapshot(&self) -> Arc<Snapshot> {
        match self.current.read() {
            Ok(g) => g.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Replace the snapshot (generation bumped here) and tell every open page.
    pub(crate) fn publish(&self, site: Option<Arc<SiteFiles>>, errors: Vec<BuildError>, rebuilt: bool) {
        let mut guard = match self.current.write() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        let old = guard.clone();
        let next = Snapshot {
            site: site.unwrap_or_else(|| old.site.clone()),
            errors: Arc::new(errors),
            generation: old.generation + 1,
            rebuilds: old.rebuilds + u64::from(rebuilt),
        };
        let event = Event::for_snapshot(&next);
        *guard = Arc::new(next);
        drop(guard);
        // No receivers (no open page) is not an error.
        let _ = self.events.send(event);
    }

    /// Swap the served files without telling pages (a follow-up that changes no page),
    /// unless a newer build was published meanwhile.
    pub(crate) fn replace_quietly(&self, generation: u64, site: Arc<SiteFiles>) {
        let mut guard = match self.current.write() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        let old = guard.clone();
        if old.generation != generation {
            return;
        }
        *guard = Arc::new(Snapshot { site, errors: old.errors.clone(), generation: old.generation, rebuilds: old.rebuilds });
    }

    /// A receiver of every future event.
    pub(crate) fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.events.subscribe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_keep_the_site_and_bump_the_generation() {
        let mut files = Files::new();
        files.insert("index.html".into(), Arc::new(b"one".to_vec()));
        let first = Snapshot { site: Arc::new(SiteFiles { files, ..Default::default() }), ..Default::default() };
        let shared = Shared::new(PathBuf::from("/"), first);
        let mut rx = shared.subscribe();
        let err = BuildError { file: "a.mdx".into(), line: 2, col: 1, code: "frontmatter.yaml".into(), message: "bad".into() };
        shared.publish(None, vec![err.clone()], true);
        let snap = shared.snapshot();
        assert_eq!(snap.generation, 1);
        assert_eq!(snap.rebuilds, 1);
        assert_eq!(snap.site.files.get("index.html").map(|b| b.as_slice()), Some(&b"one"[..]));
        match rx.try_recv() {
            Ok(Event::Errors(1, e)) => assert_eq!(*e, vec![err]),
            other => panic!("unexpected {other:?}"),
        }
        shared.publish(Some(Arc::new(SiteFiles::default())), vec![], false);
        assert!(matches!(rx.try_recv(), Ok(Event::Reload(2))));
        assert_eq!(shared.snapshot().rebuilds, 1);
        assert!(shared.snapshot().site.files.is_empty());
    }

    #[test]
    fn only_errors_become_overlay_entries() {
        let diags = [Diagnostic::warning("a.mdx", 1, 1, "x.warn", "w"), Diagnostic::error("b.mdx", 3, 4, "x.err", "e")];
        let errs = BuildError::from_diags(&diags);
        assert_eq!(errs.len(), 1);
        assert_eq!((errs[0].file.as_str(), errs[0].line, errs[0].col), ("b.mdx", 3, 4));
    }
}
