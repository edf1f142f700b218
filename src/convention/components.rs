//! Component tables: each convention's component names mapped onto [`Family`]s, as data. A
//! row names a component exactly (`Aside`) or a namespace (`DirectorySyncDiagram.*`: every
//! member); `vellum.toml` `[components]` rows are added on top and win.
//! Invariant: lookup is by name only (exact, then namespace); no name fragments.

use super::Kind;
use crate::model::family::Family;
use std::collections::BTreeMap;

use Family::*;

/// The dialect's (WorkOS docs') names.
const VELLUM: &[(&str, Family)] = &[
    ("CodeBlock", Code),
    ("CodeBlockTab", Code),
    ("Event.Root", Event),
    ("Event.Details", Event),
    ("Event.Description", Event),
    ("ExampleApps.Root", ExampleApps),
    ("ExampleApps.Card", ExampleApps),
    ("GlossaryMarker", GlossaryMarker),
    ("LanguageSelector", LanguageSelector),
    ("Small", Small),
    ("StackSelection", StackSelection),
    ("ProviderIconsGrid", ProviderIcons),
    ("ProviderCards.*", ProviderCards),
    ("DirectorySyncDiagram.*", Diagram),
    ("UserManagementDiagrams.*", Diagram),
    ("MfaEnrollmentDemoFull", Demo),
    ("MfaEnrollmentDemoMultipleMethods", Demo),
    ("MfaEnrollmentDemoOtpInput", Demo),
    ("MfaEnrollmentDemoPrimaryMethod", Demo),
    ("MfaEnrollmentDemoTotp", Demo),
    ("MfaSignInDemoFull", Demo),
    ("MfaSignInDemoMultipleMethods", Demo),
    ("MfaSignInDemoSingleMethod", Demo),
    ("SsoDemoDynamicPasswordField", Demo),
    ("SsoDemoSeparateFields", Demo),
    ("SsoDemoSignInWithSso", Demo),
    ("DirectorySyncAttributeSupportTable", DataTable),
    ("DirectorySyncCsvSchemaTable.*", DataTable),
    ("DirectorySyncWorkdaySchemaTable.*", DataTable),
    ("DeprecationCallout.*", Partial),
    ("OktaIntegrationCautionBlock", Partial),
];

/// Every convention: `<style>` is site CSS.
const COMMON: &[(&str, Family)] = &[("style", Style)];

/// Docusaurus (`@theme/…`): admonitions, tabs, code blocks with inline code, details.
const DOCUSAURUS: &[(&str, Family)] =
    &[("Admonition", Callout), ("Tabs", Tabs), ("TabItem", Tab), ("CodeBlock", CodeLiteral), ("Details", Accordion)];
