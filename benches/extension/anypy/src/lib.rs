//! `bench_anypy`: the extension benchmark's cases (defined in `benches/extension/cases.md`)
//! written with anypy as a user would, one source for CPython and PyPy. `bench_raw` (C) and
//! `bench_pyo3` implement the same functions; `benches/extension/run` compares the three.
#![deny(missing_docs)]

use anypy::exceptions::OverflowError;
use anypy::types::{PyAny, PyDict, PyInt, PyList, PyTuple};
use anypy::{
    Backend, Bound, ClassBuilder, Function, ModuleBuilder, Py, PyClass, PyErr, PyResult, Python,
};

cfg_if::cfg_if! {
    if #[cfg(feature = "pypy")] {
        /// The backend this build targets: PyPy (feature `pypy`, which wins over the default).
        pub type BenchBackend = anypy_pypy::PyPy;
    } else if #[cfg(feature = "cpython")] {
        /// The backend this build targets: CPython (feature `cpython`, the default).
        pub type BenchBackend = anypy_cpython::CPython;
    } else if #[cfg(feature = "extension-module")] {
        compile_error!("feature `extension-module` needs a backend: enable `cpython` or `pypy`");
    }
}

#[cfg(feature = "extension-module")]
anypy::python_module!(bench_anypy, BenchBackend, init);

/// Registers every case.
pub fn init<B: Backend>(m: &ModuleBuilder<'_, B>) -> PyResult<(), B> {
    m.add_function(Function::new("noop", noop))?;
    m.add_function(add::function())?;
    m.add_function(list_length::function())?;
    m.add_function(Function::new("ints", ints::<B>).arg_names(&["n"]))?;
    m.add_function(Function::new("tuples", tuples::<B>).arg_names(&["n"]))?;
    m.add_function(Function::new("list_of_ints", list_of_ints::<B>).arg_names(&["n"]))?;
    m.add_function(Function::new("sum_dict", sum_dict::<B>).arg_names(&["d"]))?;
    m.add_function(Function::new("sum_list", sum_list::<B>).arg_names(&["xs"]))?;
    m.add_function(Function::new("call_n", call_n::<B>).arg_names(&["f", "n"]))?;
    m.add_function(Function::new("dict_callback", dict_callback::<B>).arg_names(&["f", "n"]))?;
    m.add_function(Function::new("dicts", dicts::<B>).arg_names(&["n"]))?;
    m.class::<Counter>()?;
    Ok(())
}

fn noop() {}

fn overflow<B: Backend>() -> PyErr<B> {
    PyErr::new::<OverflowError, _>("the sum does not fit in 64 bits")
}

anypy::function! {
    /// a + b (`OverflowError` outside 64 bits), by position or keyword.
    fn add<B>(a: i64, b: i64) -> PyResult<i64, B> {
        a.checked_add(b).ok_or_else(overflow)
    }
}

anypy::function! {
    /// len(xs) of a list borrowed from the caller (`TypeError` naming `xs` otherwise).
    fn list_length<'py, B>(xs: &Bound<'py, PyList, B>) -> usize {
        xs.len()
    }
}

fn ints<B: Backend>(py: Python<'_, B>, n: i64) -> PyResult<(), B> {
    for i in 0..n {
        drop(PyInt::new(py, i)?);
    }
    Ok(())
}

fn tuples<B: Backend>(py: Python<'_, B>, n: i64) -> PyResult<(), B> {
    for i in 0..n {
        drop(PyTuple::new(py, [i, i + 1, i + 2])?);
    }
    Ok(())
}

fn list_of_ints<B: Backend>(py: Python<'_, B>, n: i64) -> PyResult<Py<PyList, B>, B> {
    Ok(PyList::new(py, 0..n)?.unbind())
}

fn sum_dict<B: Backend>(py: Python<'_, B>, d: Py<PyDict, B>) -> PyResult<i64, B> {
    d.bind(py).values().try_fold(0i64, |sum, value| {
        sum.checked_add(value.extract::<i64>()?)
            .ok_or_else(overflow)
    })
}

fn sum_list<B: Backend>(py: Python<'_, B>, xs: Py<PyList, B>) -> PyResult<i64, B> {
    xs.bind(py).iter().try_fold(0i64, |sum, item| {
        sum.checked_add(item.extract::<i64>()?).ok_or_else(overflow)
    })
}

fn call_n<B: Backend>(py: Python<'_, B>, f: Py<PyAny, B>, n: i64) -> PyResult<(), B> {
    let f = f.bind(py);
    for i in 0..n {
        drop(f.call1((i,))?);
    }
    Ok(())
}

fn dict_callback<B: Backend>(py: Python<'_, B>, f: Py<PyAny, B>, n: i64) -> PyResult<(), B> {
    let f = f.bind(py);
    let d = PyDict::new(py)?;
    for _ in 0..n {
        drop(f.call1((&d,))?);
    }
    Ok(())
}

fn dicts<B: Backend>(py: Python<'_, B>, n: i64) -> PyResult<(), B> {
    for _ in 0..n {
        drop(PyDict::new(py)?);
    }
    Ok(())
}

/// The class cases: one 64-bit int, created from Python (`Counter(start)`), a method taking one
/// int (`incr(by)`, returning the new count), a read-only property (`value`).
pub struct Counter {
    n: i64,
}

impl<B: Backend> PyClass<B> for Counter {
    const NAME: &'static str = "Counter";
    const MODULE: &'static str = "bench_anypy";

    fn define(class: &mut ClassBuilder<'_, Self, B>) -> PyResult<(), B> {
        class
            .constructor(|start: i64| Counter { n: start })?
            .method("incr", |this: &mut Counter, by: i64| -> PyResult<i64, B> {
                this.n = this.n.checked_add(by).ok_or_else(overflow)?;
                Ok(this.n)
            })?
            .getter("value", |this: &Counter| this.n)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests;
