use super::*;

/// Pages as (file, full text); the URL is the file without `.mdx` / `/index.mdx`.
fn build(pages: &[(&str, &str)]) -> (ReferenceIndex, Vec<Diagnostic>) {
    let fms: Vec<Value> = pages
        .iter()
        .map(|(_, t)| {
            let yaml = t.strip_prefix("---\n").and_then(|r| r.split("\n---\n").next()).unwrap_or("");
            crate::parse::yaml::to_json(yaml).expect("test YAML parses")
        })
        .collect();
    let urls: Vec<String> = pages.iter().map(|(f, _)| format!("/{}", f.trim_end_matches(".mdx").trim_end_matches("/index"))).collect();
    let sources: Vec<RefSource<'_>> =
        pages.iter().zip(&fms).zip(&urls).map(|(((file, raw), fm), url)| RefSource { file, url, frontmatter: fm, raw }).collect();
    ReferenceIndex::build(&sources)
}

fn codes(d: &[Diagnostic]) -> Vec<&str> {
    d.iter().map(|d| d.code).collect()
}

const OBJECT: &str = "---
descriptions:
  widget:
    self: The [Widget](/reference/widget) object.
    id: Unique identifier of the widget.
    role:
      slug: The role slug.
reference:
  curl:
    - key: widget
      id: widget
      url: /reference/widget
      title: widget
      properties:
        - key: id
          type: string
          description: (widget.id)
        - key: role
          type: object
          description: (widget.role)
          properties:
            - key: slug
              type: string
              description: (widget.role.slug)
  js:
    - key: Widget
      id: widget
      url: /reference/widget
      title: interface Widget
      properties:
        - key: id
          type: string
          description: (widget.id)
    - key: limit
      optional: true
      type: number
      description: (limit)
---
";

const METHOD: &str = "---
descriptions:
  limit: Upper limit.
  get_widget:
    widget_id: The widget's id.
reference:
  curl:
    - key: get_widget
      type: GET
      id: get-widget
      url: /reference/widget/get
      title: '/widgets/:id'
      sendsEmail: true
      parameters:
        - (widget.id)
        - key: anonymous
          type: object
      returns:
        - (widget)
  js:
    - key: getWidget
      id: get-widget
      url: /reference/old/place
      title: widgets.getWidget()
      parameters:
        - key: options
          type: object
          unwrap: true
          properties:
            - (limit)
            - key: widgetId
              type: 'Promise<Map<\"a\" | \"b\">>'
              description: (get_widget.widget_id)
      returns:
        - (Widget)
        - (nope.nothing)
---
";

#[test]
fn resolves_descriptions_items_and_objects() {
    let (idx, diags) = build(&[("reference/widget/index.mdx", OBJECT), ("reference/widget/get.mdx", METHOD)]);
    let sets = idx.page_entries("reference/widget/get.mdx");
    assert_eq!(sets.len(), 1);
    let set = &sets[0];
    assert_eq!(set.id, "get-widget");
    assert_eq!(set.variants.iter().map(|v| v.lang.as_str()).collect::<Vec<_>>(), ["curl", "js"]);
    let curl = &set.variants[0];
    assert_eq!(curl.method.as_deref(), Some("GET"));
    assert!(curl.sends_email);
    // `(widget.id)` splices the curl object's property, description resolved in its file.
    assert_eq!(curl.parameters[0].key.as_deref(), Some("id"));
    assert_eq!(curl.parameters[0].description.as_deref(), Some("Unique identifier of the widget."));
    // `anonymous` keeps only its type.
    assert_eq!(curl.parameters[1].key, None);
    assert_eq!(curl.parameters[1].type_.as_deref(), Some("object"));
    // A whole object in `returns` is a type link with the `self` text and its properties.
    let ret = &curl.returns[0];
    assert_eq!(ret.type_link.as_deref(), Some("/reference/widget#widget"));
    assert_eq!(ret.description.as_deref(), Some("The [Widget](/reference/widget) object."));
    assert_eq!(ret.properties.len(), 2);
    assert!(!ret.expanded);
    // The JS `options` wrapper is unwrapped; `(limit)` is the reusable parameter.
    let js = &set.variants[1];
    let keys: Vec<_> = js.parameters.iter().map(|p| p.key.as_deref()).collect();
    assert_eq!(keys, [Some("limit"), Some("widgetId")]);
    assert!(js.parameters[0].optional);
    assert_eq!(js.parameters[0].description.as_deref(), Some("Upper limit."));
    // JS object's `self` comes from the curl key of the same id.
    assert_eq!(js.returns[0].description.as_deref(), Some("The [Widget](/reference/widget) object."));
    assert_eq!(js.returns[0].type_.as_deref(), Some("Widget"));
    // Diagnostics: the map without `self`, the unresolved item, the stale url.
    let mut c = codes(&diags);
    c.sort_unstable();
    assert_eq!(c, ["ref.description-map-without-self", "ref.unresolved", "reference.url-mismatch"]);
    let unresolved = diags.iter().find(|d| d.code == "ref.unresolved").expect("warned");
    assert_eq!((unresolved.file.as_str(), unresolved.line), ("reference/widget/get.mdx", 36));
    let url = diags.iter().find(|d| d.code == "reference.url-mismatch").expect("warned");
    assert_eq!(url.line, 23);
    let map = diags.iter().find(|d| d.code == "ref.description-map-without-self").expect("warned");
    assert_eq!((map.file.as_str(), map.line), ("reference/widget/index.mdx", 20));
    let s = idx.stats();
    assert_eq!((s.entries, s.description_refs, s.description_map_node, s.description_map_without_self), (5, 6, 1, 1));
    assert_eq!((s.item_refs, s.item_refs_unresolved, s.item_refs_cross_file), (5, 1, 4));
}

