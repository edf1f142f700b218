//! Watch mode when files and folders are replaced rather than edited: the source folder
//! removed and copied back, renamed away and back, files saved through a rename (editors,
//! checkouts), and the leftovers editors write beside a file.

use super::harness::{Server, fixture};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// Run a shell line in `dir`, as a writer would type it.
#[track_caller]
fn sh(dir: &Path, line: &str) {
    let ok = Command::new("sh").arg("-c").arg(line).current_dir(dir).status().is_ok_and(|s| s.success());
    assert!(ok, "`{line}` failed");
}

/// Replace `from` with `to` in the file at `path`.
#[track_caller]
fn replace(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} lacks {from:?}", path.display());
    std::fs::write(path, text.replace(from, to)).unwrap();
}

/// While no folder is at the source path, the last good build is served, with an overlay.
#[track_caller]
fn assert_last_good_build_with_overlay(s: &Server, text: &str) {
    let page = s.get("/guide/setup/");
    assert_eq!(page.status, 200, "log:\n{}", s.log());
    let html = page.text();
    assert!(html.contains(text), "the last good build is not served");
    assert!(html.contains("role=\"alert\"") && html.contains("the source folder was removed or renamed"), "no overlay");
}

#[cfg(unix)]
#[test]
fn a_source_folder_removed_and_copied_back_is_served_and_watched() {
    removed_and_copied_back(&[]);
}

#[cfg(unix)]
#[test]
fn a_source_folder_removed_and_copied_back_is_served_and_watched_when_polling() {
    removed_and_copied_back(&["--poll"]);
}

fn removed_and_copied_back(args: &[&str]) {
    // notify's poller compares modification times in whole seconds, so a change in the
    // same second as the file's previous one goes unseen (a limit of `--poll`, not of what
    // is tested here): when polling, let the clock move on before each change.
    let next_second = || {
        if args.contains(&"--poll") {
            std::thread::sleep(Duration::from_millis(1100));
        }
    };
    let (tmp, src) = fixture();
    let dir = tmp.path();
    let s = Server::start(&src, args);
    let setup = src.join("guide/setup.mdx");
    sh(dir, "cp -r site site.bak");
    replace(&dir.join("site.bak/guide/setup.mdx"), "Install step one.", "Install step restored.");

    sh(dir, "rm -rf site");
    s.wait_for_log("waiting for it to come back");
    assert_last_good_build_with_overlay(&s, "Install step one.");
    sh(dir, "cp -r site.bak site");
    s.wait_for_log("source folder is back; rebuilding");
    let page = s.wait_for_text("/guide/setup/", "Install step restored.");
    assert!(!page.text().contains("role=\"alert\""), "overlay still shown");
    // The folder put back is watched.
    next_second();
    replace(&setup, "Install step restored.", "Install step edited.");
    s.wait_for_text("/guide/setup/", "Install step edited.");

    // In one go: the folder is back before the server looks.
    replace(&dir.join("site.bak/guide/setup.mdx"), "Install step restored.", "Install step copied.");
    next_second();
    sh(dir, "rm -rf site; cp -r site.bak site");
    s.wait_for_text("/guide/setup/", "Install step copied.");
    next_second();
    replace(&setup, "Install step copied.", "Install step final.");
    s.wait_for_text("/guide/setup/", "Install step final.");
}

#[cfg(unix)]
#[test]
fn a_source_folder_renamed_away_and_back_keeps_working() {
    let (tmp, src) = fixture();
    let dir = tmp.path();
    let s = Server::start(&src, &[]);
    let setup = src.join("guide/setup.mdx");

    sh(dir, "mv site site.old");
    s.wait_for_log("waiting for it to come back");
    assert_last_good_build_with_overlay(&s, "Install step one.");
    // An edit under the other name is no edit of the source.
    replace(&dir.join("site.old/guide/setup.mdx"), "Install step one.", "Install step elsewhere.");
    sh(dir, "mv site.old site");
    s.wait_for_log("source folder is back; rebuilding");
    let page = s.wait_for_text("/guide/setup/", "Install step elsewhere.");
    assert!(!page.text().contains("role=\"alert\""), "overlay still shown");
    replace(&setup, "Install step elsewhere.", "Install step two.");
    s.wait_for_text("/guide/setup/", "Install step two.");

    // Away and back at once.
    sh(dir, "mv site site.old && mv site.old site");
    replace(&setup, "Install step two.", "Install step three.");
    s.wait_for_text("/guide/setup/", "Install step three.");
}

#[test]
fn files_saved_through_a_rename_are_picked_up_and_editor_leftovers_are_not() {
    let (_tmp, src) = fixture();
    let s = Server::start(&src, &[]);
    let guide = src.join("guide");
    let leftover = "---\ntitle: Leftover\n---\n\nLeftover text.\n";
    for name in ["setup.mdx~", "#setup.mdx#", ".#setup.mdx", ".setup.mdx.swp", "setup.mdx.tmp", "draft.tmp"] {
        std::fs::write(guide.join(name), leftover).unwrap();
    }
    // Anything queued would rebuild within this time.
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(s.rebuilds(), 0, "a leftover triggered a rebuild; log:\n{}", s.log());
    for path in ["/guide/setup.mdx~", "/guide/%23setup.mdx%23", "/guide/setup.mdx.tmp", "/guide/draft.tmp"] {
        assert_eq!(s.get(path).status, 404, "{path} is served");
    }

    // An editor's save: the new text goes to a temporary file, renamed over the page.
    let text = std::fs::read_to_string(guide.join("setup.mdx")).unwrap();
    std::fs::write(guide.join("setup.mdx.tmp"), text.replace("Install step one.", "Install step renamed.")).unwrap();
    std::fs::rename(guide.join("setup.mdx.tmp"), guide.join("setup.mdx")).unwrap();
    s.wait_for_text("/guide/setup/", "Install step renamed.");
    // A checkout replaces several files the same way.
    for (rel, from, to) in [("index.mdx", "Welcome home.", "Welcome back."), ("guide/index.mdx", "Guide intro.", "Guide again.")] {
        let text = std::fs::read_to_string(src.join(rel)).unwrap();
        std::fs::write(src.join(format!("{rel}.tmp")), text.replace(from, to)).unwrap();
        std::fs::rename(src.join(format!("{rel}.tmp")), src.join(rel)).unwrap();
    }
    s.wait_for_text("/", "Welcome back.");
    s.wait_for_text("/guide/", "Guide again.");
}
