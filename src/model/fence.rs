//! Fenced code blocks: the one parser of a fence's info string ([`FenceMeta::parse`]) and the
//! one line-level tracker of where fences open and close ([`FenceTracker`]), shared by the
//! heading scanner, the container preprocessor and the renderer.
//!
//! Info strings of every tool are read: Docusaurus (`title="…"`, `{1,3-5}`, `showLineNumbers`),
//! Starlight's Expressive Code (`mark=`, `ins=`, `del=`, `frame=`, `lang=`), Nextra and Mastra
//! (`filename=`, `copy`), Mintlify (a bare-word title after the language, `highlight={…}`,
//! `lines`, `wrap`) and the dialect (`language=`, `tab=`).
//! Architecture invariant: parsing is linear in the info string and never panics; line sets
//! are stored as at most [`MAX_RANGES`] ranges, never expanded per line, so a range such as
//! `{1-999999999}` costs nothing beyond the code's real lines.

/// Ranges kept per line set; more are ignored (a real fence marks a handful).
pub const MAX_RANGES: usize = 256;

/// A set of 1-based line numbers, as inclusive ranges.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lines(Vec<(u32, u32)>);

impl Lines {
    /// Does the set hold line `n`?
    pub fn contains(&self, n: u32) -> bool {
        self.0.iter().any(|&(a, b)| a <= n && n <= b)
    }

    /// No line at all.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Add `1,3-5` (the text between the braces); items that are not numbers or ranges are
    /// skipped (Expressive Code's `"text"` and `/regex/` marks select text, not lines).
    fn add_list(&mut self, list: &str) {
        for item in list.split(',') {
            if self.0.len() >= MAX_RANGES {
                return;
            }
            let item = item.trim();
            let (a, b) = item.split_once('-').unwrap_or((item, item));
            if let (Ok(a), Ok(b)) = (a.trim().parse::<u32>(), b.trim().parse::<u32>())
                && a >= 1
                && a <= b
            {
                self.0.push((a, b));
            }
        }
    }
}

/// What a fence's info string says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FenceMeta {
    /// The language (first word), empty when none.
    pub lang: String,
    /// Caption: `title=`, `filename=`, or Mintlify's bare words after the language.
    pub title: Option<String>,
    /// Highlighted lines: `{1,3-5}`, `highlight=`, `mark=`.
    pub highlight: Lines,
    /// Inserted lines: `ins=`.
    pub ins: Lines,
    /// Deleted lines: `del=`.
    pub del: Lines,
    /// Number the lines: `showLineNumbers` (or `=N`), `lines`.
    pub line_numbers: bool,
    /// First line number (`showLineNumbers=5`, `startLineNumber=5`).
    pub start: u32,
    /// `+`/`-` lines mark insertions and deletions (a `diff` fence).
    pub diff: bool,
    /// `key=value` keys no tool defines (reported as a warning).
    pub unknown: Vec<String>,
}

/// Bare flags of some tool that change nothing vellum renders (never a title word).
const FLAGS: &[&str] = &[
    "copy",
    "nocopy",
    "npm2yarn",
    "twoslash",
    "wrap",
    "expandable",
    "live",
    "noinline",
    "no-transpile",
    "showlinenumbers",
    "lines",
    "collapse",
];

/// Keys whose values change nothing vellum renders.
const IGNORED_KEYS: &[&str] =
    &["language", "tab", "frame", "copy", "icon", "wrap", "collapse", "focus", "preserveindent", "hangingindent", "theme", "class"];

