//! The deferred-release queue: where a `Py` dropped on a thread without the GIL waits until
//! some thread next takes the GIL. Pushes go to one of several shards chosen per thread, so
//! threads do not serialize on one lock; an atomic flag makes "nothing to drain" one load.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;

use crate::backend::RawPtr;

/// How many independent shards pushes are spread over.
const SHARDS: usize = 16;

/// A pointer parked in the queue, waiting for its decref.
#[derive(Clone, Copy)]
struct Parked(RawPtr);

// SAFETY: a parked pointer is only dereferenced (decref'd) by the thread that drains the queue,
// and that thread holds the GIL; moving the address between threads touches nothing.
unsafe impl Send for Parked {}

/// One shard, alone on its cache line so that shards used by different threads do not contend.
#[repr(align(128))]
struct Shard(Mutex<Vec<Parked>>);

/// A process-wide, thread-safe queue of references to release once the GIL is held.
pub struct ReleaseQueue {
    dirty: AtomicBool,
    shards: [Shard; SHARDS],
}

/// Hands each thread its shard, round robin, on first use.
fn shard_of_this_thread() -> usize {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    thread_local! {
        static MINE: usize = NEXT.fetch_add(1, Ordering::Relaxed) % SHARDS;
    }
    MINE.with(|shard| *shard)
}

impl ReleaseQueue {
    /// An empty queue (usable in a `static`).
    pub const fn new() -> Self {
        ReleaseQueue {
            dirty: AtomicBool::new(false),
            shards: [const { Shard(Mutex::new(Vec::new())) }; SHARDS],
        }
    }

    /// Parks one owned reference; called without the GIL.
    pub fn push(&self, obj: RawPtr) {
        let shard = &self.shards[shard_of_this_thread()].0;
        shard
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .push(Parked(obj));
        // Release: a drainer that sees the flag also sees the push made before it.
        self.dirty.store(true, Ordering::Release);
    }

    /// Whether anything may be waiting: one atomic load.
    #[inline]
    pub fn is_dirty(&self) -> bool {
        self.dirty.load(Ordering::Acquire)
    }

    /// Takes every parked pointer and passes each to `release`, outside any lock (a release can
    /// run code that drops another handle, which may push again).
    pub fn drain(&self, mut release: impl FnMut(RawPtr)) {
        while self.dirty.swap(false, Ordering::Acquire) {
            for shard in &self.shards {
                let batch = std::mem::take(
                    &mut *shard
                        .0
                        .lock()
                        .unwrap_or_else(|poisoned| poisoned.into_inner()),
                );
                batch.into_iter().for_each(|parked| release(parked.0));
            }
        }
    }

    /// How many releases are waiting.
    pub fn pending(&self) -> usize {
        self.shards
            .iter()
            .map(|shard| {
                shard
                    .0
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner())
                    .len()
            })
            .sum()
    }
}

impl Default for ReleaseQueue {
    fn default() -> Self {
        Self::new()
    }
}
