//! `str` and `bytes`: `&str`, `String`, `Cow<str>` (into Python; as a native function's
//! parameter it borrows, see `function/from_argument.rs`), `char`, `&[u8]` (and `Vec<u8>`, in
//! `scalars.rs`).

use std::borrow::Cow;

use crate::backend::Backend;
use crate::conversion::expected_type as expected;
use crate::conversion::scalars::checked;
use crate::conversion::{FromPyObject, IntoPyObject};
use crate::err::{PyErr, PyResult};
use crate::exceptions::ValueError;
use crate::instance::Bound;
use crate::python::Python;
use crate::types::{PyAny, PyBytes, PyStr};

impl<B: Backend> IntoPyObject<B> for &str {
    fn into_pyobject<'py>(self, py: Python<'py, B>) -> PyResult<Bound<'py, PyAny, B>, B> {
        PyStr::new(py, self).map(Bound::into_any)
    }
}

impl<B: Backend> IntoPyObject<B> for String {
    fn into_pyobject<'py>(self, py: Python<'py, B>) -> PyResult<Bound<'py, PyAny, B>, B> {
        self.as_str().into_pyobject(py)
    }
}

impl<B: Backend> IntoPyObject<B> for &String {
    fn into_pyobject<'py>(self, py: Python<'py, B>) -> PyResult<Bound<'py, PyAny, B>, B> {
        self.as_str().into_pyobject(py)
    }
}

impl<B: Backend> FromPyObject<'_, B> for String {
    const HOLDS_PY: bool = false;

    fn extract(obj: &Bound<'_, PyAny, B>) -> PyResult<Self, B> {
        let text = checked::<PyStr, B>(obj).map_err(|_| expected("str", obj))?;
        text.to_str().map(str::to_owned)
    }
}

impl<B: Backend> IntoPyObject<B> for Cow<'_, str> {
    fn into_pyobject<'py>(self, py: Python<'py, B>) -> PyResult<Bound<'py, PyAny, B>, B> {
        (*self).into_pyobject(py)
    }
}

impl<B: Backend> IntoPyObject<B> for &Cow<'_, str> {
    fn into_pyobject<'py>(self, py: Python<'py, B>) -> PyResult<Bound<'py, PyAny, B>, B> {
        (**self).into_pyobject(py)
    }
}

impl<B: Backend> IntoPyObject<B> for char {
    fn into_pyobject<'py>(self, py: Python<'py, B>) -> PyResult<Bound<'py, PyAny, B>, B> {
        self.encode_utf8(&mut [0; 4]).into_pyobject(py)
    }
}

impl<B: Backend> FromPyObject<'_, B> for char {
    const HOLDS_PY: bool = false;

    /// From a `str` of exactly one character (`ValueError` otherwise).
    fn extract(obj: &Bound<'_, PyAny, B>) -> PyResult<Self, B> {
        let text = checked::<PyStr, B>(obj)
            .map_err(|_| expected("str", obj))?
            .to_str()?;
        let mut chars = text.chars();
        match (chars.next(), chars.next()) {
            (Some(only), None) => Ok(only),
            _ => Err(PyErr::new::<ValueError, _>(format!(
                "expected a str of length 1, got length {}",
                text.chars().count()
            ))),
        }
    }
}

impl<B: Backend> IntoPyObject<B> for &[u8] {
    fn into_pyobject<'py>(self, py: Python<'py, B>) -> PyResult<Bound<'py, PyAny, B>, B> {
        PyBytes::new(py, self).map(Bound::into_any)
    }
}
