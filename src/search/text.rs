//! Text analysis shared by the ranking engine and the browser index: tokenizing with
//! identifier splitting, stop words, a light English suffix stripper and a bounded edit
//! distance. The browser (`themes/default/search.js`) reimplements the stemmer and the tokenizer
//! exactly; change both sides together.

/// Words too common to carry meaning in a docs query.
const STOP_WORDS: &[&str] = &[
    "a", "about", "an", "and", "are", "as", "at", "be", "by", "can", "do", "does", "for", "from", "how", "i", "if", "in", "into", "is",
    "it", "its", "me", "my", "of", "on", "or", "our", "so", "that", "the", "their", "them", "then", "there", "these", "this", "to", "was",
    "we", "what", "when", "where", "which", "who", "why", "will", "with", "you", "your",
];

/// True for words that are dropped from queries and from the index.
pub(crate) fn is_stop_word(word: &str) -> bool {
    word.len() <= STOP_WORD_MAX && STOP_WORDS.binary_search(&word).is_ok()
}

/// Length of the longest stop word: longer words skip the search (most of them).
const STOP_WORD_MAX: usize = 5;

/// Light, deterministic suffix stripping: plural `s`/`es`/`ies`, `ing`, `ed`, final `e`.
///
/// It is deliberately weaker than Porter: docs queries are full of identifiers, and a
/// stemmer that only removes inflections keeps them recognisable. Non-ASCII words are
/// returned unchanged so the browser port stays byte-for-byte identical.
fn stem_in_place(w: &mut String) {
    let n = w.len();
    if n <= 3 || !w.is_ascii() || w.bytes().any(|b| b.is_ascii_digit()) {
        return;
    }
    if w.ends_with("ies") && n > 4 {
        w.truncate(n - 3);
        w.push('y');
    } else if w.ends_with("sses") {
        w.truncate(n - 2);
    } else if w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") && !w.ends_with("is") {
        w.truncate(n - 1);
    }
    let n = w.len();
    if w.ends_with("ing") && n >= 7 {
        w.truncate(n - 3);
    } else if w.ends_with("ed") && n >= 6 {
        w.truncate(n - 2);
    }
    let n = w.len();
    if w.ends_with('e') && n >= 5 {
        w.truncate(n - 1);
    }
}

/// One analysed token: the stemmed term and whether it is a sub-part of an identifier.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    /// Normalised, stemmed term.
    pub(crate) term: String,
    /// True when the token is a piece of a larger identifier (`create` in `createOrganization`).
    pub(crate) part: bool,
    /// Byte offset of the token's word in the source text (for snippets).
    pub(crate) start: usize,
}

/// Splits text into words (runs of alphanumerics, `_`, and `.` between alphanumerics),
/// emitting each whole word and, for compound identifiers, its parts.
pub(crate) fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    each_token(text, |term, part, start| out.push(Token { term: term.to_string(), part, start }));
    out
}

/// [`tokenize`] without the allocations: `f(term, part, start)` for each token, the term
/// in a reused buffer.
pub(crate) fn each_token(text: &str, mut f: impl FnMut(&str, bool, usize)) {
    let mut scratch = Scratch::default();
    each_word(text, |word, start| scratch.word(word, start, &mut f));
}

/// `f(word, start)` for each word of `text` (before lowercasing and splitting): the tokens
/// of a word depend on the word alone, so an indexer can analyse each distinct word once.
pub(crate) fn each_word<'a>(text: &'a str, mut f: impl FnMut(&'a str, usize)) {
    let mut start = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let word_char =
            c.is_alphanumeric() || c == '_' || (c == '.' && start.is_some() && chars.peek().is_some_and(|&(_, n)| n.is_alphanumeric()));
        match (word_char, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                f(&text[s..i], s);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        f(&text[s..], s);
    }
}

/// Buffers reused from word to word.
#[derive(Default)]
pub(crate) struct Scratch<'a> {
    term: String,
    parts: Vec<&'a str>,
    seen: Vec<String>,
}

impl<'a> Scratch<'a> {
    /// Emits the whole word `raw`, then the parts of a compound identifier.
    pub(crate) fn word(&mut self, raw: &'a str, start: usize, f: &mut impl FnMut(&str, bool, usize)) {
        let word = raw.trim_matches(|c| c == '_' || c == '.');
        if word.is_empty() {
            return;
        }
        split_identifier(word, &mut self.parts);
        self.lower(word);
        if self.parts.len() <= 1 {
            if !is_stop_word(&self.term) {
                stem_in_place(&mut self.term);
                f(&self.term, false, start);
            }
            return;
        }
        stem_in_place(&mut self.term);
        f(&self.term, false, start);
        self.seen.clear();
        self.seen.push(self.term.clone());
        for i in 0..self.parts.len() {
            self.lower(self.parts[i]);
            if is_stop_word(&self.term) {
                continue;
            }
            stem_in_place(&mut self.term);
            if !self.seen.contains(&self.term) {
                self.seen.push(self.term.clone());
                f(&self.term, true, start);
            }
        }
    }

