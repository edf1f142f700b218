//! `vellum-gen OUT_DIR --pages N [--seed S]`: writes a synthetic docs tree in the corpus
//! dialect (DIALECT.md) for benchmarks at scale. Sections of 50–200 pages each get a
//! `_navigation.mdx` with nested groups; guide pages mix the corpus's constructs and link to
//! each other's pages and heading paths; some groups are API-reference folders whose
//! frontmatter cross-references like the corpus's. Snippet files are absent by design, as in
//! the corpus. Deterministic: the same arguments always write the same bytes.
//! A separate binary so benchmarking never shows up in the `vellum` CLI; see scripts/bench.sh.

use clap::Parser;
use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use vellum::parse::slug::slugify;

#[derive(Parser)]
#[command(name = "vellum-gen", about = "Write a synthetic docs tree in the vellum dialect, for benchmarks")]
struct Args {
    /// Output directory; created, and must be empty if it exists.
    out: PathBuf,
    /// Number of pages to write (navigation files not counted).
    #[arg(long)]
    pages: usize,
    /// Seed of the generator.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

/// splitmix64: tiny, fast and good enough for test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

#[rustfmt::skip]
const WORDS: &[&str] = &[
    "access", "account", "action", "admin", "alert", "api", "app", "audit", "backup", "batch", "billing", "branding", "bucket",
    "cache", "callback", "certificate", "channel", "client", "cluster", "config", "connection", "console", "context", "cookie",
    "credential", "dashboard", "data", "deploy", "device", "directory", "domain", "email", "endpoint", "environment", "export",
    "factor", "feature", "field", "filter", "flow", "gateway", "group", "header", "identity", "import", "invite", "issuer", "job",
    "key", "label", "ledger", "limit", "link", "log", "login", "member", "message", "metadata", "metric", "migration", "mode",
    "node", "notice", "object", "organization", "owner", "page", "partner", "password", "payload", "permission", "pipeline",
    "policy", "portal", "profile", "project", "provider", "query", "quota", "record", "redirect", "region", "report", "request",
    "resource", "response", "role", "rule", "schema", "scope", "secret", "session", "setting", "signal", "storage", "stream",
    "tenant", "token", "trigger", "usage", "user", "vault", "version", "webhook", "widget", "workflow", "zone",
];
const VERBS: &[&str] = &["create", "get", "list", "update", "delete"];
#[rustfmt::skip]
const PROSE: &[&str] = &[
    "the", "a", "your", "each", "every", "this", "to", "with", "for", "when", "and", "or", "can", "will", "should", "you'll",
    "it's", "is", "are", "uses", "returns", "sends", "stores", "enables", "requires", "supports", "handles", "after", "before",
    "once", "new", "existing", "active", "secure", "custom", "default", "production", "staging", "automatically", "quickly",
];
#[rustfmt::skip]
const SYLLABLES: &[&str] = &[
    "ba", "cor", "den", "fa", "gil", "ho", "ka", "lin", "mo", "nex", "pa", "quo", "ran", "sel", "ti", "ur", "val", "wen", "xi",
    "yo", "zan", "bri", "cal", "dro",
];
const LANGS: &[&str] = &["js", "json", "shell", "python", "go", "yaml"];
const TAB_SETS: &[&[&str]] = &[&["npm", "Yarn"], &["Request", "Response"], &["Next.js", "Express", "Remix"], &["Maven", "Gradle"]];
const TYPES: &[&str] = &["string", "string", "boolean", "number", "'\"active\" | \"inactive\"'", "string[]"];

/// An API object: a folder with the object page and its method pages.
struct Api {
    name: String,
    title: String,
    url: String,
    props: Vec<(String, &'static str)>,
}

enum Kind {
    Guide,
    Object(usize),
    Method(usize, &'static str),
    Pagination,
}

struct Head {
    text: String,
    slug: String,
    subs: Vec<(String, String)>,
}

struct Page {
    rel: String,
    url: String,
    title: String,
    kind: Kind,
    heads: Vec<Head>,
}

struct Item {
    page: usize,
    children: Vec<usize>,
}

struct Section {
    slug: String,
    title: String,
    index: usize,
    groups: Vec<(String, Vec<Item>)>,
}

/// Everything decided before any text is written, so pages can link to any heading.
#[derive(Default)]
struct Plan {
    pages: Vec<Page>,
    sections: Vec<Section>,
    apis: Vec<Api>,
    used: HashSet<String>,
}

fn words(rng: &mut Rng, lo: usize, hi: usize) -> Vec<&'static str> {
    (0..rng.range(lo, hi)).map(|_| *rng.pick(WORDS)).collect()
}

/// A word from a vocabulary of 14,400 made-up words, Zipf-distributed (rank r has weight
/// about 1/r) so that, as in real prose, a few words are everywhere and most are rare.
fn rare_word(rng: &mut Rng) -> String {
    let n = SYLLABLES.len();
    let vocab = n * n + n * n * n;
    let u = (rng.next() >> 11) as f64 / (1u64 << 53) as f64;
    let mut rank = ((vocab as f64).powf(u) as usize).min(vocab) - 1;
    let mut w = String::new();
    let syllables = if rank < n * n { 2 } else { 3 };
    for _ in 0..syllables {
        w.push_str(SYLLABLES[rank % n]);
        rank /= n;
    }
    w
}

fn sentence_case(ws: &[&str]) -> String {
    let s = ws.join(" ");
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

fn pascal(snake: &str) -> String {
    snake.split('_').map(|w| sentence_case(&[w])).collect()
}

fn camel(snake: &str) -> String {
    let p = pascal(snake);
    p[..1].to_lowercase() + &p[1..]
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
                let head = Head { slug: slugify(&text), text, subs: Vec::new() };
                self.used.insert(format!("{url}/{v}"));
                self.add(format!("{url}/{v}"), false, sentence_case(&[v]), Kind::Method(a, v), vec![head])
            })
            .collect();
        Item { page, children }
    }

