//! Keeping memory bounded on PyPy.
//!
//! An object that C code (anypy included) has held is freed by PyPy in two steps: its GC finds
//! the PyPy side unreachable, then — only when Python code next runs — cpyext deallocates the C
//! side. A Rust loop that only calls the C-API runs no Python code, so without help the C sides
//! of its temporaries pile up for as long as it runs (`gc.collect()` alone does not free them).
//!
//! **Automatic release (on by default).** Every [`release_interval`] references that anypy
//! leaves to the GC alone (a decref that brings `ob_refcnt` down to `REFCNT_FROM_PYPY`),
//! anypy-pypy runs a little precompiled Python, at which point PyPy performs what it has pending.
//! A run costs about half a microsecond, so at the default interval of 10 000 it is lost in the
//! noise of a 400–900 ns creation; it adds no collection of its own: PyPy's GC runs as it always
//! does, and what it found dead is freed soon after instead of never. Like any decref, the one
//! that triggers a run may run Python code (finalizers, other threads); the caller's error
//! indicator is kept. [`set_release_interval`]`(0)` turns it off.
//!
//! **On demand.** `Python::collect_garbage` runs `gc.collect()` and the pending deallocations
//! [`COLLECT_ROUNDS`] times, so that what is unreachable is freed before it returns: about
//! 10 ms with a small heap, growing with the live heap.
//!
//! Measured with `examples/memory_policy.rs` (release build, PyPy 7.3.11, 2M iterations; RSS
//! growth from the first iteration, then RSS in MiB after every 10%):
//!
//! | loop, release | default nursery (150 MiB: half this machine's L3) | `PYPY_GC_NURSERY=16M` |
//! |---|---|---|
//! | `PyDict::new` + drop, off | +260: 200 233 244 … 308 318, growing | +119: 81 92 103 … 167 177, growing |
//! | `PyDict::new` + drop, automatic | +167: 200 225 225 … 225 225, flat | +14: 73 73 … 73, flat |
//! | `PyDict::new` + drop, `collect_garbage` every 100k | +76: 135 … 135, flat | +19: 78 … 78, flat |
//! | native callback with a dict, off | +237: 142 224 243 … 288 296, growing | +89: 80 87 95 … 141 148, growing |
//! | native callback with a dict, automatic | +178: 142 225 236 … 237 237, flat | +16: 75 … 75, flat |
//! | native callback with a dict, `collect_garbage` every 100k | +47: 106 … 106, flat | +19: 78 … 78, flat |
//!
//! Without a release the loops keep growing by 40–55 bytes per iteration (the callback loop:
//! +543 MiB after 10M iterations); with the automatic release they level off once PyPy's
//! nursery has been touched (+178 MiB after 10M iterations, as after 2M). Intervals from 1 to
//! 100 000 level off the same way; `tests/memory.rs` asserts it.

mod runner;

use std::ffi::c_int;
use std::ptr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use anypy_capi::{gc_collect, CApiFunctions};

use crate::table::table;
use crate::PyPyApi;

use runner::run_pending;

/// The release interval anypy-pypy starts with: references left to the GC between two runs of
/// PyPy's pending deallocations.
pub const DEFAULT_RELEASE_INTERVAL: usize = 10_000;

/// Released references between two runs of pending deallocations; 0 means never.
static INTERVAL: AtomicUsize = AtomicUsize::new(DEFAULT_RELEASE_INTERVAL);
/// Releases left until the next run, counting down (the release that brings it to 0 runs): a
/// load, a decrement and a store per release, the decrement's flags deciding, where counting up
/// to the interval took twice as many instructions (callgrind, `benches/extension` case
/// `ints`). Only touched with the GIL held, which orders the accesses, or by
/// [`set_release_interval`] from any thread; relaxed atomics keep it a plain load and store.
static UNTIL_RUN: AtomicUsize = AtomicUsize::new(DEFAULT_RELEASE_INTERVAL);

