//! Markdown nested to any depth (issue 27): lists, ordered lists, quotes, emphasis, links,
//! images and components, alone and mixed, up to 20,000 levels. Every page renders on a
//! quarter of a rayon worker's stack, the part past the walk's limit is reported once as
//! `markdown.too-deep` at its line, and its words are still in the page and its twin.

use crate::bad_input::{rendered, site};
use proptest::prelude::*;
use vellum::compile::Compiler;
use vellum::config::Config;
use vellum::render::RenderedPage;

/// The walk's limit (`render::markdown::depth::MAX_NESTING`, documented in the user guide).
const LIMIT: usize = 64;

/// The stack each render gets: a quarter of the 2 MiB a rayon worker has, so the margin
/// itself is tested (unoptimised builds have frames several times larger).
const STACK: usize = if cfg!(debug_assertions) { 16 << 20 } else { 512 << 10 };

/// One level of nesting.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Layer {
    Quote,
    Bullet,
    Ordered,
    Star,
    Underscore,
    Strong,
    Link,
    Image,
    Strike,
    Component,
}

use Layer::*;

impl Layer {
    fn is_block(self) -> bool {
        matches!(self, Quote | Bullet | Ordered)
    }

    /// Markup before and after what it holds (block layers: a line prefix).
    fn marks(self) -> (&'static str, &'static str) {
        match self {
            Quote => ("> ", ""),
            Bullet => ("- ", ""),
            Ordered => ("1. ", ""),
            Star => ("*a ", " b*"),
            Underscore => ("_a ", " b_"),
            Strong => ("**", "**"),
            Link => ("[", "](/x)"),
            Image => ("![", "](/x.png)"),
            Strike => ("~~", "~~"),
            Component => ("<Box>\n", "\n</Box>\n"),
        }
    }
}

/// A page nesting `layers` (outermost first) around the word `deepcore`, then a paragraph.
/// Components wrap the rest (the JSX layer keeps at most 64 of them); block layers make one
/// line prefix, inline layers wrap the word after a first word.
fn page(layers: &[Layer]) -> String {
    let components = layers.iter().filter(|l| **l == Component).count().min(64);
    let (open, close) = Component.marks();
    let mut s = String::from("---\ntitle: Deep\n---\n\n");
    s.push_str(&open.repeat(components));
    for l in layers.iter().filter(|l| l.is_block()) {
        s.push_str(l.marks().0);
    }
    let inline: Vec<Layer> = layers.iter().copied().filter(|l| !l.is_block() && *l != Component).collect();
    if !inline.is_empty() {
        // Not at the start of a line, where `~~~` opens a fence and `***` is a rule.
        s.push_str("lead ");
    }
    for l in &inline {
        s.push_str(l.marks().0);
    }
    s.push_str("deepcore");
    for l in inline.iter().rev() {
        s.push_str(l.marks().1);
    }
    s.push('\n');
    s.push_str(&close.repeat(components));
    s.push_str("\nAfter the nesting.\n");
    s
}

/// Render `text` as the compiler does, on a thread with [`STACK`] bytes of stack.
fn render_small_stack(text: String) -> RenderedPage {
    let t = std::thread::Builder::new().stack_size(STACK).spawn(move || rendered(&text, &Default::default())).unwrap();
    t.join().expect("the render overflowed or panicked")
}

/// The page rendered, with its words in both targets; returns the `markdown.too-deep` lines.
#[track_caller]
fn check(layers: &[Layer]) -> Vec<String> {
    let page = render_small_stack(page(layers));
    let too_deep: Vec<String> = page.diags.iter().filter(|d| d.code == "markdown.too-deep").map(|d| d.to_line()).collect();
    assert!(too_deep.len() <= 1, "reported once per page: {too_deep:?}");
    let html = page.html.into_text();
    let twin = page.markdown.into_text();
    for (target, text) in [("html", &html), ("twin", &twin)] {
        assert!(text.contains("deepcore"), "{target} lost the innermost word: {layers:?}");
        assert!(text.contains("After the nesting."), "{target} lost the next paragraph: {layers:?}");
    }
    too_deep
}

