//! Pointers between anypy and the C-API: anypy's opaque `RawPtr` as a `PyObject *` and back,
//! a nullable C result as a new reference, and Rust lengths as `Py_ssize_t`.

use std::ptr::NonNull;

use anypy::{NewRef, RawPtr};

use crate::ffi::PyObject;

/// A raw pointer as the C-API sees it.
#[inline(always)]
pub(crate) fn c(obj: RawPtr) -> *mut PyObject {
    obj.as_ptr().cast()
}

/// A C-API result as a new reference (`None` when null, with the error set).
#[inline(always)]
pub(crate) fn new_ref(obj: *mut PyObject) -> NewRef {
    NonNull::new(obj.cast())
}

/// A pointer the C-API guarantees non-null (a borrowed item, a static object).
///
/// # Safety
/// `obj` is not null.
#[inline(always)]
pub(crate) unsafe fn non_null(obj: *mut PyObject) -> RawPtr {
    // SAFETY: guaranteed by the caller.
    unsafe { NonNull::new_unchecked(obj.cast()) }
}

/// A Rust length or index as `Py_ssize_t` (Rust allocations never exceed `isize::MAX`).
#[inline(always)]
pub(crate) fn ssize(n: usize) -> isize {
    n as isize
}
