//! The atomic write: the whole output goes to a staging directory beside it, which replaces
//! the old output only after every file is written. `Staging` is also an emit [`Sink`], so
//! `vellum build` writes each page as soon as it is rendered instead of holding the whole
//! site in memory.
//!
//! The output a build replaces is kept as `.<out>.vellum-prev` and becomes the next build's
//! staging directory: its folders already exist and its unchanged files stay where they
//! are, so a rebuild creates and deletes (almost) no inodes, which was most of the write
//! stage's kernel time. Its files are hard links to the output's wherever they are the
//! same, so keeping it costs little disk. Which directories may be replaced, and the lock
//! that keeps two builds apart, are [`target`]'s.
//! Architecture invariants: on any I/O error the previous output directory is untouched and
//! the staging directory is removed (a failed build leaves no partial spare); the output is
//! swapped in with one atomic exchange where the OS has one, so it exists at every moment;
//! an existing file is never written into (a changed file is unlinked and created anew, so
//! a link shared with the live output never changes), nothing in the staging directory is
//! followed if it is a symlink, and every file written has the mode a new file gets.

mod file;
pub mod target;

use super::{Files, Sink};
use crate::source::Asset;
pub use file::fs_write;
use file::{Content, set_mode};
use std::collections::HashSet;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use target::{OUTPUT_MARK, STAGING_MARK, is_output, remove_marked};
pub use target::{OutputError, Problem, State, Target};

/// Something that writes a file; the default is `std::fs::write`. Tests inject failures.
pub type WriteFn<'a> = &'a (dyn Fn(&Path, &[u8]) -> io::Result<()> + Sync);

/// Write `files` and copy `assets` into `out`, atomically (refused unless `out` is absent,
/// empty or a previous vellum output).
pub fn write_atomically(out: &Path, files: &Files, assets: &[Asset], write: WriteFn<'_>) -> io::Result<()> {
    let target = Target::prepare(out, None, false, &mut || {}).map_err(io::Error::other)?;
    let staging = Staging::new(target, write, true)?;
    {
        use rayon::prelude::*;
        files.par_iter().for_each(|(p, bytes)| staging.put(p.clone(), bytes.clone()));
    }
    staging.finish(assets)
}

/// The directory being written; removed on drop unless it was swapped in.
struct Dir {
    path: PathBuf,
    /// The previous-but-one output, reclaimed: it may hold stale files and folders.
    recycled: bool,
    swapped: bool,
}

impl Drop for Dir {
    fn drop(&mut self) {
        if !self.swapped {
            remove_marked(&self.path);
        }
    }
}

/// A new output directory being written beside `out`.
pub struct Staging<'w> {
    target: Target,
    dir: Dir,
    write: WriteFn<'w>,
    /// Whether `out` holds a previous build whose identical files can be linked.
    previous: bool,
    /// Keep the replaced output as the next build's staging directory.
    keep: bool,
    /// Where the two-rename fallback of the swap puts the old output.
    aside: PathBuf,
    /// Permission bits of a new file (0644 under the usual umask): a kept or linked file
    /// with other bits is written anew, so every output file has the same mode.
    mode: u32,
    /// Paths written so far (assets never overwrite them), and directories made or checked.
    written: Mutex<(HashSet<String>, HashSet<PathBuf>)>,
    /// The first write error; `finish` reports it.
    error: Mutex<Option<io::Error>>,
}

impl<'w> Staging<'w> {
    /// A staging directory beside the checked output: the spare left by the last build
    /// when `reuse` and there is one, else a new empty one. Without `reuse` no spare is
    /// used or kept (an existing one is removed first, freeing its disk).
    pub fn new(target: Target, write: WriteFn<'w>, reuse: bool) -> io::Result<Self> {
        static CLAIMS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = CLAIMS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let path = target.staging_name(n);
        if !reuse && is_output(&target.spare) {
            remove_marked(&target.spare);
        }
        // Renaming claims the spare, so concurrent builds never share one.
        let recycled = reuse && is_output(&target.spare) && std::fs::rename(&target.spare, &path).is_ok() && is_output(&path);
        if !recycled {
            std::fs::create_dir(&path)?;
        }
        let dir = Dir { path, recycled, swapped: false };
        let mode = mark_staging(&dir.path)?;
        let aside = PathBuf::from(format!("{}-old", dir.path.display()));
        let staging = Self {
            previous: target.state == State::Vellum,
            target,
            dir,
            write,
            keep: reuse,
            aside,
            mode,
            written: Mutex::default(),
            error: Mutex::default(),
        };
        staging.put(OUTPUT_MARK.into(), Arc::new(target::output_mark_text().into_bytes()));
        Ok(staging)
    }

