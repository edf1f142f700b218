//! `vellum build` cannot lose a user's files and survives faults, checked from outside with
//! the real binary: refused output directories stay byte-identical, builds killed with
//! SIGKILL at random moments leave the previous output as it was and nothing behind once a
//! build succeeds, a full file system (a 2 MB tmpfs) fails cleanly and the next build that
//! fits succeeds, concurrent builds do not corrupt the output, the swap never hides it, and
//! `check` and `serve` write nothing.

use crate::support::{bin, require_corpus};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Every entry under `dir` (symlinks not followed): kind, permission bits and contents.
fn tree(dir: &Path) -> BTreeMap<String, String> {
    use std::os::unix::fs::PermissionsExt;
    fn go(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for e in entries.flatten() {
            let p = e.path();
            let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
            let m = std::fs::symlink_metadata(&p).unwrap();
            let mode = m.permissions().mode() & 0o777;
            if m.is_symlink() {
                out.insert(rel, format!("link {:?}", std::fs::read_link(&p).unwrap()));
            } else if m.is_dir() {
                out.insert(rel.clone(), format!("dir {mode:o}"));
                go(root, &p, out);
            } else {
                out.insert(rel, format!("file {mode:o} {}", blake3::hash(&std::fs::read(&p).unwrap()).to_hex()));
            }
        }
    }
    let mut out = BTreeMap::new();
    go(dir, dir, &mut out);
    out
}

/// One hash of [`tree`], for whole-output comparisons.
fn digest(dir: &Path) -> String {
    blake3::hash(format!("{:?}", tree(dir)).as_bytes()).to_hex().to_string()
}

/// The names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    v.sort();
    v
}

