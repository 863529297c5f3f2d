//! `PyRef` and `PyRefMut`: run-time checked borrows of a class instance's Rust value, like
//! `RefCell`'s `Ref`/`RefMut`; they keep the instance alive and end the borrow when dropped.

use std::ops::{Deref, DerefMut};

use crate::backend::Backend;
use crate::class::cell::ClassCell;
use crate::class::{cell_of, PyClass};
use crate::err::PyResult;
use crate::instance::Borrowed;
use crate::python::Python;

/// Shared access to the value of an instance of `T` (see `Bound::borrow`).
pub struct PyRef<'a, 'py, T, B: Backend> {
    object: Borrowed<'a, 'py, T, B>,
    cell: &'a ClassCell<T>,
}

/// Exclusive access to the value of an instance of `T` (see `Bound::borrow_mut`).
pub struct PyRefMut<'a, 'py, T, B: Backend> {
    object: Borrowed<'a, 'py, T, B>,
    cell: &'a ClassCell<T>,
}

impl<'a, 'py, T, B: Backend> PyRef<'a, 'py, T, B> {
    /// Wraps a shared borrow already taken on `cell`.
    pub(crate) fn new(object: Borrowed<'a, 'py, T, B>, cell: &'a ClassCell<T>) -> Self {
        PyRef { object, cell }
    }

    /// Borrows `object`'s value shared, or `RuntimeError: Already mutably borrowed`.
    #[inline]
    pub(crate) fn acquire(object: Borrowed<'a, 'py, T, B>) -> PyResult<Self, B>
    where
        T: PyClass<B>,
    {
        let cell = cell_of(object);
        cell.acquire_shared::<B>()?;
        Ok(PyRef::new(object, cell))
    }

    /// The instance.
    pub fn object(&self) -> Borrowed<'a, 'py, T, B> {
        self.object
    }

    /// The GIL token.
    pub fn py(&self) -> Python<'py, B> {
        self.object.py()
    }
}

impl<'a, 'py, T, B: Backend> PyRefMut<'a, 'py, T, B> {
    /// Wraps the exclusive borrow already taken on `cell`.
    pub(crate) fn new(object: Borrowed<'a, 'py, T, B>, cell: &'a ClassCell<T>) -> Self {
        PyRefMut { object, cell }
    }

    /// Borrows `object`'s value exclusively, or `RuntimeError: Already borrowed` (or `Already
    /// mutably borrowed`).
    #[inline]
    pub(crate) fn acquire(object: Borrowed<'a, 'py, T, B>) -> PyResult<Self, B>
    where
        T: PyClass<B>,
    {
        let cell = cell_of(object);
        cell.acquire_exclusive::<B>()?;
        Ok(PyRefMut::new(object, cell))
    }

    /// The instance.
    pub fn object(&self) -> Borrowed<'a, 'py, T, B> {
        self.object
    }

    /// The GIL token.
    pub fn py(&self) -> Python<'py, B> {
        self.object.py()
    }
}

impl<T, B: Backend> Deref for PyRef<'_, '_, T, B> {
    type Target = T;

    fn deref(&self) -> &T {
        // SAFETY: this `PyRef` holds a shared borrow of a written value.
        unsafe { self.cell.get() }
    }
}

impl<T, B: Backend> Deref for PyRefMut<'_, '_, T, B> {
    type Target = T;

    fn deref(&self) -> &T {
        // SAFETY: this `PyRefMut` holds the exclusive borrow of a written value.
        unsafe { self.cell.get() }
    }
}

impl<T, B: Backend> DerefMut for PyRefMut<'_, '_, T, B> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: this `PyRefMut` holds the exclusive borrow; `&mut self` makes it unique.
        unsafe { self.cell.get_mut() }
    }
}

impl<T, B: Backend> Drop for PyRef<'_, '_, T, B> {
    fn drop(&mut self) {
        self.cell.release_shared();
    }
}

impl<T, B: Backend> Drop for PyRefMut<'_, '_, T, B> {
    fn drop(&mut self) {
        self.cell.release_exclusive();
    }
}