    fn build(n: usize, rng: &mut Rng) -> Plan {
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
        let slug = slugify(&text);
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

/// Writes one page's text; holds the plan for links.
struct Gen<'a> {
    plan: &'a Plan,
    rng: Rng,
    out: String,
}

impl Gen<'_> {
    fn link(&mut self) -> String {
        let text = sentence_case(&words(&mut self.rng, 1, 3)).to_lowercase();
        let page = &self.plan.pages[self.rng.below(self.plan.pages.len())];
        match self.rng.below(10) {
            0..=4 => format!("[{text}]({})", page.url),
            5..=7 if !page.heads.is_empty() => {
                let h = self.rng.pick(&page.heads);
                match (self.rng.chance(30), h.subs.first()) {
                    (true, Some((_, sub))) => format!("[{text}]({}/{}/{sub})", page.url, h.slug),
                    _ => format!("[{text}]({}/{})", page.url, h.slug),
                }
            }
            8 => format!("[{text}](https://dashboard.example.com/{})", self.rng.pick(WORDS)),
            _ => format!("[{text}](mailto:support@example.com)"),
        }
    }

    /// A sentence of 6–18 words; `marked` adds inline code, emphasis, links and quotes.
    fn sentence_with(&mut self, marked: bool) -> String {
        let n = self.rng.range(6, 18);
        let mut ws = Vec::with_capacity(n);
        for _ in 0..n {
            let w = match self.rng.below(20) {
                0..=6 => self.rng.pick(PROSE).to_string(),
                7..=12 => self.rng.pick(WORDS).to_string(),
                _ => rare_word(&mut self.rng),
            };
            ws.push(match if marked { self.rng.below(1000) } else { 999 } {
                0..=24 => format!("`{}_{}`", w, self.rng.pick(WORDS)),
                25..=34 => format!("**{w} {}**", self.rng.pick(WORDS)),
                35..=44 => format!("_{w}_"),
                45..=59 => self.link(),
                60..=64 => format!("\"{w}\""),
                _ => w.to_string(),
            });
        }
        sentence_case(&ws.iter().map(String::as_str).collect::<Vec<_>>()) + "."
    }

    fn sentence(&mut self) -> String {
        self.sentence_with(true)
    }

    fn paragraph(&mut self) -> String {
        (0..self.rng.range(1, 4)).map(|_| self.sentence()).collect::<Vec<_>>().join(" ")
    }

