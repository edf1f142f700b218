//! Locales: the languages one site is written in, as conventions declare them (Starlight
//! `locales`, Fumadocs `page.fr.mdx` suffixes) or as folder names show them (`en/`, `fr/`).
//! A locale owns the pages whose URL starts with its `prefix`; a page's translation key is
//! its URL without that prefix, so `/fr/guides/a` translates `/guides/a`.
//! Invariant: plain data and pure functions; a [`Locales`] always has at least two locales
//! and its `default` indexes `list`.

use serde::Deserialize;

/// Writing direction of a locale's pages (`<html dir>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Dir {
    /// Left to right.
    #[default]
    Ltr,
    /// Right to left (Arabic, Hebrew, Persian, Urdu, …).
    Rtl,
}

impl Dir {
    /// The `dir` attribute value.
    pub fn as_str(self) -> &'static str {
        match self {
            Dir::Ltr => "ltr",
            Dir::Rtl => "rtl",
        }
    }
}

/// One language of the site.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Locale {
    /// The URL segment that holds its pages (`fr`, `zh-cn`); empty for a locale at the root.
    pub prefix: String,
    /// BCP-47 tag for `lang` and `hreflang` (`fr`, `zh-CN`).
    pub lang: String,
    /// Name shown in the language switcher, in that language (`Français`).
    pub label: String,
    /// Writing direction.
    pub dir: Dir,
}

impl Locale {
    /// A locale for `prefix` with `lang` (or the prefix itself) as its tag; label and
    /// direction from the built-in table.
    pub fn new(prefix: &str, lang: Option<&str>) -> Self {
        let lang = lang.filter(|l| !l.is_empty()).unwrap_or(prefix).to_string();
        Locale { prefix: prefix.to_string(), label: label_of(&lang), dir: dir_of(&lang), lang }
    }

    /// The URL of translation key `key` (`/guides/a`, `/`) in this locale.
    pub fn url(&self, key: &str) -> String {
        match (self.prefix.is_empty(), key) {
            (true, _) => key.to_string(),
            (false, "/") => format!("/{}", self.prefix),
            (false, k) => format!("/{}{k}", self.prefix),
        }
    }

    /// The translation key of `url` if this locale owns it: `/fr/a` → `/a`, `/fr` → `/`.
    pub fn key<'u>(&self, url: &'u str) -> Option<&'u str> {
        if self.prefix.is_empty() {
            return Some(url);
        }
        let rest = url.strip_prefix('/')?.strip_prefix(self.prefix.as_str())?;
        match rest {
            "" => Some("/"),
            r if r.starts_with('/') => Some(r),
            _ => None,
        }
    }
}

/// The locales of a site.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Locales {
    /// Every locale, the default first.
    pub list: Vec<Locale>,
}

impl Locales {
    /// The set of `default` and `others`, or `None` with fewer than two distinct locales.
    /// Prefixed locales are tried before a root one, so `/fr/a` is French even when the
    /// default locale sits at the root.
    pub fn new(default: Locale, others: impl IntoIterator<Item = Locale>) -> Option<Self> {
        let mut list = vec![default];
        for l in others {
            if !list.iter().any(|x| x.prefix.eq_ignore_ascii_case(&l.prefix)) {
                list.push(l);
            }
        }
        (list.len() >= 2).then_some(Locales { list })
    }

    /// The locale owning `url` (index into `list`) and the URL's translation key; a URL no
    /// prefixed locale owns belongs to the root locale, else to none.
    pub fn of<'u>(&self, url: &'u str) -> Option<(usize, &'u str)> {
        let prefixed = self.list.iter().enumerate().filter(|(_, l)| !l.prefix.is_empty()).find_map(|(i, l)| Some((i, l.key(url)?)));
        prefixed.or_else(|| self.list.iter().position(|l| l.prefix.is_empty()).map(|i| (i, url)))
    }
}

/// `[locales]` in `vellum.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LocaleConfig {
    /// `false` builds locale folders and suffixes as plain pages, with no switcher.
    pub enabled: bool,
    /// The default locale's tag when the convention does not name one (`"en"`).
    pub default: Option<String>,
}

impl Default for LocaleConfig {
    fn default() -> Self {
        LocaleConfig { enabled: true, default: None }
    }
}

/// Is `s` a BCP-47 language tag as docs trees name locale folders: a two- or three-letter
/// language subtag, then optional script (`Hant`) and region (`BR`, `419`) subtags, in any
/// case (`en`, `zh-cn`, `pt-BR`, `zh-Hant-TW`). Only languages of the built-in table count
/// for bare two- and three-letter names, so folders named `go`, `api` or `js` are not locales.
pub fn is_language_tag(s: &str) -> bool {
    let mut parts = s.split(['-', '_']);
    let Some(lang) = parts.next() else { return false };
    let lang_ok = (2..=3).contains(&lang.len()) && lang.bytes().all(|b| b.is_ascii_alphabetic());
    let rest: Vec<&str> = parts.collect();
    let rest_ok = rest.len() <= 2
        && rest.iter().all(|p| {
            (p.len() == 2 && p.bytes().all(|b| b.is_ascii_alphabetic()))
                || (p.len() == 3 && p.bytes().all(|b| b.is_ascii_digit()))
                || (p.len() == 4 && p.bytes().all(|b| b.is_ascii_alphabetic()))
        });
    lang_ok && rest_ok && NAMES.iter().any(|(code, _)| code.eq_ignore_ascii_case(lang))
}

