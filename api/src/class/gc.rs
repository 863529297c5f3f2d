//! Garbage collection of class instances: a class whose value holds `Py` handles reports them
//! in [`PyClass::traverse`](crate::PyClass::traverse) and lets go of them in
//! [`PyClass::clear`](crate::PyClass::clear), so a reference cycle through Rust values is found
//! and broken by the interpreter's cycle collector (and by the mock's).

use std::marker::PhantomData;

use crate::backend::{Backend, RawPtr};
use crate::instance::Py;

/// The visitor a class's `traverse` reports its handles to.
pub struct PyVisit<'a, B: Backend> {
    visit: &'a mut dyn FnMut(RawPtr) -> i32,
    _backend: PhantomData<B>,
}

/// The collector asked to stop a traversal: return it from `traverse` with `?`.
#[derive(Debug)]
pub struct PyTraverseError(pub(crate) i32);

impl<'a, B: Backend> PyVisit<'a, B> {
    pub(crate) fn new(visit: &'a mut dyn FnMut(RawPtr) -> i32) -> Self {
        PyVisit {
            visit,
            _backend: PhantomData,
        }
    }

    /// Reports one handle the value holds.
    pub fn call<T>(&mut self, object: &Py<T, B>) -> Result<(), PyTraverseError> {
        match (self.visit)(object.as_ptr()) {
            0 => Ok(()),
            stop => Err(PyTraverseError(stop)),
        }
    }

    /// Reports a handle if there is one.
    pub fn call_opt<T>(&mut self, object: Option<&Py<T, B>>) -> Result<(), PyTraverseError> {
        object.map_or(Ok(()), |object| self.call(object))
    }
}
