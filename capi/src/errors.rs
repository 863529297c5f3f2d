//! Exceptions: the class object of each [`ExceptionKind`], and setting an exception from a Rust
//! string (which may hold NUL bytes, so never through `PyErr_SetString`).

use anypy::ExceptionKind;

use crate::c_api::CApi;
use crate::ffi::PyObject;
use crate::layout;

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
            layout::decref::<A>(text);
        }
    }
}

/// The builtin exception class of `kind` (borrowed: created at start-up and never freed).
///
/// # Safety
/// The interpreter is initialized.
pub(crate) unsafe fn exception_class<A: CApi>(kind: ExceptionKind) -> *mut PyObject {
    // SAFETY: each `PyExc_*` variable holds its class once the interpreter runs.
    unsafe {
        match kind {
            ExceptionKind::BaseException => A::PyExc_BaseException(),
            ExceptionKind::Exception => A::PyExc_Exception(),
            ExceptionKind::ArithmeticError => A::PyExc_ArithmeticError(),
            ExceptionKind::LookupError => A::PyExc_LookupError(),
            ExceptionKind::TypeError => A::PyExc_TypeError(),
            ExceptionKind::ValueError => A::PyExc_ValueError(),
            ExceptionKind::OverflowError => A::PyExc_OverflowError(),
            ExceptionKind::ZeroDivisionError => A::PyExc_ZeroDivisionError(),
            ExceptionKind::KeyError => A::PyExc_KeyError(),
            ExceptionKind::IndexError => A::PyExc_IndexError(),
            ExceptionKind::AttributeError => A::PyExc_AttributeError(),
            ExceptionKind::RuntimeError => A::PyExc_RuntimeError(),
            ExceptionKind::NotImplementedError => A::PyExc_NotImplementedError(),
            ExceptionKind::MemoryError => A::PyExc_MemoryError(),
            ExceptionKind::StopIteration => A::PyExc_StopIteration(),
            ExceptionKind::SystemError => A::PyExc_SystemError(),
            ExceptionKind::ImportError => A::PyExc_ImportError(),
            ExceptionKind::OSError => A::PyExc_OSError(),
        }
    }
}
