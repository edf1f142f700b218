//! Heading slugs and the `{{ … }}` heading-attribute suffix (DIALECT §5.1).
//! Architecture invariant: one slug rule for ids, heading-path links and the link checker.

use std::collections::HashMap;

/// Slug of heading text that has already lost its markup: lowercase, drop `'` and `’`,
/// every other run of characters outside `[a-z0-9]` becomes `-`, trimmed.
pub fn slugify(text: &str) -> String {
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

/// Makes slugs unique within a page: the second `intro` becomes `intro-2`.
#[derive(Debug, Default)]
pub struct Slugger {
    seen: HashMap<String, usize>,
}

impl Slugger {
    /// A unique id for `slug` (an empty slug becomes `section`).
    pub fn unique(&mut self, slug: &str) -> String {
        let base = if slug.is_empty() { "section" } else { slug };
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
