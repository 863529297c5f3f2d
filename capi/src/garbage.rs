//! `gc.collect()` through the C-API: the whole of `collect_garbage` on CPython, and the first
//! half of it on PyPy.

use std::ffi::c_int;
use std::ptr;

use crate::c_api::CApi;
use crate::ffi::PyObject;

/// Imports `gc` and calls `gc.collect()`: `0`, or `-1` with the error set.
///
/// # Safety
/// GIL held.
pub unsafe fn gc_collect<A: CApi>() -> c_int {
    // SAFETY: GIL held (caller); every new reference is released once, null ones never.
    unsafe {
        let collect = attribute::<A>("gc", "collect");
        if collect.is_null() {
            return -1;
        }
        let collected = A::vectorcall(collect, ptr::null(), 0, ptr::null_mut());
        A::decref(collect);
        if collected.is_null() {
            return -1;
        }
        A::decref(collected);
        0
    }
}

/// `module.name` as a new reference, or null with the error set.
///
/// # Safety
/// GIL held.
unsafe fn attribute<A: CApi>(module: &str, name: &str) -> *mut PyObject {
    // SAFETY: GIL held (caller); each new reference is released once, null ones never.
    unsafe {
        let module_name = text::<A>(module);
        if module_name.is_null() {
            return ptr::null_mut();
        }
        let module = A::PyImport_Import(module_name);
        A::decref(module_name);
        if module.is_null() {
            return ptr::null_mut();
        }
        let name = text::<A>(name);
        let value = if name.is_null() {
            ptr::null_mut()
        } else {
            let value = A::PyObject_GetAttr(module, name);
            A::decref(name);
            value
        };
        A::decref(module);
        value
    }
}

/// A new str, or null with the error set.
///
/// # Safety
/// GIL held.
unsafe fn text<A: CApi>(value: &str) -> *mut PyObject {
    // SAFETY: GIL held (caller); pointer and length describe valid UTF-8.
    unsafe { A::PyUnicode_FromStringAndSize(value.as_ptr().cast(), value.len() as isize) }
}
