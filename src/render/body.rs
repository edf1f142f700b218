//! Page bodies between render and emit: held in memory, or spilled to a temporary file. A
//! one-shot build of a large site would otherwise hold every page's HTML and Markdown from
//! the render stage to the end of emit, most of its peak memory (1.9 GB of 4.8 GB at 100k
//! pages); spilled, each body is read back when the link and emit stages need it.
//! Architecture invariant: a body reads back exactly as it was written; a failure to
//! write keeps the body in memory, a failure to read is recorded and fails the build.

use std::borrow::Cow;
use std::fs::File;
use std::io;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// An unlinked temporary file that bodies are appended to, from any thread.
#[derive(Debug)]
pub struct Spill {
    file: File,
    /// Bytes written or reserved so far: each body gets its own range.
    end: AtomicU64,
    /// The first read that failed.
    failed: Mutex<Option<String>>,
}

impl Spill {
    /// A spill file in `dir`, gone when the last body referring to it is dropped (and
    /// never left behind by a crash: the file has no name).
    pub fn new_in(dir: &Path) -> io::Result<Arc<Self>> {
        if !cfg!(unix) {
            return Err(io::ErrorKind::Unsupported.into());
        }
        Ok(Arc::new(Self { file: tempfile::tempfile_in(dir)?, end: AtomicU64::new(0), failed: Mutex::default() }))
    }

    /// `text` as a body in this file; kept in memory if it cannot be written.
    pub fn body(self: &Arc<Self>, text: String) -> Body {
        let len = text.len() as u64;
        let at = self.end.fetch_add(len, Ordering::Relaxed);
        match write_at(&self.file, text.as_bytes(), at) {
            Ok(()) => Body::Spilled { spill: self.clone(), at, len, links: Arc::new([]) },
            Err(_) => Body::Text(text),
        }
    }

    /// Why a body could not be read back, if one could not: the output is incomplete.
    pub fn error(&self) -> Option<String> {
        self.failed.lock().ok().and_then(|f| f.clone())
    }

    fn read(&self, at: u64, len: u64) -> String {
        let mut buf = vec![0; len as usize];
        match read_exact_at(&self.file, &mut buf, at).and_then(|()| String::from_utf8(buf).map_err(io::Error::other)) {
            Ok(text) => text,
            Err(e) => {
                if let Ok(mut f) = self.failed.lock() {
                    f.get_or_insert_with(|| format!("cannot read back a spilled page body: {e}"));
                }
                String::new()
            }
        }
    }
}

#[cfg(unix)]
fn write_at(file: &File, bytes: &[u8], at: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, bytes, at)
}

/// Fills `buf` from `file` at offset `at`, from any thread (the spill file and the
/// highlight cache are read this way).
pub(super) fn read_exact_at(file: &File, buf: &mut [u8], at: u64) -> io::Result<()> {
    #[cfg(unix)]
    return std::os::unix::fs::FileExt::read_exact_at(file, buf, at);
    #[cfg(not(unix))]
    {
        use std::io::{Read as _, Seek as _};
        let mut f = file.try_clone()?;
        f.seek(io::SeekFrom::Start(at))?;
        f.read_exact(buf)
    }
}

#[cfg(not(unix))]
fn write_at(_: &File, _: &[u8], _: u64) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

/// A page body (HTML or Markdown).
#[derive(Debug, Clone)]
pub enum Body {
    /// In memory.
    Text(String),
    /// In a spill file, at `at`, `len` bytes.
    Spilled {
        /// The file.
        spill: Arc<Spill>,
        /// Offset.
        at: u64,
        /// Length in bytes.
        len: u64,
        /// URLs of its link markers, put in as it is read (see [`Body::linked`]).
        links: Arc<[String]>,
    },
}

impl Default for Body {
    fn default() -> Self {
        Body::Text(String::new())
    }
}

impl From<String> for Body {
    fn from(text: String) -> Self {
        Body::Text(text)
    }
}