impl FenceMeta {
    /// Parse an info string such as `ts {1,3} title="a.ts" showLineNumbers`.
    pub fn parse(info: &str) -> FenceMeta {
        let info = info.trim();
        let lang_end = info.find(|c: char| c.is_whitespace() || c == '{').unwrap_or(info.len());
        let mut m = FenceMeta { lang: info[..lang_end].to_string(), start: 1, ..Default::default() };
        let mut bare: Vec<&str> = Vec::new();
        let mut explicit_title = None;
        let mut lang_key = None;
        let mut rest = &info[lang_end..];
        loop {
            rest = rest.trim_start();
            let Some(c) = rest.chars().next() else { break };
            match c {
                '{' => {
                    let (inner, tail) = braced(rest);
                    m.highlight.add_list(inner);
                    rest = tail;
                }
                '"' | '\'' => {
                    // A quoted string: Expressive Code's text mark; not a line set.
                    rest = quoted(rest, c).1;
                }
                '/' => {
                    // `/word/`: Nextra's and Expressive Code's substring highlight.
                    let end = rest[1..].find('/').map_or(rest.len(), |e| e + 2);
                    rest = &rest[end..];
                }
                _ => {
                    let end = rest.find(|c: char| c.is_whitespace() || c == '=').unwrap_or(rest.len());
                    let key = &rest[..end];
                    rest = &rest[end..];
                    if let Some(after) = rest.strip_prefix('=') {
                        let (value, tail) = value(after);
                        rest = tail;
                        m.key_value(key, value, &mut explicit_title, &mut lang_key);
                    // Flags are written in lower case (`showLineNumbers` in camel case too): a
                    // capitalised `Wrap` is a word of a title.
                    } else if FLAGS.contains(&key) || key == "showLineNumbers" {
                        if key.eq_ignore_ascii_case("showLineNumbers") || key == "lines" {
                            m.line_numbers = true;
                        }
                    } else if !key.is_empty() {
                        bare.push(key);
                    }
                }
            }
        }
        // A bare word is a title only when no attribute names one (Mintlify's `java
        // HelloWorld.java`); next to `title=` it is some tool's flag.
        m.title = explicit_title.or_else(|| (!bare.is_empty()).then(|| bare.join(" ")));
        m.diff = m.lang == "diff";
        if let Some(l) = lang_key.filter(|_| m.diff) {
            m.lang = l;
        }
        m
    }

    fn key_value(&mut self, key: &str, value: &str, title: &mut Option<String>, lang: &mut Option<String>) {
        let list = || value.strip_prefix('{').map(|v| braced_inner(v)).unwrap_or(value);
        match key {
            "title" | "filename" => *title = Some(value.to_string()),
            "highlight" | "mark" => self.highlight.add_list(list()),
            "ins" => self.ins.add_list(list()),
            "del" => self.del.add_list(list()),
            "lang" => *lang = Some(value.to_string()),
            "showLineNumbers" | "startLineNumber" => {
                self.line_numbers = value != "false";
                self.start = value.parse::<u32>().unwrap_or(1);
            }
            _ if IGNORED_KEYS.iter().any(|k| k.eq_ignore_ascii_case(key)) => {}
            _ => self.unknown.push(key.to_string()),
        }
    }

    /// Does any line get a class (highlight, insertion, deletion, number)?
    pub fn marks_lines(&self) -> bool {
        !self.highlight.is_empty() || !self.ins.is_empty() || !self.del.is_empty() || self.line_numbers || self.diff
    }
}

/// `{…}` at the start of `s`: (inside, after). Unbalanced: everything after `{`.
fn braced(s: &str) -> (&str, &str) {
    let inner = &s[1..];
    match inner.find('}') {
        Some(e) => (&inner[..e], &inner[e + 1..]),
        None => (inner, ""),
    }
}

fn braced_inner(s: &str) -> &str {
    s.find('}').map_or(s, |e| &s[..e])
}

/// A quoted string at the start of `s` (opening quote `q`): (inside, after). Unclosed: to the end.
fn quoted(s: &str, q: char) -> (&str, &str) {
    let inner = &s[1..];
    match inner.find(q) {
        Some(e) => (&inner[..e], &inner[e + 1..]),
        None => (inner, ""),
    }
}

/// The value after `key=`: quoted, braced (kept with its braces) or bare to the next space.
fn value(s: &str) -> (&str, &str) {
    match s.chars().next() {
        Some(q @ ('"' | '\'')) => quoted(s, q),
        Some('{') => {
            let end = s.find('}').map_or(s.len(), |e| e + 1);
            (&s[..end], &s[end..])
        }
        _ => {
            let end = s.find(char::is_whitespace).unwrap_or(s.len());
            (&s[..end], &s[end..])
        }
    }
}

/// Follows fenced code line by line (CommonMark's rules, read per line: a run of three or
/// more backticks or tildes opens, a run of the same character at least as long, alone on
/// its line, closes; `>` quote markers before it are skipped).
#[derive(Debug, Default, Clone)]
pub struct FenceTracker {
    open: Option<(u8, usize)>,
}

