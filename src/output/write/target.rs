//! The output directory a build may replace, checked and locked before any work starts.
//!
//! A build replaces only a directory that is absent, empty, or a previous vellum output
//! (it holds the [`OUTPUT_MARK`] file every build writes), or, with `force`, a directory
//! that is none of these but holds no sources. The source tree, a directory that contains it,
//! the root, home and current directories, a git work tree and a non-empty directory
//! inside the source are refused even with `force`.
//!
//! Architecture invariants: every directory vellum renames into place, keeps as the spare
//! or removes beside the output is either one it made (named `.<out>.tmp-*`, holding
//! [`STAGING_MARK`] or [`OUTPUT_MARK`], or empty) or a checked previous output; and while a
//! [`Target`] lives, it holds an exclusive lock on the output's parent directory, so no
//! other vellum build writes beside the same output at the same time.

use std::fmt;
use std::fs::File;
use std::io;
use std::path::{Component, Path, PathBuf};

/// The file every output (and so the spare) holds: it marks the directory as one vellum
/// may replace. Its bytes do not change between builds of one version.
pub const OUTPUT_MARK: &str = ".vellum-output";

/// The file a staging directory holds while a build writes it: the owning process id.
pub const STAGING_MARK: &str = ".vellum-staging";

/// The contents of [`OUTPUT_MARK`].
pub(super) fn output_mark_text() -> String {
    format!("vellum {}\n# This folder was written by `vellum build`; the next build replaces it whole.\n", env!("CARGO_PKG_VERSION"))
}

/// Why an output directory cannot be prepared.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// Replacing the directory could lose files that are not vellum's.
    #[error("refusing to write the site into `{}`: {problem}\n  fix: {}", out.display(), problem.fix())]
    Refused {
        /// The output directory, as resolved.
        out: PathBuf,
        /// What is wrong with it.
        problem: Problem,
    },
    /// The file system failed (locking, reading the directory).
    #[error("cannot prepare `{}`: {source}", out.display())]
    Io {
        /// The output directory.
        out: PathBuf,
        /// The I/O error.
        source: io::Error,
    },
}

/// What makes an output directory unsafe to replace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// It is the source directory, or contains it.
    HoldsSource {
        /// The source directory.
        source: PathBuf,
    },
    /// It is the root directory.
    Root,
    /// It is, or contains, the home directory.
    Home,
    /// It is, or contains, the current directory.
    CurrentDir,
    /// It holds `.git`.
    GitWorkTree,
    /// It exists and is a file or a symbolic link.
    NotADirectory,
    /// It is inside the source directory and holds files.
    InsideSource,
    /// It holds files and no [`OUTPUT_MARK`].
    NotVellumOutput,
    /// The spare `.<out>.vellum-prev` exists and is not a vellum output.
    ForeignSpare(PathBuf),
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::HoldsSource { source } => write!(f, "it is or contains the source directory `{}`", source.display()),
            Problem::Root => f.write_str("it is the root directory"),
            Problem::Home => f.write_str("it is or contains your home directory"),
            Problem::CurrentDir => f.write_str("it is or contains the current directory"),
            Problem::GitWorkTree => f.write_str("it is a git work tree (it holds `.git`)"),
            Problem::NotADirectory => f.write_str("it exists and is not a directory (a file or a symbolic link)"),
            Problem::InsideSource => f.write_str("it is inside the source directory and holds files that are not a vellum output"),
            Problem::NotVellumOutput => write!(f, "it is not empty and is not a vellum output (it has no `{OUTPUT_MARK}` file)"),
            Problem::ForeignSpare(p) => write!(f, "`{}` exists and is not a vellum output, so it cannot be the spare", p.display()),
        }
    }
}

impl Problem {
    /// How to get past it.
    pub fn fix(&self) -> &'static str {
        match self {
            Problem::NotVellumOutput => "pass a new or empty directory with `-o`, or add `--force` to delete its files and replace it",
            Problem::NotADirectory => "remove it, or pass another path with `-o` (a symlink is not followed: pass its target)",
            Problem::ForeignSpare(_) => "move or delete that folder (vellum keeps its previous output there)",
            Problem::InsideSource => "empty or move that directory, or pass an output directory outside the source with `-o`",
            _ => "pass a directory of its own for the site with `-o`, e.g. `-o public`, and add it to `.gitignore`",
        }
    }
}

/// What the output directory held when it was checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Nothing there yet.
    Absent,
    /// An empty directory.
    Empty,
    /// A previous vellum output.
    Vellum,
    /// A directory that is not vellum's, replaced because of `force`.
    Forced,
}

