//! Per-backend process state and the macro that gives a backend its singletons.

use std::cell::Cell;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::release_queue::ReleaseQueue;

/// The state one backend keeps for the whole process.
pub struct BackendState {
    /// References dropped without the GIL, released at the next GIL acquisition.
    pub release_queue: ReleaseQueue,
    finalized: AtomicBool,
}

impl BackendState {
    /// Fresh state (usable in a `static`).
    pub const fn new() -> Self {
        BackendState {
            release_queue: ReleaseQueue::new(),
            finalized: AtomicBool::new(false),
        }
    }

    /// Records that the interpreter was finalized: queued releases are forgotten from now on,
    /// never applied to a dead interpreter.
    #[inline]
    pub fn mark_finalized(&self) {
        self.finalized.store(true, Ordering::Release);
    }

    /// Whether [`BackendState::mark_finalized`] was called.
    #[inline]
    pub fn is_finalized(&self) -> bool {
        self.finalized.load(Ordering::Acquire)
    }
}

impl Default for BackendState {
    fn default() -> Self {
        Self::new()
    }
}

/// One thread's count of how many times it holds one backend's GIL through anypy (0: not held),
/// reached through [`Backend::gil_count`](crate::Backend::gil_count). Anyone may read it; only
/// anypy's GIL guards change it, because a count that says "held" when it is not would let safe
/// code touch objects without the GIL.
#[derive(Debug)]
pub struct GilCount(Cell<usize>);

impl GilCount {
    /// Zero: not held (usable in a `thread_local!` with a `const` initializer).
    pub const fn new() -> Self {
        GilCount(Cell::new(0))
    }

    /// How many anypy scopes on this thread hold the GIL.
    #[inline]
    pub fn get(&self) -> usize {
        self.0.get()
    }

    /// The counter itself, for the GIL guards.
    #[inline]
    pub(crate) fn cell(&self) -> &Cell<usize> {
        &self.0
    }
}

impl Default for GilCount {
    fn default() -> Self {
        Self::new()
    }
}

/// Implements [`Backend::state`](crate::Backend::state) and
/// [`Backend::gil_count`](crate::Backend::gil_count) inside an `unsafe impl Backend for ...`
/// block, with a `static` state and a thread-local counter private to that backend.
#[macro_export]
macro_rules! backend_state {
    () => {
        #[inline]
        fn state() -> &'static $crate::BackendState {
            static STATE: $crate::BackendState = $crate::BackendState::new();
            &STATE
        }

        #[inline]
        fn gil_count() -> &'static ::std::thread::LocalKey<$crate::GilCount> {
            ::std::thread_local! {
                static GIL_COUNT: $crate::GilCount = const { $crate::GilCount::new() };
            }
            &GIL_COUNT
        }
    };
}
