//! Extension modules: the `PyModuleDef` the import machinery requires, built at run time with
//! the implementation's `PyModuleDef_Base` size, and the module created from it.

use std::ffi::{c_char, CString};
use std::ptr;

use crate::c_api::CApi;
use crate::errors::set_error;
use crate::ffi::{FreeFunction, PyObject};

/// Number of machine words in `PyModuleDef` after its base: `m_name`, `m_doc`, `m_size`,
/// `m_methods`, `m_slots`, `m_traverse`, `m_clear`, `m_free`.
const DEF_TAIL_WORDS: usize = 8;

/// A `PyModuleDef` for this implementation's layout, as machine words: `PyModuleDef_HEAD_INIT`,
/// then `m_name`, `m_size` and `m_free` as given, everything else null.
pub(crate) fn module_def<A: CApi>(
    name: *const c_char,
    size: isize,
    free: Option<FreeFunction>,
) -> Box<[usize]> {
    let base = A::MODULE_DEF_BASE_WORDS;
    let mut def = vec![0usize; base + DEF_TAIL_WORDS].into_boxed_slice();
    def[0] = 1; // PyModuleDef_HEAD_INIT: ob_refcnt 1, everything else null
    def[base] = name as usize;
    def[base + 2] = size as usize;
    def[base + 7] = free.map_or(0, |free| free as usize);
    def
}

/// Creates the module for `PyInit_<name>` from a definition that lives for the rest of the
/// process (the interpreter keeps pointing at it). Null with an error set on failure.
///
/// # Safety
/// GIL held.
pub(crate) unsafe fn extension_module_new<A: CApi>(name: &str) -> *mut PyObject {
    // SAFETY: GIL held (caller).
    let Some(name) = (unsafe { module_name::<A>(name) }) else {
        return ptr::null_mut();
    };
    // m_name leaked with the definition; m_size -1: single-phase init, no per-module state.
    let def: &'static mut [usize] = Box::leak(module_def::<A>(name.into_raw(), -1, None));
    // SAFETY: GIL held; `def` is a valid, zero-initialised PyModuleDef for this implementation's
    // layout and is never freed.
    unsafe { A::PyModule_Create2(def.as_mut_ptr().cast(), A::API_VERSION) }
}

/// A plain module object named `name` (`PyModule_New`), not tied to any definition. Null with
/// an error set on failure.
///
/// # Safety
/// GIL held.
pub(crate) unsafe fn module_new<A: CApi>(name: &str) -> *mut PyObject {
    // SAFETY: GIL held (caller).
    let Some(name) = (unsafe { module_name::<A>(name) }) else {
        return ptr::null_mut();
    };
    // SAFETY: GIL held; `name` is NUL-terminated and copied by the interpreter.
    unsafe { A::PyModule_New(name.as_ptr()) }
}

/// `name` as a C string, or `None` with a `ValueError` set when it holds a NUL byte.
///
/// # Safety
/// GIL held.
unsafe fn module_name<A: CApi>(name: &str) -> Option<CString> {
    let name = CString::new(name).ok();
    if name.is_none() {
        // SAFETY: GIL held (caller).
        unsafe { set_error::<A>(A::PyExc_ValueError(), "module name contains a NUL byte") };
    }
    name
}
