//! The plan: every page's path, title, kind and headings, and every section's navigation,
//! decided before any text is written so that pages can link to any page or heading.

use crate::words::{Rng, TYPES, VERBS, sentence_case, words};
use std::collections::HashSet;
use vellum::convention::SlugRule;
use vellum::parse::slug::slugify;

/// An API object: a folder with the object page and its method pages.
pub(crate) struct Api {
    pub(crate) name: String,
    pub(crate) title: String,
    pub(crate) url: String,
    pub(crate) props: Vec<(String, &'static str)>,
}

pub(crate) enum Kind {
    Guide,
    Object(usize),
    Method(usize, &'static str),
    Pagination,
}

pub(crate) struct Head {
    pub(crate) text: String,
    pub(crate) slug: String,
    pub(crate) subs: Vec<(String, String)>,
}

pub(crate) struct Page {
    pub(crate) rel: String,
    pub(crate) url: String,
    pub(crate) title: String,
    pub(crate) kind: Kind,
    pub(crate) heads: Vec<Head>,
}

pub(crate) struct Item {
    pub(crate) page: usize,
    pub(crate) children: Vec<usize>,
}

pub(crate) struct Section {
    pub(crate) slug: String,
    pub(crate) title: String,
    pub(crate) index: usize,
    pub(crate) groups: Vec<(String, Vec<Item>)>,
}

/// Everything decided before any text is written, so pages can link to any heading.
#[derive(Default)]
pub(crate) struct Plan {
    pub(crate) pages: Vec<Page>,
    pub(crate) sections: Vec<Section>,
    pub(crate) apis: Vec<Api>,
    used: HashSet<String>,
}

impl Plan {
    /// `parent/slug`, made unique with a numeric suffix.
    fn claim(&mut self, parent: &str, ws: &[&str]) -> String {
        let base = format!("{parent}/{}", ws.join("-"));
        let mut url = base.clone();
        let mut n = 2;
        while !self.used.insert(url.clone()) {
            url = format!("{base}-{n}");
            n += 1;
        }
        url
    }

    fn add(&mut self, url: String, folder: bool, title: String, kind: Kind, heads: Vec<Head>) -> usize {
        let rel = if folder { format!("{}/index.mdx", &url[1..]) } else { format!("{}.mdx", &url[1..]) };
        self.pages.push(Page { rel, url, title, kind, heads });
        self.pages.len() - 1
    }

    fn guide(&mut self, rng: &mut Rng, parent: &str, folder: bool) -> usize {
        let ws = words(rng, 1, 2);
        let url = self.claim(parent, &ws);
        let heads = headings(rng);
        self.add(url, folder, sentence_case(&ws), Kind::Guide, heads)
    }

    /// An object page and up to `methods` method pages under it.
    fn api(&mut self, rng: &mut Rng, parent: &str, methods: usize) -> Item {
        let ws = words(rng, 1, 2);
        let url = self.claim(parent, &ws);
        let mut name = ws.join("_");
        for n in 2.. {
            if self.used.insert(format!("api:{name}")) {
                break;
            }
            name = format!("{}_{n}", ws.join("_"));
        }
        let mut props: Vec<(String, &'static str)> = Vec::new();
        for w in words(rng, 2, 7) {
            if !props.iter().any(|(p, _)| p == w) && w != "object" && w != "id" {
                props.push((w.to_string(), *rng.pick(TYPES)));
            }
        }
        let title = sentence_case(&ws);
        self.apis.push(Api { name, title: title.clone(), url: url.clone(), props });
        let a = self.apis.len() - 1;
        let page = self.add(url.clone(), true, title.clone(), Kind::Object(a), Vec::new());
        let children = VERBS[..methods]
            .iter()
            .map(|&v| {
                let text = format!("{} a {}", sentence_case(&[v]), title.to_lowercase());
                let head = Head { slug: slugify(&text, SlugRule::Dialect), text, subs: Vec::new() };
                self.used.insert(format!("{url}/{v}"));
                self.add(format!("{url}/{v}"), false, sentence_case(&[v]), Kind::Method(a, v), vec![head])
            })
            .collect();
        Item { page, children }
    }

    pub(crate) fn build(n: usize, rng: &mut Rng) -> Plan {
        let mut p = Plan::default();
        if n > 1 {
            p.used.insert("/pagination".into());
            p.add("/pagination".into(), false, "Pagination".into(), Kind::Pagination, Vec::new());
        }
        while p.pages.len() < n {
            let size = rng.range(50, 200).min(n - p.pages.len());
            let index = p.guide(rng, "", true);
            let slug = p.pages[index].url.clone();
            let mut sec = Section { title: p.pages[index].title.clone(), slug, index, groups: Vec::new() };
            let mut count = 1;
            while count < size {
                let gsize = rng.range(4, 16).min(size - count);
                let ws = words(rng, 1, 2);
                let folder = p.claim(&sec.slug, &ws);
                let reference = gsize >= 2 && rng.chance(12);
                let mut items = Vec::new();
                let mut g = 0;
                while g < gsize {
                    let item = if reference {
                        p.api(rng, &folder, (gsize - g - 1).min(VERBS.len()))
                    } else if gsize - g >= 3 && rng.chance(20) {
                        let page = p.guide(rng, &folder, true);
                        let parent = p.pages[page].url.clone();
                        let children = (0..rng.range(2, 4).min(gsize - g - 1)).map(|_| p.guide(rng, &parent, false)).collect();
                        Item { page, children }
                    } else {
                        Item { page: p.guide(rng, &folder, false), children: Vec::new() }
                    };
                    g += 1 + item.children.len();
                    items.push(item);
                }
                count += gsize;
                sec.groups.push((sentence_case(&ws), items));
            }
            p.sections.push(sec);
        }
        p
    }
}

/// H2s of 3–5 words (page slugs have 1–2, so heading paths never collide with page URLs),
/// each with at most one H3; every slug unique within the page.
fn headings(rng: &mut Rng) -> Vec<Head> {
    let mut seen = HashSet::new();
    let numbered = rng.chance(20);
    let mut fresh = |rng: &mut Rng, lo, hi, prefix: String| loop {
        let text = prefix.clone() + &sentence_case(&words(rng, lo, hi));
        let slug = slugify(&text, SlugRule::Dialect);
        if seen.insert(slug.clone()) {
            return (text, slug);
        }
    };
    (1..=rng.range(2, 7))
        .map(|i| {
            let (text, slug) = fresh(rng, 3, 5, if numbered { format!("({i}) ") } else { String::new() });
            let subs = (0..rng.range(0, 1)).map(|_| fresh(rng, 2, 4, String::new())).collect();
            Head { text, slug, subs }
        })
        .collect()
}
