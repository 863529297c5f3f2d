//! The cycle collector behind `Python::collect_garbage`, with CPython's algorithm: count the
//! references each object gets from other candidates, what has more references than that is
//! held from outside, everything such an object reaches is alive, and the rest is garbage.
//! Instances of Rust classes take part through their class's traverse and clear.

use std::collections::{HashMap, HashSet};
use std::panic::Location;

use crate::handle::Handle;
use crate::heap::{with_heap, Heap};
use crate::instance::PayloadGc;
use crate::object::Kind;

/// Garbage whose instances are emptied once the heap lock is released: each is held (so none
/// is freed before all are emptied), cleared by its class, then let go of.
pub(crate) struct Garbage {
    clears: Vec<(*mut u8, PayloadGc)>,
    held: Vec<Handle>,
    site: &'static Location<'static>,
}

// SAFETY: the payload pointers are only used by `finish`, on the thread that collected, which
// holds the GIL; the instances are kept alive by `held` until then.
unsafe impl Send for Garbage {}

impl Garbage {
    /// Clears the instances (user code, which re-enters the mock), then releases the garbage.
    pub(crate) fn finish(self) {
        for (payload, gc) in &self.clears {
            // SAFETY: the instance is held alive; the GIL is held by this thread.
            unsafe { (gc.clear)(*payload) };
        }
        with_heap("collect_garbage", self.site, |heap| {
            heap.release_all(self.held)
        });
    }
}

impl Heap {
    /// Calls `visit` once per reference `handle` owns: its kind's, or what its class's
    /// traverse reports for an instance of a class the collector tracks.
    fn visit_references(&self, handle: Handle, mut visit: impl FnMut(Handle)) {
        match self.kind(handle) {
            Kind::Instance(instance) => {
                if let Some((payload, gc)) = instance.gc() {
                    // SAFETY: the instance is live and the GIL held (the collector's caller).
                    unsafe {
                        (gc.traverse)(payload, &mut |object| {
                            visit(Handle::from_raw(object));
                            0
                        })
                    };
                }
            }
            kind => kind.for_each_reference(visit),
        }
    }

    /// Finds the objects only reachable from each other and frees them; returns how many it
    /// found. Garbage is broken up as CPython's `delete_garbage` does it: each unreachable
    /// object is held, emptied (its references released through the normal path, so every
    /// misuse check still applies), then let go of, which frees it.
    pub(crate) fn collect_garbage(&mut self) -> usize {
        // gc_refs: the count, minus the references found inside the candidate set.
        let candidates: Vec<(Handle, isize)> = self
            .objects()
            .filter(|(_, object)| !object.immortal)
            .map(|(handle, object)| (handle, object.refcount))
            .collect();
        let mut gc_refs: HashMap<Handle, isize> = candidates.iter().copied().collect();
        let candidates: Vec<Handle> = candidates.into_iter().map(|(handle, _)| handle).collect();
        for &handle in &candidates {
            self.visit_references(handle, |target| {
                if let Some(refs) = gc_refs.get_mut(&target) {
                    *refs -= 1;
                }
            });
        }
        // Whatever keeps references from outside is alive, and so is everything it reaches.
        let mut alive: Vec<Handle> = candidates
            .iter()
            .copied()
            .filter(|handle| gc_refs[handle] > 0)
            .collect();
        let mut reachable: HashSet<Handle> = alive.iter().copied().collect();
        while let Some(handle) = alive.pop() {
            self.visit_references(handle, |target| {
                if gc_refs.contains_key(&target) && reachable.insert(target) {
                    alive.push(target);
                }
            });
        }
        let garbage: Vec<Handle> = candidates
            .into_iter()
            .filter(|handle| !reachable.contains(handle))
            .collect();
        for &handle in &garbage {
            self.incref(handle);
        }
        let mut clears = Vec::new();
        for &handle in &garbage {
            if let Kind::Instance(instance) = self.kind(handle) {
                clears.extend(instance.gc());
            }
            let references = self.kind_mut(handle).clear_references();
            self.release_all(references);
        }
        let found = garbage.len();
        if clears.is_empty() {
            self.release_all(garbage);
        } else {
            self.deferred.collected = Some(Garbage {
                clears,
                held: garbage,
                site: self.site,
            });
        }
        found
    }
}