    /// `term` = `word` lowercased (`str::to_lowercase`, which the browser's
    /// `toLowerCase` matches; ASCII without allocating).
    fn lower(&mut self, word: &str) {
        self.term.clear();
        if word.is_ascii() {
            self.term.push_str(word);
            self.term.make_ascii_lowercase();
        } else {
            self.term.push_str(&word.to_lowercase());
        }
    }
}

/// Splits `createOrganization`, `list_users`, `dsync.activated`, `HTTPServer` into parts.
/// A dotted path also yields its segments whole, before their own parts, so
/// `organizations.createOrganization` is found by `createOrganization`.
fn split_identifier<'a>(word: &'a str, parts: &mut Vec<&'a str>) {
    parts.clear();
    // Most words are plain lowercase: one part, nothing to scan for.
    if word.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()) {
        return parts.push(word);
    }
    if word.split('.').filter(|s| !s.is_empty()).nth(1).is_none() {
        return split_segment(word, parts);
    }
    let mut sub = Vec::new();
    for seg in word.split('.').filter(|s| !s.is_empty()) {
        parts.push(seg);
        split_segment(seg, &mut sub);
        if sub.len() > 1 {
            parts.append(&mut sub);
        }
        sub.clear();
    }
}

/// Splits one dot-free segment at `_` and case changes.
fn split_segment<'a>(word: &'a str, parts: &mut Vec<&'a str>) {
    let mut begin = 0;
    let mut prev: Option<char> = None;
    let mut iter = word.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if c == '_' {
            if i > begin {
                parts.push(&word[begin..i]);
            }
            begin = i + c.len_utf8();
            prev = None;
            continue;
        }
        if let Some(p) = prev {
            let next_lower = iter.peek().is_some_and(|&(_, n)| n.is_lowercase());
            let boundary = (p.is_lowercase() && c.is_uppercase()) || (p.is_uppercase() && c.is_uppercase() && next_lower);
            if boundary && i > begin {
                parts.push(&word[begin..i]);
                begin = i;
            }
        }
        prev = Some(c);
    }
    if begin < word.len() {
        parts.push(&word[begin..]);
    }
}

/// Edit distance between `a` and `b` counting an adjacent transposition as one edit
/// (`domian` → `domain`), or `None` if it exceeds `max`.
pub(crate) fn edit_distance(a: &str, b: &str, max: usize) -> Option<usize> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        let mut row_min = cur[0];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            let mut d = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
            if i > 0 && j > 0 && *ca == b[j - 1] && a[i - 1] == *cb {
                d = d.min(before[j - 1] + 1);
            }
            cur[j + 1] = d;
            row_min = row_min.min(d);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(&mut before, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    let d = prev[b.len()];
    (d <= max).then_some(d)
}

/// Edit-distance budget for a query term of `len` characters: none for short terms.
pub(crate) fn typo_budget(len: usize) -> usize {
    match len {
        0..=4 => 0,
        5..=7 => 1,
        _ => 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stem(word: &str) -> String {
        let mut w = word.to_string();
        stem_in_place(&mut w);
        w
    }

    fn terms(s: &str) -> Vec<String> {
        tokenize(s).into_iter().map(|t| t.term).collect()
    }

    #[test]
    fn stop_words_are_sorted_for_binary_search() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(STOP_WORDS.iter().map(|w| w.len()).max(), Some(STOP_WORD_MAX));
    }

    #[test]
    fn splits_identifiers_and_keeps_whole() {
        assert_eq!(terms("createOrganization"), ["createorganization", "creat", "organization"]);
        assert_eq!(terms("list_users"), ["list_user", "list", "user"]);
        assert_eq!(terms("dsync.activated"), ["dsync.activat", "dsync", "activat"]);
        assert_eq!(terms("DELETE /directories/:id"), ["delet", "directory", "id"]);
        assert_eq!(terms("HTTPServer end."), ["httpserver", "http", "server", "end"]);
        assert_eq!(
            terms("organizations.createOrganization"),
            ["organizations.createorganization", "organization", "createorganization", "creat"]
        );
        assert_eq!(
            terms("user_management.list_users"),
            ["user_management.list_user", "user_management", "user", "management", "list_user", "list"]
        );
    }

    #[test]
    fn stems_inflections_consistently() {
        for (a, b) in [("testing", "test"), ("tests", "test"), ("created", "create"), ("policies", "policy")] {
            assert_eq!(stem(a), stem(b), "{a} vs {b}");
        }
        assert_eq!(stem("sso"), "sso");
        assert_eq!(stem("status"), "status");
        assert_eq!(stem("héllos"), "héllos");
    }

    #[test]
    fn edit_distance_is_bounded() {
        assert_eq!(edit_distance("authetication", "authentication", 2), Some(1));
        assert_eq!(edit_distance("organisaton", "organization", 2), Some(2));
        assert_eq!(edit_distance("okta", "azure", 2), None);
        assert_eq!(edit_distance("domian", "domain", 1), Some(1));
        assert_eq!(edit_distance("ab", "ba", 1), Some(1));
    }

    #[test]
    fn tokenizer_survives_odd_input() {
        assert!(terms("").is_empty());
        assert_eq!(terms("..._ é.ü"), ["é.ü", "é", "ü"]);
    }
}
