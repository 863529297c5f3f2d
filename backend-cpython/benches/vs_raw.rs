//! anypy on CPython 3.11 against the raw C-API doing the same work, in one process: the eight
//! cases of `anypy-bench-vs-raw`, with the C-API linked. `cargo bench` runs them as criterion
//! groups; `ANYPY_BENCH=paired` (what `scripts/bench-cpython` sets) measures them in
//! interleaved pairs and prints the ratio table.

use std::ffi::{c_char, CStr};
use std::time::Duration;

use anypy_bench_vs_raw::Interpreter;
use anypy_capi::{CApiStatics, PyObject};
use anypy_cpython::CPythonApi;

extern "C" {
    /// Not in anypy's list (anypy never sets an error from a C string).
    fn PyErr_SetString(ty: *mut PyObject, message: *const c_char);
}

/// CPython, linked.
enum CPython {}

impl Interpreter for CPython {
    type Api = CPythonApi;
    const PREFIX: &'static str = "cpython";
    const CRITERION_TIMES: (Duration, Duration) =
        (Duration::from_millis(300), Duration::from_secs(1));
    const PAIRED_SECONDS: f64 = 2.0;

    unsafe fn raise_type_error(message: &CStr) {
        // SAFETY: GIL held (caller); both pointers are valid for the call.
        unsafe { PyErr_SetString(CPythonApi::PyExc_TypeError(), message.as_ptr()) }
    }
}

fn main() {
    anypy_bench_vs_raw::main::<CPython>();
}
