//! Heading slugs (the dialect's rule and github-slugger's), the `{{ … }}` heading-attribute
//! suffix (DIALECT §5.1) and the `{#custom-id}` suffix of the other tools.
//! Architecture invariant: one slug function per rule, used for ids, heading-path links and
//! the link checker alike; a page's headings are made unique by one [`Slugger`] of its rule.

use crate::convention::SlugRule;
use std::collections::HashMap;
use unicode_general_category::{GeneralCategory as G, get_general_category};

/// Slug of heading text that has already lost its markup, by `rule`.
pub fn slugify(text: &str, rule: SlugRule) -> String {
    match rule {
        SlugRule::Dialect => dialect_slug(text),
        SlugRule::GitHub => github_slug(text),
    }
}

/// An attribute name made safe for `data-*` (the dialect's slug: ASCII letters, digits, `-`).
pub fn attr_name(name: &str) -> String {
    dialect_slug(name)
}

/// github-slugger's `slug()`: lowercase; remove other numbers, punctuation except `-` and
/// connectors (`_`), symbols, controls, format and private-use characters, unassigned code
/// points and separators other than the space, unless alphabetic; each space becomes `-`.
fn github_slug(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .filter_map(|c| {
            let removed = c != ' '
                && c != '-'
                && !c.is_alphabetic()
                && matches!(
                    get_general_category(c),
                    G::OtherNumber
                        | G::ClosePunctuation
                        | G::FinalPunctuation
                        | G::InitialPunctuation
                        | G::OpenPunctuation
                        | G::OtherPunctuation
                        | G::DashPunctuation
                        | G::MathSymbol
                        | G::CurrencySymbol
                        | G::ModifierSymbol
                        | G::OtherSymbol
                        | G::Control
                        | G::PrivateUse
                        | G::Format
                        | G::Unassigned
                        | G::SpaceSeparator
                        | G::LineSeparator
                        | G::ParagraphSeparator
                );
            (!removed).then_some(if c == ' ' { '-' } else { c })
        })
        .collect()
}

/// The dialect's rule: lowercase, drop `'` and `’`, every other run of characters outside
/// `[a-z0-9]` becomes `-`, trimmed.
fn dialect_slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut dash = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        if c == '\'' || c == '’' {
            continue;
        }
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c);
        } else {
            dash = true;
        }
    }
    out
}

/// Makes slugs unique within a page: by the dialect's rule the second `intro` becomes
/// `intro-2`; by github-slugger's, `intro-1`.
#[derive(Debug)]
pub struct Slugger {
    rule: SlugRule,
    seen: HashMap<String, usize>,
}

impl Default for Slugger {
    fn default() -> Self {
        Slugger::new(SlugRule::Dialect)
    }
}

impl Slugger {
    /// An empty slugger for `rule`.
    pub fn new(rule: SlugRule) -> Self {
        Slugger { rule, seen: HashMap::new() }
    }

    /// A unique id for `slug` (an empty slug becomes `section`).
    pub fn unique(&mut self, slug: &str) -> String {
        let base = if slug.is_empty() { "section" } else { slug };
        if self.rule == SlugRule::GitHub {
            // github-slugger: count the base's repeats; skip suffixed forms already taken.
            let mut candidate = base.to_string();
            while self.seen.contains_key(&candidate) {
                let n = self.seen.entry(base.to_string()).or_insert(0);
                *n += 1;
                candidate = format!("{base}-{n}");
            }
            self.seen.insert(candidate.clone(), 0);
            return candidate;
        }
        let mut n = *self.seen.get(base).unwrap_or(&0);
        let mut candidate = base.to_string();
        while self.seen.contains_key(&candidate) {
            n += 1;
            candidate = format!("{base}-{n}");
        }
        self.seen.insert(base.to_string(), n.max(1));
        self.seen.insert(candidate.clone(), 1);
        candidate
    }
}

/// Split `Title {#custom-id}` into (`Title`, `custom-id`): the explicit id of Docusaurus,
/// Starlight and MkDocs. The id is any run of characters other than spaces and braces.
pub fn split_custom_id(text: &str) -> Option<(&str, &str)> {
    let t = text.trim_end();
    let inner = t.strip_suffix('}')?;
    let start = inner.rfind("{#")?;
    let id = &inner[start + 2..];
    let valid = !id.is_empty() && !id.contains(|c: char| c.is_whitespace() || c == '{' || c == '}');
    valid.then(|| (t[..start].trim_end(), id))
}

/// Attributes from a heading's `{{ "url": "x", "visibility": "no-quick-nav" }}` suffix.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HeadingAttrs {
    /// Replaces the slug.
    pub url: Option<String>,
    /// False for `"visibility": "no-quick-nav"`: left out of the table of contents.
    pub in_toc: bool,
    /// Other keys, kept as `data-*` attributes.
    pub other: Vec<(String, String)>,
}