/// A checked, locked output directory. Dropping it releases the lock.
#[derive(Debug)]
pub struct Target {
    /// The output, absolute, its parent resolved through symlinks.
    pub(super) out: PathBuf,
    pub(super) parent: PathBuf,
    pub(super) name: String,
    /// `.<out>.vellum-prev`.
    pub(super) spare: PathBuf,
    pub(super) state: State,
    _lock: Option<File>,
}

impl Target {
    /// Checks that `out` may be replaced by a build of `source` (when given), with the
    /// parent directory locked; waits for another build holding the lock, calling
    /// `on_wait` first. Removes staging directories that killed builds of `out` left.
    pub fn prepare(out: &Path, source: Option<&Path>, force: bool, on_wait: &mut dyn FnMut()) -> Result<Self, OutputError> {
        let resolved = resolve(out);
        let io = |source| OutputError::Io { out: resolved.clone(), source };
        let refuse = |problem| OutputError::Refused { out: resolved.clone(), problem };
        let (Some(parent), Some(name)) = (resolved.parent(), resolved.file_name()) else {
            return Err(refuse(Problem::Root));
        };
        let (parent, name) = (parent.to_path_buf(), name.to_string_lossy().into_owned());
        let source = source.map(|s| s.canonicalize()).transpose().map_err(io)?;
        // Checked before the lock, which creates the parent: a refusal leaves no trace.
        let problem = protected(&resolved, source.as_deref());
        if let Some(p) = problem {
            return Err(refuse(p));
        }
        std::fs::create_dir_all(&parent).map_err(io)?;
        let lock = lock(&parent, on_wait).map_err(io)?;
        let spare = parent.join(format!(".{name}.vellum-prev"));
        if std::fs::symlink_metadata(&spare).is_ok() && !is_output(&spare) {
            return Err(refuse(Problem::ForeignSpare(spare)));
        }
        let state = state(&resolved, source.as_deref(), force).map_err(refuse)?;
        let target = Self { out: resolved, parent, name, spare, state, _lock: lock };
        target.remove_leftovers();
        Ok(target)
    }

    /// The output directory, absolute.
    pub fn path(&self) -> &Path {
        &self.out
    }

    /// `.<out>.tmp-<pid>-<n>`: a staging directory name no live build uses.
    pub(super) fn staging_name(&self, n: usize) -> PathBuf {
        self.parent.join(format!(".{}.tmp-{}-{n}", self.name, std::process::id()))
    }

    /// Removes the staging directories (`.<out>.tmp-*`, and `.<out>.old-*` of earlier
    /// versions) of builds that are gone: only those vellum marked, or empty ones.
    fn remove_leftovers(&self) {
        let Ok(entries) = std::fs::read_dir(&self.parent) else { return };
        let prefixes = [format!(".{}.tmp-", self.name), format!(".{}.old-", self.name)];
        for e in entries.flatten() {
            let file_name = e.file_name();
            let name = file_name.to_string_lossy();
            if !prefixes.iter().any(|p| name.starts_with(p.as_str())) || !e.file_type().is_ok_and(|t| t.is_dir()) {
                continue;
            }
            let dir = e.path();
            let owner = std::fs::read_to_string(dir.join(STAGING_MARK)).ok().map(|t| t.trim().parse::<u32>().ok());
            if owner.flatten().is_some_and(|pid| pid != std::process::id() && alive(pid)) {
                continue;
            }
            if owner.is_some() || is_output(&dir) {
                remove_marked(&dir);
            } else {
                // Unmarked: removed only if empty (a build killed right after `mkdir`).
                let _ = std::fs::remove_dir(&dir);
            }
        }
    }
}

/// Whether `dir` is a real directory holding a regular [`OUTPUT_MARK`] file.
pub(super) fn is_output(dir: &Path) -> bool {
    std::fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir()) && std::fs::symlink_metadata(dir.join(OUTPUT_MARK)).is_ok_and(|m| m.is_file())
}

/// Removes a directory vellum marked, its marks last, so a removal cut short by a kill is
/// still recognised (and finished) by the next build.
pub(super) fn remove_marked(dir: &Path) {
    use rayon::prelude::*;
    let marks = [OUTPUT_MARK, STAGING_MARK];
    if let Ok(entries) = std::fs::read_dir(dir) {
        let entries: Vec<_> = entries.flatten().filter(|e| !marks.iter().any(|m| e.file_name() == *m)).collect();
        entries.par_iter().for_each(|e| {
            let _ =
                if e.file_type().is_ok_and(|t| t.is_dir()) { std::fs::remove_dir_all(e.path()) } else { std::fs::remove_file(e.path()) };
        });
    }
    let _ = std::fs::remove_dir_all(dir);
}

