//! `dict`: get, set, delete, membership, length, and iteration over keys, values and items.

use crate::backend::{Backend, RawPtr};
use crate::conversion::{with_key_and_value, IntoPyObject};
use crate::err::{PyErr, PyResult};
use crate::instance::{Borrowed, Bound};
use crate::python::Python;
use crate::types::list::check_status;
use crate::types::{PyAny, PyDict};

impl PyDict {
    /// A new empty dict.
    #[track_caller]
    pub fn new<B: Backend>(py: Python<'_, B>) -> PyResult<Bound<'_, PyDict, B>, B> {
        // SAFETY: the token proves the GIL; the result is a new reference or an error.
        unsafe { Bound::from_owned_ptr_or_err(py, B::dict_new()) }
    }
}

impl<'py, B: Backend> Bound<'py, PyDict, B> {
    /// `self[key] = value`; `TypeError` for an unhashable key.
    #[track_caller]
    pub fn set_item(
        &self,
        key: impl IntoPyObject<B>,
        value: impl IntoPyObject<B>,
    ) -> PyResult<(), B> {
        let py = self.py();
        let status = with_key_and_value(py, key, value, |key, value| {
            // SAFETY: the handle proves the GIL; the dict increfs key and value.
            unsafe { B::dict_set_item(self.as_ptr(), key, value) }
        })?;
        check_status(py, status)
    }

    /// `self.get(key)`: a new reference, `None` when missing; errors (unhashable key, a
    /// failing `__eq__`) are returned, not hidden.
    #[track_caller]
    pub fn get_item(&self, key: impl IntoPyObject<B>) -> PyResult<Option<Bound<'py, PyAny, B>>, B> {
        let key = key.into_pyobject(self.py())?;
        // SAFETY: the handle proves the GIL; the result is borrowed.
        match unsafe { B::dict_get_item(self.as_ptr(), key.as_ptr()) } {
            // SAFETY: a borrowed item of the live dict, increfed at once.
            Some(item) => Ok(Some(unsafe { Bound::from_borrowed_ptr(self.py(), item) })),
            // SAFETY: the handle proves the GIL.
            None if unsafe { B::err_occurred() } => Err(PyErr::fetch(self.py())),
            None => Ok(None),
        }
    }

    /// `del self[key]`; `KeyError` when missing.
    #[track_caller]
    pub fn del_item(&self, key: impl IntoPyObject<B>) -> PyResult<(), B> {
        let key = key.into_pyobject(self.py())?;
        // SAFETY: the handle proves the GIL.
        let status = unsafe { B::dict_del_item(self.as_ptr(), key.as_ptr()) };
        check_status(self.py(), status)
    }

    /// `key in self`.
    #[track_caller]
    pub fn contains(&self, key: impl IntoPyObject<B>) -> PyResult<bool, B> {
        let key = key.into_pyobject(self.py())?;
        // SAFETY: the handle proves the GIL.
        let status = unsafe { B::dict_contains(self.as_ptr(), key.as_ptr()) };
        check_status(self.py(), status)?;
        Ok(status == 1)
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        // SAFETY: the handle proves the GIL; the object is a dict.
        unsafe { B::dict_len(self.as_ptr()) }
    }

    /// Whether the dict is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Iterates over `(key, value)` pairs in insertion order, as new references.
    ///
    /// # Panics
    /// If the dict changes size during the iteration (Python raises `RuntimeError` there).
    pub fn iter(&self) -> DictIter<'_, 'py, B> {
        DictIter {
            dict: self.as_borrowed(),
            position: 0,
            expected_len: self.len(),
        }
    }

    /// Iterates over the keys.
    pub fn keys(&self) -> impl Iterator<Item = Bound<'py, PyAny, B>> + '_ {
        let mut entries = self.iter();
        std::iter::from_fn(move || {
            let (key, _) = entries.next_borrowed()?;
            // SAFETY: a borrowed key of the live dict, increfed at once.
            Some(unsafe { Bound::from_borrowed_ptr(self.py(), key) })
        })
    }

    /// Iterates over the values.
    pub fn values(&self) -> impl Iterator<Item = Bound<'py, PyAny, B>> + '_ {
        let mut entries = self.iter();
        std::iter::from_fn(move || {
            let (_, value) = entries.next_borrowed()?;
            // SAFETY: a borrowed value of the live dict, increfed at once.
            Some(unsafe { Bound::from_borrowed_ptr(self.py(), value) })
        })
    }

    /// Iterates over `(key, value)` pairs (same as [`Bound::iter`] on a dict).
    pub fn items(&self) -> DictIter<'_, 'py, B> {
        self.iter()
    }
}

/// Iterator over a dict's `(key, value)` pairs.
pub struct DictIter<'a, 'py, B: Backend> {
    dict: Borrowed<'a, 'py, PyDict, B>,
    position: isize,
    expected_len: usize,
}

impl<B: Backend> DictIter<'_, '_, B> {
    /// The next entry as borrowed pointers, valid until Python code next runs: only for
    /// callers that incref what they keep at once (so `keys()` and `values()` touch one count
    /// per entry, not two).
    #[inline]
    fn next_borrowed(&mut self) -> Option<(RawPtr, RawPtr)> {
        assert_eq!(
            self.dict.len(),
            self.expected_len,
            "dictionary changed size during iteration"
        );
        // SAFETY: the handle proves the GIL; the size check above guards the position.
        unsafe { B::dict_next(self.dict.as_ptr(), &mut self.position) }
    }
}

impl<'py, B: Backend> Iterator for DictIter<'_, 'py, B> {
    type Item = (Bound<'py, PyAny, B>, Bound<'py, PyAny, B>);

    fn next(&mut self) -> Option<Self::Item> {
        let (key, value) = self.next_borrowed()?;
        let py = self.dict.py();
        // SAFETY: borrowed entries of the live dict, increfed at once.
        Some(unsafe {
            (
                Bound::from_borrowed_ptr(py, key),
                Bound::from_borrowed_ptr(py, value),
            )
        })
    }
}
