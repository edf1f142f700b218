//! Stage 2, parse: one page's text → frontmatter, typed metadata and an MDX document whose
//! JSX is replaced by slots. Pure and per file; runs in parallel.
//! Architecture invariant: parsing never fails — every problem is a diagnostic and the page
//! still has a (possibly empty) body to render.

pub mod frontmatter;
pub mod imports;
pub mod mdx;
pub mod slug;
pub mod yaml;

use crate::diagnostics::Diagnostic;
use crate::model::PageUrl;
use crate::source::SourceFile;
use frontmatter::PageMeta;
use mdx::MdxDoc;
use serde_json::Value;

/// A page after parsing.
#[derive(Debug, Clone)]
pub struct ParsedPage {
    /// Path relative to the source root.
    pub rel: String,
    /// Page URL (no base path).
    pub url: String,
    /// The page stands for its folder (see [`PageUrl::is_index`]).
    pub is_index: bool,
    /// The whole file text.
    pub raw: String,
    /// Frontmatter as JSON (an empty map when absent or broken).
    pub frontmatter: Value,
    /// Typed frontmatter keys.
    pub meta: PageMeta,
    /// The body with JSX replaced by slots.
    pub mdx: MdxDoc,
    /// The body's imports of partials and raw files, and its `export const` literals.
    pub esm: imports::Esm,
    /// The body opens with an H1 that serves as title (no frontmatter title).
    pub title_from_h1: bool,
    /// Text of the first heading (for title derivation).
    pub first_heading: Option<String>,
    /// Content hash of the file (cache key of the render stage).
    pub hash: blake3::Hash,
    /// Hash of the frontmatter text when it holds API-reference data (`reference` or
    /// `descriptions`), which every page's render may use: a key of the reference index.
    pub ref_hash: Option<blake3::Hash>,
    /// Problems found while parsing.
    pub diags: Vec<Diagnostic>,
}

impl ParsedPage {
    /// Did parsing find an error (the page still renders)?
    pub fn has_errors(&self) -> bool {
        self.diags.iter().any(Diagnostic::is_error)
    }
}

/// Parse one page (its text becomes the page's `raw`); `address` gives its URL from its path
/// and frontmatter (the convention's rule).
pub fn parse_page(src: SourceFile, address: &dyn Fn(&str, &Value) -> PageUrl) -> ParsedPage {
    let raw = src.text.unwrap_or_default();
    let mut diags = Vec::new();
    let (split, d) = frontmatter::split(&src.rel, &raw);
    diags.extend(d);
    let frontmatter = match frontmatter::parse_yaml(&src.rel, split.yaml) {
        Ok(v) => v,
        Err(d) => {
            diags.push(d);
            Value::Object(Default::default())
        }
    };
    let (meta, d) = frontmatter::page_meta(&src.rel, &frontmatter, &raw);
    diags.extend(d);
    let (esm, d) = imports::read(&src.rel, split.body, split.body_line);
    diags.extend(d);
    let (mdx, errs) = mdx::parse_with(split.body, split.body_line, &|name| esm.bound(name));
    for e in errs {
        let d = if e.is_error() {
            Diagnostic::error(&src.rel, e.line, e.col, e.code, e.message)
        } else {
            Diagnostic::warning(&src.rel, e.line, e.col, e.code, e.message)
        };
        diags.push(match e.hint {
            Some(h) => d.with_hint(h),
            None => d,
        });
    }
    let (first_heading, first_is_h1) = first_heading(&mdx.markdown);
    let title_from_h1 = meta.title.is_none() && first_is_h1;
    let ref_hash = ["reference", "descriptions"].iter().any(|k| frontmatter.get(k).is_some()).then(|| blake3::hash(split.yaml.as_bytes()));
    let PageUrl { url, is_index } = address(&src.rel, &frontmatter);
    ParsedPage {
        rel: src.rel,
        url,
        is_index,
        hash: blake3::hash(raw.as_bytes()),
        raw,
        frontmatter,
        meta,
        mdx,
        esm,
        title_from_h1,
        first_heading,
        ref_hash,
        diags,
    }
}

/// The first ATX heading's plain text outside fences, and whether it is an H1 that opens
/// the body (only blank lines before it). A `{{ … }}` or `{#id}` suffix is not text.
fn first_heading(md: &str) -> (Option<String>, bool) {
    let mut fences = crate::model::fence::FenceTracker::default();
    let mut only_blank = true;
    for line in md.lines() {
        let t = line.trim_start();
        if fences.code_line(line) {
            only_blank = false;
            continue;
        }
        let hashes = t.chars().take_while(|c| *c == '#').count();
        if (1..=6).contains(&hashes) && t[hashes..].starts_with(' ') {
            let text = slug::split_heading_suffix(&t[hashes..]).map(|(h, _)| h).unwrap_or(&t[hashes..]);
            let text = slug::split_custom_id(text).map(|(h, _)| h).unwrap_or(text);
            let text = plain_inline(text);
            return (Some(text), hashes == 1 && only_blank && line.len() == t.len());
        }
        if !t.is_empty() {
            only_blank = false;
        }
    }
    (None, false)
}

/// Inline Markdown reduced to its text: links and images to their text, code ticks and
/// emphasis markers and slot tokens removed.
pub fn plain_inline(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '!' if chars.peek() == Some(&'[') => {}
            '[' | ']' | '`' | '*' => {}
            '(' if out.ends_with('\u{1}') => {
                for c in chars.by_ref() {
                    if c == ')' {
                        break;
                    }
                }
            }
            _ => out.push(c),
        }
        if c == ']' && chars.peek() == Some(&'(') {
            out.push('\u{1}');
        }
    }
    let out = out.replace('\u{1}', "");
    let out: String = mdx::find_slots(&out).iter().rev().fold(out.clone(), |mut acc, (r, _)| {
        acc.replace_range(r.clone(), "");
        acc
    });
    out.replace(" _", " ").replace("_ ", " ").trim().trim_matches('_').trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_heading_and_title_h1() {
        assert_eq!(first_heading("\n# Organization\n\n## A\n"), (Some("Organization".into()), true));
        assert_eq!(first_heading("Text\n\n# Late\n"), (Some("Late".into()), false));
        assert_eq!(first_heading("```\n# not\n```\n## `dsync.activated` {{ \"url\": \"x\" }}\n"), (Some("dsync.activated".into()), false));
        // A longer fence holds a shorter one; a tilde fence holds backticks.
        assert_eq!(first_heading("````md\n```\n# not\n````\n~~~\n```\n# no\n~~~\n# Yes {#yes}\n").0, Some("Yes".into()));
    }

    #[test]
    fn braces_no_tool_reads_as_jsx_are_not_reported() {
        let page = |body: &str| {
            let file = SourceFile { rel: "p.mdx".into(), text: Some(body.into()) };
            parse_page(file, &|_, _| PageUrl { url: "/p".into(), is_index: false }).diags.iter().map(|d| d.code).collect::<Vec<_>>()
        };
        assert!(page("## Title {#custom-id}\n\n:::danger{title=\"Look\"}\nx\n:::\n").is_empty());
        assert_eq!(page("Text {x} here\n"), ["mdx.expression-unsupported"]);
    }

    #[test]
    fn plain_inline_text() {
        assert_eq!(plain_inline("[Redirect URI](/glossary/redirect-uri) and `code` **bold**"), "Redirect URI and code bold");
        assert_eq!(plain_inline("![A screenshot](https://x/y.png)"), "A screenshot");
    }
}
