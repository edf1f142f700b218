//! URLs: the one policy for every URL that reaches a published page (navigation entries,
//! Markdown links and images, component attributes, raw HTML attributes, changelog links),
//! and the one encoding of site paths at output.
//!
//! A URL is read as a browser reads it before its scheme is looked at: character references
//! decoded (`java&#9;script:`), control characters and whitespace ignored (`\x01javascript:`,
//! `java\tscript:`), letters in any case. Then only `http`, `https`, `mailto`, `tel` and URLs
//! without a scheme (relative, `/`-absolute, `//host`, `#fragment`) pass; an image may also be
//! a `data:` URL of a raster type. `data:image/svg+xml` is refused: an SVG is a document that
//! can hold scripts, inert only while it stays in an `<img>`, and the same URL in a link, an
//! embed or the Markdown twin's reader is not; a raster image is inert anywhere.
//!
//! Pages and files keep their decoded path as their identity (`/café`, `/a b`); a path is
//! percent-encoded (UTF-8) only where a URL is written, and a link is decoded before it is
//! resolved, so `/caf%C3%A9` and `/café` name the same page.
//! Architecture invariant: pure functions of the text; callers turn a refusal into a
//! diagnostic and write no part of the refused URL.

use percent_encoding::{AsciiSet, CONTROLS, percent_decode_str, utf8_percent_encode};
use std::borrow::Cow;

/// Where a URL is used: images may also be raster `data:` URLs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Use {
    /// A link target (`href`) or an embedded document (`iframe src`).
    Link,
    /// An image source.
    Image,
}

/// Why a URL is not published.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    /// `javascript:`, `vbscript:`: the URL runs code when followed.
    #[error("`{0}:` URLs run a script")]
    Script(String),
    /// A `data:` URL outside an image, or of a type that is not a raster image.
    #[error("a `data:` URL is published only as a raster image (png, jpeg, gif, webp, avif)")]
    Data,
    /// `data:image/svg+xml`: an SVG document, which can hold scripts.
    #[error("`data:image/svg+xml` can hold scripts; publish the SVG as a file or inline `<svg>`")]
    Svg,
    /// Any other scheme.
    #[error("the `{0}:` scheme is not published (only http, https, mailto, tel and site links)")]
    Scheme(String),
}

/// Raster image types a `data:` image may have.
const RASTER: &[&str] = &["image/png", "image/jpeg", "image/jpg", "image/gif", "image/webp", "image/avif", "image/bmp", "image/x-icon"];

/// Whether `url` may be published for `used`.
pub fn check(url: &str, used: Use) -> Result<(), Refused> {
    // A scheme and a data URL's media type fit in this many significant characters.
    let s = significant(url, 48);
    let Some(scheme) = scheme(&s) else { return Ok(()) };
    match scheme {
        "http" | "https" | "mailto" | "tel" => Ok(()),
        "data" => {
            let media = s["data:".len()..].split([';', ',']).next().unwrap_or("");
            match media {
                _ if used == Use::Link => Err(Refused::Data),
                "image/svg+xml" => Err(Refused::Svg),
                m if RASTER.contains(&m) => Ok(()),
                _ => Err(Refused::Data),
            }
        }
        "javascript" | "vbscript" | "livescript" => Err(Refused::Script(scheme.into())),
        _ => Err(Refused::Scheme(scheme.into())),
    }
}

/// Whether `url` names a scheme (`https:`, `javascript:`, `data:`), read as [`check`] reads it;
/// site URLs and relative paths do not.
pub fn has_scheme(url: &str) -> bool {
    scheme(&significant(url, 48)).is_some()
}

/// `url` for a diagnostic: control characters shown as escapes, so a message stays one line.
pub fn shown(url: &str) -> String {
    url.chars().map(|c| if c.is_control() { c.escape_default().to_string() } else { c.to_string() }).collect()
}

