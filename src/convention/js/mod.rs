//! Static reading of JS/TS config modules (`sidebars.js`, `astro.config.mjs`, `_meta.tsx`,
//! `docusaurus.config.ts`, `_category_.json`) as JSON values, without a JavaScript runtime.
//!
//! Invariant: never panics and never runs code. Literal parts (objects, arrays, strings, numbers,
//! same-file `const` bindings, JSX text) become JSON; anything dynamic becomes `null` with one
//! `config.dynamic` warning at its position. Nesting, total size and binding chains are bounded.
//!
//! The oxc AST borrows an arena, so `Module` keeps the source text and each accessor re-parses it
//! (a few tens of microseconds for a typical config); every accessor is then bounded on its own.

mod eval;
mod scan;
#[cfg(test)]
mod tests;

use crate::diagnostics::Diagnostic;
use serde_json::Value;

/// Stack for the thread that parses and evaluates. Brackets are bounded by `scan` before oxc
/// runs, but oxc's recursive descent also recurses on prefix operators, `?:` chains and JSX
/// nesting, which the pre-scan does not measure; this reservation (virtual, touched on demand)
/// absorbs them.
const STACK_BYTES: usize = 256 << 20;

/// A parsed JS/TS module whose static parts can be read as JSON values.
#[derive(Debug, Clone)]
pub struct Module {
    file: String,
    kind: Kind,
}

#[derive(Debug, Clone)]
enum Kind {
    /// Syntax errors or too deep: every accessor answers `None`.
    Empty,
    /// A `.json` file, read with serde_json: it is its own default export.
    Json(Value),
    /// JS/TS source that parsed cleanly.
    Script { text: String, source_type: oxc_span::SourceType },
}

/// Parse `text` (the contents of `file`, whose extension selects JS, TS, JSX or JSON).
/// Syntax errors are `config.syntax` diagnostics and leave the module empty.
pub fn parse(file: &str, text: &str) -> (Module, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let empty = |diags| (Module { file: file.to_owned(), kind: Kind::Empty }, diags);
    if file.ends_with(".json") {
        return match serde_json::from_str::<Value>(text) {
            Ok(v) => (Module { file: file.to_owned(), kind: Kind::Json(v) }, diags),
            Err(e) => {
                diags.push(Diagnostic::warning(file, e.line() as u32, e.column() as u32, "config.syntax", format!("invalid JSON: {e}")));
                empty(diags)
            }
        };
    }
    if let Some(at) = scan::too_deep(text, eval::MAX_DEPTH) {
        let (line, col) = eval::Lines::new(text).line_col(at);
        diags.push(Diagnostic::warning(
            file,
            line,
            col,
            "config.too-deep",
            format!("brackets nest deeper than {} levels; the file is ignored", eval::MAX_DEPTH),
        ));
        return empty(diags);
    }
    let source_type = oxc_span::SourceType::from_path(file).unwrap_or_else(|_| oxc_span::SourceType::tsx());
    let ok = on_big_stack(file, &mut diags, |diags| {
        let alloc = oxc_allocator::Allocator::default();
        eval::parse_checked(file, text, source_type, &alloc, diags).is_some()
    });
    if ok != Some(true) {
        return empty(diags);
    }
    (Module { file: file.to_owned(), kind: Kind::Script { text: text.to_owned(), source_type } }, diags)
}

impl Module {
    /// The default export: `export default X`, `export { x as default }`, `module.exports = X`
    /// or `exports.default = X` (the last one in the file wins, as at run time).
    pub fn default_export(&self, diags: &mut Vec<Diagnostic>) -> Option<Value> {
        match &self.kind {
            Kind::Json(v) => Some(v.clone()),
            _ => self.run(diags, |ev, program| ev.default_export(program)),
        }
    }

    /// A named export: `export const name = …`, `export { x as name }`, `module.exports.name = …`
    /// or `exports.name = …`.
    pub fn export(&self, name: &str, diags: &mut Vec<Diagnostic>) -> Option<Value> {
        self.run(diags, |ev, program| ev.named_export(program, name))
    }

    /// The first argument of the first call to `callee` anywhere in the module (e.g. `starlight`), evaluated.
    pub fn call_argument(&self, callee: &str, diags: &mut Vec<Diagnostic>) -> Option<Value> {
        self.run(diags, |ev, program| ev.call_argument(program, callee))
    }

