//! [`AttrName`]: what `getattr`, `setattr` and `call_method` accept as a name — a `&str` (a
//! `str` is made for the call) or a `str` handle, e.g. from [`intern!`](crate::intern), which
//! is lent with no new object and no refcount traffic.

use crate::backend::Backend;
use crate::err::PyResult;
use crate::instance::{Borrowed, Bound, Py};
use crate::python::Python;
use crate::types::PyStr;

mod sealed {
    /// Only anypy's own name types: text, or a handle to a `str`.
    pub trait Sealed {}
}

/// An attribute or method name. Sealed: implemented for `&str` (and `&&str`), `&String`,
/// `&Bound<PyStr>`, `&Py<PyStr>` and `Borrowed<PyStr>` (what [`intern!`](crate::intern)
/// returns).
pub trait AttrName<B: Backend>: sealed::Sealed {
    /// Runs `use_name` with the name as a `str` alive for the call.
    #[doc(hidden)]
    #[track_caller]
    fn with_name<R>(
        self,
        py: Python<'_, B>,
        use_name: impl FnOnce(Borrowed<'_, '_, PyStr, B>) -> R,
    ) -> PyResult<R, B>;
}

/// Implements [`AttrName`] for text: a `str` is made for the call.
macro_rules! text_names {
    ($($ty:ty),*) => {$(
        impl sealed::Sealed for $ty {}

        impl<B: Backend> AttrName<B> for $ty {
            #[inline]
            fn with_name<R>(
                self,
                py: Python<'_, B>,
                use_name: impl FnOnce(Borrowed<'_, '_, PyStr, B>) -> R,
            ) -> PyResult<R, B> {
                let name = PyStr::new(py, self)?;
                Ok(use_name(name.as_borrowed()))
            }
        }
    )*};
}

text_names!(&str, &&str, &String);

impl<B: Backend> sealed::Sealed for &Bound<'_, PyStr, B> {}

impl<B: Backend> AttrName<B> for &Bound<'_, PyStr, B> {
    #[inline]
    fn with_name<R>(
        self,
        _py: Python<'_, B>,
        use_name: impl FnOnce(Borrowed<'_, '_, PyStr, B>) -> R,
    ) -> PyResult<R, B> {
        Ok(use_name(self.as_borrowed()))
    }
}

impl<B: Backend> sealed::Sealed for Borrowed<'_, '_, PyStr, B> {}

impl<B: Backend> AttrName<B> for Borrowed<'_, '_, PyStr, B> {
    #[inline]
    fn with_name<R>(
        self,
        _py: Python<'_, B>,
        use_name: impl FnOnce(Borrowed<'_, '_, PyStr, B>) -> R,
    ) -> PyResult<R, B> {
        Ok(use_name(self))
    }
}

impl<B: Backend> sealed::Sealed for &Py<PyStr, B> {}

impl<B: Backend> AttrName<B> for &Py<PyStr, B> {
    #[inline]
    fn with_name<R>(
        self,
        py: Python<'_, B>,
        use_name: impl FnOnce(Borrowed<'_, '_, PyStr, B>) -> R,
    ) -> PyResult<R, B> {
        Ok(use_name(self.bind_borrowed(py)))
    }
}