/// The scheme at the start of `s` (already [`significant`]), lowercase.
fn scheme(s: &str) -> Option<&str> {
    let len = s.bytes().take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')).count();
    (len > 0 && s.as_bytes()[0].is_ascii_alphabetic() && s.as_bytes().get(len) == Some(&b':')).then(|| &s[..len])
}

/// The first `max` characters of `url` that a browser reads when it looks for a scheme:
/// character references decoded, control characters and whitespace left out, ASCII
/// lowercased. Leaving them out anywhere (a browser drops tabs and newlines anywhere, other
/// controls only at the ends) refuses more, never less.
fn significant(url: &str, max: usize) -> String {
    let mut out = String::new();
    let mut rest = url;
    while let Some(c) = rest.chars().next() {
        if out.len() >= max {
            break;
        }
        let (text, len): (Cow<'_, str>, usize) = match if c == '&' { reference(rest) } else { None } {
            Some(r) => r,
            None => (Cow::Borrowed(&rest[..c.len_utf8()]), c.len_utf8()),
        };
        rest = &rest[len..];
        out.extend(text.chars().filter(|c| !c.is_control() && !c.is_whitespace()).map(|c| c.to_ascii_lowercase()));
    }
    out
}

/// The character reference at the start of `s` (`&#9;`, `&#x3A`, `&colon;`): its text and
/// length. Numeric references need no `;`, as in an attribute value.
fn reference(s: &str) -> Option<(Cow<'static, str>, usize)> {
    let body = &s[1..];
    if let Some(num) = body.strip_prefix('#') {
        let (radix, digits) = match num.strip_prefix(['x', 'X']) {
            Some(h) => (16, h),
            None => (10, num),
        };
        let len = digits.bytes().take_while(|b| (*b as char).is_digit(radix)).count();
        if len == 0 {
            return None;
        }
        let value = digits[..len].chars().fold(0u32, |v, d| v.saturating_mul(radix).saturating_add(d.to_digit(radix).unwrap_or(0)));
        let used = 2 + usize::from(radix == 16) + len + usize::from(digits[len..].starts_with(';'));
        let c = char::from_u32(value).filter(|&c| c != '\0').unwrap_or('\u{fffd}');
        return Some((Cow::Owned(c.to_string()), used));
    }
    let len = body.bytes().take_while(u8::is_ascii_alphanumeric).count();
    let named = s.get(..len + 2).filter(|n| n.ends_with(';'))?;
    entities::ENTITIES.iter().find(|e| e.entity == named).map(|e| (Cow::Borrowed(e.characters), named.len()))
}

/// Characters a path segment keeps as they are: RFC 3986's unreserved and sub-delimiters,
/// `:` and `@` (and `/`, which separates segments). Everything else, `%` included (a site
/// path is decoded), is percent-encoded as UTF-8.
const PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// A fragment also keeps `?` (and `/`).
const FRAGMENT: &AsciiSet = &PATH.remove(b'?');

/// A site path (`/café`, `/a b`) as a URL writes it (`/caf%C3%A9`, `/a%20b`).
pub fn encode_path(path: &str) -> Cow<'_, str> {
    utf8_percent_encode(path, PATH).into()
}

/// A fragment (a heading id) as a URL writes it.
pub fn encode_fragment(fragment: &str) -> Cow<'_, str> {
    utf8_percent_encode(fragment, FRAGMENT).into()
}