    /// Whether the staging directory is the previous-but-one output, reclaimed: its stale
    /// files hold disk until the swap, so a full disk may pass without it.
    pub fn recycled(&self) -> bool {
        self.dir.recycled
    }

    fn place(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let dest = self.dir.path.join(rel);
        let result = dest.parent().map_or(Ok(()), |dir| self.ensure_dir(dir));
        result.and_then(|()| self.place_content(rel, &dest, Content::Bytes(bytes))).map_err(|e| naming(rel, e))
    }

    /// [`place`](Self::place) for a file written in pieces by `write`: into a temporary
    /// file beside its destination, compared with the files it may replace a chunk at a time.
    fn place_with(&self, rel: &str, write: &mut dyn FnMut(&mut dyn io::Write) -> io::Result<()>) -> io::Result<()> {
        self.place_pieces(rel, write).map_err(|e| naming(rel, e))
    }

    fn place_pieces(&self, rel: &str, write: &mut dyn FnMut(&mut dyn io::Write) -> io::Result<()>) -> io::Result<()> {
        let dest = self.dir.path.join(rel);
        let dir = dest.parent().unwrap_or(&self.dir.path);
        self.ensure_dir(dir)?;
        let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
        let mut out = io::BufWriter::with_capacity(1 << 20, tmp.as_file_mut());
        write(&mut out)?;
        io::Write::flush(&mut out)?;
        drop(out);
        // A temporary file is created 0600; the output's files all get a new file's mode.
        set_mode(tmp.as_file(), self.mode)?;
        self.place_content(rel, &dest, Content::File(tmp))
    }

