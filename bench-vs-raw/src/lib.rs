//! The anypy-vs-raw benchmark, written once for every C backend.
//!
//! Eight cases ([`cases`]) each do the same work twice: `raw`, as a competent C extension author
//! writes it against the backend's C-API (the functions of [`CApi`], `Py_INCREF`/`Py_DECREF`
//! as the headers inline them, NULL checks), and `anypy`, through the public API on
//! [`CBackend`]. A backend's bench target (`backend-cpython/benches/vs_raw.rs`,
//! `backend-pypy/benches/vs_raw.rs`) only says what differs, in an [`Interpreter`], and calls
//! [`main`]. This is a crate of its own (not published) so both targets share one compiled,
//! linted copy.
//!
//! Two modes, chosen by the environment:
//! - default: criterion groups `<prefix>-<case>` with the functions `raw` and `anypy`, so
//!   `cargo bench` behaves as usual (filters, reports under `target/criterion`);
//! - `ANYPY_BENCH=paired`: the [`paired`] measurement, which alternates short batches of both
//!   sides and prints the ratio table; the process exits with status 1 if a case misses its
//!   target. `scripts/bench-cpython` and `scripts/bench-pypy` run this mode.

pub mod cases;
pub mod paired;

use std::ffi::CStr;
use std::time::Duration;

use anypy::Python;
use anypy_capi::{CApi, CBackend};
use criterion::{Criterion, Throughput};

/// What one backend's benchmark does differently; everything else is shared.
pub trait Interpreter: 'static {
    /// The C-API the backend is built on (`anypy_cpython::CPythonApi`, `anypy_pypy::PyPyApi`).
    type Api: CApi;
    /// Prefix of the criterion group names and of the table's title (`cpython`, `pypy`).
    const PREFIX: &'static str;
    /// Criterion's warm-up and measurement time per side.
    const CRITERION_TIMES: (Duration, Duration);
    /// Measurement time per case in paired mode (before `ANYPY_BENCH_SECONDS`).
    const PAIRED_SECONDS: f64;

    /// Runs once before the interpreter is started (e.g. to set a memory policy).
    fn prepare() {}

    /// `PyErr_SetString(PyExc_TypeError, message)`, as the raw native function of case 8 raises
    /// its arity error (anypy's C-API list lacks it: anypy never raises from a C string).
    ///
    /// # Safety
    /// GIL held.
    unsafe fn raise_type_error(message: &CStr);
}

/// The anypy backend of interpreter `I`.
pub type Backend<I> = CBackend<<I as Interpreter>::Api>;

/// Runs the benchmark of `I` in the mode the environment selects (see the crate docs).
pub fn main<I: Interpreter>() {
    I::prepare();
    let paired = std::env::var("ANYPY_BENCH").is_ok_and(|mode| mode == "paired");
    let passed = Python::<Backend<I>>::with_gil(|py| {
        settle(py);
        if paired {
            paired::run::<I>(py)
        } else {
            run_criterion::<I>(py);
            true
        }
    });
    if !passed {
        std::process::exit(1);
    }
}

/// Frees what earlier measurements left to the interpreter (outside any timing): PyPy frees the
/// C sides of released temporaries only when asked or when Python code runs.
fn settle<B: anypy::Backend>(py: Python<'_, B>) {
    py.collect_garbage().expect("gc.collect()");
}

/// Every case as a criterion group, `raw` then `anypy`.
fn run_criterion<I: Interpreter>(py: Python<'_, Backend<I>>) {
    let (warm_up, measurement) = I::CRITERION_TIMES;
    let mut criterion = Criterion::default()
        .warm_up_time(warm_up)
        .measurement_time(measurement)
        .configure_from_args();
    for spec in cases::all::<I>() {
        let mut case = (spec.make)(py);
        let mut group = criterion.benchmark_group(format!("{}-{}", I::PREFIX, spec.id));
        if spec.elements > 1 {
            group.throughput(Throughput::Elements(spec.elements));
        }
        group.bench_function("raw", |b| b.iter_custom(|iters| case.raw(iters)));
        group.bench_function("anypy", |b| b.iter_custom(|iters| case.anypy(iters)));
        group.finish();
        drop(case);
        settle(py);
    }
    criterion.final_summary();
}