/// A path or fragment as written in a link, decoded to the site's names (`/caf%C3%A9` →
/// `/café`). Escapes that do not decode to UTF-8 are kept as written.
pub fn decode(s: &str) -> Cow<'_, str> {
    if !s.contains('%') {
        return Cow::Borrowed(s);
    }
    match percent_decode_str(s).decode_utf8() {
        Ok(d) => Cow::Owned(d.into_owned()),
        Err(_) => Cow::Borrowed(s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_vectors_are_refused() {
        for url in [
            "javascript:alert(1)",
            "JAVASCRIPT:alert(1)",
            "JaVaScRiPt:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "\x01javascript:alert(1)",
            " \x00javascript:alert(1)",
            "java&#9;script:alert(1)",
            "java&#x9;script:alert(1)",
            "java&#09script:alert(1)",
            "&#1;javascript:alert(1)",
            "&#106;avascript:alert(1)",
            "&#x6A;&#x61;vascript:alert(1)",
            "javascript&colon;alert(1)",
            "java&Tab;script:alert(1)",
            "java&NewLine;script:alert(1)",
            "javascript://%0aalert(1)",
            "vbscript:msgbox(1)",
        ] {
            assert!(matches!(check(url, Use::Link), Err(Refused::Script(_))), "{url:?}");
            assert!(check(url, Use::Image).is_err(), "{url:?}");
            assert!(has_scheme(url), "{url:?}");
        }
    }

    #[test]
    fn other_schemes_and_data() {
        assert_eq!(check("data:text/html,<script>alert(1)</script>", Use::Link), Err(Refused::Data));
        assert_eq!(check("data:text/html,<script>alert(1)</script>", Use::Image), Err(Refused::Data));
        assert_eq!(check("data:image/png;base64,iVBOR", Use::Link), Err(Refused::Data));
        assert_eq!(check("data:image/png;base64,iVBOR", Use::Image), Ok(()));
        assert_eq!(check("DATA:image/GIF,x", Use::Image), Ok(()));
        assert_eq!(check("data:image/svg+xml,<svg onload=alert(1)>", Use::Image), Err(Refused::Svg));
        assert_eq!(check("data:image/svg+xml;base64,PHN2Zz4=", Use::Image), Err(Refused::Svg));
        assert_eq!(check("file:///etc/passwd", Use::Link), Err(Refused::Scheme("file".into())));
        assert_eq!(check("ftp://x.example/a", Use::Link), Err(Refused::Scheme("ftp".into())));
    }

    #[test]
    fn what_docs_link_to_passes() {
        for url in [
            "https://example.com/a?b=c#d",
            "HTTP://example.com",
            "mailto:a@example.com",
            "tel:+1-555",
            "//cdn.example.com/x.js",
            "/guide/page",
            "./sibling",
            "../up",
            "page",
            "#heading",
            "?q=1",
            "",
            "/a:b",
            "a/b:c",
            "/caf%C3%A9",
            "&amp;x",
            "&unknown;",
            "&#",
        ] {
            assert_eq!(check(url, Use::Link), Ok(()), "{url:?}");
        }
        assert!(!has_scheme("/guide/page") && !has_scheme("#x") && has_scheme("https://x"));
    }

    #[test]
    fn paths_are_encoded_and_decoded() {
        assert_eq!(encode_path("/café/a b"), "/caf%C3%A9/a%20b");
        assert_eq!(encode_path("/hash#tag/q?mark/100%"), "/hash%23tag/q%3Fmark/100%25");
        assert_eq!(encode_path("/new\nline"), "/new%0Aline");
        assert_eq!(encode_path("/sso/test-sso_a.b~c!$&'()*+,;=:@"), "/sso/test-sso_a.b~c!$&'()*+,;=:@");
        assert_eq!(encode_fragment("a?b#c é"), "a?b%23c%20%C3%A9");
        assert_eq!(decode("/caf%C3%A9"), "/café");
        assert_eq!(decode("/hash%23tag"), "/hash#tag");
        assert_eq!(decode("/bad%FF"), "/bad%FF");
        for p in ["/café/a b", "/hash#tag", "/100%", "/new\nline"] {
            assert_eq!(decode(&encode_path(p)), p);
        }
    }

    #[test]
    fn shown_escapes_controls() {
        assert_eq!(shown("java\tscript:\x01"), "java\\tscript:\\u{1}");
    }
}
