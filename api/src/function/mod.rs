//! Native functions: plain Rust functions with typed arguments become Python callables.
//!
//! [`Handler`] is implemented for `fn`s and closures whose arguments are extractable values,
//! `&str` or `&[u8]`, optionally after a `Python` token, and whose result converts to Python
//! (or is a `PyResult` of such). [`Function`] names and documents one; the backend wraps it.

mod handler;
mod native;
mod return_value;

pub use handler::{ArgKind, BytesArg, Handler, IntoReturn, NoToken, Owned, StrArg, WithToken};
pub(crate) use native::panic_message;
pub use native::{CallSite, Function};
pub use return_value::ReturnValue;
