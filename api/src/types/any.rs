//! Methods common to every object: attributes, calls, text, comparison, hashing, truth,
//! length, items, iteration, type checks and extraction.

use std::fmt;

use crate::attr_name::AttrName;
use crate::backend::{Backend, CompareOp, RawPtr};
use crate::conversion::{with_key_and_value, FromPyObject, IntoCallArgs, IntoPyObject};
use crate::err::{PyErr, PyResult};
use crate::exceptions::AttributeError;
use crate::instance::Bound;
use crate::types::list::check_status;
use crate::types::{PyAny, PyDict, PyIterator, PyStr, PyTypeInfo};

/// Which text conversion `Debug`/`Display` use.
pub(crate) enum TextKind {
    Repr,
    Str,
}

/// Writes `repr(obj)` or `str(obj)`; an object whose conversion raises prints as
/// `<unprintable TYPE object>` (the error is discarded, as Python's `print` machinery does).
pub(crate) fn write_text<B: Backend>(
    obj: &Bound<'_, PyAny, B>,
    f: &mut fmt::Formatter<'_>,
    kind: TextKind,
) -> fmt::Result {
    let text = match kind {
        TextKind::Repr => obj.repr(),
        TextKind::Str => obj.str(),
    };
    match text.as_ref().map(|text| text.to_str()) {
        Ok(Ok(text)) => f.write_str(text),
        _ => write!(f, "<unprintable {} object>", obj.type_name()),
    }
}

