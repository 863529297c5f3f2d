//! The object protocol on `Bound<PyAny>` beyond attributes and calls: text, comparison,
//! hashing, truth, type checks and downcasts, length, items, iteration, identity, extraction.

use anypy::types::{
    PyAny, PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyModule, PyNone, PyStr, PyTuple,
};
use anypy::{Backend, Bound, CompareOp, ExceptionKind, PyResult};

use crate::support::{assert_raises, builtin, with_py};

/// `repr` and `str` of builtin values.
pub fn repr_and_str_of_builtins<B: Backend>() {
    with_py::<B>(|py| {
        let repr = |obj: Bound<'_, PyAny, B>| -> PyResult<String, B> {
            Ok(obj.repr()?.to_str()?.to_owned())
        };
        let str_ = |obj: Bound<'_, PyAny, B>| -> PyResult<String, B> {
            Ok(obj.str()?.to_str()?.to_owned())
        };
        assert_eq!(repr(py.to_object(42i64)?)?, "42");
        assert_eq!(repr(py.to_object(-7i64)?)?, "-7");
        assert_eq!(repr(py.to_object("a")?)?, "'a'");
        assert_eq!(str_(py.to_object("a")?)?, "a");
        assert_eq!(repr(py.to_object(vec![1i64, 2])?)?, "[1, 2]");
        assert_eq!(
            repr(PyList::new(py, [py.to_object(1i64)?, py.to_object("a")?])?.into_any())?,
            "[1, 'a']"
        );
        assert_eq!(repr(PyList::empty(py)?.into_any())?, "[]");
        assert_eq!(repr(py.none().into_any())?, "None");
        assert_eq!(str_(py.none().into_any())?, "None");
        assert_eq!(repr(py.to_object(true)?)?, "True");
        assert_eq!(repr(py.to_object(false)?)?, "False");
        assert_eq!(repr(py.to_object(1.5f64)?)?, "1.5");
        assert_eq!(repr(py.to_object((1i64,))?)?, "(1,)");
        assert_eq!(repr(py.to_object((1i64, "b"))?)?, "(1, 'b')");
        let dict = PyDict::new(py)?;
        dict.set_item("k", 1i64)?;
        assert_eq!(repr(dict.into_any())?, "{'k': 1}");
        assert_eq!(repr(py.to_object(vec!["x"])?)?, "['x']");
        Ok(())
    });
}

/// `Display` of a `Bound` is `str()`, `Debug` is `repr()`.
pub fn repr_display_and_debug<B: Backend>() {
    with_py::<B>(|py| {
        let text = py.to_object("abc")?;
        assert_eq!(format!("{text}"), "abc");
        assert_eq!(format!("{text:?}"), "'abc'");
        let number = py.to_object(1_000_001i64)?;
        assert_eq!(format!("{number}"), "1000001");
        assert_eq!(format!("{number:?}"), "1000001");
        let list = PyList::new(py, ["x"])?;
        assert_eq!(format!("{list}"), "['x']");
        assert_eq!(format!("{list:?}"), "['x']");
        let none = py.none();
        assert_eq!(format!("{none} {none:?}"), "None None");
        let typed: Bound<'_, PyStr, B> = PyStr::new(py, "typed")?;
        assert_eq!(typed.to_string(), "typed");
        assert_eq!(format!("{:?}", typed.as_borrowed()), "'typed'");
        Ok(())
    });
}

/// Rich comparison across ints, floats and strs.
pub fn compare_ordering<B: Backend>() {
    with_py::<B>(|py| {
        let two = py.to_object(2i64)?;
        assert!(two.eq(2i64)?);
        assert!(two.eq(2.0f64)?);
        assert!(two.ne(3i64)?);
        assert!(two.lt(2.5f64)?);
        assert!(two.le(2i64)?);
        assert!(!two.lt(2i64)?);
        assert!(two.gt(1.99f64)?);
        assert!(two.ge(2.0f64)?);
        assert!(!two.gt(2i64)?);
        let b = py.to_object("b")?;
        assert!(b.gt("a")?);
        assert!(b.lt("ba")?);
        assert!(b.ge("b")?);
        assert!(b.le("c")?);
        assert!(b.compare("b", CompareOp::Eq)?);
        assert!(b.compare("a", CompareOp::Ne)?);
        let list = py.to_object(vec![1i64, 2])?;
        assert!(list.lt(vec![1i64, 3])?);
        assert!(list.eq(vec![1i64, 2])?);
        Ok(())
    });
}