    /// Re-parse on a big stack and answer `f` with an evaluator over the module's bindings.
    fn run(
        &self,
        diags: &mut Vec<Diagnostic>,
        f: impl for<'a> FnOnce(&mut eval::Eval<'_, 'a>, &'a oxc_ast::ast::Program<'a>) -> Option<Value> + Send,
    ) -> Option<Value> {
        let Kind::Script { text, source_type } = &self.kind else { return None };
        let file = self.file.as_str();
        on_big_stack(file, diags, |diags| {
            let alloc = oxc_allocator::Allocator::default();
            let program = eval::parse_checked(file, text, *source_type, &alloc, diags)?;
            let program = alloc.alloc(program);
            let mut ev = eval::Eval::new(file, text, program, diags);
            f(&mut ev, program)
        })
        .flatten()
    }
}

/// One binding an `import` declaration makes: `local` names `imported` (`default` for a
/// default import, `*` for a namespace) of the module `source`, declared at byte `at`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportBinding {
    /// The local name.
    pub local: String,
    /// The exported name it refers to.
    pub imported: String,
    /// The module specifier as written.
    pub source: String,
    /// Byte offset of the declaration in the module text.
    pub at: usize,
}

/// The ESM of an MDX page: its import bindings and its `export const` names with their values
/// (`None` when dynamic; the byte offset of the declarator). Syntax errors are `config.syntax`
/// diagnostics (on `file`, at positions in `text`) and leave both empty.
pub fn esm(file: &str, text: &str, diags: &mut Vec<Diagnostic>) -> (Vec<ImportBinding>, Vec<(String, Option<Value>, usize)>) {
    let (module, d) = parse(file, text);
    diags.extend(d);
    let Kind::Script { .. } = &module.kind else { return Default::default() };
    let mut imports = Vec::new();
    let names = module.run(diags, |_, program| {
        let mut names = Vec::new();
        for stmt in &program.body {
            match stmt {
                oxc_ast::ast::Statement::ImportDeclaration(d) => {
                    for s in d.specifiers.iter().flatten() {
                        use oxc_ast::ast::ImportDeclarationSpecifier as S;
                        let (local, imported) = match s {
                            S::ImportSpecifier(s) => (s.local.name.to_string(), s.imported.name().to_string()),
                            S::ImportDefaultSpecifier(s) => (s.local.name.to_string(), "default".to_string()),
                            S::ImportNamespaceSpecifier(s) => (s.local.name.to_string(), "*".to_string()),
                        };
                        imports.push(ImportBinding { local, imported, source: d.source.value.to_string(), at: d.span.start as usize });
                    }
                }
                oxc_ast::ast::Statement::ExportDeclaration(e) => {
                    if let oxc_ast::ast::Declaration::VariableDeclaration(decl) = &e.declaration {
                        for d in &decl.declarations {
                            if let oxc_ast::ast::BindingPattern::BindingIdentifier(id) = &d.id {
                                names.push((id.name.to_string(), d.span.start as usize));
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        Some(Value::Array(names.into_iter().map(|(n, at)| serde_json::json!([n, at])).collect()))
    });
    let names: Vec<(String, usize)> = names.and_then(|v| serde_json::from_value(v).ok()).unwrap_or_default();
    let consts = names
        .into_iter()
        .map(|(name, at)| {
            let mut local = Vec::new();
            let v = module.export(&name, &mut local).filter(|_| local.is_empty());
            (name, v, at)
        })
        .collect();
    (imports, consts)
}

/// A JSX attribute expression (`[{ name: "a" }]`, `{ a: { type: "string" } }`, `` `text` ``)
/// read as JSON, when it is a literal through and through; `None` when any part is dynamic.
pub fn literal(expr: &str) -> Option<Value> {
    let text = format!("export default (\n{expr}\n);\n");
    let mut diags = Vec::new();
    let (module, _) = parse("expression.tsx", &text);
    let v = module.default_export(&mut diags)?;
    diags.is_empty().then_some(v)
}

/// Run `f` on a thread with [`STACK_BYTES`] of stack; a failure to start it, or a panic inside
/// (a bug in a dependency), becomes a diagnostic instead of unwinding into the caller.
fn on_big_stack<T: Send>(file: &str, diags: &mut Vec<Diagnostic>, f: impl FnOnce(&mut Vec<Diagnostic>) -> T + Send) -> Option<T> {
    let result = std::thread::scope(|s| {
        let handle = std::thread::Builder::new().stack_size(STACK_BYTES).spawn_scoped(s, || {
            let mut local = Vec::new();
            let v = f(&mut local);
            (v, local)
        });
        match handle {
            Ok(h) => h.join().map_err(|_| "the JS parser failed on this file"),
            Err(_) => Err("could not start a thread to parse this file"),
        }
    });
    match result {
        Ok((v, local)) => {
            diags.extend(local);
            Some(v)
        }
        Err(msg) => {
            diags.push(Diagnostic::warning(file, 0, 0, "config.syntax", msg));
            None
        }
    }
}
