//! The suite, one module per area. Each test is `pub fn name<B: Backend>()` (the shape
//! `conformance_suite_runs_every_test` looks for); each module ends with a hidden macro listing
//! its tests for `conformance_suite!`. Test names are unique across the whole suite (they
//! become `#[test]` functions side by side).

pub mod building;
pub mod calls;
pub mod classes;
pub mod classes_gc;
pub mod classes_operators;
pub mod classes_properties;
pub mod classes_protocols;
pub mod classes_signatures;
pub mod dict;
pub mod errors;
pub mod exceptions_custom;
pub mod functions;
pub mod gc;
pub mod gil;
pub mod interned;
pub mod object;
pub mod ownership;
pub mod paths;
pub mod scalars;
pub mod sequences;
pub mod sets;
pub mod shared_objects;
pub mod signatures;
pub mod text;
pub mod wide_ints;
