//! The in-memory ranking engine behind `vellum search` and the MCP server: a BM25F
//! index over section documents with prefix and typo expansion. It never touches the
//! file system and never panics on query text.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use super::rerank::{Query, Shape, ShapeBuilder};
use super::text::{Token, edit_distance, tokenize, typo_budget};
use super::{Hit, SearchDoc, snippet};

/// Field order: section heading, page title + breadcrumbs, body.
const FIELDS: usize = 3;
/// BM25F field weights: headings and titles outrank body text.
const WEIGHT: [f32; FIELDS] = [3.0, 2.0, 1.0];
/// BM25F length normalisation per field.
const B: [f32; FIELDS] = [0.5, 0.3, 0.75];
const K1: f32 = 1.2;
/// Identifier parts count less than the whole identifier they come from.
const PART_TF: f32 = 0.5;
/// First-stage candidates that the second stage re-scores.
const RERANK: usize = 200;
/// Most expansions considered for one prefix.
const MAX_PREFIX: usize = 48;
/// Sections of one page allowed in results; the second one is ranked at this factor.
pub(crate) const SECOND_SECTION_FACTOR: f32 = 0.5;

struct Posting {
    doc: u32,
    tf: [f32; FIELDS],
}

/// A ranked, in-memory search index over section documents.
pub struct Engine {
    docs: Vec<SearchDoc>,
    /// Sorted vocabulary; a term's id is its position.
    terms: Vec<String>,
    postings: Vec<Vec<Posting>>,
    lens: Vec<[f32; FIELDS]>,
    avg: [f32; FIELDS],
    /// Per document: what the second ranking stage looks at.
    shapes: Vec<Shape>,
}

/// The fields' text of a doc, in `FIELDS` order.
pub(crate) fn field_texts(d: &SearchDoc) -> [Cow<'_, str>; FIELDS] {
    let heading = if d.section.is_empty() { &d.page_title } else { &d.section };
    let mut crumbs = d.breadcrumbs.join(" ");
    if !d.breadcrumbs.iter().any(|b| b == &d.page_title) {
        crumbs = format!("{} {crumbs}", d.page_title);
    }
    // URL path words name the page even when its title is generic ("Installation").
    crumbs.push(' ');
    crumbs.push_str(&d.page_url.replace(['/', '-'], " "));
    [Cow::Borrowed(heading), Cow::Owned(crumbs), Cow::Borrowed(&d.body)]
}

impl Engine {
    /// Indexes the documents; `Hit::doc` and `doc()` use their positions.
    pub fn new(docs: Vec<SearchDoc>) -> Self {
        let mut ids: HashMap<String, u32> = HashMap::new();
        let mut by_id: Vec<HashMap<u32, [f32; FIELDS]>> = Vec::new();
        let mut lens = Vec::with_capacity(docs.len());
        let mut shapes = Vec::with_capacity(docs.len());
        for (i, d) in docs.iter().enumerate() {
            let mut len = [0.0; FIELDS];
            let mut shape = ShapeBuilder::default();
            for (f, text) in field_texts(d).iter().enumerate() {
                for Token { term, part, .. } in tokenize(text) {
                    let next = ids.len() as u32;
                    let id = *ids.entry(term).or_insert(next);
                    if id == next {
                        by_id.push(HashMap::new());
                    }
                    let tf = &mut by_id[id as usize].entry(i as u32).or_insert([0.0; FIELDS])[f];
                    if *tf == 0.0 {
                        len[f] += 1.0;
                    }
                    *tf += if part { PART_TF } else { 1.0 };
                    shape.add(f, id, part);
                }
            }
            // A page is named by its title and its URL slug ("Installation" at /sdks/ruby).
            let slug = d.page_url.rsplit('/').next().unwrap_or_default().replace('-', " ");
            for t in tokenize(&format!("{} {slug}", d.page_title)).into_iter().filter(|t| !t.part) {
                if let Some(&id) = ids.get(&t.term) {
                    shape.title(id);
                }
            }
            lens.push(len);
            shapes.push(shape);
        }
        let n = lens.len().max(1) as f32;
        let avg = std::array::from_fn(|f| (lens.iter().map(|l| l[f]).sum::<f32>() / n).max(1.0));
        let mut terms: Vec<(String, u32)> = ids.into_iter().collect();
        terms.sort();
        // Provisional ids (first use) to final ids (vocabulary order).
        let mut remap = vec![0u32; terms.len()];
        for (pos, (_, old)) in terms.iter().enumerate() {
            remap[*old as usize] = pos as u32;
        }
        let postings = terms
            .iter()
            .map(|(_, old)| {
                let mut list: Vec<Posting> =
                    std::mem::take(&mut by_id[*old as usize]).into_iter().map(|(doc, tf)| Posting { doc, tf }).collect();
                list.sort_by_key(|p| p.doc);
                list
            })
            .collect();
        let shapes = shapes.into_iter().map(|s| s.build(&remap)).collect();
        Engine { docs, terms: terms.into_iter().map(|(t, _)| t).collect(), postings, lens, avg, shapes }
    }

