use super::*;
use serde_json::json;

fn default_of(file: &str, src: &str) -> (Option<Value>, Vec<Diagnostic>) {
    let (m, mut d) = parse(file, src);
    let v = m.default_export(&mut d);
    (v, d)
}

fn codes(d: &[Diagnostic]) -> Vec<&str> {
    d.iter().map(|d| d.code).collect()
}

#[test]
fn commonjs_sidebars() {
    let src =
        "// @ts-check\nmodule.exports = { docs: ['a', {type: 'category', label: 'B', items: ['b/x'], collapsed: true, n: -2, f: 1.5}] };";
    let (v, d) = default_of("sidebars.js", src);
    assert_eq!(v, Some(json!({"docs": ["a", {"type": "category", "label": "B", "items": ["b/x"], "collapsed": true, "n": -2, "f": 1.5}]})));
    assert!(d.is_empty(), "{d:?}");
}

#[test]
fn ts_satisfies_and_binding_default() {
    let src = "import type {SidebarsConfig} from '@docusaurus/plugin-content-docs';\ninterface X { a: string }\nconst sidebars: SidebarsConfig = { s: [`tpl`, 'x' as string, (null)!, <any>'y'] };\nexport default sidebars;";
    let (v, d) = default_of("sidebars.ts", src);
    assert_eq!(v, Some(json!({"s": ["tpl", "x", null, "y"]})));
    assert!(d.is_empty(), "{d:?}");
    let (v, _) = default_of("sidebars.ts", "export default { a: [1] } satisfies SidebarsConfig;");
    assert_eq!(v, Some(json!({"a": [1]})));
    let (v, _) = default_of("a.ts", "const x = {a: 1}; export { x as default };");
    assert_eq!(v, Some(json!({"a": 1})));
    let (v, _) = default_of("a.js", "exports.default = 'z';");
    assert_eq!(v, Some(json!("z")));
}

#[test]
fn starlight_call_argument_and_named_export() {
    let src = "import { defineConfig } from 'astro/config';\nimport starlight from '@astrojs/starlight';\n\
        export const locales = { root: { label: 'English', lang: 'en' }, 'zh-cn': { label: '简体中文' } };\n\
        const site = process.env.SITE || 'x';\n\
        export default defineConfig({ site, integrations: [starlight({ title: 'S', locales, defaultLocale: 'root', sidebar: [{ label: 'A', autogenerate: { directory: 'a' } }] })] });";
    let (m, d) = parse("astro.config.mjs", src);
    assert!(d.is_empty());
    let mut d = Vec::new();
    let sl = m.call_argument("starlight", &mut d).unwrap();
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(sl["title"], "S");
    assert_eq!(sl["locales"]["zh-cn"]["label"], "简体中文");
    assert_eq!(sl["sidebar"][0]["autogenerate"]["directory"], "a");
    assert_eq!(m.export("locales", &mut d).unwrap()["root"]["lang"], "en");
    assert_eq!(m.export("nope", &mut d), None);
    assert_eq!(m.call_argument("nope", &mut d), None);
    // The default export is a call: dynamic, one warning at its position.
    let v = m.default_export(&mut d);
    assert_eq!(v, Some(Value::Null));
    assert_eq!(codes(&d), ["config.dynamic"]);
    assert_eq!((d[0].line, d[0].col), (5, 16));
}

#[test]
fn nextra_meta_with_jsx() {
    let src = "import type { MetaRecord } from 'nextra'\nconst G: MetaRecord = { index: '', ai: { title: <span className=\"badge\">Ask AI</span> } }\n\
        export default {\n  a: 'Title',\n  g: G,\n  b: { title: <>\n    New <b>stuff</b>{' '}&amp; more{1}\n  </>, type: 'page', display: 'hidden' },\n  ['c' + '']: 1,\n  [`d`]: 2,\n} satisfies MetaRecord";
    let (v, d) = default_of("_meta.global.tsx", src);
    let v = v.unwrap();
    assert_eq!(v["a"], "Title");
    assert_eq!(v["g"]["ai"]["title"], "Ask AI");
    assert_eq!(v["b"]["title"], "New stuff & more1");
    assert_eq!(v["d"], 2);
    assert!(v.get("c").is_none());
    assert_eq!(codes(&d), ["config.dynamic"]);
}

#[test]
fn spreads_and_undefined() {
    let src = "const base = ['a']; const o = {x: 1}; module.exports = { s: [...base, 'b', , undefined], o: {...o, y: 2}, bad: [...f()], k: 0x10 };";
    let (v, d) = default_of("s.js", src);
    assert_eq!(v, Some(json!({"s": ["a", "b", null, null], "o": {"x": 1, "y": 2}, "bad": [], "k": 16})));
    assert_eq!(codes(&d), ["config.dynamic"]);
}

#[test]
fn dynamic_values_are_null_with_one_warning_each() {
    let src = "module.exports = { a: process.env.CHECK_LINKS ? 'x' : 'y', b: require('./x'), c: `a${b}`, d: unknownName, e() {}, f: 1 };";
    let (v, d) = default_of("s.js", src);
    assert_eq!(v, Some(json!({"a": null, "b": null, "c": null, "d": null, "e": null, "f": 1})));
    assert_eq!(codes(&d), ["config.dynamic"; 5]);
    assert_eq!(d[0].message, "`process.env.CHECK_LINKS ? … : …` is not a literal; ignored");
    assert_eq!((d[0].line, d[0].col), (1, 23));
}

