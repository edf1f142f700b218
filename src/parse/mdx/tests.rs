//! Tests of the MDX layer: every construct of DIALECT §6, the error cases with positions,
//! limits (depth, size, random input) and the real corpus when it is present.

use super::*;

fn t(i: usize) -> String {
    slot_token(i)
}

/// Parse from file line 1 and check the line-structure invariant on every level.
#[track_caller]
fn p(body: &str) -> (MdxDoc, Vec<MdxError>) {
    let (doc, errs) = parse(body, 1);
    assert_eq!(doc.markdown.split('\n').count(), body.split('\n').count(), "line count changed:\n{}", doc.markdown);
    (doc, errs)
}

/// `line:col code` of each problem.
fn codes(errs: &[MdxError]) -> Vec<String> {
    errs.iter().map(|e| format!("{}:{} {}", e.line, e.col, e.code)).collect()
}

fn count(doc: &MdxDoc) -> usize {
    doc.elements.iter().map(|e| 1 + e.children.as_ref().map_or(0, count)).sum()
}

fn attr<'a>(el: &'a Element, name: &str) -> &'a AttrValue {
    &el.attrs.iter().find(|a| a.name == name).unwrap_or_else(|| panic!("no attribute {name}")).value
}

fn kids(el: &Element) -> &MdxDoc {
    el.children.as_ref().expect("element has children")
}

#[test]
fn multi_line_code_block_with_lone_gt_then_thematic_break() {
    let body = "Intro.\n\n<CodeBlock\n  title=\"Callback\"\n  file=\"callback-endpoint\"\n>\n  <CodeBlockTab language=\"js\" file=\"cb-js\" title=\"Node\" />\n  <CodeBlockTab\n    file=\"cb-rb\"\n    title=\"Ruby\"\n  />\n</CodeBlock>\n---\n\n## Next\n";
    let (doc, errs) = p(body);
    assert!(errs.is_empty(), "{errs:?}");
    let want = format!("Intro.\n\n{}\n\n\n\n\n\n\n\n\n\n---\n\n## Next\n", t(0));
    assert_eq!(doc.markdown, want);
    let cb = &doc.elements[0];
    assert_eq!((cb.name.as_str(), cb.line, cb.col, cb.inline), ("CodeBlock", 3, 1, false));
    assert_eq!(attr(cb, "title"), &AttrValue::Str("Callback".into()));
    assert_eq!((cb.attrs[1].name.as_str(), cb.attrs[1].line, cb.attrs[1].col), ("file", 5, 3));
    let c = kids(cb);
    assert_eq!((c.first_line, c.col_offset), (7, 2));
    assert_eq!(c.markdown, format!("{}\n{}\n\n\n", t(0), t(1)));
    assert_eq!(c.elements[1].name, "CodeBlockTab");
    assert_eq!((c.elements[1].line, c.elements[1].col), (8, 3));
    assert!(c.elements[1].children.is_none());
    assert_eq!(attr(&c.elements[0], "language"), &AttrValue::Str("js".into()));
}

#[test]
fn event_nesting() {
    let body = "<Event.Root mt=\"5\">\n  <Event.Details name=\"connection.activated\" comingSoon>\n    <CodeBlock title=\"Activated\" file=\"event-activated\" />\n    <Event.Description>\n      Payload `data` is a [Connection](/reference/sso/connection)\n      object.\n    </Event.Description>\n  </Event.Details>\n  <Event.Description>\n    Triggered when a connection is activated.\n  </Event.Description>\n</Event.Root>\n";
    let (doc, errs) = p(body);
    assert!(errs.is_empty(), "{errs:?}");
    assert_eq!(count(&doc), 5);
    let root = &doc.elements[0];
    assert_eq!(root.name, "Event.Root");
    let r = kids(root);
    assert_eq!(r.elements.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(), ["Event.Details", "Event.Description"]);
    let details = &r.elements[0];
    assert_eq!(attr(details, "comingSoon"), &AttrValue::Bool);
    assert_eq!(attr(details, "name"), &AttrValue::Str("connection.activated".into()));
    let d = kids(details);
    assert_eq!(d.markdown, format!("{}\n{}\n\n\n", t(0), t(1)));
    let note = kids(&d.elements[1]);
    assert_eq!(note.markdown, "Payload `data` is a [Connection](/reference/sso/connection)\nobject.");
    assert_eq!((note.first_line, note.col_offset), (5, 6));
    let summary = kids(&r.elements[1]);
    assert_eq!((summary.markdown.as_str(), summary.first_line), ("Triggered when a connection is activated.", 10));
}

