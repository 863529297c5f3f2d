//! [`AttrName`]: what `getattr`, `setattr` and `call_method` accept as a name — a `&str` (a
//! `str` is made for the call) or a `str` handle, e.g. from [`intern!`](crate::intern), whose
//! pointer is lent with no new object and no refcount traffic.

use crate::backend::{Backend, RawPtr};
use crate::err::PyResult;
use crate::instance::{Borrowed, Bound, Py};
use crate::python::Python;
use crate::types::PyStr;

mod sealed {
    /// Only anypy's own name types: each passes a live `str` pointer to the operation.
    pub trait Sealed {}
}

/// An attribute or method name. Sealed: implemented for `&str` (and `&&str`), `&String`,
/// `&Py<PyStr>`, `&Bound<PyStr>`
/// and `Borrowed<PyStr>` (what [`intern!`](crate::intern) returns).
pub trait AttrName<B: Backend>: sealed::Sealed {
    /// Runs `use_name` with a `str` pointer alive for the call.
    #[doc(hidden)]
    #[track_caller]
    fn with_name<R>(self, py: Python<'_, B>, use_name: impl FnOnce(RawPtr) -> R) -> PyResult<R, B>;
}

impl sealed::Sealed for &str {}

impl<B: Backend> AttrName<B> for &str {
    #[inline]
    fn with_name<R>(self, py: Python<'_, B>, use_name: impl FnOnce(RawPtr) -> R) -> PyResult<R, B> {
        let name = PyStr::new(py, self)?;
        Ok(use_name(name.as_ptr()))
    }
}

impl sealed::Sealed for &&str {}

impl<B: Backend> AttrName<B> for &&str {
    #[inline]
    fn with_name<R>(self, py: Python<'_, B>, use_name: impl FnOnce(RawPtr) -> R) -> PyResult<R, B> {
        (*self).with_name(py, use_name)
    }
}

impl sealed::Sealed for &String {}

impl<B: Backend> AttrName<B> for &String {
    #[inline]
    fn with_name<R>(self, py: Python<'_, B>, use_name: impl FnOnce(RawPtr) -> R) -> PyResult<R, B> {
        self.as_str().with_name(py, use_name)
    }
}

impl<B: Backend> sealed::Sealed for &Bound<'_, PyStr, B> {}

impl<B: Backend> AttrName<B> for &Bound<'_, PyStr, B> {
    #[inline]
    fn with_name<R>(
        self,
        _py: Python<'_, B>,
        use_name: impl FnOnce(RawPtr) -> R,
    ) -> PyResult<R, B> {
        Ok(use_name(self.as_ptr()))
    }
}

impl<B: Backend> sealed::Sealed for Borrowed<'_, '_, PyStr, B> {}

impl<B: Backend> AttrName<B> for Borrowed<'_, '_, PyStr, B> {
    #[inline]
    fn with_name<R>(self, py: Python<'_, B>, use_name: impl FnOnce(RawPtr) -> R) -> PyResult<R, B> {
        let handle: &Bound<'_, PyStr, B> = &self;
        handle.with_name(py, use_name)
    }
}

impl<B: Backend> sealed::Sealed for &Py<PyStr, B> {}

impl<B: Backend> AttrName<B> for &Py<PyStr, B> {
    #[inline]
    fn with_name<R>(self, py: Python<'_, B>, use_name: impl FnOnce(RawPtr) -> R) -> PyResult<R, B> {
        self.bind(py).with_name(py, use_name)
    }
}
