//! Templates and theme files: built-ins embedded in the binary, overridable file by file
//! (user templates dir > built-in), and theme assets (user theme dir > built-in theme).
//! minijinja was chosen over tera because its errors carry the template name and line and it
//! compiles templates lazily with few dependencies (see ARCHITECTURE.md).

use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use std::path::{Path, PathBuf};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

/// A built-in template's source.
fn builtin_template(name: &str) -> Option<&'static str> {
    embedded::TEMPLATES.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
}

/// The template environment: `dir` (if any) overrides built-ins file by file.
pub fn environment(dir: Option<&Path>) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Chainable);
    env.set_auto_escape_callback(
        |name| if name.ends_with(".html") || name.ends_with(".xml") { AutoEscape::Html } else { AutoEscape::None },
    );
    // minijinja's default HTML escaping also encodes `/`; plain `& < > " '` keeps URLs readable.
    env.set_formatter(|out, state, value| {
        if matches!(state.auto_escape(), AutoEscape::Html) && !value.is_safe() {
            if let Some(s) = value.as_str() {
                return crate::render::highlight::write_escaped_html(out, s)
                    .map_err(|_| minijinja::Error::new(minijinja::ErrorKind::WriteFailure, "write failed"));
            }
        }
        minijinja::escape_formatter(out, state, value)
    });
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    let dir: Option<PathBuf> = dir.map(Path::to_path_buf);
    env.set_loader(move |name| {
        if name.contains("..") {
            return Ok(None);
        }
        if let Some(d) = &dir {
            let p = d.join(name);
            if p.is_file() {
                return std::fs::read_to_string(&p).map(Some).map_err(|e| {
                    minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, format!("cannot read {}: {e}", p.display()))
                });
            }
        }
        Ok(builtin_template(name).map(str::to_string))
    });
    env
}

/// The theme's static files (name, bytes): built-in theme files, each replaced by the file of
/// the same name in `dir`, plus any extra files of `dir`.
pub fn theme_files(dir: Option<&Path>) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = embedded::THEME.iter().map(|(n, s)| (n.to_string(), s.as_bytes().to_vec())).collect();
    if let Some(d) = dir {
        for entry in walkdir::WalkDir::new(d).follow_links(false).into_iter().flatten() {
            if !entry.file_type().is_file() {
                continue;
            }
            let Ok(rel) = entry.path().strip_prefix(d) else { continue };
            let rel = rel.to_string_lossy().replace('\\', "/");
            let Ok(bytes) = std::fs::read(entry.path()) else { continue };
            match files.iter_mut().find(|(n, _)| *n == rel) {
                Some(f) => f.1 = bytes,
                None => files.push((rel, bytes)),
            }
        }
    }
    files
}

/// Hash of every built-in and override input that changes rendered output.
pub fn fingerprint(dir: Option<&Path>) -> blake3::Hash {
    let mut h = blake3::Hasher::new();
    for (n, s) in embedded::TEMPLATES {
        h.update(n.as_bytes()).update(s.as_bytes());
    }
    if let Some(d) = dir {
        for e in walkdir::WalkDir::new(d).sort_by_file_name().into_iter().flatten() {
            if let Ok(b) = std::fs::read(e.path()) {
                h.update(e.path().to_string_lossy().as_bytes()).update(&b);
            }
        }
    }
    h.finalize()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtins_and_overrides() {
        let env = environment(None);
        assert!(env.get_template("page.html").is_ok());
        assert!(env.get_template("components/fallback.html").is_ok());
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("components")).unwrap();
        std::fs::write(dir.path().join("components/fallback.html"), "X{{ name }}").unwrap();
        let env = environment(Some(dir.path()));
        let out = env.get_template("components/fallback.html").unwrap().render(minijinja::context! { name => "<b>" }).unwrap();
        assert_eq!(out, "X&lt;b&gt;");
        assert!(env.get_template("../Cargo.toml").is_err());
    }
}
