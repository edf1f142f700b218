//! Watch mode when files are replaced rather than edited: files saved through a rename
//! (editors, checkouts), and the leftovers editors write beside a file.

use super::harness::{Server, fixture};
use std::time::Duration;

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
