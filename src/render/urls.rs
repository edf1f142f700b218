//! Stage 3's side of the URL policy ([`crate::model::url`]): every URL a page writes (Markdown
//! links and images, component attributes, raw HTML) is checked where it is rendered, in
//! both targets; a refused one is a `link.unsafe-url` error at its position and is not
//! written (a link gets `#`, an attribute is left out).
//! Architecture invariant: the decision is `model::url::check`'s; this module only reports.

use super::markdown::Walker;
use crate::diagnostics::Diagnostic;
use crate::model::url::{self, Refused, Use};
use crate::parse::mdx::MdxDoc;

/// The diagnostic for a refused URL: `what` names where it was written (`link to`).
pub(crate) fn refused(rel: &str, line: u32, col: u32, what: &str, written: &str, why: &Refused) -> Diagnostic {
    Diagnostic::error(rel, line, col, "link.unsafe-url", format!("{what} `{}`: {why}; it is removed", url::shown(written)))
}

impl Walker<'_, '_> {
    /// Whether `written` may be published for `used`; if not, reports it at `line:col`.
    pub(crate) fn url_allowed(&mut self, written: &str, used: Use, (line, col): (u32, u32), what: &str) -> bool {
        match url::check(written, used) {
            Ok(()) => true,
            Err(why) => {
                self.out.diags.push(refused(&self.page.rel, line, col, what, written, &why));
                false
            }
        }
    }

    /// Reports the URLs the sanitiser refused in `doc`'s raw HTML (lines and columns of `doc`).
    pub(crate) fn raw_html_refused(&mut self, doc: &MdxDoc, found: Vec<(usize, usize, String, Refused)>) {
        for (line, col, written, why) in found {
            let (line, col) = (doc.first_line + line.max(1) as u32 - 1, col as u32 + doc.col_offset);
            self.out.diags.push(refused(&self.page.rel, line, col, "HTML attribute URL", &written, &why));
        }
    }
}