    fn place_content(&self, rel: &str, dest: &Path, new: Content<'_>) -> io::Result<()> {
        if self.dir.recycled {
            match std::fs::symlink_metadata(dest) {
                Ok(m) if m.is_file() && new.is_in(dest, self.mode) => return Ok(()),
                Ok(m) if m.is_dir() => std::fs::remove_dir_all(dest)?,
                Ok(_) => std::fs::remove_file(dest)?,
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
        }
        self.put_file(dest, self.previous.then(|| self.target.out.join(rel)).as_deref(), new)
    }

    /// Puts `new` at `dest`: a hard link to the previous build's identical file when there
    /// is one, else a fresh write. Linking skips the kernel's inode and block allocation
    /// (the bulk of the write stage: ~10 ms instead of ~200 ms for the corpus's 1,060
    /// files), and unchanged files keep their mtime, so rsync-style deploys skip them. Only
    /// regular files with the output's mode are linked: a symlink planted in the old
    /// output is never carried over.
    fn put_file(&self, dest: &Path, old: Option<&Path>, new: Content<'_>) -> io::Result<()> {
        if let Some(old) = old
            && new.is_in(old, self.mode)
            && std::fs::hard_link(old, dest).is_ok()
        {
            return Ok(());
        }
        match new {
            Content::Bytes(b) => (self.write)(dest, b),
            Content::File(f) => f.persist(dest).map(drop).map_err(|e| e.error),
        }
    }

    /// Makes `dir` (inside the staging directory) a real directory. In a recycled one,
    /// each level is checked once, and a file or symlink in the way is replaced.
    fn ensure_dir(&self, dir: &Path) -> io::Result<()> {
        if dir == self.dir.path || self.written.lock().is_ok_and(|w| w.1.contains(dir)) {
            return Ok(());
        }
        if !self.dir.recycled {
            std::fs::create_dir_all(dir)?;
        } else {
            if let Some(parent) = dir.parent() {
                self.ensure_dir(parent)?;
            }
            match std::fs::symlink_metadata(dir) {
                Ok(m) if m.is_dir() => {}
                Ok(_) => {
                    std::fs::remove_file(dir)?;
                    std::fs::create_dir(dir)?;
                }
                Err(e) if e.kind() == io::ErrorKind::NotFound => match std::fs::create_dir(dir) {
                    Err(e) if e.kind() != io::ErrorKind::AlreadyExists => return Err(e),
                    _ => {}
                },
                Err(e) => return Err(e),
            }
        }
        if let Ok(mut w) = self.written.lock() {
            w.1.insert(dir.to_path_buf());
        }
        Ok(())
    }

    /// Copies the static `assets` not shadowed by a generated file, removes what a recycled
    /// directory held that this build did not write, then swaps the new directory in; on
    /// any error (here or in an earlier `put`) the old output stays.
    pub fn finish(mut self, assets: &[Asset]) -> io::Result<()> {
        use rayon::prelude::*;
        if let Some(e) = self.error.lock().ok().and_then(|mut e| e.take()) {
            return Err(e);
        }
        let shadowed = |a: &&Asset| self.written.lock().is_ok_and(|w| w.0.contains(&a.rel));
        let copy: Vec<&Asset> = assets.iter().filter(|a| !shadowed(a)).collect();
        copy.par_iter().try_for_each(|a| self.place(&a.rel, &std::fs::read(&a.path).map_err(|e| naming(&a.rel, e))?))?;
        // From here the directory is recognised by its output mark alone.
        std::fs::remove_file(self.dir.path.join(STAGING_MARK))?;
        if self.dir.recycled {
            let (files, dirs) = self.written.get_mut().map(|w| (&w.0, &w.1)).map_err(|_| io::Error::other("poisoned"))?;
            let files: HashSet<&str> = files.iter().map(String::as_str).chain(assets.iter().map(|a| a.rel.as_str())).collect();
            prune(&self.dir.path, &self.dir.path, &files, dirs)?;
        }
        let out = &self.target.out;
        let old = if std::fs::symlink_metadata(out).is_ok() {
            let old = swap(&self.dir.path, out, &self.aside)?;
            self.dir.swapped = true;
            old
        } else {
            std::fs::rename(&self.dir.path, out)?;
            self.dir.swapped = true;
            return Ok(());
        };
        // The replaced directory: the next build's spare if it is a vellum output, else
        // what the target check allowed (an empty directory, or one `--force` gave up).
        let spare = &self.target.spare;
        if !is_output(&old) {
            let _ = if self.target.state == State::Forced { std::fs::remove_dir_all(&old) } else { std::fs::remove_dir(&old) };
        } else if self.keep && std::fs::symlink_metadata(spare).is_err() && std::fs::rename(&old, spare).is_ok() {
            hide_from_git(spare);
        } else {
            remove_marked(&old);
        }
        Ok(())
    }
}

/// `e` with the output path it concerns, so a failed write names the file.
fn naming(rel: &str, e: io::Error) -> io::Error {
    io::Error::new(e.kind(), format!("`{rel}`: {e}"))
}

/// Puts directory `new` at `out` (which exists) and returns where the old `out` went. On
/// Linux one `renameat2(RENAME_EXCHANGE)` swaps the two names, so `out` is complete at every
/// moment and the old output ends at `new`'s name; where the OS or file system has no
/// exchange, the old output is renamed to `aside` and the new one into place (renamed back
/// if that fails): a reader, or a kill, between the two renames finds no `out`.
fn swap(new: &Path, out: &Path, aside: &Path) -> io::Result<PathBuf> {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        use rustix::io::Errno;
        match renameat_with(CWD, new, CWD, out, RenameFlags::EXCHANGE) {
            Ok(()) => return Ok(new.to_path_buf()),
            Err(Errno::INVAL | Errno::NOSYS | Errno::OPNOTSUPP) => {}
            Err(e) => return Err(e.into()),
        }
    }
    std::fs::rename(out, aside)?;
    if let Err(e) = std::fs::rename(new, out) {
        let _ = std::fs::rename(aside, out);
        return Err(e);
    }
    Ok(aside.to_path_buf())
}