/// `out` made absolute: the longest existing prefix resolved through symlinks (a symlink
/// at `out` itself is kept, and refused later), the rest normalised.
fn resolve(out: &Path) -> PathBuf {
    let abs = std::path::absolute(out).unwrap_or_else(|_| out.to_path_buf());
    let (head, tail) = match (abs.parent(), abs.file_name()) {
        (Some(p), Some(n)) => (p.to_path_buf(), vec![n.to_os_string()]),
        _ => return abs.canonicalize().unwrap_or(abs),
    };
    let mut head = head;
    let mut rest = tail;
    while head.canonicalize().is_err() {
        match (head.parent(), head.file_name()) {
            (Some(p), Some(n)) => {
                rest.push(n.to_os_string());
                head = p.to_path_buf();
            }
            _ => break,
        }
    }
    let mut path = head.canonicalize().unwrap_or(head);
    for part in rest.iter().rev() {
        match Path::new(part).components().next() {
            Some(Component::ParentDir) => {
                path.pop();
            }
            Some(Component::CurDir) | None => {}
            _ => path.push(part),
        }
    }
    path
}

/// The problems no `force` overrides, found from paths alone.
fn protected(out: &Path, source: Option<&Path>) -> Option<Problem> {
    let contains = |dir: Option<PathBuf>| dir.and_then(|d| d.canonicalize().ok()).is_some_and(|d| d.starts_with(out));
    if out.parent().is_none() {
        return Some(Problem::Root);
    }
    if let Some(s) = source.filter(|s| s.starts_with(out)) {
        return Some(Problem::HoldsSource { source: s.to_path_buf() });
    }
    if contains(std::env::var_os("HOME").filter(|h| !h.is_empty()).map(PathBuf::from)) {
        return Some(Problem::Home);
    }
    if contains(std::env::current_dir().ok()) {
        return Some(Problem::CurrentDir);
    }
    None
}

/// What `out` holds, or why it may not be replaced.
fn state(out: &Path, source: Option<&Path>, force: bool) -> Result<State, Problem> {
    match std::fs::symlink_metadata(out) {
        Err(_) => return Ok(State::Absent),
        Ok(m) if !m.is_dir() => return Err(Problem::NotADirectory),
        Ok(_) => {}
    }
    if std::fs::symlink_metadata(out.join(".git")).is_ok() {
        return Err(Problem::GitWorkTree);
    }
    if is_output(out) {
        return Ok(State::Vellum);
    }
    if std::fs::read_dir(out).map_err(|_| Problem::NotADirectory)?.next().is_none() {
        return Ok(State::Empty);
    }
    if source.is_some_and(|s| out.starts_with(s)) {
        return Err(Problem::InsideSource);
    }
    if force { Ok(State::Forced) } else { Err(Problem::NotVellumOutput) }
}

/// An exclusive lock on `parent`: every vellum build writing beside the same output takes
/// it, so staging directories of a live build are never taken for a killed one's.
#[cfg(unix)]
fn lock(parent: &Path, on_wait: &mut dyn FnMut()) -> io::Result<Option<File>> {
    use rustix::fs::{FlockOperation, flock};
    let dir = File::open(parent)?;
    match flock(&dir, FlockOperation::NonBlockingLockExclusive) {
        Ok(()) => return Ok(Some(dir)),
        Err(e) if e == rustix::io::Errno::WOULDBLOCK => on_wait(),
        // A file system without locks (some network mounts): build unlocked.
        Err(_) => return Ok(None),
    }
    flock(&dir, FlockOperation::LockExclusive)?;
    Ok(Some(dir))
}

#[cfg(not(unix))]
fn lock(_: &Path, _: &mut dyn FnMut()) -> io::Result<Option<File>> {
    Ok(None)
}

/// Whether process `pid` exists.
#[cfg(unix)]
fn alive(pid: u32) -> bool {
    let Some(pid) = i32::try_from(pid).ok().and_then(rustix::process::Pid::from_raw) else { return false };
    !matches!(rustix::process::test_kill_process(pid), Err(rustix::io::Errno::SRCH))
}

