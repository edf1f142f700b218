//! vellum: a docs compiler for MDX documentation trees.
//!
//! The pipeline, one module per stage: [`source`] (discover) → [`parse`] → [`render`] →
//! [`site`] (link) → [`output`] (emit), driven by [`compile`]. [`search`], `serve` and `mcp`
//! sit on top of the compiled site model. See ARCHITECTURE.md.

pub mod cli;
pub mod compile;
pub mod config;
pub mod convention;
pub mod diagnostics;
pub mod local_http;
pub mod mcp;
pub mod model;
pub mod output;
pub mod parse;
pub mod project;
pub mod render;
pub mod search;
pub mod serve;
pub mod site;
pub mod source;