/// Languages by ISO 639-1/-3 code, each named in itself. Tags whose language is not here
/// are not detected from folder names (a config may still declare them).
const NAMES: &[(&str, &str)] = &[
    ("ar", "العربية"),
    ("bg", "Български"),
    ("bn", "বাংলা"),
    ("ca", "Català"),
    ("cs", "Čeština"),
    ("da", "Dansk"),
    ("de", "Deutsch"),
    ("el", "Ελληνικά"),
    ("en", "English"),
    ("es", "Español"),
    ("et", "Eesti"),
    ("fa", "فارسی"),
    ("fi", "Suomi"),
    ("fr", "Français"),
    ("gl", "Galego"),
    ("he", "עברית"),
    ("hi", "हिन्दी"),
    ("hu", "Magyar"),
    ("id", "Bahasa Indonesia"),
    ("it", "Italiano"),
    ("ja", "日本語"),
    ("ko", "한국어"),
    ("lt", "Lietuvių"),
    ("lv", "Latviešu"),
    ("ms", "Bahasa Melayu"),
    ("nb", "Norsk bokmål"),
    ("nl", "Nederlands"),
    ("no", "Norsk"),
    ("pl", "Polski"),
    ("pt", "Português"),
    ("ro", "Română"),
    ("ru", "Русский"),
    ("sk", "Slovenčina"),
    ("sl", "Slovenščina"),
    ("sr", "Српски"),
    ("sv", "Svenska"),
    ("th", "ไทย"),
    ("tr", "Türkçe"),
    ("uk", "Українська"),
    ("ur", "اردو"),
    ("vi", "Tiếng Việt"),
    ("zh", "中文"),
];

/// Languages written right to left.
const RTL: &[&str] = &["ar", "fa", "he", "ur", "yi", "ps", "dv", "ckb"];

fn primary(lang: &str) -> String {
    lang.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase()
}

/// The name of `lang` in itself (`fr-CA` → `Français (fr-CA)`), else the tag.
pub fn label_of(lang: &str) -> String {
    let p = primary(lang);
    match NAMES.iter().find(|(c, _)| *c == p) {
        Some((_, name)) if p.len() == lang.len() => (*name).to_string(),
        Some((_, name)) => format!("{name} ({lang})"),
        None => lang.to_string(),
    }
}

/// The writing direction of `lang`.
pub fn dir_of(lang: &str) -> Dir {
    if RTL.contains(&primary(lang).as_str()) { Dir::Rtl } else { Dir::Ltr }
}

/// The notice on a fallback page, in the page's locale where the table has it (English
/// otherwise): `{target}` and `{source}` are locale labels, inserted by the caller (escaped
/// by the template).
pub fn fallback_notice(lang: &str, target: &str, source: &str) -> String {
    let template = match primary(lang).as_str() {
        "fr" => "Cette page n’est pas encore disponible en {target} ; elle est affichée en {source}.",
        "de" => "Diese Seite ist noch nicht auf {target} verfügbar; sie wird auf {source} angezeigt.",
        "es" => "Esta página aún no está disponible en {target}; se muestra en {source}.",
        "pt" => "Esta página ainda não está disponível em {target}; exibindo em {source}.",
        "it" => "Questa pagina non è ancora disponibile in {target}; è mostrata in {source}.",
        "ja" => "このページはまだ{target}で利用できません。{source}で表示しています。",
        "zh" => "此页面尚未提供{target}版本，正在显示{source}版本。",
        "ko" => "이 페이지는 아직 {target}로 제공되지 않습니다. {source}로 표시합니다.",
        _ => "This page is not available in {target} yet; showing {source}.",
    };
    template.replace("{target}", target).replace("{source}", source)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_language_names_not_any_short_folder() {
        for t in ["en", "fr", "zh-cn", "pt-BR", "zh-Hant-TW", "es-419", "ZH-CN", "pt_BR"] {
            assert!(is_language_tag(t), "{t}");
        }
        for t in ["go", "api", "js", "cli", "", "en-", "english", "fr-abcde", "12", "en-US-x-y-z"] {
            assert!(!is_language_tag(t), "{t}");
        }
    }

    #[test]
    fn urls_and_keys_round_trip() {
        let fr = Locale::new("fr", None);
        assert_eq!((fr.url("/"), fr.url("/a/b")), ("/fr".into(), "/fr/a/b".into()));
        assert_eq!((fr.key("/fr"), fr.key("/fr/a"), fr.key("/fra/a"), fr.key("/a")), (Some("/"), Some("/a"), None, None));
        let set = Locales::new(Locale::new("", Some("en")), [fr, Locale::new("ar", None)]).unwrap();
        assert_eq!(set.of("/fr/x"), Some((1, "/x")));
        assert_eq!(set.of("/x"), Some((0, "/x")));
        assert_eq!(set.list[2].dir, Dir::Rtl);
        assert_eq!(set.list[1].label, "Français");
        assert!(Locales::new(Locale::new("", Some("en")), []).is_none());
    }

    #[test]
    fn labels_and_notices() {
        assert_eq!(label_of("pt-BR"), "Português (pt-BR)");
        assert_eq!(label_of("xx"), "xx");
        assert_eq!(fallback_notice("en", "Français", "English"), "This page is not available in Français yet; showing English.");
        assert!(fallback_notice("fr", "Français", "English").starts_with("Cette page"));
    }
}