impl Body {
    /// The text (read back from the spill file if it is there; empty if that fails, which
    /// [`Spill::error`] reports).
    pub fn text(&self) -> Cow<'_, str> {
        match self {
            Body::Text(t) => Cow::Borrowed(t),
            Body::Spilled { spill, at, len, links } => {
                let text = spill.read(*at, *len);
                Cow::Owned(if links.is_empty() { text } else { resolve_markers(&text, links) })
            }
        }
    }

    /// The text, moved out of memory or read back.
    pub fn into_text(self) -> String {
        match self {
            Body::Text(t) => t,
            spilled => spilled.text().into_owned(),
        }
    }

    /// Length in bytes, before a spilled body's links are put in (a size hint).
    pub fn len(&self) -> usize {
        match self {
            Body::Text(t) => t.len(),
            Body::Spilled { len, .. } => *len as usize,
        }
    }

    /// Whether the body is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// This body with link marker `i` (see [`link_marker`](super::link_marker)) replaced
    /// by `urls[i]`, written as it is to appear: at once for a body in memory, as it is
    /// read for a spilled one (rewriting it would cost a read and a write of every body).
    pub fn linked(&self, urls: Vec<String>) -> Body {
        match self {
            _ if urls.is_empty() => self.clone(),
            Body::Text(t) => Body::Text(resolve_markers(t, &urls)),
            Body::Spilled { spill, at, len, .. } => Body::Spilled { spill: spill.clone(), at: *at, len: *len, links: urls.into() },
        }
    }
}

/// `text` with each marker `vellum-link:<i>:` replaced by `urls[i]`; a marker without a URL
/// stays as it is.
fn resolve_markers(text: &str, urls: &[String]) -> String {
    const M: &str = super::LINK_MARKER;
    // Room for every URL, so the body is not copied again as it grows.
    let mut out = String::with_capacity(text.len() + urls.iter().map(String::len).sum::<usize>());
    let mut rest = text;
    // memchr's SIMD search: `str::find` was most of the cost of reading a body back.
    let finder = memchr::memmem::Finder::new(M);
    while let Some(i) = finder.find(rest.as_bytes()) {
        out.push_str(&rest[..i]);
        let after = &rest[i + M.len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        match (after[..digits].parse::<usize>().ok().and_then(|n| urls.get(n)), after[digits..].starts_with(':')) {
            (Some(u), true) => {
                out.push_str(u);
                rest = &after[digits + 1..];
            }
            _ => {
                out.push_str(M);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spilled_bodies_read_back_as_written_from_any_thread() {
        let dir = tempfile::tempdir().unwrap();
        let spill = Spill::new_in(dir.path()).unwrap();
        let texts: Vec<String> = (0..64).map(|i| format!("<p>body {i} ü</p>").repeat(i)).collect();
        let bodies: Vec<Body> = std::thread::scope(|s| {
            let handles: Vec<_> = texts.iter().map(|t| s.spawn(|| spill.body(t.clone()))).collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        for (b, t) in bodies.iter().zip(&texts) {
            assert!(matches!(b, Body::Spilled { .. }));
            assert_eq!((b.text(), b.len()), (Cow::Borrowed(t.as_str()), t.len()));
        }
        let linked = Body::Text("[a](vellum-link:0:)".into()).linked(vec!["/a".into()]);
        assert_eq!(linked.text(), "[a](/a)");
        let linked = spill.body("[a](vellum-link:0:) vellum-link:1: vellum-link:x".into()).linked(vec!["/a".into()]);
        assert!(matches!(linked, Body::Spilled { .. }));
        assert_eq!(linked.text(), "[a](/a) vellum-link:1: vellum-link:x");
        assert!(spill.error().is_none());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "the file has no name");
    }

    #[test]
    fn a_failed_read_is_reported_not_hidden() {
        let dir = tempfile::tempdir().unwrap();
        let spill = Spill::new_in(dir.path()).unwrap();
        let beyond = Body::Spilled { spill: spill.clone(), at: 1 << 20, len: 8, links: Arc::new([]) };
        assert_eq!(beyond.text(), "");
        assert!(spill.error().is_some_and(|e| e.contains("cannot read back")));
    }
}
