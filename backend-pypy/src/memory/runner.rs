//! Running a little Python code so that PyPy performs its pending actions, cpyext's deallocation
//! of objects its GC found dead among them. PyPy checks for pending actions at backward jumps
//! (also in JIT-compiled code), so the code is a loop with one turn: a straight `pass` stops
//! doing the job once the JIT compiles it, after 1 619 runs.

use std::ffi::c_int;
use std::ptr;
use std::sync::atomic::{AtomicPtr, Ordering};

use anypy_capi::{layout::decref, CApiFunctions, PyObject};

use crate::table::table;
use crate::PyPyApi;

/// The code, compiled once (`Py_file_input`).
const SOURCE: &std::ffi::CStr = c"for _ in (0,):\n    pass\n";

/// The compiled code and the namespace it runs in, made once and kept for the process.
struct Runner {
    code: *mut PyObject,
    globals: *mut PyObject,
}

static RUNNER: AtomicPtr<Runner> = AtomicPtr::new(ptr::null_mut());

/// Runs the code: PyPy performs what it has pending. `0`, or `-1` with the error set.
///
/// # Safety
/// GIL held.
pub(super) unsafe fn run_pending() -> c_int {
    // SAFETY: GIL held (caller).
    let Some(runner) = (unsafe { runner() }) else {
        return -1;
    };
    // SAFETY: GIL held; `code` is a code object and `globals` a dict, both kept alive forever.
    let result = unsafe { (table().pypy.eval_code)(runner.code, runner.globals, runner.globals) };
    if result.is_null() {
        return -1;
    }
    // SAFETY: GIL held; we own the result (`None`).
    unsafe { decref::<PyPyApi>(result) };
    0
}

/// The runner, made on first use; `None` with the error set if it cannot be made.
///
/// # Safety
/// GIL held.
unsafe fn runner() -> Option<&'static Runner> {
    let existing = RUNNER.load(Ordering::Acquire);
    if !existing.is_null() {
        // SAFETY: published once below and never freed.
        return Some(unsafe { &*existing });
    }
    /// `Py_file_input` of `Include/compile.h`.
    const FILE_INPUT: c_int = 257;
    // SAFETY: GIL held; NUL-terminated strings; null flags are allowed.
    let code = unsafe {
        (table().pypy.compile_string)(
            SOURCE.as_ptr(),
            c"<anypy-pypy>".as_ptr(),
            FILE_INPUT,
            ptr::null_mut(),
        )
    };
    if code.is_null() {
        return None;
    }
    // SAFETY: GIL held.
    let globals = unsafe { PyPyApi::PyDict_New() };
    if globals.is_null() {
        // SAFETY: GIL held; we own `code`.
        unsafe { decref::<PyPyApi>(code) };
        return None;
    }
    let made = Box::into_raw(Box::new(Runner { code, globals }));
    match RUNNER.compare_exchange(ptr::null_mut(), made, Ordering::AcqRel, Ordering::Acquire) {
        // SAFETY: just published; never freed.
        Ok(_) => Some(unsafe { &*made }),
        Err(winner) => {
            // Another thread made one while this one compiled (PyPy may switch threads then).
            // SAFETY: `made` was never published, so it and its references are ours; `winner`
            // is published and never freed.
            unsafe {
                let made = Box::from_raw(made);
                decref::<PyPyApi>(made.code);
                decref::<PyPyApi>(made.globals);
                Some(&*winner)
            }
        }
    }
}