fn write(root: &Path, files: &[(&str, &str)]) {
    for (rel, text) in files {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
}

/// `vellum build` with the highlight cache kept in `cache`; returns (exit code, stderr).
fn build(cwd: &Path, cache: &Path, args: &[&str]) -> (i32, String) {
    let out = Command::new(bin()).arg("build").args(args).current_dir(cwd).env("VELLUM_CACHE_DIR", cache).output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[track_caller]
fn refused(cwd: &Path, args: &[&str], guarded: &Path, what: &str) {
    let before = tree(guarded);
    let (code, err) = build(cwd, &cwd.join("cache"), args);
    assert_eq!(code, 2, "{args:?} not refused: {err}");
    assert!(err.contains("refusing") && err.contains(what) && err.contains("fix:"), "{args:?}: {err}");
    assert_eq!(tree(guarded), before, "{args:?} changed {}", guarded.display());
}

#[test]
fn build_refuses_directories_that_are_not_its_own() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    write(t, &[("repo/.git/HEAD", "ref: refs/heads/main\n"), ("repo/main.rs", "fn main() {}\n"), ("repo/docs/a.mdx", "# A\n")]);
    write(t, &[("src/a.mdx", "# A\n"), ("src/sub/b.mdx", "# B\n"), ("user/notes.txt", "mine\n"), ("home/.profile", "x\n")]);
    for force in [&[][..], &["--force"][..]] {
        let with = |args: &[&'static str]| [args, force].concat();
        refused(t, &with(&["repo/docs", "-o", "repo"]), &t.join("repo"), "contains the source directory");
        refused(t, &with(&["src", "-o", "src"]), &t.join("src"), "source directory");
        refused(t, &with(&["src", "-o", "src/sub"]), &t.join("src"), "inside the source directory");
        refused(&t.join("user"), &with(&["../src", "-o", "."]), t, "current directory");
        refused(t, &with(&["src", "-o", "."]), t, "source directory");
        refused(t, &with(&["src", "-o", "repo"]), &t.join("repo"), "git work tree");
    }
    let home = Command::new(bin()).args(["build", "src", "-o"]).arg(t.join("home")).current_dir(t).env("HOME", t.join("home")).output();
    let home = home.unwrap();
    assert_eq!(home.status.code(), Some(2), "{}", String::from_utf8_lossy(&home.stderr));
    assert!(String::from_utf8_lossy(&home.stderr).contains("home directory"));
    assert_eq!(names(&t.join("home")), [".profile"]);
    refused(t, &["src", "-o", "user"], &t.join("user"), "--force");
    std::os::unix::fs::symlink(t.join("user"), t.join("link")).unwrap();
    refused(t, &["src", "-o", "link", "--force"], &t.join("user"), "not a directory");
    // A spare that is not vellum's is never taken, deleted or built over.
    write(t, &[(".mine.vellum-prev/keep.txt", "mine\n")]);
    refused(t, &["src", "-o", "mine", "--force"], &t.join(".mine.vellum-prev"), "is not a vellum output");
    // Nothing of vellum's was left by the refusals.
    let stray: Vec<_> = names(t).into_iter().filter(|n| n.contains("vellum") || n.contains(".tmp-") || n == "public").collect();
    assert_eq!(stray, [".mine.vellum-prev"]);

    // `--force` replaces a user's directory that holds no sources; the spare it leaves
    // behind after the next build is a vellum output, never the user's directory.
    let (code, err) = build(t, &t.join("cache"), &["src", "-o", "user", "--force"]);
    assert_eq!(code, 0, "{err}");
    assert!(t.join("user/.vellum-output").is_file() && !t.join("user/notes.txt").exists());
    assert!(!t.join(".user.vellum-prev").exists(), "the user's files are not kept as the spare");
    for _ in 0..2 {
        let (code, err) = build(t, &t.join("cache"), &["src", "-o", "user"]);
        assert_eq!(code, 0, "a vellum output is replaced without --force: {err}");
    }
    assert!(t.join(".user.vellum-prev/.vellum-output").is_file());
    // An empty directory is taken as is; the source is intact after all of it.
    std::fs::create_dir(t.join("empty")).unwrap();
    assert_eq!(build(t, &t.join("cache"), &["src", "-o", "empty"]).0, 0);
    assert_eq!(std::fs::read_to_string(t.join("src/sub/b.mdx")).unwrap(), "# B\n");
}

#[test]
fn an_output_inside_the_source_is_never_read_back() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    write(t, &[("site/a.mdx", "# A\n"), ("site/b/index.mdx", "# B\n")]);
    let mut built = Vec::new();
    for _ in 0..3 {
        let (code, err) = build(t, &t.join("cache"), &["site", "-o", "site/out"]);
        assert_eq!(code, 0, "{err}");
        built.push(err.lines().find(|l| l.starts_with("Built")).unwrap().split(" into").next().unwrap().to_string());
    }
    assert_eq!(built, vec![built[0].clone(); 3]);
    assert!(!t.join("site/out/out").exists() && !t.join("site/out/.out.vellum-prev").exists());
    assert_eq!(names(&t.join("site")), [".out.vellum-prev", "a.mdx", "b", "out"]);
    // Nested deeper, and beside another output of the same source: neither is read back.
    for _ in 0..3 {
        let (code, err) = build(t, &t.join("cache"), &["site", "-o", "site/b/deep/er"]);
        assert_eq!(code, 0, "{err}");
        let line = err.lines().find(|l| l.starts_with("Built")).unwrap();
        assert_eq!(line.split(" into").next().unwrap(), built[0], "{line}");
    }
    assert_eq!(names(&t.join("site/b/deep")), [".er.vellum-prev", "er"]);
    assert!(!t.join("site/b/deep/er/out").exists() && !t.join("site/out/b/deep").exists());
}

/// Entries that collide on an output path, or sit in a folder named like one of vellum's
/// files, are reported by name; the rest of the site is built.
#[test]
fn colliding_entries_are_named_and_the_rest_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    write(
        t,
        &[("s/index.mdx", "# Home\n"), ("s/d.mdx", "# D\n"), ("s/d.md/index.mdx", "# D folder\n"), ("s/llms-full.txt/x.mdx", "# X\n")],
    );
    let (code, err) = build(t, &t.join("cache"), &["s", "-o", "out"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("error[output.collision]: d.md/index.mdx:") && err.contains("`d.mdx`"), "{err}");
    assert!(err.contains("error[output.collision]: llms-full.txt/x.mdx:") && err.contains("full llms bundle"), "{err}");
    assert!(!err.contains("os error"), "{err}");
    assert!(t.join("out/index.html").is_file() && t.join("out/d/index.html").is_file() && t.join("out/llms-full.txt").is_file());
    assert!(!t.join("out/d.md").is_dir());
}

/// A static file the build cannot read is an error naming it; the rest is built. Run as an
/// unprivileged user (`setpriv`), since mode 000 does not stop root.
#[test]
fn an_unreadable_static_file_is_named_and_the_rest_builds() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    write(t, &[("s/index.mdx", "# Home\n"), ("s/img/ok.png", "ok"), ("s/img/secret.png", "secret"), ("w/.keep", "")]);
    for d in [t, &t.join("s"), &t.join("s/img")] {
        std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    std::fs::set_permissions(t.join("w"), std::fs::Permissions::from_mode(0o777)).unwrap();
    std::fs::set_permissions(t.join("s/img/secret.png"), std::fs::Permissions::from_mode(0o000)).unwrap();
    let mut cmd = if rustix::process::geteuid().is_root() {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"]).arg(bin());
        c
    } else {
        Command::new(bin())
    };
    let out = match cmd.arg("build").arg(t.join("s")).arg("-o").arg(t.join("w/out")).current_dir(t).env("VELLUM_CACHE_DIR", "").output() {
        Ok(out) => out,
        Err(e) => return eprintln!("skipped: cannot run as an unprivileged user ({e})"),
    };
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("error[source.unreadable]: img/secret.png: cannot read file: Permission denied"), "{err}");
    assert!(t.join("w/out/index.html").is_file() && t.join("w/out/img/ok.png").is_file(), "{err}");
    assert!(!t.join("w/out/img/secret.png").exists());
}