    fn ident(&mut self) -> String {
        format!("{}_{}", self.rng.pick(WORDS), self.rng.pick(WORDS))
    }

    fn file(&mut self) -> String {
        format!("{}-{}", self.rng.pick(WORDS), self.rng.pick(WORDS))
    }

    fn code(&mut self, lang: &str) -> String {
        let mut c = String::new();
        let lines = self.rng.range(3, 14);
        for i in 0..lines {
            let (a, b, v) = (self.ident(), self.ident(), self.rng.pick(VERBS));
            let _ = match lang {
                "js" if i == 0 => writeln!(c, "import {{ Client }} from '@example/node';"),
                "js" => writeln!(c, "const {} = await client.{}.{v}({{ {b}: '{a}' }});", camel(&a), camel(&b)),
                "json" if i == 0 => writeln!(c, "{{\n  \"object\": \"{a}\","),
                "json" if i + 1 == lines => writeln!(c, "  \"id\": \"{b}_01H{}\"\n}}", self.rng.next() % 1_000_000),
                "json" => writeln!(c, "  \"{a}\": {},", if i % 2 == 0 { format!("\"{b}\"") } else { (i * 7).to_string() }),
                "shell" if i == 0 => writeln!(c, "curl https://api.example.com/{}/{} \\", self.rng.pick(WORDS), self.rng.pick(WORDS)),
                "shell" if i + 1 == lines => writeln!(c, "  -H \"Authorization: Bearer sk_example_123456789\""),
                "shell" => writeln!(c, "  -d {a}=\"{b}\" \\"),
                "python" if i == 0 => writeln!(c, "from example import Client\n\nclient = Client(api_key=\"sk_example_123456789\")"),
                "python" => writeln!(c, "{a} = client.{b}.{v}({}=\"{a}\")", self.rng.pick(WORDS)),
                "go" if i == 0 => writeln!(c, "package main\n\nfunc main() {{"),
                "go" if i + 1 == lines => writeln!(c, "}}"),
                "go" => writeln!(c, "\t{}, err := client.{}(ctx, \"{b}\")", camel(&a), pascal(&format!("{v}_{b}"))),
                _ => writeln!(c, "{a}:\n  {b}: {}", self.rng.pick(WORDS)),
            };
        }
        c
    }

    fn fence(&mut self) {
        let lang = *self.rng.pick(LANGS);
        let title = if self.rng.chance(50) { format!(" title=\"{}\"", sentence_case(&words(&mut self.rng, 1, 3))) } else { String::new() };
        let code = self.code(lang);
        let _ = writeln!(self.out, "```{lang}{title}\n{code}```\n");
    }

    fn code_block(&mut self, indent: &str) {
        let title = sentence_case(&words(&mut self.rng, 2, 4));
        let file = self.file();
        let _ = match self.rng.below(3) {
            0 => writeln!(self.out, "{indent}<CodeBlock title=\"{title}\" file=\"{file}\" />\n"),
            1 => writeln!(self.out, "{indent}<CodeBlock\n{indent}  title=\"{title}\"\n{indent}  file=\"{file}\"\n{indent}/>\n"),
            _ => {
                let _ = writeln!(self.out, "{indent}<CodeBlock title=\"{title}\" file=\"{file}\">");
                for t in *self.rng.pick(TAB_SETS) {
                    let _ = writeln!(self.out, "{indent}  <CodeBlockTab title=\"{t}\" file=\"{file}-{}\" />", slugify(t));
                }
                writeln!(self.out, "{indent}</CodeBlock>\n")
            }
        };
    }

    fn image(&mut self) -> String {
        let alt = sentence_case(&words(&mut self.rng, 2, 6));
        format!("![{alt}](https://images.example.com/images/{:016x}.png?auto=format&fit=clip&q=50)", self.rng.next())
    }