#[test]
fn language_selector_with_array_expression() {
    let body = "<LanguageSelector languages={['js', 'go']}>\n  Install the SDK using the command below.\n\n  <CodeBlock title=\"Install\" file=\"install-sdk\">\n    <CodeBlockTab language=\"js\" file=\"install-sdk-npm\" title=\"npm\" />\n    <CodeBlockTab language=\"js\" file=\"install-sdk-yarn\" title=\"Yarn\" />\n  </CodeBlock>\n</LanguageSelector>\n\n### Set objects\n";
    let (doc, errs) = p(body);
    assert!(errs.is_empty(), "{errs:?}");
    let ls = &doc.elements[0];
    assert_eq!(attr(ls, "languages"), &AttrValue::Expr("['js', 'go']".into()));
    let c = kids(ls);
    assert_eq!(c.markdown, format!("Install the SDK using the command below.\n\n{}\n\n\n", t(0)));
    assert_eq!(kids(&c.elements[0]).elements.len(), 2);
    assert!(doc.markdown.ends_with("\n\n### Set objects\n"));
}

#[test]
fn div_with_markdown_list_and_style_template() {
    let body = "<style>{`\n .tight-bullets p {\n    margin-bottom: var(--space-2);\n  }\n`}</style>\n\n<div class=\"tight-bullets\">\n\n- **Usage:** one\n- **Other:** two\n\n</div>\n";
    let (doc, errs) = p(body);
    assert!(errs.is_empty(), "{errs:?}");
    let style = &doc.elements[0];
    assert_eq!(style.name, "style");
    assert_eq!(style.expression_child.as_deref(), Some("\n .tight-bullets p {\n    margin-bottom: var(--space-2);\n  }\n"));
    assert_eq!(kids(style).markdown, "");
    let div = &doc.elements[1];
    assert_eq!(attr(div, "class"), &AttrValue::Str("tight-bullets".into()));
    assert_eq!(kids(div).markdown, "\n- **Usage:** one\n- **Other:** two\n");
    assert_eq!(kids(div).first_line, 8);
    assert_eq!(doc.markdown, format!("{}\n\n\n\n\n\n{}\n\n\n\n\n\n", t(0), t(1)));
}

#[test]
fn jsx_inside_list_items() {
    let body = "- | Tab one\n\n  Text.\n\n  <CodeBlock\n    file=\"a\"\n    title=\"b\"\n  />\n\n  - $ frontend=\"nextjs\"\n\n    <CodeBlock file=\"c\" />\n- <Small>x</Small>\n";
    let (doc, errs) = p(body);
    assert!(errs.is_empty(), "{errs:?}");
    let lines: Vec<&str> = doc.markdown.split('\n').collect();
    assert_eq!(lines[4], format!("  {}", t(0)));
    assert_eq!(&lines[5..8], ["", "", ""]);
    assert_eq!(lines[11], format!("    {}", t(1)));
    assert_eq!(lines[12], format!("- {}", t(2)));
    let cols: Vec<_> = doc.elements.iter().map(|e| (e.line, e.col, e.inline)).collect();
    assert_eq!(cols, [(5, 3, false), (12, 5, false), (13, 3, false)]);
}

#[test]
fn fences_and_code_spans_are_not_scanned() {
    let body = "```html\n<CodeBlock>\nimport x from 'y';\n```\n\n  ~~~jsx\n  <Box>{/* highlight-start */}</Box>\n  ~~~\n\n````md\n```\n<Foo>\n````\n\nUse `<UserProfile />` or ``<A>`b` `` or `multi\nline <Foo>` here, \\<Foo> too.\n";
    let (doc, errs) = p(body);
    assert!(errs.is_empty(), "{errs:?}");
    assert!(doc.elements.is_empty());
    assert_eq!(doc.markdown, body);
}

