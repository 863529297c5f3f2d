//! Examples for anypy: the `tour` binary walks through the API, and [`word_index`] is a small
//! piece of "binding code" whose ownership logic is unit-tested offline on the mock (see the
//! tests at the bottom of `word_index.rs`).
#![deny(missing_docs)]

pub mod word_index;
