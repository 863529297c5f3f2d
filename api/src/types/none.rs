//! `None`.

use crate::backend::Backend;
use crate::instance::Bound;
use crate::python::Python;
use crate::types::PyNone;

impl PyNone {
    /// A new reference to `None`.
    #[inline]
    pub fn get<B: Backend>(py: Python<'_, B>) -> Bound<'_, PyNone, B> {
        // SAFETY: the token proves the GIL; `None` is a live singleton.
        unsafe { Bound::from_borrowed_ptr(py, B::none()) }
    }
}
