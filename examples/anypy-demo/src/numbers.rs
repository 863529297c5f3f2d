//! Integers and floats: `add`, `factorial`, `hypot`, `mean`, and `parse_positive`, which
//! reads a number from text. Results that do not fit in 64 bits raise `OverflowError`.

use std::num::IntErrorKind;

use anypy::exceptions::{OverflowError, ValueError};
use anypy::{Backend, Function, ModuleBuilder, PyErr, PyResult};

pub(crate) fn register<B: Backend>(m: &ModuleBuilder<'_, B>) -> PyResult<(), B> {
    m.add_function(
        Function::new("add", add::<B>)
            .arg_names(&["a", "b"])
            .doc("add(a, b) -> int\n\nReturn a + b (OverflowError if it does not fit in 64 bits)."),
    )?;
    m.add_function(
        Function::new("factorial", factorial::<B>)
            .arg_names(&["n"])
            .doc("factorial(n) -> int\n\nReturn n! (ValueError if n < 0, OverflowError past 20!)."),
    )?;
    m.add_function(
        Function::new("hypot", hypot)
            .arg_names(&["x", "y"])
            .doc("hypot(x, y) -> float\n\nReturn the length of the vector (x, y)."),
    )?;
    m.add_function(
        Function::new("mean", mean::<B>).arg_names(&["xs"]).doc(
            "mean(xs) -> float\n\nReturn the mean of a list of numbers (ValueError if empty).",
        ),
    )?;
    m.add_function(
        Function::new("parse_positive", parse_positive::<B>)
            .arg_names(&["s"])
            .doc(
                "parse_positive(s) -> int\n\nParse a positive decimal integer \
                 (ValueError if s is not one, OverflowError past 64 bits).",
            ),
    )?;
    Ok(())
}

fn add<B: Backend>(a: i64, b: i64) -> PyResult<i64, B> {
    a.checked_add(b)
        .ok_or_else(|| PyErr::new::<OverflowError, _>("add(): the sum does not fit in 64 bits"))
}

fn factorial<B: Backend>(n: i64) -> PyResult<u64, B> {
    let n = u64::try_from(n)
        .map_err(|_| PyErr::new::<ValueError, _>("factorial() not defined for negative values"))?;
    (1..=n).try_fold(1u64, u64::checked_mul).ok_or_else(|| {
        PyErr::new::<OverflowError, _>(format!("factorial({n}) does not fit in 64 bits"))
    })
}

fn hypot(x: f64, y: f64) -> f64 {
    x.hypot(y)
}

fn mean<B: Backend>(xs: Vec<f64>) -> PyResult<f64, B> {
    if xs.is_empty() {
        return Err(PyErr::new::<ValueError, _>("mean() of an empty sequence"));
    }
    Ok(xs.iter().sum::<f64>() / xs.len() as f64)
}

fn parse_positive<B: Backend>(s: &str) -> PyResult<u64, B> {
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
                "add() argument 2 ('b'): expected int, got str",
            );
            assert_raises(
                py,
                call(m, "add", (1,)),
                TypeError,
                "add() takes 2 positional arguments but 1 was given",
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
                "mean() argument 1 ('xs'): expected float, got str",
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