/// Starlight (`@astrojs/starlight/components`).
const STARLIGHT: &[(&str, Family)] = &[
    ("Aside", Callout),
    ("Tabs", Tabs),
    ("TabItem", Tab),
    ("Steps", Steps),
    ("Card", Card),
    ("LinkCard", Card),
    ("CardGrid", CardGrid),
    ("FileTree", FileTree),
    ("Badge", Badge),
    ("Code", CodeLiteral),
    ("Icon", Icon),
];
/// Mintlify: one component per callout kind, and `<Callout>`; cards, steps, fields, trees.
const MINTLIFY: &[(&str, Family)] = &[
    ("Note", Callout),
    ("Tip", Callout),
    ("Info", Callout),
    ("Warning", Callout),
    ("Check", Callout),
    ("Danger", Callout),
    ("Callout", Callout),
    ("Tabs", Tabs),
    ("Tab", Tab),
    ("Steps", Steps),
    ("Step", Step),
    ("Card", Card),
    ("CardGroup", CardGrid),
    ("Columns", CardGrid),
    ("Accordion", Accordion),
    ("AccordionGroup", AccordionGroup),
    ("Expandable", Accordion),
    ("ParamField", Field),
    ("ResponseField", Field),
    ("CodeGroup", CodeGroup),
    ("RequestExample", CodeGroup),
    ("ResponseExample", CodeGroup),
    ("Frame", Frame),
    ("Tooltip", Tooltip),
    ("Update", Update),
    ("Badge", Badge),
    ("Icon", Icon),
    ("Tree", FileTree),
    ("Tree.Folder", Folder),
    ("Tree.File", File),
];
/// Nextra (`nextra/components`), whose names Mastra's docs use too, with Mastra's props table.
const NEXTRA: &[(&str, Family)] = &[
    ("Callout", Callout),
    ("Tabs", Tabs),
    ("Tabs.Tab", Tab),
    ("Tab", Tab),
    ("Steps", Steps),
    ("Cards", CardGrid),
    ("Cards.Card", Card),
    ("Card", Card),
    ("FileTree", FileTree),
    ("FileTree.Folder", Folder),
    ("FileTree.File", File),
    ("PropertiesTable", PropTable),
];
/// Fumadocs (`fumadocs-ui/components/…`).
const FUMADOCS: &[(&str, Family)] = &[
    ("Callout", Callout),
    ("Tabs", Tabs),
    ("Tab", Tab),
    ("Steps", Steps),
    ("Step", Step),
    ("Cards", CardGrid),
    ("Card", Card),
    ("Accordions", AccordionGroup),
    ("Accordion", Accordion),
    ("Files", FileTree),
    ("Folder", Folder),
    ("File", File),
    ("TypeTable", PropTable),
    ("DynamicCodeBlock", CodeLiteral),
];
/// A tree with no convention of its own may use any tool's components: the dialect's names
/// first (they win where names meet, e.g. `CodeBlock`), then every tool's.
const ANY: &[&[(&str, Family)]] = &[VELLUM, DOCUSAURUS, STARLIGHT, MINTLIFY, NEXTRA, FUMADOCS];

/// One convention's component names, plus the site's own.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    builtin: &'static [&'static [(&'static str, Family)]],
    site: BTreeMap<String, Family>,
}

impl Table {
    /// The table of a convention. Plain folders read every tool's names, the dialect's first.
    pub fn of(kind: Kind) -> Self {
        let builtin: &'static [&'static [(&'static str, Family)]] = match kind {
            Kind::Vellum => &[VELLUM],
            Kind::Plain => ANY,
            Kind::Docusaurus => &[DOCUSAURUS],
            Kind::Starlight => &[STARLIGHT],
            Kind::Mintlify => &[MINTLIFY],
            Kind::Nextra => &[NEXTRA],
            Kind::Fumadocs => &[FUMADOCS],
            Kind::Mkdocs => &[],
        };
        Table { builtin, site: BTreeMap::new() }
    }

    /// The table with the site's `[components]` rows added (they win over the convention's).
    pub fn with_site(mut self, site: &BTreeMap<String, Family>) -> Self {
        self.site.extend(site.iter().map(|(k, v)| (k.clone(), *v)));
        self
    }

    /// The family of component `name`, if the table names it.
    pub fn family(&self, name: &str) -> Option<Family> {
        if let Some(f) = self.site.get(name) {
            return Some(*f);
        }
        let ns = name.split_once('.').map(|(ns, _)| ns);
        self.builtin
            .iter()
            .flat_map(|t| t.iter())
            .chain(COMMON)
            .find(|(row, _)| *row == name || (row.strip_suffix(".*").is_some_and(|r| Some(r) == ns)))
            .map(|(_, f)| *f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_names_and_namespaces_only() {
        let t = Table::of(Kind::Vellum);
        assert_eq!(t.family("CodeBlock"), Some(Code));
        assert_eq!(t.family("DirectorySyncDiagram.User"), Some(Diagram));
        assert_eq!(t.family("DirectorySyncDiagram"), None);
        // No fragment matching: a name merely containing "Table" is not a data table.
        assert_eq!(t.family("PropertiesTable"), None);
        assert_eq!(Table::of(Kind::Starlight).family("CodeBlock"), None);
    }

    #[test]
    fn site_rows_extend_and_win() {
        let site = BTreeMap::from([("MyNote".to_string(), Callout), ("Small".to_string(), Generic)]);
        let t = Table::of(Kind::Vellum).with_site(&site);
        assert_eq!(t.family("MyNote"), Some(Callout));
        assert_eq!(t.family("Small"), Some(Generic));
    }
}
