//! The deferred-release queue: where a `Py` dropped on a thread without the GIL waits until
//! some thread next takes the GIL.
//!
//! Each thread pushes into a ring of its own (single producer; the GIL holder is the single
//! consumer), so a push is a few plain stores — no lock, no read-modify-write, no thread waits
//! for another. A full ring, or a thread being torn down, spills into a locked `Vec`. An atomic
//! flag makes the common "nothing to drain" check one load.

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use crate::backend::{RawObject, RawPtr};

/// Pointers one thread can park before it spills into the shared overflow.
const RING_CAPACITY: usize = 1024;

/// A pointer parked in the queue, waiting for its decref.
#[derive(Clone, Copy)]
struct Parked(RawPtr);

// SAFETY: a parked pointer is only released by the thread that drains the queue, which holds
// the GIL; moving the address between threads touches nothing.
unsafe impl Send for Parked {}

/// A single-producer, single-consumer ring: its owner thread pushes, the drainer pops.
struct Ring {
    /// Next slot the drainer reads; written only by the drainer.
    head: CacheLine<AtomicUsize>,
    /// Next slot the owner writes; written only by the owner.
    tail: CacheLine<AtomicUsize>,
    slots: [AtomicPtr<RawObject>; RING_CAPACITY],
}

/// Keeps a field alone on its cache line, so owner and drainer do not false-share.
#[repr(align(128))]
struct CacheLine<T>(T);

impl Ring {
    fn new() -> Self {
        Ring {
            head: CacheLine(AtomicUsize::new(0)),
            tail: CacheLine(AtomicUsize::new(0)),
            slots: [const { AtomicPtr::new(std::ptr::null_mut()) }; RING_CAPACITY],
        }
    }

    /// Owner side: parks `obj` unless the ring is full.
    #[inline]
    fn push(&self, obj: RawPtr) -> bool {
        let tail = self.tail.0.load(Ordering::Relaxed);
        if tail.wrapping_sub(self.head.0.load(Ordering::Acquire)) == RING_CAPACITY {
            return false;
        }
        self.slots[tail % RING_CAPACITY].store(obj.as_ptr(), Ordering::Relaxed);
        // Release: a drainer that reads this tail also reads the slot written above.
        self.tail.0.store(tail.wrapping_add(1), Ordering::Release);
        true
    }

    /// Drainer side: moves everything parked so far into `out`.
    fn take_into(&self, out: &mut Vec<Parked>) {
        let tail = self.tail.0.load(Ordering::Acquire);
        let head = self.head.0.load(Ordering::Relaxed);
        // A counted, mapped range: `extend` reserves once and writes without per-item checks.
        out.extend((0..tail.wrapping_sub(head)).map(|offset| {
            let slot = &self.slots[head.wrapping_add(offset) % RING_CAPACITY];
            // The owner stored a non-null pointer in every slot before publishing it.
            Parked(RawPtr::new(slot.load(Ordering::Relaxed)).expect("a parked pointer is non-null"))
        }));
        // Release: the owner may reuse the slots only after they were read.
        self.head.0.store(tail, Ordering::Release);
    }

    fn len(&self) -> usize {
        self.tail
            .0
            .load(Ordering::Acquire)
            .wrapping_sub(self.head.0.load(Ordering::Acquire))
    }
}

thread_local! {
    /// This thread's ring in each queue it has pushed to, keyed by the queue's address.
    static RINGS: RefCell<Vec<(usize, Arc<Ring>)>> = const { RefCell::new(Vec::new()) };
}