#[test]
fn inline_elements() {
    let body = "- ### `dsync.deleted` <Small>A connection is deleted.</Small>\n\n## Title <Small>x</Small> and <Small>y</Small>\n\n<Small>lead</Small> trailing text\n";
    let (doc, errs) = p(body);
    assert!(errs.is_empty(), "{errs:?}");
    let want = format!("- ### `dsync.deleted` {}\n\n## Title {} and {}\n\n{} trailing text\n", t(0), t(1), t(2), t(3));
    assert_eq!(doc.markdown, want);
    assert!(doc.elements.iter().all(|e| e.inline));
    assert_eq!((doc.elements[0].line, doc.elements[0].col), (1, 23));
    assert_eq!(kids(&doc.elements[0]).markdown, "A connection is deleted.");
    assert_eq!(kids(&doc.elements[2]).markdown, "y");
}

#[test]
fn content_on_the_tag_lines() {
    let body = "<GlossaryMarker>A</GlossaryMarker>\n\n<Event.Description>text\n  more\n</Event.Description>\n";
    let (doc, errs) = p(body);
    assert!(errs.is_empty(), "{errs:?}");
    assert_eq!(doc.markdown, format!("{}\n\n{}\n\n\n", t(0), t(1)));
    assert!(!doc.elements[0].inline);
    assert_eq!(kids(&doc.elements[0]).markdown, "A");
    let d = kids(&doc.elements[1]);
    assert_eq!((d.markdown.as_str(), d.first_line, d.col_offset), ("text\nmore", 3, 2));
}

#[test]
fn attribute_forms() {
    let body = "<ExampleApps.Card\n  href='https://github.com/x/y'\n  title=\"Node.js app\u{a0}demo\"\n  icons={externalAssets.providerIcons}\n  style={{ a: \"}\", b: `x${1}` }}\n  flag\n/>\n";
    let (doc, errs) = p(body);
    assert!(errs.is_empty(), "{errs:?}");
    let el = &doc.elements[0];
    assert_eq!(attr(el, "href"), &AttrValue::Str("https://github.com/x/y".into()));
    assert_eq!(attr(el, "title"), &AttrValue::Str("Node.js app\u{a0}demo".into()));
    assert_eq!(attr(el, "icons"), &AttrValue::Expr("externalAssets.providerIcons".into()));
    assert_eq!(attr(el, "style"), &AttrValue::Expr("{ a: \"}\", b: `x${1}` }".into()));
    assert_eq!(attr(el, "flag"), &AttrValue::Bool);
    assert!(el.children.is_none());
}

#[test]
fn html_tags_and_text_that_is_not_a_tag() {
    let body = "a < b, <3, <https://x.com>, <T,U>, <foo>, x <!-- <Foo> --> y\n\n<br>\n<img src=\"a.png\">\n<my-widget on />\n";
    let (doc, errs) = p(body);
    assert!(errs.is_empty(), "{errs:?}");
    let names: Vec<_> = doc.elements.iter().map(|e| (e.name.as_str(), e.children.is_none())).collect();
    assert_eq!(names, [("br", true), ("img", true), ("my-widget", true)]);
    assert!(doc.markdown.starts_with("a < b, <3, <https://x.com>, <T,U>, <foo>, x <!-- <Foo> --> y\n"));
}

#[test]
fn jsx_comments_and_esm_are_blanked() {
    let body = "import X from 'x'\nexport const a = {\n  b: 1 }\n\na {/* c */} b\n{/*\nmulti\n*/}\n\nimport the data first.\n\n  export const not = 1\n";
    let (doc, errs) = p(body);
    assert!(errs.is_empty(), "{errs:?}");
    assert_eq!(doc.markdown, "\n\n\n\na           b\n   \n     \n   \n\nimport the data first.\n\n  export const not = 1\n");
}

#[test]
fn prose_expression_is_a_warning_and_heading_suffix_is_not() {
    let body = "## Intro {{ \"visibility\": \"no-quick-nav\" }}\n\nHello {name}!\n\nOpen { brace\n";
    let (doc, errs) = p(body);
    assert_eq!(codes(&errs), ["3:7 mdx.expression-unsupported", "5:6 mdx.expression-unsupported"]);
    assert!(errs.iter().all(|e| !e.is_error()));
    assert_eq!(doc.markdown, body.replace("{name}", "      "));
}

