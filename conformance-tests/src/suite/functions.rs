//! Native functions and modules: typed Rust functions called from Python, argument errors
//! naming the function and the argument, panics turned into exceptions, callbacks, builders.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ptr::NonNull;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use anypy::exceptions::ValueError;
use anypy::types::{PyAny, PyDict, PyList, PyModule};
use anypy::{
    Backend, Bound, CallArgs, ExceptionKind, Function, Handler, IntoPyObject, ModuleBuilder,
    Parameters, Py, PyErr, PyResult, Python, ReturnKind, ReturnValue, Signature,
};

use crate::support::{assert_raises, collect_until, with_py};

fn add(a: i64, b: i64) -> i64 {
    a + b
}

fn shout(text: &str) -> String {
    text.to_uppercase()
}

fn byte_sum(data: &[u8]) -> u64 {
    data.iter().map(|&byte| u64::from(byte)).sum()
}

fn answer() -> i64 {
    42
}

fn checked_sqrt<B: Backend>(value: f64) -> PyResult<f64, B> {
    if value < 0.0 {
        return Err(PyErr::new::<ValueError, _>(format!(
            "negative input: {value}"
        )));
    }
    Ok(value.sqrt())
}

fn squares<B: Backend>(py: Python<'_, B>, count: usize) -> PyResult<Py<PyList, B>, B> {
    Ok(PyList::new(py, (0..count as i64).map(|n| n * n))?.unbind())
}

fn boom(_value: i64) -> i64 {
    panic!("boom went the native function")
}

fn call_twice<B: Backend>(
    py: Python<'_, B>,
    callback: Py<PyAny, B>,
    value: i64,
) -> PyResult<i64, B> {
    let callback = callback.bind(py);
    let once: i64 = callback.call1((value,))?.extract()?;
    callback.call1((once,))?.extract()
}

fn describe(name: &str, age: u8, tags: Vec<String>) -> BTreeMap<String, String> {
    BTreeMap::from([
        ("name".to_owned(), name.to_owned()),
        ("age".to_owned(), age.to_string()),
        ("tags".to_owned(), tags.join(",")),
    ])
}

fn maybe_double(value: Option<i64>) -> Option<i64> {
    value.map(|value| value * 2)
}

/// Two typed integer arguments in, an integer out.
pub fn fn_adds_two_ints<B: Backend>() {
    with_py::<B>(|py| {
        let f = Function::new("add", add).build(py)?;
        assert_eq!(f.call1((2, 40))?.extract::<i64>()?, 42);
        assert_eq!(f.call1((-7, 7))?.extract::<i64>()?, 0);
        Ok(())
    })
}

/// A `&str` argument is borrowed from the Python string.
pub fn fn_takes_str<B: Backend>() {
    with_py::<B>(|py| {
        let f = Function::new("shout", shout).build(py)?;
        assert_eq!(f.call1(("héllo",))?.extract::<String>()?, "HÉLLO");
        Ok(())
    })
}

/// A `&[u8]` argument is borrowed from the Python bytes.
pub fn fn_takes_bytes<B: Backend>() {
    with_py::<B>(|py| {
        let f = Function::new("byte_sum", byte_sum).build(py)?;
        assert_eq!(f.call1((&[1u8, 2, 250][..],))?.extract::<u64>()?, 253);
        assert_raises(
            py,
            f.call1(("text",)),
            ExceptionKind::TypeError,
            "byte_sum() argument 1: expected bytes, got str",
        );
        Ok(())
    })
}

/// No arguments.
pub fn fn_without_arguments<B: Backend>() {
    with_py::<B>(|py| {
        let f = Function::new("answer", answer).build(py)?;
        assert_eq!(f.call0()?.extract::<i64>()?, 42);
        Ok(())
    })
}

