//! `vellum.toml`: the optional site configuration, merged with CLI flags.
//! Architecture invariant: configuration is read once, before any stage runs; stages get
//! `&Config` and never look at the environment or the command line.

use serde::Deserialize;
use std::path::{Path, PathBuf};

/// Everything a build needs to know besides the source files.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Site title (H1 of llms.txt, `<title>` suffix).
    pub title: String,
    /// One-line summary (llms.txt blockquote, home page lede).
    pub description: String,
    /// Public URL of the site, e.g. `https://example.com/docs`. Its path is the base path
    /// of every internal link; its origin makes canonical and llms links absolute.
    pub base_url: String,
    /// Output directory, relative to the current directory.
    pub output: PathBuf,
    /// Snippet directory for `<CodeBlock file="…">`, relative to the source root.
    pub snippets: PathBuf,
    /// Changelog JSON file, relative to the source root (optional).
    pub changelog: Option<PathBuf>,
    /// Theme directory (overrides files of the built-in theme), relative to the source root.
    pub theme: Option<PathBuf>,
    /// Template directory (overrides built-in templates), relative to the source root.
    pub templates: Option<PathBuf>,
    /// Enabled feature flags; pages and nav items gated by other flags are hidden.
    pub feature_flags: Vec<String>,
    /// Map `—` to `–`, as the dialect's punctuation demo asks.
    pub em_dash_to_en_dash: bool,
    /// Default SDK language for code samples and API reference.
    pub default_language: String,
    /// Order of top-level sections in the llms bundle (others follow alphabetically).
    pub section_order: Vec<String>,
    /// Link the `.md` twins (instead of HTML pages) from llms.txt and the twins themselves.
    pub llms_link_twins: bool,
    /// Read files and folders of the source tree that are symlinks to somewhere outside it
    /// (monorepos that link shared docs in); off, such links are skipped with a warning.
    pub allow_symlinks_outside: bool,
    /// What becomes of raw HTML in pages.
    pub html: HtmlMode,
    /// `vellum check` levels by diagnostic code (`"link.broken-anchor" = "warning"`).
    pub check: std::collections::BTreeMap<String, crate::diagnostics::Level>,
    /// The docs tool the tree was written for (`docusaurus`, `starlight`, …); detected from
    /// the files at the root when absent.
    pub convention: Option<crate::convention::Kind>,
    /// The site's own components and their families (`[components] MyNote = "callout"`).
    pub components: std::collections::BTreeMap<String, crate::model::family::Family>,
    /// `[locales]`: the default locale's tag, or `enabled = false` to build no locales.
    pub locales: crate::model::locale::LocaleConfig,
}

/// How raw HTML written in pages (HTML blocks, inline tags, lowercase JSX elements) is
/// rendered (`html = "…"` in `vellum.toml`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HtmlMode {
    /// Kept, minus scripts, event handlers, script URLs and other script vectors.
    #[default]
    Sanitize,
    /// Kept as written (only GFM's tag filter applies), for sources you write yourself.
    Trusted,
    /// HTML blocks and inline tags are shown as text.
    Escape,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            title: "Documentation".into(),
            description: String::new(),
            base_url: String::new(),
            output: PathBuf::from("public"),
            snippets: PathBuf::from("snippets"),
            changelog: None,
            theme: None,
            templates: None,
            feature_flags: Vec::new(),
            em_dash_to_en_dash: true,
            default_language: "js".into(),
            section_order: Vec::new(),
            llms_link_twins: true,
            allow_symlinks_outside: false,
            html: HtmlMode::Sanitize,
            check: Default::default(),
            convention: None,
            components: Default::default(),
            locales: Default::default(),
        }
    }
}

/// A configuration problem: unreadable or invalid `vellum.toml`.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The config file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// `base_url` is not an http(s) URL or a site path.
    #[error("{path}: base_url: {message}")]
    BaseUrl {
        /// The config file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// The TOML is invalid.
    #[error("{path}: {message}")]
    Parse {
        /// The config file.
        path: PathBuf,
        /// The parser's message, with line and column.
        message: String,
    },
}

impl Config {
    /// Load `file` if given, else `SOURCE/vellum.toml` if it exists, else the defaults.
    pub fn load(source: &Path, file: Option<&Path>) -> Result<Self, ConfigError> {
        let path = match file {
            Some(f) => f.to_path_buf(),
            None => {
                let p = source.join("vellum.toml");
                if !p.is_file() {
                    return Ok(Self::default());
                }
                p
            }
        };
        let text = std::fs::read_to_string(&path).map_err(|source| ConfigError::Io { path: path.clone(), source })?;
        let config: Self =
            toml::from_str(&text).map_err(|e| ConfigError::Parse { path: path.clone(), message: e.to_string().trim().to_string() })?;
        check_base_url(&config.base_url).map_err(|message| ConfigError::BaseUrl { path, message })?;
        Ok(config)
    }

