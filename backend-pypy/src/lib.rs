//! anypy's PyPy backend: [`PyPy`].
//!
//! PyPy's C-API (cpyext) is reached through a function table filled once per process from
//! libpypy, with `Py_INCREF`/`Py_DECREF`, the builtin type checks and tuple items inlined as
//! PyPy's headers define them ([`layout`]). No linking, no build script: the first
//! `Python::<PyPy>::with_gil` finds the library ([`library`]: `ANYPY_PYPY_LIB`, then what `pypy3`
//! on `PATH` reports, then the usual system locations), starts PyPy ([`startup`]) and looks up
//! every symbol ([`symbols`]). When PyPy imported us (an extension module built on `PyPy`), the
//! running process's symbols are used and nothing is started.
//!
//! ```no_run
//! use anypy::Python;
//! use anypy::types::PyDict;
//! use anypy_pypy::PyPy;
//!
//! Python::<PyPy>::with_gil(|py| {
//!     let dict = PyDict::new(py).unwrap();
//!     dict.set_item("answer", 42).unwrap();
//!     assert_eq!(dict.get_item("answer").unwrap().unwrap().extract::<i64>().unwrap(), 42);
//! });
//! ```
//!
//! A missing PyPy is an error, not a crash: `Python::<PyPy>::try_with_gil` returns a
//! `BackendError` listing every place searched (`with_gil` panics with the same text). The C-API
//! table is used only after that initialization succeeded: every call needs the GIL, which anypy
//! takes only after initialization. In debug builds a call made anyway (outside that contract)
//! panics with a message saying so instead of jumping through an unset pointer.
//!
//! An extension module names this backend in `anypy::python_module!(name, anypy_pypy::PyPy,
//! init)` and is built as a `cdylib` named `name.pypy39-pp73-x86_64-linux-gnu.so`; the symbols
//! then come from the PyPy that imports it.
//!
//! Memory: PyPy frees an object that C code held only after its GC found it dead *and* Python
//! code ran afterwards, which a Rust loop calling the C-API never does. anypy-pypy lets PyPy
//! catch up every [`memory::DEFAULT_RELEASE_INTERVAL`] references it releases, which keeps such
//! loops flat (10M native-callback calls: +178 MiB, the 150 MiB nursery and what one nursery's
//! worth of allocation leaves, instead of +543 MiB and growing), and `Python::collect_garbage`
//! frees everything unreachable on demand. Details and figures: [`memory`].
#![deny(missing_docs)]

pub mod layout;
pub mod library;
pub mod memory;
pub mod startup;
pub mod symbols;
mod table;

use std::ffi::c_int;
use std::mem::size_of;

use anypy::BackendError;

/// The PyPy backend.
pub type PyPy = anypy_capi::CBackend<PyPyApi>;

/// PyPy's C-API as a table looked up at run time; [`PyPy`] is anypy's backend over it.
pub enum PyPyApi {}

/// [`PyPy`]'s `Backend::NAME`.
const BACKEND_NAME: &str = "pypy";

// anypy-capi derives `tp_name` and `tp_flags` from `OB_TYPE_OFFSET` and the tuple items from
// the var-object head; check that this gives the offsets measured in `layout`.
const _: () = {
    let var_head = layout::OB_TYPE_OFFSET + 2 * size_of::<usize>();
    assert!(var_head == layout::VAR_OBJECT_HEAD_SIZE);
    assert!(layout::OB_TYPE_OFFSET + size_of::<usize>() == layout::OB_SIZE_OFFSET);
    assert!(var_head == layout::TUPLE_OB_ITEM_OFFSET);
    assert!(var_head == layout::TYPE_TP_NAME_OFFSET);
    assert!(var_head + 18 * size_of::<usize>() == layout::TYPE_TP_FLAGS_OFFSET);
};

// SAFETY: the constants are PyPy 7.3's layout as measured in `layout` (and checked against live
// objects by tests/loading.rs): `ob_type` at 16, a six-word `PyModuleDef_Base`, tuple items
// inline after the var-object head, lists opaque (items only through functions). `initialize`
// starts PyPy so that any thread enters with `PyGILState_Ensure`.
unsafe impl anypy_capi::CApi for PyPyApi {
    const NAME: &'static str = BACKEND_NAME;
    const OB_TYPE_OFFSET: usize = layout::OB_TYPE_OFFSET;
    const FUNCTION_HOLDER: anypy_capi::FunctionHolder = anypy_capi::FunctionHolder::Capsule;
    const MODULE_DEF_BASE_WORDS: usize = layout::MODULE_DEF_BASE_SIZE / size_of::<usize>();
    const API_VERSION: i32 = layout::PYTHON_API_VERSION;
    const INLINE_TUPLE_ACCESS: bool = true;
    const INLINE_LIST_ACCESS: bool = false;
    const GC_OWNED_REFCNT: isize = layout::REFCNT_FROM_PYPY;
    const SSIZE_T_INTS: bool = true;
    const DICT_ITERATION_BY_PROTOCOL: bool = true;
    // Measured on 7.3.11: `tp_alloc` of a heap type increfs it, as CPython's does (the
    // conformance test `class_instances_give_back_their_class` checks the balance).
    const INSTANCES_HOLD_THEIR_TYPE: bool = true;

    anypy::backend_state!();

    fn initialize() -> Result<(), BackendError> {
        table::initialize()
    }

    #[inline(always)]
    unsafe fn released_to_gc() {
        // SAFETY: GIL held (caller).
        unsafe { memory::released_to_gc() }
    }

    #[inline(always)]
    unsafe fn call_positional(
        callable: *mut anypy_capi::PyObject,
        args: &[*mut anypy_capi::PyObject],
    ) -> *mut anypy_capi::PyObject {
        // SAFETY: GIL held, live arguments (caller).
        unsafe { table::call_positional(callable, args) }
    }

    #[inline(always)]
    unsafe fn list_init_item(
        list: *mut anypy_capi::PyObject,
        index: usize,
        item: *mut anypy_capi::PyObject,
    ) {
        // SAFETY: GIL held (so the table is loaded), a fresh list, `index` in range with its
        // slot empty, `item` owned (caller); cpyext's `PyList_SET_ITEM` stores it there, as the
        // macro does.
        unsafe { (table::table().pypy.list_set_item)(list, index as isize, item) }
    }

    #[inline(always)]
    unsafe fn list_get_item(
        list: *mut anypy_capi::PyObject,
        index: usize,
    ) -> *mut anypy_capi::PyObject {
        // SAFETY: GIL held (so the table is loaded), a list and `index` in range (caller); the
        // item is borrowed.
        unsafe { (table::table().pypy.list_get_item)(list, index as isize) }
    }

    #[inline(always)]
    unsafe fn list_len(list: *mut anypy_capi::PyObject) -> usize {
        // SAFETY: GIL held (so the table is loaded), a list (caller).
        unsafe { (table::table().pypy.list_get_size)(list) as usize }
    }

    unsafe fn collect_garbage() -> c_int {
        // SAFETY: GIL held (caller).
        unsafe { memory::collect_garbage() }
    }
}

/// Like the initialization `Python::<PyPy>::with_gil` does on first use, but searching for
/// libpypy with `search` instead of [`library::Search::from_env`]. Only the first start-up in a
/// process decides: afterwards this returns that outcome whatever `search` says.
pub fn initialize_with(search: &library::Search) -> Result<(), BackendError> {
    table::initialize_with(|| startup::runtime_with(search))
}