#[cfg(not(unix))]
fn alive(_: u32) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prepare(out: &Path, source: Option<&Path>, force: bool) -> Result<Target, OutputError> {
        Target::prepare(out, source, force, &mut || {})
    }

    fn problem(r: Result<Target, OutputError>) -> Problem {
        match r {
            Err(OutputError::Refused { problem, .. }) => problem,
            other => panic!("not refused: {other:?}"),
        }
    }

    #[test]
    fn only_absent_empty_or_marked_directories_are_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let src = root.join("src");
        std::fs::create_dir_all(src.join("sub")).unwrap();
        std::fs::write(src.join("a.mdx"), "# A").unwrap();
        assert_eq!(prepare(&root.join("new/public"), Some(&src), false).unwrap().state, State::Absent);
        std::fs::create_dir(root.join("empty")).unwrap();
        assert_eq!(prepare(&root.join("empty"), Some(&src), false).unwrap().state, State::Empty);
        let user = root.join("user");
        std::fs::create_dir(&user).unwrap();
        std::fs::write(user.join("notes.txt"), "mine").unwrap();
        assert_eq!(problem(prepare(&user, Some(&src), false)), Problem::NotVellumOutput);
        assert_eq!(prepare(&user, Some(&src), true).unwrap().state, State::Forced);
        std::fs::write(user.join(OUTPUT_MARK), output_mark_text()).unwrap();
        assert_eq!(prepare(&user, Some(&src), false).unwrap().state, State::Vellum);
        // A planted symlink is no marker.
        std::fs::remove_file(user.join(OUTPUT_MARK)).unwrap();
        std::os::unix::fs::symlink(root.join("empty"), user.join(OUTPUT_MARK)).unwrap();
        assert_eq!(problem(prepare(&user, Some(&src), false)), Problem::NotVellumOutput);
        for force in [false, true] {
            assert!(matches!(problem(prepare(&src, Some(&src), force)), Problem::HoldsSource { .. }));
            assert!(matches!(problem(prepare(&root, Some(&src), force)), Problem::HoldsSource { .. }));
            assert!(matches!(problem(prepare(&src.join("sub/.."), Some(&src), force)), Problem::HoldsSource { .. }));
            assert_eq!(problem(prepare(Path::new("/"), None, force)), Problem::Root);
            assert_eq!(problem(prepare(Path::new("."), None, force)), Problem::CurrentDir);
            assert_eq!(problem(prepare(&src.join("a.mdx"), Some(&src), force)), Problem::NotADirectory);
        }
        std::fs::write(src.join("sub/b.mdx"), "# B").unwrap();
        assert_eq!(problem(prepare(&src.join("sub"), Some(&src), true)), Problem::InsideSource);
        let repo = root.join("repo");
        std::fs::create_dir_all(repo.join(".git")).unwrap();
        assert_eq!(problem(prepare(&repo, None, true)), Problem::GitWorkTree);
        std::fs::create_dir(root.join(".spare.vellum-prev")).unwrap();
        assert!(matches!(problem(prepare(&root.join("spare"), None, true)), Problem::ForeignSpare(_)));
    }

    #[test]
    fn leftovers_of_dead_builds_are_removed_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let parent = dir.path();
        let mk = |name: &str, files: &[(&str, String)]| {
            std::fs::create_dir_all(parent.join(name).join("deep")).unwrap();
            std::fs::write(parent.join(name).join("deep/page.html"), "x").unwrap();
            for (f, text) in files {
                std::fs::write(parent.join(name).join(f), text).unwrap();
            }
        };
        mk(".public.tmp-1-0", &[(STAGING_MARK, "999999999\n".into())]);
        mk(".public.tmp-2-0", &[(OUTPUT_MARK, output_mark_text())]);
        mk(".public.tmp-3-0", &[(STAGING_MARK, String::new())]);
        mk(".public.tmp-live", &[(STAGING_MARK, format!("{}\n", std::os::unix::process::parent_id()))]);
        mk(".public.tmp-user", &[]);
        mk(".other.tmp-1-0", &[(STAGING_MARK, "999999999\n".into())]);
        std::fs::create_dir(parent.join(".public.tmp-empty")).unwrap();
        drop(prepare(&parent.join("public"), None, false).unwrap());
        let mut left: Vec<_> = std::fs::read_dir(parent).unwrap().flatten().map(|e| e.file_name().into_string().unwrap()).collect();
        left.sort();
        assert_eq!(left, [".other.tmp-1-0", ".public.tmp-live", ".public.tmp-user"]);
    }
}
