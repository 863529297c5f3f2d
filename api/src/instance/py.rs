//! `Py<T, B>`: an owned reference that outlives the GIL and crosses threads.

use std::marker::PhantomData;
use std::mem::ManuallyDrop;

use crate::backend::{Backend, RawPtr};
use crate::gil::{defer_release, gil_is_held};
use crate::instance::{Borrowed, Bound};
use crate::python::Python;
use crate::types::PyAny;

/// An owned reference to a Python object of type `T`, not tied to a GIL token: store it in
/// structs, send it to other threads. One pointer wide.
///
/// Dropping it releases the reference at once when this thread holds the GIL; otherwise the
/// pointer goes onto `B`'s release queue and is released at the next GIL acquisition.
#[repr(transparent)]
pub struct Py<T, B: Backend> {
    ptr: RawPtr,
    _marker: PhantomData<(T, fn() -> B)>,
}

// SAFETY: a `Py` touches its object only with the GIL held (`bind`, `clone_ref`) or hands it
// to the thread-safe release queue; the pointer itself may move between threads.
unsafe impl<T, B: Backend> Send for Py<T, B> {}
// SAFETY: shared access (`&Py`) only reads the pointer; object access needs a GIL token.
unsafe impl<T, B: Backend> Sync for Py<T, B> {}

impl<T, B: Backend> Py<T, B> {
    /// Takes ownership of a new reference.
    ///
    /// # Safety
    /// `ptr` is an owned reference to a live object of type `T`.
    #[inline]
    pub unsafe fn from_owned_ptr(ptr: RawPtr) -> Self {
        Py {
            ptr,
            _marker: PhantomData,
        }
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

    /// Borrows this handle as a `Bound` for the token's lifetime (no refcount traffic).
    #[inline]
    pub fn bind<'py>(&self, _py: Python<'py, B>) -> &Bound<'py, T, B> {
        // SAFETY: `Py` and `Bound` are both `repr(transparent)` over the pointer; the returned
        // reference borrows `self`, so the `Bound` view never drops the reference.
        unsafe { &*(self as *const Self).cast::<Bound<'py, T, B>>() }
    }

    /// A borrowed view for the token's lifetime.
    #[inline]
    pub fn bind_borrowed<'a, 'py>(&'a self, py: Python<'py, B>) -> Borrowed<'a, 'py, T, B> {
        // SAFETY: `self` keeps the object alive for `'a`.
        unsafe { Borrowed::from_ptr(py, self.ptr) }
    }

    /// Turns this handle into a `Bound` tied to the token (no refcount traffic).
    #[inline]
    pub fn into_bound(self, py: Python<'_, B>) -> Bound<'_, T, B> {
        // SAFETY: the reference moves from the `Py` to the `Bound`.
        unsafe { Bound::from_owned_ptr(py, self.into_ptr()) }
    }

    /// A second handle to the same object (increfs; needs the GIL, so `Py` is not `Clone`).
    #[inline]
    pub fn clone_ref(&self, py: Python<'_, B>) -> Py<T, B> {
        self.bind(py).clone().unbind()
    }

    /// The object's current reference count.
    pub fn get_refcnt(&self, py: Python<'_, B>) -> isize {
        self.bind(py).get_refcnt()
    }

    /// This handle as an object of any type.
    #[inline]
    pub fn into_any(self) -> Py<PyAny, B> {
        // SAFETY: every object is a `PyAny`; the reference moves.
        unsafe { Py::from_owned_ptr(self.into_ptr()) }
    }

    /// Whether both handles point at the same object.
    #[inline]
    pub fn is<U>(&self, other: &Py<U, B>) -> bool {
        self.ptr == other.ptr
    }
}

impl<T, B: Backend> Drop for Py<T, B> {
    #[inline]
    fn drop(&mut self) {
        if gil_is_held::<B>() {
            // SAFETY: this thread holds the GIL and this handle owns exactly one reference.
            unsafe { B::decref(self.ptr) }
        } else {
            // SAFETY: this handle owns exactly one reference, which it gives up.
            unsafe { defer_release::<B>(self.ptr) };
        }
    }
}

impl<T, B: Backend> std::fmt::Debug for Py<T, B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Py<{}>({:p})", B::NAME, self.ptr)
    }
}