/// Every number type a function can return comes back with its value (integers and floats are
/// converted after the call's panic guard; see `anypy::ReturnValue`).
pub fn fn_returns_numbers_of_every_width<B: Backend>() {
    with_py::<B>(|py| {
        let max_u64 = Function::new("max_u64", || u64::MAX).build(py)?;
        assert_eq!(max_u64.call0()?.extract::<u64>()?, u64::MAX);
        let min_i8 = Function::new("min_i8", || i8::MIN).build(py)?;
        assert_eq!(min_i8.call0()?.extract::<i64>()?, -128);
        let max_u8 = Function::new("max_u8", || u8::MAX).build(py)?;
        assert_eq!(max_u8.call0()?.extract::<i64>()?, 255);
        let half = Function::new("half", || 0.5f32).build(py)?;
        assert_eq!(half.call0()?.extract::<f64>()?, 0.5);
        let fallible = Function::new("fallible", |n: i64| -> PyResult<usize, B> {
            usize::try_from(n).map_err(|_| PyErr::new::<ValueError, _>("negative"))
        })
        .build(py)?;
        assert_eq!(fallible.call1((7,))?.extract::<usize>()?, 7);
        assert_raises(
            py,
            fallible.call1((-7,)),
            ExceptionKind::ValueError,
            "negative",
        );
        Ok(())
    })
}

/// A `Handler` written by hand returns any kind of [`anypy::ReturnValue`], and each converts:
/// when its type declares no kind (the default, read from the value) and when it declares the
/// wrong one (`RETURN_KIND` is a speed hint; a value of another kind still converts).
pub fn fn_hand_written_handler_results<B: Backend>() {
    fn result<'py, B: Backend>(
        py: Python<'py, B>,
        args: CallArgs<'_, 'py, B>,
        params: &Parameters<B>,
    ) -> PyResult<ReturnValue<'py, B>, B> {
        let [which] = params.parse::<1>(py, args)?.slots;
        Ok(match which.expect("required").extract::<u8>()? {
            0 => ReturnValue::Object("text".into_pyobject(py)?),
            1 => ReturnValue::Int(-5),
            2 => ReturnValue::UInt(u64::MAX),
            _ => ReturnValue::Float(2.5),
        })
    }
    /// Declares no kind when `MISDECLARED` is false, `Int` (wrong for three of four) otherwise.
    struct Results<const MISDECLARED: bool>;
    impl<B: Backend, const MISDECLARED: bool> Handler<B, ()> for Results<MISDECLARED> {
        const RETURN_KIND: ReturnKind = if MISDECLARED {
            ReturnKind::Int
        } else {
            ReturnKind::Any
        };
        fn signature(&self, name: Cow<'static, str>) -> Signature {
            Signature::positional(name, 1)
        }
        fn call<'a, 'py>(
            &self,
            py: Python<'py, B>,
            args: CallArgs<'a, 'py, B>,
            params: &Parameters<B>,
        ) -> PyResult<ReturnValue<'py, B>, B> {
            result(py, args, params)
        }
    }
    with_py::<B>(|py| {
        let undeclared = Function::new("undeclared", Results::<false>).build(py)?;
        let misdeclared = Function::new("misdeclared", Results::<true>).build(py)?;
        for f in [undeclared, misdeclared] {
            assert_eq!(f.call1((0,))?.extract::<String>()?, "text");
            assert_eq!(f.call1((1,))?.extract::<i64>()?, -5);
            assert_eq!(f.call1((2,))?.extract::<u64>()?, u64::MAX);
            assert_eq!(f.call1((3,))?.extract::<f64>()?, 2.5);
        }
        Ok(())
    })
}

/// An `Err` return becomes the Python exception.
pub fn fn_error_becomes_exception<B: Backend>() {
    with_py::<B>(|py| {
        let f = Function::new("checked_sqrt", checked_sqrt::<B>).build(py)?;
        assert_eq!(f.call1((16.0,))?.extract::<f64>()?, 4.0);
        assert_raises(
            py,
            f.call1((-1.0,)),
            ExceptionKind::ValueError,
            "negative input: -1",
        );
        Ok(())
    })
}

/// A function can take the `Python` token first and return a `Py`.
pub fn fn_with_token_returns_py<B: Backend>() {
    with_py::<B>(|py| {
        let f = Function::new("squares", squares::<B>).build(py)?;
        let result = f.call1((4,))?;
        assert_eq!(result.extract::<Vec<i64>>()?, vec![0, 1, 4, 9]);
        Ok(())
    })
}

