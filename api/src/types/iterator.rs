//! Python iteration (`iter(obj)` / `next(it)`) as a Rust iterator of results.

use crate::backend::Backend;
use crate::err::{PyErr, PyResult};
use crate::instance::Bound;
use crate::types::PyAny;

/// The iterator `iter(obj)` returned, yielding each item or the error raised while iterating.
pub struct PyIterator<'py, B: Backend> {
    iterator: Bound<'py, PyAny, B>,
}

impl<'py, B: Backend> PyIterator<'py, B> {
    /// `iter(obj)`: `TypeError` if the object is not iterable.
    #[track_caller]
    pub fn new(obj: &Bound<'py, PyAny, B>) -> PyResult<Self, B> {
        // SAFETY: the handle proves the GIL; the result is a new reference or an error.
        let iterator =
            unsafe { Bound::from_owned_ptr_or_err(obj.py(), B::get_iter(obj.as_ptr()))? };
        Ok(PyIterator { iterator })
    }
}

impl<'py, B: Backend> Iterator for PyIterator<'py, B> {
    type Item = PyResult<Bound<'py, PyAny, B>, B>;

    fn next(&mut self) -> Option<Self::Item> {
        let py = self.iterator.py();
        // SAFETY: the handle proves the GIL; the object is an iterator.
        match unsafe { B::iter_next(self.iterator.as_ptr()) } {
            // SAFETY: a new reference.
            Some(item) => Some(Ok(unsafe { Bound::from_owned_ptr(py, item) })),
            // SAFETY: the token proves the GIL.
            None if unsafe { B::err_occurred() } => Some(Err(PyErr::fetch(py))),
            None => None,
        }
    }
}
