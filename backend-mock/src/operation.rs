//! Running one `Backend` operation of the mock: check that this thread holds the GIL (naming
//! the operation and its objects if not), then run it on the heap, turning an `Exc` into the
//! error indicator and the result into what the trait returns.

use std::panic::Location;

use anypy::{NewRef, RawPtr};

use crate::errors::Exc;
use crate::gil;
use crate::handle::Handle;
use crate::heap::{with_heap, Heap};

/// Runs operation `op` on the heap after checking this thread holds the GIL; `objects` are
/// named in the panic if it does not.
#[track_caller]
pub(crate) fn run<R>(op: &'static str, objects: &[RawPtr], f: impl FnOnce(&mut Heap) -> R) -> R {
    let site = Location::caller();
    gil::require(op, site, objects);
    with_heap(op, site, f)
}

/// Like [`run`] for an operation returning a value, or `on_error` with the error raised.
#[track_caller]
pub(crate) fn run_or<T>(
    op: &'static str,
    objects: &[RawPtr],
    on_error: T,
    f: impl FnOnce(&mut Heap) -> Result<T, Exc>,
) -> T {
    run(op, objects, |heap| match f(heap) {
        Ok(value) => value,
        Err(exc) => {
            heap.raise(exc);
            on_error
        }
    })
}

/// Like [`run_or`] for a new reference: `None` with the error raised.
#[track_caller]
pub(crate) fn run_new(
    op: &'static str,
    objects: &[RawPtr],
    f: impl FnOnce(&mut Heap) -> Result<Handle, Exc>,
) -> NewRef {
    run_or(op, objects, None, |heap| {
        f(heap).map(|handle| Some(handle.raw()))
    })
}

/// Like [`run_or`] for a C status: `0` on success, `-1` with the error raised.
#[track_caller]
pub(crate) fn run_status(
    op: &'static str,
    objects: &[RawPtr],
    f: impl FnOnce(&mut Heap) -> Result<(), Exc>,
) -> i32 {
    run_or(op, objects, -1, |heap| f(heap).map(|()| 0))
}

/// A release made by a destructor while the thread unwinds from an earlier panic (often the
/// mock's own report of a misuse): a second detection here would escape a destructor during
/// unwinding and abort the whole test binary, so it is reported on stderr and skipped instead.
#[track_caller]
#[cold]
pub(crate) fn decref_while_unwinding(obj: RawPtr) {
    let site = Location::caller();
    let outcome = std::panic::catch_unwind(|| {
        gil::require("decref", site, &[obj]);
        with_heap("decref", site, |heap| heap.decref(h(obj)))
    });
    if outcome.is_err() {
        eprintln!("anypy-mock: the misuse above was found while unwinding from an earlier panic; that release was skipped");
    }
}

/// Decodes a pointer from the API layer.
pub(crate) fn h(ptr: RawPtr) -> Handle {
    Handle::from_raw(ptr)
}