#[test]
fn lookup_id_tolerates_hyphens_and_skips_reusable_entries() {
    let (idx, _) = build(&[("reference/widget/index.mdx", OBJECT), ("reference/widget/get.mdx", METHOD)]);
    assert_eq!(idx.lookup_id("reference/widget/get.mdx", "get_widget").map(|s| s.id.as_str()), Some("get-widget"));
    assert_eq!(idx.lookup_id("reference/widget/get.mdx", "get-widget").map(|s| s.id.as_str()), Some("get-widget"));
    assert!(idx.lookup_id("reference/widget/get.mdx", "widget").is_none());
    // `limit` (no id) is not an entry set.
    let ids: Vec<_> = idx.page_entries("reference/widget/index.mdx").iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["widget"]);
    assert!(idx.page_entries("missing.mdx").is_empty());
}

fn thing(desc: &str) -> String {
    format!("---\nreference:\n  curl:\n    - key: thing\n      type: string\n      description: {desc}\n---\n")
}

fn user(thing_ref: &str) -> String {
    format!("---\nreference:\n  curl:\n    - key: m\n      id: m\n      parameters:\n        - ({thing_ref})\n---\n")
}

#[test]
fn nearest_directory_wins_and_ties_warn() {
    let (a, b, u) = (thing("from-a"), thing("from-b"), user("thing"));
    let (idx, diags) = build(&[("reference/x/index.mdx", &a), ("reference/y/z/index.mdx", &b), ("reference/y/z/m.mdx", &u)]);
    let p = &idx.page_entries("reference/y/z/m.mdx")[0].variants[0].parameters[0];
    assert_eq!(p.description.as_deref(), Some("from-b"));
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(idx.stats().item_refs_multi_candidate, 1);

    let (idx, diags) = build(&[("reference/x/index.mdx", &a), ("reference/y/index.mdx", &b), ("reference/m.mdx", &u)]);
    assert_eq!(codes(&diags), ["ref.ambiguous"]);
    assert_eq!(diags[0].line, 7);
    let p = &idx.page_entries("reference/m.mdx")[0].variants[0].parameters[0];
    assert_eq!(p.description.as_deref(), Some("from-a"));
}

#[test]
fn same_file_wins_and_languages_do_not_mix() {
    let here = "---\nreference:\n  curl:\n    - key: thing\n      type: here\n    - key: m\n      id: m\n      parameters:\n        - (thing)\n  js:\n    - key: m\n      id: m\n      parameters:\n        - (thing)\n---\n";
    let (idx, diags) = build(&[("reference/a/index.mdx", &thing("x")), ("reference/a/m.mdx", here)]);
    let set = &idx.page_entries("reference/a/m.mdx")[0];
    assert_eq!(set.variants[0].parameters[0].type_.as_deref(), Some("here"));
    assert_eq!(codes(&diags), ["ref.unresolved"], "js has no `thing`");
    assert_eq!(diags[0].line, 14);
}

#[test]
fn cyclic_references_terminate() {
    let text = "---\nreference:\n  curl:\n    - key: a\n      id: a\n      properties:\n        - (b)\n        - (a.x.y)\n        - key: x\n          properties:\n            - (a.x)\n    - key: b\n      id: b\n      properties:\n        - (a)\n---\n";
    let (idx, _) = build(&[("reference/c.mdx", text)]);
    assert_eq!(idx.page_entries("reference/c.mdx").len(), 2);
}

#[test]
fn bad_shapes_are_diagnostics_not_panics() {
    let text = "---\nreference:\n  curl:\n    - 3\n    - title: no key\n    - key: k\n      parameters:\n        - not a ref\n        - key: x\n          description: 7\n  js: nope\n---\n";
    let (idx, diags) = build(&[("reference/bad.mdx", text), ("reference/worse.mdx", "---\nreference: 3\n---\n")]);
    assert_eq!(idx.stats().entries, 1);
    assert_eq!(codes(&diags).iter().filter(|c| **c == "reference.invalid").count(), 5);
}

#[test]
fn nbsp_and_block_scalars_are_trimmed_text() {
    let text = "---\ndescriptions:\n  a: \"Admin\\_Portal\"\n  b: |\n    \"x\" | \"y\"\nreference:\n  curl:\n    - key: k\n      id: k\n      properties:\n        - key: p\n          type: |\n            \"x\" | \"y\"\n          description: (a)\n        - key: q\n          description: (b)\n---\n";
    let (idx, diags) = build(&[("reference/k.mdx", text)]);
    assert!(diags.is_empty(), "{diags:?}");
    let props = &idx.page_entries("reference/k.mdx")[0].variants[0].properties;
    assert_eq!(props[0].type_.as_deref(), Some("\"x\" | \"y\""));
    assert_eq!(props[0].description.as_deref(), Some("Admin\u{a0}Portal"));
    assert_eq!(props[1].description.as_deref(), Some("\"x\" | \"y\""));
}
