//! The suite, one module per area. Each test is `pub fn name<B: Backend>()`; each module ends
//! with a hidden macro listing its tests for `conformance_suite!`. Test names are unique
//! across the whole suite (they become `#[test]` functions side by side).

pub mod classes;
pub mod classes_gc;
pub mod classes_protocols;
pub mod dict;
pub mod errors;
pub mod exceptions_custom;
pub mod functions;
pub mod gc;
pub mod gil;
pub mod object;
pub mod ownership;
pub mod scalars;
pub mod sequences;
pub mod text;
