//! A cheap, approximate pre-scan of bracket depth, so hostile nesting is refused before oxc's
//! recursive descent sees it. Invariant: linear, never panics; strings, templates and comments
//! are skipped approximately (a regex literal containing a quote may hide brackets, which only
//! makes the scan more lenient, never wrong about valid shallow files).

/// The byte offset where `(`, `[` or `{` first nest deeper than `max`, if they do.
pub(super) fn too_deep(text: &str, max: usize) -> Option<usize> {
    let b = text.as_bytes();
    let mut depth = 0usize;
    // Depth at which each open `${` of a template literal resumes the template.
    let mut templates: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                i = memchr::memchr(b'\n', &b[i..]).map_or(b.len(), |n| i + n);
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = memchr::memmem::find(&b[i + 2..], b"*/").map_or(b.len(), |n| i + 2 + n + 2);
                continue;
            }
            q @ (b'\'' | b'"') => {
                i += 1;
                while i < b.len() && b[i] != q && b[i] != b'\n' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'`' => i = template(b, i + 1, &mut templates, depth),
            b'(' | b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    return Some(i);
                }
            }
            b')' | b']' | b'}' => {
                if b[i] == b'}' && templates.last() == Some(&depth) {
                    templates.pop();
                    i = template(b, i + 1, &mut templates, depth);
                } else {
                    depth = depth.saturating_sub(1);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Skip template text from `i`; returns the index of the closing backtick, or, at `${`, records
/// the depth to resume at and returns the index of the `{` consumed (so the caller steps past it).
fn template(b: &[u8], mut i: usize, templates: &mut Vec<usize>, depth: usize) -> usize {
    while i < b.len() {
        match b[i] {
            b'\\' => i += 1,
            b'`' => return i,
            b'$' if b.get(i + 1) == Some(&b'{') => {
                templates.push(depth);
                return i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    i
}
