//! Build-time syntax highlighting with syntect (two-face's extra grammars), emitting `hl-`
//! CSS classes; the theme's stylesheet colours them for light and dark mode.
//! Architecture invariant: built once per process and shared by every rayon task; results
//! are cached by content hash, in memory (watch-mode rebuilds never highlight the same block
//! twice) and, through [`Highlighter::load`] / [`Highlighter::save`], across builds. A build
//! whose blocks are all cached never even loads the grammars.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, Read as _, Seek as _, SeekFrom, Write as _};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Languages rendered as plain, escaped text (no grammar exists or none is wanted).
const PLAIN: &[&str] = &["", "plain", "plaintext", "text", "txt", "url", "fga", "mermaid", "none", "console-output"];

/// First bytes of a saved cache; bump the number when the stored HTML would change for the
/// same input (grammars, class style, aliases) or the layout changes, so old files are
/// ignored. Layout: this line, the blocks' HTML back to back, an index of
/// (32-byte key, u64 offset, u32 length) entries, and the index's offset as a u64.
const MAGIC: &[u8] = concat!("vellum-highlight 2 ", env!("CARGO_PKG_VERSION"), "\n").as_bytes();

/// Bytes of one index entry.
const ENTRY: usize = 32 + 8 + 4;

/// Aliases the corpus and common docs use that syntect's tokens do not know.
fn alias(lang: &str) -> &str {
    match lang {
        "shell" | "sh" | "zsh" | "console" | "terminal" => "bash",
        "javascript" | "node" | "mjs" | "cjs" => "js",
        "typescript" => "ts",
        "jsonc" | "json5" => "json",
        "yml" => "yaml",
        "py" => "python",
        "rb" => "ruby",
        "golang" => "go",
        "cs" | "csharp" | "dotnet" | "c#" => "cs",
        "kt" => "kotlin",
        "rs" => "rust",
        "ex" | "exs" => "elixir",
        "curl" | "http" => "bash",
        other => other,
    }
}

/// Where a block saved by an earlier build lies: the cache file as loaded (still readable
/// after `save` replaced it on disk), offset and length.
#[derive(Debug, Clone)]
struct Saved {
    file: Arc<File>,
    at: u64,
    len: u32,
}

/// A block this process used: its place in the loaded file, or its HTML when it is new.
/// Only new blocks are held in memory; a large site's saved blocks are hundreds of MB.
enum Block {
    Saved(Saved),
    Fresh(String),
}

/// Highlighted blocks by hash of (grammar token, code).
#[derive(Default)]
struct Cache {
    /// Blocks used by this process.
    used: HashMap<blake3::Hash, Block>,
    /// Blocks in the loaded file not used yet.
    stored: HashMap<blake3::Hash, Saved>,
    /// `used` holds blocks that are not on disk.
    fresh: bool,
    /// Where [`Highlighter::load`] read the blocks from.
    file: Option<PathBuf>,
    /// Saved and emptied by [`Highlighter::finish`]: nothing more is cached or saved until
    /// the next [`Highlighter::load`].
    closed: bool,
    /// The index [`Highlighter::load`] is still reading.
    loading: Option<std::thread::JoinHandle<HashMap<blake3::Hash, Saved>>>,
}

impl Cache {
    /// Waits for a load in progress, so `stored` is complete.
    fn ready(&mut self) {
        if let Some(blocks) = self.loading.take().and_then(|h| h.join().ok()) {
            self.stored.extend(blocks);
        }
    }
}

/// The blocks of the cache file at `path`; none when it is missing, foreign or damaged.
/// Only the index is read: a block's HTML is read when it is used.
fn read_index(path: &Path) -> HashMap<blake3::Hash, Saved> {
    index_of(path).unwrap_or_default()
}

