//! The random source and the vocabulary: splitmix64, domain words, filler words and a
//! Zipf-distributed made-up vocabulary, and the case conversions identifiers need.

/// splitmix64: tiny, fast and good enough for test data.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub(crate) fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }
    pub(crate) fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    pub(crate) fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

#[rustfmt::skip]
pub(crate) const WORDS: &[&str] = &[
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
pub(crate) const VERBS: &[&str] = &["create", "get", "list", "update", "delete"];
#[rustfmt::skip]
pub(crate) const PROSE: &[&str] = &[
    "the", "a", "your", "each", "every", "this", "to", "with", "for", "when", "and", "or", "can", "will", "should", "you'll",
    "it's", "is", "are", "uses", "returns", "sends", "stores", "enables", "requires", "supports", "handles", "after", "before",
    "once", "new", "existing", "active", "secure", "custom", "default", "production", "staging", "automatically", "quickly",
];
#[rustfmt::skip]
const SYLLABLES: &[&str] = &[
    "ba", "cor", "den", "fa", "gil", "ho", "ka", "lin", "mo", "nex", "pa", "quo", "ran", "sel", "ti", "ur", "val", "wen", "xi",
    "yo", "zan", "bri", "cal", "dro",
];
pub(crate) const TYPES: &[&str] = &["string", "string", "boolean", "number", "'\"active\" | \"inactive\"'", "string[]"];

pub(crate) fn words(rng: &mut Rng, lo: usize, hi: usize) -> Vec<&'static str> {
    (0..rng.range(lo, hi)).map(|_| *rng.pick(WORDS)).collect()
}

/// A word from a vocabulary of 14,400 made-up words, Zipf-distributed (rank r has weight
/// about 1/r) so that, as in real prose, a few words are everywhere and most are rare.
pub(crate) fn rare_word(rng: &mut Rng) -> String {
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

pub(crate) fn sentence_case(ws: &[&str]) -> String {
    let s = ws.join(" ");
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

pub(crate) fn pascal(snake: &str) -> String {
    snake.split('_').map(|w| sentence_case(&[w])).collect()
}

pub(crate) fn camel(snake: &str) -> String {
    let p = pascal(snake);
    p[..1].to_lowercase() + &p[1..]
}
