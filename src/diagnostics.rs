//! Diagnostics: every problem the pipeline finds, with file, line, column, a stable code
//! and a hint. Stages return them beside their output; they never abort a build.
//! Architecture invariant: this module formats, it never prints (the CLI decides where).

use std::collections::BTreeMap;
use std::fmt::Write as _;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Reported, never fails a build (except with `--strict`).
    Warning,
    /// Fails the build (exit code 1).
    Error,
}

/// A level `[check]` in `vellum.toml` gives a diagnostic code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Fails `vellum check`.
    Error,
    /// Reported only.
    Warning,
    /// Not reported.
    Off,
}

/// Findings a reader of the built site would hit (a link or anchor that goes nowhere, a nav
/// entry to a missing page, a missing image, an unresolved API reference): `vellum check`
/// fails on them even where a build only warns.
pub const BREAKS_READERS: &[&str] =
    &["link.broken", "link.broken-anchor", "nav.missing-page", "asset.missing", "ref.unresolved", "nav.unsafe-url", "link.unsafe-url"];

/// One finding, positioned in a source file (paths are relative to the source root).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    /// Source file, relative to the source root, with `/` separators.
    pub file: String,
    /// 1-based line; 0 when the finding concerns the whole file.
    pub line: u32,
    /// 1-based column; 0 when unknown.
    pub col: u32,
    /// Warning or error.
    pub severity: Severity,
    /// Stable machine-readable code, e.g. `link.broken`.
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// How to fix it, when we know.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl Diagnostic {
    /// Whether this finding fails the build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// A warning at a position.
    pub fn warning(file: impl Into<String>, line: u32, col: u32, code: &'static str, message: impl Into<String>) -> Self {
        Self { file: file.into(), line, col, severity: Severity::Warning, code, message: message.into(), hint: None }
    }

    /// An error at a position.
    pub fn error(file: impl Into<String>, line: u32, col: u32, code: &'static str, message: impl Into<String>) -> Self {
        Self { severity: Severity::Error, ..Self::warning(file, line, col, code, message) }
    }

    /// Attach a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// `file:line:col` (omitting unknown parts).
    pub fn location(&self) -> String {
        match (self.line, self.col) {
            (0, _) => self.file.clone(),
            (l, 0) => format!("{}:{l}", self.file),
            (l, c) => format!("{}:{l}:{c}", self.file),
        }
    }

    /// One line: `error[code]: file:line:col: message (hint: …)`.
    pub fn to_line(&self) -> String {
        let sev = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        let mut s = format!("{sev}[{}]: {}: {}", self.code, self.location(), self.message);
        if let Some(h) = &self.hint {
            let _ = write!(s, " (hint: {h})");
        }
        s
    }

    /// The full form with the offending source line and a caret under the column.
    pub fn render(&self, source: Option<&str>) -> String {
        let mut out = self.to_line();
        if let Some(text) = source.filter(|_| self.line > 0)
            && let Some(src_line) = text.lines().nth(self.line as usize - 1)
        {
            let num = self.line.to_string();
            let pad = " ".repeat(num.len());
            let shown: String = src_line.chars().take(160).collect();
            let _ = write!(out, "\n {pad}|\n {num}| {shown}");
            if self.col > 0 {
                let caret_at: usize = src_line.chars().take(self.col as usize - 1).map(|c| if c == '\t' { 4 } else { 1 }).sum();
                let _ = write!(out, "\n {pad}| {}^", " ".repeat(caret_at.min(160)));
            }
        }
        out
    }
}

/// The diagnostics of one run, with the summarising the CLI prints.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Add one finding.
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    /// Add many findings.
    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(ds);
    }

    /// Every finding, in a stable order (file, line, column, code).
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut v: Vec<&Diagnostic> = self.items.iter().collect();
        v.sort_by(|a, b| (&a.file, a.line, a.col, a.code, &a.message).cmp(&(&b.file, b.line, b.col, b.code, &b.message)));
        v
    }

    /// Number of errors.
    pub fn errors(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    /// Number of warnings.
    pub fn warnings(&self) -> usize {
        self.items.len() - self.errors()
    }

    /// True when nothing was found.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Apply `vellum check`'s levels: codes a reader would trip over ([`BREAKS_READERS`]) are
    /// errors, then each `levels` entry (`[check]` in `vellum.toml`) sets its code's level;
    /// `off` drops the code.
    pub fn relevel(&mut self, levels: &BTreeMap<String, Level>) {
        for d in &mut self.items {
            if BREAKS_READERS.contains(&d.code) {
                d.severity = Severity::Error;
            }
        }
        self.items.retain_mut(|d| match levels.get(d.code) {
            Some(Level::Off) => false,
            Some(Level::Error) => {
                d.severity = Severity::Error;
                true
            }
            Some(Level::Warning) => {
                d.severity = Severity::Warning;
                true
            }
            None => true,
        });
    }

    /// All findings, unsorted.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// Human report: every error in full; warnings grouped by code, each code showing at
    /// most `per_code` examples and a count of the rest, so a run never spams.
    pub fn summary(&self, per_code: usize, source_of: &dyn Fn(&str) -> Option<String>) -> String {
        let mut out = String::new();
        let sorted = self.sorted();
        for d in sorted.iter().filter(|d| d.is_error()) {
            let _ = writeln!(out, "{}", d.render(source_of(&d.file).as_deref()));
        }
        let mut by_code: BTreeMap<&str, Vec<&Diagnostic>> = BTreeMap::new();
        for d in sorted.iter().filter(|d| d.severity == Severity::Warning) {
            by_code.entry(d.code).or_default().push(d);
        }
        for (code, ds) in by_code {
            if ds.len() <= per_code {
                for d in ds {
                    let _ = writeln!(out, "{}", d.to_line());
                }
            } else {
                let _ = writeln!(out, "warning[{code}]: {} findings; first {per_code}:", ds.len());
                for d in ds.iter().take(per_code) {
                    let _ = writeln!(out, "  {}: {}", d.location(), d.message);
                }
            }
        }
        out
    }
}

impl From<Vec<Diagnostic>> for Diagnostics {
    fn from(items: Vec<Diagnostic>) -> Self {
        Self { items }
    }
}
