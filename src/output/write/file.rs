//! One output file: its new contents, compared with a file already on disk a chunk at a
//! time, and its permission bits. Used by [`Staging`](super::Staging) only.

use std::io;
use std::path::Path;

/// A file's new contents: in memory, or in a temporary file written in pieces.
pub(super) enum Content<'a> {
    Bytes(&'a [u8]),
    File(tempfile::NamedTempFile),
}

impl Content<'_> {
    /// Whether the regular file at `path` holds exactly these contents, with `mode`.
    pub(super) fn is_in(&self, path: &Path, mode: u32) -> bool {
        let len = match self {
            Content::Bytes(b) => b.len() as u64,
            Content::File(f) => f.as_file().metadata().map_or(u64::MAX, |m| m.len()),
        };
        std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file() && m.len() == len && has_mode(&m, mode))
            && match self {
                Content::Bytes(b) => std::fs::read(path).is_ok_and(|old| old == *b),
                Content::File(f) => same_bytes(f.path(), path).unwrap_or(false),
            }
    }
}

/// Whether two files hold the same bytes, read a chunk at a time.
fn same_bytes(a: &Path, b: &Path) -> io::Result<bool> {
    use io::Read as _;
    let (mut a, mut b) = (std::fs::File::open(a)?, std::fs::File::open(b)?);
    let (mut x, mut y) = (vec![0; 1 << 20], vec![0; 1 << 20]);
    loop {
        let n = a.read(&mut x)?;
        if n == 0 {
            return Ok(b.read(&mut y[..1])? == 0);
        }
        b.read_exact(&mut y[..n])?;
        if x[..n] != y[..n] {
            return Ok(false);
        }
    }
}

/// Sets a file's permission bits (unix; elsewhere a no-op).
pub(super) fn set_mode(file: &std::fs::File, mode: u32) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(mode))
    }
    #[cfg(not(unix))]
    {
        let _ = (file, mode);
        Ok(())
    }
}

/// Whether metadata has these permission bits (always true off unix).
fn has_mode(m: &std::fs::Metadata, mode: u32) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        m.permissions().mode() & 0o777 == mode
    }
    #[cfg(not(unix))]
    {
        let _ = (m, mode);
        true
    }
}

/// The default writer.
pub fn fs_write(p: &Path, b: &[u8]) -> io::Result<()> {
    std::fs::write(p, b)
}
