//! Exceptions in the C backends: setting one from a Rust string (which may hold NUL bytes, so
//! never through `PyErr_SetString`), the builtin classes by kind, new exception classes.

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

/// The builtin exception class of `kind` (a borrowed reference to a static object).
///
/// # Safety
/// The interpreter is initialized.
pub(crate) unsafe fn exception_class<A: CApi>(kind: anypy::ExceptionKind) -> *mut PyObject {
    macro_rules! symbol_of {
        ([$kind:ident] $($name:ident($symbol:ident) $(: $base:ident)?;)*) => {
            match $kind {
                $(anypy::ExceptionKind::$name => A::$symbol(),)*
            }
        };
    }
    // SAFETY: the interpreter is initialized (caller), so its exception classes exist.
    unsafe { anypy::for_each_exception_kind!(symbol_of, kind) }
}

/// A new exception class `name` deriving from `base`, documented by `doc` (a `ValueError` when
/// either holds a NUL byte); null with the error set on failure.
///
/// # Safety
/// GIL held; `base` is an exception class.
pub(crate) unsafe fn exception_new<A: CApi>(
    name: &str,
    doc: Option<&str>,
    base: *mut PyObject,
) -> *mut PyObject {
    let texts = (
        std::ffi::CString::new(name),
        doc.map(std::ffi::CString::new).transpose(),
    );
    let (Ok(name), Ok(doc)) = texts else {
        // SAFETY: GIL held (caller).
        unsafe {
            set_error::<A>(
                A::PyExc_ValueError(),
                "class name or docstring contains a NUL byte",
            )
        };
        return std::ptr::null_mut();
    };
    let doc = doc.as_ref().map_or(std::ptr::null(), |doc| doc.as_ptr());
    // SAFETY: GIL held; `base` an exception class (caller); both strings are NUL-terminated and
    // copied by the interpreter; a null dict means none.
    unsafe { A::PyErr_NewExceptionWithDoc(name.as_ptr(), doc, base, std::ptr::null_mut()) }
}