/// Too many or too few arguments: `TypeError` worded as Python words it.
pub fn fn_wrong_argument_count<B: Backend>() {
    with_py::<B>(|py| {
        let f = Function::new("add", add).build(py)?;
        assert_raises(
            py,
            f.call1((1, 2, 3)),
            ExceptionKind::TypeError,
            "add() takes 2 positional arguments but 3 were given",
        );
        assert_raises(
            py,
            f.call1((1,)),
            ExceptionKind::TypeError,
            "add() takes 2 positional arguments but 1 was given",
        );
        let g = Function::new("answer", answer).build(py)?;
        assert_raises(
            py,
            g.call1((1,)),
            ExceptionKind::TypeError,
            "answer() takes no arguments (1 given)",
        );
        Ok(())
    })
}

/// A wrongly typed argument: `TypeError` naming the function, the position and both types.
pub fn fn_wrong_argument_type<B: Backend>() {
    with_py::<B>(|py| {
        let f = Function::new("add", add).build(py)?;
        assert_raises(
            py,
            f.call1((1, "two")),
            ExceptionKind::TypeError,
            "add() argument 2: expected int, got str",
        );
        let named = Function::new("shout", shout)
            .arg_names(&["text"])
            .build(py)?;
        assert_raises(
            py,
            named.call1((5,)),
            ExceptionKind::TypeError,
            "shout() argument 'text': expected str, got int",
        );
        Ok(())
    })
}

/// An out-of-range argument keeps its class (`OverflowError`) and names the argument.
pub fn fn_argument_overflow<B: Backend>() {
    with_py::<B>(|py| {
        let f = Function::new("describe", describe)
            .arg_names(&["name", "age", "tags"])
            .build(py)?;
        let err = f.call1(("Ada", 300, vec!["x"])).unwrap_err();
        assert!(
            err.is_instance_of::<anypy::exceptions::OverflowError>(py),
            "got {err}"
        );
        assert_eq!(
            err.message(py),
            "describe() argument 'age': Python int 300 out of range for u8"
        );
        let ok: BTreeMap<String, String> =
            f.call1(("Ada", 36, vec!["math", "engines"]))?.extract()?;
        assert_eq!(ok["tags"], "math,engines");
        assert_eq!(ok["age"], "36");
        Ok(())
    })
}

/// A panic inside becomes a `RuntimeError`; the interpreter stays usable.
pub fn fn_panic_becomes_exception<B: Backend>() {
    with_py::<B>(|py| {
        let f = Function::new("boom", boom).build(py)?;
        assert_raises(
            py,
            f.call1((1,)),
            ExceptionKind::RuntimeError,
            "Rust panic in boom(): boom went the native function",
        );
        assert_raises(py, f.call1((2,)), ExceptionKind::RuntimeError, "boom went");
        assert_eq!(PyList::new(py, [1, 2])?.len(), 2);
        Ok(())
    })
}

/// A native function calls back into a callable it is given.
pub fn fn_calls_back<B: Backend>() {
    with_py::<B>(|py| {
        let double = Function::new("double", |n: i64| n * 2).build(py)?;
        let f = Function::new("call_twice", call_twice::<B>).build(py)?;
        assert_eq!(f.call1((&double, 5))?.extract::<i64>()?, 20);
        let failing = Function::new("checked_sqrt", checked_sqrt::<B>).build(py)?;
        assert_raises(
            py,
            f.call1((&failing, -4)),
            ExceptionKind::ValueError,
            "negative input",
        );
        Ok(())
    })
}