/// A build of the corpus into `out` (cwd `dir`), as a child process.
fn spawn_build(dir: &Path, docs: &Path, out: &Path) -> std::process::Child {
    Command::new(bin())
        .arg("build")
        .arg(docs)
        .arg("-o")
        .arg(out)
        .current_dir(dir)
        .env("VELLUM_CACHE_DIR", dir.join("cache"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

#[test]
fn builds_killed_at_random_moments_leave_the_previous_output_and_nothing_else() {
    let (corpus, _) = require_corpus();
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    // A copy of the corpus whose next build differs from the current output.
    let docs = t.join("docs");
    assert!(Command::new("cp").arg("-r").arg(corpus).arg(&docs).status().unwrap().success());
    let (out, parent) = (t.join("site/out"), t.join("site"));
    let ok = |child: std::process::Child| child.wait_with_output().unwrap().status.success();
    assert!(ok(spawn_build(t, &docs, &out)) && ok(spawn_build(t, &docs, &out)), "the first builds fail");
    let old = digest(&out);
    let page = std::fs::read_dir(&docs).unwrap().flatten().map(|e| e.path()).find(|p| p.extension().is_some_and(|x| x == "mdx"));
    let page = page.expect("a page at the corpus root");
    let mut text = std::fs::read_to_string(&page).unwrap();
    text.push_str("\n\nA paragraph added after the first build.\n");
    std::fs::write(&page, text).unwrap();
    let start = Instant::now();
    assert!(ok(spawn_build(t, &docs, &t.join("elsewhere/out"))));
    let took = start.elapsed().as_millis() as u64;
    let new = digest(&t.join("elsewhere/out"));
    assert_ne!(old, new);

    let mut seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64 | 1;
    eprintln!("kill test: a build takes {took} ms; seed {seed}");
    let (mut previous, mut killed) = (old.clone(), 0);
    for i in 0..10 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let delay = seed % took.max(1);
        let mut child = spawn_build(t, &docs, &out);
        std::thread::sleep(Duration::from_millis(delay));
        let _ = child.kill();
        let status = child.wait().unwrap();
        killed += usize::from(status.code().is_none());
        let now = digest(&out);
        assert!(now == previous || now == new, "kill {i} after {delay} ms ({status}) changed the output");
        // Once a build got as far as the swap, the new output is the previous one.
        previous = now;
    }
    eprintln!("kill test: {killed} of 10 builds killed before they finished");
    assert!(killed > 0, "no build was killed while running");
    assert!(ok(spawn_build(t, &docs, &out)), "the build after the kills fails");
    assert_eq!(digest(&out), new);
    assert_eq!(names(&parent), [".out.vellum-prev", "out"], "leftovers beside the output");
    // Every output file has the mode a new file gets (0644 under umask 022).
    let fresh = t.join("fresh");
    std::fs::write(&fresh, "").unwrap();
    let want = format!("file {:o} ", std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&fresh).unwrap().permissions()) & 0o777);
    let odd: Vec<_> = tree(&out).into_iter().filter(|(_, v)| v.starts_with("file") && !v.starts_with(&want)).collect();
    assert!(odd.is_empty(), "files with another mode: {odd:?}");
}