/// Equality between unrelated types is `False`; ordering them is a `TypeError`.
pub fn compare_unorderable<B: Backend>() {
    with_py::<B>(|py| {
        let one = py.to_object(1i64)?;
        assert!(!one.eq("1")?);
        assert!(one.ne("1")?);
        assert!(!one.eq(py.none())?);
        let needle = "not supported between instances of";
        assert_raises(py, one.lt("1"), ExceptionKind::TypeError, needle);
        assert_raises(py, one.ge("1"), ExceptionKind::TypeError, needle);
        assert_raises(
            py,
            py.to_object("a")?.gt(1.5f64),
            ExceptionKind::TypeError,
            needle,
        );
        assert_raises(
            py,
            py.none().le(py.none()),
            ExceptionKind::TypeError,
            needle,
        );
        Ok(())
    });
}

/// Equal values hash equal, across numeric types and for separately made strings and tuples.
pub fn hash_equal_values<B: Backend>() {
    with_py::<B>(|py| {
        let one = py.to_object(1i64)?.hash()?;
        assert_eq!(py.to_object(1.0f64)?.hash()?, one);
        assert_eq!(py.to_object(true)?.hash()?, one);
        let a = PyStr::new(py, "anypy-hash-\u{e9}")?.hash()?;
        let b = py.to_object(String::from("anypy-hash-\u{e9}"))?.hash()?;
        assert_eq!(a, b);
        let t1 = py.to_object((1i64, "x"))?.hash()?;
        let t2 = py.to_object((1i64, "x"))?.hash()?;
        assert_eq!(t1, t2);
        assert_eq!(
            py.to_object(1_000_001i64)?.hash()?,
            py.to_object(1_000_001.0f64)?.hash()?
        );
        assert_eq!(
            builtin(py, "hash")?
                .call1((1_000_001i64,))?
                .extract::<isize>()?,
            py.to_object(1_000_001i64)?.hash()?
        );
        Ok(())
    });
}

/// Lists and dicts are unhashable: `hash` is a `TypeError`.
pub fn hash_unhashable<B: Backend>() {
    with_py::<B>(|py| {
        assert_raises(
            py,
            py.to_object(vec![1i64])?.hash(),
            ExceptionKind::TypeError,
            "",
        );
        assert_raises(py, PyDict::new(py)?.hash(), ExceptionKind::TypeError, "");
        assert_raises(
            py,
            py.to_object((1i64, vec![2i64]))?.hash(),
            ExceptionKind::TypeError,
            "",
        );
        // The failure leaves the interpreter clean.
        assert_eq!(py.to_object(1i64)?.hash()?, py.to_object(1i64)?.hash()?);
        Ok(())
    });
}

/// `bool(x)` for the usual falsy and truthy values.
pub fn obj_truthiness<B: Backend>() {
    with_py::<B>(|py| {
        assert!(!py.to_object(0i64)?.is_truthy()?);
        assert!(py.to_object(1i64)?.is_truthy()?);
        assert!(py.to_object(-1i64)?.is_truthy()?);
        assert!(!py.to_object(0.0f64)?.is_truthy()?);
        assert!(!py.to_object("")?.is_truthy()?);
        assert!(py.to_object("x")?.is_truthy()?);
        assert!(!PyList::empty(py)?.is_truthy()?);
        assert!(PyList::new(py, [0i64])?.is_truthy()?);
        assert!(!py.none().is_truthy()?);
        assert!(!PyDict::new(py)?.is_truthy()?);
        assert!(!py.to_object(false)?.is_truthy()?);
        assert!(py.to_object(true)?.is_truthy()?);
        assert!(py.to_object((0i64,))?.is_truthy()?);
        Ok(())
    });
}

