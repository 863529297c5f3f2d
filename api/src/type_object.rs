//! `TypeObjectCell`: where a class made at run time (a custom exception, a Rust class) keeps
//! its type object, made once per process per backend and never freed, like a static type.
//! Reading it is a scan of a few words with no lock: the hot path of every raise and downcast.

use std::ptr::{self, NonNull};
use std::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};

use crate::backend::{Backend, RawObject, RawPtr};
use crate::err::PyResult;
use crate::instance::Bound;
use crate::python::Python;
use crate::types::PyAny;

/// How many backends one process can make a class for (mock, CPython and PyPy, and one more).
const BACKENDS: usize = 4;

/// One backend's type object: the backend's identity (the address of its state, unique per
/// backend) and the object, published once.
struct Slot {
    backend: AtomicUsize,
    object: AtomicPtr<RawObject>,
}

/// The type objects of one class, one per backend that made it. Usable in a `static`.
pub struct TypeObjectCell {
    slots: [Slot; BACKENDS],
}

impl std::fmt::Debug for TypeObjectCell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TypeObjectCell")
    }
}

impl TypeObjectCell {
    /// An empty cell.
    #[allow(clippy::new_without_default)] // meant for statics
    pub const fn new() -> Self {
        // A fresh slot per element: `[const { .. }; N]` copies the expression, not one value.
        TypeObjectCell {
            slots: [const {
                Slot {
                    backend: AtomicUsize::new(0),
                    object: AtomicPtr::new(ptr::null_mut()),
                }
            }; BACKENDS],
        }
    }

    /// The identity of backend `B`: the address of its process state.
    #[inline(always)]
    fn key<B: Backend>() -> usize {
        B::state() as *const _ as usize
    }

    /// The type object made for `B`, if made (borrowed: it lives as long as the process).
    #[inline]
    pub fn get<B: Backend>(&self) -> Option<RawPtr> {
        let key = Self::key::<B>();
        self.slots
            .iter()
            .find(|slot| slot.backend.load(Ordering::Acquire) == key)
            .and_then(|slot| NonNull::new(slot.object.load(Ordering::Acquire)))
    }

    /// The type object for `B`, made with `make` on first use. `make` may run Python code,
    /// which may let another thread in to make it too: the first one published wins and the
    /// other is released.
    #[cold]
    pub fn get_or_try_init<'py, B: Backend>(
        &self,
        py: Python<'py, B>,
        make: impl FnOnce(Python<'py, B>) -> PyResult<Bound<'py, PyAny, B>, B>,
    ) -> PyResult<RawPtr, B> {
        if let Some(object) = self.get::<B>() {
            return Ok(object);
        }
        let made = make(py)?;
        let slot = self.claim::<B>();
        match slot.object.compare_exchange(
            ptr::null_mut(),
            made.as_ptr().as_ptr(),
            Ordering::AcqRel,
            Ordering::Acquire,
        ) {
            Ok(_) => Ok(made.into_ptr()),
            Err(first) => Ok(NonNull::new(first).expect("a published type object is not null")),
        }
    }

    /// This backend's slot, claiming a free one the first time.
    fn claim<B: Backend>(&self) -> &Slot {
        let key = Self::key::<B>();
        for slot in &self.slots {
            match slot
                .backend
                .compare_exchange(0, key, Ordering::AcqRel, Ordering::Acquire)
            {
                Ok(_) => return slot,
                Err(owner) if owner == key => return slot,
                Err(_) => continue,
            }
        }
        panic!("anypy: one class made for more than {BACKENDS} backends in one process")
    }
}