#[test]
fn concurrent_builds_into_one_output_do_not_corrupt_it() {
    let (corpus, _) = require_corpus();
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let out = t.join("site/out");
    assert!(spawn_build(t, corpus, &t.join("alone/out")).wait().unwrap().success());
    let children: Vec<_> = (0..3).map(|_| spawn_build(t, corpus, &out)).collect();
    for c in children {
        assert!(c.wait_with_output().unwrap().status.success());
    }
    assert_eq!(digest(&out), digest(&t.join("alone/out")));
    assert_eq!(names(&t.join("site")), [".out.vellum-prev", "out"]);
}

#[test]
fn the_output_is_visible_at_every_moment_of_the_swap() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path().to_path_buf();
    write(&t, &[("src/index.mdx", "# Home\n"), ("src/a.mdx", "# A\n")]);
    assert_eq!(build(&t, &t.join("cache"), &["src", "-o", "out"]).0, 0);
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let poll = {
        let (done, index) = (done.clone(), t.join("out/index.html"));
        std::thread::spawn(move || {
            let (mut looks, mut misses) = (0u64, 0u64);
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                looks += 1;
                misses += u64::from(!index.is_file());
            }
            (looks, misses)
        })
    };
    for i in 0..30 {
        write(&t, &[("src/a.mdx", &format!("# A\n\nVersion {i}.\n"))]);
        assert_eq!(build(&t, &t.join("cache"), &["src", "-o", "out"]).0, 0);
    }
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    let (looks, misses) = poll.join().unwrap();
    assert!(looks > 1000, "the poller barely ran ({looks})");
    assert_eq!(misses, 0, "out/index.html was missing {misses} times in {looks} looks");
}

/// A tmpfs at `dir` (2 MB unless resized), unmounted on drop.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(dir: PathBuf) -> Option<Self> {
        std::fs::create_dir_all(&dir).unwrap();
        let out = Command::new("mount").args(["-t", "tmpfs", "-o", "size=2m", "tmpfs"]).arg(&dir).output().ok()?;
        out.status.success().then_some(Self(dir)).or_else(|| {
            eprintln!("skipped: cannot mount a tmpfs here ({})", String::from_utf8_lossy(&out.stderr).trim());
            None
        })
    }

    /// KiB in use.
    fn used(&self) -> u64 {
        let s = rustix::fs::statvfs(&self.0).unwrap();
        (s.f_blocks - s.f_bfree) * s.f_frsize / 1024
    }

    fn resize(&self, kib: u64) {
        let status = Command::new("mount").arg("-o").arg(format!("remount,size={kib}k")).arg(&self.0).status().unwrap();
        assert!(status.success());
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

#[test]
fn a_full_disk_fails_cleanly_and_the_next_build_that_fits_succeeds() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let Some(fs) = Tmpfs::mount(t.join("mnt")) else { return };
    write(t, &[("small/index.mdx", "# Home\n\nSmall.\n"), ("small/a.mdx", "# A\n"), ("small/b.mdx", "# B\n")]);
    let filler: String = (0..120).map(|i| format!("Sentence {i} of a page that fills the disk quickly. ")).collect();
    for i in 0..300 {
        write(t, &[(&format!("big/p{i}.mdx"), &format!("# Page {i}\n\n{filler}\n"))]);
    }
    let out = fs.0.join("out");
    let out_arg = out.to_str().unwrap();
    for _ in 0..2 {
        let (code, err) = build(t, &t.join("cache"), &["small", "-o", out_arg]);
        assert_eq!(code, 0, "{err}");
    }
    let before = digest(&out);
    let (code, err) = build(t, &t.join("cache"), &["big", "-o", out_arg]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("No space left on device") && err.contains("previous output is unchanged"), "{err}");
    assert_eq!(digest(&out), before, "the previous output changed");
    assert_eq!(names(&fs.0), ["out"], "a failed build leaves no partial spare or staging");
    for args in [&["--no-cache"][..], &[], &[]] {
        let (code, err) = build(t, &t.join("cache"), &[&["small", "-o", out_arg][..], args].concat());
        assert_eq!(code, 0, "a site that fits fails after a full disk: {err}");
    }
    assert_eq!(digest(&out), before);
    assert_eq!(names(&fs.0), [".out.vellum-prev", "out"]);
}

