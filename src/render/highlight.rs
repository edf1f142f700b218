//! Build-time syntax highlighting with syntect (two-face's extra grammars), emitting `hl-`
//! CSS classes; the theme's stylesheet colours them for light and dark mode.
//! Architecture invariant: built once per process and shared by every rayon task; results
//! are cached by content hash, so watch-mode rebuilds never highlight the same block twice.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Languages rendered as plain, escaped text (no grammar exists or none is wanted).
const PLAIN: &[&str] = &["", "plain", "plaintext", "text", "txt", "url", "fga", "mermaid", "none", "console-output"];

/// Aliases the corpus and common docs use that syntect's tokens do not know.
fn alias(lang: &str) -> &str {
    match lang {
        "shell" | "sh" | "zsh" | "console" | "terminal" => "bash",
        "javascript" | "node" | "mjs" | "cjs" => "js",
        "typescript" => "ts",
        "jsonc" | "json5" => "json",
        "yml" => "yaml",
        "py" => "python",
        "rb" => "ruby",
        "golang" => "go",
        "cs" | "csharp" | "dotnet" | "c#" => "cs",
        "kt" => "kotlin",
        "rs" => "rust",
        "ex" | "exs" => "elixir",
        "curl" | "http" => "bash",
        other => other,
    }
}

/// The shared highlighter.
pub struct Highlighter {
    syntaxes: SyntaxSet,
    cache: Mutex<HashMap<blake3::Hash, String>>,
}

impl std::fmt::Debug for Highlighter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Highlighter")
    }
}

impl Highlighter {
    /// The process-wide highlighter (loading grammars takes a few ms, so it happens once).
    pub fn global() -> &'static Highlighter {
        static H: OnceLock<Highlighter> = OnceLock::new();
        H.get_or_init(|| Highlighter { syntaxes: two_face::syntax::extra_newlines(), cache: Mutex::default() })
    }

    fn syntax(&self, lang: &str) -> Option<&SyntaxReference> {
        let lang = lang.to_ascii_lowercase();
        if PLAIN.contains(&lang.as_str()) {
            return None;
        }
        let l = alias(&lang);
        self.syntaxes.find_syntax_by_token(l).or_else(|| self.syntaxes.find_syntax_by_extension(l))
    }

    /// Highlight `code` as `lang` into the inner HTML of a `<code>` element.
    /// Unknown languages and grammar failures come back escaped, never as an error.
    pub fn highlight(&self, code: &str, lang: &str) -> String {
        let Some(syntax) = self.syntax(lang) else {
            return escape_html(code);
        };
        let key = blake3::Hasher::new().update(lang.as_bytes()).update(&[0]).update(code.as_bytes()).finalize();
        if let Some(hit) = self.cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
            return hit;
        }
        let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, &self.syntaxes, CLASS_STYLE);
        for line in LinesWithEndings::from(code) {
            if generator.parse_html_for_line_which_includes_newline(line).is_err() {
                return escape_html(code);
            }
        }
        let html = generator.finalize();
        if let Ok(mut c) = self.cache.lock() {
            c.insert(key, html.clone());
        }
        html
    }
}

/// Escape text for HTML element content and attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_corpus_languages_and_escapes_unknown() {
        let h = Highlighter::global();
        for lang in [
            "shell",
            "bash",
            "json",
            "js",
            "javascript",
            "jsx",
            "sql",
            "html",
            "xml",
            "yaml",
            "css",
            "java",
            "go",
            "python",
            "ruby",
            "php",
            "ts",
        ] {
            assert!(h.highlight("a = \"b\"\n", lang).contains("hl-"), "{lang}");
        }
        assert_eq!(h.highlight("<b>&</b>", "fga"), "&lt;b&gt;&amp;&lt;/b&gt;");
        assert_eq!(h.highlight("<x>", "no-such-lang"), "&lt;x&gt;");
    }
}
