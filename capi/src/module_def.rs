//! Extension modules: the `PyModuleDef` the import machinery requires, built at run time with
//! the implementation's `PyModuleDef_Base` size, and the module created from it.

use std::ffi::CString;
use std::ptr;

use crate::c_api::CApi;
use crate::errors::set_error;
use crate::ffi::PyObject;

/// Number of machine words in `PyModuleDef` after its base: `m_name`, `m_doc`, `m_size`,
/// `m_methods`, `m_slots`, `m_traverse`, `m_clear`, `m_free`.
const DEF_TAIL_WORDS: usize = 8;

/// Creates the module for `PyInit_<name>` from a definition that lives for the rest of the
/// process (the interpreter keeps pointing at it). Null with an error set on failure.
///
/// # Safety
/// GIL held.
pub(crate) unsafe fn extension_module_new<A: CApi>(name: &str) -> *mut PyObject {
    let Ok(name) = CString::new(name) else {
        // SAFETY: GIL held (caller).
        unsafe { set_error::<A>(A::PyExc_ValueError(), "module name contains a NUL byte") };
        return ptr::null_mut();
    };
    let base = A::MODULE_DEF_BASE_WORDS;
    let mut def = vec![0usize; base + DEF_TAIL_WORDS];
    def[0] = 1; // PyModuleDef_HEAD_INIT: ob_refcnt 1, everything else null
    def[base] = name.into_raw() as usize; // m_name, leaked with the definition
    def[base + 2] = -1isize as usize; // m_size: single-phase init, no per-module state
    let def: &'static mut [usize] = def.leak();
    // SAFETY: GIL held; `def` is a valid, zero-initialised PyModuleDef for this implementation's
    // layout and is never freed.
    unsafe { A::PyModule_Create2(def.as_mut_ptr().cast(), A::API_VERSION) }
}
