//! `Borrowed<'a, 'py, T, B>`: a view of an object someone else keeps alive.

use std::marker::PhantomData;
use std::ops::Deref;

use crate::backend::{Backend, RawPtr};
use crate::err::PyResult;
use crate::instance::{Bound, Py};
use crate::python::Python;
use crate::types::{PyAny, PyTypeInfo};

/// A borrowed reference: `Copy`, no refcount traffic, valid for `'a` (while its owner keeps the
/// object alive) under the GIL token `'py`. `.to_owned()` increfs into a `Bound`. Native
/// functions receive their arguments this way, and tuple items can be read this way.
#[repr(transparent)]
pub struct Borrowed<'a, 'py, T, B: Backend> {
    ptr: RawPtr,
    _marker: PhantomData<(&'a Py<T, B>, Python<'py, B>)>,
}

impl<T, B: Backend> Clone for Borrowed<'_, '_, T, B> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T, B: Backend> Copy for Borrowed<'_, '_, T, B> {}

impl<'a, 'py, T, B: Backend> Borrowed<'a, 'py, T, B> {
    /// A view of a borrowed pointer.
    ///
    /// # Safety
    /// `ptr` is a live object of type `T` that stays alive for `'a`.
    #[inline]
    pub unsafe fn from_ptr(_py: Python<'py, B>, ptr: RawPtr) -> Self {
        Borrowed {
            ptr,
            _marker: PhantomData,
        }
    }

    /// The raw pointer (borrowed).
    #[inline]
    pub fn as_ptr(self) -> RawPtr {
        self.ptr
    }

    /// A new owned reference to the object (increfs).
    #[inline]
    pub fn to_owned(self) -> Bound<'py, T, B> {
        // SAFETY: the object is alive for `'a`, and the token proves the GIL.
        unsafe { Bound::from_borrowed_ptr(self.py(), self.ptr) }
    }

    /// The GIL token.
    #[inline]
    pub fn py(self) -> Python<'py, B> {
        // SAFETY: a `Borrowed<'_, 'py, ..>` exists only under the token `'py`.
        unsafe { Python::assume_gil_acquired() }
    }

    /// This view as an object of any type.
    #[inline]
    pub fn to_any(self) -> Borrowed<'a, 'py, PyAny, B> {
        Borrowed {
            ptr: self.ptr,
            _marker: PhantomData,
        }
    }

    /// Checked downcast of the view; the error is a `TypeError` naming both types.
    pub fn downcast<U: PyTypeInfo>(self) -> PyResult<Borrowed<'a, 'py, U, B>, B> {
        self.as_bound().downcast::<U>()?;
        Ok(Borrowed {
            ptr: self.ptr,
            _marker: PhantomData,
        })
    }

    fn as_bound(&self) -> &Bound<'py, T, B> {
        // SAFETY: `Borrowed` and `Bound` are `repr(transparent)` over the pointer; the
        // reference borrows `self`, so the view never drops the reference it does not own.
        unsafe { &*(self as *const Self).cast::<Bound<'py, T, B>>() }
    }
}

impl<'py, T, B: Backend> Deref for Borrowed<'_, 'py, T, B> {
    type Target = Bound<'py, T, B>;

    #[inline]
    fn deref(&self) -> &Self::Target {
        self.as_bound()
    }
}

impl<T, B: Backend> std::fmt::Debug for Borrowed<'_, '_, T, B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_bound(), f)
    }
}
