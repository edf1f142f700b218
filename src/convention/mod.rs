//! Conventions of other docs tools (Docusaurus, Starlight, Nextra): reading their navigation
//! configs so a tree written for them builds with vellum.
//! Invariant: nothing here runs JavaScript; configs are read statically.

pub mod js;
