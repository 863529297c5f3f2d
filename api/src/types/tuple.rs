//! `tuple`: built from Rust values, read by index (owned or borrowed) and iterated.

use crate::backend::Backend;
use crate::conversion::{new_sequence, IntoPyObject};
use crate::err::PyResult;
use crate::exceptions::IndexError;
use crate::instance::{Borrowed, Bound};
use crate::python::Python;
use crate::types::{PyAny, PyTuple};
use crate::PyErr;

impl PyTuple {
    /// A tuple of the converted `items`. If a conversion fails, everything converted so far is
    /// released and the error returned.
    #[track_caller]
    pub fn new<'py, B: Backend, T: IntoPyObject<B>>(
        py: Python<'py, B>,
        items: impl IntoIterator<Item = T>,
    ) -> PyResult<Bound<'py, PyTuple, B>, B> {
        new_sequence(py, items)
    }

    /// The empty tuple.
    #[track_caller]
    pub fn empty<B: Backend>(py: Python<'_, B>) -> PyResult<Bound<'_, PyTuple, B>, B> {
        Self::from_bound_items(py, Vec::new())
    }

    /// A tuple that takes over already converted items: a `Vec`, or an array for Rust tuples,
    /// which then cost no heap allocation besides the tuple's own. Callers pass only `std`
    /// collections, whose iterators report their exact length (each slot is set exactly once).
    #[track_caller]
    #[inline]
    pub(crate) fn from_bound_items<'py, B: Backend>(
        py: Python<'py, B>,
        items: impl IntoIterator<Item = Bound<'py, PyAny, B>, IntoIter: ExactSizeIterator>,
    ) -> PyResult<Bound<'py, PyTuple, B>, B> {
        let items = items.into_iter();
        // SAFETY: the token proves the GIL; the result is a new reference or an error.
        let tuple: Bound<'py, PyTuple, B> =
            unsafe { Bound::from_owned_ptr_or_err(py, B::tuple_new(items.len()))? };
        for (index, item) in items.enumerate() {
            // SAFETY: a fresh tuple of this length; each slot is set once; the reference moves.
            unsafe { B::tuple_init_item(tuple.as_ptr(), index, item.into_ptr()) };
        }
        Ok(tuple)
    }
}

impl<'py, B: Backend> Bound<'py, PyTuple, B> {
    /// The number of items.
    pub fn len(&self) -> usize {
        // SAFETY: the handle proves the GIL; the object is a tuple.
        unsafe { B::tuple_len(self.as_ptr()) }
    }

    /// Whether the tuple is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The item at `index`, borrowed from the tuple (no refcount traffic): a tuple never
    /// changes, so the item lives as long as the tuple. `IndexError` when out of range.
    pub fn get_borrowed_item<'a>(
        &'a self,
        index: usize,
    ) -> PyResult<Borrowed<'a, 'py, PyAny, B>, B> {
        if index >= self.len() {
            return Err(PyErr::new::<IndexError, _>("tuple index out of range"));
        }
        // SAFETY: index checked; the tuple owns the item and outlives `'a`.
        Ok(unsafe { Borrowed::from_ptr(self.py(), B::tuple_get_item(self.as_ptr(), index)) })
    }

    /// The item at `index` as a new reference; `IndexError` when out of range.
    pub fn get_item(&self, index: usize) -> PyResult<Bound<'py, PyAny, B>, B> {
        self.get_borrowed_item(index).map(Borrowed::to_owned)
    }

    /// Iterates over new references to the items, borrowing the tuple.
    pub fn iter(&self) -> TupleIter<'_, 'py, B> {
        TupleIter {
            tuple: self.as_borrowed(),
            index: 0,
        }
    }
}

/// Iterator over a tuple's items.
pub struct TupleIter<'a, 'py, B: Backend> {
    tuple: Borrowed<'a, 'py, PyTuple, B>,
    index: usize,
}

impl<'py, B: Backend> Iterator for TupleIter<'_, 'py, B> {
    type Item = Bound<'py, PyAny, B>;

    fn next(&mut self) -> Option<Self::Item> {
        let item = self.tuple.get_item(self.index).ok()?;
        self.index += 1;
        Some(item)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.tuple.len() - self.index;
        (left, Some(left))
    }
}

impl<B: Backend> ExactSizeIterator for TupleIter<'_, '_, B> {}
