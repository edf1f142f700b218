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
    /// Anything else: rendered generically, its text kept.
    Generic,
}