    fn block(&mut self) {
        match self.rng.below(100) {
            0..=44 => {
                let p = self.paragraph();
                let _ = writeln!(self.out, "{p}\n");
            }
            45..=50 => self.fence(),
            51..=56 => self.code_block(""),
            57..=61 => {
                let label = *self.rng.pick(&["", "", "Note: ", "**Important:** ", "Tip: "]);
                let s = self.sentence();
                let _ = writeln!(self.out, "> {label}{s}\n");
            }
            62..=63 => {
                for t in *self.rng.pick(TAB_SETS) {
                    let _ = writeln!(self.out, "- | {t}\n");
                    if self.rng.chance(50) {
                        let s = self.paragraph();
                        let _ = writeln!(self.out, "  {s}\n");
                    }
                    self.code_block("  ");
                }
            }
            64..=65 => {
                let _ = writeln!(self.out, "| Attribute | Type | Description |\n| --------- | ---- | ----------- |");
                for _ in 0..self.rng.range(2, 6) {
                    let (id, ty, s) = (self.ident(), self.rng.pick(&["string", "boolean", "number"]), self.sentence());
                    let _ = writeln!(self.out, "| `{id}` | {ty} | {s} |");
                }
                self.out.push('\n');
            }
            66..=77 => {
                let img = self.image();
                let _ = writeln!(self.out, "{img}\n");
            }
            78..=85 => {
                let ordered = self.rng.chance(40);
                for i in 1..=self.rng.range(2, 6) {
                    let s = self.sentence();
                    let _ = if ordered { writeln!(self.out, "{i}. {s}") } else { writeln!(self.out, "- {s}") };
                }
                self.out.push('\n');
            }
            86..=87 => {
                for _ in 0..self.rng.range(2, 4) {
                    let (term, def) = (sentence_case(&words(&mut self.rng, 1, 2)), self.sentence());
                    let _ = writeln!(self.out, "**{term}**\n: {def}\n");
                }
            }
            88 => {
                let (name, file, s) = (format!("{}.{}", self.rng.pick(WORDS), self.ident()), self.file(), self.sentence());
                let _ = writeln!(
                    self.out,
                    "<Event.Root>\n  <Event.Details name=\"{name}\">\n    <CodeBlock\n      title=\"Sample event\"\n      file=\"event-{file}\"\n    />\n  </Event.Details>\n  <Event.Description>\n    {s}\n  </Event.Description>\n</Event.Root>\n"
                );
            }
            89..=93 => self.out.push_str("---\n\n"),
            _ => {
                let p = self.paragraph();
                let img = self.image();
                let _ = writeln!(self.out, "{p}\n\n{img}\n");
            }
        }
    }
}

/// Lines of at most about `width` characters, broken at spaces (for folded YAML scalars).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = vec![String::new()];
    for w in text.split(' ') {
        let line = lines.last_mut().filter(|l| l.is_empty() || l.len() + w.len() < width);
        match line {
            Some(l) if l.is_empty() => l.push_str(w),
            Some(l) => {
                l.push(' ');
                l.push_str(w);
            }
            None => lines.push(w.to_string()),
        }
    }
    lines
}

