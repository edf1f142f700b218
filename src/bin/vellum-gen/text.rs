//! Body text: sentences with inline markup and links, and the block constructs of the
//! dialect (fences, CodeBlocks, callouts, tabs, tables, images, lists, definition lists,
//! events, thematic breaks) in roughly the corpus's proportions.

use crate::plan::Plan;
use crate::words::{PROSE, Rng, VERBS, WORDS, camel, pascal, rare_word, sentence_case, words};
use std::fmt::Write as _;
use vellum::convention::SlugRule;
use vellum::parse::slug::slugify;

const LANGS: &[&str] = &["js", "json", "shell", "python", "go", "yaml"];
const TAB_SETS: &[&[&str]] = &[&["npm", "Yarn"], &["Request", "Response"], &["Next.js", "Express", "Remix"], &["Maven", "Gradle"]];

/// Writes one page's text; holds the plan for links.
pub(crate) struct Gen<'a> {
    pub(crate) plan: &'a Plan,
    pub(crate) rng: Rng,
    pub(crate) out: String,
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
    pub(crate) fn sentence_with(&mut self, marked: bool) -> String {
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

    pub(crate) fn sentence(&mut self) -> String {
        self.sentence_with(true)
    }

    pub(crate) fn paragraph(&mut self) -> String {
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
                    let _ =
                        writeln!(self.out, "{indent}  <CodeBlockTab title=\"{t}\" file=\"{file}-{}\" />", slugify(t, SlugRule::Dialect));
                }
                writeln!(self.out, "{indent}</CodeBlock>\n")
            }
        };
    }

    fn image(&mut self) -> String {
        let alt = sentence_case(&words(&mut self.rng, 2, 6));
        format!("![{alt}](https://images.example.com/images/{:016x}.png?auto=format&fit=clip&q=50)", self.rng.next())
    }

    pub(crate) fn block(&mut self) {
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
