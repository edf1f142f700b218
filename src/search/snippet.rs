//! Snippets: a short plain-text window of a section body around its densest cluster
//! of matched terms. Never cuts inside a UTF-8 character.

use std::collections::HashSet;

use super::text::tokenize;

/// Target snippet length in bytes (approximate; cut at word boundaries).
const WIDTH: usize = 180;

/// Returns about `WIDTH` bytes of `body` around the best cluster of `terms`, with `…`
/// marking cut ends; the body's start when nothing matches.
pub(crate) fn make(body: &str, terms: &HashSet<&str>) -> String {
    let hits: Vec<usize> = tokenize(body).into_iter().filter(|t| terms.contains(t.term.as_str())).map(|t| t.start).collect();
    let mut best = (0usize, 0usize);
    for (i, &s) in hits.iter().enumerate() {
        let count = hits[i..].iter().take_while(|&&h| h < s + WIDTH * 2 / 3).count();
        if count > best.1 {
            best = (s, count);
        }
    }
    let anchor = best.0.saturating_sub(WIDTH / 4);
    let start = word_start(body, anchor);
    let end = word_end(body, start + WIDTH);
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.push_str(body[start..end].trim());
    if end < body.len() {
        out.push('…');
    }
    out
}

/// First word boundary at or after `i` (0 stays 0).
fn word_start(s: &str, i: usize) -> usize {
    if i == 0 || i >= s.len() {
        return i.min(s.len());
    }
    let mut i = i;
    while !s.is_char_boundary(i) {
        i += 1;
    }
    match s[i..].find(char::is_whitespace) {
        Some(off) if off < 30 => i + off,
        _ => i,
    }
}

/// Last word boundary at or before `i`, clamped to the string.
fn word_end(s: &str, i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    let mut i = i;
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    match s[..i].rfind(char::is_whitespace) {
        Some(off) if i - off < 30 => off,
        _ => i,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_surrounds_match() {
        let body = format!("{} needle here {}", "lorem ".repeat(100), "ipsum ".repeat(100));
        let terms = HashSet::from(["needl"]);
        let s = make(&body, &terms);
        assert!(s.contains("needle here"), "{s}");
        assert!(s.starts_with('…') && s.ends_with('…'));
        assert!(s.len() < WIDTH + 10);
    }

    #[test]
    fn multibyte_and_short_bodies_are_safe() {
        let body = "é".repeat(300);
        let s = make(&body, &HashSet::from(["x"]));
        assert!(s.ends_with('…'));
        assert_eq!(make("short", &HashSet::new()), "short");
        assert_eq!(make("", &HashSet::new()), "");
    }
}
