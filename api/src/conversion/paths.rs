//! `PathBuf` and `&Path`: read from a `str`, a `bytes` path or any `os.PathLike`
//! (`PyOS_FSPath`, as `open()` does), made as a `str`.

use std::path::{Path, PathBuf};

use crate::backend::Backend;
use crate::conversion::{FromPyObject, IntoPyObject};
use crate::err::{PyErr, PyResult};
use crate::exceptions::ValueError;
use crate::instance::Bound;
use crate::python::Python;
use crate::types::{PyAny, PyBytes, PyStr};

impl<B: Backend> IntoPyObject<B> for &Path {
    /// A `str`; `ValueError` for a path that is not valid UTF-8.
    fn into_pyobject<'py>(self, py: Python<'py, B>) -> PyResult<Bound<'py, PyAny, B>, B> {
        let text = self.to_str().ok_or_else(|| {
            PyErr::new::<ValueError, _>(format!(
                "path is not valid UTF-8: {}",
                self.to_string_lossy()
            ))
        })?;
        PyStr::new(py, text).map(Bound::into_any)
    }
}

impl<B: Backend> IntoPyObject<B> for &PathBuf {
    fn into_pyobject<'py>(self, py: Python<'py, B>) -> PyResult<Bound<'py, PyAny, B>, B> {
        self.as_path().into_pyobject(py)
    }
}

impl<B: Backend> IntoPyObject<B> for PathBuf {
    fn into_pyobject<'py>(self, py: Python<'py, B>) -> PyResult<Bound<'py, PyAny, B>, B> {
        self.as_path().into_pyobject(py)
    }
}

impl<B: Backend> FromPyObject<'_, B> for PathBuf {
    /// From a `str`, `bytes` (its bytes as they are, on Unix) or an `os.PathLike`; anything
    /// else is `TypeError: expected str, bytes or os.PathLike object, not int`.
    fn extract(obj: &Bound<'_, PyAny, B>) -> PyResult<Self, B> {
        // SAFETY: the handle proves the GIL and keeps the object alive.
        let path: Bound<'_, PyAny, B> =
            unsafe { Bound::from_owned_ptr_or_err(obj.py(), B::fs_path(obj.as_ptr()))? };
        if let Ok(text) = path.downcast::<PyStr>() {
            return Ok(PathBuf::from(text.to_str()?));
        }
        let bytes = path.downcast::<PyBytes>()?.as_bytes();
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            Ok(PathBuf::from(std::ffi::OsStr::from_bytes(bytes)))
        }
        #[cfg(not(unix))]
        {
            std::str::from_utf8(bytes)
                .map(PathBuf::from)
                .map_err(|err| {
                    PyErr::new::<ValueError, _>(format!("bytes path is not valid UTF-8: {err}"))
                })
        }
    }
}
