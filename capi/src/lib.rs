//! The C-API seam shared by anypy's CPython and PyPy backends.
//!
//! Both interpreters expose the same C-API (PyPy through cpyext, with `PyPy`-prefixed names and
//! a slightly different object header). This crate lists the functions and data symbols anypy
//! uses once ([`for_each_c_function!`], [`for_each_c_static!`]), defines the [`CApi`] trait a
//! backend implements from them (by linking, or from a table loaded at run time), and implements
//! anypy's `Backend` once over any `CApi`: [`CBackend`]. Refcounts, type checks and (where the
//! layout allows) sequence items are inlined as the C headers' macros do it.
#![deny(missing_docs)]

mod backend;
mod c_api;
mod class;
mod class_keywords;
mod class_properties;
mod class_slots;
mod errors;
mod ffi;
mod garbage;
pub mod layout;
mod module_def;
mod native_function;
mod raw_ptr;
mod sequence;
mod type_check;

pub use backend::CBackend;
pub use c_api::{fetch_normalized, CApi, CApiFunctions, CApiStatics, FunctionHolder};
pub use class::{PyTypeSlot, PyTypeSpec};
pub use ffi::{
    tp_flags, CapsuleDestructor, FastCallKeywordsFunction, FreeFunction, NoArgsFunction,
    OpaqueStatic, PyMethodDef, PyObject, METH_FASTCALL, METH_KEYWORDS, METH_NOARGS,
};
pub use garbage::gc_collect;

/// The exception list, reachable as `$crate::` from [`for_each_c_static!`] in any crate.
#[doc(hidden)]
pub use anypy::for_each_exception_kind as __for_each_exception_kind;