/// Marks a new staging directory as this process's (its pid in [`STAGING_MARK`], which a
/// later build reads to tell a killed build's leftovers from a live one's) and returns the
/// permission bits the mark was created with, which are those of any new file. The
/// directory itself gets the matching directory mode (a recycled one may have another).
fn mark_staging(dir: &Path) -> io::Result<u32> {
    let mark = dir.join(STAGING_MARK);
    let _ = std::fs::remove_file(&mark);
    let mut file = std::fs::File::create(&mark)?;
    io::Write::write_all(&mut file, format!("{}\n", std::process::id()).as_bytes())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = file.metadata()?.permissions().mode() & 0o777;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(mode | (mode & 0o444) >> 2))?;
        Ok(mode)
    }
    #[cfg(not(unix))]
    Ok(0)
}

/// Keeps git from listing the spare: users' ignore files name their output folder, not this
/// sibling. The file is pruned when the spare is next recycled, so no output contains it.
fn hide_from_git(spare: &Path) {
    let p = spare.join(".gitignore");
    // Unlinked first: a file of that name may be a hard link shared with the live output.
    let _ = std::fs::remove_file(&p);
    let _ = std::fs::write(&p, "# vellum: the previous build, reused by the next one\n*\n");
}

/// Removes everything under `dir` that is neither a written file nor a directory leading
/// to one. Symlinks are removed, never followed.
fn prune(root: &Path, dir: &Path, files: &HashSet<&str>, dirs: &HashSet<PathBuf>) -> io::Result<()> {
    use rayon::prelude::*;
    let entries: Vec<_> = std::fs::read_dir(dir)?.collect::<io::Result<_>>()?;
    entries.par_iter().try_for_each(|e| {
        let path = e.path();
        if e.file_type()?.is_dir() {
            if dirs.contains(&path) { prune(root, &path, files, dirs) } else { std::fs::remove_dir_all(&path) }
        } else {
            let rel = path.strip_prefix(root).ok().and_then(Path::to_str).unwrap_or("");
            if files.contains(rel) { Ok(()) } else { std::fs::remove_file(&path) }
        }
    })
}

impl Sink for Staging<'_> {
    fn put(&self, path: String, bytes: Arc<Vec<u8>>) {
        if !self.failed() {
            let result = self.place(&path, &bytes);
            self.record(path, result);
        }
    }

    fn put_with(&self, path: String, write: &mut dyn FnMut(&mut dyn io::Write) -> io::Result<()>) {
        if !self.failed() {
            let result = self.place_with(&path, write);
            self.record(path, result);
        }
    }
}