impl FenceTracker {
    /// Feed the next line; true when the line belongs to a fence (its opening and closing
    /// lines included), so it is code, not Markdown syntax.
    pub fn code_line(&mut self, line: &str) -> bool {
        let t = line.trim_start_matches(|c: char| c.is_whitespace() || c == '>');
        let c = match t.as_bytes().first() {
            Some(&c @ (b'`' | b'~')) => c,
            _ => return self.open.is_some(),
        };
        let n = t.bytes().take_while(|&b| b == c).count();
        match self.open {
            None if n >= 3 && !(c == b'`' && t[n..].contains('`')) => {
                self.open = Some((c, n));
                true
            }
            Some((c0, n0)) if c0 == c && n >= n0 && t[n..].trim().is_empty() => {
                self.open = None;
                true
            }
            open => open.is_some(),
        }
    }

    /// Is a fence open after the lines fed so far?
    pub fn in_fence(&self) -> bool {
        self.open.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_from_every_tool() {
        let t = |s: &str| FenceMeta::parse(s).title;
        assert_eq!(t("plain title=\"Environment variables\""), Some("Environment variables".into()));
        assert_eq!(t("js title='a b.js'"), Some("a b.js".into()));
        assert_eq!(t("ts filename=\"src/x.ts\" showLineNumbers copy"), Some("src/x.ts".into()));
        assert_eq!(t("java HelloWorld.java"), Some("HelloWorld.java".into()));
        assert_eq!(t("json Analytics options in docs.json"), Some("Analytics options in docs.json".into()));
        assert_eq!(t("js Wrap example wrap"), Some("Wrap example".into()));
        assert_eq!(t("ts no-transpile title=\"x\""), Some("x".into()));
        assert_eq!(t("ts title=\"x\" somethingelse"), Some("x".into()));
        assert_eq!(t("ts npm2yarn"), None);
        assert_eq!(t("json language=\"json\" title=\"SSO user profile\""), Some("SSO user profile".into()));
        assert_eq!(t("xml language=\"java\" title=\"Maven\" tab=\"java-1\""), Some("Maven".into()));
        assert_eq!(t("js \"text mark\" /re/"), None);
        assert_eq!(FenceMeta::parse("plain title=\"E\" langauge=\"JavaScript\"").unknown, vec!["langauge".to_string()]);
        assert_eq!(FenceMeta::parse("").lang, "");
    }

    #[test]
    fn line_sets() {
        let m = FenceMeta::parse("js {1,3-5} title=\"x\"");
        assert_eq!(m.lang, "js");
        assert!(m.highlight.contains(1) && !m.highlight.contains(2) && m.highlight.contains(4) && !m.highlight.contains(6));
        let m = FenceMeta::parse("js{2}");
        assert_eq!((m.lang.as_str(), m.highlight.contains(2)), ("js", true));
        let m = FenceMeta::parse("js mark={1} ins={2-3} del={4} showLineNumbers=5");
        assert!(m.highlight.contains(1) && m.ins.contains(3) && m.del.contains(4));
        assert_eq!((m.line_numbers, m.start), (true, 5));
        let m = FenceMeta::parse("jsx highlight={4}");
        assert!(m.highlight.contains(4));
        let m = FenceMeta::parse("diff lang=\"js\"");
        assert_eq!((m.diff, m.lang.as_str()), (true, "js"));
        assert!(FenceMeta::parse("diff").diff);
    }

    #[test]
    fn hostile_info_strings() {
        let huge = format!("js {{{}", "1,".repeat(500_000));
        let m = FenceMeta::parse(&huge);
        assert_eq!(m.highlight.0.len(), MAX_RANGES);
        let m = FenceMeta::parse("js {1-999999999}");
        assert!(m.highlight.contains(999_999_999) && m.highlight.0.len() == 1);
        for s in ["js {1,3", "js title=\"open", "js mark={", "{", "=", "js =x", "js '", "js /", "js {9-1} {-} {a-b} {0}", "é {é} é=é"] {
            let _ = FenceMeta::parse(s);
        }
        assert!(FenceMeta::parse("js {9-1} {0}").highlight.is_empty());
    }

    #[test]
    fn fences_open_and_close() {
        let mut f = FenceTracker::default();
        let lines = ["text", "````md", "```js", "```", "````", "after", "~~~", "```", "~~~~", "x", "> ```js", "> ```", "`` `x` ``"];
        let code: Vec<bool> = lines.iter().map(|l| f.code_line(l)).collect();
        assert_eq!(code, [false, true, true, true, true, false, true, true, true, false, true, true, false]);
        assert!(!f.in_fence());
    }
}
