//! `bench_pyo3`: the extension benchmark's cases (`../cases.md`) written with PyO3 as its guide
//! shows, for comparison with `bench_raw` (C) and `bench_anypy`.

use pyo3::exceptions::PyOverflowError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};

fn overflow() -> PyErr {
    PyOverflowError::new_err("the sum does not fit in 64 bits")
}

#[pyfunction]
fn noop() {}

#[pyfunction]
fn add(a: i64, b: i64) -> PyResult<i64> {
    a.checked_add(b).ok_or_else(overflow)
}

#[pyfunction]
fn list_length(xs: &Bound<'_, PyList>) -> usize {
    xs.len()
}

#[pyfunction]
fn ints(py: Python<'_>, n: i64) {
    for i in 0..n {
        drop(i.into_pyobject(py));
    }
}

#[pyfunction]
fn tuples(py: Python<'_>, n: i64) -> PyResult<()> {
    for i in 0..n {
        drop(PyTuple::new(py, [i, i + 1, i + 2])?);
    }
    Ok(())
}

#[pyfunction]
fn list_of_ints(py: Python<'_>, n: usize) -> PyResult<Bound<'_, PyList>> {
    // `PyList::new` wants an exact-size iterator, which a range of `i64` is not.
    PyList::new(py, (0..n).map(|i| i as i64))
}

#[pyfunction]
fn sum_dict(d: &Bound<'_, PyDict>) -> PyResult<i64> {
    d.iter().try_fold(0i64, |sum, (_, value)| {
        sum.checked_add(value.extract::<i64>()?)
            .ok_or_else(overflow)
    })
}

#[pyfunction]
fn sum_list(xs: &Bound<'_, PyList>) -> PyResult<i64> {
    xs.iter().try_fold(0i64, |sum, item| {
        sum.checked_add(item.extract::<i64>()?).ok_or_else(overflow)
    })
}

#[pyfunction]
fn call_n(f: &Bound<'_, PyAny>, n: i64) -> PyResult<()> {
    for i in 0..n {
        drop(f.call1((i,))?);
    }
    Ok(())
}

#[pyfunction]
fn dict_callback(f: &Bound<'_, PyAny>, n: i64) -> PyResult<()> {
    let d = PyDict::new(f.py());
    for _ in 0..n {
        drop(f.call1((&d,))?);
    }
    Ok(())
}

#[pyfunction]
fn dicts(py: Python<'_>, n: i64) {
    for _ in 0..n {
        drop(PyDict::new(py));
    }
}

/// The class cases: one 64-bit int, created from Python, a method taking one int, a getter.
#[pyclass]
struct Counter {
    n: i64,
}

#[pymethods]
impl Counter {
    #[new]
    fn new(start: i64) -> Self {
        Counter { n: start }
    }

    fn incr(&mut self, by: i64) -> PyResult<i64> {
        self.n = self.n.checked_add(by).ok_or_else(overflow)?;
        Ok(self.n)
    }

    #[getter]
    fn value(&self) -> i64 {
        self.n
    }
}

#[pymodule]
fn bench_pyo3(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(noop, m)?)?;
    m.add_function(wrap_pyfunction!(add, m)?)?;
    m.add_function(wrap_pyfunction!(list_length, m)?)?;
    m.add_function(wrap_pyfunction!(ints, m)?)?;
    m.add_function(wrap_pyfunction!(tuples, m)?)?;
    m.add_function(wrap_pyfunction!(list_of_ints, m)?)?;
    m.add_function(wrap_pyfunction!(sum_dict, m)?)?;
    m.add_function(wrap_pyfunction!(sum_list, m)?)?;
    m.add_function(wrap_pyfunction!(call_n, m)?)?;
    m.add_function(wrap_pyfunction!(dict_callback, m)?)?;
    m.add_function(wrap_pyfunction!(dicts, m)?)?;
    m.add_class::<Counter>()?;
    Ok(())
}
