//! Which output paths each entry of a build writes, and the collisions between them: two
//! pages with one URL (`a.mdx` and `a/index.mdx`, `b.md` and `b.mdx`), paths that differ only
//! in case (`A.mdx` and `a.mdx`, one file on a case-insensitive disk), a file where another
//! entry needs a folder (`d.mdx` writes `d.md`, `d.md/index.mdx` needs a folder `d.md`), and
//! entries that would overwrite vellum's own files (`llms.txt`, `sitemap.xml`, `search/…`).
//!
//! Paths are claimed in a fixed order and the first claim of a path keeps it: vellum's own
//! files, then source pages (nearest the root first, then by source path), then the pages
//! the link stage generates, then static files (by source path). An entry with any path
//! taken is left out whole, with an `output.collision` error naming it and the entry that
//! holds the path. Pages are claimed before navigation is read, so a page left out is in no
//! nav, no `llms.txt` and no search index; static files once the site is linked.
//! Architecture invariant: a pure function of paths; it reads and writes no files.

use crate::diagnostics::Diagnostic;
use crate::parse::ParsedPage;
use crate::site::{Page, PageKind, Site};
use crate::source::Asset;
use std::sync::Arc;

/// What vellum writes itself besides pages: (path, what it is).
const OWN: &[(&str, &str)] = &[
    (super::write::target::OUTPUT_MARK, "output mark"),
    ("404.html", "404 page"),
    ("llms.txt", "llms index"),
    ("llms-full.txt", "full llms bundle"),
    ("sitemap.xml", "sitemap"),
];

/// The folder the browser search index is written to, every name in it vellum's.
const SEARCH: &str = "search";

/// The index each section gets in its folder (see `llms::write_bundle`).
const SECTION_INDEX: &str = "llms.txt";

/// Who writes a path.
#[derive(Debug, Clone)]
enum Owner {
    /// vellum itself: what the file is.
    Own(String),
    /// A page from this source file.
    Page(String),
    /// A page the link stage generates, at this URL.
    Generated(String),
    /// A static file from this source path.
    Asset(String),
}