fn index_of(path: &Path) -> Option<HashMap<blake3::Hash, Saved>> {
    let mut file = File::open(path).ok()?;
    let size = file.metadata().ok()?.len();
    let mut magic = vec![0; MAGIC.len()];
    file.read_exact(&mut magic).ok()?;
    let mut footer = [0; 8];
    file.seek(SeekFrom::End(-8)).ok()?;
    file.read_exact(&mut footer).ok()?;
    let start = u64::from_le_bytes(footer);
    let blocks_end = size.checked_sub(8).filter(|&end| magic == MAGIC && (MAGIC.len() as u64..=end).contains(&start))?;
    let mut bytes = vec![0; usize::try_from(blocks_end - start).ok()?];
    file.seek(SeekFrom::Start(start)).ok()?;
    file.read_exact(&mut bytes).ok()?;
    let entries = bytes.chunks_exact(ENTRY);
    if !entries.remainder().is_empty() {
        return None;
    }
    let mut index = HashMap::with_capacity(entries.len());
    let file = Arc::new(file);
    for e in entries {
        let (key, rest) = e.split_first_chunk::<32>()?;
        let (at, len) = rest.split_first_chunk::<8>()?;
        let block = Saved { file: file.clone(), at: u64::from_le_bytes(*at), len: u32::from_le_bytes(len.try_into().ok()?) };
        if block.at < MAGIC.len() as u64 || block.at + u64::from(block.len) > start {
            return None;
        }
        index.insert(blake3::Hash::from_bytes(*key), block);
    }
    Some(index)
}

/// The HTML of a saved block; `None` if it cannot be read or is not UTF-8.
fn read_block(b: &Saved) -> Option<String> {
    let mut buf = vec![0; b.len as usize];
    super::body::read_exact_at(&b.file, &mut buf, b.at).ok()?;
    String::from_utf8(buf).ok()
}

/// The shared highlighter.
#[derive(Default)]
pub struct Highlighter {
    syntaxes: OnceLock<SyntaxSet>,
    cache: Mutex<Cache>,
}

impl std::fmt::Debug for Highlighter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Highlighter")
    }
}

