//! What the preview server adds to every HTML page: the live-reload script
//! (`reload.js`) and, while the latest build has errors, the error overlay.
//! Architecture invariant: injection happens only here, at response time; built sites and
//! themes never contain the script, so every theme gets live reload.

use super::state::BuildError;
use crate::render::highlight::escape_html;

/// The client script; it reads the page's build generation from its `data-generation`.
const SCRIPT: &str = include_str!("reload.js");

/// The overlay's look, shared by the server-rendered and the script-rendered overlay.
const STYLE: &str = "#vellum-error-overlay{position:fixed;inset:0;z-index:2147483647;background:rgba(20,20,24,.55);\
display:flex;align-items:flex-start;justify-content:center;padding:5vh 1rem;overflow:auto;font:15px/1.5 system-ui,sans-serif}\
#vellum-error-overlay .vellum-overlay-panel{position:relative;max-width:56rem;width:100%;background:#fff;color:#1b1b1f;\
border-top:6px solid #c62828;border-radius:8px;padding:1.25rem 1.5rem;box-shadow:0 10px 40px rgba(0,0,0,.35)}\
#vellum-error-overlay h2{margin:0 0 .25rem;font-size:1.2rem;color:#b71c1c}\
#vellum-error-overlay ul{margin:.75rem 0 0;padding-left:1.2rem}#vellum-error-overlay li{margin:.4rem 0}\
#vellum-error-overlay code{font:13px/1.4 ui-monospace,monospace;background:#f3f3f5;padding:.1rem .3rem;border-radius:3px}\
#vellum-error-overlay .vellum-overlay-close{position:absolute;top:.5rem;right:.75rem;border:0;background:none;font-size:1.5rem;cursor:pointer;color:inherit}";

/// `html` with the style, the overlay for `errors` (if any) and the script before `</body>`
/// (appended when the page has none).
pub(crate) fn inject(html: &[u8], generation: u64, errors: &[BuildError]) -> Vec<u8> {
    let mut snippet = format!("<style>{STYLE}</style>\n");
    if !errors.is_empty() {
        snippet.push_str(&overlay(errors));
    }
    snippet.push_str(&format!("<script data-generation=\"{generation}\">\n{SCRIPT}</script>\n"));
    let at = find_body_end(html).unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + snippet.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(snippet.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// The server-rendered overlay: the same markup `reload.js` builds, for a freshly opened page.
fn overlay(errors: &[BuildError]) -> String {
    let mut s = String::from("<div id=\"vellum-error-overlay\" role=\"alert\"><div class=\"vellum-overlay-panel\">");
    s.push_str("<button type=\"button\" class=\"vellum-overlay-close\" aria-label=\"Dismiss build errors\" onclick=\"this.closest('#vellum-error-overlay').remove()\">&times;</button>");
    let noun = if errors.len() == 1 { "error" } else { "errors" };
    s.push_str(&format!(
        "<h2>Build failed ({} {noun})</h2><p>Showing the last good build. Fix the file and the page reloads.</p><ul>",
        errors.len()
    ));
    for e in errors {
        let at = match (e.line, e.col) {
            (0, _) => e.file.clone(),
            (l, 0) => format!("{}:{l}", e.file),
            (l, c) => format!("{}:{l}:{c}", e.file),
        };
        s.push_str(&format!(
            "<li><code class=\"vellum-overlay-at\">{}</code> <span class=\"vellum-overlay-msg\">{}</span></li>",
            escape_html(&at),
            escape_html(&e.message)
        ));
    }
    s.push_str("</ul></div></div>\n");
    s
}

/// Byte offset of the last `</body>` (any case).
fn find_body_end(html: &[u8]) -> Option<usize> {
    const TAG: &[u8] = b"</body>";
    (0..html.len().saturating_sub(TAG.len() - 1)).rev().find(|&i| html[i..i + TAG.len()].eq_ignore_ascii_case(TAG))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_goes_before_the_last_body_end() {
        let out = String::from_utf8(inject(b"<html><body><p>x</p></BODY></html>", 7, &[])).unwrap();
        let script = out.find("<script data-generation=\"7\">").unwrap();
        assert!(script < out.find("</BODY>").unwrap());
        assert!(out.ends_with("</BODY></html>"));
        assert!(!out.contains("vellum-error-overlay\" role"));
        let bare = String::from_utf8(inject(b"<p>no body</p>", 1, &[])).unwrap();
        assert!(bare.starts_with("<p>no body</p><style>"));
    }

    #[test]
    fn overlay_lists_escaped_errors() {
        let e = BuildError { file: "a/<b>.mdx".into(), line: 3, col: 9, code: "x".into(), message: "bad & <worse>".into() };
        let out = String::from_utf8(inject(b"<body></body>", 2, &[e])).unwrap();
        assert!(out.contains("role=\"alert\""));
        assert!(out.contains("a/&lt;b&gt;.mdx:3:9"), "{out}");
        assert!(out.contains("bad &amp; &lt;worse&gt;"));
        assert!(!out.contains("<worse>"));
    }

    #[test]
    fn script_cannot_end_its_own_tag() {
        assert!(!SCRIPT.to_ascii_lowercase().contains("</script"));
    }
}
