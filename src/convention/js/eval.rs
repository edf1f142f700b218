//! The evaluator: a static subset of JS expressions to JSON. Invariant: every recursive step is
//! charged to a depth limit and every value to a total budget, so hostile input ends with a
//! diagnostic; anything not a literal is `None` (shown as `null`) with one warning.

use crate::diagnostics::Diagnostic;
use oxc_allocator::Allocator;
use oxc_ast::ast::*;
use oxc_ast_visit::Visit;
use oxc_span::{GetSpan, SourceType, Span};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// Nesting limit for brackets (pre-scan) and for evaluated expressions (arrays, objects, JSX,
/// casts, parentheses, binding hops).
pub(super) const MAX_DEPTH: usize = 256;
/// Total budget of one accessor: one unit per value plus one per 64 bytes of string.
const MAX_UNITS: usize = 1_000_000;
/// Warnings of one accessor beyond this are summarised in one last warning.
const MAX_WARNINGS: usize = 100;

/// Parse `text`; syntax errors become `config.syntax` diagnostics and the answer `None`.
pub(super) fn parse_checked<'a>(
    file: &str,
    text: &'a str,
    source_type: SourceType,
    alloc: &'a Allocator,
    diags: &mut Vec<Diagnostic>,
) -> Option<Program<'a>> {
    let ret = oxc_parser::Parser::new(alloc, text, source_type).parse();
    let lines = Lines::new(text);
    let mut failed = ret.panicked;
    for err in ret.diagnostics.errors().take(10) {
        failed = true;
        let at = err.labels.first().map_or(0, |l| l.offset() as usize);
        let (line, col) = lines.line_col(at);
        diags.push(Diagnostic::warning(file, line, col, "config.syntax", err.message.to_string()));
    }
    if failed {
        if !diags.iter().any(|d| d.code == "config.syntax") {
            diags.push(Diagnostic::warning(file, 0, 0, "config.syntax", "the file could not be parsed"));
        }
        return None;
    }
    Some(ret.program)
}

/// Byte offset → 1-based line and column (in characters).
pub(super) struct Lines<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> Lines<'t> {
    pub(super) fn new(text: &'t str) -> Self {
        let starts = std::iter::once(0).chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1)).collect();
        Self { text, starts }
    }

    pub(super) fn line_col(&self, at: usize) -> (u32, u32) {
        let at = at.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= at) - 1;
        let start = self.starts[line];
        let col = self.text.get(start..at).map_or(at - start, |s| s.chars().count());
        (line as u32 + 1, col as u32 + 1)
    }
}

/// Evaluation state for one accessor over one parsed program.
pub(super) struct Eval<'d, 'a> {
    file: &'d str,
    text: &'a str,
    lines: Lines<'a>,
    /// Top-level `const`/`let`/`var name = init` (the last declaration of a name wins).
    bindings: HashMap<&'a str, &'a Expression<'a>>,
    /// Bindings being resolved, for cycle detection.
    resolving: Vec<&'a str>,
    depth: usize,
    units: usize,
    warnings: usize,
    diags: &'d mut Vec<Diagnostic>,
}

impl<'d, 'a> Eval<'d, 'a> {
    pub(super) fn new(file: &'d str, text: &'a str, program: &'a Program<'a>, diags: &'d mut Vec<Diagnostic>) -> Self {
        let mut bindings = HashMap::new();
        for stmt in &program.body {
            let decl = match stmt {
                Statement::VariableDeclaration(d) => d,
                Statement::ExportDeclaration(e) => match &e.declaration {
                    Declaration::VariableDeclaration(d) => d,
                    _ => continue,
                },
                _ => continue,
            };
            for d in &decl.declarations {
                if let (BindingPattern::BindingIdentifier(id), Some(init)) = (&d.id, &d.init) {
                    bindings.insert(id.name.as_str(), init);
                }
            }
        }
        Self { file, text, lines: Lines::new(text), bindings, resolving: Vec::new(), depth: 0, units: 0, warnings: 0, diags }
    }

    pub(super) fn default_export(&mut self, program: &'a Program<'a>) -> Option<Value> {
        let mut found: Option<Target<'a>> = None;
        for stmt in &program.body {
            match stmt {
                Statement::ExportDefaultDeclaration(d) => {
                    found = Some(match d.declaration.as_expression() {
                        Some(e) => Target::Expr(e),
                        None => Target::Dynamic(d.declaration.span()),
                    })
                }
                Statement::ExportNamedDeclaration(e) => {
                    if let Some(t) = self.specifier(e, "default") {
                        found = Some(t);
                    }
                }
                Statement::ExpressionStatement(s) => {
                    if let Some((path, value)) = assignment(&s.expression)
                        && matches!(path.as_slice(), ["module", "exports"] | ["exports", "default"] | ["module", "exports", "default"])
                    {
                        found = Some(Target::Expr(value));
                    }
                }
                _ => {}
            }
        }
        self.target(found?)
    }