/// A process-wide, thread-safe queue of references to release once the GIL is held.
pub struct ReleaseQueue {
    dirty: AtomicBool,
    /// Every thread's ring; rings of exited threads stay until drained.
    rings: Mutex<Vec<Arc<Ring>>>,
    /// Pushes that found their ring full or their thread tearing down.
    overflow: Mutex<Vec<Parked>>,
    /// Serializes drains (there is one consumer per ring).
    draining: Mutex<()>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl ReleaseQueue {
    /// An empty queue (usable in a `static`).
    pub const fn new() -> Self {
        ReleaseQueue {
            dirty: AtomicBool::new(false),
            rings: Mutex::new(Vec::new()),
            overflow: Mutex::new(Vec::new()),
            draining: Mutex::new(()),
        }
    }

    /// Parks one owned reference; called without the GIL. Never blocks on another thread
    /// except when this thread's ring is full.
    ///
    /// # Safety
    /// Whoever drains the queue receives `obj`; a backend's own queue
    /// (`B::state().release_queue`) is drained into [`Backend::decref`](crate::Backend::decref)
    /// under the GIL, so `obj` must then be an owned reference to a live object of `B` that the
    /// caller gives up.
    pub unsafe fn push(&self, obj: RawPtr) {
        let key = self as *const Self as usize;
        let parked = RINGS
            .try_with(|rings| {
                let mut rings = rings.borrow_mut();
                match rings.iter().find(|(owner, _)| *owner == key) {
                    Some((_, ring)) => ring.push(obj),
                    None => self.new_ring(key, &mut rings).push(obj),
                }
            })
            .unwrap_or(false);
        if !parked {
            self.spill(obj);
        }
        // Release, after the push: a drainer that sees the flag also sees the pointer.
        self.dirty.store(true, Ordering::Release);
    }

    /// Gives this thread a ring in this queue. Out of line: a `Ring` is built on the stack
    /// (8 KiB), which would otherwise make every push set up (and probe) that frame.
    #[cold]
    #[inline(never)]
    fn new_ring<'r>(&self, key: usize, rings: &'r mut Vec<(usize, Arc<Ring>)>) -> &'r Ring {
        let ring = Arc::new(Ring::new());
        lock(&self.rings).push(ring.clone());
        rings.push((key, ring));
        &rings.last().expect("just pushed").1
    }

    /// Parks `obj` in the shared overflow (this thread's ring is full or being torn down).
    #[cold]
    #[inline(never)]
    fn spill(&self, obj: RawPtr) {
        lock(&self.overflow).push(Parked(obj));
    }

    /// Whether anything may be waiting: one atomic load.
    #[inline]
    pub fn is_dirty(&self) -> bool {
        self.dirty.load(Ordering::Acquire)
    }

    /// Takes every parked pointer and passes each to `release`, outside any lock (a release can
    /// run code that drops another handle, which may push again).
    pub fn drain(&self, mut release: impl FnMut(RawPtr)) {
        let mut batch = Vec::new();
        while self.dirty.swap(false, Ordering::AcqRel) {
            {
                let _single_consumer = lock(&self.draining);
                let mut rings = lock(&self.rings);
                rings.iter().for_each(|ring| ring.take_into(&mut batch));
                // Forget the rings of threads that have exited, once they are empty.
                rings.retain(|ring| Arc::strong_count(ring) > 1 || ring.len() > 0);
                drop(rings);
                batch.append(&mut lock(&self.overflow));
            }
            batch.drain(..).for_each(|parked| release(parked.0));
        }
    }

    /// How many releases are waiting.
    pub fn pending(&self) -> usize {
        lock(&self.rings)
            .iter()
            .map(|ring| ring.len())
            .sum::<usize>()
            + lock(&self.overflow).len()
    }
}

impl Default for ReleaseQueue {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// Parks the fake pointer number `n`.
    fn park(queue: &ReleaseQueue, n: usize) {
        let fake = RawPtr::new((n * 8) as *mut RawObject).unwrap();
        // SAFETY: a queue of these tests' own, whose drains only record the pointers.
        unsafe { queue.push(fake) };
    }

    fn drained(queue: &ReleaseQueue) -> Vec<usize> {
        let mut seen = Vec::new();
        queue.drain(|obj| seen.push(obj.as_ptr() as usize / 8));
        seen
    }

    #[test]
    fn an_empty_queue_is_clean() {
        let queue = ReleaseQueue::new();
        assert!(!queue.is_dirty());
        assert_eq!(queue.pending(), 0);
        assert!(drained(&queue).is_empty());
    }

    #[test]
    fn a_full_ring_spills_and_nothing_is_lost_or_doubled() {
        let queue = ReleaseQueue::new();
        let count = RING_CAPACITY * 3 + 7;
        (1..=count).for_each(|n| park(&queue, n));
        assert!(queue.is_dirty());
        assert_eq!(queue.pending(), count);
        let mut seen = drained(&queue);
        seen.sort_unstable();
        assert_eq!(seen, (1..=count).collect::<Vec<_>>());
        assert!(!queue.is_dirty());
        assert_eq!(queue.pending(), 0);
        // The ring is reusable after a drain.
        park(&queue, 1);
        assert_eq!(drained(&queue), vec![1]);
    }

    #[test]
    fn pushes_from_exited_threads_are_drained_and_their_rings_forgotten() {
        let queue = Arc::new(ReleaseQueue::new());
        let threads: Vec<_> = (0..4)
            .map(|t| {
                let queue = queue.clone();
                std::thread::spawn(move || (0..100).for_each(|n| park(&queue, 1 + t * 100 + n)))
            })
            .collect();
        threads
            .into_iter()
            .for_each(|thread| thread.join().unwrap());
        assert_eq!(queue.pending(), 400);
        let seen: HashSet<usize> = drained(&queue).into_iter().collect();
        assert_eq!(seen.len(), 400);
        assert!(
            lock(&queue.rings).is_empty(),
            "rings of exited threads are dropped once empty"
        );
    }

    #[test]
    fn a_release_may_push_again() {
        let queue = ReleaseQueue::new();
        park(&queue, 1);
        let mut seen = Vec::new();
        queue.drain(|obj| {
            let n = obj.as_ptr() as usize / 8;
            seen.push(n);
            if n < 3 {
                park(&queue, n + 1);
            }
        });
        assert_eq!(seen, vec![1, 2, 3]);
    }
}
