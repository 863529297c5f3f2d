//! Per-backend process state and the macro that gives a backend its singletons.

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
        fn gil_count() -> &'static ::std::thread::LocalKey<::std::cell::Cell<usize>> {
            ::std::thread_local! {
                static GIL_COUNT: ::std::cell::Cell<usize> = const { ::std::cell::Cell::new(0) };
            }
            &GIL_COUNT
        }
    };
}
