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
use crate::types::{PyAny, PyNone};

/// The two calls that make a container of fixed length and fill its slots: `tuple_new` and
/// `tuple_init_item`, or `list_new` and `list_init_item`.
pub(crate) struct Slots<B: Backend> {
    pub(crate) new: unsafe fn(usize) -> NewRef,
    pub(crate) init_item: unsafe fn(RawPtr, usize, RawPtr),
    _backend: std::marker::PhantomData<B>,
}

impl<B: Backend> Slots<B> {
    pub(crate) fn tuple() -> Self {
        Self::with(B::tuple_new, B::tuple_init_item)
    }

    pub(crate) fn list() -> Self {
        Self::with(B::list_new, B::list_init_item)
    }

    fn with(new: unsafe fn(usize) -> NewRef, init_item: unsafe fn(RawPtr, usize, RawPtr)) -> Self {
        Slots {
            new,
            init_item,
            _backend: std::marker::PhantomData,
        }
    }
}

/// A container of `len` slots being filled in order. If it is dropped before every slot is set
/// (a conversion failed, or panicked), the rest are set to `None`, so the container is whole
/// when it is released and nothing reads an empty slot.
struct Filling<'py, B: Backend> {
    container: Bound<'py, PyAny, B>,
    init_item: unsafe fn(RawPtr, usize, RawPtr),
    filled: usize,
    len: usize,
}

impl<'py, B: Backend> Filling<'py, B> {
    /// Sets the next slot, taking over `item`'s reference.
    #[inline(always)]
    fn push(&mut self, item: Bound<'py, PyAny, B>) {
        assert!(
            self.filled < self.len,
            "the iterator yielded more items than its size_hint said"
        );
        // SAFETY: the handle proves the GIL; a fresh container of `len` slots whose slot
        // `filled` is not set yet; the reference moves into it.
        unsafe { (self.init_item)(self.container.as_ptr(), self.filled, item.into_ptr()) };
        self.filled += 1;
    }

    /// The full container.
    fn finish(self) -> Bound<'py, PyAny, B> {
        assert!(
            self.filled == self.len,
            "the iterator yielded fewer items than its size_hint said"
        );
        let this = ManuallyDrop::new(self);
        // SAFETY: `this` is never dropped, so the handle is moved out exactly once.
        unsafe { ptr::read(&this.container) }
    }
}

impl<B: Backend> Drop for Filling<'_, B> {
    fn drop(&mut self) {
        while self.filled < self.len {
            self.push(PyNone::get(self.container.py()).into_any());
        }
    }
}

/// A new tuple or list (as `slots` says) of the converted `items`. If a conversion fails, what
/// was converted so far is released and the error returned.
///
/// # Panics
/// If an iterator whose `size_hint` gives one exact length yields another number of items.
#[track_caller]
#[inline]
pub(crate) fn new_sequence<'py, B: Backend, T: IntoPyObject<B>>(
    py: Python<'py, B>,
    items: impl IntoIterator<Item = T>,
    slots: Slots<B>,
) -> PyResult<Bound<'py, PyAny, B>, B> {
    let items = items.into_iter();
    match items.size_hint() {
        (len, Some(upper)) if len == upper => fill(py, len, items, slots),
        _ => {
            let items = convert_all(py, items)?;
            fill(py, items.len(), items, slots)
        }
    }
}

/// Makes the container and converts the `len` items into it.
#[track_caller]
#[inline(always)]
fn fill<'py, B: Backend, T: IntoPyObject<B>>(
    py: Python<'py, B>,
    len: usize,
    items: impl IntoIterator<Item = T>,
    slots: Slots<B>,
) -> PyResult<Bound<'py, PyAny, B>, B> {
    // SAFETY: the token proves the GIL; the result is a new reference or an error.
    let container = unsafe { Bound::from_owned_ptr_or_err(py, (slots.new)(len))? };
    let mut filling = Filling {
        container,
        init_item: slots.init_item,
        filled: 0,
        len,
    };
    // A loop, not a closure: a closure would hide the caller's location from the mock.
    for item in items {
        filling.push(item.into_pyobject(py)?);
    }
    Ok(filling.finish())
}