#[test]
fn unclosed_element_becomes_self_closing() {
    let body = "text\n\n  <Foo a=\"1\">\n\nbody <Small>x</Small>\n";
    let (doc, errs) = p(body);
    assert_eq!(codes(&errs), ["3:3 mdx.unclosed"]);
    assert_eq!(errs[0].message, "<Foo> is never closed; it is treated as self-closing");
    assert_eq!(errs[0].hint.as_deref(), Some("add </Foo>"));
    assert!(errs[0].is_error());
    assert_eq!(doc.elements.len(), 2);
    assert!(doc.elements[0].children.is_none());
    assert_eq!(doc.markdown, format!("text\n\n  {}\n\nbody {}\n", t(0), t(1)));
}

#[test]
fn mismatched_and_stray_closing_tags() {
    let (doc, errs) = p("<A>\n  <B>\n  text\n</A>\n");
    assert_eq!(codes(&errs), ["4:1 mdx.mismatched-close"]);
    assert!(errs[0].message.contains("</A>") && errs[0].message.contains("<B>"), "{}", errs[0].message);
    let a = kids(&doc.elements[0]);
    assert_eq!(a.markdown, format!("{}\ntext", t(0)));
    assert!(a.elements[0].children.is_none());

    let (doc, errs) = p("<A>\n</B>\n</A>\n");
    assert_eq!(codes(&errs), ["2:1 mdx.mismatched-close"]);
    assert_eq!(kids(&doc.elements[0]).markdown, "</B>");

    let (doc, errs) = p("x\n\n  </Foo>\n");
    assert_eq!(codes(&errs), ["3:3 mdx.unexpected-close"]);
    assert_eq!(doc.markdown, "x\n\n  </Foo>\n");
}

#[test]
fn malformed_tags_and_expressions() {
    let cases = [
        ("<Foo bar=baz />\n", "1:10 mdx.bad-tag"),
        ("ok\n<Foo \"x\" />\n", "2:6 mdx.bad-tag"),
        ("<Foo a=\"x />\n", "1:8 mdx.bad-tag"),
        ("<Foo {...props} />\n", "1:6 mdx.bad-tag"),
        ("<Foo /x>\n", "1:6 mdx.bad-tag"),
        ("<Foo\n  a=\"1\"\n", "1:1 mdx.bad-tag"),
        ("</Foo x>\n", "1:7 mdx.bad-tag"),
        ("<Foo a={[1, 2} />\n", "1:8 mdx.unclosed-expression"),
        ("\n  <Foo a={x\n", "2:10 mdx.unclosed-expression"),
    ];
    for (body, want) in cases {
        let (doc, errs) = p(body);
        assert_eq!(codes(&errs), [want], "{body:?}");
        assert!(doc.elements.is_empty(), "{body:?}");
        assert_eq!(doc.markdown, body);
    }
}

#[test]
fn nesting_1000_deep_is_capped() {
    let body = format!("{}{}", "<A>\n".repeat(1000), "</A>\n".repeat(1000));
    let (doc, errs) = p(&body);
    assert_eq!(codes(&errs), ["65:1 mdx.too-deep"]);
    let mut depth = 0;
    let mut d = &doc;
    while let Some(el) = d.elements.first() {
        depth += 1;
        d = kids(el);
    }
    assert_eq!(depth, 64);
    assert!(d.markdown.starts_with("<A>\n<A>\n") && d.markdown.ends_with("</A>\n</A>"));
    assert_eq!(d.first_line, 65);
}

#[test]
fn ten_megabyte_body() {
    let chunk = "## Step <Small>one</Small>\n\nSome `code <Foo>` and text a < b.\n\n<CodeBlock\n  file=\"x\"\n>\n  <CodeBlockTab file=\"y\" title=\"T\" />\n</CodeBlock>\n\n```js\n<Foo>\n```\n\n";
    let n = 10_000_000 / chunk.len() + 1;
    let body = chunk.repeat(n);
    let started = std::time::Instant::now();
    let (doc, errs) = p(&body);
    eprintln!("10 MB: {:?}", started.elapsed());
    assert!(errs.is_empty());
    assert_eq!(count(&doc), 3 * n);
    // Pathological input: every construct unterminated, many times over.
    let bad = "<A b={ ` `` <C d=\"\n{ <!-- \n".repeat(100_000);
    let (_, errs) = p(&bad);
    assert!(!errs.is_empty());
}