#[test]
fn every_kind_nests_to_the_limit_and_is_flattened_past_it() {
    // Lists on one line nest as deep as comrak allows (100 lists), quotes and emphasis
    // without end; components as deep as the JSX layer allows (64), so they are mixed here.
    let kinds = [vec![Quote], vec![Bullet], vec![Ordered], vec![Star], vec![Underscore], vec![Strong], vec![Component, Quote]];
    for kind in kinds {
        let levels = |n: usize| -> Vec<Layer> { (0..n).map(|i| kind[(i * kind.len()) / n]).collect() };
        assert!(check(&levels(LIMIT)).is_empty(), "{kind:?} × {LIMIT} is within the limit");
        let over = check(&levels(LIMIT + 1));
        assert_eq!(over.len(), 1, "{kind:?} × {}", LIMIT + 1);
        assert!(over[0].starts_with("warning[markdown.too-deep]: p.mdx:"), "{over:?}");
    }
    for kind in [Quote, Star, Underscore, Strong] {
        let d = check(&vec![kind; 20_000]);
        // One line after the frontmatter, at the 65th level's opening mark.
        let col = 1 + LIMIT * kind.marks().0.len() + if kind.is_block() { 0 } else { "lead ".len() };
        assert_eq!(
            d,
            [format!(
                "warning[markdown.too-deep]: p.mdx:5:{col}: Markdown nested more than {LIMIT} levels deep; what is deeper is shown as plain text (hint: lists, quotes, emphasis, links and components count one level each)"
            )]
        );
    }
    // Links hold no links and images are not walked: never too deep, words kept.
    for kind in [Link, Image, Strike, Bullet, Ordered] {
        check(&vec![kind; 20_000]);
    }
}

#[test]
fn indented_lists_a_thousand_deep_are_flattened() {
    for marker in ["- ", "1. "] {
        let indent = " ".repeat(marker.len());
        let mut text = String::from("---\ntitle: Deep\n---\n\n");
        for i in 0..1000 {
            text.push_str(&format!("{}{marker}item{i}\n", indent.repeat(i)));
        }
        let page = render_small_stack(text);
        let d: Vec<_> = page.diags.iter().filter(|d| d.code == "markdown.too-deep").collect();
        assert_eq!(d.len(), 1, "{marker}");
        // The 65th list starts on the 65th item's line (line 5 is the first item).
        assert_eq!((d[0].line, d[0].col), (5 + LIMIT as u32, 1 + (LIMIT * indent.len()) as u32), "{marker}");
        let html = page.html.into_text();
        let twin = page.markdown.into_text();
        assert!(html.contains("item63") && html.contains("item999"), "{marker}");
        assert!(twin.contains("item63") && twin.contains("item999"), "{marker}");
    }
}

/// The compile path `vellum build`, `check`, `search` and `serve` share, on the stack of a
/// plain spawned thread (serve's rebuild thread): a full and an incremental compile.
#[test]
fn deep_pages_compile_and_recompile_like_serve() {
    let deep = page(&[vec![Component; 3], vec![Quote; 5_000], vec![Strong; 5_000]].concat());
    let dir = site(&[("deep.mdx", &deep), ("other.mdx", "# Other\n\nFine.\n")]);
    let src = dir.path().join("src");
    let out = std::thread::spawn(move || {
        let compiler = Compiler::incremental(&src, Config::load(&src, None).unwrap());
        let first = compiler.compile();
        std::fs::write(src.join("deep.mdx"), deep.replace("deepcore", "deepcore again")).unwrap();
        (first, compiler.compile())
    })
    .join()
    .expect("compile overflowed or panicked");
    for c in [out.0, out.1] {
        let html = String::from_utf8_lossy(&c.files["deep/index.html"]).into_owned();
        assert!(html.contains("deepcore") && html.contains("</article>"), "page built whole");
        assert_eq!(c.diags.sorted().iter().filter(|d| d.code == "markdown.too-deep").count(), 1);
    }
}

fn layer() -> impl Strategy<Value = Layer> {
    prop::sample::select(vec![Quote, Bullet, Ordered, Star, Underscore, Strong, Link, Image, Strike, Component])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    /// Any mix, up to 20,000 levels: it renders, keeps its words and is reported when its
    /// quotes and components alone (which always nest) pass the limit.
    #[test]
    fn any_mix_of_nesting_renders_and_keeps_its_words(
        runs in prop::collection::vec((layer(), 1usize..400), 1..50),
    ) {
        let layers: Vec<Layer> = runs.iter().flat_map(|&(l, n)| std::iter::repeat_n(l, n)).take(20_000).collect();
        let always = layers.iter().filter(|l| **l == Quote).count() + layers.iter().filter(|l| **l == Component).count().min(64);
        let reported = check(&layers);
        prop_assert!(always <= LIMIT || reported.len() == 1, "{} levels unreported", always);
    }
}
