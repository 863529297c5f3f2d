//! Fault injection through the public API: for each operation, make every allocation it
//! performs fail in turn; each failure must surface as a clean `MemoryError` and leave nothing
//! alive (the leak check fails the test otherwise).

use std::collections::{BTreeMap, HashMap};

use anypy::types::{PyAny, PyDict, PyList, PyTuple};
use anypy::{Bound, ExceptionKind, Function, IntoPyObject, ModuleBuilder, PyResult, Python};
use anypy_mock::Mock;

/// Runs `operation` once to count its allocations, then once per allocation with that one
/// made to fail. Returns how many failure points were exercised.
fn every_failure_is_clean(
    operation: impl for<'py> Fn(Python<'py, Mock>) -> PyResult<(), Mock>,
) -> u64 {
    let needed = Mock::leak_check(|| {
        let start = Mock::allocations();
        Python::<Mock>::with_gil(|py| {
            operation(py).expect("the operation succeeds without faults")
        });
        Mock::allocations() - start
    });
    for failing in 1..=needed as usize {
        Mock::leak_check(|| {
            let _fault = Mock::fail_allocation(failing, ExceptionKind::MemoryError);
            Python::<Mock>::with_gil(|py| {
                let err = operation(py).expect_err("an allocation was made to fail");
                assert!(
                    err.matches(py, ExceptionKind::MemoryError),
                    "allocation {failing}: {err}"
                );
            });
        });
    }
    needed
}

fn convert<T: IntoPyObject<Mock>>(
    py: Python<'_, Mock>,
    value: T,
) -> PyResult<Bound<'_, PyAny, Mock>, Mock> {
    value.into_pyobject(py)
}

#[test]
fn vec_of_strings_to_list() {
    let points = every_failure_is_clean(|py| {
        convert(py, vec!["a".to_owned(), "b".into(), "c".into()]).map(drop)
    });
    assert!(points >= 4, "{points}");
}

#[test]
fn nested_vectors_to_lists() {
    assert!(every_failure_is_clean(|py| convert(py, vec![vec![1, 2], vec![3]]).map(drop)) >= 6);
}

#[test]
fn tuples_to_tuple() {
    assert!(every_failure_is_clean(|py| convert(py, (1, "two", 3.0, vec![4u8])).map(drop)) >= 5);
}

#[test]
fn maps_to_dict() {
    let hash: HashMap<String, i64> = [("a".to_owned(), 1), ("b".to_owned(), 2)].into();
    assert!(every_failure_is_clean(|py| convert(py, hash.clone()).map(drop)) >= 5);
    let tree: BTreeMap<i64, Vec<i64>> = [(1, vec![1]), (2, vec![2, 2])].into();
    assert!(every_failure_is_clean(|py| convert(py, tree.clone()).map(drop)) >= 5);
}

#[test]
fn building_containers_item_by_item() {
    every_failure_is_clean(|py| {
        let list = PyList::empty(py)?;
        list.append("x")?;
        list.insert(0, 1)?;
        let dict = PyDict::new(py)?;
        dict.set_item("list", &list)?;
        dict.set_item(2, PyTuple::new(py, [1.5, 2.5])?)?;
        Ok(())
    });
}

#[test]
fn extraction_after_conversion() {
    every_failure_is_clean(|py| {
        let object = convert(py, vec![("a".to_owned(), 1u32), ("b".to_owned(), 2)])?;
        let back: Vec<(String, u32)> = object.extract()?;
        assert_eq!(back.len(), 2);
        Ok(())
    });
}

#[test]
fn calls_with_positional_and_keyword_arguments() {
    every_failure_is_clean(|py| {
        let namespace = py.import("types")?.getattr("SimpleNamespace")?;
        let kwargs = PyDict::new(py)?;
        kwargs.set_item("answer", 42)?;
        let made = namespace.call((), Some(&kwargs))?;
        made.setattr("name", "anypy")?;
        assert_eq!(made.getattr("answer")?.extract::<i64>()?, 42);
        Ok(())
    });
}

#[test]
fn native_function_calls() {
    every_failure_is_clean(|py| {
        let builder = ModuleBuilder::new(py, "faulty")?;
        builder.function("join", |parts: Vec<String>| parts.join("-"))?;
        let module = builder.finish();
        let joined: String = module.call_method1("join", (vec!["a", "b"],))?.extract()?;
        assert_eq!(joined, "a-b");
        Ok(())
    });
}

anypy::function! {
    fn tagged<'py, B>(
        py: Python<'py, B>,
        name: &str,
        *parts: Bound<'py, PyTuple, B>,
        sep: &str = "-",
        **extra: Option<Bound<'py, PyDict, B>>,
    ) -> PyResult<Bound<'py, PyTuple, B>, B> {
        let parts = parts
            .iter()
            .map(|part| part.str().map(|text| text.to_string()))
            .collect::<PyResult<Vec<_>, B>>()?;
        let joined = parts.join(sep);
        let extra = extra.map_or(0, |extra| extra.len());
        PyTuple::new(py, [name.into_pyobject(py)?, joined.into_pyobject(py)?, extra.into_pyobject(py)?])
    }
}

/// The keyword path of a signature (kwnames matched, `*args` tuple and `**kwargs` dict built)
/// releases everything at every failure point (argument errors are leak-checked by the
/// conformance suite, which runs on the mock inside the leak check).
#[test]
fn native_function_keyword_calls() {
    let points = every_failure_is_clean(|py| {
        let builder = ModuleBuilder::new(py, "faulty_keywords")?;
        builder.add_function(tagged::function())?;
        let f = builder.module().getattr("tagged")?;
        let kwargs = PyDict::new(py)?;
        kwargs.set_item("sep", "+")?;
        kwargs.set_item("colour", "red")?;
        kwargs.set_item("size", 3)?;
        let made = f.call(("t", 1, 2), Some(&kwargs))?;
        assert_eq!(
            made.extract::<(String, String, usize)>()?,
            ("t".into(), "1+2".into(), 2)
        );
        Ok(())
    });
    assert!(points >= 10, "{points}");
}

#[test]
fn errors_made_into_values() {
    every_failure_is_clean(|py| {
        let err = anypy::PyErr::<Mock>::new::<anypy::exceptions::ValueError, _>("bad");
        let value = err.value(py)?;
        assert_eq!(value.type_name(), "ValueError");
        Ok(())
    });
}

#[test]
fn a_failing_call_leaves_the_callable_usable() {
    Mock::leak_check(|| {
        Python::<Mock>::with_gil(|py| {
            let f = Function::new("pair", |a: i64| (a, a)).build(py).unwrap();
            let _fault = Mock::fail_call(1, ExceptionKind::RuntimeError);
            let err = f.call1((1,)).unwrap_err();
            assert!(err.matches(py, ExceptionKind::RuntimeError), "{err}");
            drop(_fault);
            assert_eq!(
                f.call1((2,)).unwrap().extract::<(i64, i64)>().unwrap(),
                (2, 2)
            );
        })
    });
}
