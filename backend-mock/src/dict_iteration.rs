//! Which way dicts are iterated on the mock: by `dict_next` positions (CPython's way, the
//! default) or through Python's iterator protocol (PyPy's), chosen per thread so that a test can
//! run the same code both ways under the mock's checks.

use std::cell::Cell;
use std::marker::PhantomData;

thread_local! {
    static BY_PROTOCOL: Cell<bool> = const { Cell::new(false) };
}

/// Whether this thread iterates dicts through the iterator protocol now.
pub(crate) fn by_protocol() -> bool {
    BY_PROTOCOL.with(Cell::get)
}

/// Keeps this thread's dict iterations on the iterator protocol until dropped (from
/// [`Mock::iterate_dicts_by_protocol`](crate::Mock::iterate_dicts_by_protocol)).
#[must_use = "dict iterations go back to positions when the guard is dropped"]
pub struct DictIterationGuard {
    previous: bool,
    /// Bound to the thread whose setting it changed.
    _thread: PhantomData<*const ()>,
}

/// Sets this thread's way and returns the guard that restores the previous one.
pub(crate) fn set_by_protocol(by_protocol: bool) -> DictIterationGuard {
    let previous = BY_PROTOCOL.with(|cell| cell.replace(by_protocol));
    DictIterationGuard {
        previous,
        _thread: PhantomData,
    }
}

impl Drop for DictIterationGuard {
    fn drop(&mut self) {
        BY_PROTOCOL.with(|cell| cell.set(self.previous));
    }
}