impl Highlighter {
    /// The process-wide highlighter.
    pub fn global() -> &'static Highlighter {
        static H: OnceLock<Highlighter> = OnceLock::new();
        H.get_or_init(Highlighter::default)
    }

    /// The grammars, loaded on first use (a few ms).
    fn syntaxes(&self) -> &SyntaxSet {
        self.syntaxes.get_or_init(two_face::syntax::extra_newlines)
    }

    fn syntax(&self, token: &str) -> Option<&SyntaxReference> {
        let set = self.syntaxes();
        set.find_syntax_by_token(token).or_else(|| set.find_syntax_by_extension(token))
    }

    /// The cached HTML of block `key`, read from the loaded file outside the lock when it
    /// was saved by an earlier build.
    fn cached(&self, key: &blake3::Hash) -> Option<String> {
        let block = {
            let mut c = self.cache.lock().ok()?;
            c.ready();
            match c.used.get(key) {
                Some(Block::Fresh(html)) => return Some(html.clone()),
                Some(Block::Saved(b)) => b.clone(),
                None => {
                    let b = c.stored.remove(key)?;
                    c.used.insert(*key, Block::Saved(b.clone()));
                    b
                }
            }
        };
        let html = read_block(&block);
        if html.is_none()
            && let Ok(mut c) = self.cache.lock()
        {
            // Unreadable: highlighted afresh, and saved again if it is ever used again.
            c.used.remove(key);
        }
        html
    }

    /// Highlight `code` as `lang` into the inner HTML of a `<code>` element.
    /// Unknown languages and grammar failures come back escaped, never as an error.
    pub fn highlight(&self, code: &str, lang: &str) -> String {
        let lang = lang.to_ascii_lowercase();
        if PLAIN.contains(&lang.as_str()) {
            return escape_html(code);
        }
        let token = alias(&lang);
        let key = blake3::Hasher::new().update(token.as_bytes()).update(&[0]).update(code.as_bytes()).finalize();
        if let Some(hit) = self.cached(&key) {
            return hit;
        }
        let Some(syntax) = self.syntax(token) else {
            return escape_html(code);
        };
        let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, self.syntaxes(), CLASS_STYLE);
        for line in LinesWithEndings::from(code) {
            if generator.parse_html_for_line_which_includes_newline(line).is_err() {
                return escape_html(code);
            }
        }
        let html = generator.finalize();
        if let Ok(mut c) = self.cache.lock()
            && !c.closed
        {
            c.used.insert(key, Block::Fresh(html.clone()));
            c.fresh = true;
        }
        html
    }

    /// Adds the blocks saved at `path` by an earlier build (the file [`finish`](Self::finish)
    /// saves to). A missing, foreign or damaged file adds nothing. The file is read on a
    /// thread of its own (hundreds of MB on a large site), so discovery and parsing go on
    /// meanwhile; the first use of the cache waits for it.
    pub fn load(&self, path: &Path) {
        let Ok(mut c) = self.cache.lock() else { return };
        c.ready();
        c.file = Some(path.to_path_buf());
        c.closed = false;
        let file = path.to_path_buf();
        match std::thread::Builder::new().name("highlight-cache".into()).spawn(move || read_index(&file)) {
            Ok(h) => c.loading = Some(h),
            Err(_) => c.stored.extend(read_index(path)),
        }
    }

    /// Writes the blocks used since [`load`](Self::load) to `path` (atomically), dropping
    /// those no longer used; does nothing when the file would not change.
    pub fn save(&self, path: &Path) -> io::Result<()> {
        let Ok(mut c) = self.cache.lock() else { return Ok(()) };
        c.ready();
        if c.closed || (!c.fresh && c.stored.is_empty()) {
            return Ok(());
        }
        let dir = path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)?;
        let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
        let mut out = io::BufWriter::new(tmp.as_file_mut());
        out.write_all(MAGIC)?;
        let mut index = Vec::with_capacity(c.used.len() * ENTRY);
        let mut at = MAGIC.len() as u64;
        for (key, block) in &c.used {
            let html = match block {
                Block::Fresh(html) => std::borrow::Cow::Borrowed(html.as_str()),
                Block::Saved(b) => match read_block(b) {
                    Some(html) => html.into(),
                    None => continue,
                },
            };
            let Ok(len) = u32::try_from(html.len()) else { continue };
            out.write_all(html.as_bytes())?;
            index.extend_from_slice(key.as_bytes());
            index.extend_from_slice(&at.to_le_bytes());
            index.extend_from_slice(&len.to_le_bytes());
            at += u64::from(len);
        }
        out.write_all(&index)?;
        out.write_all(&at.to_le_bytes())?;
        out.flush()?;
        drop(out);
        tmp.persist(path).map_err(|e| e.error)?;
        c.fresh = false;
        c.stored.clear();
        Ok(())
    }

    /// For a one-shot build whose pages are all rendered: saves the blocks to the file they
    /// were loaded from and frees them (on a large site, hundreds of MB that the later
    /// stages reuse). If saving fails, everything stays for the caller's own `save`, which
    /// reports it.
    pub fn finish(&self) {
        let file = self.cache.lock().ok().and_then(|c| c.file.clone());
        if file.is_none_or(|f| self.save(&f).is_ok())
            && let Ok(mut c) = self.cache.lock()
        {
            *c = Cache { closed: true, ..Cache::default() };
        }
    }
}

/// Escape text for HTML element content and attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    let _ = write_escaped_html(&mut out, s);
    out
}

