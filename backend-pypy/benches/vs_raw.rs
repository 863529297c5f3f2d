//! anypy on PyPy 7.3 (cpyext) against raw C-API calls doing the same work, in one process: the
//! eight cases of `anypy-bench-vs-raw`. `raw` calls cpyext through the *same* function table
//! anypy-pypy loaded. `cargo bench` runs the cases as criterion groups; `ANYPY_BENCH=paired`
//! (what `scripts/bench-pypy` sets) measures them in interleaved pairs and prints the table.
//!
//! anypy's automatic release of PyPy's pending deallocations (`anypy_pypy::memory`) is a policy
//! cost paid once per 10 000 releases, not a per-call one, so it is **disabled** for the whole
//! run (`set_release_interval(0)`): what anypy's decref still pays per call is the counter it
//! keeps. Both sides leave the C sides of their temporaries to PyPy, which the harness frees
//! with `Python::collect_garbage` outside the timing.

use std::ffi::{c_char, c_void, CStr};
use std::time::Duration;

use anypy_bench_vs_raw::Interpreter;
use anypy_capi::{CApiStatics, PyObject};
use anypy_pypy::{memory, startup, PyPyApi};

/// PyPy, loaded at run time.
enum PyPy {}

impl Interpreter for PyPy {
    type Api = PyPyApi;
    const PREFIX: &'static str = "pypy";
    // PyPy's calls take 0.3-1 µs and are noisy; 1 s + 2 s per side keeps criterion near 2 min.
    const CRITERION_TIMES: (Duration, Duration) = (Duration::from_secs(1), Duration::from_secs(2));
    const PAIRED_SECONDS: f64 = 3.0;

    fn prepare() {
        memory::set_release_interval(0);
    }

    unsafe fn raise_type_error(message: &CStr) {
        type SetString = unsafe extern "C" fn(*mut PyObject, *const c_char);
        let set_string = startup::runtime()
            .unwrap()
            .lookup("PyErr_SetString")
            .unwrap();
        // SAFETY: cpyext's export of `PyErr_SetString`, whose C prototype the type spells.
        let set_string = unsafe { std::mem::transmute::<*mut c_void, SetString>(set_string) };
        // SAFETY: GIL held (caller); both pointers are valid for the call.
        unsafe { set_string(PyPyApi::PyExc_TypeError(), message.as_ptr()) }
    }
}

fn main() {
    anypy_bench_vs_raw::main::<PyPy>();
}
