//! Lists: `squares` returns a `Vec`, which becomes a `list`; `sum_list` reads one.

use anypy::exceptions::OverflowError;
use anypy::{Backend, ModuleBuilder, PyErr, PyResult};

pub(crate) fn register<B: Backend>(m: &ModuleBuilder<'_, B>) -> PyResult<(), B> {
    m.add_function(squares::function())?;
    m.add_function(sum_list::function())?;
    Ok(())
}

anypy::function! {
    /// Return [i * i for i in range(n)] (n below 2**32).
    ///
    /// `n` is a `u32`, so every square fits in a `u64` (a larger `n` is an `OverflowError`).
    fn squares(n: u32) -> Vec<u64> {
        (0..u64::from(n)).map(|i| i * i).collect()
    }
}

anypy::function! {
    /// Return the sum of a list of ints (OverflowError if it does not fit in 64 bits).
    fn sum_list<B>(xs: Vec<i64>) -> PyResult<i64, B> {
        xs.into_iter()
            .try_fold(0i64, i64::checked_add)
            .ok_or_else(|| {
                PyErr::new::<OverflowError, _>("sum_list(): the sum does not fit in 64 bits")
            })
    }
}

#[cfg(test)]
mod tests {
    use anypy::types::PyList;
    use anypy::ExceptionKind::{OverflowError, TypeError};

    use crate::testing::{assert_raises, call, call_as, with_demo};

    #[test]
    fn squares_makes_a_list() {
        with_demo(|py, m| {
            let squares = call(m, "squares", (5,)).unwrap();
            assert!(squares.is_instance_of::<PyList>());
            assert_eq!(squares.extract::<Vec<u64>>().unwrap(), [0, 1, 4, 9, 16]);
            assert!(call_as::<Vec<u64>>(m, "squares", (0,)).is_empty());
            assert_raises(
                py,
                call(m, "squares", (1u64 << 32,)),
                OverflowError,
                "squares() argument 'n': Python int 4294967296 out of range for u32",
            );
        });
    }

    #[test]
    fn sum_list_reads_lists_and_tuples() {
        with_demo(|py, m| {
            assert_eq!(call_as::<i64>(m, "sum_list", (vec![1, 2, 3],)), 6);
            assert_eq!(call_as::<i64>(m, "sum_list", ((4, 5),)), 9);
            assert_raises(
                py,
                call(m, "sum_list", (vec![i64::MAX, 1],)),
                OverflowError,
                "sum_list(): the sum does not fit in 64 bits",
            );
            assert_raises(
                py,
                call(m, "sum_list", ("123",)),
                TypeError,
                "sum_list() argument 'xs': expected list or tuple, got str",
            );
        });
    }
}