    /// Number of indexed documents.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    /// True when no documents are indexed.
    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// The document at position `i` (as given to `new`).
    ///
    /// # Panics
    /// Panics if `i` is out of range; `Hit::doc` is always in range.
    pub fn doc(&self, i: usize) -> &SearchDoc {
        &self.docs[i]
    }

    /// Ranks sections for `query`: at most two sections per page, the second one
    /// demoted, so the top results are distinct pages.
    pub fn search(&self, query: &str, limit: usize) -> Vec<Hit> {
        let groups = self.expand_query(query);
        if groups.is_empty() || limit == 0 || self.docs.is_empty() {
            return Vec::new();
        }
        let n = self.docs.len();
        let mut total = vec![0.0f32; n];
        let mut covered = vec![0.0f32; n];
        let mut best = vec![0.0f32; n];
        let mut importance = 0.0;
        for group in &groups {
            best.iter_mut().for_each(|b| *b = 0.0);
            for &(term, weight) in group {
                let list = &self.postings[term];
                let idf = idf(n, list.len());
                for p in list {
                    let s = weight * idf * self.bm25f(p);
                    let b = &mut best[p.doc as usize];
                    if s > *b {
                        *b = s;
                    }
                }
            }
            // A word weighs in coverage by the rarity of its best term: missing a
            // common word ("set", "use") costs less than missing a rare one.
            let (top, _) = group.iter().copied().fold((0, f32::MIN), |a, (t, w)| if w > a.1 { (t, w) } else { a });
            let weight = idf(n, self.postings[top].len());
            importance += weight;
            for (i, b) in best.iter().enumerate() {
                if *b > 0.0 {
                    total[i] += b;
                    covered[i] += weight;
                }
            }
        }
        let mut ranked: Vec<(usize, f32)> = total
            .iter()
            .enumerate()
            .filter(|(_, s)| **s > 0.0)
            .map(|(i, s)| {
                let coverage = covered[i] / importance;
                (i, s * coverage * coverage)
            })
            .collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked.truncate(RERANK);
        let q = Query::new(&groups);
        for (doc, score) in &mut ranked {
            *score *= q.boost(&self.shapes[*doc]);
        }
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let ranked = collapse_pages(&self.docs, ranked, limit);
        let wanted: HashSet<&str> = groups.iter().flatten().map(|&(t, _)| self.terms[t].as_str()).collect();
        ranked.into_iter().map(|(doc, score)| Hit { doc, score, snippet: snippet::make(&self.docs[doc].body, &wanted) }).collect()
    }

    fn bm25f(&self, p: &Posting) -> f32 {
        let len = &self.lens[p.doc as usize];
        let mut tf = 0.0;
        for f in 0..FIELDS {
            if p.tf[f] > 0.0 {
                tf += WEIGHT[f] * p.tf[f] / (1.0 - B[f] + B[f] * len[f] / self.avg[f]);
            }
        }
        tf * (K1 + 1.0) / (tf + K1)
    }

    /// Turns the query into groups (one per query word) of weighted vocabulary terms.
    fn expand_query(&self, query: &str) -> Vec<Vec<(usize, f32)>> {
        let tokens = tokenize(query);
        let mut groups: Vec<Vec<(usize, f32)>> = Vec::new();
        let mut whole_known = false;
        for tok in tokens {
            let exact = self.terms.binary_search(&tok.term).ok();
            if !tok.part {
                whole_known = exact.is_some();
                groups.push(Vec::new());
            }
            let factor = if tok.part && whole_known { 0.3 } else { 1.0 };
            let Some(group) = groups.last_mut() else { continue };
            let mut add = |id: usize, w: f32| {
                let w = w * factor;
                match group.iter_mut().find(|(t, _)| *t == id) {
                    Some(e) => e.1 = e.1.max(w),
                    None => group.push((id, w)),
                }
            };
            if let Some(id) = exact {
                add(id, 1.0);
            }
            let qlen = tok.term.chars().count();
            if qlen >= 3 {
                for id in self.prefixed(&tok.term) {
                    let len = self.terms[id].chars().count() as f32;
                    add(id, 0.4 + 0.4 * qlen as f32 / len);
                }
            }
            if exact.is_none() {
                for (id, d) in self.near(&tok.term, typo_budget(qlen)) {
                    add(id, if d == 1 { 0.7 } else { 0.45 });
                }
            }
        }
        groups.retain(|g| !g.is_empty());
        groups
    }