/// Split a heading line's text into (text, attributes) when it ends with `{{ … }}`.
/// Returns `Err(message)` when a suffix is present but is not a JSON object.
pub fn split_heading_suffix(text: &str) -> Option<(&str, Result<HeadingAttrs, String>)> {
    let trimmed = text.trim_end();
    let inner_end = trimmed.strip_suffix("}}")?;
    let start = inner_end.rfind("{{")?;
    let json = format!("{{{}}}", &inner_end[start + 2..]);
    let head = trimmed[..start].trim_end();
    let parsed = match serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(&json) {
        Ok(map) => {
            let mut attrs = HeadingAttrs { in_toc: true, ..Default::default() };
            for (k, v) in map {
                let s = v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string());
                match k.as_str() {
                    "url" => attrs.url = Some(s),
                    "visibility" => attrs.in_toc = s != "no-quick-nav",
                    _ => attrs.other.push((k, s)),
                }
            }
            Ok(attrs)
        }
        Err(e) => Err(format!("heading attributes are not a JSON object body: {e}")),
    };
    Some((head, parsed))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slugify(t: &str) -> String {
        super::slugify(t, SlugRule::Dialect)
    }

    fn github(t: &str) -> String {
        super::slugify(t, SlugRule::GitHub)
    }

    #[test]
    fn github_slugger_examples() {
        // Cases from github-slugger's test fixtures and the trees of issue 22.
        assert_eq!(github("hinzufügen"), "hinzufügen");
        assert_eq!(github("インストール方法"), "インストール方法");
        assert_eq!(github("Hello World!"), "hello-world");
        assert_eq!(github("foo & bar"), "foo--bar");
        assert_eq!(github("  a  b "), "--a--b-");
        assert_eq!(github("snake_case and kebab-case"), "snake_case-and-kebab-case");
        assert_eq!(github("`code` (v2.0)"), "code-v20");
        assert_eq!(github("What’s new?"), "whats-new");
        assert_eq!(github("I ♥ unicode ✓ 😄"), "i--unicode--");
        assert_eq!(github("x²"), "x");
        assert_eq!(github("Привет мир"), "привет-мир");
        assert_eq!(github("é (combining)"), "é-combining");
        assert_eq!(github("हिन्दी"), "हिन्दी");
        assert_eq!(attr_name("Frontend Key"), "frontend-key");
    }

    #[test]
    fn github_duplicates() {
        let mut s = Slugger::new(SlugRule::GitHub);
        let ids: Vec<String> = ["foo", "foo", "foo-1", "foo", "bar"].iter().map(|x| s.unique(x)).collect();
        assert_eq!(ids, ["foo", "foo-1", "foo-1-1", "foo-2", "bar"]);
    }

    #[test]
    fn custom_ids() {
        assert_eq!(split_custom_id("Title {#custom-id}"), Some(("Title", "custom-id")));
        assert_eq!(split_custom_id("Title {#a_b.c} "), Some(("Title", "a_b.c")));
        assert_eq!(split_custom_id("Title {#}"), None);
        assert_eq!(split_custom_id("Title {#a b}"), None);
        assert_eq!(split_custom_id("Title {x}"), None);
        assert_eq!(split_custom_id("{#only}"), Some(("", "only")));
    }

    #[test]
    fn dialect_examples() {
        assert_eq!(slugify("dsync.activated"), "dsync-activated");
        assert_eq!(slugify("OAuth 2.0"), "oauth-2-0");
        assert_eq!(slugify("(3) Handle the user session"), "3-handle-the-user-session");
        assert_eq!(slugify("check_ctx"), "check-ctx");
        assert_eq!(slugify("What’s new? Don't panic"), "whats-new-dont-panic");
        assert_eq!(slugify("Raw attributes [Deprecated]"), "raw-attributes-deprecated");
        assert_eq!(slugify("Ünïcode – only"), "n-code-only");
        assert_eq!(slugify("!!!"), "");
    }

    #[test]
    fn unique_ids() {
        let mut s = Slugger::default();
        assert_eq!(s.unique("a"), "a");
        assert_eq!(s.unique("a"), "a-2");
        assert_eq!(s.unique("a-2"), "a-2-2");
        assert_eq!(s.unique("a"), "a-3");
        assert_eq!(s.unique(""), "section");
    }

    #[test]
    fn heading_suffix() {
        let (t, a) = split_heading_suffix("Authentication events {{ \"url\": \"authentication\" }}").unwrap();
        assert_eq!(t, "Authentication events");
        assert_eq!(a.unwrap().url.as_deref(), Some("authentication"));
        let (_, a) = split_heading_suffix("Intro {{ \"visibility\": \"no-quick-nav\", \"x\": 1 }}").unwrap();
        let a = a.unwrap();
        assert!(!a.in_toc);
        assert_eq!(a.other, vec![("x".to_string(), "1".to_string())]);
        assert!(split_heading_suffix("Plain `{{code}}` text").is_none());
        assert!(split_heading_suffix("Bad {{ nope }}").unwrap().1.is_err());
    }
}
