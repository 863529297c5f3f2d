//! anypy's CPython backend: [`CPython`].
//!
//! The C-API is linked (declarations for the subset anypy uses, from `anypy-capi`'s one list),
//! with `Py_INCREF`/`Py_DECREF`, the builtin type checks and tuple/list item access inlined as
//! the headers of the CPython built against (3.9 to 3.13) define them. The build script finds
//! the interpreter (`ANYPY_PYTHON`, then `PYO3_PYTHON`, then `python3` on `PATH`) and refuses
//! versions whose layout anypy does not know. With the `abi3` feature nothing the limited API
//! hides is read inline, and an extension module built so runs on every CPython 3.9+.
//!
//! Two modes:
//! - **embedding** (default): links libpython. The first `Python::with_gil` starts the
//!   interpreter; [`finalize`] ends it. Binaries of *other* crates need an rpath to find
//!   libpython without `LD_LIBRARY_PATH`: give them a build script containing
//!   `println!("cargo:rustc-link-arg=-Wl,-rpath,{}", std::env::var("DEP_PYTHON_LIBDIR").unwrap());`
//!   (this crate's own tests and benches have it already).
//! - **extension module** (feature `extension-module`): links nothing; the importing
//!   interpreter provides the symbols. Export the module with `anypy::python_module!`.
//!
//! ```no_run
//! use anypy::Python;
//! use anypy::types::PyDict;
//! use anypy_cpython::CPython;
//!
//! Python::<CPython>::with_gil(|py| {
//!     let dict = PyDict::new(py).unwrap();
//!     dict.set_item("answer", 42).unwrap();
//!     assert_eq!(dict.get_item("answer").unwrap().unwrap().extract::<i64>().unwrap(), 42);
//! });
//! ```
#![deny(missing_docs)]

mod layout_check;
mod lifecycle;
mod linked;
mod version;

use std::ffi::{c_void, CStr};

use anypy_capi::PyObject;

pub use lifecycle::finalize;
pub use version::BUILT_FOR;

/// The CPython backend.
pub type CPython = anypy_capi::CBackend<CPythonApi>;

/// CPython's C-API as linked symbols; [`CPython`] is anypy's backend over it.
pub enum CPythonApi {}

// SAFETY: CPython 3.9-3.13 on 64-bit targets (enforced by the build script): `ob_type` at offset
// 8, `PyModuleDef_Base` is PyObject_HEAD plus three words, tuples store items inline and lists
// point to an item array after the var-object head, as `Include/cpython/*.h` define them and as
// `layout_check` asserts against the interpreter built against. What differs between versions
// (refcounting, calls, errors, the limited API) is `version`'s.
unsafe impl anypy_capi::CApi for CPythonApi {
    const NAME: &'static str = "cpython";
    const OB_TYPE_OFFSET: usize = 8;
    const FUNCTION_HOLDER: anypy_capi::FunctionHolder = anypy_capi::FunctionHolder::Module {
        // `PyModuleObject` (3.9-3.13): the object head, `md_dict`, `md_def`, then `md_state`
        // (checked by `layout_check`; the limited API has no accessor as cheap, and PyPy's
        // modules are not freed by `m_free`, so PyPy uses a capsule).
        state_offset: 32,
    };
    const MODULE_DEF_BASE_WORDS: usize = 5;
    const API_VERSION: i32 = version::API_VERSION;
    const INLINE_TUPLE_ACCESS: bool = version::INLINE_STRUCTURES;
    const INLINE_TYPE_SLOTS: bool = version::INLINE_STRUCTURES;
    const INLINE_LIST_ACCESS: bool = version::INLINE_STRUCTURES;
    const INLINE_DICT_LEN: bool = version::INLINE_STRUCTURES;
    const GC_OWNED_REFCNT: isize = 0;
    const METH_O_METHODS: bool = true;
    // "Heap-allocated types hold a reference to their type" (What's New in Python 3.8).
    const INSTANCES_HOLD_THEIR_TYPE: bool = true;

    anypy::backend_state!();

    unsafe fn gc_untrack(obj: *mut anypy_capi::PyObject) {
        // SAFETY: GIL held, `obj` a live tracked instance (caller).
        unsafe { linked::gc_untrack(obj) }
    }

    fn initialize() -> Result<(), anypy::BackendError> {
        lifecycle::initialize()
    }

    #[inline(always)]
    unsafe fn incref(obj: *mut PyObject) {
        // SAFETY: guaranteed by the caller.
        unsafe { version::incref(obj) }
    }

    #[inline(always)]
    unsafe fn decref(obj: *mut PyObject) {
        // SAFETY: guaranteed by the caller.
        unsafe { version::decref(obj) }
    }

    #[inline(always)]
    unsafe fn type_flags(ty: *mut PyObject) -> u64 {
        // SAFETY: guaranteed by the caller.
        unsafe { version::type_flags(ty) }
    }

    unsafe fn type_name(ty: *mut PyObject) -> String {
        // SAFETY: guaranteed by the caller.
        unsafe { version::type_name(ty) }
    }

    #[inline(always)]
    unsafe fn capsule_pointer(capsule: *mut PyObject, name: &CStr) -> *mut c_void {
        // SAFETY: guaranteed by the caller.
        unsafe { version::capsule_pointer(capsule, name) }
    }

    #[inline(always)]
    unsafe fn int_as_i64(obj: *mut PyObject) -> i64 {
        // SAFETY: guaranteed by the caller.
        unsafe { version::int_as_i64(obj) }
    }

    #[inline(always)]
    unsafe fn vectorcall(
        callable: *mut PyObject,
        args: *const *mut PyObject,
        nargs: usize,
        kwnames: *mut PyObject,
    ) -> *mut PyObject {
        // SAFETY: guaranteed by the caller.
        unsafe { version::vectorcall(callable, args, nargs, kwnames) }
    }

    unsafe fn fetch_error() -> Option<(*mut PyObject, *mut PyObject, *mut PyObject)> {
        // SAFETY: guaranteed by the caller.
        unsafe { version::fetch_error() }
    }

    unsafe fn restore_error(ty: *mut PyObject, value: *mut PyObject, traceback: *mut PyObject) {
        // SAFETY: guaranteed by the caller.
        unsafe { version::restore_error(ty, value, traceback) }
    }
}
