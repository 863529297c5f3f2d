//! Every case on the mock, inside a leak check: the results `driver.py` compares across the
//! three modules, and no object left behind by any of them.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use anypy::types::{PyAny, PyDict, PyList, PyModule};
use anypy::{Bound, ExceptionKind, Function, IntoCallArgs, ModuleBuilder, Py, PyResult, Python};
use anypy_mock::Mock;

fn with_bench(f: impl for<'py> FnOnce(Python<'py, Mock>, &Bound<'py, PyModule, Mock>)) {
    Mock::leak_check(|| {
        Python::<Mock>::with_gil(|py| {
            let builder = ModuleBuilder::new(py, "bench_anypy").unwrap();
            crate::init(&builder).unwrap();
            f(py, &builder.finish())
        })
    })
}

fn call<'py>(
    module: &Bound<'py, PyModule, Mock>,
    name: &str,
    args: impl IntoCallArgs<Mock>,
) -> PyResult<Bound<'py, PyAny, Mock>, Mock> {
    module.getattr(name)?.call1(args)
}

#[test]
fn scalar_cases() {
    with_bench(|py, m| {
        assert!(call(m, "noop", ()).unwrap().is_none());
        assert_eq!(call(m, "add", (1, 2)).unwrap().extract::<i64>().unwrap(), 3);
        let overflow = call(m, "add", (i64::MAX, 1)).unwrap_err();
        assert_eq!(overflow.kind(py), Some(ExceptionKind::OverflowError));
    });
}

#[test]
fn keyword_cases() {
    with_bench(|py, m| {
        let add = m.getattr("add").unwrap();
        let b = PyDict::new(py).unwrap();
        b.set_item("b", 2).unwrap();
        let sum = add.call((1,), Some(&b)).unwrap();
        assert_eq!(sum.extract::<i64>().unwrap(), 3);
        b.set_item("a", 40).unwrap();
        assert_eq!(
            add.call((), Some(&b)).unwrap().extract::<i64>().unwrap(),
            42
        );
        let xs = PyList::new(py, 0..7i64).unwrap();
        let length = call(m, "list_length", (&xs,)).unwrap();
        assert_eq!(length.extract::<usize>().unwrap(), 7);
        let err = call(m, "list_length", ((1,),)).unwrap_err();
        assert_eq!(
            err.message(py),
            "list_length() argument 'xs': expected list, got tuple"
        );
    });
}

#[test]
fn object_making_cases_return_none_or_the_list() {
    with_bench(|_py, m| {
        for name in ["ints", "tuples", "dicts"] {
            assert!(call(m, name, (1000,)).unwrap().is_none(), "{name}");
        }
        let list = call(m, "list_of_ints", (5,)).unwrap();
        assert!(list.is_instance_of::<PyList>());
        assert_eq!(list.extract::<Vec<i64>>().unwrap(), [0, 1, 2, 3, 4]);
    });
}

#[test]
fn sums() {
    with_bench(|py, m| {
        let d = PyDict::new(py).unwrap();
        for i in 0..10i64 {
            d.set_item(i.to_string(), i).unwrap();
        }
        assert_eq!(
            call(m, "sum_dict", (&d,))
                .unwrap()
                .extract::<i64>()
                .unwrap(),
            45
        );
        let xs = PyList::new(py, 0..10i64).unwrap();
        assert_eq!(
            call(m, "sum_list", (&xs,))
                .unwrap()
                .extract::<i64>()
                .unwrap(),
            45
        );
    });
}

#[test]
fn callbacks_are_called_n_times() {
    with_bench(|py, m| {
        let seen = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&seen);
        let f = Function::new("f", move |x: i64| {
            counter.fetch_add(1, Ordering::Relaxed);
            x
        })
        .build(py)
        .unwrap();
        assert!(call(m, "call_n", (&f, 7)).unwrap().is_none());
        assert_eq!(seen.load(Ordering::Relaxed), 7);

        let dicts = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&dicts);
        let g = Function::new("g", move |d: Py<PyDict, Mock>| {
            drop(d);
            counter.fetch_add(1, Ordering::Relaxed);
        })
        .build(py)
        .unwrap();
        assert!(call(m, "dict_callback", (&g, 5)).unwrap().is_none());
        assert_eq!(dicts.load(Ordering::Relaxed), 5);
    });
}

#[test]
fn class_cases() {
    with_bench(|py, m| {
        let counter = call(m, "Counter", (5,)).unwrap();
        assert_eq!(
            counter.getattr("value").unwrap().extract::<i64>().unwrap(),
            5
        );
        let n = counter.call_method1("incr", (2,)).unwrap();
        assert_eq!(n.extract::<i64>().unwrap(), 7);
        assert_eq!(
            counter.getattr("value").unwrap().extract::<i64>().unwrap(),
            7
        );
        counter.call_method1("incr", (i64::MAX - 7,)).unwrap();
        let overflow = counter.call_method1("incr", (1,)).unwrap_err();
        assert_eq!(overflow.kind(py), Some(ExceptionKind::OverflowError));
    });
}