impl<'py, B: Backend> Bound<'py, PyAny, B> {
    /// `self.name`. The name is a `&str`, or a `str` handle such as [`intern!`](crate::intern)
    /// gives (no `str` made per call).
    pub fn getattr(&self, name: impl AttrName<B>) -> PyResult<Bound<'py, PyAny, B>, B> {
        let py = self.py();
        name.with_name(py, |name| {
            // SAFETY: the handle proves the GIL; both objects are alive for the call.
            unsafe { Bound::from_owned_ptr_or_err(py, B::getattr(self.as_ptr(), name.as_ptr())) }
        })?
    }

    /// `setattr(self, name, value)`.
    #[track_caller]
    pub fn setattr(&self, name: impl AttrName<B>, value: impl IntoPyObject<B>) -> PyResult<(), B> {
        let py = self.py();
        let value = value.into_pyobject(py)?;
        let status = name.with_name(py, |name| {
            // SAFETY: the handles prove the GIL and keep the objects alive; setattr increfs.
            unsafe { B::setattr(self.as_ptr(), name.as_ptr(), value.as_ptr()) }
        })?;
        check_status(py, status)
    }

    /// `hasattr(self, name)`: `AttributeError` means `false`; any other error is returned.
    pub fn hasattr(&self, name: impl AttrName<B>) -> PyResult<bool, B> {
        match self.getattr(name) {
            Ok(_) => Ok(true),
            Err(err) if err.is_instance_of::<AttributeError>(self.py()) => Ok(false),
            Err(err) => Err(err),
        }
    }

    /// `self(*args, **kwargs)`, through vectorcall. `args` is a tuple of convertible values
    /// (`()`, `(1,)`, `(1, "a")`...), a `Vec`, or a `Bound<PyTuple>`.
    #[track_caller]
    pub fn call(
        &self,
        args: impl IntoCallArgs<B>,
        kwargs: Option<&Bound<'py, PyDict, B>>,
    ) -> PyResult<Bound<'py, PyAny, B>, B> {
        let py = self.py();
        let callable = self.as_ptr();
        args.with_args(py, |positional| match kwargs {
            None => {
                // SAFETY: the token proves the GIL; the arguments are alive for the call.
                unsafe {
                    Bound::from_owned_ptr_or_err(
                        py,
                        B::call(callable, positional, positional.len(), None),
                    )
                }
            }
            Some(kwargs) => call_with_kwargs(self, positional, kwargs),
        })
    }

    /// `self()`.
    #[track_caller]
    pub fn call0(&self) -> PyResult<Bound<'py, PyAny, B>, B> {
        self.call((), None)
    }

    /// `self(*args)`.
    #[track_caller]
    pub fn call1(&self, args: impl IntoCallArgs<B>) -> PyResult<Bound<'py, PyAny, B>, B> {
        self.call(args, None)
    }

    /// `self.name(*args, **kwargs)`.
    #[track_caller]
    pub fn call_method(
        &self,
        name: impl AttrName<B>,
        args: impl IntoCallArgs<B>,
        kwargs: Option<&Bound<'py, PyDict, B>>,
    ) -> PyResult<Bound<'py, PyAny, B>, B> {
        self.getattr(name)?.call(args, kwargs)
    }

    /// `self.name()`.
    #[track_caller]
    pub fn call_method0(&self, name: impl AttrName<B>) -> PyResult<Bound<'py, PyAny, B>, B> {
        self.call_method(name, (), None)
    }

    /// `self.name(*args)`.
    #[track_caller]
    pub fn call_method1(
        &self,
        name: impl AttrName<B>,
        args: impl IntoCallArgs<B>,
    ) -> PyResult<Bound<'py, PyAny, B>, B> {
        self.call_method(name, args, None)
    }

    /// `repr(self)`.
    #[track_caller]
    pub fn repr(&self) -> PyResult<Bound<'py, PyStr, B>, B> {
        // SAFETY: the handle proves the GIL; repr returns a new str reference or an error.
        unsafe { Bound::from_owned_ptr_or_err(self.py(), B::repr(self.as_ptr())) }
    }

    /// `str(self)`.
    #[track_caller]
    pub fn str(&self) -> PyResult<Bound<'py, PyStr, B>, B> {
        // SAFETY: the handle proves the GIL; str returns a new str reference or an error.
        unsafe { Bound::from_owned_ptr_or_err(self.py(), B::str(self.as_ptr())) }
    }

    /// Rich comparison as a `bool` (`TypeError` for unorderable types).
    #[track_caller]
    pub fn compare(&self, other: impl IntoPyObject<B>, op: CompareOp) -> PyResult<bool, B> {
        let other = other.into_pyobject(self.py())?;
        // SAFETY: the handles prove the GIL and keep both objects alive.
        let result = unsafe { B::compare(self.as_ptr(), other.as_ptr(), op) };
        check_status(self.py(), result)?;
        Ok(result == 1)
    }

    /// `self == other`.
    #[track_caller]
    pub fn eq(&self, other: impl IntoPyObject<B>) -> PyResult<bool, B> {
        self.compare(other, CompareOp::Eq)
    }

    /// `self != other`.
    #[track_caller]
    pub fn ne(&self, other: impl IntoPyObject<B>) -> PyResult<bool, B> {
        self.compare(other, CompareOp::Ne)
    }

    /// `self < other`.
    #[track_caller]
    pub fn lt(&self, other: impl IntoPyObject<B>) -> PyResult<bool, B> {
        self.compare(other, CompareOp::Lt)
    }

    /// `self <= other`.
    #[track_caller]
    pub fn le(&self, other: impl IntoPyObject<B>) -> PyResult<bool, B> {
        self.compare(other, CompareOp::Le)
    }

    /// `self > other`.
    #[track_caller]
    pub fn gt(&self, other: impl IntoPyObject<B>) -> PyResult<bool, B> {
        self.compare(other, CompareOp::Gt)
    }

    /// `self >= other`.
    #[track_caller]
    pub fn ge(&self, other: impl IntoPyObject<B>) -> PyResult<bool, B> {
        self.compare(other, CompareOp::Ge)
    }

    /// `hash(self)`: `TypeError` for unhashable objects.
    pub fn hash(&self) -> PyResult<isize, B> {
        // SAFETY: the handle proves the GIL and keeps the object alive.
        let hash = unsafe { B::hash(self.as_ptr()) };
        if hash == -1 {
            return Err(PyErr::fetch(self.py()));
        }
        Ok(hash)
    }

    /// `bool(self)`.
    pub fn is_truthy(&self) -> PyResult<bool, B> {
        // SAFETY: the handle proves the GIL and keeps the object alive.
        let truth = unsafe { B::is_true(self.as_ptr()) };
        check_status(self.py(), truth)?;
        Ok(truth == 1)
    }

    /// `self is None`.
    #[inline]
    pub fn is_none(&self) -> bool {
        // SAFETY: the handle proves the GIL.
        self.as_ptr() == unsafe { B::none() }
    }

    /// `len(self)`.
    pub fn len(&self) -> PyResult<usize, B> {
        // SAFETY: the handle proves the GIL and keeps the object alive.
        let len = unsafe { B::len(self.as_ptr()) };
        if len < 0 {
            return Err(PyErr::fetch(self.py()));
        }
        Ok(len as usize)
    }

    /// `self[key]`.
    #[track_caller]
    pub fn get_item(&self, key: impl IntoPyObject<B>) -> PyResult<Bound<'py, PyAny, B>, B> {
        let key = key.into_pyobject(self.py())?;
        // SAFETY: the handles prove the GIL and keep both objects alive.
        unsafe { Bound::from_owned_ptr_or_err(self.py(), B::get_item(self.as_ptr(), key.as_ptr())) }
    }

    /// `self[key] = value`.
    #[track_caller]
    pub fn set_item(
        &self,
        key: impl IntoPyObject<B>,
        value: impl IntoPyObject<B>,
    ) -> PyResult<(), B> {
        let py = self.py();
        let status = with_key_and_value(py, key, value, |key, value| {
            // SAFETY: the handles prove the GIL and keep the objects alive; set_item increfs.
            unsafe { B::set_item(self.as_ptr(), key, value) }
        })?;
        check_status(py, status)
    }

    /// `iter(self)`.
    #[track_caller]
    pub fn iter(&self) -> PyResult<PyIterator<'py, B>, B> {
        PyIterator::new(self)
    }

    /// `type(self)`.
    pub fn get_type(&self) -> Bound<'py, PyAny, B> {
        // SAFETY: the handle proves the GIL; the type is borrowed from the live object.
        unsafe { Bound::from_borrowed_ptr(self.py(), B::type_of(self.as_ptr())) }
    }

    /// The name of `type(self)` as Python prints it in messages, e.g. `"dict"`.
    pub fn type_name(&self) -> String {
        // SAFETY: the handle proves the GIL and keeps the object alive.
        unsafe { B::type_name(self.as_ptr()) }
    }

    /// `isinstance(self, class)`.
    pub fn is_instance(&self, class: &Bound<'py, PyAny, B>) -> PyResult<bool, B> {
        // SAFETY: the handles prove the GIL and keep both objects alive.
        let result = unsafe { B::is_instance(self.as_ptr(), class.as_ptr()) };
        check_status(self.py(), result)?;
        Ok(result == 1)
    }

    /// Whether the object is a `T` (subclasses count), e.g. `obj.is_instance_of::<PyDict>()`.
    #[inline]
    pub fn is_instance_of<T: PyTypeInfo>(&self) -> bool {
        T::is_type_of(self)
    }

    /// Converts to a Rust value; see [`FromPyObject`].
    #[inline]
    pub fn extract<T: FromPyObject<'py, B>>(&self) -> PyResult<T, B> {
        T::extract(self)
    }
}

