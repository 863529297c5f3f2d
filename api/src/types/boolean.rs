//! `True` and `False`.

use crate::backend::Backend;
use crate::instance::Bound;
use crate::python::Python;
use crate::types::PyBool;

impl PyBool {
    /// A new reference to `True` or `False`.
    #[inline]
    pub fn new<B: Backend>(py: Python<'_, B>, value: bool) -> Bound<'_, PyBool, B> {
        // SAFETY: the token proves the GIL; the booleans are live singletons.
        unsafe { Bound::from_borrowed_ptr(py, B::bool_from(value)) }
    }
}

impl<B: Backend> Bound<'_, PyBool, B> {
    /// `True` for `True`.
    #[inline]
    pub fn is_true(&self) -> bool {
        // SAFETY: the handle proves the GIL.
        self.as_ptr() == unsafe { B::bool_from(true) }
    }
}
