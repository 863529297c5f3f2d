//! A process-wide map from a Rust type to a value made once and kept forever: the type-object
//! cell of each class, the signature (name and arity, for messages) of each method.
//!
//! Every call of a class's method, constructor or property reads it (the class's type object to
//! check the receiver, the entry's signature), so a read takes no lock: an open-addressing
//! table of atomic pointers, indexed by the `TypeId`'s hash, which is a constant in each
//! caller (`TypeId::of::<T>()`), so a read is a load or two and a compare. Entries are never
//! removed; inserting takes a lock. Past `SLOTS` entries the rest go to a locked map.

use std::any::TypeId;
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::ptr;
use std::sync::atomic::{AtomicPtr, Ordering};
use std::sync::{Mutex, PoisonError};

/// Slots of a registry's lock-free table.
const DEFAULT_SLOTS: usize = 512;

/// An entry: the key and its value, leaked when inserted.
type Entry<V> = (TypeId, V);

/// Values keyed by `TypeId`, each leaked on first insertion and never removed.
pub(crate) struct Registry<V: 'static, const SLOTS: usize = DEFAULT_SLOTS> {
    slots: [AtomicPtr<Entry<V>>; SLOTS],
    /// Held while inserting; holds the entries that did not fit in `slots`.
    overflow: Mutex<BTreeMap<TypeId, &'static V>>,
}

/// The bits of a `TypeId`'s hash (it hashes as its own bits: nothing to compute).
#[derive(Default)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(byte);
        }
    }
    fn write_u64(&mut self, value: u64) {
        self.0 ^= value;
    }
    fn write_u128(&mut self, value: u128) {
        self.0 ^= value as u64 ^ (value >> 64) as u64;
    }
}

/// Where `id`'s probe sequence starts in a table of `slots`.
#[inline(always)]
fn home(id: TypeId, slots: usize) -> usize {
    let mut hasher = IdHasher::default();
    id.hash(&mut hasher);
    hasher.finish() as usize % slots
}

impl<V: Send + Sync + 'static, const SLOTS: usize> Registry<V, SLOTS> {
    /// An empty registry (for a `static`).
    pub(crate) const fn new() -> Self {
        Registry {
            slots: [const { AtomicPtr::new(ptr::null_mut()) }; SLOTS],
            overflow: Mutex::new(BTreeMap::new()),
        }
    }

    /// The value for `id`, if one was inserted. Inline: the home slot (where an entry sits
    /// unless its slot was taken); the probe goes on out of line.
    #[inline]
    pub(crate) fn get(&self, id: TypeId) -> Option<&'static V> {
        let entry = self.slots[home(id, SLOTS)].load(Ordering::Acquire);
        // SAFETY: a non-null slot points to a leaked entry, written before it was published
        // (release store in `insert_new`, acquire load here).
        match unsafe { entry.as_ref() } {
            Some((key, value)) if *key == id => Some(value),
            _ => self.probe(id),
        }
    }

    /// `get` past the home slot.
    #[cold]
    #[inline(never)]
    fn probe(&self, id: TypeId) -> Option<&'static V> {
        self.probe_slots(id, 1)
            .unwrap_or_else(|| self.overflow_get(id))
    }

    /// Looks for `id` in the slots from step `first` of its probe sequence: `Some` of the
    /// outcome when an empty slot or the entry ends the probe, `None` when every slot is taken
    /// by others (the entry, if any, is in the overflow map).
    fn probe_slots(&self, id: TypeId, first: usize) -> Option<Option<&'static V>> {
        let start = home(id, SLOTS);
        for step in first..SLOTS {
            let entry = self.slots[(start + step) % SLOTS].load(Ordering::Acquire);
            if entry.is_null() {
                return Some(None);
            }
            // SAFETY: as in `get`.
            let (key, value) = unsafe { &*entry };
            if *key == id {
                return Some(Some(value));
            }
        }
        None
    }

    /// The value for `id` in the overflow map (every slot is taken).
    #[cold]
    fn overflow_get(&self, id: TypeId) -> Option<&'static V> {
        let overflow = self.overflow.lock().unwrap_or_else(PoisonError::into_inner);
        overflow.get(&id).copied()
    }

    /// The value for `id`, made with `make` the first time.
    #[inline]
    pub(crate) fn get_or_insert_with(&self, id: TypeId, make: impl FnOnce() -> V) -> &'static V {
        match self.get(id) {
            Some(value) => value,
            None => self.insert_new(id, make),
        }
    }

    /// Inserts the value `make` gives for `id` unless another thread did first.
    #[cold]
    fn insert_new(&self, id: TypeId, make: impl FnOnce() -> V) -> &'static V {
        let mut overflow = self.overflow.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(value) = self.get_unlocked(id, &overflow) {
            return value;
        }
        let entry: &'static Entry<V> = Box::leak(Box::new((id, make())));
        let start = home(id, SLOTS);
        for probe in 0..SLOTS {
            let slot = &self.slots[(start + probe) % SLOTS];
            // Only inserters (holding the lock) write slots, so a null slot stays null here.
            if slot.load(Ordering::Acquire).is_null() {
                slot.store(ptr::from_ref(entry).cast_mut(), Ordering::Release);
                return &entry.1;
            }
        }
        overflow.insert(id, &entry.1);
        &entry.1
    }

    /// `get` for a caller holding the insertion lock.
    fn get_unlocked(
        &self,
        id: TypeId,
        overflow: &BTreeMap<TypeId, &'static V>,
    ) -> Option<&'static V> {
        self.probe_slots(id, 0)
            .unwrap_or_else(|| overflow.get(&id).copied())
    }

    /// Sets the value for `id` unless one is there.
    pub(crate) fn insert(&self, id: TypeId, value: V) {
        self.get_or_insert_with(id, || value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct A;
    struct B;

    #[test]
    fn values_are_kept_per_type() {
        static REGISTRY: Registry<u32> = Registry::new();
        assert_eq!(REGISTRY.get(TypeId::of::<A>()), None);
        assert_eq!(*REGISTRY.get_or_insert_with(TypeId::of::<A>(), || 1), 1);
        assert_eq!(*REGISTRY.get_or_insert_with(TypeId::of::<A>(), || 2), 1);
        REGISTRY.insert(TypeId::of::<B>(), 3);
        assert_eq!(REGISTRY.get(TypeId::of::<B>()), Some(&3));
        assert_eq!(REGISTRY.get(TypeId::of::<A>()), Some(&1));
    }

    #[test]
    fn entries_past_the_table_go_to_the_overflow_map() {
        static REGISTRY: Registry<usize, 4> = Registry::new();
        macro_rules! ids {
            ($($n:literal)*) => { [$(TypeId::of::<[u8; $n]>()),*] };
        }
        let ids = ids!(0 1 2 3 4 5 6 7 8 9);
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(*REGISTRY.get_or_insert_with(*id, || i), i);
        }
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(REGISTRY.get(*id), Some(&i));
            assert_eq!(*REGISTRY.get_or_insert_with(*id, || 99), i);
        }
        assert_eq!(REGISTRY.overflow.lock().unwrap().len(), ids.len() - 4);
    }
}
