//! The mock GIL: one lock for the whole process, re-entrant per thread. The hold depth lives
//! in a thread-local, so "does this thread hold it?" is a plain load, and a thread that exits
//! while holding it gives it back.

use std::cell::Cell;
use std::ffi::c_void;
use std::panic::Location;
use std::sync::{Condvar, Mutex, PoisonError};

use anypy::{RawGilState, RawPtr, RawThreadState};

use crate::detect;

/// Whether some thread holds the GIL, and the condition threads wait on to take it.
struct Lock {
    held: Mutex<bool>,
    released: Condvar,
}

static LOCK: Lock = Lock {
    held: Mutex::new(false),
    released: Condvar::new(),
};

/// This thread's hold depth; releases the GIL if the thread ends while holding it.
struct Hold {
    depth: Cell<usize>,
}

impl Drop for Hold {
    fn drop(&mut self) {
        if self.depth.get() > 0 {
            unlock();
        }
    }
}

thread_local! {
    static HOLD: Hold = const { Hold { depth: Cell::new(0) } };
}

fn depth() -> usize {
    HOLD.try_with(|hold| hold.depth.get()).unwrap_or(0)
}

fn set_depth(depth: usize) {
    // During thread teardown the hold is gone and there is nothing left to record.
    let _ = HOLD.try_with(|hold| hold.depth.set(depth));
}

fn lock() {
    let mut held = LOCK.held.lock().unwrap_or_else(PoisonError::into_inner);
    while *held {
        held = LOCK
            .released
            .wait(held)
            .unwrap_or_else(PoisonError::into_inner);
    }
    *held = true;
}

fn unlock() {
    *LOCK.held.lock().unwrap_or_else(PoisonError::into_inner) = false;
    LOCK.released.notify_one();
}

/// Whether this thread holds the GIL.
pub(crate) fn held() -> bool {
    depth() > 0
}

/// Panics with `without the GIL` unless this thread holds it.
pub(crate) fn require(op: &'static str, site: &'static Location<'static>, objects: &[RawPtr]) {
    if !held() {
        detect::without_gil(op, site, objects);
    }
}

/// `PyGILState_Ensure`: `1` if already held (one level deeper), `0` after taking it.
pub(crate) fn ensure() -> RawGilState {
    match depth() {
        0 => {
            lock();
            set_depth(1);
            RawGilState(0)
        }
        depth => {
            set_depth(depth + 1);
            RawGilState(1)
        }
    }
}

/// `PyGILState_Release`: undoes one [`ensure`].
pub(crate) fn release(state: RawGilState, site: &'static Location<'static>) {
    match (state.0, depth()) {
        (_, 0) => panic!(
            "without the GIL: `gil_release` at {site} by a thread that does not hold the mock GIL"
        ),
        (0, 1) => {
            set_depth(0);
            unlock();
        }
        (1, depth) if depth > 1 => set_depth(depth - 1),
        (state, depth) => panic!(
            "misuse: `gil_release` at {site}: state {state} does not match this thread's GIL \
             nesting (depth {depth}); release in the reverse order of `gil_ensure`"
        ),
    }
}

/// `PyEval_SaveThread`: releases the GIL completely, remembering the depth.
pub(crate) fn save(site: &'static Location<'static>) -> RawThreadState {
    let depth = depth();
    assert!(
        depth > 0,
        "without the GIL: `save_thread` at {site} by a thread that does not hold the mock GIL"
    );
    set_depth(0);
    unlock();
    RawThreadState(depth as *mut c_void)
}

/// `PyEval_RestoreThread`: takes the GIL back at the saved depth.
pub(crate) fn restore(state: RawThreadState, site: &'static Location<'static>) {
    assert!(
        !held(),
        "misuse: `restore_thread` at {site} by a thread that already holds the mock GIL"
    );
    let depth = state.0 as usize;
    assert!(
        depth > 0,
        "misuse: `restore_thread` at {site} with a state not from `save_thread`"
    );
    lock();
    set_depth(depth);
}
