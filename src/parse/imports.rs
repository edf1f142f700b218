//! The ESM of an MDX body: `import` declarations of partials (`import X from './_x.mdx'`) and
//! of raw files (`import code from './x.ts?raw'`, `import S from '!!raw-loader!./x.js'`), and
//! `export const` literals. The statement syntax is read with oxc (`convention::js::esm`);
//! nothing is run.
//!
//! Paths resolve here, as text: relative to the importing file's folder, or from the source
//! root through a convention's absolute forms (`convention::import_root_alias`).
//!
//! Invariant: pure and total. A path that climbs out of the source root is refused here
//! (`mdx.import-outside-root`, a warning at the import's position: the rest builds); an alias no convention
//! defines is a warning; ESM lines inside fences are never read (the MDX layer's rule).

use crate::diagnostics::Diagnostic;
use crate::parse::mdx::{Bound, is_esm};
use serde_json::Value;
use std::collections::BTreeMap;

/// ESM text past this many bytes is not read (one warning): no page needs megabytes of imports.
const MAX_ESM_BYTES: usize = 1 << 20;

/// What an import binds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportKind {
    /// The default export of an `.mdx`/`.md` file: the partial, inlined where it is used.
    Partial,
    /// A named export of a partial file: its `export const` of that name.
    Export(String),
    /// The text of any file (`?raw`, `raw-loader`).
    Raw,
}

/// One import binding whose file is in the source tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Import {
    /// The local name (`X` in `<X />`).
    pub local: String,
    /// What it binds.
    pub kind: ImportKind,
    /// The imported file, relative to the source root.
    pub rel: String,
    /// 1-based file line and column of the declaration.
    pub line: u32,
    /// Column.
    pub col: u32,
}

/// The ESM of one MDX file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Esm {
    /// Imports of partials and raw files, in source order.
    pub imports: Vec<Import>,
    /// `export const` literals by name.
    pub consts: BTreeMap<String, Value>,
}

impl Esm {
    /// The import bound to `local`.
    pub fn import(&self, local: &str) -> Option<&Import> {
        self.imports.iter().find(|i| i.local == local)
    }

    /// What `name` stands for in prose: a literal's text, or a file's text the render stage knows.
    pub fn bound(&self, name: &str) -> Option<Bound> {
        if let Some(v) = self.consts.get(name) {
            return text_of(v).map(Bound::Text);
        }
        self.import(name).filter(|i| i.kind != ImportKind::Partial).map(|_| Bound::Later)
    }
}

/// The text a literal shows: strings as they are, numbers and booleans written out.
pub fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Read the ESM of `body` (of file `rel`, whose first line is file line `first_line`).
pub fn read(rel: &str, body: &str, first_line: u32) -> (Esm, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let Some(text) = esm_text(body) else { return (Esm::default(), diags) };
    if text.len() > MAX_ESM_BYTES {
        let msg = format!("the imports and exports of this page exceed {MAX_ESM_BYTES} bytes; they are not read");
        diags.push(Diagnostic::warning(rel, first_line, 1, "mdx.esm-too-large", msg));
        return (Esm::default(), diags);
    }
    let mut js = Vec::new();
    let (bindings, consts) = crate::convention::js::esm("esm.tsx", &text, &mut js);
    // oxc's positions are in the body; report them as file positions of `rel`.
    for mut d in js {
        d.file = rel.to_string();
        d.line = d.line.max(1) + first_line - 1;
        d.code = "mdx.esm-syntax";
        diags.push(d);
    }
    let pos = |at: usize| {
        let before = &text[..at.min(text.len())];
        let line = before.matches('\n').count() as u32 + first_line;
        let col = (before.len() - before.rfind('\n').map_or(0, |i| i + 1)) as u32 + 1;
        (line, col)
    };
    let mut esm = Esm::default();
    for (name, value, at) in consts {
        match value {
            Some(v) => {
                esm.consts.insert(name, v);
            }
            None => {
                let (line, col) = pos(at);
                let msg = format!("`export const {name}` is not a literal; it is left out");
                diags.push(Diagnostic::warning(rel, line, col, "mdx.dynamic-export", msg));
            }
        }
    }
    for b in bindings {
        let (line, col) = pos(b.at);
        let Some((spec, raw)) = module_file(&b.source) else { continue };
        let kind = match (raw, b.imported.as_str()) {
            (true, _) => ImportKind::Raw,
            (false, "default") => ImportKind::Partial,
            (false, "*") => continue,
            (false, name) => ImportKind::Export(name.to_string()),
        };
        match resolve(rel, spec) {
            Ok(target) => esm.imports.push(Import { local: b.local, kind, rel: target, line, col }),
            Err(Refused::Outside) => {
                let msg = format!("`{}` resolves outside the source root; it is not read", b.source);
                diags.push(Diagnostic::warning(rel, line, col, "mdx.import-outside-root", msg));
            }
            Err(Refused::Alias) => {
                let msg = format!("`{}`: no alias of this tree's conventions names this path; `<{}>` is not inlined", b.source, b.local);
                let hint = "import it by a relative path (`./x.mdx`)";
                diags.push(Diagnostic::warning(rel, line, col, "mdx.import-unresolved", msg).with_hint(hint));
            }
        }
    }
    (esm, diags)
}