/// A closure keeps its captured state between calls, and is dropped when the function is freed
/// (once collected).
pub fn fn_closure_state_lives_with_the_function<B: Backend>() {
    let calls = Arc::new(AtomicUsize::new(0));
    with_py::<B>(|py| {
        let counter = calls.clone();
        let f =
            Function::new("tick", move || counter.fetch_add(1, Ordering::SeqCst) + 1).build(py)?;
        assert_eq!(f.call0()?.extract::<usize>()?, 1);
        assert_eq!(f.call0()?.extract::<usize>()?, 2);
        assert_eq!(Arc::strong_count(&calls), 2);
        drop(f);
        collect_until(py, || Arc::strong_count(&calls) == 1)?;
        assert_eq!(
            Arc::strong_count(&calls),
            1,
            "dropping the function drops its closure"
        );
        Ok(())
    });
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

/// `Option` arguments accept `None`; results convert back.
pub fn fn_optional_argument<B: Backend>() {
    with_py::<B>(|py| {
        let f = Function::new("maybe_double", maybe_double).build(py)?;
        assert_eq!(f.call1((21,))?.extract::<Option<i64>>()?, Some(42));
        assert!(f.call1((py.none(),))?.is_none());
        Ok(())
    })
}

/// Arguments are borrowed for the call: many calls change no refcount.
pub fn fn_calls_leave_argument_counts_unchanged<B: Backend>() {
    with_py::<B>(|py| {
        let f = Function::new("length", |items: Py<PyList, B>| {
            Python::<B>::with_gil(|py| items.bind(py).len())
        })
        .build(py)?;
        let list = PyList::new(py, [1, 2, 3])?;
        let before = list.get_refcnt();
        for _ in 0..1000 {
            assert_eq!(f.call1((&list,))?.extract::<usize>()?, 3);
        }
        assert_eq!(list.get_refcnt(), before);
        Ok(())
    })
}

/// The reused-dict loop: one dict passed to a native callback many times holds steady.
pub fn fn_reused_dict_loop_is_flat<B: Backend>() {
    with_py::<B>(|py| {
        let f = Function::new("size", |dict: Py<PyDict, B>| {
            Python::<B>::with_gil(|py| dict.bind(py).len())
        })
        .build(py)?;
        let dict = PyDict::new(py)?;
        dict.set_item("a", 1)?;
        let before = dict.get_refcnt();
        for round in 0..10_000 {
            dict.set_item("round", round)?;
            assert_eq!(f.call1((&dict,))?.extract::<usize>()?, 2);
        }
        assert_eq!(dict.get_refcnt(), before);
        Ok(())
    })
}

/// Keyword arguments to a positional-only native function are a `TypeError`.
pub fn fn_rejects_keyword_arguments<B: Backend>() {
    with_py::<B>(|py| {
        let f = Function::new("add", add).build(py)?;
        let kwargs = PyDict::new(py)?;
        kwargs.set_item("a", 1)?;
        let err = f.call((1,), Some(&kwargs)).unwrap_err();
        assert!(
            err.is_instance_of::<anypy::exceptions::TypeError>(py),
            "got {err}"
        );
        Ok(())
    })
}

/// The module builder adds functions and constants under their names.
pub fn module_builder_adds_functions_and_constants<B: Backend>() {
    with_py::<B>(|py| {
        let builder = ModuleBuilder::new(py, "anypy_conformance_demo")?;
        builder
            .function("add", add)?
            .function("shout", shout)?
            .add_function(
                Function::new("sqrt", checked_sqrt::<B>)
                    .doc("Square root; ValueError if negative."),
            )?
            .constant("VERSION", "1.2.3")?
            .constant("LIMITS", (1, 10))?;
        let module = builder.finish();
        assert_eq!(module.name()?, "anypy_conformance_demo");
        assert_eq!(module.getattr("add")?.call1((1, 2))?.extract::<i64>()?, 3);
        assert_eq!(
            module.call_method1("shout", ("hi",))?.extract::<String>()?,
            "HI"
        );
        assert_eq!(module.getattr("VERSION")?.extract::<String>()?, "1.2.3");
        assert_eq!(module.getattr("LIMITS")?.extract::<(i64, i64)>()?, (1, 10));
        assert!(!module.hasattr("missing")?);
        Ok(())
    })
}

/// A built module registered in `sys.modules` is importable by name, as the same object.
pub fn module_registered_is_importable<B: Backend>() {
    with_py::<B>(|py| {
        let name = "anypy_conformance_registered";
        let module = PyModule::new(py, name)?;
        module.add("answer", 42)?;
        let modules = py.import("sys")?.getattr("modules")?;
        modules.set_item(name, &module)?;
        let imported = py.import(name)?;
        assert!(imported.is(&module));
        assert_eq!(imported.getattr("answer")?.extract::<i64>()?, 42);
        modules.call_method1("pop", (name,))?;
        Ok(())
    })
}

/// A function's `__name__` is the name it was built with (its repr is the interpreter's: PyPy's
/// does not show the name).
pub fn fn_name_attribute_names_the_function<B: Backend>() {
    with_py::<B>(|py| {
        let f = Function::new("my_native", add).build(py)?;
        assert_eq!(f.getattr("__name__")?.extract::<String>()?, "my_native");
        assert!(f.repr()?.to_str()?.starts_with('<'));
        Ok(())
    })
}

/// Importing a missing module is an `ImportError`.
pub fn module_import_missing_is_import_error<B: Backend>() {
    with_py::<B>(|py| {
        let err = py.import("anypy_no_such_module_here").unwrap_err();
        assert!(err.matches(py, ExceptionKind::ImportError), "got {err}");
        Ok(())
    })
}

fn init_demo<B: Backend>(module: &ModuleBuilder<'_, B>) -> PyResult<(), B> {
    module.function("add", add)?.constant("VERSION", "2.0")?;
    Ok(())
}

/// What an extension's `PyInit_<name>` runs (`module_init`, as `python_module!` emits it):
/// a module with the init function's contents; an init error or panic becomes a Python
/// exception and a null result, never an unwind.
pub fn extension_module_init<B: Backend>() {
    with_py::<B>(|py| {
        // SAFETY: the GIL is held, as the import machinery guarantees for PyInit.
        let module = unsafe { anypy::module_init::<B>("anypy_conformance_ext", init_demo::<B>) };
        let module = NonNull::new(module).expect("module_init succeeded");
        // SAFETY: module_init returned a new reference.
        let module = unsafe { Bound::<PyAny, B>::from_owned_ptr(py, module) };
        assert_eq!(
            module.getattr("__name__")?.extract::<String>()?,
            "anypy_conformance_ext"
        );
        assert_eq!(
            module.getattr("add")?.call1((20, 22))?.extract::<i64>()?,
            42
        );
        assert_eq!(module.getattr("VERSION")?.extract::<String>()?, "2.0");

        // SAFETY: as above.
        let failed = unsafe {
            anypy::module_init::<B>("anypy_conformance_ext_err", |_m: &ModuleBuilder<'_, B>| {
                Err(PyErr::new::<ValueError, _>("init refused"))
            })
        };
        assert!(failed.is_null());
        let err = PyErr::take(py).expect("the init error is set");
        assert!(err.matches(py, ExceptionKind::ValueError), "got {err}");
        assert_eq!(err.message(py), "init refused");

        // SAFETY: as above.
        let panicked = unsafe {
            anypy::module_init::<B>(
                "anypy_conformance_ext_panic",
                |_m: &ModuleBuilder<'_, B>| panic!("init exploded"),
            )
        };
        assert!(panicked.is_null());
        let err = PyErr::take(py).expect("the panic became an exception");
        assert!(err.matches(py, ExceptionKind::RuntimeError), "got {err}");
        assert!(err.message(py).contains("init exploded"), "got {err}");
        Ok(())
    })
}

#[doc(hidden)]
#[macro_export]
macro_rules! __suite_functions {
    ($backend:ty, $harness:expr) => {
        $crate::__conformance_emit!($backend, $harness;
            functions::fn_adds_two_ints,
            functions::fn_takes_str,
            functions::fn_takes_bytes,
            functions::fn_without_arguments,
            functions::fn_returns_numbers_of_every_width,
            functions::fn_hand_written_handler_results,
            functions::fn_error_becomes_exception,
            functions::fn_with_token_returns_py,
            functions::fn_wrong_argument_count,
            functions::fn_wrong_argument_type,
            functions::fn_argument_overflow,
            functions::fn_panic_becomes_exception,
            functions::fn_calls_back,
            functions::fn_closure_state_lives_with_the_function,
            functions::fn_optional_argument,
            functions::fn_calls_leave_argument_counts_unchanged,
            functions::fn_reused_dict_loop_is_flat,
            functions::fn_rejects_keyword_arguments,
            functions::module_builder_adds_functions_and_constants,
            functions::module_registered_is_importable,
            functions::fn_name_attribute_names_the_function,
            functions::module_import_missing_is_import_error,
            functions::extension_module_init,
        );
    };
}
