//! `str`: UTF-8 in and out.

use crate::backend::Backend;
use crate::err::{PyErr, PyResult};
use crate::instance::{Borrowed, Bound};
use crate::python::Python;
use crate::types::PyStr;

impl PyStr {
    /// A new `str` from UTF-8.
    #[track_caller]
    pub fn new<'py, B: Backend>(
        py: Python<'py, B>,
        value: &str,
    ) -> PyResult<Bound<'py, PyStr, B>, B> {
        // SAFETY: the token proves the GIL; the result is a new reference or an error.
        unsafe { Bound::from_owned_ptr_or_err(py, B::str_from_utf8(value)) }
    }
}

/// Reads a str object's UTF-8 contents, valid while the object lives.
///
/// # Safety
/// The GIL is held and `obj` is a live `str` that outlives `'a`.
unsafe fn utf8_of<'a, B: Backend>(py: Python<'_, B>, obj: crate::RawPtr) -> PyResult<&'a str, B> {
    // SAFETY: forwarded from the caller.
    match unsafe { B::str_as_utf8(obj) } {
        Some((data, len)) => {
            // SAFETY: the backend returns valid UTF-8 owned by the object, which outlives `'a`.
            Ok(unsafe { std::str::from_utf8_unchecked(std::slice::from_raw_parts(data, len)) })
        }
        None => Err(PyErr::fetch(py)),
    }
}

impl<B: Backend> Bound<'_, PyStr, B> {
    /// The contents as UTF-8, borrowed from the object (`UnicodeEncodeError` for lone
    /// surrogates).
    pub fn to_str(&self) -> PyResult<&str, B> {
        // SAFETY: the handle proves the GIL; the borrow of `self` keeps the object alive.
        unsafe { utf8_of(self.py(), self.as_ptr()) }
    }
}

impl<'a, B: Backend> Borrowed<'a, '_, PyStr, B> {
    /// The contents as UTF-8, valid as long as the borrowed object.
    pub fn to_str(self) -> PyResult<&'a str, B> {
        // SAFETY: the view proves the GIL; the object lives for `'a`.
        unsafe { utf8_of(self.py(), self.as_ptr()) }
    }
}