/// The body with every line that is not ESM blanked (so offsets keep their lines), or `None`
/// when it has no ESM. The same rule as the MDX layer: a top-level `import`/`export` line
/// after a blank line (or at the start), outside fences, up to the next blank line.
fn esm_text(body: &str) -> Option<String> {
    let mut out = String::new();
    let mut fences = crate::model::fence::FenceTracker::default();
    let (mut prev_blank, mut in_esm, mut any) = (true, false, false);
    for line in body.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        let blank = content.trim().is_empty();
        if !in_esm && fences.code_line(content) {
            prev_blank = false;
        } else if blank {
            in_esm = false;
            prev_blank = true;
        } else {
            in_esm = in_esm || (prev_blank && is_esm(content.as_bytes()));
            prev_blank = false;
        }
        if in_esm {
            any = true;
            out.push_str(content);
        }
        out.push('\n');
    }
    any.then_some(out)
}

/// The file part of a module specifier, and whether it is imported raw; `None` for a module
/// that is no file of the tree (a package, a component).
fn module_file(source: &str) -> Option<(&str, bool)> {
    if let Some(rest) = source.strip_prefix("!!raw-loader!").or_else(|| source.strip_prefix("raw-loader!")) {
        return Some((rest, true));
    }
    let (path, query) = source.split_once('?').unwrap_or((source, ""));
    if query.split('&').any(|q| q == "raw") {
        return Some((path, true));
    }
    (path.ends_with(".mdx") || path.ends_with(".md")).then_some((path, false))
}

/// Why an import path is refused.
#[derive(Debug, PartialEq, Eq)]
enum Refused {
    /// It climbs out of the source root.
    Outside,
    /// A bare or aliased specifier no convention defines.
    Alias,
}

