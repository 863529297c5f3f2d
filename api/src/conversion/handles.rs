//! Handles convert to the object they already are; objects extract into typed handles.

use crate::backend::Backend;
use crate::conversion::{FromPyObject, IntoPyObject};
use crate::err::PyResult;
use crate::instance::{Borrowed, Bound, Py};
use crate::python::Python;
use crate::types::{PyAny, PyTypeInfo};

impl<B: Backend, T> IntoPyObject<B> for Bound<'_, T, B> {
    #[inline]
    fn into_pyobject<'py>(self, py: Python<'py, B>) -> PyResult<Bound<'py, PyAny, B>, B> {
        // SAFETY: the owned reference moves to a handle under a token of the same thread.
        Ok(unsafe { Bound::from_owned_ptr(py, self.into_ptr()) })
    }
}

impl<B: Backend, T> IntoPyObject<B> for &Bound<'_, T, B> {
    #[inline]
    fn into_pyobject<'py>(self, py: Python<'py, B>) -> PyResult<Bound<'py, PyAny, B>, B> {
        // SAFETY: `self` keeps the object alive; the new handle owns a new reference.
        Ok(unsafe { Bound::from_borrowed_ptr(py, self.as_ptr()) })
    }

    #[inline]
    fn with_object<R>(
        self,
        _py: Python<'_, B>,
        use_object: impl FnOnce(Borrowed<'_, '_, PyAny, B>) -> R,
    ) -> PyResult<R, B> {
        // `self` keeps the object alive for the call.
        Ok(use_object(self.as_borrowed().to_any()))
    }
}

impl<B: Backend, T> IntoPyObject<B> for Borrowed<'_, '_, T, B> {
    #[inline]
    fn into_pyobject<'py>(self, py: Python<'py, B>) -> PyResult<Bound<'py, PyAny, B>, B> {
        // SAFETY: the borrowed object is alive; the new handle owns a new reference.
        Ok(unsafe { Bound::from_borrowed_ptr(py, self.as_ptr()) })
    }

    #[inline]
    fn with_object<R>(
        self,
        _py: Python<'_, B>,
        use_object: impl FnOnce(Borrowed<'_, '_, PyAny, B>) -> R,
    ) -> PyResult<R, B> {
        // Its owner keeps the object alive for the call.
        Ok(use_object(self.to_any()))
    }
}

impl<B: Backend, T> IntoPyObject<B> for Py<T, B> {
    #[inline]
    fn into_pyobject<'py>(self, py: Python<'py, B>) -> PyResult<Bound<'py, PyAny, B>, B> {
        Ok(self.into_any().into_bound(py))
    }
}

impl<B: Backend, T> IntoPyObject<B> for &Py<T, B> {
    #[inline]
    fn into_pyobject<'py>(self, py: Python<'py, B>) -> PyResult<Bound<'py, PyAny, B>, B> {
        Ok(self.bind(py).clone().into_any())
    }

    #[inline]
    fn with_object<R>(
        self,
        py: Python<'_, B>,
        use_object: impl FnOnce(Borrowed<'_, '_, PyAny, B>) -> R,
    ) -> PyResult<R, B> {
        // `self` keeps the object alive for the call.
        Ok(use_object(self.bind_borrowed(py).to_any()))
    }
}

impl<'py, B: Backend, T: PyTypeInfo> FromPyObject<'py, B> for Bound<'py, T, B> {
    /// A checked downcast (`TypeError` naming both types).
    fn extract(obj: &Bound<'py, PyAny, B>) -> PyResult<Self, B> {
        obj.clone().downcast_into()
    }
}

impl<'py, B: Backend, T: PyTypeInfo> FromPyObject<'py, B> for Py<T, B> {
    /// A checked downcast (`TypeError` naming both types).
    fn extract(obj: &Bound<'py, PyAny, B>) -> PyResult<Self, B> {
        obj.clone().downcast_into().map(Bound::unbind)
    }
}