/// `is_none` only for `None`, and `type_name` for each builtin type.
pub fn type_name_of_builtins<B: Backend>() {
    with_py::<B>(|py| {
        assert!(py.none().is_none());
        assert!(!py.to_object(0i64)?.is_none());
        assert!(!py.to_object(false)?.is_none());
        assert!(!py.to_object("")?.is_none());
        let cases = [
            (py.to_object(1i64)?, "int"),
            (py.to_object("s")?, "str"),
            (py.to_object(vec![1i64])?, "list"),
            (PyDict::new(py)?.into_any(), "dict"),
            (py.none().into_any(), "NoneType"),
            (py.to_object(true)?, "bool"),
            (py.to_object(0.5f64)?, "float"),
            (py.to_object(b"b".as_slice())?, "bytes"),
            (py.to_object((1i64,))?, "tuple"),
            (PyTuple::empty(py)?.into_any(), "tuple"),
        ];
        for (obj, name) in &cases {
            assert_eq!(obj.type_name(), *name);
        }
        Ok(())
    });
}

/// `get_type` returns the class object, which `is_instance` accepts.
pub fn type_get_type_and_is_instance<B: Backend>() {
    with_py::<B>(|py| {
        let int_class = builtin(py, "int")?;
        let str_class = builtin(py, "str")?;
        let bool_class = builtin(py, "bool")?;
        let five = py.to_object(5i64)?;
        assert!(five.get_type().is(&int_class));
        assert!(py.to_object(true)?.get_type().is(&bool_class));
        assert!(py.to_object("x")?.get_type().is(&str_class));
        assert!(py
            .to_object(vec![1i64])?
            .get_type()
            .is(&builtin(py, "list")?));
        assert!(PyDict::new(py)?.get_type().is(&builtin(py, "dict")?));
        assert!(five.is_instance(&int_class)?);
        assert!(!five.is_instance(&str_class)?);
        assert!(
            py.to_object(true)?.is_instance(&int_class)?,
            "bool subclasses int"
        );
        assert!(!five.is_instance(&bool_class)?);
        // The type of a value can be called to make another one.
        assert_eq!(five.get_type().call1(("12",))?.extract::<i64>()?, 12);
        Ok(())
    });
}

/// `is_instance_of::<T>()` for the marker types (subclasses count: `True` is an int).
pub fn type_is_instance_of_markers<B: Backend>() {
    with_py::<B>(|py| {
        let t = py.to_object(true)?;
        assert!(t.is_instance_of::<PyBool>());
        assert!(t.is_instance_of::<PyInt>());
        assert!(!t.is_instance_of::<PyFloat>());
        assert!(py.to_object(1.0f64)?.is_instance_of::<PyFloat>());
        assert!(!py.to_object(1.0f64)?.is_instance_of::<PyInt>());
        assert!(py.to_object("s")?.is_instance_of::<PyStr>());
        assert!(!py.to_object("s")?.is_instance_of::<PyBytes>());
        assert!(py.to_object(b"s".as_slice())?.is_instance_of::<PyBytes>());
        assert!(py.to_object((1i64,))?.is_instance_of::<PyTuple>());
        assert!(!py.to_object((1i64,))?.is_instance_of::<PyList>());
        assert!(py.none().is_instance_of::<PyNone>());
        assert!(!py.to_object(0i64)?.is_instance_of::<PyNone>());
        assert!(py.to_object(0i64)?.is_instance_of::<PyAny>());
        assert!(py.import("builtins")?.is_instance_of::<PyModule>());
        Ok(())
    });
}

/// Checked downcasts by reference and by value: success keeps the object, failure is a
/// `TypeError` with exactly `expected X, got Y`.
pub fn downcast_checked<B: Backend>() {
    with_py::<B>(|py| {
        let number = py.to_object(5i64)?;
        let err = number
            .downcast::<PyDict>()
            .expect_err("an int is not a dict");
        assert!(err.matches(py, ExceptionKind::TypeError));
        assert_eq!(err.message(py), "expected dict, got int");
        assert_eq!(err.to_string(), "TypeError: expected dict, got int");
        let int = number.downcast::<PyInt>()?;
        assert!(int.is(&number));
        assert_eq!(int.to_i64()?, 5);
        let list_obj = py.to_object(vec![1i64, 2])?;
        let list: Bound<'_, PyList, B> = list_obj.clone().downcast_into::<PyList>()?;
        assert_eq!(list.len(), 2);
        assert!(list.is(&list_obj));
        assert_raises(
            py,
            py.to_object("s")?.downcast_into::<PyList>(),
            ExceptionKind::TypeError,
            "expected list, got str",
        );
        assert_raises(
            py,
            py.to_object(1.5f64)?.downcast::<PyInt>(),
            ExceptionKind::TypeError,
            "expected int, got float",
        );
        assert_raises(
            py,
            py.none().downcast::<PyTuple>(),
            ExceptionKind::TypeError,
            "expected tuple, got NoneType",
        );
        // bool downcasts to int (a subclass), but int does not downcast to bool.
        assert!(py.to_object(true)?.downcast::<PyInt>().is_ok());
        assert_raises(
            py,
            number.downcast::<PyBool>(),
            ExceptionKind::TypeError,
            "expected bool, got int",
        );
        Ok(())
    });
}