/// The countdown for `interval`: never reaching 0 when the runs are off (`0`).
fn countdown(interval: usize) -> usize {
    if interval == 0 {
        usize::MAX
    } else {
        interval
    }
}

/// Starts counting a full interval again.
fn restart_countdown() {
    UNTIL_RUN.store(
        countdown(INTERVAL.load(Ordering::Relaxed)),
        Ordering::Relaxed,
    );
}

/// Sets how many references anypy leaves to PyPy's GC between two runs of PyPy's pending
/// deallocations; `0` turns the automatic runs off. Takes effect at once, process-wide (the
/// count restarts).
pub fn set_release_interval(interval: usize) {
    INTERVAL.store(interval, Ordering::Relaxed);
    restart_countdown();
}

/// The current release interval (see [`set_release_interval`]).
pub fn release_interval() -> usize {
    INTERVAL.load(Ordering::Relaxed)
}

/// Whether a run of pending deallocations (automatic, or `collect_garbage`'s) is under way. A
/// decref made meanwhile (by the run itself, or by a thread the run let in) only counts, so
/// runs never nest.
static RUNNING: AtomicBool = AtomicBool::new(false);

/// Marks a run as under way for its lifetime; `None` if one already is.
struct Running;

impl Running {
    fn start() -> Option<Running> {
        (!RUNNING.swap(true, Ordering::Relaxed)).then_some(Running)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        RUNNING.store(false, Ordering::Relaxed);
    }
}

/// Counts one reference left to the GC; runs the pending deallocations every interval.
///
/// # Safety
/// GIL held.
#[inline(always)]
pub(crate) unsafe fn released_to_gc() {
    let left = UNTIL_RUN.load(Ordering::Relaxed).wrapping_sub(1);
    UNTIL_RUN.store(left, Ordering::Relaxed);
    if left == 0 {
        // SAFETY: GIL held (caller).
        unsafe { release_now() };
    }
}

/// Runs PyPy's pending deallocations from inside a decref: the caller's error indicator is kept,
/// and an error of the run itself (a `KeyboardInterrupt` delivered there, say) is reported as
/// unraisable, as CPython does for an error in a finalizer.
///
/// # Safety
/// GIL held.
#[cold]
#[inline(never)]
unsafe fn release_now() {
    let Some(_running) = Running::start() else {
        // A run is under way (this release is one of its own): the next release tries again.
        UNTIL_RUN.store(1, Ordering::Relaxed);
        return;
    };
    restart_countdown();
    let (mut ty, mut value, mut traceback) = (ptr::null_mut(), ptr::null_mut(), ptr::null_mut());
    // SAFETY: GIL held (caller); the fetched exception is handed back by `Restore`.
    unsafe {
        PyPyApi::PyErr_Fetch(&mut ty, &mut value, &mut traceback);
        if run_pending() < 0 {
            (table().pypy.write_unraisable)(ptr::null_mut());
        }
        PyPyApi::PyErr_Restore(ty, value, traceback);
    }
}

/// Rounds of `gc.collect()` and pending deallocations in `Python::collect_garbage`. An object that a
/// collected object referred to from C (`ob_refcnt` above `REFCNT_FROM_PYPY`) only becomes
/// collectable once that one was deallocated, i.e. one round later: three rounds free a native
/// function, then the capsule holding its Rust closure, then what the closure held.
pub const COLLECT_ROUNDS: usize = 3;

/// `Backend::collect_garbage` on PyPy: [`COLLECT_ROUNDS`] times `gc.collect()` followed by the
/// pending deallocations it queued. `0`, or `-1` with the error set.
///
/// # Safety
/// GIL held.
pub(crate) unsafe fn collect_garbage() -> c_int {
    let _running = Running::start();
    restart_countdown();
    for _ in 0..COLLECT_ROUNDS {
        // SAFETY: GIL held (caller).
        if unsafe { gc_collect::<PyPyApi>() < 0 || run_pending() < 0 } {
            return -1;
        }
    }
    0
}
