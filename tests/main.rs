//! vellum's test binary: fixture snapshots, the real corpus, bad input, and the real
//! servers (HTTP, MCP, browser) driven from outside.

mod support;

mod bad_input;
mod bundle;
mod content_score;
mod conventions;
mod corpus;
mod deep_nesting;
mod fixtures;
mod html_valid;
mod locales;
mod mcp;
mod output_safety;
mod partials;
mod search;
mod serve;
mod urls;
