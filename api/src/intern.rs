//! Interned names: `intern!(py, "name")` makes its `str` once per process and backend
//! (`PyUnicode_InternFromString`) and then hands out borrowed views of it, so a `getattr` or
//! `call_method` in a hot loop builds no `str` and touches no refcount per call.

use std::ptr::{self, NonNull};
use std::sync::atomic::{AtomicPtr, Ordering};

use crate::backend::{Backend, RawObject, RawPtr};
use crate::err::PyErr;
use crate::instance::Borrowed;
use crate::python::Python;
use crate::state::BackendState;
use crate::types::PyStr;

/// How many backends one [`Interned`] serves in a process (there are three).
const SLOTS: usize = 4;

/// One backend's copy: which backend (its state's address) and its interned `str`.
struct Slot {
    backend: AtomicPtr<BackendState>,
    object: AtomicPtr<RawObject>,
}

/// A name interned on first use, once per backend; made by [`intern!`](crate::intern).
/// The `str` is kept for the life of the process (as the interpreter keeps interned strings).
pub struct Interned {
    text: &'static str,
    slots: [Slot; SLOTS],
}

impl Interned {
    /// A name not yet interned (usable in a `static`).
    pub const fn new(text: &'static str) -> Interned {
        Interned {
            text,
            slots: [const {
                Slot {
                    backend: AtomicPtr::new(ptr::null_mut()),
                    object: AtomicPtr::new(ptr::null_mut()),
                }
            }; SLOTS],
        }
    }

    /// The interned `str` for backend `B`, made on the first call: two atomic loads after it.
    ///
    /// # Panics
    /// If the interpreter cannot make the `str` on the first call (out of memory, or a name
    /// with a NUL byte), or if more than four backends are used in one process.
    #[inline]
    pub fn get<'py, B: Backend>(
        &'static self,
        py: Python<'py, B>,
    ) -> Borrowed<'static, 'py, PyStr, B> {
        let key = ptr::from_ref(B::state()).cast_mut();
        for slot in &self.slots {
            let owner = slot.backend.load(Ordering::Acquire);
            if owner == key {
                if let Some(object) = NonNull::new(slot.object.load(Ordering::Acquire)) {
                    // SAFETY: the slot holds a reference that is never released, to a `str`.
                    return unsafe { Borrowed::from_ptr(py, object) };
                }
                return self.fill(py, slot);
            }
            if owner.is_null() {
                let claimed = slot.backend.compare_exchange(
                    ptr::null_mut(),
                    key,
                    Ordering::AcqRel,
                    Ordering::Acquire,
                );
                if claimed.is_ok() || claimed == Err(key) {
                    return self.fill(py, slot);
                }
            }
        }
        panic!(
            "intern!({:?}): more than {SLOTS} backends in one process",
            self.text
        )
    }

    /// Makes the `str` for a slot this backend owns; a thread that lost the race (the GIL was
    /// let go while the `str` was made) releases its copy and uses the winner's.
    #[cold]
    #[inline(never)]
    fn fill<'py, B: Backend>(
        &'static self,
        py: Python<'py, B>,
        slot: &Slot,
    ) -> Borrowed<'static, 'py, PyStr, B> {
        // SAFETY: the token proves the GIL.
        let Some(made) = (unsafe { B::str_intern(self.text) }) else {
            panic!("intern!({:?}) failed: {}", self.text, PyErr::fetch(py))
        };
        let object: RawPtr = match slot.object.compare_exchange(
            ptr::null_mut(),
            made.as_ptr(),
            Ordering::AcqRel,
            Ordering::Acquire,
        ) {
            Ok(_) => made,
            Err(existing) => {
                // SAFETY: GIL held; `made` is our own new reference, not stored anywhere.
                unsafe { B::decref(made) };
                // SAFETY: only non-null pointers are stored.
                unsafe { NonNull::new_unchecked(existing) }
            }
        };
        // SAFETY: the slot keeps its reference to this `str` for the life of the process.
        unsafe { Borrowed::from_ptr(py, object) }
    }
}

/// A `str` made once per process and backend, as a borrowed handle: `obj.getattr(intern!(py,
/// "name"))` builds no `str` per call. The text must be a constant.
///
/// ```
/// use anypy::{intern, Python};
/// use anypy::types::PyDict;
/// use anypy_mock::Mock;
///
/// Python::<Mock>::with_gil(|py| {
///     let dict = PyDict::new(py).unwrap();
///     for _ in 0..3 {
///         // The same object every time.
///         assert!(dict.call_method0(intern!(py, "keys")).is_ok());
///     }
/// });
/// ```
#[macro_export]
macro_rules! intern {
    ($py:expr, $text:expr) => {{
        static INTERNED: $crate::Interned = $crate::Interned::new($text);
        INTERNED.get($py)
    }};
}