    /// Ids of vocabulary terms that strictly extend `prefix`, shortest first.
    fn prefixed(&self, prefix: &str) -> Vec<usize> {
        let start = self.terms.partition_point(|t| t.as_str() <= prefix);
        let mut ids: Vec<usize> = (start..self.terms.len()).take_while(|&i| self.terms[i].starts_with(prefix)).collect();
        if ids.len() > MAX_PREFIX {
            ids.sort_by_key(|&i| (self.terms[i].len(), std::cmp::Reverse(self.postings[i].len())));
            ids.truncate(MAX_PREFIX);
        }
        ids
    }

    /// Vocabulary terms within `max` edits of `term` that share its first character.
    fn near(&self, term: &str, max: usize) -> Vec<(usize, usize)> {
        let Some(first) = term.chars().next() else { return Vec::new() };
        if max == 0 {
            return Vec::new();
        }
        let lo = self.terms.partition_point(|t| t.chars().next().is_some_and(|c| c < first));
        (lo..self.terms.len())
            .take_while(|&i| self.terms[i].starts_with(first))
            .filter(|&i| self.terms[i].len().abs_diff(term.len()) <= max)
            .filter_map(|i| edit_distance(term, &self.terms[i], max).map(|d| (i, d)))
            .collect()
    }
}

fn idf(n: usize, df: usize) -> f32 {
    let (n, df) = (n as f32, df as f32);
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

/// Keeps at most two sections per page, demoting the second, then re-sorts.
fn collapse_pages(docs: &[SearchDoc], ranked: Vec<(usize, f32)>, limit: usize) -> Vec<(usize, f32)> {
    let mut seen: HashMap<&str, u8> = HashMap::new();
    let mut out = Vec::new();
    for (doc, score) in ranked {
        let count = seen.entry(docs[doc].page_url.as_str()).or_insert(0);
        *count += 1;
        match *count {
            1 => out.push((doc, score)),
            2 => out.push((doc, score * SECOND_SECTION_FACTOR)),
            _ => {}
        }
        if out.len() >= limit * 3 {
            break;
        }
    }
    out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    out.truncate(limit);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(page: &str, section: &str, body: &str) -> SearchDoc {
        SearchDoc {
            url: format!("{page}#{section}"),
            page_url: page.into(),
            page_title: page.trim_start_matches('/').into(),
            section: section.into(),
            breadcrumbs: vec![],
            body: body.into(),
        }
    }

    fn engine() -> Engine {
        Engine::new(vec![
            doc("/sso", "", "Single sign-on lets users authenticate with their identity provider."),
            doc("/sso", "Testing", "Use the test identity provider to test SSO."),
            doc("/sso", "Errors", "The authentication failed with an error."),
            doc("/users", "createOrganization", "Call createOrganization to add an organization."),
            doc("/users", "list_users", "List users with pagination."),
            doc("/dirs", "Delete directory", "DELETE /directories/:id removes a directory."),
        ])
    }

    fn top_page(e: &Engine, q: &str) -> String {
        let hits = e.search(q, 5);
        hits.first().map(|h| e.doc(h.doc).page_url.clone()).unwrap_or_default()
    }

    #[test]
    fn ranks_identifiers_prefixes_and_typos() {
        let e = engine();
        assert_eq!(e.doc(e.search("createOrganization", 3)[0].doc).section, "createOrganization");
        assert_eq!(e.doc(e.search("list_users", 3)[0].doc).section, "list_users");
        assert_eq!(top_page(&e, "DELETE /directories/:id"), "/dirs");
        assert_eq!(top_page(&e, "direct"), "/dirs");
        assert_eq!(top_page(&e, "authetication"), "/sso");
        assert_eq!(top_page(&e, "organisaton"), "/users");
    }

    #[test]
    fn limits_sections_per_page() {
        let e = engine();
        let hits = e.search("sso test identity error authentication", 10);
        let sso = hits.iter().filter(|h| e.doc(h.doc).page_url == "/sso").count();
        assert_eq!(sso, 2);
    }

    #[test]
    fn empty_and_junk_queries_return_nothing() {
        let e = engine();
        assert!(e.search("", 5).is_empty());
        assert!(e.search("the of ???", 5).is_empty());
        assert!(e.search("sso", 0).is_empty());
        assert!(Engine::new(vec![]).search("sso", 5).is_empty());
    }

    #[test]
    fn snippet_contains_match() {
        let e = engine();
        let hits = e.search("pagination", 1);
        assert!(hits[0].snippet.contains("pagination"), "{}", hits[0].snippet);
    }
}