#[test]
fn slot_tokens_round_trip() {
    let s = format!("a{}b {} \u{E000}vslot\u{E001} \u{E000}x{}", t(3), t(12), t(0));
    let found = find_slots(&s);
    assert_eq!(found.iter().map(|(_, i)| *i).collect::<Vec<_>>(), [3, 12, 0]);
    assert_eq!(&s[found[1].0.clone()], t(12));
    assert!(find_slots("plain text").is_empty());
}

#[test]
fn first_line_offsets_positions() {
    let (doc, errs) = parse("\n<Foo>\n", 10);
    assert_eq!(doc.first_line, 10);
    assert_eq!((doc.elements[0].line, doc.elements[0].col), (11, 1));
    assert_eq!(codes(&errs), ["11:1 mdx.unclosed"]);
}

/// Every page of the real corpus, when it is present.
#[test]
fn corpus() {
    let root = std::path::Path::new("/tmp/corpus/package/.docs/organized/docs");
    if !root.is_dir() {
        return;
    }
    let mut files = Vec::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).expect("read_dir").flatten() {
            let path = e.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|x| x == "mdx") {
                files.push(path);
            }
        }
    }
    assert!(files.len() > 400);
    let (mut total, mut problems) = (0, Vec::new());
    for f in &files {
        let text = std::fs::read_to_string(f).expect("read");
        let rest = text.strip_prefix("---\n").expect("frontmatter");
        let close = rest.find("\n---\n").map(|k| k + 1).or_else(|| rest.strip_prefix("---\n").map(|_| 0)).expect("closing ---");
        let yaml_lines = rest[..close].matches('\n').count() as u32;
        let body = &rest[close + 4..];
        let (doc, errs) = parse(body, yaml_lines + 3);
        problems.extend(errs.iter().map(|e| format!("{}:{}:{} {} {}", f.display(), e.line, e.col, e.code, e.message)));
        total += count(&doc);
        check_no_tags_left(&doc, f);
    }
    assert!(problems.is_empty(), "{problems:#?}");
    assert_eq!(total, 1192);
}

#[track_caller]
fn check_no_tags_left(doc: &MdxDoc, f: &std::path::Path) {
    let mut fence: Option<(u8, usize)> = None;
    for line in doc.markdown.lines() {
        let l = line.trim_start().as_bytes();
        match fence {
            Some((c, n)) if lex::fence_close(l, c, n) => fence = None,
            Some(_) => {}
            None => {
                fence = lex::fence_open(l);
                let tag_left = l.first() == Some(&b'<') && l.get(1).is_some_and(u8::is_ascii_uppercase);
                assert!(fence.is_some() || !tag_left || !find_slots(line).is_empty(), "{}: {line}", f.display());
            }
        }
    }
    for el in &doc.elements {
        if let Some(c) = &el.children {
            check_no_tags_left(c, f);
        }
    }
}

#[test]
fn dashes_after_a_one_line_element_stay_a_thematic_break() {
    let (doc, errs) = p("<CodeBlock file=\"x\" />\n---\n\n  <A />\n  -----  \n\nText <B />\n---\n");
    assert!(errs.is_empty(), "{errs:?}");
    assert_eq!(doc.markdown, format!("{}\n***\n\n  {}\n  *****  \n\nText {}\n---\n", t(0), t(1), t(2)));
}

