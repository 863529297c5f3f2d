//! anypy: one API for Python objects from Rust, on CPython, PyPy and a mock interpreter.
//!
//! Code is written once, generic over a [`Backend`], and runs on every implementation:
//!
//! ```
//! use anypy::{Backend, PyResult, Python};
//! use anypy::types::{PyDict, PyList};
//! use anypy_mock::Mock;
//!
//! /// Counts words; works on any backend.
//! fn word_counts<B: Backend>(py: Python<'_, B>, text: &str) -> PyResult<usize, B> {
//!     let counts = PyDict::new(py)?;
//!     for word in text.split_whitespace() {
//!         let seen: u64 = counts.get_item(word)?.map(|n| n.extract()).transpose()?.unwrap_or(0);
//!         counts.set_item(word, seen + 1)?;
//!     }
//!     assert_eq!(counts.get_item("the")?.unwrap().extract::<u64>()?, 2);
//!     let words = PyList::new(py, counts.keys())?;
//!     Ok(words.len())
//! }
//!
//! // On the mock, every refcount mistake is a panic, and the leak check proves that
//! // everything the closure made was released.
//! let distinct = Mock::leak_check(|| Python::<Mock>::with_gil(|py| word_counts(py, "the cat saw the dog")));
//! assert_eq!(distinct.unwrap(), 4);
//! ```
//!
//! Handles: [`Bound`] (owned, tied to the GIL token; drop decrefs at once), [`Py`] (owned,
//! `Send`, outlives the GIL; dropped without the GIL it waits in a release queue drained at the
//! next [`Python::with_gil`]), [`Borrowed`] (no refcount traffic). Backends: `anypy-mock`
//! (pure Rust, misuse detection) and, in their own crates, CPython and PyPy.
#![deny(missing_docs)]

mod attr_name;
mod backend;
mod class;
mod conversion;
mod err;
pub mod exceptions;
mod extension_module;
mod function;
mod gil;
mod instance;
mod intern;
mod module_builder;
mod python;
mod release_queue;
mod state;
mod type_object;
pub mod types;

pub use attr_name::AttrName;
pub use backend::{
    AbortOnUnwind, Backend, BackendError, BuiltinType, CompareOp, EntryKind, ExceptionKind,
    MethodEntry, NewRef, NumberOp, RawClass, RawClassDef, RawFunction, RawGilState, RawMethod,
    RawMethodDef, RawObject, RawPropertyDef, RawPtr, RawSlotDef, RawThreadState, SlotKind,
};
#[doc(hidden)]
pub use class::{
    class_receiver as __class_receiver, ClassReceiver as __ClassReceiver,
    ReceiverClass as __ReceiverClass,
};
pub use class::{
    ByMut, ByObject, ByPyRef, ByPyRefMut, ByRef, ClassBuilder, ClassCell, ClassPayload,
    CompareHandler, ConstructorHandler, Converted, DefinedConstructor, DefinedMethod, Fallible,
    Infallible, InplaceHandler, IntoValue, MethodDef, MethodHandler, NewValue, OperatorHandler,
    OperatorResult, PyClass, PyRef, PyRefMut, PyTraverseError, PyVisit, SameClass, SetterHandler,
    SetterResult,
};
pub use conversion::{FromPyObject, IntoCallArgs, IntoPyObject};
pub use err::{PyErr, PyResult};
pub use extension_module::module_init;
#[doc(hidden)]
pub use function::define as __function_private;
pub use function::{
    python_default, Arguments, BorrowedArg, BoundArg, BytesArg, CallArgs, Defined, FromArgument,
    FromVarArgs, Function, Handler, IntoReturn, NoToken, OptionArg, Owned, Param, ParamKind,
    Parameters, ReturnKind, ReturnValue, Signature, SliceArgs, StrArg, TupleArgs, VecArgs,
    WithToken,
};
pub use instance::{Borrowed, Bound, Py};
pub use intern::Interned;
pub use module_builder::ModuleBuilder;
pub use python::Python;
pub use release_queue::ReleaseQueue;
pub use state::{BackendState, GilCount};
pub use type_object::TypeObjectCell;
