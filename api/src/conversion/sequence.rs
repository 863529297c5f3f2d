//! Tuples and lists built from converted items: straight into the new object when the iterator
//! knows its length (no intermediate `Vec`, one heap allocation fewer per container), through a
//! `Vec` otherwise.

use std::mem::ManuallyDrop;
use std::ptr;

use crate::backend::{Backend, NewRef, RawPtr};
use crate::conversion::{convert_all, IntoPyObject};
use crate::err::PyResult;
use crate::instance::Bound;
use crate::python::Python;
use crate::types::{PyAny, PyList, PyNone, PyTuple};

/// A container of fixed length whose slots are filled once each: `tuple` and `list`.
pub(crate) trait Slots {
    /// `PyTuple_New`/`PyList_New`.
    ///
    /// # Safety
    /// GIL held.
    unsafe fn new_empty<B: Backend>(len: usize) -> NewRef;
    /// `PyTuple_SET_ITEM`/`PyList_SET_ITEM` into a fresh container's empty slot.
    ///
    /// # Safety
    /// As [`Backend::tuple_init_item`] and [`Backend::list_init_item`].
    unsafe fn init_item<B: Backend>(container: RawPtr, index: usize, item: RawPtr);
}

impl Slots for PyTuple {
    #[inline(always)]
    unsafe fn new_empty<B: Backend>(len: usize) -> NewRef {
        // SAFETY: GIL held (caller).
        unsafe { B::tuple_new(len) }
    }

    #[inline(always)]
    unsafe fn init_item<B: Backend>(container: RawPtr, index: usize, item: RawPtr) {
        // SAFETY: as the caller was told.
        unsafe { B::tuple_init_item(container, index, item) }
    }
}

impl Slots for PyList {
    #[inline(always)]
    unsafe fn new_empty<B: Backend>(len: usize) -> NewRef {
        // SAFETY: GIL held (caller).
        unsafe { B::list_new(len) }
    }

    #[inline(always)]
    unsafe fn init_item<B: Backend>(container: RawPtr, index: usize, item: RawPtr) {
        // SAFETY: as the caller was told.
        unsafe { B::list_init_item(container, index, item) }
    }
}

/// A container of `len` slots being filled in order. If it is dropped before every slot is set
/// (a conversion failed, or panicked), the rest are set to `None`, so the container is whole
/// when it is released and nothing reads an empty slot.
struct Filling<'py, S: Slots, B: Backend> {
    container: Bound<'py, S, B>,
    filled: usize,
    len: usize,
}

impl<'py, S: Slots, B: Backend> Filling<'py, S, B> {
    /// Sets the next slot, taking over `item`'s reference.
    #[inline(always)]
    fn push(&mut self, item: Bound<'py, PyAny, B>) {
        assert!(
            self.filled < self.len,
            "the iterator yielded more items than its size_hint said"
        );
        // SAFETY: the handle proves the GIL; a fresh container of `len` slots whose slot
        // `filled` is not set yet; the reference moves into it.
        unsafe { S::init_item::<B>(self.container.as_ptr(), self.filled, item.into_ptr()) };
        self.filled += 1;
    }

    /// The full container.
    fn finish(self) -> Bound<'py, S, B> {
        assert!(
            self.filled == self.len,
            "the iterator yielded fewer items than its size_hint said"
        );
        let this = ManuallyDrop::new(self);
        // SAFETY: `this` is never dropped, so the handle is moved out exactly once.
        unsafe { ptr::read(&this.container) }
    }
}

impl<S: Slots, B: Backend> Drop for Filling<'_, S, B> {
    fn drop(&mut self) {
        while self.filled < self.len {
            self.push(PyNone::get(self.container.py()).into_any());
        }
    }
}

/// A new tuple or list (`S`) of the converted `items`. If a conversion fails, what
/// was converted so far is released and the error returned.
///
/// # Panics
/// If an iterator whose `size_hint` gives one exact length yields another number of items.
#[track_caller]
#[inline]
pub(crate) fn new_sequence<'py, S: Slots, B: Backend, T: IntoPyObject<B>>(
    py: Python<'py, B>,
    items: impl IntoIterator<Item = T>,
) -> PyResult<Bound<'py, S, B>, B> {
    let items = items.into_iter();
    match items.size_hint() {
        (len, Some(upper)) if len == upper => fill(py, len, items),
        _ => {
            let items = convert_all(py, items)?;
            fill(py, items.len(), items)
        }
    }
}

/// Makes the container and converts the `len` items into it.
#[track_caller]
#[inline(always)]
fn fill<'py, S: Slots, B: Backend, T: IntoPyObject<B>>(
    py: Python<'py, B>,
    len: usize,
    items: impl IntoIterator<Item = T>,
) -> PyResult<Bound<'py, S, B>, B> {
    // SAFETY: the token proves the GIL; the result is a new reference (of type `S`) or an error.
    let container = unsafe { Bound::from_owned_ptr_or_err(py, S::new_empty::<B>(len))? };
    let mut filling = Filling {
        container,
        filled: 0,
        len,
    };
    // A loop, not a closure: a closure would hide the caller's location from the mock.
    for item in items {
        filling.push(item.into_pyobject(py)?);
    }
    Ok(filling.finish())
}