/// `Borrowed::downcast` checks without taking a reference.
pub fn downcast_borrowed<B: Backend>() {
    with_py::<B>(|py| {
        let tuple = PyTuple::new(py, [py.to_object("text")?, PyDict::new(py)?.into_any()])?;
        let text = tuple.get_borrowed_item(0)?.downcast::<PyStr>()?;
        assert_eq!(text.to_str()?, "text");
        let dict_item = tuple.get_borrowed_item(1)?;
        let before = dict_item.get_refcnt();
        let dict = dict_item.downcast::<PyDict>()?;
        assert!(dict.is_empty());
        assert_eq!(dict_item.get_refcnt(), before);
        let err = tuple
            .get_borrowed_item(0)?
            .downcast::<PyInt>()
            .expect_err("a str is not an int");
        assert_eq!(err.to_string(), "TypeError: expected int, got str");
        let owned = py.to_object(3i64)?;
        assert_eq!(owned.as_borrowed().downcast::<PyInt>()?.to_i64()?, 3);
        Ok(())
    });
}

/// `len()` through the protocol; objects without a length are a `TypeError`.
pub fn obj_len_protocol<B: Backend>() {
    with_py::<B>(|py| {
        assert_eq!(py.to_object(vec![1i64, 2, 3])?.len()?, 3);
        assert_eq!(py.to_object((1i64, 2i64))?.len()?, 2);
        assert_eq!(py.to_object("\u{e9}t\u{e9}")?.len()?, 3);
        assert_eq!(py.to_object(b"abcd".as_slice())?.len()?, 4);
        let dict = PyDict::new(py)?;
        dict.set_item("a", 1i64)?;
        assert_eq!(dict.as_any().len()?, 1);
        assert_ne!(dict.as_any().len()?, 0);
        assert_eq!(PyList::empty(py)?.as_any().len()?, 0);
        assert_raises(py, py.to_object(5i64)?.len(), ExceptionKind::TypeError, "");
        assert_raises(py, py.none().len(), ExceptionKind::TypeError, "");
        Ok(())
    });
}

/// `obj[key]` and `obj[key] = value` through the protocol on lists, tuples and dicts.
pub fn obj_item_protocol<B: Backend>() {
    with_py::<B>(|py| {
        let list = py.to_object(vec![10i64, 20, 30])?;
        assert_eq!(list.get_item(0i64)?.extract::<i64>()?, 10);
        assert_eq!(list.get_item(-1i64)?.extract::<i64>()?, 30);
        list.set_item(1i64, "twenty")?;
        assert_eq!(list.get_item(1i64)?.extract::<String>()?, "twenty");
        assert_raises(py, list.get_item(3i64), ExceptionKind::IndexError, "");
        assert_raises(py, list.set_item(5i64, 0i64), ExceptionKind::IndexError, "");
        assert_raises(py, list.get_item("key"), ExceptionKind::TypeError, "");
        let tuple = py.to_object((1i64, 2i64))?;
        assert_eq!(tuple.get_item(1i64)?.extract::<i64>()?, 2);
        assert_raises(py, tuple.get_item(2i64), ExceptionKind::IndexError, "");
        assert_raises(py, tuple.set_item(0i64, 5i64), ExceptionKind::TypeError, "");
        let dict = PyDict::new(py)?.into_any();
        dict.set_item("k", 1i64)?;
        assert_eq!(dict.get_item("k")?.extract::<i64>()?, 1);
        assert_raises(py, dict.get_item("missing"), ExceptionKind::KeyError, "");
        assert_raises(
            py,
            py.to_object(5i64)?.get_item(0i64),
            ExceptionKind::TypeError,
            "",
        );
        Ok(())
    });
}

