//! Tuples: `min_max` returns a Rust tuple, which becomes a `tuple`; `swap` reads a pair of
//! arbitrary objects and returns them the other way round.

use anypy::exceptions::ValueError;
use anypy::types::PyAny;
use anypy::{Backend, ModuleBuilder, Py, PyErr, PyResult};

pub(crate) fn register<B: Backend>(m: &ModuleBuilder<'_, B>) -> PyResult<(), B> {
    m.add_function(min_max::function())?;
    m.add_function(swap::function())?;
    Ok(())
}

anypy::function! {
    /// Return (min(xs), max(xs)) for a list of ints (ValueError if empty).
    fn min_max<B>(xs: Vec<i64>) -> PyResult<(i64, i64), B> {
        let min = xs.iter().min();
        let max = xs.iter().max();
        min.zip(max)
            .map(|(min, max)| (*min, *max))
            .ok_or_else(|| PyErr::new::<ValueError, _>("min_max() of an empty sequence"))
    }
}

anypy::function! {
    /// Return (b, a) for the 2-tuple (a, b). The items are handed back as they are: objects of
    /// any type, no conversion.
    fn swap<B>(pair: (Py<PyAny, B>, Py<PyAny, B>)) -> (Py<PyAny, B>, Py<PyAny, B>) {
        let (a, b) = pair;
        (b, a)
    }
}

#[cfg(test)]
mod tests {
    use anypy::types::{PyDict, PyTuple};
    use anypy::ExceptionKind::{TypeError, ValueError};

    use crate::testing::{assert_raises, call, call_as, with_demo};

    #[test]
    fn min_max_returns_a_tuple() {
        with_demo(|py, m| {
            let pair = call(m, "min_max", (vec![3, -1, 7, 2],)).unwrap();
            assert!(pair.is_instance_of::<PyTuple>());
            assert_eq!(pair.extract::<(i64, i64)>().unwrap(), (-1, 7));
            assert_eq!(call_as::<(i64, i64)>(m, "min_max", ((5,),)), (5, 5));
            assert_raises(
                py,
                call(m, "min_max", (Vec::<i64>::new(),)),
                ValueError,
                "min_max() of an empty sequence",
            );
        });
    }

    #[test]
    fn swap_hands_back_the_same_objects() {
        with_demo(|py, m| {
            let d = PyDict::new(py).unwrap();
            let swapped = call(m, "swap", (("first", &d),)).unwrap();
            let swapped = swapped.downcast::<PyTuple>().unwrap();
            assert!(swapped.get_item(0).unwrap().is(&d));
            assert_eq!(swapped.get_item(1).unwrap().to_string(), "first");
            assert_raises(
                py,
                call(m, "swap", ((1, 2, 3),)),
                ValueError,
                "swap() argument 'pair': expected a tuple of length 2, got length 3",
            );
            assert_raises(
                py,
                call(m, "swap", (vec![1, 2],)),
                TypeError,
                "swap() argument 'pair': expected tuple, got list",
            );
        });
    }
}