/// A YAML single-quoted scalar.
fn quoted(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn write_page(plan: &Plan, i: usize, seed: u64) -> String {
    let page = &plan.pages[i];
    let mut g = Gen { plan, rng: Rng(seed ^ (i as u64).wrapping_mul(0xA24B_AED4_963E_E407)), out: String::with_capacity(8192) };
    g.out.push_str("---\n");
    match page.kind {
        Kind::Guide => guide(&mut g, page),
        Kind::Object(a) => object(&mut g, &plan.apis[a]),
        Kind::Method(a, verb) => method(&mut g, page, &plan.apis[a], verb),
        Kind::Pagination => pagination(&mut g),
    }
    g.out
}

fn guide(g: &mut Gen, page: &Page) {
    let _ = writeln!(g.out, "title: {}", page.title);
    let d = (0..2).map(|_| g.sentence_with(false)).collect::<Vec<_>>().join(" ");
    let _ = match g.rng.below(5) {
        0 => writeln!(g.out, "description: >-\n  {}", wrap(&d, 80).join("\n  ")),
        1 => writeln!(g.out, "description: \"{}\"", d.replacen(' ', "\\_", 2)),
        _ => writeln!(g.out, "description: {}", quoted(&d)),
    };
    if g.rng.chance(30) {
        g.out.push_str("showNextPage: true\n");
    }
    let _ = writeln!(g.out, "originalPath: .tmp-gen/content/{}\n---\n", page.rel);
    for _ in 0..g.rng.range(1, 2) {
        g.block();
    }
    for h in &page.heads {
        let _ = writeln!(g.out, "## {}\n", h.text);
        for _ in 0..g.rng.range(1, 3) {
            g.block();
        }
        for (text, _) in &h.subs {
            let _ = writeln!(g.out, "### {text}\n");
            for _ in 0..g.rng.range(1, 2) {
                g.block();
            }
        }
    }
}

/// Writes a reference property list, `- key / type / description` items at `indent`.
fn props(out: &mut String, indent: &str, name: &str, items: &[(String, String, &str)]) {
    for (key, prop, ty) in items {
        let _ = writeln!(out, "{indent}- key: {key}\n{indent}  type: {ty}\n{indent}  description: ({name}.{prop})");
    }
}

fn object(g: &mut Gen, api: &Api) {
    let lower = api.title.to_lowercase();
    let name = &api.name;
    let _ = writeln!(g.out, "descriptions:\n  {name}:\n    self: {}", quoted(&format!("The [{lower}]({}) object.", api.url)));
    let _ = writeln!(g.out, "    object: Distinguishes the {lower} object.\n    id: Unique identifier of the {lower}.");
    for (p, _) in &api.props {
        let s = g.sentence();
        let _ = if g.rng.chance(30) { writeln!(g.out, "    {p}: >-\n      {s}") } else { writeln!(g.out, "    {p}: {}", quoted(&s)) };
    }
    g.out.push_str("reference:\n");
    let object_type = format!("'\"{name}\"'");
    let base = [("object".to_string(), "object".to_string(), object_type.as_str()), ("id".into(), "id".into(), "string")];
    for (lang, key, title) in
        [("curl", name.clone(), None), ("js", pascal(name), Some("interface")), ("python", pascal(name), Some("class"))]
    {
        let _ = writeln!(g.out, "  {lang}:\n    - key: {key}\n      id: {name}\n      url: {}", api.url);
        if let Some(t) = title {
            let _ = writeln!(g.out, "      title: {t} {key}");
        }
        g.out.push_str("      properties:\n");
        let mut items: Vec<(String, String, &str)> = base.to_vec();
        items.extend(api.props.iter().map(|(p, ty)| (if lang == "js" { camel(p) } else { p.clone() }, p.clone(), *ty)));
        props(&mut g.out, "        ", name, &items);
    }
    let (p, dashed) = (g.paragraph(), name.replace('_', "-"));
    let _ = writeln!(
        g.out,
        "originalPath: .tmp-gen/content{}/index.mdx\n---\n\n# {}\n\n{p}\n\n<CodeBlock\n  title=\"Example {lower}\"\n  file=\"{dashed}\"\n  referenceId=\"{name}\"\n/>",
        api.url, api.title
    );
}

fn method(g: &mut Gen, page: &Page, api: &Api, verb: &str) {
    let name = &api.name;
    let id = format!("{verb}_{name}");
    let path = format!("/{}s", name.replace('_', "-")) + if matches!(verb, "create" | "list") { "" } else { "/:id" };
    let http = match verb {
        "create" => "POST",
        "update" => "PUT",
        "delete" => "DELETE",
        _ => "GET",
    };
    let writes = matches!(verb, "create" | "update");
    if writes {
        let s = g.sentence();
        let _ = writeln!(g.out, "descriptions:\n  {id}:\n    dry_run: {}", quoted(&s));
    }
    g.out.push_str("reference:\n");
    let langs = [
        ("curl", id.clone(), path.clone()),
        ("js", camel(&id), format!("{}s.{verb}()", camel(name))),
        ("python", id.clone(), format!("{name}s.{verb}()")),
    ];
    for (lang, key, title) in langs {
        let obj = if lang == "curl" { name.clone() } else { pascal(name) };
        let _ = writeln!(g.out, "  {lang}:\n    - key: {key}\n      id: {id}\n      url: {}\n      title: {title}", page.url);
        if lang == "curl" {
            let _ = writeln!(g.out, "      type: {http}");
        }
        g.out.push_str("      parameters:\n");
        let indent = if lang == "js" {
            g.out.push_str("        - key: options\n          unwrap: true\n          properties:\n");
            "            "
        } else {
            "        "
        };
        let field = |p: &str| if lang == "js" { camel(p) } else { p.to_string() };
        if !matches!(verb, "create" | "list") {
            let _ = writeln!(g.out, "{indent}- ({obj}.id)");
        }
        if writes {
            for (p, _) in &api.props {
                let _ = writeln!(g.out, "{indent}- ({obj}.{})", field(p));
            }
            let _ = writeln!(
                g.out,
                "{indent}- key: {}\n{indent}  type: boolean\n{indent}  optional: true\n{indent}  description: ({id}.dry_run)",
                field("dry_run")
            );
        }
        if verb == "list" {
            for p in ["before", "after", "limit", "order"] {
                let _ = writeln!(g.out, "{indent}- ({p})");
            }
        }
        if verb != "delete" {
            let _ = writeln!(g.out, "      returns:\n        - ({obj})");
        }
    }
    let (h, s, dashed) = (&page.heads[0].text, g.paragraph(), name.replace('_', "-"));
    let _ = writeln!(
        g.out,
        "originalPath: .tmp-gen/content/{}\n---\n\n## {h}\n\n{s}\n\n<CodeBlock referenceId=\"{id}\">\n  <CodeBlockTab title=\"Request\" file=\"{verb}-{dashed}-request\" />\n  <CodeBlockTab title=\"Response\" file=\"{verb}-{dashed}-response\" />\n</CodeBlock>",
        page.rel
    );
}

fn pagination(g: &mut Gen) {
    g.out.push_str("descriptions:\n  limit: Upper limit on the number of objects to return, between `1` and `100`.\n");
    g.out.push_str("  order: Order the results by the creation time.\n  before: An object ID that defines your place in the list.\n");
    g.out.push_str("  after: An object ID that defines your place in the list.\nreference:\n");
    for lang in ["curl", "js", "python"] {
        let _ = writeln!(g.out, "  {lang}:");
        for (key, ty) in [("limit", "number"), ("order", "'\"asc\" | \"desc\"'"), ("before", "string"), ("after", "string")] {
            let _ = writeln!(g.out, "    - key: {key}\n      optional: true\n      type: {ty}\n      description: ({key})");
        }
    }
    let p = g.paragraph();
    let _ = writeln!(g.out, "originalPath: .tmp-gen/content/pagination.mdx\n---\n\n# Pagination\n\n{p}");
}

fn nav(plan: &Plan, sec: &Section) -> String {
    let mut out = format!("---\ntitle: {}\nlinks:\n  - title: Overview\n    url: {}\n", sec.title, plan.pages[sec.index].url);
    for (title, items) in &sec.groups {
        let _ = writeln!(out, "  - title: {title}\n    links:");
        for it in items {
            let p = &plan.pages[it.page];
            let _ = writeln!(out, "      - title: {}\n        url: {}", p.title, p.url);
            if !it.children.is_empty() {
                out.push_str("        links:\n");
            }
            for &c in &it.children {
                let _ = writeln!(out, "          - title: {}\n            url: {}", plan.pages[c].title, plan.pages[c].url);
            }
        }
    }
    let _ = writeln!(out, "originalPath: .tmp-gen/content{}/_navigation.mdx\n---", sec.slug);
    out
}

fn write(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, text)
}

fn run(a: &Args) -> std::io::Result<()> {
    if a.out.read_dir().is_ok_and(|mut d| d.next().is_some()) {
        return Err(std::io::Error::other(format!("{} is not empty", a.out.display())));
    }
    let plan = Plan::build(a.pages, &mut Rng(a.seed));
    for i in 0..plan.pages.len() {
        write(&a.out.join(&plan.pages[i].rel), &write_page(&plan, i, a.seed))?;
    }
    for sec in &plan.sections {
        write(&a.out.join(&sec.slug[1..]).join("_navigation.mdx"), &nav(&plan, sec))?;
    }
    eprintln!("wrote {} pages in {} sections to {}", plan.pages.len(), plan.sections.len(), a.out.display());
    Ok(())
}

fn main() {
    let args = Args::parse();
    if let Err(e) = run(&args) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
