//! `Bound<'py, T, B>`: an owned reference usable while the GIL token `'py` lives.

use std::marker::PhantomData;
use std::mem::ManuallyDrop;
use std::ops::Deref;

use crate::backend::{Backend, NewRef, RawPtr};
use crate::err::{PyErr, PyResult};
use crate::instance::{Borrowed, Py};
use crate::python::Python;
use crate::types::{DerefToPyAny, PyAny, PyTypeInfo};

/// An owned reference to a Python object of type `T`, tied to the GIL token `'py`.
///
/// One pointer wide. It stands for exactly one reference: cloning increfs, dropping decrefs at
/// once (the token proves the GIL is held, so there is no check and no pool). Methods for each
/// type live on `Bound<'py, PyDict, B>` and so on; every `Bound` derefs to `Bound<'py, PyAny, B>`
/// for the methods common to all objects.
#[repr(transparent)]
pub struct Bound<'py, T, B: Backend> {
    ptr: RawPtr,
    _marker: PhantomData<(Python<'py, B>, T)>,
}

impl<'py, T, B: Backend> Bound<'py, T, B> {
    /// Takes ownership of a new reference.
    ///
    /// # Safety
    /// `ptr` is an owned reference to a live object of type `T`.
    #[inline]
    pub unsafe fn from_owned_ptr(_py: Python<'py, B>, ptr: RawPtr) -> Self {
        Bound {
            ptr,
            _marker: PhantomData,
        }
    }

    /// Takes ownership of a new reference, or fetches the error the backend set.
    ///
    /// # Safety
    /// `ptr`, if `Some`, is an owned reference to a live object of type `T`.
    #[inline]
    pub unsafe fn from_owned_ptr_or_err(py: Python<'py, B>, ptr: NewRef) -> PyResult<Self, B> {
        match ptr {
            // SAFETY: forwarded from the caller.
            Some(ptr) => Ok(unsafe { Self::from_owned_ptr(py, ptr) }),
            None => Err(PyErr::fetch(py)),
        }
    }

    /// Makes a new reference from a borrowed pointer (increfs).
    ///
    /// # Safety
    /// `ptr` is a live object of type `T`.
    #[inline]
    pub unsafe fn from_borrowed_ptr(py: Python<'py, B>, ptr: RawPtr) -> Self {
        // SAFETY: the token proves the GIL is held and the caller that `ptr` is live.
        unsafe { B::incref(ptr) };
        // SAFETY: the incref above made the reference this handle owns.
        unsafe { Self::from_owned_ptr(py, ptr) }
    }