/// Random soup of MDX fragments: never panics, keeps lines, numbers slots 0..n on every level.
#[test]
fn random_inputs_keep_the_invariants() {
    const PARTS: &[&str] = &[
        "<A",
        "<B.C",
        "</A>",
        "</B.C>",
        ">",
        "/>",
        " x=\"1\"",
        " y={[",
        "]}",
        "{",
        "}",
        "`",
        "```\n",
        "~~~\n",
        "\n",
        "\n\n",
        "  ",
        "text",
        "- ",
        "<!--",
        "-->",
        "{/*",
        "*/}",
        "'",
        "\"",
        "import a from 'b'\n",
        "\u{a0}",
        "é",
        "<div>",
        "</div>",
        "\\",
        "---\n",
        "<br>",
    ];
    fn check(doc: &MdxDoc) {
        let slots: Vec<usize> = find_slots(&doc.markdown).into_iter().map(|(_, i)| i).collect();
        assert_eq!(slots, (0..doc.elements.len()).collect::<Vec<_>>(), "{:?}", doc.markdown);
        doc.elements.iter().filter_map(|e| e.children.as_ref()).for_each(check);
    }
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..5000 {
        let len = next() % 60;
        let body: String = (0..len).map(|_| PARTS[(next() % PARTS.len() as u64) as usize]).collect();
        let (doc, _) = p(&body);
        check(&doc);
    }
}

#[test]
fn esm_between_a_components_tags_is_blanked() {
    let body = "<Preview>\n\nexport const code = `a`;\nexport const name = 'b';\n\n<Code code={code} />\n\n</Preview>\n";
    let (doc, errs) = p(body);
    assert!(errs.is_empty(), "{errs:?}");
    assert!(!format!("{doc:?}").contains("export const"), "{doc:?}");
}

#[test]
fn literal_expressions_are_their_text() {
    let (doc, errs) = p("Hello{' '}world, {\"a*b\"} and {`t`} {42}, not {props.x} or {'a' + 'b'}.\n");
    assert_eq!(doc.markdown, "Hello world, a\\*b and t 42, not           or            .\n");
    assert_eq!(errs.len(), 2, "{errs:?}");
}

#[test]
fn jsx_inside_an_attribute_expression_may_span_lines_and_hold_apostrophes() {
    let body = "<Card title=\"T\" icon={\n  <svg><path d=\"M1 2\n  M3 4\" /></svg>\n}>\n  Body\n</Card>\n<B x={<p>don't</p>} />\n";
    let (doc, errs) = p(body);
    assert!(errs.is_empty(), "{errs:?}");
    assert_eq!(doc.elements.len(), 2);
    assert!(matches!(attr(&doc.elements[0], "icon"), AttrValue::Expr(e) if e.contains("M3 4")));
    assert!(matches!(attr(&doc.elements[1], "x"), AttrValue::Expr(e) if e == "<p>don't</p>"));
}

#[test]
fn dynamic_expressions_in_text_are_left_out() {
    let (doc, errs) = p("Hooks {process.env.X && <Y />} are here.\n");
    assert_eq!(codes(&errs), ["1:7 mdx.expression-unsupported"]);
    assert!(!doc.markdown.contains("process"), "{:?}", doc.markdown);
    assert!(doc.markdown.contains("Hooks") && doc.markdown.contains("are here."));
}

/// `<>…</>` is a fragment: an element with an empty name holding its children.
#[test]
fn fragments_group_children() {
    let (doc, errs) = p("<Cards>\n<>[![logo](a.png)](https://a.example)</>\n</Cards>\n");
    assert!(errs.is_empty(), "{errs:?}");
    let frag = &kids(&doc.elements[0]).elements[0];
    assert_eq!(frag.name, "");
    assert!(kids(frag).markdown.contains("https://a.example"), "{:?}", kids(frag).markdown);
}

/// An element whose content is one string literal (`{'text'}`) holds that text, like a
/// literal in running text; a template literal stays the element's expression child.
#[test]
fn string_literal_content_is_text() {
    let (doc, errs) = p("<Button href=\"/x\">\n  {'Become a Sponsor'}\n</Button>\n");
    assert!(errs.is_empty(), "{errs:?}");
    let b = &doc.elements[0];
    assert_eq!(b.expression_child, None);
    assert!(kids(b).markdown.contains("Become a Sponsor"), "{:?}", kids(b).markdown);
    let (doc, _) = p("<style>{`a { b: c }`}</style>\n");
    assert_eq!(doc.elements[0].expression_child.as_deref(), Some("a { b: c }"));
}