    pub(super) fn named_export(&mut self, program: &'a Program<'a>, name: &str) -> Option<Value> {
        let mut found: Option<Target<'a>> = None;
        for stmt in &program.body {
            match stmt {
                Statement::ExportDeclaration(e) => {
                    if let Declaration::VariableDeclaration(decl) = &e.declaration {
                        for d in &decl.declarations {
                            if let BindingPattern::BindingIdentifier(id) = &d.id
                                && id.name == name
                            {
                                found = Some(d.init.as_ref().map_or(Target::Dynamic(d.span), Target::Expr));
                            }
                        }
                    }
                }
                Statement::ExportNamedDeclaration(e) => {
                    if let Some(t) = self.specifier(e, name) {
                        found = Some(t);
                    }
                }
                Statement::ExpressionStatement(s) => {
                    if let Some((path, value)) = assignment(&s.expression)
                        && matches!(path.as_slice(), ["module", "exports", n] | ["exports", n] if *n == name)
                    {
                        found = Some(Target::Expr(value));
                    }
                }
                _ => {}
            }
        }
        self.target(found?)
    }

    pub(super) fn call_argument(&mut self, program: &'a Program<'a>, callee: &str) -> Option<Value> {
        let mut finder = CallFinder { ev: self, callee, found: None };
        finder.visit_program(program);
        finder.found.flatten()
    }

