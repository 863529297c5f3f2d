//! Setting an exception from a Rust string (which may hold NUL bytes, so never through
//! `PyErr_SetString`).

use crate::c_api::CApi;
use crate::ffi::PyObject;

/// Sets `ty(message)` as the current exception; on allocation failure the `MemoryError` raised
/// by creating the message stays set instead.
///
/// # Safety
/// GIL held; `ty` is an exception class.
pub(crate) unsafe fn set_error<A: CApi>(ty: *mut PyObject, message: &str) {
    // SAFETY: GIL held; the pointer and length describe `message`'s UTF-8 bytes.
    let text =
        unsafe { A::PyUnicode_FromStringAndSize(message.as_ptr().cast(), message.len() as isize) };
    if !text.is_null() {
        // SAFETY: GIL held; `SetObject` increfs `text`, then we release our reference.
        unsafe {
            A::PyErr_SetObject(ty, text);
            A::decref(text);
        }
    }
}
