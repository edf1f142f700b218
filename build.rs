//! Embeds `templates/` and `themes/default/` into the binary: generates a table of
//! (relative path, contents) so vellum runs from anywhere with its built-in theme.

use std::fmt::Write as _;
use std::path::Path;

fn collect(root: &Path, dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<_> = entries.flatten().collect();
    entries.sort_by_key(|e| e.path());
    for e in entries {
        let p = e.path();
        if p.is_dir() {
            collect(root, &p, out);
        } else if let Ok(rel) = p.strip_prefix(root) {
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}

fn main() {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&manifest);
    let mut code = String::new();
    for (name, dir) in [("TEMPLATES", "templates"), ("THEME", "themes/default")] {
        let base = root.join(dir);
        println!("cargo:rerun-if-changed={dir}");
        let mut files = Vec::new();
        collect(&base, &base, &mut files);
        let _ = writeln!(code, "/// Embedded files of `{dir}/`.\npub(crate) static {name}: &[(&str, &str)] = &[");
        for f in files {
            let path = base.join(&f);
            let _ = writeln!(code, "    ({f:?}, include_str!({:?})),", path.to_string_lossy());
        }
        code.push_str("];\n");
    }
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    std::fs::write(Path::new(&out).join("embedded.rs"), code).expect("OUT_DIR is writable");
}
