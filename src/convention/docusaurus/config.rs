//! The docs plugin instances of `docusaurus.config.*`, read statically: the classic preset's
//! `docs` options and each `@docusaurus/plugin-content-docs` entry of `plugins`, each with its
//! folder (`path`, default `docs`), URL base (`routeBasePath`, default `docs`; `/` for
//! docs-only sites) and sidebars file (`sidebarPath`).
//! Invariant: a pure function of the config's text; an instance whose folder climbs out of the
//! tree, or a config that cannot be read, gives no instance (the caller then keeps the
//! site-root default), never an error.

use crate::convention::{ContentRoot, js};
use crate::diagnostics::Diagnostic;
use serde_json::Value;

/// The config file names Docusaurus looks for, in its order.
pub(super) const FILES: [&str; 5] =
    ["docusaurus.config.js", "docusaurus.config.ts", "docusaurus.config.mjs", "docusaurus.config.cjs", "docusaurus.config.mts"];

/// The docs instances of the config at `rel` with `text`, in config order (preset first).
pub(super) fn instances(rel: &str, text: &str, diags: &mut Vec<Diagnostic>) -> Vec<ContentRoot> {
    let (module, d) = js::parse(rel, text);
    diags.extend(d);
    let Some(config) = module.default_export(diags) else { return Vec::new() };
    let mut out = Vec::new();
    for preset in config.get("presets").and_then(Value::as_array).into_iter().flatten() {
        let (name, options) = entry(preset);
        let classic = matches!(name, "classic" | "@docusaurus/preset-classic");
        // `docs: false` turns the preset's docs off.
        if let Some(docs) = options.and_then(|o| o.get("docs")).filter(|_| classic) {
            out.extend(instance(docs, true));
        } else if classic && options.is_none_or(|o| o.get("docs").is_none()) {
            out.extend(instance(&Value::Object(Default::default()), true));
        }
    }
    for plugin in config.get("plugins").and_then(Value::as_array).into_iter().flatten() {
        let (name, options) = entry(plugin);
        if matches!(name, "content-docs" | "@docusaurus/plugin-content-docs") {
            out.extend(instance(options.unwrap_or(&Value::Null), false));
        }
    }
    out
}

/// A preset or plugin entry: `'name'` or `['name', options]`.
fn entry(v: &Value) -> (&str, Option<&Value>) {
    match v {
        Value::String(s) => (s, None),
        Value::Array(a) => (a.first().and_then(Value::as_str).unwrap_or(""), a.get(1).filter(|o| o.is_object())),
        _ => ("", None),
    }
}

/// One instance from its options (`false` or a non-object: none). The preset's instance falls
/// back to the root `sidebars.*` when `sidebarPath` is unset or dynamic (`require.resolve(…)`).
fn instance(options: &Value, preset: bool) -> Option<ContentRoot> {
    if !options.is_object() {
        return None;
    }
    let s = |k: &str| options.get(k).and_then(Value::as_str);
    let dir = clean(s("path").unwrap_or("docs"))?;
    let route = s("routeBasePath").unwrap_or("docs").trim_matches('/');
    let url = if route.is_empty() { String::new() } else { format!("/{route}") };
    let nav = s("sidebarPath").and_then(clean).or_else(|| preset.then(String::new));
    Some(ContentRoot { dir, url, nav })
}

/// A path relative to the site folder, without `./` or trailing `/`; `None` outside the tree.
fn clean(p: &str) -> Option<String> {
    let p = p.trim().trim_start_matches("./").trim_matches('/');
    (!p.split('/').any(|s| s == "..")).then(|| if p == "." { String::new() } else { p.to_owned() })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roots(text: &str) -> Vec<(String, String, Option<String>)> {
        let mut diags = Vec::new();
        instances("docusaurus.config.js", text, &mut diags).into_iter().map(|r| (r.dir, r.url, r.nav)).collect()
    }

    #[test]
    fn preset_and_plugin_instances() {
        let text = r#"
const config = {
  presets: [['classic', /** @type {import('x').Options} */ ({
    docs: { path: './guides', routeBasePath: '/', sidebarPath: require.resolve('./sidebars.js') },
  })]],
  plugins: [
    ['@docusaurus/plugin-content-docs', { id: 'community', path: 'community', routeBasePath: 'community', sidebarPath: './sidebarsCommunity.js' }],
    ['content-docs', { id: 'api', path: '../outside' }],
    'some-other-plugin',
  ],
};
module.exports = config;
"#;
        assert_eq!(
            roots(text),
            [
                ("guides".into(), String::new(), Some(String::new())),
                ("community".into(), "/community".into(), Some("sidebarsCommunity.js".into()))
            ]
        );
    }

    #[test]
    fn defaults_and_docs_off() {
        assert_eq!(roots("export default { presets: ['classic'] };"), [("docs".into(), "/docs".into(), Some(String::new()))]);
        assert_eq!(roots("export default { presets: [['classic', { docs: false }]] };"), []);
        assert_eq!(roots("export default 42;"), []);
        assert_eq!(roots("export default async function () {}"), []);
    }
}
