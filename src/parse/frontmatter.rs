//! Frontmatter: split the `---` fence off a page and read its YAML (DIALECT §2.1, §3).
//! Architecture invariant: YAML problems are diagnostics with file positions; a page whose
//! frontmatter is broken still yields a body to render.

use crate::diagnostics::Diagnostic;
use serde_json::Value;

/// A page's text split at its frontmatter fence.
#[derive(Debug, Clone, Copy)]
pub struct Split<'a> {
    /// The YAML between the fences (empty when there is none).
    pub yaml: &'a str,
    /// Everything after the closing fence line.
    pub body: &'a str,
    /// 1-based file line of the first body line.
    pub body_line: u32,
}

/// Split `text` into YAML and body. A file must start with `---` to have frontmatter; it ends
/// at the next line that is exactly `---`. A body that itself starts with `---` is a thematic
/// break, not a second block. An unclosed fence is a diagnostic and the file is all body.
pub fn split<'a>(file: &str, text: &'a str) -> (Split<'a>, Option<Diagnostic>) {
    let none = Split { yaml: "", body: text, body_line: 1 };
    let Some(rest) = text.strip_prefix("---\n").or_else(|| (text == "---").then_some("")) else {
        return (none, None);
    };
    let mut offset = 0;
    for (i, line) in rest.split_inclusive('\n').enumerate() {
        if line.trim_end_matches('\n') == "---" {
            let body = &rest[offset + line.len()..];
            return (Split { yaml: &rest[..offset], body, body_line: i as u32 + 3 }, None);
        }
        offset += line.len();
    }
    let d = Diagnostic::error(file, 1, 1, "frontmatter.unclosed", "frontmatter starts with `---` but never ends")
        .with_hint("add a line `---` after the YAML");
    (none, Some(d))
}

/// Parse the YAML of a frontmatter block into a JSON value (an empty block is an empty map).
/// Positions in errors are file positions (the YAML starts on line 2).
pub fn parse_yaml(file: &str, yaml: &str) -> Result<Value, Diagnostic> {
    if yaml.trim().is_empty() {
        return Ok(Value::Object(Default::default()));
    }
    match super::yaml::to_json(yaml) {
        Ok(Value::Null) => Ok(Value::Object(Default::default())),
        Ok(v @ Value::Object(_)) => Ok(v),
        Ok(_) => Err(Diagnostic::error(file, 2, 1, "frontmatter.not-a-map", "frontmatter must be a YAML mapping of keys to values")),
        // The YAML starts on the file's second line.
        Err(e) => {
            let d = Diagnostic::error(file, e.line as u32 + 1, e.col as u32, "frontmatter.yaml", format!("invalid YAML: {}", e.message));
            Err(if e.message.contains("quoted scalar") { d.with_hint("is a quote left open?") } else { d })
        }
    }
}

/// Typed view of the keys vellum uses itself (the rest stays in the JSON value).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PageMeta {
    /// `title`.
    pub title: Option<String>,
    /// `description`, trimmed.
    pub description: Option<String>,
    /// `showNextPage`.
    pub show_next_page: bool,
    /// `breadcrumb: {title, url}`.
    pub breadcrumb: Option<(String, String)>,
    /// `icon`.
    pub icon: Option<String>,
    /// `featureFlag`.
    pub feature_flag: Option<String>,
    /// `excludeFromSearch` (also settable in the nav).
    pub exclude_from_search: bool,
    /// `order` / `sidebar_position` / `weight`: ordering in generated navigation.
    pub order: Option<f64>,
}

