//! Attributes and calls on `Bound<PyAny>`: `getattr`/`setattr` and their errors, every call
//! form (positional, tuple, `Vec`, keyword arguments) and its errors, and method calls.

use anypy::types::{PyAny, PyDict, PyList, PyModule, PyTuple};
use anypy::{Backend, Bound, ExceptionKind, PyResult, Python};

use crate::support::{assert_raises, builtin, with_py};

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

#[doc(hidden)]
#[macro_export]
macro_rules! __suite_calls {
    ($backend:ty, $harness:expr) => {
        $crate::__conformance_emit!($backend, $harness;
            calls::attr_on_namespace,
            calls::attr_on_module,
            calls::attr_missing,
            calls::attr_setattr_refcount,
            calls::call_builtins_positional,
            calls::call_argument_forms,
            calls::call_with_kwargs,
            calls::call_kwargs_non_str_key,
            calls::call_errors,
            calls::call_method_on_str,
            calls::call_method_on_containers,
        );
    };
}
