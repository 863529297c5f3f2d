//! anypy's CPython backend: [`CPython`].
//!
//! The C-API is linked (declarations for the subset anypy uses, from `anypy-capi`'s one list),
//! with `Py_INCREF`/`Py_DECREF`, the builtin type checks and tuple/list item access inlined as
//! CPython 3.11's headers define them. The build script finds the interpreter
//! (`ANYPY_PYTHON`, then `PYO3_PYTHON`, then `python3` on `PATH`) and refuses versions whose
//! layout anypy does not know.
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

mod lifecycle;
mod linked;

pub use lifecycle::finalize;

/// The CPython backend.
pub type CPython = anypy_capi::CBackend<CPythonApi>;

/// CPython's C-API as linked symbols; [`CPython`] is anypy's backend over it.
pub enum CPythonApi {}

// SAFETY: CPython 3.11 on 64-bit targets (enforced by the build script): `ob_type` at offset 8,
// `PyModuleDef_Base` is PyObject_HEAD plus three words, tuples store items inline and lists
// point to an item array after the var-object head, exactly as `Include/cpython/*.h` define them.
unsafe impl anypy_capi::CApi for CPythonApi {
    const NAME: &'static str = "cpython";
    const OB_TYPE_OFFSET: usize = 8;
    const MODULE_DEF_BASE_WORDS: usize = 5;
    const API_VERSION: i32 = 1013;
    const INLINE_TUPLE_ACCESS: bool = true;
    const INLINE_LIST_ACCESS: bool = true;
    const GC_OWNED_REFCNT: isize = 0;
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
}