    /// `export { local as exported }` with `exported == name`, as the local binding.
    fn specifier(&self, e: &'a ExportNamedDeclaration<'a>, name: &str) -> Option<Target<'a>> {
        let s = e.specifiers.iter().rev().find(|s| s.exported.name() == name)?;
        let local = s.local.name();
        Some(self.bindings.get(local.as_str()).map_or(Target::Dynamic(s.span), |e| Target::Expr(e)))
    }

    fn target(&mut self, t: Target<'a>) -> Option<Value> {
        match t {
            Target::Expr(e) => Some(self.eval(e).unwrap_or(Value::Null)),
            Target::Dynamic(span) => {
                self.dynamic(span, "is not a literal");
                Some(Value::Null)
            }
        }
    }

    /// Evaluate one expression; `None` means "not static", already reported.
    fn eval(&mut self, e: &Expression<'a>) -> Option<Value> {
        if self.units >= MAX_UNITS {
            return None;
        }
        self.units += 1;
        if self.units == MAX_UNITS {
            self.warn(e.span(), "config.too-large", format!("more than {MAX_UNITS} values; the rest is ignored"));
            return None;
        }
        if self.depth >= MAX_DEPTH {
            self.warn(e.span(), "config.too-deep", format!("expressions nest deeper than {MAX_DEPTH} levels; ignored"));
            return None;
        }
        self.depth += 1;
        let v = self.eval_inner(e);
        self.depth -= 1;
        v
    }

    fn eval_inner(&mut self, e: &Expression<'a>) -> Option<Value> {
        Some(match e {
            Expression::NullLiteral(_) => Value::Null,
            Expression::BooleanLiteral(b) => Value::Bool(b.value),
            Expression::NumericLiteral(n) => number(n.value)?,
            Expression::StringLiteral(s) => self.string(s.value.as_str()),
            Expression::TemplateLiteral(t) => match t.single_quasi() {
                Some(s) => self.string(s.as_str()),
                None => return self.dynamic(t.span, "has substitutions"),
            },
            Expression::UnaryExpression(u) if u.operator == UnaryOperator::UnaryNegation => match self.eval(&u.argument)?.as_f64() {
                Some(n) => number(-n)?,
                None => return self.dynamic(u.span, "negates a value that is not a number"),
            },
            Expression::ParenthesizedExpression(p) => return self.eval(&p.expression),
            Expression::TSAsExpression(x) => return self.eval(&x.expression),
            Expression::TSSatisfiesExpression(x) => return self.eval(&x.expression),
            Expression::TSTypeAssertion(x) => return self.eval(&x.expression),
            Expression::TSNonNullExpression(x) => return self.eval(&x.expression),
            Expression::TSInstantiationExpression(x) => return self.eval(&x.expression),
            Expression::Identifier(id) => return self.identifier(id),
            Expression::ArrayExpression(a) => self.array(a),
            Expression::ObjectExpression(o) => self.object(o),
            Expression::JSXElement(el) => Value::String(self.jsx_children(&el.children)),
            Expression::JSXFragment(f) => Value::String(self.jsx_children(&f.children)),
            // Both branches may be static, but which one runs is not: keep it dynamic.
            Expression::ConditionalExpression(c) => {
                let test = self.snippet(c.test.span());
                return self.dynamic_msg(c.span, format!("`{test} ? … : …` is not a literal; ignored"));
            }
            _ => return self.dynamic(e.span(), "is not a literal"),
        })
    }

    fn identifier(&mut self, id: &IdentifierReference<'a>) -> Option<Value> {
        let name = id.name.as_str();
        if name == "undefined" {
            return Some(Value::Null);
        }
        let Some(&init) = self.bindings.get(name) else {
            return self.dynamic(id.span, "is not a constant of this file");
        };
        if self.resolving.contains(&name) {
            return self.dynamic_msg(id.span, format!("`{name}` is defined through itself; ignored"));
        }
        self.resolving.push(name);
        let v = self.eval(init);
        self.resolving.pop();
        v
    }

    fn array(&mut self, a: &ArrayExpression<'a>) -> Value {
        let mut out = Vec::with_capacity(a.elements.len());
        for el in &a.elements {
            match el {
                ArrayExpressionElement::SpreadElement(s) => match self.eval(&s.argument) {
                    Some(Value::Array(items)) => out.extend(items),
                    Some(_) => _ = self.dynamic(s.span, "spreads a value that is not an array"),
                    None => {}
                },
                ArrayExpressionElement::Elision(_) => out.push(Value::Null),
                _ => out.push(el.as_expression().and_then(|e| self.eval(e)).unwrap_or(Value::Null)),
            }
        }
        Value::Array(out)
    }

    fn object(&mut self, o: &ObjectExpression<'a>) -> Value {
        let mut out = Map::new();
        for prop in &o.properties {
            match prop {
                ObjectPropertyKind::SpreadProperty(s) => match self.eval(&s.argument) {
                    Some(Value::Object(m)) => out.extend(m),
                    Some(_) => _ = self.dynamic(s.span, "spreads a value that is not an object"),
                    None => {}
                },
                ObjectPropertyKind::ObjectProperty(p) => {
                    let key = if p.computed {
                        match p.key.as_expression().and_then(|k| self.eval(k)) {
                            Some(Value::String(s)) => Some(s),
                            Some(Value::Number(n)) => Some(n.to_string()),
                            Some(_) => self.dynamic(p.key.span(), "is not a string key").and(None),
                            None => None,
                        }
                    } else {
                        p.key.static_name().map(|k| k.into_owned())
                    };
                    let Some(key) = key else { continue };
                    let value = if p.method || p.kind != PropertyKind::Init {
                        self.dynamic(p.span, "is a function").unwrap_or(Value::Null)
                    } else {
                        self.eval(&p.value).unwrap_or(Value::Null)
                    };
                    out.insert(key, value);
                }
            }
        }
        Value::Object(out)
    }

    /// The text a JSX element renders, with React's whitespace rule for text children.
    fn jsx_children(&mut self, children: &[JSXChild<'a>]) -> String {
        let mut out = String::new();
        for child in children {
            if self.depth >= MAX_DEPTH || self.units >= MAX_UNITS {
                _ = self.eval_limits(child.span());
                break;
            }
            self.units += 1;
            match child {
                JSXChild::Text(t) => jsx_text(t.value.as_str(), &mut out),
                JSXChild::Element(el) => {
                    self.depth += 1;
                    let s = self.jsx_children(&el.children);
                    self.depth -= 1;
                    out.push_str(&s);
                }
                JSXChild::Fragment(f) => {
                    self.depth += 1;
                    let s = self.jsx_children(&f.children);
                    self.depth -= 1;
                    out.push_str(&s);
                }
                JSXChild::ExpressionContainer(c) => match c.expression.as_expression().and_then(|e| self.eval(e)) {
                    Some(Value::String(s)) => out.push_str(&s),
                    Some(Value::Number(n)) => out.push_str(&n.to_string()),
                    _ => {}
                },
                JSXChild::Spread(s) => _ = self.dynamic(s.span, "is not a literal"),
            }
        }
        out
    }

    /// Report whichever limit stopped JSX text (the same diagnostics `eval` gives).
    fn eval_limits(&mut self, span: Span) -> Option<Value> {
        if self.depth >= MAX_DEPTH {
            self.warn(span, "config.too-deep", format!("expressions nest deeper than {MAX_DEPTH} levels; ignored"));
        }
        None
    }

    fn string(&mut self, s: &str) -> Value {
        self.units += s.len() / 64;
        Value::String(s.to_owned())
    }

    fn dynamic(&mut self, span: Span, why: &str) -> Option<Value> {
        let what = self.snippet(span);
        self.dynamic_msg(span, format!("`{what}` {why}; ignored"))
    }

    fn dynamic_msg(&mut self, span: Span, msg: String) -> Option<Value> {
        self.warn(span, "config.dynamic", msg);
        None
    }

    fn warn(&mut self, span: Span, code: &'static str, msg: String) {
        self.warnings += 1;
        if self.warnings > MAX_WARNINGS + 1 {
            return;
        }
        let (line, col) = self.lines.line_col(span.start as usize);
        let msg =
            if self.warnings > MAX_WARNINGS { "further values that are not literals are ignored without a warning".into() } else { msg };
        self.diags.push(Diagnostic::warning(self.file, line, col, code, msg));
    }

    /// The first line of the source of `span`, at most 60 characters.
    fn snippet(&self, span: Span) -> String {
        let src = self.text.get(span.start as usize..span.end as usize).unwrap_or("");
        let first = src.lines().next().unwrap_or("");
        let short: String = first.chars().take(60).collect();
        if short.len() < src.len() { format!("{short}…") } else { short }
    }
}

