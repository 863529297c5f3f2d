//! Native functions: Rust functions become Python callables with Python's calling conventions.
//!
//! [`function!`](crate::function!) defines one from a Rust `fn` whose parameter list is its
//! Python signature (keywords, defaults, `/`, `*`, `*args`, `**kwargs`); [`Handler`] also makes
//! plain `fn`s and closures callable by position. [`Signature`] and [`Parameters`] are the
//! argument-matching core, shared with methods; [`Function`] names one; the backend wraps it.

mod argument_errors;
mod arguments;
pub mod define;
mod from_argument;
mod handler;
mod native;
mod return_value;
mod signature;

pub(crate) use argument_errors::{argument_error, too_many_positional};
pub use arguments::{Arguments, CallArgs, Parameters};
pub use define::Defined;
pub use from_argument::{
    BorrowedArg, BoundArg, BytesArg, FromArgument, FromVarArgs, OptionArg, Owned, SliceArgs,
    StrArg, TupleArgs, VecArgs,
};
pub use handler::{Handler, IntoReturn, NoToken, WithToken};
pub use native::Function;
pub(crate) use native::{panic_message, CallGil};
pub use return_value::{ReturnKind, ReturnValue};
pub use signature::{python_default, Param, ParamKind, Signature};
