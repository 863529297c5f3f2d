//! `set` and `frozenset`: built from Rust values, membership, length, iteration; `add`,
//! `discard` and `pop` on `set` only (a frozenset is immutable once Python can see it).

use crate::backend::Backend;
use crate::conversion::IntoPyObject;
use crate::err::PyResult;
use crate::instance::Bound;
use crate::python::Python;
use crate::types::list::check_status;
use crate::types::{PyAny, PyFrozenSet, PyIterator, PySet};

/// A new set (`frozen`: a frozenset) of the converted `items`; on failure (an unhashable item,
/// a failed conversion) everything made so far is released and the error returned.
#[track_caller]
fn new_set<'py, B: Backend, T: IntoPyObject<B>>(
    py: Python<'py, B>,
    items: impl IntoIterator<Item = T>,
    frozen: bool,
) -> PyResult<Bound<'py, PyAny, B>, B> {
    // SAFETY: the token proves the GIL; the result is a new reference or an error.
    let set: Bound<'py, PyAny, B> =
        unsafe { Bound::from_owned_ptr_or_err(py, B::set_new(None, frozen))? };
    for item in items {
        // SAFETY: the token proves the GIL; `set` is a set, or a frozenset no one else has seen
        // yet, which `PySet_Add` may fill.
        let status = item.with_object(py, |item| unsafe {
            B::set_add(set.as_ptr(), item.as_ptr())
        })?;
        check_status(py, status)?;
    }
    Ok(set)
}

/// `set(iterable)` / `frozenset(iterable)` of any Python iterable.
#[track_caller]
fn set_from_iterable<'py, B: Backend>(
    iterable: &Bound<'py, PyAny, B>,
    frozen: bool,
) -> PyResult<Bound<'py, PyAny, B>, B> {
    // SAFETY: the handle proves the GIL and keeps the iterable alive.
    unsafe {
        Bound::from_owned_ptr_or_err(iterable.py(), B::set_new(Some(iterable.as_ptr()), frozen))
    }
}

/// The constructors of both set types.
macro_rules! set_constructors {
    ($marker:ident, $name:literal, $frozen:literal) => {
        impl $marker {
            #[doc = concat!("A ", $name, " of the converted `items` (equal items collapse, as in Python).")]
            #[track_caller]
            pub fn new<'py, B: Backend, T: IntoPyObject<B>>(
                py: Python<'py, B>,
                items: impl IntoIterator<Item = T>,
            ) -> PyResult<Bound<'py, $marker, B>, B> {
                // SAFETY: `new_set` made an object of this type.
                new_set(py, items, $frozen).map(|set| unsafe { set.cast_into_unchecked() })
            }

            #[doc = concat!("A new empty ", $name, ".")]
            #[track_caller]
            pub fn empty<B: Backend>(py: Python<'_, B>) -> PyResult<Bound<'_, $marker, B>, B> {
                Self::new(py, std::iter::empty::<()>())
            }

            #[doc = concat!("`", $name, "(iterable)`: the items of any Python iterable.")]
            #[track_caller]
            pub fn from_iterable<'py, B: Backend>(
                iterable: &Bound<'py, PyAny, B>,
            ) -> PyResult<Bound<'py, $marker, B>, B> {
                // SAFETY: `set_from_iterable` made an object of this type.
                set_from_iterable(iterable, $frozen).map(|set| unsafe { set.cast_into_unchecked() })
            }
        }
    };
}

set_constructors!(PySet, "set", false);
set_constructors!(PyFrozenSet, "frozenset", true);

/// `key in set` for a set or frozenset.
#[track_caller]
fn contains<B: Backend>(set: &Bound<'_, PyAny, B>, key: impl IntoPyObject<B>) -> PyResult<bool, B> {
    let py = set.py();
    // SAFETY: the handles prove the GIL and keep the set and the key alive.
    let status = key.with_object(py, |key| unsafe {
        B::set_contains(set.as_ptr(), key.as_ptr())
    })?;
    check_status(py, status)?;
    Ok(status == 1)
}

/// Methods both set types have.
macro_rules! set_methods {
    ($marker:ident) => {
        impl<'py, B: Backend> Bound<'py, $marker, B> {
            /// `key in self`; `TypeError` for an unhashable key.
            #[track_caller]
            pub fn contains(&self, key: impl IntoPyObject<B>) -> PyResult<bool, B> {
                contains(self.as_any(), key)
            }

            /// The number of items.
            pub fn len(&self) -> usize {
                // SAFETY: the handle proves the GIL; the object is a set or frozenset.
                unsafe { B::set_len(self.as_ptr()) }
            }

            /// Whether there are no items.
            pub fn is_empty(&self) -> bool {
                self.len() == 0
            }

            /// Iterates over the items, in the set's own order. Each step is a `PyResult`:
            /// `RuntimeError` if the set changes size meanwhile.
            #[track_caller]
            pub fn iter(&self) -> PyResult<PyIterator<'py, B>, B> {
                PyIterator::new(self.as_any())
            }
        }
    };
}

set_methods!(PySet);
set_methods!(PyFrozenSet);

impl<'py, B: Backend> Bound<'py, PySet, B> {
    /// `self.add(key)`; `TypeError` for an unhashable key.
    #[track_caller]
    pub fn add(&self, key: impl IntoPyObject<B>) -> PyResult<(), B> {
        let py = self.py();
        // SAFETY: the handle proves the GIL; the set increfs the key it keeps.
        let status =
            key.with_object(py, |key| unsafe { B::set_add(self.as_ptr(), key.as_ptr()) })?;
        check_status(py, status)
    }

    /// `self.discard(key)`: whether the key was there.
    #[track_caller]
    pub fn discard(&self, key: impl IntoPyObject<B>) -> PyResult<bool, B> {
        let py = self.py();
        // SAFETY: the handle proves the GIL and keeps the set alive.
        let status = key.with_object(py, |key| unsafe {
            B::set_discard(self.as_ptr(), key.as_ptr())
        })?;
        check_status(py, status)?;
        Ok(status == 1)
    }

    /// `self.pop()`: an arbitrary item, removed; `KeyError` when empty.
    #[track_caller]
    pub fn pop(&self) -> PyResult<Bound<'py, PyAny, B>, B> {
        // SAFETY: the handle proves the GIL; the result is a new reference or an error.
        unsafe { Bound::from_owned_ptr_or_err(self.py(), B::set_pop(self.as_ptr())) }
    }
}
