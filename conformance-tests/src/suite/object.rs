//! The object protocol on `Bound<PyAny>`: attributes, calls, methods, text, comparison,
//! hashing, truth, type checks and downcasts, length, items, iteration, identity, extraction.

use anypy::types::{
    PyAny, PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyModule, PyNone, PyStr, PyTuple,
};
use anypy::{Backend, Bound, CompareOp, ExceptionKind, PyResult, Python};

use crate::support::{assert_raises, with_py};

/// `builtins.<name>`.
fn builtin<'py, B: Backend>(py: Python<'py, B>, name: &str) -> PyResult<Bound<'py, PyAny, B>, B> {
    py.import("builtins")?.getattr(name)
}

/// A new `types.SimpleNamespace()`.
fn namespace<B: Backend>(py: Python<'_, B>) -> PyResult<Bound<'_, PyAny, B>, B> {
    py.import("types")?.getattr("SimpleNamespace")?.call0()
}

/// `getattr`/`setattr`/`hasattr` on a `SimpleNamespace`.
pub fn attr_on_namespace<B: Backend>() {
    with_py::<B>(|py| {
        let ns = namespace(py)?;
        assert!(!ns.hasattr("answer")?);
        ns.setattr("answer", 42i64)?;
        assert!(ns.hasattr("answer")?);
        assert_eq!(ns.getattr("answer")?.extract::<i64>()?, 42);
        ns.setattr("answer", "changed")?;
        assert_eq!(ns.getattr("answer")?.extract::<String>()?, "changed");
        ns.setattr("nested", namespace(py)?)?;
        ns.getattr("nested")?.setattr("leaf", 1.5f64)?;
        assert_eq!(
            ns.getattr("nested")?.getattr("leaf")?.extract::<f64>()?,
            1.5
        );
        Ok(())
    });
}

/// Attributes on a module made with `PyModule::new`.
pub fn attr_on_module<B: Backend>() {
    with_py::<B>(|py| {
        let module = PyModule::new(py, "anypy_conformance_attr_mod")?;
        assert_eq!(module.type_name(), "module");
        assert!(module.is_instance_of::<PyModule>());
        assert_eq!(module.name()?, "anypy_conformance_attr_mod");
        assert_eq!(
            module.getattr("__name__")?.extract::<String>()?,
            "anypy_conformance_attr_mod"
        );
        assert!(!module.hasattr("VALUE")?);
        module.add("VALUE", 7i64)?;
        module.setattr("NAMES", vec!["a", "b"])?;
        assert!(module.hasattr("VALUE")?);
        assert_eq!(module.getattr("VALUE")?.extract::<i64>()?, 7);
        assert_eq!(
            module.getattr("NAMES")?.extract::<Vec<String>>()?,
            ["a", "b"]
        );
        Ok(())
    });
}

/// A missing attribute: `hasattr` is false and `getattr` is an `AttributeError`.
pub fn attr_missing<B: Backend>() {
    with_py::<B>(|py| {
        let ns = namespace(py)?;
        assert!(!ns.hasattr("nope")?);
        assert_raises(py, ns.getattr("nope"), ExceptionKind::AttributeError, "");
        let module = PyModule::new(py, "anypy_conformance_missing")?;
        assert_raises(
            py,
            module.getattr("nope"),
            ExceptionKind::AttributeError,
            "",
        );
        let number = py.to_object(5i64)?;
        assert!(!number.hasattr("no_such_attribute")?);
        assert!(number.hasattr("bit_length")?);
        assert_raises(
            py,
            number.getattr("no_such_attribute"),
            ExceptionKind::AttributeError,
            "",
        );
        let builtins = py.import("builtins")?;
        assert!(builtins.hasattr("len")?);
        assert!(!builtins.hasattr("no_such_builtin_anypy")?);
        Ok(())
    });
}

/// `setattr` keeps the value alive, `getattr` hands it back with exactly one new reference, and
/// replacing the attribute releases what the object held (PyPy's objects hold PyPy references,
/// which do not show in the count, so only what comes back is compared).
pub fn attr_setattr_refcount<B: Backend>() {
    with_py::<B>(|py| {
        let ns = namespace(py)?;
        let value = PyList::empty(py)?;
        let before = value.get_refcnt();
        ns.setattr("held", &value)?;
        let held = value.get_refcnt();
        let read = ns.getattr("held")?;
        assert!(read.is(&value));
        assert_eq!(value.get_refcnt(), held + 1);
        drop(read);
        ns.setattr("held", ())?;
        assert_eq!(value.get_refcnt(), before);
        ns.setattr("only_here", PyList::new(py, [7])?)?;
        assert_eq!(ns.getattr("only_here")?.extract::<Vec<i64>>()?, [7]);
        Ok(())
    });
}

/// Builtin functions called with positional arguments.
pub fn call_builtins_positional<B: Backend>() {
    with_py::<B>(|py| {
        assert_eq!(
            builtin(py, "len")?
                .call1((vec![1i64, 2, 3],))?
                .extract::<usize>()?,
            3
        );
        assert_eq!(
            builtin(py, "len")?
                .call1(("h\u{e9}llo",))?
                .extract::<usize>()?,
            5
        );
        assert_eq!(builtin(py, "abs")?.call1((-5i64,))?.extract::<i64>()?, 5);
        assert_eq!(
            builtin(py, "abs")?.call1((-2.5f64,))?.extract::<f64>()?,
            2.5
        );
        assert_eq!(
            builtin(py, "sorted")?
                .call1((vec![3i64, 1, 2],))?
                .extract::<Vec<i64>>()?,
            vec![1, 2, 3]
        );
        assert_eq!(
            builtin(py, "max")?
                .call1((3i64, 7i64, 5i64))?
                .extract::<i64>()?,
            7
        );
        assert_eq!(
            builtin(py, "min")?
                .call1((vec![4i64, -2, 9],))?
                .extract::<i64>()?,
            -2
        );
        assert_eq!(
            builtin(py, "sum")?
                .call1((vec![1i64, 2, 3, 4],))?
                .extract::<i64>()?,
            10
        );
        let int_class = builtin(py, "int")?;
        assert!(builtin(py, "isinstance")?
            .call1((true, &int_class))?
            .extract::<bool>()?);
        assert!(!builtin(py, "isinstance")?
            .call1(("1", &int_class))?
            .extract::<bool>()?);
        Ok(())
    });
}

/// Positional arguments as a `Vec` or a Python tuple are spread, and `call0` calls with none.
pub fn call_argument_forms<B: Backend>() {
    with_py::<B>(|py| {
        let max = builtin(py, "max")?;
        assert_eq!(max.call1(vec![4i64, 9, 2])?.extract::<i64>()?, 9);
        let args = PyTuple::new(py, [10i64, 30, 20])?;
        assert_eq!(max.call1(&args)?.extract::<i64>()?, 30);
        assert_eq!(max.call((1i64, 2i64), None)?.extract::<i64>()?, 2);
        assert_eq!(builtin(py, "int")?.call0()?.extract::<i64>()?, 0);
        assert_eq!(builtin(py, "str")?.call0()?.extract::<String>()?, "");
        assert_eq!(
            builtin(py, "list")?.call0()?.extract::<Vec<i64>>()?,
            Vec::<i64>::new()
        );
        assert_eq!(
            builtin(py, "float")?.call1(("2.5",))?.extract::<f64>()?,
            2.5
        );
        assert_eq!(
            builtin(py, "str")?
                .call1((1_000_001i64,))?
                .extract::<String>()?,
            "1000001"
        );
        Ok(())
    });
}

/// Keyword arguments through `call((), Some(&kwargs))`.
pub fn call_with_kwargs<B: Backend>() {
    with_py::<B>(|py| {
        let class = py.import("types")?.getattr("SimpleNamespace")?;
        let kwargs = PyDict::new(py)?;
        kwargs.set_item("alpha", 1i64)?;
        kwargs.set_item("beta", "two")?;
        kwargs.set_item("gamma", vec![3i64])?;
        let ns = class.call((), Some(&kwargs))?;
        assert_eq!(ns.getattr("alpha")?.extract::<i64>()?, 1);
        assert_eq!(ns.getattr("beta")?.extract::<String>()?, "two");
        assert_eq!(ns.getattr("gamma")?.extract::<Vec<i64>>()?, vec![3]);
        assert!(!ns.hasattr("delta")?);
        // The kwargs dict is only read: it is unchanged and not kept by the callee.
        assert_eq!(kwargs.len(), 3);
        // The same through `call_method` on the module.
        let via_method = py
            .import("types")?
            .call_method("SimpleNamespace", (), Some(&kwargs))?;
        assert_eq!(via_method.getattr("beta")?.extract::<String>()?, "two");
        let empty = PyDict::new(py)?;
        let bare = class.call((), Some(&empty))?;
        assert!(!bare.hasattr("alpha")?);
        Ok(())
    });
}

/// Keyword names must be strings, as in Python's `f(**{1: 2})`: a kwargs dict with a non-str
/// key is a `TypeError`, never a malformed call handed to the interpreter.
pub fn call_kwargs_non_str_key<B: Backend>() {
    with_py::<B>(|py| {
        let class = py.import("types")?.getattr("SimpleNamespace")?;
        let kwargs = PyDict::new(py)?;
        kwargs.set_item(1i64, 2i64)?;
        assert_raises(
            py,
            class.call((), Some(&kwargs)),
            ExceptionKind::TypeError,
            "",
        );
        let mixed = PyDict::new(py)?;
        mixed.set_item("ok", 1i64)?;
        mixed.set_item((1i64,), 2i64)?;
        assert_raises(
            py,
            class.call((), Some(&mixed)),
            ExceptionKind::TypeError,
            "",
        );
        Ok(())
    });
}

/// Calling a non-callable object, or a builtin with a keyword it does not take, is a `TypeError`.
pub fn call_errors<B: Backend>() {
    with_py::<B>(|py| {
        let number = py.to_object(5i64)?;
        assert_raises(py, number.call0(), ExceptionKind::TypeError, "");
        assert_raises(py, number.call1((1i64,)), ExceptionKind::TypeError, "");
        let text = py.to_object("not callable")?;
        assert_raises(py, text.call0(), ExceptionKind::TypeError, "");
        let kwargs = PyDict::new(py)?;
        kwargs.set_item("no_such_keyword", 1i64)?;
        assert_raises(
            py,
            builtin(py, "len")?.call((vec![1i64],), Some(&kwargs)),
            ExceptionKind::TypeError,
            "",
        );
        assert_raises(
            py,
            builtin(py, "len")?.call1((5i64,)),
            ExceptionKind::TypeError,
            "",
        );
        assert_raises(
            py,
            builtin(py, "int")?.call1(("x",)),
            ExceptionKind::ValueError,
            "",
        );
        Ok(())
    });
}

/// String methods through `call_method0`/`call_method1`/`call_method`.
pub fn call_method_on_str<B: Backend>() {
    with_py::<B>(|py| {
        let text = py.to_object("abc")?;
        assert_eq!(text.call_method0("upper")?.extract::<String>()?, "ABC");
        assert_eq!(
            py.to_object("MiXeD")?
                .call_method0("lower")?
                .extract::<String>()?,
            "mixed"
        );
        assert_eq!(text.extract::<String>()?, "abc", "str is immutable");
        assert!(text
            .call_method1("startswith", ("ab",))?
            .extract::<bool>()?);
        assert!(!text.call_method1("endswith", ("ab",))?.extract::<bool>()?);
        assert_eq!(
            text.call_method("replace", ("b", "XY"), None)?
                .extract::<String>()?,
            "aXYc"
        );
        let parts = py.to_object("a,b,,c")?.call_method1("split", (",",))?;
        assert_eq!(parts.extract::<Vec<String>>()?, ["a", "b", "", "c"]);
        let words = py.to_object("  two   words ")?.call_method0("split")?;
        assert_eq!(words.extract::<Vec<String>>()?, ["two", "words"]);
        let joined = py
            .to_object("-")?
            .call_method1("join", (vec!["x", "y", "z"],))?;
        assert_eq!(joined.extract::<String>()?, "x-y-z");
        Ok(())
    });
}

/// Mutating methods of lists and dicts through `call_method`.
pub fn call_method_on_containers<B: Backend>() {
    with_py::<B>(|py| {
        let list = PyList::new(py, [1i64])?;
        let returned = list.call_method1("append", (2i64,))?;
        assert!(returned.is_none(), "list.append returns None");
        list.call_method1("insert", (0i64, 0i64))?;
        assert_eq!(list.extract::<Vec<i64>>()?, vec![0, 1, 2]);
        let dict = PyDict::new(py)?;
        dict.set_item("a", 1i64)?;
        assert_eq!(dict.call_method1("get", ("a", 0i64))?.extract::<i64>()?, 1);
        assert_eq!(
            dict.call_method1("get", ("zz", "default"))?
                .extract::<String>()?,
            "default"
        );
        assert_eq!(
            py.to_object(1_000_001i64)?
                .call_method0("bit_length")?
                .extract::<u32>()?,
            20
        );
        assert_raises(
            py,
            list.call_method0("no_such_method"),
            ExceptionKind::AttributeError,
            "",
        );
        assert_raises(
            py,
            list.call_method1("index", (99i64,)),
            ExceptionKind::ValueError,
            "",
        );
        Ok(())
    });
}

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
            object::attr_on_namespace,
            object::attr_on_module,
            object::attr_missing,
            object::attr_setattr_refcount,
            object::call_builtins_positional,
            object::call_argument_forms,
            object::call_with_kwargs,
            object::call_kwargs_non_str_key,
            object::call_errors,
            object::call_method_on_str,
            object::call_method_on_containers,
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