/// Writes `s` HTML-escaped into `out`, copying the runs between special characters whole
/// (templates escape every value they print this way, without a temporary string).
pub fn write_escaped_html(out: &mut impl std::fmt::Write, s: &str) -> std::fmt::Result {
    let mut plain = 0;
    for (i, b) in s.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.write_str(&s[plain..i])?;
        out.write_str(entity)?;
        plain = i + 1;
    }
    out.write_str(&s[plain..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_corpus_languages_and_escapes_unknown() {
        let h = Highlighter::global();
        for lang in [
            "shell",
            "bash",
            "json",
            "js",
            "javascript",
            "jsx",
            "sql",
            "html",
            "xml",
            "yaml",
            "css",
            "java",
            "go",
            "python",
            "ruby",
            "php",
            "ts",
        ] {
            assert!(h.highlight("a = \"b\"\n", lang).contains("hl-"), "{lang}");
        }
        assert_eq!(h.highlight("<b>&</b>", "fga"), "&lt;b&gt;&amp;&lt;/b&gt;");
        assert_eq!(h.highlight("<x>", "no-such-lang"), "&lt;x&gt;");
    }

    #[test]
    fn cache_survives_a_restart_and_forgets_unused_blocks() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hl.bin");
        let first = Highlighter::default();
        let a = first.highlight("let a = 1;\n", "js");
        let b = first.highlight("x: 1\n", "yaml");
        first.save(&path).unwrap();

        let second = Highlighter::default();
        second.load(&path);
        assert_eq!(second.highlight("let a = 1;\n", "javascript"), a, "aliases share entries");
        assert!(second.syntaxes.get().is_none(), "a cached block needs no grammar");
        second.save(&path).unwrap();

        let third = Highlighter::default();
        third.load(&path);
        let mut c = third.cache.lock().unwrap();
        c.ready();
        assert_eq!(c.stored.len(), 1, "the unused yaml block was dropped");
        assert!(!c.stored.values().any(|s| read_block(s) == Some(b.clone())));
    }

    #[test]
    fn finish_saves_frees_and_stops_caching_until_the_next_load() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hl.bin");
        let h = Highlighter::default();
        h.load(&path);
        let a = h.highlight("let a = 1;\n", "js");
        h.finish();
        assert!(h.cache.lock().unwrap().used.is_empty(), "the blocks are freed");
        assert_eq!(h.highlight("x: 1\n", "yaml"), Highlighter::default().highlight("x: 1\n", "yaml"));
        h.save(&path).unwrap();
        h.load(&path);
        let mut c = h.cache.lock().unwrap();
        c.ready();
        assert!(!c.closed, "a load reopens the cache");
        assert_eq!(c.stored.values().filter_map(read_block).collect::<Vec<_>>(), [a], "saved by finish, not overwritten by the later save");
    }

    #[test]
    fn damaged_cache_files_are_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hl.bin");
        let start = MAGIC.len() as u64;
        let entry = |key: &[u8; 32], at: u64, len: u32| [&key[..], &at.to_le_bytes(), &len.to_le_bytes()].concat();
        let out_of_range = [MAGIC, &entry(&[0; 32], start, u32::MAX), &start.to_le_bytes()].concat();
        for bytes in [b"garbage".to_vec(), [MAGIC, &[7u8; 40]].concat(), out_of_range] {
            std::fs::write(&path, bytes).unwrap();
            let h = Highlighter::default();
            h.load(&path);
            let mut c = h.cache.lock().unwrap();
            c.ready();
            assert!(c.stored.is_empty());
            drop(c);
            assert!(h.highlight("let a = 1;\n", "js").contains("hl-"));
        }
        // A block that is not UTF-8 is only found out when used: it is highlighted afresh.
        let key = blake3::Hasher::new().update(b"js\0let a = 1;\n").finalize();
        std::fs::write(&path, [MAGIC, &[0xff], &entry(key.as_bytes(), start, 1), &(start + 1).to_le_bytes()].concat()).unwrap();
        let h = Highlighter::default();
        h.load(&path);
        let mut c = h.cache.lock().unwrap();
        c.ready();
        assert!(c.stored.contains_key(&key));
        drop(c);
        assert!(h.highlight("let a = 1;\n", "js").contains("hl-"));
        assert!(matches!(h.cache.lock().unwrap().used.get(&key), Some(Block::Fresh(_))));
    }
}