impl Staging<'_> {
    fn failed(&self) -> bool {
        self.error.lock().is_ok_and(|e| e.is_some())
    }

    fn record(&self, path: String, result: io::Result<()>) {
        if let Ok(mut w) = self.written.lock() {
            w.0.insert(path);
        }
        if let Err(e) = result
            && let Ok(mut first) = self.error.lock()
        {
            first.get_or_insert(e);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn staging(out: &Path, reuse: bool) -> Staging<'static> {
        Staging::new(Target::prepare(out, None, false, &mut || {}).unwrap(), &fs_write, reuse).unwrap()
    }

    #[test]
    fn failed_write_keeps_old_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let mut files = Files::new();
        files.insert("a/index.html".into(), Arc::new(b"one".to_vec()));
        write_atomically(&out, &files, &[], &fs_write).unwrap();
        files.insert("a/index.html".into(), Arc::new(b"two".to_vec()));
        files.insert("b.html".into(), Arc::new(b"x".to_vec()));
        let failing =
            |p: &Path, b: &[u8]| if p.ends_with("b.html") { Err(io::ErrorKind::StorageFull.into()) } else { std::fs::write(p, b) };
        let err = write_atomically(&out, &files, &[], &failing).unwrap_err();
        assert!(err.to_string().starts_with("`b.html`: "), "the error names the file: {err}");
        assert_eq!(err.kind(), io::ErrorKind::StorageFull, "and keeps its kind");
        assert_eq!(std::fs::read(out.join("a/index.html")).unwrap(), b"one");
        assert!(!out.join("b.html").exists());
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().map(|e| e.file_name()).collect();
        assert_eq!(leftovers.len(), 1, "{leftovers:?}");
        write_atomically(&out, &files, &[], &fs_write).unwrap();
        assert_eq!(std::fs::read(out.join("a/index.html")).unwrap(), b"two");
    }

    #[test]
    fn unchanged_files_are_linked_changed_ones_rewritten() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let mut files = Files::new();
        files.insert("same.html".into(), Arc::new(b"same".to_vec()));
        files.insert("edit.html".into(), Arc::new(b"v1".to_vec()));
        write_atomically(&out, &files, &[], &fs_write).unwrap();
        let ino = |p: &str| std::fs::metadata(out.join(p)).unwrap().ino();
        let (same, edit) = (ino("same.html"), ino("edit.html"));
        files.insert("edit.html".into(), Arc::new(b"v2".to_vec()));
        // A symlink planted in the old output is not carried over, even with equal bytes.
        std::fs::write(dir.path().join("secret"), b"same").unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret"), out.join("planted.html")).unwrap();
        files.insert("planted.html".into(), Arc::new(b"same".to_vec()));
        write_atomically(&out, &files, &[], &fs_write).unwrap();
        assert_eq!(ino("same.html"), same, "unchanged file is the same inode");
        assert_ne!(ino("edit.html"), edit);
        assert_eq!(std::fs::read(out.join("edit.html")).unwrap(), b"v2");
        assert!(!std::fs::symlink_metadata(out.join("planted.html")).unwrap().file_type().is_symlink());
    }

    #[test]
    fn files_written_in_pieces_are_kept_when_unchanged_and_replaced_when_not() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let build = |text: &'static str| {
            let staging = staging(&out, true);
            staging.put_with("big/full.txt".into(), &mut |w| text.split(' ').try_for_each(|part| w.write_all(part.as_bytes())));
            staging.finish(&[]).unwrap();
            std::fs::metadata(out.join("big/full.txt")).unwrap().ino()
        };
        let first = build("one two");
        assert_eq!(std::fs::read(out.join("big/full.txt")).unwrap(), b"onetwo");
        assert_eq!(build("one two"), first, "linked to the previous output's file");
        assert_eq!(build("one two"), first, "kept in the recycled directory");
        assert_ne!(build("one tw0"), first);
        assert_eq!(std::fs::read(out.join("big/full.txt")).unwrap(), b"onetw0");
        assert_ne!(build("one two three"), first);
        assert_eq!(std::fs::read(out.join("big/full.txt")).unwrap(), b"onetwothree");
        let stray: Vec<_> = std::fs::read_dir(out.join("big")).unwrap().flatten().map(|e| e.file_name()).collect();
        assert_eq!(stray.len(), 1, "no temporary file left: {stray:?}");
        // A failed writer fails the build, and the old output stays.
        let staging = staging(&out, true);
        staging.put_with("big/full.txt".into(), &mut |_| Err(io::Error::other("broken")));
        assert!(staging.finish(&[]).is_err());
        assert_eq!(std::fs::read(out.join("big/full.txt")).unwrap(), b"onetwothree");
    }

    #[test]
    fn the_replaced_output_is_recycled_without_touching_the_live_one() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let spare = dir.path().join(".public.vellum-prev");
        let put = |files: &[(&str, &str)], write: WriteFn<'_>| {
            let files: Files = files.iter().map(|(p, b)| (p.to_string(), Arc::new(b.as_bytes().to_vec()))).collect();
            write_atomically(&out, &files, &[], write)
        };
        put(&[("same.html", "same"), ("edit.html", "v1"), ("stale.html", "x"), ("d/sub/f.html", "f")], &fs_write).unwrap();
        let first_root = std::fs::metadata(&out).unwrap().ino();
        put(&[("same.html", "same"), ("edit.html", "v1"), ("stale.html", "x"), ("d/sub/f.html", "f")], &fs_write).unwrap();
        assert_eq!(std::fs::metadata(&spare).unwrap().ino(), first_root, "the replaced output is kept as the spare");
        assert!(spare.join(".gitignore").is_file(), "git does not list the spare");
        // The spare shares inodes with the live output; a failed build that changes a file
        // must leave the live file as it was, and remove the partly rewritten spare.
        let failing = |p: &Path, b: &[u8]| if p.ends_with("z.html") { Err(io::Error::other("disk full")) } else { std::fs::write(p, b) };
        assert!(put(&[("same.html", "same"), ("edit.html", "v2"), ("z.html", "z")], &failing).is_err());
        assert_eq!(std::fs::read(out.join("edit.html")).unwrap(), b"v1");
        assert!(!spare.exists(), "a failed build leaves no partial spare");
        let second_root = std::fs::metadata(&out).unwrap().ino();
        put(&[("same.html", "same"), ("edit.html", "v2")], &fs_write).unwrap();
        assert_eq!(std::fs::metadata(&spare).unwrap().ino(), second_root);
        // Symlinks planted in the spare are replaced, never followed.
        let outside = dir.path().join("outside");
        std::fs::create_dir(&outside).unwrap();
        std::fs::write(dir.path().join("secret"), b"same").unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret"), spare.join("planted.html")).unwrap();
        std::os::unix::fs::symlink(&outside, spare.join("linked")).unwrap();
        let same = std::fs::metadata(out.join("same.html")).unwrap().ino();
        put(&[("same.html", "same"), ("edit.html", "v3"), ("planted.html", "same"), ("linked/x.html", "x")], &fs_write).unwrap();
        assert_eq!(std::fs::metadata(&out).unwrap().ino(), second_root, "the staging directory was the recycled spare");
        let mut names: Vec<_> = std::fs::read_dir(&out).unwrap().flatten().map(|e| e.file_name().into_string().unwrap()).collect();
        names.sort();
        assert_eq!(names, [OUTPUT_MARK, "edit.html", "linked", "planted.html", "same.html"], "stale files and folders are gone");
        assert_eq!(std::fs::metadata(out.join("same.html")).unwrap().ino(), same, "an unchanged file keeps its inode");
        assert_eq!(std::fs::read(out.join("edit.html")).unwrap(), b"v3");
        assert!(std::fs::symlink_metadata(out.join("planted.html")).unwrap().is_file());
        assert!(std::fs::symlink_metadata(out.join("linked")).unwrap().is_dir());
        assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 0);
        assert_eq!(std::fs::read(dir.path().join("secret")).unwrap(), b"same");
    }

    #[test]
    fn every_file_has_a_new_files_mode_even_when_kept_from_an_older_output() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let build = || {
            let staging = staging(&out, true);
            staging.put("a.html".into(), Arc::new(b"a".to_vec()));
            staging.put_with("full.txt".into(), &mut |w| w.write_all(b"streamed"));
            staging.finish(&[]).unwrap();
        };
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        build();
        let want = mode(&out.join("a.html"));
        assert_eq!(mode(&out.join("full.txt")), want, "a file written in pieces is not left 0600");
        assert_eq!(mode(&out), want | (want & 0o444) >> 2);
        // An output written by an older vellum (0600 file, 0700 root) is linked and then
        // recycled: both get the usual modes.
        std::fs::set_permissions(out.join("full.txt"), std::fs::Permissions::from_mode(0o600)).unwrap();
        std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o700)).unwrap();
        build();
        build();
        assert_eq!(mode(&out.join("full.txt")), want);
        assert_eq!(mode(&out), want | (want & 0o444) >> 2);
        assert_eq!(std::fs::read(out.join("full.txt")).unwrap(), b"streamed");
    }

    #[test]
    fn without_reuse_no_spare_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let files: Files = [("a.html".to_string(), Arc::new(b"a".to_vec()))].into_iter().collect();
        write_atomically(&out, &files, &[], &fs_write).unwrap();
        write_atomically(&out, &files, &[], &fs_write).unwrap();
        assert!(dir.path().join(".public.vellum-prev").is_dir());
        let staging = staging(&out, false);
        staging.put("a.html".into(), Arc::new(b"b".to_vec()));
        staging.finish(&[]).unwrap();
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().map(|e| e.file_name()).collect();
        assert_eq!(left, ["public"]);
        assert_eq!(std::fs::read(out.join("a.html")).unwrap(), b"b");
    }
}