/// `iter()` over a list, a dict (its keys) and a str (its characters).
pub fn obj_iter_protocol<B: Backend>() {
    with_py::<B>(|py| {
        let list = py.to_object(vec![1i64, 2, 3])?;
        let values: Vec<i64> = list
            .iter()?
            .map(|item| item?.extract())
            .collect::<PyResult<_, B>>()?;
        assert_eq!(values, [1, 2, 3]);
        let dict = PyDict::new(py)?;
        dict.set_item("first", 1i64)?;
        dict.set_item("second", 2i64)?;
        let keys: Vec<String> = dict
            .as_any()
            .iter()?
            .map(|key| key?.extract())
            .collect::<PyResult<_, B>>()?;
        assert_eq!(keys, ["first", "second"]);
        let text = py.to_object("h\u{e9}!")?;
        let chars: Vec<char> = text
            .iter()?
            .map(|c| c?.extract())
            .collect::<PyResult<_, B>>()?;
        assert_eq!(chars, ['h', '\u{e9}', '!']);
        let tuple = py.to_object(("a", 1i64))?;
        assert_eq!(tuple.iter()?.count(), 2);
        assert_eq!(PyList::empty(py)?.as_any().iter()?.count(), 0);
        Ok(())
    });
}

/// Iterating a non-iterable is a `TypeError`.
pub fn obj_iter_non_iterable<B: Backend>() {
    with_py::<B>(|py| {
        assert_raises(
            py,
            py.to_object(5i64)?.iter().map(drop),
            ExceptionKind::TypeError,
            "",
        );
        assert_raises(py, py.none().iter().map(drop), ExceptionKind::TypeError, "");
        assert_raises(
            py,
            py.to_object(1.5f64)?.iter().map(drop),
            ExceptionKind::TypeError,
            "",
        );
        Ok(())
    });
}

/// `is()` is identity: clones and re-reads are the same object; equal values need not be.
pub fn obj_is_identity<B: Backend>() {
    with_py::<B>(|py| {
        let list = PyList::empty(py)?;
        let clone = list.clone();
        assert!(list.is(&clone));
        assert!(list.is(list.as_any()));
        let other = PyList::empty(py)?;
        assert!(!list.is(&other));
        assert!(list.eq(&other)?, "equal but distinct");
        assert!(py.none().is(&py.none()));
        assert!(py.to_object(true)?.is(&PyBool::new(py, true)));
        let holder = PyList::new(py, [&list])?;
        assert!(holder.get_item(0)?.is(&list));
        Ok(())
    });
}

/// `obj.extract::<T>()` for several targets, including typed handles.
pub fn obj_extract_through_object<B: Backend>() {
    with_py::<B>(|py| {
        let obj = py.to_object(vec![("a", 1i64), ("b", 2i64)])?;
        let pairs: Vec<(String, i64)> = obj.extract()?;
        assert_eq!(pairs, [("a".to_owned(), 1), ("b".to_owned(), 2)]);
        let list: Bound<'_, PyList, B> = obj.extract()?;
        assert_eq!(list.len(), 2);
        let any: Bound<'_, PyAny, B> = obj.extract()?;
        assert!(any.is(&obj));
        let py_handle: anypy::Py<PyList, B> = obj.extract()?;
        assert!(py_handle.bind(py).is(&obj));
        assert_raises(
            py,
            obj.extract::<Bound<'_, PyDict, B>>(),
            ExceptionKind::TypeError,
            "expected dict, got list",
        );
        assert_raises(
            py,
            obj.extract::<String>(),
            ExceptionKind::TypeError,
            "expected str, got list",
        );
        Ok(())
    });
}

#[doc(hidden)]
#[macro_export]
macro_rules! __suite_object {
    ($backend:ty, $harness:expr) => {
        $crate::__conformance_emit!($backend, $harness;
            object::repr_and_str_of_builtins,
            object::repr_display_and_debug,
            object::compare_ordering,
            object::compare_unorderable,
            object::hash_equal_values,
            object::hash_unhashable,
            object::obj_truthiness,
            object::type_name_of_builtins,
            object::type_get_type_and_is_instance,
            object::type_is_instance_of_markers,
            object::downcast_checked,
            object::downcast_borrowed,
            object::obj_len_protocol,
            object::obj_item_protocol,
            object::obj_iter_protocol,
            object::obj_iter_non_iterable,
            object::obj_is_identity,
            object::obj_extract_through_object,
        );
    };
}
