//! `int`: made from and read as 64-bit integers, with `OverflowError` out of range.

use crate::backend::Backend;
use crate::err::{PyErr, PyResult};
use crate::instance::Bound;
use crate::python::Python;
use crate::types::PyInt;

impl PyInt {
    /// A new `int` from a signed value.
    #[track_caller]
    pub fn new<B: Backend>(py: Python<'_, B>, value: i64) -> PyResult<Bound<'_, PyInt, B>, B> {
        // SAFETY: the token proves the GIL; the result is a new reference or an error.
        unsafe { Bound::from_owned_ptr_or_err(py, B::int_from_i64(value)) }
    }

    /// A new `int` from an unsigned value.
    #[track_caller]
    pub fn new_u64<B: Backend>(py: Python<'_, B>, value: u64) -> PyResult<Bound<'_, PyInt, B>, B> {
        // SAFETY: the token proves the GIL; the result is a new reference or an error.
        unsafe { Bound::from_owned_ptr_or_err(py, B::int_from_u64(value)) }
    }
}

impl<B: Backend> Bound<'_, PyInt, B> {
    /// The value as `i64`; `OverflowError` when it does not fit.
    #[inline]
    pub fn to_i64(&self) -> PyResult<i64, B> {
        // SAFETY: the handle proves the GIL and keeps the object alive.
        let value = unsafe { B::int_as_i64(self.as_ptr()) };
        // SAFETY: as above.
        if value == -1 && unsafe { B::err_occurred() } {
            return Err(PyErr::fetch(self.py()));
        }
        Ok(value)
    }

    /// The value as `u64`; `OverflowError` when negative or too large.
    #[inline]
    pub fn to_u64(&self) -> PyResult<u64, B> {
        // SAFETY: the handle proves the GIL and keeps the object alive.
        let value = unsafe { B::int_as_u64(self.as_ptr()) };
        // SAFETY: as above.
        if value == u64::MAX && unsafe { B::err_occurred() } {
            return Err(PyErr::fetch(self.py()));
        }
        Ok(value)
    }
}
