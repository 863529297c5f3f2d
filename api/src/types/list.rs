//! `list`: built from Rust values, read, written, appended to and iterated.

use crate::backend::Backend;
use crate::conversion::{new_sequence, IntoPyObject};
use crate::err::{PyErr, PyResult};
use crate::exceptions::IndexError;
use crate::instance::{Borrowed, Bound};
use crate::python::Python;
use crate::types::{PyAny, PyList};

impl PyList {
    /// A list of the converted `items`. If a conversion fails, everything converted so far is
    /// released and the error returned.
    #[track_caller]
    pub fn new<'py, B: Backend, T: IntoPyObject<B>>(
        py: Python<'py, B>,
        items: impl IntoIterator<Item = T>,
    ) -> PyResult<Bound<'py, PyList, B>, B> {
        new_sequence(py, items)
    }

    /// A new empty list.
    #[track_caller]
    pub fn empty<B: Backend>(py: Python<'_, B>) -> PyResult<Bound<'_, PyList, B>, B> {
        Self::from_bound_items(py, Vec::new())
    }

    /// A list that takes over already converted items.
    #[track_caller]
    pub(crate) fn from_bound_items<'py, B: Backend>(
        py: Python<'py, B>,
        items: Vec<Bound<'py, PyAny, B>>,
    ) -> PyResult<Bound<'py, PyList, B>, B> {
        // SAFETY: the token proves the GIL; the result is a new reference or an error.
        let list: Bound<'py, PyList, B> =
            unsafe { Bound::from_owned_ptr_or_err(py, B::list_new(items.len()))? };
        for (index, item) in items.into_iter().enumerate() {
            // SAFETY: a fresh list of this length; each slot is set once; the reference moves.
            unsafe { B::list_init_item(list.as_ptr(), index, item.into_ptr()) };
        }
        Ok(list)
    }
}

/// Maps a C status (`-1` = error set) to a result.
#[inline]
pub(crate) fn check_status<B: Backend>(py: Python<'_, B>, status: i32) -> PyResult<(), B> {
    if status < 0 {
        Err(PyErr::fetch(py))
    } else {
        Ok(())
    }
}

impl<'py, B: Backend> Bound<'py, PyList, B> {
    /// The number of items.
    pub fn len(&self) -> usize {
        // SAFETY: the handle proves the GIL; the object is a list.
        unsafe { B::list_len(self.as_ptr()) }
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The item at `index` as a new reference; `IndexError` when out of range.
    pub fn get_item(&self, index: usize) -> PyResult<Bound<'py, PyAny, B>, B> {
        if index >= self.len() {
            return Err(PyErr::new::<IndexError, _>("list index out of range"));
        }
        // SAFETY: index checked; the item is borrowed from the list and increfed at once,
        // before any other code can run and shrink the list.
        Ok(unsafe { Bound::from_borrowed_ptr(self.py(), B::list_get_item(self.as_ptr(), index)) })
    }

    /// Replaces the item at `index`; `IndexError` when out of range.
    #[track_caller]
    pub fn set_item(&self, index: usize, value: impl IntoPyObject<B>) -> PyResult<(), B> {
        let value = value.into_pyobject(self.py())?;
        // SAFETY: the handle proves the GIL; the reference to `value` moves (stolen even on
        // failure).
        let status = unsafe { B::list_set_item(self.as_ptr(), index, value.into_ptr()) };
        check_status(self.py(), status)
    }

    /// Appends an item.
    #[track_caller]
    #[inline]
    pub fn append(&self, value: impl IntoPyObject<B>) -> PyResult<(), B> {
        // SAFETY: the handle proves the GIL; `value` is alive for the call and append increfs.
        let status = value.with_object(self.py(), |value| unsafe {
            B::list_append(self.as_ptr(), value.as_ptr())
        })?;
        check_status(self.py(), status)
    }

    /// Inserts an item before `index` (at the end if `index >= len`).
    #[track_caller]
    pub fn insert(&self, index: usize, value: impl IntoPyObject<B>) -> PyResult<(), B> {
        // SAFETY: the handle proves the GIL; `value` is alive for the call and insert increfs.
        let status = value.with_object(self.py(), |value| unsafe {
            B::list_insert(self.as_ptr(), index, value.as_ptr())
        })?;
        check_status(self.py(), status)
    }

    /// Iterates over new references to the items, borrowing the list (reads the length
    /// afresh at each step).
    pub fn iter(&self) -> ListIter<'_, 'py, B> {
        ListIter {
            list: self.as_borrowed(),
            index: 0,
        }
    }
}

/// Iterator over a list's items.
pub struct ListIter<'a, 'py, B: Backend> {
    list: Borrowed<'a, 'py, PyList, B>,
    index: usize,
}

impl<'py, B: Backend> Iterator for ListIter<'_, 'py, B> {
    type Item = Bound<'py, PyAny, B>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.index >= self.list.len() {
            return None;
        }
        // SAFETY: the handle proves the GIL; index checked just above; the item is borrowed
        // from the list and increfed at once, before any other code can run and shrink it.
        let item = unsafe {
            Bound::from_borrowed_ptr(
                self.list.py(),
                B::list_get_item(self.list.as_ptr(), self.index),
            )
        };
        self.index += 1;
        Some(item)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.list.len().saturating_sub(self.index), None)
    }
}
