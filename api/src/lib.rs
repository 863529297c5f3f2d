//! anypy: one API for Python objects from Rust, on CPython, PyPy and a mock interpreter.
#![deny(missing_docs)]

mod backend;
mod release_queue;
mod state;

pub use backend::{
    Backend, BackendError, BuiltinType, CompareOp, ExceptionKind, NewRef, RawFunction, RawGilState,
    RawObject, RawPtr, RawThreadState,
};
pub use release_queue::ReleaseQueue;
pub use state::BackendState;
