//! The cycle collector behind `Python::collect_garbage`, with CPython's algorithm: count the
//! references each object gets from other candidates, what has more references than that is
//! held from outside, everything such an object reaches is alive, and the rest is garbage.

use std::collections::{HashMap, HashSet};

use crate::handle::Handle;
use crate::heap::Heap;

impl Heap {
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
            self.kind(handle).for_each_reference(|target| {
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
            self.kind(handle).for_each_reference(|target| {
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
        for &handle in &garbage {
            let references = self.kind_mut(handle).clear_references();
            self.release_all(references);
        }
        self.release_all(garbage.iter().copied());
        garbage.len()
    }
}
