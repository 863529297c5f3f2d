//! Releasing the GIL: `sum_of_squares_nogil` runs its Rust loop inside `py.allow_threads`, so
//! other Python threads run meanwhile. `release_inside` and `release_inside_owned` show where a
//! `Py` dropped during a call is released: at the end of a call that does not count the GIL,
//! at once in one that does.

use std::hint::black_box;

use anypy::types::PyAny;
use anypy::{Backend, Bound, ModuleBuilder, Py, PyResult, Python};

pub(crate) fn register<B: Backend>(m: &ModuleBuilder<'_, B>) -> PyResult<(), B> {
    m.add_function(sum_of_squares_nogil::function())?;
    m.add_function(release_inside::function())?;
    m.add_function(release_inside_owned::function())?;
    Ok(())
}

anypy::function! {
    /// Return sum(i * i for i in range(n)) % 2**64, computed with the GIL released.
    fn sum_of_squares_nogil<B>(py: Python<'_, B>, n: u64) -> u64 {
        py.allow_threads(|| sum_of_squares(n))
    }
}

anypy::function! {
    /// Drop a new reference to obj, then enter Python::with_gil; return the releases waiting
    /// after each. The parameter is borrowed, so a call from Python leaves the GIL count alone
    /// and the reference waits in the release queue until with_gil (or the call's end).
    fn release_inside<'py, B>(obj: &Bound<'py, PyAny, B>) -> (usize, usize) {
        drop(obj.clone().unbind());
        let waiting = Python::<B>::pending_releases();
        Python::<B>::with_gil(|_| ());
        (waiting, Python::<B>::pending_releases())
    }
}

anypy::function! {
    /// As release_inside with obj owned (a Py): the call counts the GIL as held, so the
    /// dropped reference is released at once.
    fn release_inside_owned<B>(py: Python<'_, B>, obj: Py<PyAny, B>) -> (usize, usize) {
        drop(obj.clone_ref(py));
        let waiting = Python::<B>::pending_releases();
        Python::<B>::with_gil(|_| ());
        (waiting, Python::<B>::pending_releases())
    }
}

/// The work the GIL is released for, one step per `i`. `black_box` keeps it a loop: without
/// it, an optimized build computes the closed form and there is nothing to wait for.
fn sum_of_squares(n: u64) -> u64 {
    (0..n).fold(0, |sum: u64, i| {
        black_box(sum.wrapping_add(i.wrapping_mul(i)))
    })
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    use std::time::{Duration, Instant};

    use anypy::Python;
    use anypy_mock::Mock;

    use crate::testing::{call, call_as, with_demo};

    #[test]
    fn sums_squares_modulo_two_to_the_64() {
        with_demo(|_py, m| {
            let sum = |n: u64| call_as::<u64>(m, "sum_of_squares_nogil", (n,));
            assert_eq!(sum(0), 0);
            assert_eq!(sum(4), 14);
            let exact: u128 = (0..3_000_000u128).map(|i| i * i).sum();
            assert_eq!(
                sum(3_000_000),
                exact as u64,
                "wraps as Python's % 2**64 does"
            );
        });
    }

    /// Called from Rust, inside `with_gil`, both count as holding the GIL: nothing waits.
    #[test]
    fn references_dropped_inside_a_call_from_rust_are_released_at_once() {
        with_demo(|py, m| {
            let obj = anypy::types::PyList::empty(py).unwrap();
            for name in ["release_inside", "release_inside_owned"] {
                assert_eq!(
                    call_as::<(usize, usize)>(m, name, (&obj,)),
                    (0, 0),
                    "{name}"
                );
            }
        });
    }

    /// Another thread takes the GIL while the function runs; with the GIL held throughout,
    /// it never could before `with_demo` ends, and the loop would time out.
    #[test]
    fn another_thread_runs_meanwhile() {
        with_demo(|_py, m| {
            let entered = Arc::new(AtomicBool::new(false));
            let other = std::thread::spawn({
                let entered = Arc::clone(&entered);
                move || Python::<Mock>::with_gil(|_| entered.store(true, Ordering::SeqCst))
            });
            let start = Instant::now();
            while !entered.load(Ordering::SeqCst) {
                assert!(
                    start.elapsed() < Duration::from_secs(20),
                    "the GIL was never released"
                );
                call(m, "sum_of_squares_nogil", (100_000,)).unwrap();
            }
            other.join().unwrap();
        });
    }
}
