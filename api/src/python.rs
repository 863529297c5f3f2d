//! `Python<'py, B>`: the zero-sized proof that this thread holds backend `B`'s GIL.

use std::marker::PhantomData;

use crate::backend::{Backend, BackendError};
use crate::err::{PyErr, PyResult};
use crate::gil::{GilGuard, SuspendGil};
use crate::instance::Bound;
use crate::types::{PyAny, PyModule, PyNone};

/// A GIL token for backend `B`: `Copy`, not `Send`, zero-sized. Holding one proves that this
/// thread holds the GIL for the lifetime `'py`; every object operation asks for one.
pub struct Python<'py, B: Backend> {
    _lifetime: PhantomData<&'py ()>,
    /// Makes the token `!Send` and `!Sync`: the GIL belongs to one thread.
    _not_send: PhantomData<*mut ()>,
    _backend: PhantomData<fn() -> B>,
}

impl<B: Backend> Clone for Python<'_, B> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<B: Backend> Copy for Python<'_, B> {}

impl<B: Backend> std::fmt::Debug for Python<'_, B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Python<{}>", B::NAME)
    }
}

impl<B: Backend> Python<'_, B> {
    /// Runs `f` holding the GIL: acquires it (starting the interpreter on first use) unless this
    /// thread already holds it, and first releases every `Py` dropped meanwhile without the GIL.
    ///
    /// # Panics
    /// If the backend cannot start (for example, its library is missing); the message says
    /// what was looked for and where. Use [`Python::try_with_gil`] to get that as an error.
    pub fn with_gil<F, R>(f: F) -> R
    where
        F: for<'py> FnOnce(Python<'py, B>) -> R,
    {
        match Self::try_with_gil(f) {
            Ok(value) => value,
            Err(error) => panic!("{error}"),
        }
    }

    /// Like [`Python::with_gil`], but a backend that cannot start is an error, not a panic.
    pub fn try_with_gil<F, R>(f: F) -> Result<R, BackendError>
    where
        F: for<'py> FnOnce(Python<'py, B>) -> R,
    {
        let _guard = GilGuard::<B>::acquire()?;
        // SAFETY: the guard holds the GIL until after `f` returns or unwinds.
        Ok(f(unsafe { Python::assume_gil_acquired() }))
    }

    /// References dropped without the GIL that wait for the next acquisition.
    pub fn pending_releases() -> usize {
        B::state().release_queue.pending()
    }
}

impl<'py, B: Backend> Python<'py, B> {
    /// A token without acquiring anything.
    ///
    /// # Safety
    /// This thread holds `B`'s GIL for `'py`, and anypy's per-thread count says so
    /// (inside `with_gil` or a native function).
    #[inline]
    pub unsafe fn assume_gil_acquired() -> Self {
        Python {
            _lifetime: PhantomData,
            _not_send: PhantomData,
            _backend: PhantomData,
        }
    }

    /// Releases the GIL while `f` runs, so other threads can use the interpreter meanwhile,
    /// and takes it back afterwards (also when `f` panics). Use it around long Rust
    /// computations and blocking I/O; `f` may call [`Python::with_gil`] to take the GIL again.
    ///
    /// # What `F: Send` guarantees, and what it does not
    ///
    /// `f` runs on this thread, but without the GIL, so it must not reach anything that is only
    /// usable with the GIL. Stable Rust has no auto trait for "holds no GIL-bound value", so
    /// anypy uses `Send` (for `f` and for its result) as that bound, like other bindings do:
    ///
    /// - **Rejected at compile time**: capturing or returning the token, a `Bound`, a `Borrowed`,
    ///   a reference to either (`Python` and `Bound` are neither `Send` nor `Sync`), or anything
    ///   holding one (iterators, a `ModuleBuilder`). A [`Py`](crate::Py) may be captured: it is
    ///   `Send` because everything it does needs a token, and dropped without the GIL it waits
    ///   in the release queue.
    /// - **Rejected by lifetimes**: reaching a `Bound` or token through a `thread_local!` or a
    ///   scoped thread-local. Those hold `'static` values, and no safe code obtains a
    ///   `Python<'static, B>` or `Bound<'static, ..>`: `with_gil` and native functions hand out
    ///   tokens whose lifetime ends with the call.
    /// - **Not rejected**: a wrapper that makes a `!Send` value `Send` by checking the thread at
    ///   run time (`send_wrapper`'s `SendWrapper`, `fragile`'s `Fragile`). Its check passes,
    ///   because `f` runs on the thread that made the value, and using the `Bound` inside `f` then
    ///   touches the interpreter without the GIL: undefined behaviour on CPython and PyPy. Such a
    ///   wrapper asserts, with its own `unsafe impl Send`, that "same thread" means "safe", which
    ///   does not hold here. Closing this needs a dedicated auto trait (nightly only) or a check
    ///   in every object operation; anypy does neither. The mock checks the GIL on every object
    ///   access, so such code panics there with `without the GIL`: run your tests on it.
    pub fn allow_threads<T, F>(self, f: F) -> T
    where
        F: Send + FnOnce() -> T,
        T: Send,
    {
        // SAFETY: the token proves this thread holds the GIL.
        let _suspended = unsafe { SuspendGil::<B>::new() };
        f()
    }

    /// Runs the interpreter's garbage collector and frees what it finds unreachable, now.
    ///
    /// Dropping the last reference frees an object at once on CPython and the mock (reference
    /// cycles aside), but on PyPy only once its GC has run and Python code has run after it. Call
    /// this where a test checks that something was freed, or where a long Rust loop on PyPy must
    /// return memory at a known point (anypy-pypy also releases memory by itself as a loop goes;
    /// see its `memory` module). It costs a full collection: milliseconds, growing with the
    /// number of live objects.
    pub fn collect_garbage(self) -> PyResult<(), B> {
        // SAFETY: the token proves this thread holds the GIL.
        match unsafe { B::collect_garbage() } {
            0 => Ok(()),
            _ => Err(PyErr::fetch(self)),
        }
    }

    /// `None`.
    pub fn none(self) -> Bound<'py, PyNone, B> {
        PyNone::get(self)
    }

    /// `NotImplemented`: what a binary operation returns for an operand type it does not take,
    /// so that Python tries the other operand's.
    pub fn not_implemented(self) -> Bound<'py, PyAny, B> {
        // SAFETY: the token proves the GIL; `NotImplemented` is a static object.
        unsafe { Bound::from_borrowed_ptr(self, B::not_implemented()) }
    }

    /// `import name`.
    pub fn import(self, name: &str) -> PyResult<Bound<'py, PyModule, B>, B> {
        PyModule::import(self, name)
    }

    /// Converts a Rust value into a Python object (shorthand for `value.into_pyobject(py)`).
    #[track_caller]
    pub fn to_object<T: crate::IntoPyObject<B>>(
        self,
        value: T,
    ) -> PyResult<Bound<'py, PyAny, B>, B> {
        value.into_pyobject(self)
    }
}