/// The spare (the output before the live one) holds disk until the next build's swap: when
/// that build does not fit beside both, it is built again without the spare, and succeeds.
#[test]
fn a_stale_spare_gives_way_when_the_disk_is_short() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let Some(fs) = Tmpfs::mount(t.join("mnt")) else { return };
    fs.resize(16 << 10);
    let filler: String = (0..40).map(|i| format!("Sentence {i} of a page that fills the disk. ")).collect();
    // Three sites of the same size whose files are all different (no shared inodes).
    for site in ["x", "y", "z"] {
        for i in 0..40 {
            write(t, &[(&format!("{site}/{site}{i}.mdx"), &format!("# Page {site} {i}\n\n{filler}\n"))]);
        }
    }
    let out = fs.0.join("out");
    let out_arg = out.to_str().unwrap();
    let run = |site: &str| build(t, &t.join("cache"), &[site, "-o", out_arg]);
    assert_eq!(run("x").0, 0);
    let one = fs.used();
    assert_eq!(run("y").0, 0);
    let spare = fs.used() - one;
    assert!(t.join("mnt/.out.vellum-prev").is_dir() && spare > 100, "{spare} KiB");
    // Room for one more site's new files beside the live output, but not beside the spare too.
    fs.resize(fs.used() + spare / 3);
    let before = digest(&out);
    let (code, err) = run("z");
    assert_eq!(code, 0, "a site that fits fails because of the spare: {err}");
    assert!(err.contains("building again without the spare"), "{err}");
    assert_ne!(digest(&out), before);
    assert_eq!(names(&fs.0), ["out"]);
    assert_eq!(run("x").0, 0, "the build after it");
}

#[test]
fn check_and_serve_write_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    write(t, &[("site/index.mdx", "# Home\n\n```rust\nfn main() {}\n```\n"), ("site/guide.mdx", "# Guide\n"), ("cwd/.keep", "")]);
    let cwd = t.join("cwd");
    let cache = tmp.path().join("home/.cache");
    let before = tree(t);
    let cmd = |args: &[&str]| {
        let mut c = Command::new(bin());
        c.args(args)
            .arg(t.join("site"))
            .current_dir(&cwd)
            .env("HOME", t.join("home"))
            .env_remove("VELLUM_CACHE_DIR")
            .env_remove("XDG_CACHE_HOME");
        c
    };
    let status = cmd(&["check"]).stdout(Stdio::null()).stderr(Stdio::null()).status().unwrap();
    assert_eq!(status.code(), Some(0));
    let mut serve = cmd(&["serve", "--port", "0"]).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap();
    let mut line = String::new();
    BufReader::new(serve.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let port: u16 = line.split("127.0.0.1:").nth(1).and_then(|r| r.split('/').next()).and_then(|p| p.parse().ok()).expect("a port");
    let mut conn = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    conn.write_all(b"GET /guide/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").unwrap();
    let mut resp = String::new();
    conn.read_to_string(&mut resp).unwrap();
    assert!(resp.starts_with("HTTP/1.1 200"), "{resp}");
    let _ = serve.kill();
    let _ = serve.wait();
    // The only new files are the highlight cache, in the user's cache directory.
    let after = tree(t);
    let new: Vec<_> = after.iter().filter(|(k, v)| v.starts_with("file") && !before.contains_key(*k)).map(|(k, _)| k).collect();
    assert!(new.iter().all(|k| t.join(k).starts_with(&cache)), "written outside the cache: {new:?}");
    assert!(new.iter().any(|k| k.contains("highlight-")), "{new:?}");
    let changed: Vec<_> = before.iter().filter(|(k, v)| after.get(*k) != Some(v)).map(|(k, _)| k).collect();
    assert!(changed.is_empty(), "changed: {changed:?}");
}
