//! Taking and giving back the GIL: the per-thread counter, the guards that keep it balanced
//! even on panic, and draining the release queue on acquisition.

use std::cell::Cell;
use std::marker::PhantomData;

use crate::backend::{Backend, BackendError, RawGilState, RawPtr, RawThreadState};

/// Whether this thread holds `B`'s GIL through anypy: one thread-local load.
#[inline]
pub(crate) fn gil_is_held<B: Backend>() -> bool {
    B::gil_count().with(|count| count.get() > 0)
}

/// This thread's GIL counter for `B`, looked up once for a guard's entry and exit: a
/// thread-local lookup can cost a call (always `__tls_get_addr` in an extension module, and in
/// a binary whenever the optimizer does not inline the accessor), so guards keep the address.
/// The address stays valid while the thread lives; guards are `!Send`.
#[inline]
fn gil_count_cell<B: Backend>() -> *const Cell<usize> {
    B::gil_count().with(|count| count.cell() as *const Cell<usize>)
}

/// Releases everything queued for `B`, or forgets it if the interpreter is finalized.
#[inline]
pub(crate) fn drain_release_queue<B: Backend>() {
    if B::state().release_queue.is_dirty() {
        drain_release_queue_slow::<B>();
    }
}

#[cold]
#[inline(never)]
fn drain_release_queue_slow<B: Backend>() {
    let state = B::state();
    if state.is_finalized() {
        state.release_queue.drain(|_forgotten| {});
    } else {
        // SAFETY: the caller holds the GIL and every queued pointer is an owned reference
        // whose `Py` gave it up to the queue.
        state.release_queue.drain(|obj| unsafe { B::decref(obj) });
    }
}

/// Hands an owned reference to the queue because this thread does not hold the GIL (or forgets
/// it: after finalization there is nothing left to release it to).
///
/// # Safety
/// `obj` is an owned reference to a live object of `B`, which the caller gives up.
#[cold]
#[inline(never)]
pub(crate) unsafe fn defer_release<B: Backend>(obj: RawPtr) {
    let state = B::state();
    if !state.is_finalized() {
        // SAFETY: the caller gives up an owned reference to a live object of `B`.
        unsafe { state.release_queue.push(obj) };
    }
}

/// Holds `B`'s GIL for a scope: acquired from the backend if this thread did not hold it yet,
/// otherwise only counted (re-entrant, no C call).
pub(crate) struct GilGuard<B: Backend> {
    acquired: Option<RawGilState>,
    count: *const Cell<usize>,
    _not_send: PhantomData<(*mut (), B)>,
}

impl<B: Backend> GilGuard<B> {
    /// Takes the GIL (initializing the interpreter on first use) and drains the queue.
    pub(crate) fn acquire() -> Result<Self, BackendError> {
        let count = gil_count_cell::<B>();
        // SAFETY: this thread's counter, alive while the thread is.
        let held = unsafe { (*count).get() };
        if held > 0 {
            // SAFETY: as above.
            unsafe { (*count).set(held + 1) };
            return Ok(GilGuard {
                acquired: None,
                count,
                _not_send: PhantomData,
            });
        }
        B::initialize()?;
        // SAFETY: `initialize` succeeded; the state is handed back in `drop` on this thread.
        let state = unsafe { B::gil_ensure() };
        // SAFETY: this thread's counter, alive while the thread is.
        unsafe { (*count).set(1) };
        let guard = GilGuard {
            acquired: Some(state),
            count,
            _not_send: PhantomData,
        };
        drain_release_queue::<B>();
        Ok(guard)
    }
}

impl<B: Backend> Drop for GilGuard<B> {
    fn drop(&mut self) {
        // SAFETY: the counter of this thread (the guard is `!Send`), alive while it is.
        unsafe { (*self.count).set((*self.count).get() - 1) };
        if let Some(state) = self.acquired {
            // SAFETY: `state` came from `gil_ensure` on this thread in `acquire`.
            unsafe { B::gil_release(state) };
        }
    }
}

/// Counts the GIL as held for a call that arrives from the interpreter with the GIL already
/// taken (a native function called from Python). Only the outermost holder counts and drains the
/// queue, as `GilGuard` does; inside an anypy scope (a native function called from Python called
/// from Rust) the count already says "held" and stays as it is, so the call writes nothing.
pub(crate) struct GilCountGuard<B: Backend> {
    /// This thread's counter if this call set it (from 0 to 1), to reset on exit; null if not.
    outermost: *const Cell<usize>,
    _not_send: PhantomData<(*mut (), B)>,
}

impl<B: Backend> GilCountGuard<B> {
    /// # Safety
    /// The calling thread holds `B`'s GIL.
    #[inline]
    pub(crate) unsafe fn enter() -> Self {
        let count = gil_count_cell::<B>();
        // SAFETY: this thread's counter, alive while the thread is.
        let outermost = unsafe { (*count).get() } == 0;
        if outermost {
            // SAFETY: as above.
            unsafe { (*count).set(1) };
            drain_release_queue::<B>();
        }
        GilCountGuard {
            outermost: if outermost { count } else { std::ptr::null() },
            _not_send: PhantomData,
        }
    }
}

impl<B: Backend> Drop for GilCountGuard<B> {
    #[inline]
    fn drop(&mut self) {
        if !self.outermost.is_null() {
            // SAFETY: the counter of this thread (the guard is `!Send`), alive while it is;
            // every scope opened inside has closed, so it is back at 1.
            unsafe { (*self.outermost).set(0) };
        }
    }
}

/// Gives the GIL up for a scope (`allow_threads`) and takes it back on exit, even on panic.
pub(crate) struct SuspendGil<B: Backend> {
    count: *const Cell<usize>,
    held: usize,
    thread_state: RawThreadState,
    _not_send: PhantomData<(*mut (), B)>,
}

impl<B: Backend> SuspendGil<B> {
    /// # Safety
    /// The calling thread holds `B`'s GIL.
    pub(crate) unsafe fn new() -> Self {
        let count = gil_count_cell::<B>();
        // SAFETY: this thread's counter, alive while the thread is.
        let held = unsafe { (*count).replace(0) };
        // SAFETY: the caller holds the GIL; the state goes back in `drop` on this thread.
        let thread_state = unsafe { B::save_thread() };
        SuspendGil {
            count,
            held,
            thread_state,
            _not_send: PhantomData,
        }
    }
}

impl<B: Backend> Drop for SuspendGil<B> {
    fn drop(&mut self) {
        // SAFETY: `thread_state` came from `save_thread` on this thread in `new`.
        unsafe { B::restore_thread(self.thread_state) };
        // SAFETY: the counter of this thread (the guard is `!Send`), alive while it is.
        unsafe { (*self.count).set(self.held) };
        drain_release_queue::<B>();
    }
}