    /// The base path (`""` or `/docs`), taken from `base_url`, without a trailing slash.
    pub fn base_path(&self) -> String {
        let rest = match self.base_url.split_once("://") {
            Some((_, r)) => r.find('/').map(|i| &r[i..]).unwrap_or(""),
            None => self.base_url.as_str(),
        };
        let p = rest.trim_end_matches('/');
        if p.is_empty() || p.starts_with('/') { p.to_string() } else { format!("/{p}") }
    }

    /// The origin plus base path when `base_url` is absolute (for canonical and llms links).
    pub fn absolute_base(&self) -> Option<String> {
        self.base_url.contains("://").then(|| self.base_url.trim_end_matches('/').to_string())
    }

    /// Is this feature flag enabled?
    pub fn flag_enabled(&self, flag: &str) -> bool {
        self.feature_flags.iter().any(|f| f == flag)
    }
}

/// Whether `url` can be a `base_url`: an `http(s)://host/path` URL or a path (`/docs`). Its
/// path is written before every link, so it may not name another host (`//evil.example`), and
/// it may not hold characters that end an attribute or a URL (quotes, `<`, whitespace, `?`, `#`, `\\`).
pub fn check_base_url(url: &str) -> Result<(), String> {
    let path = match url.split_once("://") {
        Some((scheme, rest)) => {
            if !matches!(scheme.to_ascii_lowercase().as_str(), "http" | "https") {
                return Err(format!("`{url}`: only http:// and https:// URLs (or a path such as /docs)"));
            }
            let at = rest.find('/').unwrap_or(rest.len());
            if at == 0 {
                return Err(format!("`{url}` names no host"));
            }
            &rest[at..]
        }
        None => url,
    };
    if let Some(c) =
        url.chars().find(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '\'' | '<' | '>' | '`' | '\\' | '?' | '#'))
    {
        return Err(format!("`{url}` may not contain {c:?}"));
    }
    if path.starts_with("//") {
        return Err(format!("`{url}`: a path starting with `//` names another host"));
    }
    if path.split('/').any(|seg| seg == "." || seg == "..") {
        return Err(format!("`{url}`: its path may not contain `.` or `..` segments"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_path_from_urls() {
        let mut c = Config::default();
        assert_eq!(c.base_path(), "");
        c.base_url = "https://example.com/docs/".into();
        assert_eq!(c.base_path(), "/docs");
        assert_eq!(c.absolute_base().as_deref(), Some("https://example.com/docs"));
        c.base_url = "https://example.com".into();
        assert_eq!(c.base_path(), "");
        c.base_url = "docs".into();
        assert_eq!(c.base_path(), "/docs");
        assert_eq!(c.absolute_base(), None);
    }

    #[test]
    fn base_urls_that_leave_the_site_are_refused() {
        for ok in ["", "/", "/docs", "docs/v2/", "https://example.com", "https://example.com/docs/", "http://localhost:8080/a"] {
            assert_eq!(check_base_url(ok), Ok(()), "{ok}");
        }
        for bad in [
            "//evil.example",
            "https://example.com//evil.example",
            "javascript://x",
            "https:///docs",
            "/a b",
            "/a\"onload",
            "/a?x",
            "/../x",
            "/a\\b",
            "https://ex\"ample.com/",
        ] {
            assert!(check_base_url(bad).is_err(), "{bad}");
        }
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("vellum.toml"), "base_url = '//evil.example'\n").unwrap();
        assert!(Config::load(dir.path(), None).unwrap_err().to_string().contains("another host"));
    }

    #[test]
    fn html_modes_and_symlink_opt_in() {
        let c: Config = toml::from_str("html = \"escape\"\nallow_symlinks_outside = true\n").unwrap();
        assert_eq!((c.html, c.allow_symlinks_outside), (HtmlMode::Escape, true));
        assert_eq!(Config::default().html, HtmlMode::Sanitize);
        assert!(toml::from_str::<Config>("html = \"raw\"\n").is_err());
    }

    #[test]
    fn unknown_keys_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("vellum.toml"), "titel = 'x'\n").unwrap();
        let err = Config::load(dir.path(), None).unwrap_err().to_string();
        assert!(err.contains("titel"), "{err}");
    }
}
