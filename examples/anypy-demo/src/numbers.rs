//! Integers and floats: `add`, `factorial`, `hypot`, `mean`, and `parse_positive`, which
//! reads a number from text. Results that do not fit in 64 bits raise `OverflowError`.

use std::num::IntErrorKind;

use anypy::exceptions::{OverflowError, ValueError};
use anypy::{Backend, ModuleBuilder, PyErr, PyResult};

pub(crate) fn register<B: Backend>(m: &ModuleBuilder<'_, B>) -> PyResult<(), B> {
    m.add_function(add::function())?;
    m.add_function(factorial::function())?;
    m.add_function(hypot::function())?;
    m.add_function(mean::function())?;
    m.add_function(parse_positive::function())?;
    Ok(())
}

anypy::function! {
    /// Return a + b (OverflowError if it does not fit in 64 bits).
    fn add<B>(a: i64, b: i64) -> PyResult<i64, B> {
        a.checked_add(b)
            .ok_or_else(|| PyErr::new::<OverflowError, _>("add(): the sum does not fit in 64 bits"))
    }
}

anypy::function! {
    /// Return n! (ValueError if n < 0, OverflowError past 20!).
    fn factorial<B>(n: i64) -> PyResult<u64, B> {
        let n = u64::try_from(n)
            .map_err(|_| PyErr::new::<ValueError, _>("factorial() not defined for negative values"))?;
        (1..=n).try_fold(1u64, u64::checked_mul).ok_or_else(|| {
            PyErr::new::<OverflowError, _>(format!("factorial({n}) does not fit in 64 bits"))
        })
    }
}

anypy::function! {
    /// Return the length of the vector (x, y).
    fn hypot(x: f64, y: f64) -> f64 {
        x.hypot(y)
    }
}

anypy::function! {
    /// Return the mean of a list of numbers (ValueError if empty).
    fn mean<B>(xs: Vec<f64>) -> PyResult<f64, B> {
        if xs.is_empty() {
            return Err(PyErr::new::<ValueError, _>("mean() of an empty sequence"));
        }
        Ok(xs.iter().sum::<f64>() / xs.len() as f64)
    }
}

anypy::function! {
    /// Parse a positive decimal integer (ValueError if s is not one, OverflowError past 64
    /// bits).
    fn parse_positive<B>(s: &str) -> PyResult<u64, B> {
        match s.parse::<u64>() {
            Ok(n) if n > 0 => Ok(n),
            Err(err) if *err.kind() == IntErrorKind::PosOverflow => {
                Err(PyErr::new::<OverflowError, _>(format!(
                    "parse_positive(): '{s}' does not fit in 64 bits"
                )))
            }
            _ => Err(PyErr::new::<ValueError, _>(format!(
                "parse_positive(): expected a positive integer, got '{s}'"
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use anypy::ExceptionKind::{OverflowError, TypeError, ValueError};

    use crate::testing::{assert_raises, call, call_as, with_demo};

    #[test]
    fn add_sums_and_overflows() {
        with_demo(|py, m| {
            assert_eq!(call_as::<i64>(m, "add", (2, 3)), 5);
            assert_eq!(call_as::<i64>(m, "add", (-7, 2)), -5);
            assert_raises(
                py,
                call(m, "add", (i64::MAX, 1)),
                OverflowError,
                "add(): the sum does not fit in 64 bits",
            );
            assert_raises(
                py,
                call(m, "add", (1, "2")),
                TypeError,
                "add() argument 'b': expected int, got str",
            );
            assert_raises(
                py,
                call(m, "add", (1,)),
                TypeError,
                "add() missing 1 required positional argument: 'b'",
            );
        });
    }

    #[test]
    fn factorial_up_to_twenty() {
        with_demo(|py, m| {
            assert_eq!(call_as::<u64>(m, "factorial", (0,)), 1);
            assert_eq!(call_as::<u64>(m, "factorial", (5,)), 120);
            let twenty = call_as::<u64>(m, "factorial", (20,));
            assert_eq!(twenty, 2_432_902_008_176_640_000);
            assert_raises(
                py,
                call(m, "factorial", (21,)),
                OverflowError,
                "factorial(21) does not fit in 64 bits",
            );
            assert_raises(
                py,
                call(m, "factorial", (-1,)),
                ValueError,
                "factorial() not defined for negative values",
            );
        });
    }

    #[test]
    fn hypot_and_mean() {
        with_demo(|py, m| {
            assert_eq!(call_as::<f64>(m, "hypot", (3.0, 4.0)), 5.0);
            assert_eq!(call_as::<f64>(m, "hypot", (3, 4)), 5.0);
            assert_eq!(call_as::<f64>(m, "mean", (vec![1.0, 2.0, 4.5],)), 2.5);
            assert_raises(
                py,
                call(m, "mean", (Vec::<f64>::new(),)),
                ValueError,
                "mean() of an empty sequence",
            );
            assert_raises(
                py,
                call(m, "mean", (vec!["x"],)),
                TypeError,
                "mean() argument 'xs': expected float, got str",
            );
        });
    }

    #[test]
    fn parse_positive_explains_what_is_wrong() {
        with_demo(|py, m| {
            assert_eq!(call_as::<u64>(m, "parse_positive", ("42",)), 42);
            for bad in ["0", "-3", "4x", ""] {
                assert_raises(
                    py,
                    call(m, "parse_positive", (bad,)),
                    ValueError,
                    &format!("parse_positive(): expected a positive integer, got '{bad}'"),
                );
            }
            assert_raises(
                py,
                call(m, "parse_positive", ("99999999999999999999",)),
                OverflowError,
                "parse_positive(): '99999999999999999999' does not fit in 64 bits",
            );
        });
    }
}
