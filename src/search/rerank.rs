//! Second ranking stage over the best first-stage candidates: signals that BM25F's
//! bag of words cannot see. A section whose heading (or page title) is made of the
//! query's words is about the query, not merely mentioning it; query words that occur
//! side by side in the text (`GET /events`, "magic link") are a phrase, not chance.

use std::collections::HashMap;

/// Boost for a heading fully made of query words (the page intro's heading is the title).
const HEADING: f32 = 1.0;
/// Boost for a page name (title and URL slug) fully made of query words, for every
/// section of the page: the strongest sign that the page is about the query.
const TITLE: f32 = 1.5;
/// Boost for every pair of consecutive query words found side by side.
const PHRASE: f32 = 0.6;

/// Per-document data of the second stage, in final term ids.
pub(crate) struct Shape {
    /// Distinct whole-word terms of the heading field.
    heading: Box<[u32]>,
    /// Distinct whole-word terms of the page title and URL slug.
    title: Box<[u32]>,
    /// Whole-word terms of heading and body in reading order.
    words: Box<[u32]>,
}

/// Collects a document's `Shape` in provisional term ids while it is indexed.
#[derive(Default)]
pub(crate) struct ShapeBuilder {
    heading: Vec<u32>,
    title: Vec<u32>,
    words: Vec<u32>,
}

impl ShapeBuilder {
    /// Records one token of field `field` (0 heading, 1 crumbs, 2 body).
    pub(crate) fn add(&mut self, field: usize, id: u32, part: bool) {
        if part || field == 1 {
            return;
        }
        if field == 0 && !self.heading.contains(&id) {
            self.heading.push(id);
        }
        self.words.push(id);
    }

    /// Records one whole-word term of the page name.
    pub(crate) fn title(&mut self, id: u32) {
        if !self.title.contains(&id) {
            self.title.push(id);
        }
    }

    /// Translates to final ids (`remap[provisional] = final`).
    pub(crate) fn build(self, remap: &[u32]) -> Shape {
        let map = |v: Vec<u32>| v.into_iter().map(|i| remap[i as usize]).collect();
        Shape { heading: map(self.heading), title: map(self.title), words: map(self.words) }
    }
}

/// The query as the second stage sees it: per query word, its weighted terms.
pub(crate) struct Query {
    words: Vec<HashMap<u32, f32>>,
    any: HashMap<u32, f32>,
}

impl Query {
    /// From the engine's expanded groups (one per query word).
    pub(crate) fn new(groups: &[Vec<(usize, f32)>]) -> Self {
        let mut any: HashMap<u32, f32> = HashMap::new();
        let words = groups
            .iter()
            .map(|g| {
                let mut m = HashMap::new();
                for &(t, w) in g {
                    m.insert(t as u32, w);
                    let e = any.entry(t as u32).or_insert(0.0);
                    *e = e.max(w);
                }
                m
            })
            .collect();
        Query { words, any }
    }

    /// Score multiplier (≥ 1) for a document.
    pub(crate) fn boost(&self, s: &Shape) -> f32 {
        1.0 + HEADING * self.made_of_query(&s.heading) + TITLE * self.made_of_query(&s.title) + PHRASE * self.phrases(&s.words)
    }

    /// Share of `terms` that the query asks for, each weighted by its match quality.
    fn made_of_query(&self, terms: &[u32]) -> f32 {
        if terms.is_empty() {
            return 0.0;
        }
        terms.iter().map(|t| self.any.get(t).copied().unwrap_or(0.0)).sum::<f32>() / terms.len() as f32
    }

    /// Number of consecutive query-word pairs that occur side by side in `words`.
    fn phrases(&self, words: &[u32]) -> f32 {
        self.words
            .windows(2)
            .map(|pair| words.windows(2).filter_map(|w| Some(pair[0].get(&w[0])?.min(*pair[1].get(&w[1])?))).fold(0.0f32, f32::max))
            .sum()
    }
}
