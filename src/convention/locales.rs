//! Locale readers several conventions share: locale folders found by their names (`en/`,
//! `fr/`, `pt-BR/` at the top of the URL space) and locale suffixes of file names
//! (`page.fr.mdx`).
//! Invariant: conservative. Folder names count only when at least two sibling folders are
//! language tags ([`is_language_tag`]), so one folder named `go` or `de` is never a locale.

use crate::model::locale::is_language_tag;
use crate::model::{Locale, Locales};
use crate::parse::ParsedPage;
use std::collections::BTreeSet;
use std::sync::Arc;

/// Locales from the first URL segment of the pages: two or more language-tag folders.
/// The default is `default` (`[locales] default`), else `en`, else the first folder; it
/// keeps its folder when it has one, and sits at the root otherwise.
pub(super) fn folders(pages: &[Arc<ParsedPage>], default: Option<&str>) -> Option<Locales> {
    let tags: BTreeSet<&str> =
        pages.iter().filter_map(|p| p.url.strip_prefix('/')?.split('/').next()).filter(|seg| is_language_tag(seg)).collect();
    if tags.len() < 2 {
        return None;
    }
    let find = |code: &str| tags.iter().copied().find(|t| t.eq_ignore_ascii_case(code));
    let default = match default {
        Some(d) => match find(d) {
            Some(t) => Locale::new(t, None),
            None => Locale::new("", Some(d)),
        },
        None => Locale::new(find("en").unwrap_or_else(|| tags.iter().next().copied().unwrap_or("en")), None),
    };
    let others: Vec<Locale> = tags.iter().filter(|t| !t.eq_ignore_ascii_case(&default.prefix)).map(|t| Locale::new(t, None)).collect();
    Locales::new(default, others)
}

/// Locales from file-name suffixes: `default` at the root, one locale per suffix in `found`
/// (`cn`, `zh-TW`), each under `/<suffix>/`.
pub(super) fn suffixes<'a>(default: &str, found: impl IntoIterator<Item = &'a str>) -> Option<Locales> {
    let found: BTreeSet<&str> = found.into_iter().filter(|s| !s.eq_ignore_ascii_case(default)).collect();
    Locales::new(Locale::new("", Some(default)), found.into_iter().map(|s| Locale::new(s, None)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn pages(urls: &[&str]) -> Vec<Arc<ParsedPage>> {
        urls.iter()
            .map(|u| {
                let rel = format!("{}.mdx", u.trim_start_matches('/'));
                let url = u.to_string();
                Arc::new(crate::parse::parse_page(SourceFile { rel, text: Some(String::new()) }, &|_, _| crate::model::PageUrl {
                    url: url.clone(),
                    is_index: false,
                }))
            })
            .collect()
    }

    #[test]
    fn two_tag_folders_make_locales_one_does_not() {
        assert!(folders(&pages(&["/go/a", "/api/b", "/de/c"]), None).is_none());
        let l = folders(&pages(&["/en/a", "/fr/a", "/pt-BR/a", "/api/b"]), None).unwrap();
        let prefixes: Vec<&str> = l.list.iter().map(|l| l.prefix.as_str()).collect();
        assert_eq!(prefixes, ["en", "fr", "pt-BR"]);
        let l = folders(&pages(&["/a", "/fr/a", "/de/a"]), Some("en")).unwrap();
        assert_eq!((l.list[0].prefix.as_str(), l.list[0].lang.as_str(), l.list.len()), ("", "en", 3));
    }

    #[test]
    fn suffix_locales_put_the_default_at_the_root() {
        let l = suffixes("en", ["cn", "en", "cn"]).unwrap();
        assert_eq!(l.list.len(), 2);
        assert_eq!(l.list[1].url("/docs"), "/cn/docs");
        assert!(suffixes("en", []).is_none());
    }
}
