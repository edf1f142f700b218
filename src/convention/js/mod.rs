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
