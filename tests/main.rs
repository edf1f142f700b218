//! vellum's test binary: fixture snapshots, the real corpus, bad input, and the real
//! servers (HTTP, MCP, browser) driven from outside.

mod support;

mod corpus;
mod fixtures;