/// `spec` imported from file `from`, as a path relative to the source root.
fn resolve(from: &str, spec: &str) -> Result<String, Refused> {
    let (base, rest) = if spec.starts_with("./") || spec.starts_with("../") {
        (from.rsplit_once('/').map_or("", |(dir, _)| dir), spec)
    } else {
        ("", crate::convention::import_root_alias(spec).ok_or(Refused::Alias)?)
    };
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for p in rest.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop().ok_or(Refused::Outside)?;
            }
            p => parts.push(p),
        }
    }
    if parts.is_empty() || parts.iter().any(|p| p.contains('\\') || p.contains('\0')) {
        return Err(Refused::Outside);
    }
    Ok(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(d: &[Diagnostic]) -> Vec<&str> {
        d.iter().map(|d| d.code).collect()
    }

    #[test]
    fn imports_and_consts() {
        let body = "import X from './_x.mdx';\nimport { default as Y, title } from '../snippets/y.md'\nimport code from './a.ts?raw'\nimport S from '!!raw-loader!./b.js'\nimport { Tabs } from '@astrojs/starlight/components';\nexport const name = 'Ada';\nexport const n = 3, list = [1, 2];\n\nText\n";
        let (esm, d) = read("docs/guide/p.mdx", body, 3);
        assert!(d.is_empty(), "{d:?}");
        let got: Vec<(&str, &ImportKind, &str, u32)> =
            esm.imports.iter().map(|i| (i.local.as_str(), &i.kind, i.rel.as_str(), i.line)).collect();
        assert_eq!(
            got,
            [
                ("X", &ImportKind::Partial, "docs/guide/_x.mdx", 3),
                ("Y", &ImportKind::Partial, "docs/snippets/y.md", 4),
                ("title", &ImportKind::Export("title".into()), "docs/snippets/y.md", 4),
                ("code", &ImportKind::Raw, "docs/guide/a.ts", 5),
                ("S", &ImportKind::Raw, "docs/guide/b.js", 6),
            ]
        );
        assert_eq!(esm.bound("name"), Some(Bound::Text("Ada".into())));
        assert_eq!(esm.bound("n"), Some(Bound::Text("3".into())));
        assert_eq!(esm.bound("list"), None);
        assert_eq!(esm.bound("code"), Some(Bound::Later));
        assert_eq!(esm.consts["list"], serde_json::json!([1, 2]));
    }

    #[test]
    fn outside_root_and_unknown_aliases_are_refused() {
        let body = "import A from '../../../etc/passwd.md'\nimport B from '../x.mdx?raw'\nimport C from 'pkg/x.mdx'\nimport D from '/snippets/d.mdx'\n";
        let (esm, d) = read("a/p.mdx", body, 1);
        assert_eq!(codes(&d), ["mdx.import-outside-root", "mdx.import-unresolved"]);
        assert_eq!((d[0].line, d[0].col), (1, 1));
        let got: Vec<&str> = esm.imports.iter().map(|i| i.rel.as_str()).collect();
        assert_eq!(got, ["x.mdx", "snippets/d.mdx"]);
    }

    #[test]
    fn esm_in_fences_and_prose_is_not_read() {
        let body = "```js\nimport X from './x.mdx'\n```\n\nSome text\nimport Y from './y.mdx'\n\n~~~\n\nimport Z from './z.mdx'\n~~~\n";
        assert_eq!(read("p.mdx", body, 1).0, Esm::default());
    }

    #[test]
    fn hostile_esm_is_a_warning() {
        let unterminated = "import X from './x.mdx\n\nText\n";
        let (esm, d) = read("p.mdx", unterminated, 5);
        assert!(esm.imports.is_empty());
        assert_eq!(d.first().map(|d| (d.code, d.line)), Some(("mdx.esm-syntax", 5)));
        let dynamic = "export const a = fetch('x');\nexport const b = `t${a}`;\n";
        let (esm, d) = read("p.mdx", dynamic, 1);
        assert!(esm.consts.is_empty());
        assert_eq!(codes(&d), ["mdx.dynamic-export", "mdx.dynamic-export"]);
        let huge = format!("export const a = '{}';\n", "x".repeat(MAX_ESM_BYTES));
        assert_eq!(codes(&read("p.mdx", &huge, 1).1), ["mdx.esm-too-large"]);
        let long = format!("import X from './{}.mdx'\n", "a/".repeat(50_000));
        assert_eq!(read("p.mdx", &long, 1).0.imports.len(), 1);
        let deep = format!("export const a = {}1{};\n", "[".repeat(100_000), "]".repeat(100_000));
        assert!(read("p.mdx", &deep, 1).0.consts.is_empty());
    }
}