    /// The GIL token this handle is tied to.
    #[inline]
    pub fn py(&self) -> Python<'py, B> {
        // SAFETY: a `Bound<'py, ..>` exists only while the GIL is held for `'py`.
        unsafe { Python::assume_gil_acquired() }
    }

    /// The raw pointer, still owned by this handle.
    #[inline]
    pub fn as_ptr(&self) -> RawPtr {
        self.ptr
    }

    /// Gives up ownership: the caller now owns the reference.
    #[inline]
    pub fn into_ptr(self) -> RawPtr {
        ManuallyDrop::new(self).ptr
    }

    /// A view of this handle without refcount traffic.
    #[inline]
    pub fn as_borrowed<'a>(&'a self) -> Borrowed<'a, 'py, T, B> {
        // SAFETY: `self` keeps the object alive for `'a`.
        unsafe { Borrowed::from_ptr(self.py(), self.ptr) }
    }

    /// Detaches from the GIL token: a `Py` can be stored and sent to other threads.
    #[inline]
    pub fn unbind(self) -> Py<T, B> {
        // SAFETY: the reference this handle owned moves into the `Py`.
        unsafe { Py::from_owned_ptr(self.into_ptr()) }
    }

    /// This handle as an object of any type.
    #[inline]
    pub fn as_any(&self) -> &Bound<'py, PyAny, B> {
        // SAFETY: every object is a `PyAny`; the layout is the same pointer.
        unsafe { self.cast_unchecked() }
    }

    /// This handle as an object of any type, by value.
    #[inline]
    pub fn into_any(self) -> Bound<'py, PyAny, B> {
        // SAFETY: every object is a `PyAny`; the reference moves.
        unsafe { self.cast_into_unchecked() }
    }

    /// The object's current reference count (compare as deltas: PyPy adds a large flag).
    pub fn get_refcnt(&self) -> isize {
        // SAFETY: the token proves the GIL; `self` keeps the object alive.
        unsafe { B::refcount(self.ptr) }
    }

    /// Whether both handles point at the same object (Python's `is`).
    #[inline]
    pub fn is<U>(&self, other: &Bound<'_, U, B>) -> bool {
        self.ptr == other.ptr
    }

    /// Reinterprets the handle as type `U` without a check.
    ///
    /// # Safety
    /// The object is an instance of `U`.
    #[inline]
    pub unsafe fn cast_unchecked<U>(&self) -> &Bound<'py, U, B> {
        // SAFETY: `Bound` is `repr(transparent)` over the pointer whatever `T` is.
        unsafe { &*(self as *const Self).cast::<Bound<'py, U, B>>() }
    }

    /// Reinterprets the handle as type `U` without a check, by value.
    ///
    /// # Safety
    /// The object is an instance of `U`.
    #[inline]
    pub unsafe fn cast_into_unchecked<U>(self) -> Bound<'py, U, B> {
        Bound {
            ptr: self.into_ptr(),
            _marker: PhantomData,
        }
    }

    /// Checked downcast; the error is a `TypeError` naming the expected and the actual type.
    #[inline]
    pub fn downcast<U: PyTypeInfo>(&self) -> PyResult<&Bound<'py, U, B>, B> {
        if U::is_type_of(self.as_any()) {
            // SAFETY: just checked.
            Ok(unsafe { self.cast_unchecked() })
        } else {
            Err(crate::types::downcast_error::<U, B>(self.as_any()))
        }
    }

    /// Checked downcast by value; see [`Bound::downcast`].
    #[inline]
    pub fn downcast_into<U: PyTypeInfo>(self) -> PyResult<Bound<'py, U, B>, B> {
        if U::is_type_of(self.as_any()) {
            // SAFETY: just checked.
            Ok(unsafe { self.cast_into_unchecked() })
        } else {
            Err(crate::types::downcast_error::<U, B>(self.as_any()))
        }
    }
}

impl<T, B: Backend> Clone for Bound<'_, T, B> {
    #[inline]
    fn clone(&self) -> Self {
        // SAFETY: the token proves the GIL; `self` keeps the object alive.
        unsafe { Self::from_borrowed_ptr(self.py(), self.ptr) }
    }
}

impl<T, B: Backend> Drop for Bound<'_, T, B> {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: a `Bound` exists only while the GIL is held and owns exactly this reference.
        unsafe { B::decref(self.ptr) }
    }
}

impl<'py, T: DerefToPyAny, B: Backend> Deref for Bound<'py, T, B> {
    type Target = Bound<'py, PyAny, B>;

    #[inline]
    fn deref(&self) -> &Self::Target {
        self.as_any()
    }
}

impl<'py, T, B: Backend> AsRef<Bound<'py, PyAny, B>> for Bound<'py, T, B> {
    fn as_ref(&self) -> &Bound<'py, PyAny, B> {
        self.as_any()
    }
}

impl<T, B: Backend> std::fmt::Debug for Bound<'_, T, B> {
    /// Python's `repr()`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        crate::types::any::write_text(self.as_any(), f, crate::types::any::TextKind::Repr)
    }
}

impl<T, B: Backend> std::fmt::Display for Bound<'_, T, B> {
    /// Python's `str()`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        crate::types::any::write_text(self.as_any(), f, crate::types::any::TextKind::Str)
    }
}
