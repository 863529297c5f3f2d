//! Object pointers as the mock hands them out: a slot index and a generation packed into an
//! address that is never dereferenced, so a stale or foreign pointer is always recognised.

use std::num::NonZeroU64;
use std::ptr::NonNull;

use anypy::{RawObject, RawPtr};

#[cfg(not(target_pointer_width = "64"))]
compile_error!("anypy-mock packs a slot and a generation into a pointer and needs a 64-bit target");

/// A decoded object pointer: `slot + 1` in the low 32 bits, the slot's generation in the high
/// 32 bits. Copyable and `Send`, unlike [`RawPtr`], so the heap can store it.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub(crate) struct Handle(NonZeroU64);

impl Handle {
    /// The handle of `slot` at `generation`.
    pub(crate) const fn new(slot: usize, generation: u32) -> Handle {
        let bits = ((generation as u64) << 32) | (slot as u64 + 1);
        match NonZeroU64::new(bits) {
            Some(bits) => Handle(bits),
            None => panic!("a handle's low half is never zero"),
        }
    }

    /// Decodes a pointer (any pointer: validity is checked against the heap later).
    pub(crate) fn from_raw(ptr: RawPtr) -> Handle {
        Handle(NonZeroU64::new(ptr.as_ptr() as usize as u64).expect("NonNull is never zero"))
    }

    /// The pointer handed to the API layer.
    pub(crate) fn raw(self) -> RawPtr {
        NonNull::new(self.0.get() as usize as *mut RawObject).expect("handles are never zero")
    }

    /// The slot index, `None` for a pointer the mock cannot have produced.
    pub(crate) fn slot(self) -> Option<usize> {
        (self.0.get() as u32)
            .checked_sub(1)
            .map(|slot| slot as usize)
    }

    /// The generation the slot had when this handle was made.
    pub(crate) fn generation(self) -> u32 {
        (self.0.get() >> 32) as u32
    }

    /// The raw bits, for messages and identity hashes.
    pub(crate) fn bits(self) -> u64 {
        self.0.get()
    }
}