/// Read the typed keys, warning about keys of the wrong type (never failing).
pub fn page_meta(file: &str, fm: &Value, raw: &str) -> (PageMeta, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut wrong = |key: &str, want: &str| {
        let line = key_line(raw, key);
        diags.push(
            Diagnostic::warning(file, line, 1, "frontmatter.wrong-type", format!("`{key}` must be {want}; it is ignored")).with_hint(
                if key == "description" { "did you mean `descriptions` (a map of reusable texts)?" } else { "fix the value's type" },
            ),
        );
    };
    let mut string = |key: &str| match fm.get(key) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.trim().to_string()),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(_) => {
            wrong(key, "a string");
            None
        }
    };
    let mut meta = PageMeta {
        title: string("title"),
        description: string("description"),
        icon: string("icon"),
        feature_flag: string("featureFlag"),
        ..Default::default()
    };
    let mut boolean = |key: &str| match fm.get(key) {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            wrong(key, "true or false");
            false
        }
    };
    meta.show_next_page = boolean("showNextPage");
    meta.exclude_from_search = boolean("excludeFromSearch");
    match fm.get("breadcrumb") {
        None | Some(Value::Null) => {}
        Some(Value::Object(m)) => {
            if let (Some(Value::String(t)), Some(Value::String(u))) = (m.get("title"), m.get("url")) {
                meta.breadcrumb = Some((t.clone(), u.clone()));
            }
        }
        Some(_) => wrong("breadcrumb", "a map with `title` and `url`"),
    }
    meta.order = ["order", "sidebar_position", "weight"].iter().find_map(|k| fm.get(*k).and_then(Value::as_f64));
    (meta, diags)
}

/// 1-based line of `key:` at the start of a line in the raw file (0 when not found).
pub fn key_line(raw: &str, key: &str) -> u32 {
    raw.lines().position(|l| l.strip_prefix(key).is_some_and(|r| r.starts_with(':'))).map(|i| i as u32 + 1).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_frontmatter_and_keeps_body_thematic_break() {
        let text = "---\ntitle: A\n---\n---\n\nBody\n";
        let (s, d) = split("a.mdx", text);
        assert!(d.is_none());
        assert_eq!(s.yaml, "title: A\n");
        assert_eq!(s.body, "---\n\nBody\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn no_frontmatter_and_unclosed() {
        let (s, d) = split("a.mdx", "# Hi\n");
        assert!(d.is_none() && s.yaml.is_empty() && s.body == "# Hi\n");
        let (s, d) = split("a.mdx", "---\ntitle: x\n");
        assert_eq!(d.unwrap().code, "frontmatter.unclosed");
        assert_eq!(s.body_line, 1);
    }

    #[test]
    fn js_yaml_output_with_nbsp_escape_and_block_scalars() {
        let yaml = "title: \"Sync data using the events\\_API\"\ndescription: >-\n  Folded\n  text\ntype: |\n  \"a\" | \"b\"\nlinks: []\nparameters:\n  - (cancellationToken)\nkey: 'Task<WorkOSList<Group>>'\n";
        let v = parse_yaml("x.mdx", yaml).unwrap();
        assert_eq!(v["title"], "Sync data using the events\u{a0}API");
        assert_eq!(v["description"], "Folded text");
        assert_eq!(v["type"], "\"a\" | \"b\"\n");
        assert_eq!(v["parameters"][0], "(cancellationToken)");
        assert_eq!(v["key"], "Task<WorkOSList<Group>>");
    }

    #[test]
    fn yaml_error_has_file_position() {
        let e = parse_yaml("x.mdx", "title: ok\nlinks: [a, b\n").unwrap_err();
        assert_eq!(e.code, "frontmatter.yaml");
        assert!(e.line >= 2, "{e:?}");
        let e = parse_yaml("x.mdx", "- a\n- b\n").unwrap_err();
        assert_eq!(e.code, "frontmatter.not-a-map");
    }

    #[test]
    fn meta_wrong_types_warn() {
        let raw = "---\ntitle: [1]\ndescription:\n  a: b\n---\n";
        let v = parse_yaml("x.mdx", "title: [1]\ndescription:\n  a: b\n").unwrap();
        let (m, d) = page_meta("x.mdx", &v, raw);
        assert_eq!(m.title, None);
        assert_eq!(d.len(), 2);
        assert_eq!(d[1].line, 3);
        assert!(d[1].hint.as_deref().unwrap().contains("descriptions"));
    }
}