#[test]
fn not_an_object_and_json() {
    assert_eq!(default_of("a.js", "export default 42").0, Some(json!(42)));
    assert_eq!(default_of("a.js", "const a = 1;").0, None);
    let (v, d) = default_of("_category_.json", r#"{"label": "Guides", "position": 2}"#);
    assert_eq!(v, Some(json!({"label": "Guides", "position": 2})));
    assert!(d.is_empty());
    let (v, d) = default_of("_category_.json", "{\n  \"label\": }");
    assert_eq!(v, None);
    assert_eq!((codes(&d)[0], d[0].line), ("config.syntax", 2));
}

#[test]
fn syntax_error_is_positioned_and_module_empty() {
    let (m, d) = parse("sidebars.js", "module.exports = {\n  a: [1,\n  b: }");
    assert_eq!(codes(&d)[0], "config.syntax");
    assert_eq!(d[0].line, 3);
    assert!(d[0].col > 0);
    let mut d = Vec::new();
    assert_eq!(m.default_export(&mut d), None);
    assert!(d.is_empty());
}

#[test]
fn binding_cycles_are_reported() {
    let (v, d) = default_of("a.js", "const a = b; const b = [a]; export default a;");
    assert_eq!(v, Some(json!([null])));
    assert_eq!(codes(&d), ["config.dynamic"]);
    assert!(d[0].message.contains("through itself"), "{}", d[0].message);
}

#[test]
fn deep_brackets_are_refused_before_parsing() {
    for n in [10_000, 100_000] {
        let src = format!("export default {}{}", "[".repeat(n), "]".repeat(n));
        let (m, d) = parse("a.js", &src);
        assert_eq!(codes(&d), ["config.too-deep"]);
        assert_eq!(m.default_export(&mut Vec::new()), None);
    }
    // Brackets inside strings, comments and templates do not count.
    let src = format!("// {}\nexport default ['{}', `{}${{ [1] }}`]", "[".repeat(1000), "[".repeat(1000), "[".repeat(1000));
    let (v, d) = default_of("a.js", &src);
    assert!(d.iter().all(|d| d.code != "config.too-deep"), "{d:?}");
    assert_eq!(v.unwrap()[0].as_str().unwrap().len(), 1000);
}

#[test]
fn deep_expressions_without_brackets_are_bounded() {
    // `as` chains, unary chains and JSX do not nest brackets; the evaluator's limit stops them.
    let casts = format!("export default 1{}", " as any".repeat(10_000));
    let (v, d) = default_of("a.ts", &casts);
    assert_eq!(v, Some(Value::Null));
    assert_eq!(codes(&d), ["config.too-deep"]);
    let neg = format!("export default {}1", "- ".repeat(10_000));
    assert_eq!(codes(&default_of("a.js", &neg).1), ["config.too-deep"]);
    let jsx = format!("export default {}x{}", "<b>".repeat(10_000), "</b>".repeat(10_000));
    let (v, d) = default_of("a.jsx", &jsx);
    assert!(v.unwrap().is_string());
    assert_eq!(codes(&d), ["config.too-deep"]);
    let chain: String = (0..1000).map(|i| format!("const a{i} = a{};\n", i + 1)).collect();
    let (_, d) = default_of("a.js", &format!("{chain}export default a0;"));
    assert_eq!(codes(&d), ["config.too-deep"]);
}

#[test]
fn total_size_is_bounded() {
    // 2^30 values by doubling through bindings; stopped by the budget.
    let mut src = String::from("const a0 = [1, 1];\n");
    for i in 1..30 {
        src += &format!("const a{i} = [a{0}, a{0}];\n", i - 1);
    }
    src += "export default a29;";
    let (v, d) = default_of("a.js", &src);
    assert!(v.is_some());
    assert_eq!(codes(&d), ["config.too-large"]);
}

#[test]
fn huge_string_is_read() {
    let big = "x".repeat(10 << 20);
    let (v, d) = default_of("a.js", &format!("export default {{ t: '{big}' }}"));
    assert!(d.is_empty());
    assert_eq!(v.unwrap()["t"].as_str().map(str::len), Some(10 << 20));
}

#[test]
fn many_warnings_are_capped() {
    let src = format!("export default [{}]", "f(),".repeat(1000));
    let (_, d) = default_of("a.js", &src);
    assert_eq!(d.len(), 101);
}

#[test]
fn sidebar_of_300_lines_parses() {
    // A realistic size for the timing figure in the report (run with --nocapture to time manually).
    let mut src = String::from("module.exports = { docs: [\n");
    for i in 0..60 {
        src += &format!("  {{\n    type: 'category',\n    label: 'Section {i}',\n    items: ['s{i}/a', 's{i}/b'],\n  }},\n");
    }
    src += "]};\n";
    let (m, d) = parse("sidebars.js", &src);
    assert!(d.is_empty());
    let v = m.default_export(&mut Vec::new()).unwrap();
    assert_eq!(v["docs"].as_array().map(Vec::len), Some(60));
}

proptest::proptest! {
    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..400)) {
        let text = String::from_utf8_lossy(&bytes);
        for file in ["a.js", "a.tsx", "a.json"] {
            let (m, mut d) = parse(file, &text);
            let _ = m.default_export(&mut d);
            let _ = m.call_argument("f", &mut d);
        }
    }

    #[test]
    fn random_nesting_never_panics(pieces in proptest::collection::vec(proptest::sample::select(vec!["[", "]", "{", "}", "(", ")", "a:", "1,", "'s'", "<b>", "</b>", "...", "-", "`", "${", "x", " as T", "?", ":"]), 0..600)) {
        let text = format!("export default {}", pieces.concat());
        let (m, mut d) = parse("a.tsx", &text);
        let _ = m.default_export(&mut d);
        let _ = m.call_argument("x", &mut d);
    }
}
