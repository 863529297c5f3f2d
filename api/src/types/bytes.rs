//! `bytes`.

use crate::backend::Backend;
use crate::err::PyResult;
use crate::instance::{Borrowed, Bound};
use crate::python::Python;
use crate::types::PyBytes;

impl PyBytes {
    /// A new `bytes` object holding a copy of `value`.
    #[track_caller]
    pub fn new<'py, B: Backend>(
        py: Python<'py, B>,
        value: &[u8],
    ) -> PyResult<Bound<'py, PyBytes, B>, B> {
        // SAFETY: the token proves the GIL; the result is a new reference or an error.
        unsafe { Bound::from_owned_ptr_or_err(py, B::bytes_from(value)) }
    }
}

/// Reads a bytes object's contents.
///
/// # Safety
/// The GIL is held and `obj` is a live `bytes` that outlives `'a`.
unsafe fn contents_of<'a, B: Backend>(obj: crate::RawPtr) -> &'a [u8] {
    // SAFETY: forwarded from the caller; reading a verified bytes object cannot fail.
    match unsafe { B::bytes_as(obj) } {
        // SAFETY: the buffer belongs to the object, which outlives `'a`.
        Some((data, len)) => unsafe { std::slice::from_raw_parts(data, len) },
        None => unreachable!("bytes_as failed on a checked bytes object"),
    }
}

impl<B: Backend> Bound<'_, PyBytes, B> {
    /// The contents, borrowed from the object.
    pub fn as_bytes(&self) -> &[u8] {
        // SAFETY: the handle proves the GIL; the borrow of `self` keeps the object alive.
        unsafe { contents_of::<B>(self.as_ptr()) }
    }
}

impl<'a, B: Backend> Borrowed<'a, '_, PyBytes, B> {
    /// The contents, valid as long as the borrowed object.
    pub fn as_bytes(self) -> &'a [u8] {
        // SAFETY: the view proves the GIL; the object lives for `'a`.
        unsafe { contents_of::<B>(self.as_ptr()) }
    }
}