/// What an export names: an expression, or a declaration that is not one (a function, a class).
#[derive(Clone, Copy)]
enum Target<'a> {
    Expr(&'a Expression<'a>),
    Dynamic(Span),
}

/// `a.b.c = value` as (`["a", "b", "c"]`, value).
fn assignment<'a>(e: &'a Expression<'a>) -> Option<(Vec<&'a str>, &'a Expression<'a>)> {
    let Expression::AssignmentExpression(a) = e else { return None };
    if a.operator != AssignmentOperator::Assign {
        return None;
    }
    let mut path = Vec::new();
    let mut m = a.left.as_member_expression()?;
    loop {
        path.push(m.static_property_name()?);
        match m.object().without_parentheses() {
            Expression::Identifier(id) => {
                path.push(id.name.as_str());
                break;
            }
            other => m = other.as_member_expression()?,
        }
        if path.len() > 3 {
            return None;
        }
    }
    path.reverse();
    Some((path, &a.right))
}

fn number(n: f64) -> Option<Value> {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        return Some(Value::from(n as i64));
    }
    serde_json::Number::from_f64(n).map(Value::Number)
}

/// Append JSX text the way React renders it: lines trimmed, blank lines dropped, the remaining
/// lines joined by one space; the common character references decoded.
fn jsx_text(raw: &str, out: &mut String) {
    let lines: Vec<&str> = raw.split('\n').collect();
    let last = lines.len() - 1;
    let mut first_kept = true;
    for (i, line) in lines.iter().enumerate() {
        let mut l = *line;
        if i > 0 {
            l = l.trim_start();
        }
        if i < last {
            l = l.trim_end();
        }
        if l.is_empty() && lines.len() > 1 {
            continue;
        }
        if !first_kept {
            out.push(' ');
        }
        first_kept = false;
        decode_entities(l, out);
    }
}

fn decode_entities(s: &str, out: &mut String) {
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest[..rest.len().min(12)].find(';');
        let decoded = end.and_then(|end| {
            let name = &rest[1..end];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ => name
                    .strip_prefix('#')
                    .and_then(|n| match n.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok(),
                        None => n.parse().ok(),
                    })
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
}

/// Finds the first call to `callee` in source order and evaluates its first argument.
struct CallFinder<'e, 'd, 'a, 'c> {
    ev: &'e mut Eval<'d, 'a>,
    callee: &'c str,
    found: Option<Option<Value>>,
}

impl<'a> Visit<'a> for CallFinder<'_, '_, 'a, '_> {
    fn visit_call_expression(&mut self, it: &CallExpression<'a>) {
        if self.found.is_some() {
            return;
        }
        if let Expression::Identifier(id) = it.callee.without_parentheses()
            && id.name == self.callee
        {
            self.found = Some(match it.arguments.first() {
                None => None,
                Some(Argument::SpreadElement(s)) => self.ev.dynamic(s.span, "is not a literal").or(Some(Value::Null)),
                Some(arg) => Some(arg.as_expression().and_then(|e| self.ev.eval(e)).unwrap_or(Value::Null)),
            });
            return;
        }
        oxc_ast_visit::walk::walk_call_expression(self, it);
    }
}
