//! The panic messages of misuse detection. Each starts with its category, verbatim:
//! `use after free`, `refcount underflow`, `without the GIL`, `invalid object pointer`,
//! `misuse`; and names the operation, its call site and the object involved.

use std::fmt;
use std::panic::Location;

use anypy::RawPtr;

use crate::class::Class;
use crate::handle::Handle;
use crate::heap::{self, Heap, Stale};

/// Panics for an access through `handle`, which names no live object.
#[cold]
pub(crate) fn stale_access(heap: &Heap, handle: Handle, stale: &Stale<'_>) -> ! {
    match stale {
        Stale::Invalid => panic!(
            "invalid object pointer {:#x} passed to `{}` at {}: the mock never produced it",
            handle.bits(),
            heap.op,
            heap.site
        ),
        Stale::Freed(_) | Stale::Reused => panic!(
            "use after free: `{}` at {} on {}",
            heap.op,
            heap.site,
            heap.describe(handle)
        ),
    }
}

/// The message for a release of `handle`, which the mock never produced.
#[cold]
pub(crate) fn invalid_release(heap: &Heap, handle: Handle) -> String {
    format!(
        "invalid object pointer {:#x} released by `{}` at {}: the mock never produced it",
        handle.bits(),
        heap.op,
        heap.site
    )
}

/// The message for a release of `handle`, whose count already reached zero (it was freed, or
/// is being freed); `holder` is the container whose freeing released it, if any.
#[cold]
pub(crate) fn double_release(heap: &Heap, handle: Handle, holder: Option<(u64, Class)>) -> String {
    let by = match holder {
        Some((id, class)) => {
            format!(
                " (a reference held by {} #{id}, released as it was freed)",
                class.name()
            )
        }
        None => String::new(),
    };
    format!(
        "refcount underflow: `{}` at {} released {}{by}: its count had already reached zero \
         (double release, or a borrowed reference released as if owned)",
        heap.op,
        heap.site,
        heap.describe(handle)
    )
}

/// The message for a release that would bring a singleton to zero.
#[cold]
pub(crate) fn immortal_underflow(heap: &Heap, handle: Handle) -> String {
    format!(
        "refcount underflow: `{}` at {} would drop {} to zero references",
        heap.op,
        heap.site,
        heap.describe(handle)
    )
}

/// Panics for a broken precondition of the operation running.
#[cold]
pub(crate) fn misuse(heap: &Heap, what: fmt::Arguments<'_>) -> ! {
    panic!("misuse: `{}` at {}: {what}", heap.op, heap.site)
}

/// Panics for `op` called by a thread that does not hold the mock GIL.
#[cold]
pub(crate) fn without_gil(
    op: &'static str,
    site: &'static Location<'static>,
    objects: &[RawPtr],
) -> ! {
    let handles: Vec<Handle> = objects.iter().map(|ptr| Handle::from_raw(*ptr)).collect();
    let on = heap::with_heap(op, site, |heap| {
        handles
            .iter()
            .map(|handle| format!(" on {}", heap.describe(*handle)))
            .collect::<String>()
    });
    let thread = std::thread::current();
    panic!(
        "without the GIL: `{op}` at {site}{on}, called by thread {} which does not hold the \
         mock GIL (take it with `gil_ensure` or `Python::with_gil`)",
        thread
            .name()
            .map_or_else(|| format!("{:?}", thread.id()), |name| format!("'{name}'"))
    )
}
