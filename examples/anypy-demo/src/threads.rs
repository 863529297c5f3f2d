//! Releasing the GIL: `sum_of_squares_nogil` runs its Rust loop inside `py.allow_threads`, so
//! other Python threads run meanwhile.

use std::hint::black_box;

use anypy::{Backend, ModuleBuilder, PyResult};

pub(crate) fn register<B: Backend>(m: &ModuleBuilder<'_, B>) -> PyResult<(), B> {
    m.add_function(sum_of_squares_nogil::function())?;
    Ok(())
}

anypy::function! {
    /// Return sum(i * i for i in range(n)) % 2**64, computed with the GIL released.
    fn sum_of_squares_nogil<B>(py: Python<'_, B>, n: u64) -> u64 {
        py.allow_threads(|| sum_of_squares(n))
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
