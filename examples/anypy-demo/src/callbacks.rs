//! Calling back into Python: `apply(f, x)` and `call_n(f, n)` take any callable as a
//! `Py<PyAny>` and call it with the GIL held; an exception it raises propagates unchanged.

use anypy::types::{PyAny, PyList};
use anypy::{Backend, Bound, ModuleBuilder, PyResult};

pub(crate) fn register<B: Backend>(m: &ModuleBuilder<'_, B>) -> PyResult<(), B> {
    m.add_function(apply::function())?;
    m.add_function(call_n::function())?;
    Ok(())
}

anypy::function! {
    /// Return f(x).
    fn apply<'py, B>(f: &Bound<'py, PyAny, B>, x: &Bound<'py, PyAny, B>) -> PyResult<Bound<'py, PyAny, B>, B> {
        f.call1((x,))
    }
}

anypy::function! {
    /// Return [f(i) for i in range(n)], stopping at the first exception f raises.
    fn call_n<'py, B>(py: Python<'py, B>, f: &Bound<'py, PyAny, B>, n: usize) -> PyResult<Bound<'py, PyList, B>, B> {
        let results = PyList::empty(py)?;
        for i in 0..n {
            results.append(f.call1((i,))?)?;
        }
        Ok(results)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use anypy::exceptions::KeyError;
    use anypy::types::{PyAny, PyDict};
    use anypy::ExceptionKind::{self, TypeError};
    use anypy::{Function, Py, PyErr, PyResult};
    use anypy_mock::Mock;

    use crate::testing::{assert_raises, call, call_as, with_demo};

    #[test]
    fn apply_calls_the_function() {
        with_demo(|py, m| {
            let double = Function::new("double", |x: i64| x * 2).build(py).unwrap();
            assert_eq!(call_as::<i64>(m, "apply", (&double, 21)), 42);

            let d = PyDict::new(py).unwrap();
            let before = d.get_refcnt();
            let identity = Function::new("identity", |x: Py<PyAny, Mock>| x)
                .build(py)
                .unwrap();
            let same = call(m, "apply", (&identity, &d)).unwrap();
            assert!(same.is(&d));
            drop(same);
            assert_eq!(
                d.get_refcnt(),
                before,
                "no reference to the argument is kept"
            );

            assert_raises(
                py,
                call(m, "apply", (1, 2)),
                TypeError,
                "'int' object is not callable",
            );
        });
    }

    #[test]
    fn an_exception_in_the_callback_propagates() {
        with_demo(|py, m| {
            let fail = Function::new("fail", |key: &str| -> PyResult<(), Mock> {
                Err(PyErr::new::<KeyError, _>(key.to_owned()))
            })
            .build(py)
            .unwrap();
            let err = call(m, "apply", (&fail, "missing")).unwrap_err();
            assert_eq!(err.kind(py), Some(ExceptionKind::KeyError));
            assert_eq!(err.message(py), "'missing'");
        });
    }

    #[test]
    fn call_n_collects_results_and_stops_at_an_error() {
        static CALLS: AtomicUsize = AtomicUsize::new(0);
        with_demo(|py, m| {
            let square = Function::new("square", |i: u64| i * i).build(py).unwrap();
            let squares = call_as::<Vec<u64>>(m, "call_n", (&square, 4));
            assert_eq!(squares, [0, 1, 4, 9]);

            let fail_at_two = Function::new("fail_at_two", |i: u64| -> PyResult<u64, Mock> {
                CALLS.fetch_add(1, Ordering::SeqCst);
                if i == 2 {
                    Err(PyErr::new::<KeyError, _>("two"))
                } else {
                    Ok(i)
                }
            })
            .build(py)
            .unwrap();
            let err = call(m, "call_n", (&fail_at_two, 10)).unwrap_err();
            assert_eq!(err.kind(py), Some(ExceptionKind::KeyError));
            assert_eq!(
                CALLS.load(Ordering::SeqCst),
                3,
                "no call after the failing one"
            );
        });
    }
}
