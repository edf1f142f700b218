//! Small data models shared by several stages, free of any stage's logic.
//! Architecture invariant: plain data and pure parsers; no I/O, no diagnostics.

pub mod fence;
