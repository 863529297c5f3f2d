//! Conversions between Rust values and Python objects, both ways.
//!
//! `IntoPyObject` makes an object from a value; `FromPyObject` reads one back, failing with a
//! `TypeError` that names the expected and the actual type (or `OverflowError`, `ValueError`
//! where Python would raise them). `IntoCallArgs` packs call arguments.

mod call_args;
mod collections;
mod handles;
mod maps;
mod paths;
mod scalars;
mod sequence;
mod sets;
mod text;

pub use call_args::IntoCallArgs;
pub(crate) use sequence::new_sequence;

use crate::backend::{Backend, RawPtr};
use crate::err::PyResult;
use crate::instance::{Borrowed, Bound};
use crate::python::Python;
use crate::types::{PyAny, PyList};

/// A Rust value that can become a Python object.
///
/// | Rust | Python |
/// |---|---|
/// | `bool` | `bool` |
/// | `i8`..`i128`, `isize`, `u8`..`u128`, `usize` | `int` |
/// | `f32`, `f64` | `float` |
/// | `&str`, `String`, `Cow<str>`, `char` | `str` (read back as `String`; a native function's `&str` or `Cow<str>` parameter borrows) |
/// | `&Path`, `PathBuf` | `str` (read from `str`, `bytes` or any `os.PathLike`) |
/// | `&[u8]`, `Vec<u8>` | `bytes` |
/// | `()` | `None` |
/// | `Option<T>` | `None` or the value |
/// | `Vec<T>` (other `T`) | `list` |
/// | tuples up to 6 | `tuple` |
/// | `HashMap`, `BTreeMap` | `dict` |
/// | `HashSet`, `BTreeSet` | `set` (read from `set` or `frozenset`) |
/// | `Bound`, `&Bound`, `Borrowed`, `Py`, `&Py` | the object itself |
///
/// Implementing it (in anypy or downstream) takes [`into_pyobject`](IntoPyObject::into_pyobject)
/// alone, written with safe handles; the hidden methods have defaults. A type that already
/// holds an object (a handle) may override `with_object` to lend it instead of making a new
/// reference: it receives a [`Borrowed`], which only `unsafe` code can make, so no
/// implementation can hand the backend a dangling pointer and the trait needs no seal.
pub trait IntoPyObject<B: Backend>: Sized {
    /// Makes the Python object (fallible: allocation can fail with `MemoryError`).
    #[track_caller]
    fn into_pyobject<'py>(self, py: Python<'py, B>) -> PyResult<Bound<'py, PyAny, B>, B>;

    /// Runs `use_object` with a borrowed view of the object this value stands for, alive for
    /// the call, for operations that take their own reference if they keep one
    /// (`PyList_Append`). A value is converted and released afterwards; a handle passed by
    /// reference (`&Bound`, `Borrowed`, `&Py`) lends itself, which saves an incref/decref pair
    /// per call. The view is a [`Borrowed`], which only `unsafe` code can forge, so an
    /// implementation of this method cannot hand the backend a dangling pointer.
    #[doc(hidden)]
    #[track_caller]
    #[inline]
    fn with_object<R>(
        self,
        py: Python<'_, B>,
        use_object: impl FnOnce(Borrowed<'_, '_, PyAny, B>) -> R,
    ) -> PyResult<R, B> {
        let object = self.into_pyobject(py)?;
        Ok(use_object(object.as_borrowed()))
    }

    /// The value as a native function returns it: numbers stay numbers, so that their
    /// conversion can be the trampoline's last call ([`ReturnValue`](crate::ReturnValue)).
    #[doc(hidden)]
    #[inline]
    fn into_return_value<'py>(self, py: Python<'py, B>) -> PyResult<crate::ReturnValue<'py, B>, B> {
        self.into_pyobject(py).map(crate::ReturnValue::Object)
    }

    /// The kind every [`IntoPyObject::into_return_value`] of this type returns.
    #[doc(hidden)]
    const RETURN_KIND: crate::ReturnKind = crate::ReturnKind::Object;

    /// How a `Vec<Self>` converts: a `list` unless the element type says otherwise (`u8`
    /// makes `bytes`).
    #[doc(hidden)]
    #[track_caller]
    fn vec_into_pyobject<'py>(
        items: Vec<Self>,
        py: Python<'py, B>,
    ) -> PyResult<Bound<'py, PyAny, B>, B> {
        PyList::new(py, items).map(Bound::into_any)
    }
}

/// A Rust value that can be read from a Python object; see [`IntoPyObject`] for the pairs.
/// `Vec<T>` is read from a `list` or `tuple` (and `Vec<u8>` also from `bytes`).
pub trait FromPyObject<'py, B: Backend>: Sized {
    /// Reads the value.
    fn extract(obj: &Bound<'py, PyAny, B>) -> PyResult<Self, B>;

    /// How a `Vec<Self>` is read: from a `list` or `tuple` unless the element type says
    /// otherwise (`u8` also accepts `bytes`).
    #[doc(hidden)]
    fn vec_extract(obj: &Bound<'py, PyAny, B>) -> PyResult<Vec<Self>, B> {
        collections::extract_sequence(obj)
    }

    /// Whether a value may own a `Py` handle, whose drop asks this thread's GIL count. `false`
    /// (numbers, text, ...) lets a native function taking only such parameters skip counting
    /// the GIL per call; a `Py` dropped in it anyway is released when the call returns.
    /// Hidden: how native functions are called, not an API.
    #[doc(hidden)]
    const HOLDS_PY: bool = true;
}

/// The `TypeError` of an extraction: `expected int, got str`.
#[cold]
pub(crate) fn expected_type<B: Backend>(what: &str, obj: &Bound<'_, PyAny, B>) -> crate::PyErr<B> {
    crate::PyErr::new::<crate::exceptions::TypeError, _>(format!(
        "expected {what}, got {}",
        obj.type_name()
    ))
}

/// Converts every item, releasing the ones already made if one fails.
#[track_caller]
pub(crate) fn convert_all<'py, B: Backend, T: IntoPyObject<B>>(
    py: Python<'py, B>,
    items: impl IntoIterator<Item = T>,
) -> PyResult<Vec<Bound<'py, PyAny, B>>, B> {
    let items = items.into_iter();
    let mut converted = Vec::with_capacity(items.size_hint().0);
    // A loop, not a closure: a closure would hide the caller's location from the mock.
    for item in items {
        converted.push(item.into_pyobject(py)?);
    }
    Ok(converted)
}

/// [`IntoPyObject::with_object`] for a key and a value at once (`obj[key] = value`): converts
/// the key, then the value, and lends both pointers to `use_pair` for the call.
#[track_caller]
#[inline]
pub(crate) fn with_key_and_value<B: Backend, R>(
    py: Python<'_, B>,
    key: impl IntoPyObject<B>,
    value: impl IntoPyObject<B>,
    use_pair: impl FnOnce(RawPtr, RawPtr) -> R,
) -> PyResult<R, B> {
    key.with_object(py, |key| {
        value.with_object(py, |value| use_pair(key.as_ptr(), value.as_ptr()))
    })?
}
