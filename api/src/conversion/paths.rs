//! `PathBuf` and `&Path`: read from a `str`, a `bytes` path or any `os.PathLike`
//! (`PyOS_FSPath`, as `open()` does), made as a `str`. On Unix a path is bytes: what is not
//! UTF-8 goes through `os.fsdecode`/`os.fsencode` (surrogate escapes), so every path
//! round-trips as Python's own `os` functions would carry it.

use std::path::{Path, PathBuf};

use crate::backend::Backend;
use crate::conversion::{FromPyObject, IntoPyObject};
use crate::err::PyResult;
use crate::instance::Bound;
use crate::python::Python;
use crate::types::{PyAny, PyBytes, PyStr};

/// `os.<function>(arg)`: the slow path for paths that are not UTF-8.
#[cfg(unix)]
#[cold]
fn call_os<'py, B: Backend>(
    py: Python<'py, B>,
    function: crate::Borrowed<'static, 'py, PyStr, B>,
    arg: impl IntoPyObject<B>,
) -> PyResult<Bound<'py, PyAny, B>, B> {
    py.import("os")?.getattr(function)?.call1((arg,))
}

impl<B: Backend> IntoPyObject<B> for &Path {
    /// A `str`: the UTF-8 text, or on Unix `os.fsdecode` of the bytes when they are not UTF-8.
    fn into_pyobject<'py>(self, py: Python<'py, B>) -> PyResult<Bound<'py, PyAny, B>, B> {
        if let Some(text) = self.to_str() {
            return PyStr::new(py, text).map(Bound::into_any);
        }
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            call_os(
                py,
                crate::intern!(py, "fsdecode"),
                self.as_os_str().as_bytes(),
            )
        }
        #[cfg(not(unix))]
        {
            Err(crate::PyErr::new::<crate::exceptions::ValueError, _>(
                format!("path is not valid Unicode: {}", self.to_string_lossy()),
            ))
        }
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

/// The bytes of a `bytes` path, as a path.
fn from_bytes<B: Backend>(bytes: &[u8]) -> PyResult<PathBuf, B> {
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
                crate::PyErr::new::<crate::exceptions::ValueError, _>(format!(
                    "bytes path is not valid UTF-8: {err}"
                ))
            })
    }
}

impl<B: Backend> FromPyObject<'_, B> for PathBuf {
    /// From a `str` (on Unix, one with surrogate escapes through `os.fsencode`), `bytes` (its
    /// bytes as they are, on Unix) or an `os.PathLike`; anything else is `TypeError: expected
    /// str, bytes or os.PathLike object, not int`.
    fn extract(obj: &Bound<'_, PyAny, B>) -> PyResult<Self, B> {
        let py = obj.py();
        // SAFETY: the handle proves the GIL and keeps the object alive.
        let path: Bound<'_, PyAny, B> =
            unsafe { Bound::from_owned_ptr_or_err(py, B::fs_path(obj.as_ptr()))? };
        let Ok(text) = path.downcast::<PyStr>() else {
            return from_bytes(path.downcast::<PyBytes>()?.as_bytes());
        };
        match text.to_str() {
            Ok(text) => Ok(PathBuf::from(text)),
            #[cfg(unix)]
            Err(_) => {
                let bytes = call_os(py, crate::intern!(py, "fsencode"), text)?;
                from_bytes(bytes.downcast::<PyBytes>()?.as_bytes())
            }
            #[cfg(not(unix))]
            Err(err) => Err(err),
        }
    }
}