impl Owner {
    /// How a message names it.
    fn name(&self) -> String {
        match self {
            Owner::Own(what) => format!("vellum's {what}"),
            Owner::Page(rel) | Owner::Asset(rel) => format!("`{rel}`"),
            Owner::Generated(url) => format!("the page vellum generates for `{url}`"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    File,
    Dir,
    /// A folder whose every path is taken (`search/`).
    Tree,
}

/// A path held, by its folded (lower-case) spelling.
#[derive(Debug)]
struct Held {
    /// How it is spelled, when not as its key (most paths are lower case already).
    spelled: Option<String>,
    kind: Kind,
    owner: usize,
}

/// Why a path cannot be claimed: the path as the new entry spells it, and what holds it.
struct Clash {
    path: String,
    /// The path held, as its holder spells it.
    held: String,
    kind: Kind,
    owner: usize,
    /// The new entry needs the path as a folder.
    as_dir: bool,
}

/// The output paths claimed so far.
pub struct Claims {
    held: foldhash::HashMap<String, Held>,
    owners: Vec<Owner>,
}

impl Claims {
    /// vellum's own files: the fixed ones, the files of `theme` and, when the site has a
    /// changelog, its feed.
    pub fn new(theme: &[(String, Vec<u8>)], changelog: bool) -> Self {
        let mut claims = Claims { held: foldhash::HashMap::default(), owners: Vec::new() };
        let own = OWN.iter().map(|&(p, what)| (p.to_string(), what.to_string()));
        let theme = theme.iter().map(|(p, _)| (p.clone(), "theme file".to_string()));
        let feed = changelog.then(|| ("changelog.xml".to_string(), "changelog feed".to_string()));
        for (path, what) in own.chain(theme).chain(feed) {
            let _ = claims.claim(Owner::Own(what), &[path], Kind::File);
        }
        let _ = claims.claim(Owner::Own("search index".into()), &[SEARCH.into()], Kind::Tree);
        claims
    }

    /// Claims every page's HTML and Markdown twin and drops from `pages` those that collide
    /// with an earlier claim, returning an error for each.
    pub fn pages(&mut self, pages: &mut Vec<Arc<ParsedPage>>) -> Vec<Diagnostic> {
        let mut order: Vec<usize> = (0..pages.len()).collect();
        order.sort_by_key(|&i| (pages[i].rel.matches('/').count(), &pages[i].rel));
        let mut lost = vec![false; pages.len()];
        let mut diags = Vec::new();
        // A page's twin and HTML, and most often the folder of the HTML, are new paths.
        self.held.reserve(pages.len() * 3);
        for i in order {
            let p = &pages[i];
            let paths = page_paths(&Page { is_index: p.is_index, ..Page::generated(&p.url, PageKind::Content, String::new()) });
            let owner = Owner::Page(p.rel.clone());
            let result = match section_index_in(&paths) {
                Some(path) => Err(section_clash(&owner, &path)),
                None => self.claim(owner, &paths, Kind::File),
            };
            if let Err(d) = result {
                diags.push(d);
                lost[i] = true;
            }
        }
        let mut lost = lost.into_iter();
        pages.retain(|_| !lost.next().unwrap_or(false));
        diags
    }

    /// Claims the files only the linked `site` knows (each section's `llms.txt`, generated
    /// pages), then drops from `assets` the static files that collide with any claim.
    pub fn assets(&mut self, site: &Site, assets: &mut Vec<Asset>) -> Vec<Diagnostic> {
        let mut diags = Vec::new();
        for nav in site.navs.iter().filter(|n| !n.folder.is_empty()) {
            let _ = self.claim(
                Owner::Own(format!("index of the `{}` section", nav.folder)),
                &[format!("{}/{SECTION_INDEX}", nav.folder)],
                Kind::File,
            );
        }
        for page in site.pages.iter().filter(|p| p.source.is_none()) {
            // Generated where no page is, so only a page with a contrived URL (`/f/index` beside
            // the folder `f`) can hold its paths; the error then goes to that page.
            if let Err(d) = self.claim(Owner::Generated(page.url.clone()), &page_paths(page), Kind::File) {
                diags.push(d);
            }
        }
        let mut order: Vec<usize> = (0..assets.len()).collect();
        order.sort_by(|&a, &b| assets[a].rel.cmp(&assets[b].rel));
        let mut lost = vec![false; assets.len()];
        for i in order {
            if let Err(d) = self.claim(Owner::Asset(assets[i].rel.clone()), std::slice::from_ref(&assets[i].rel), Kind::File) {
                diags.push(d);
                lost[i] = true;
            }
        }
        let mut lost = lost.into_iter();
        assets.retain(|_| !lost.next().unwrap_or(false));
        diags
    }

    /// Takes every path of `paths` (as `kind`) and its folders for `owner`, or none of
    /// them and an error when one is taken.
    fn claim(&mut self, owner: Owner, paths: &[String], kind: Kind) -> Result<(), Diagnostic> {
        let id = self.owners.len();
        let mut new: Vec<(String, Held)> = Vec::new();
        for path in paths {
            let folded = fold(path);
            for end in path.match_indices('/').map(|(i, _)| i).chain([path.len()]) {
                let dir = &path[..end];
                // Folding keeps an ASCII path's byte offsets; otherwise each folder is folded alone.
                let owned = (!path.is_ascii()).then(|| fold(dir));
                let key = owned.as_deref().unwrap_or(&folded[..end]);
                let want = if end == path.len() { kind } else { Kind::Dir };
                let held = self.held.get(key).or_else(|| new.iter().find(|(k, _)| k == key).map(|(_, h)| h));
                let Some(h) = held else {
                    let spelled = (key != dir).then(|| dir.to_string());
                    new.push((key.to_string(), Held { spelled, kind: want, owner: id }));
                    continue;
                };
                let spelled = h.spelled.as_deref().unwrap_or(key);
                if h.kind == Kind::Dir && want == Kind::Dir && spelled == dir {
                    continue;
                }
                let (path, held, as_dir) = (dir.to_string(), spelled.to_string(), want == Kind::Dir);
                return Err(self.clash_diag(&owner, Clash { path, held, kind: h.kind, owner: h.owner, as_dir }));
            }
        }
        self.owners.push(owner);
        self.held.extend(new);
        Ok(())
    }

    /// The error for `owner`, left out because of `clash`.
    fn clash_diag(&self, owner: &Owner, clash: Clash) -> Diagnostic {
        let (path, held) = (&clash.path, &clash.held);
        let holder = self.owners.get(clash.owner);
        let (me, them) = (owner.name(), holder.map_or_else(|| owner.name(), Owner::name));
        let need = if clash.as_dir { format!("needs a folder `{path}`") } else { format!("writes `{path}`") };
        let kept = format!("{them} is kept, {me} left out");
        let message = match (holder, clash.kind) {
            (Some(Owner::Own(what)), Kind::Tree) => {
                format!("{me} is left out: it writes into `{}/`, which holds vellum's {what}", held)
            }
            (Some(Owner::Own(what)), _) => {
                let theirs = format!("`{}` is vellum's {what}", held);
                if held != path {
                    format!(
                        "{me} is left out: it {need}, and {theirs}: the names differ only in case, so they collide on case-insensitive disks"
                    )
                } else if !clash.as_dir && owner_file(owner).as_deref() == Some(path) {
                    format!("{me} is left out: {theirs}")
                } else {
                    format!("{me} is left out: it {need}, and {theirs}")
                }
            }
            (_, kind) if held != path => {
                let has = if kind == Kind::Dir { format!("a folder `{}`", held) } else { format!("writes `{}`", held) };
                format!("{me} {need} and {them} {has}: the paths differ only in case, so they collide on case-insensitive disks; {kept}")
            }
            (_, Kind::Dir) => format!("{me} writes a file `{path}` where {them} needs a folder; {kept}"),
            _ if clash.as_dir => format!("{me} needs a folder `{path}` where {them} writes a file; {kept}"),
            _ => format!("{me} and {them} both write `{path}`; {kept}"),
        };
        let (file, hint) = match (owner, holder) {
            // A generated page has no file: the error goes to the one in its way.
            (Owner::Generated(_), _) => (holder.and_then(owner_file), "rename or move it, or add an index page for its folder"),
            (_, Some(Owner::Own(_))) => (owner_file(owner), "rename or move it: vellum writes that path itself"),
            (_, Some(Owner::Generated(_))) => (owner_file(owner), "rename or move it, or add an index page for its folder"),
            _ => (owner_file(owner), "rename or move one of them"),
        };
        Diagnostic::error(file.unwrap_or_default(), 0, 0, "output.collision", message).with_hint(hint)
    }
}

/// The error for a page that would need a folder named like a section's `llms.txt`.
fn section_clash(owner: &Owner, path: &str) -> Diagnostic {
    let me = owner.name();
    Diagnostic::error(
        owner_file(owner).unwrap_or_default(),
        0,
        0,
        "output.collision",
        format!("{me} needs a folder `{path}`, where vellum writes a section's {SECTION_INDEX}; {me} is left out"),
    )
    .with_hint("rename or move it: vellum writes that path itself")
}

/// The source file of an owner, if it has one.
fn owner_file(owner: &Owner) -> Option<String> {
    match owner {
        Owner::Page(rel) | Owner::Asset(rel) => Some(rel.clone()),
        Owner::Own(_) | Owner::Generated(_) => None,
    }
}

/// The files a page writes: its HTML and its Markdown twin.
fn page_paths(page: &Page) -> Vec<String> {
    vec![page.html_path(), page.twin_url().trim_start_matches('/').to_string()]
}

/// A folder `<top>/llms.txt` among `paths`' folders: where a section's index goes, for any
/// top-level folder (sections are known only once navigation is read, after pages).
fn section_index_in(paths: &[String]) -> Option<String> {
    paths.iter().find_map(|p| {
        let mut parts = p.splitn(3, '/');
        let (top, second, rest) = (parts.next()?, parts.next()?, parts.next()?);
        (!rest.is_empty() && fold(second) == SECTION_INDEX).then(|| format!("{top}/{second}"))
    })
}

/// A path as a case-insensitive file system compares it.
fn fold(path: &str) -> String {
    if path.is_ascii() { path.to_ascii_lowercase() } else { path.to_lowercase() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(c: &mut Claims, rel: &str, paths: &[&str]) -> Result<(), String> {
        let paths: Vec<String> = paths.iter().map(|p| p.to_string()).collect();
        c.claim(Owner::Asset(rel.into()), &paths, Kind::File).map_err(|d| d.message)
    }

    #[test]
    fn the_first_claim_of_a_path_keeps_it_and_a_losing_entry_takes_nothing() {
        let mut c = Claims::new(&[("theme.css".into(), Vec::new())], false);
        assert_eq!(claim(&mut c, "a.mdx", &["a/index.html", "a.md"]), Ok(()));
        let lost = |r: Result<(), String>| r.expect_err("a collision");
        assert!(lost(claim(&mut c, "a/index.mdx", &["a/index.html", "a/index.md"])).contains("both write `a/index.html`"));
        assert!(lost(claim(&mut c, "A.png", &["A/x.png"])).contains("differ only in case"));
        assert!(lost(claim(&mut c, "a.md/x.png", &["a.md/x.png"])).contains("needs a folder `a.md` where `a.mdx` writes a file"));
        assert!(lost(claim(&mut c, "a", &["a"])).contains("writes a file `a` where `a.mdx` needs a folder"));
        assert!(lost(claim(&mut c, "search/x.png", &["search/x.png"])).contains("search index"));
        assert!(lost(claim(&mut c, "Theme.CSS", &["Theme.CSS"])).contains("`theme.css` is vellum's theme file"));
        // All or nothing: the folder `b` of a losing entry is not held afterwards.
        assert!(claim(&mut c, "b", &["b/x.png", "sitemap.xml"]).is_err());
        assert_eq!(claim(&mut c, "b", &["b"]), Ok(()));
        // Folders are shared; the same folder spelled alike is no collision.
        assert_eq!(claim(&mut c, "a/y.png", &["a/y.png"]), Ok(()));
        // Non-ASCII names fold by character: `Ärger/ö.png` and `ärger/Ö.png` are one file.
        assert_eq!(claim(&mut c, "Ärger/ö.png", &["Ärger/ö.png"]), Ok(()));
        assert!(lost(claim(&mut c, "ärger/Ö.png", &["ärger/Ö.png"])).contains("differ only in case"));
        assert_eq!(claim(&mut c, "İx/a", &["İx/a"]), Ok(()), "a character whose lower case is longer");
    }

    #[test]
    fn a_page_under_a_folder_named_like_a_section_index_is_refused() {
        assert_eq!(section_index_in(&["guide/llms.txt/index.html".into()]), Some("guide/llms.txt".into()));
        assert_eq!(section_index_in(&["guide/LLMS.TXT/x/index.html".into()]), Some("guide/LLMS.TXT".into()));
        assert_eq!(section_index_in(&["guide/llms.txt.md".into(), "llms.txt/index.html".into()]), None);
    }

    /// Every file a build writes is claimed by a page, a static file or vellum itself, so
    /// no output file can overwrite another unreported.
    #[test]
    fn every_file_a_build_writes_is_claimed() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic/src");
        let c = crate::compile::Compiler::new(&src, crate::config::Config::load(&src, None).unwrap()).compile();
        assert!(!c.site.changelog.is_empty() && c.site.navs.iter().any(|n| !n.folder.is_empty()));
        assert!(c.site.pages.iter().any(|p| p.source.is_none()) && !c.assets.is_empty());
        let mut claims = Claims::new(&crate::output::templates::theme_files(None), true);
        for p in c.site.pages.iter().filter(|p| p.source.is_some()) {
            claims.claim(Owner::Page(p.url.clone()), &page_paths(p), Kind::File).unwrap();
        }
        let mut assets = c.assets.clone();
        assert!(claims.assets(&c.site, &mut assets).is_empty());
        for path in c.files.keys() {
            let held = |key: &str| claims.held.get(key).is_some_and(|h| h.kind != Kind::Dir);
            let tree = path.split_once('/').is_some_and(|(top, _)| claims.held.get(top).is_some_and(|h| h.kind == Kind::Tree));
            assert!(held(&fold(path)) || tree, "{path} is written but claimed by nothing");
        }
    }
}
