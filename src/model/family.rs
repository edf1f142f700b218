//! Component families: what a JSX component stands for, whatever a docs tool calls it. Each
//! convention's table (`convention::components`) maps names onto these; render has one
//! rendering per family for HTML and one for the Markdown twin.
//! Invariant: names no docs tool; `vellum.toml` spells a family by its kebab-case name.

use serde::{Deserialize, Serialize};

/// What kind of content a component is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Family {
    /// An admonition: children framed with a kind (`type`/`kind` attribute or the name) and a title.
    Callout,
    /// A code sample read from a snippet file (`file=`), possibly with tabs.
    Code,
    /// The dialect's webhook event description (`Event.Root` and parts).
    Event,
    /// The dialect's example-application cards.
    ExampleApps,
    /// The dialect's glossary letter marker.
    GlossaryMarker,
    /// The dialect's language switcher around code samples.
    LanguageSelector,
    /// Small print.
    Small,
    /// The dialect's stack (framework) selector.
    StackSelection,
    /// The dialect's integration-provider cards.
    ProviderCards,
    /// The dialect's provider icon grid.
    ProviderIcons,
    /// Site-specific CSS, dropped.
    Style,
    /// A diagram drawn by site code: a placeholder.
    Diagram,
    /// An interactive demo run by site code: a placeholder.
    Demo,
    /// A table whose data lives in site code: a placeholder.
    DataTable,
    /// Content kept in site code (a shared callout): a placeholder.
    Partial,
    /// Tabbed panels (`<Tabs>`); labels from the tab's `label`/`title`/`value` or the `items` list.
    Tabs,
    /// One panel of [`Family::Tabs`].
    Tab,
    /// Numbered steps: `<Step title>` children, or an ordered list / headings inside.
    Steps,
    /// One step of [`Family::Steps`].
    Step,
    /// A box with a title and text; a link when it has `href`.
    Card,
    /// A grid of cards (or of anything else).
    CardGrid,
    /// A collapsible section: `title` in the summary, children inside.
    Accordion,
    /// A stack of accordions.
    AccordionGroup,
    /// An API parameter or response field: name, type, required, default, description.
    Field,
    /// A table of properties given as inline literal data (`content={[{ name, type }]}`).
    PropTable,
    /// A file tree: a list inside, or `Folder`/`File` children.
    FileTree,
    /// A folder of a [`Family::FileTree`], `name` attribute.
    Folder,
    /// A file of a [`Family::FileTree`], `name` attribute.
    File,
    /// A short inline label (`text` attribute or children).
    Badge,
    /// A figure around its children, with a `caption`.
    Frame,
    /// A code sample given inline (`code="…"`, `lang`, `title`).
    CodeLiteral,
    /// Code samples shown together (Mintlify `<CodeGroup>`).
    CodeGroup,
    /// A hover note: children, with the `tip` text beside them.
    Tooltip,
    /// A dated entry of a changelog: `label`, `description`, children.
    Update,
    /// A decorative icon: nothing to read, rendered as nothing.
    Icon,
    /// Anything else: rendered generically, its text kept.
    Generic,
}
