//! Tests of the mock through the `Backend` trait, one binary: misuse detection (each category
//! by its exact word), leak checks, memory bounds, the GIL, fault injection, observation and the
//! object model. Every test that makes objects runs inside `Mock::leak_check`, which serializes
//! them and proves they leak nothing.
//!
//! SAFETY (for every `unsafe` block in these files): the mock checks each precondition of the
//! `Backend` functions itself and panics on misuse, so no call here can cause undefined
//! behaviour; tests that break a precondition do so on purpose and expect the panic.

mod builtins;
mod compare_hash;
mod containers;
mod dict_iteration;
mod faults;
mod gil;
mod leak_check;
mod memory;
mod misuse;
mod modules_exceptions;
mod native;
mod observation;
mod support;
mod text;
