//! `float`.

use crate::backend::Backend;
use crate::err::PyResult;
use crate::instance::Bound;
use crate::python::Python;
use crate::types::PyFloat;

impl PyFloat {
    /// A new `float`.
    #[track_caller]
    pub fn new<B: Backend>(py: Python<'_, B>, value: f64) -> PyResult<Bound<'_, PyFloat, B>, B> {
        // SAFETY: the token proves the GIL; the result is a new reference or an error.
        unsafe { Bound::from_owned_ptr_or_err(py, B::float_from_f64(value)) }
    }
}

impl<B: Backend> Bound<'_, PyFloat, B> {
    /// The value (reading a `float` cannot fail).
    pub fn value(&self) -> f64 {
        // SAFETY: the handle proves the GIL, keeps the object alive, and it is a float.
        unsafe { B::float_as_f64(self.as_ptr()) }
    }
}