/// Vectorcall with keyword arguments: positional values, then the dict's values, with the
/// dict's keys as the `kwnames` tuple.
#[track_caller]
fn call_with_kwargs<'py, B: Backend>(
    callable: &Bound<'py, PyAny, B>,
    positional: &[RawPtr],
    kwargs: &Bound<'py, PyDict, B>,
) -> PyResult<Bound<'py, PyAny, B>, B> {
    let py = callable.py();
    let (names, values): (Vec<_>, Vec<_>) = kwargs.iter().unzip();
    // Vectorcall requires every keyword name to be a `str`, as `f(**{1: 2})` does.
    if let Some(bad) = names.iter().find(|name| !name.is_instance_of::<PyStr>()) {
        return Err(PyErr::new::<crate::exceptions::TypeError, _>(format!(
            "keywords must be strings, got {}",
            bad.type_name()
        )));
    }
    let kwnames = crate::types::PyTuple::from_bound_items(py, names)?;
    let args: Vec<RawPtr> = positional
        .iter()
        .copied()
        .chain(values.iter().map(Bound::as_ptr))
        .collect();
    // SAFETY: the token proves the GIL; arguments and names are alive for the call, and
    // `args` holds the positional values followed by one value per name.
    unsafe {
        Bound::from_owned_ptr_or_err(
            py,
            B::call(
                callable.as_ptr(),
                &args,
                positional.len(),
                Some(kwnames.as_ptr()),
            ),
        )
    }
}
