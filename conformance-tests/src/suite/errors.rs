//! `PyErr`: raising from Rust, display, restore/take/fetch, the class hierarchy, kinds of
//! errors raised by the interpreter, exception values, and the Rust error traits.

use anypy::exceptions::{
    ArithmeticError, BaseException, Exception, IndexError, KeyError, LookupError, OverflowError,
    PyExceptionType, RuntimeError, TypeError, ValueError,
};
use anypy::types::{PyBaseException, PyDict, PyList, PyTuple};
use anypy::{Backend, ExceptionKind, PyErr, PyResult, Python};

use crate::support::{assert_raises, builtin, with_py};

/// A `KeyError` raised by the interpreter: deleting a missing key.
fn fetched_key_error<B: Backend>(py: Python<'_, B>, key: &str) -> PyResult<PyErr<B>, B> {
    let dict = PyDict::new(py)?;
    Ok(dict
        .del_item(key)
        .expect_err("deleting a missing key fails"))
}

/// A `ValueError` raised by the interpreter: `int("x")`.
fn fetched_value_error<B: Backend>(py: Python<'_, B>) -> PyResult<PyErr<B>, B> {
    Ok(builtin(py, "int")?
        .call1(("x",))
        .expect_err("int('x') fails"))
}

/// `PyErr::new::<E, _>(msg)` displays as `E: msg`.
pub fn err_new_display<B: Backend>() {
    with_py::<B>(|py| {
        let err = PyErr::<B>::new::<TypeError, _>("msg");
        assert_eq!(err.to_string(), "TypeError: msg");
        assert_eq!(err.type_name(py), "TypeError");
        assert_eq!(err.message(py), "msg");
        let owned = PyErr::<B>::new::<RuntimeError, _>(format!("value {}", 42));
        assert_eq!(owned.to_string(), "RuntimeError: value 42");
        let unicode = PyErr::<B>::new::<ValueError, _>("caf\u{e9} \u{1f40d}");
        assert_eq!(unicode.to_string(), "ValueError: caf\u{e9} \u{1f40d}");
        Ok(())
    });
}

/// The marker's `new_err` is the same as `PyErr::new`.
pub fn err_new_err_marker<B: Backend>() {
    with_py::<B>(|py| {
        let err: PyErr<B> = ValueError::new_err("bad value");
        assert_eq!(err.to_string(), "ValueError: bad value");
        assert_eq!(err.kind(py), Some(ExceptionKind::ValueError));
        let index: PyErr<B> = IndexError::new_err(String::from("out"));
        assert_eq!(index.kind(py), Some(ExceptionKind::IndexError));
        let from_kind = PyErr::<B>::from_kind(ExceptionKind::OverflowError, "too big");
        assert_eq!(from_kind.to_string(), "OverflowError: too big");
        assert!(from_kind.is_instance_of::<OverflowError>(py));
        Ok(())
    });
}

/// An empty message displays just the class name.
pub fn err_empty_message_display<B: Backend>() {
    with_py::<B>(|py| {
        let err = PyErr::<B>::new::<RuntimeError, _>("");
        assert_eq!(err.to_string(), "RuntimeError");
        assert_eq!(err.message(py), "");
        // Also after a trip through the interpreter.
        PyErr::<B>::new::<ValueError, _>("").restore(py);
        let fetched = PyErr::take(py).expect("just restored");
        assert_eq!(fetched.to_string(), "ValueError");
        Ok(())
    });
}

/// `Debug` names the backend and shows the display text.
pub fn err_debug_format<B: Backend>() {
    with_py::<B>(|_py| {
        let err = PyErr::<B>::new::<TypeError, _>("msg");
        assert_eq!(
            format!("{err:?}"),
            format!("PyErr<{}>(TypeError: msg)", B::NAME)
        );
        Ok(())
    });
}

/// `restore` then `take` keeps the class and the message, and clears the indicator.
pub fn err_restore_take_roundtrip<B: Backend>() {
    with_py::<B>(|py| {
        PyErr::<B>::new::<TypeError, _>("restored message").restore(py);
        let err = PyErr::take(py).expect("an exception is set");
        assert_eq!(err.kind(py), Some(ExceptionKind::TypeError));
        assert_eq!(err.type_name(py), "TypeError");
        assert_eq!(err.message(py), "restored message");
        assert_eq!(err.to_string(), "TypeError: restored message");
        assert!(PyErr::take(py).is_none(), "take clears the indicator");
        Ok(())
    });
}

/// `take` with no exception set is `None`, and `fetch` is a `SystemError`.
pub fn err_take_and_fetch_without_exception<B: Backend>() {
    with_py::<B>(|py| {
        assert!(PyErr::<B>::take(py).is_none());
        let err = PyErr::<B>::fetch(py);
        assert_eq!(err.kind(py), Some(ExceptionKind::SystemError));
        assert_eq!(err.type_name(py), "SystemError");
        assert_eq!(err.message(py), "error return without exception set");
        assert!(
            PyErr::<B>::take(py).is_none(),
            "fetch does not set anything"
        );
        Ok(())
    });
}

/// A later `restore` replaces the exception currently set.
pub fn err_restore_replaces_current<B: Backend>() {
    with_py::<B>(|py| {
        PyErr::<B>::new::<ValueError, _>("first").restore(py);
        PyErr::<B>::new::<TypeError, _>("second").restore(py);
        let err = PyErr::take(py).expect("set");
        assert_eq!(err.kind(py), Some(ExceptionKind::TypeError));
        assert_eq!(err.message(py), "second");
        assert!(PyErr::<B>::take(py).is_none());
        Ok(())
    });
}

/// Lazy errors follow Python's class hierarchy.
pub fn err_hierarchy_lazy<B: Backend>() {
    with_py::<B>(|py| {
        let key = PyErr::<B>::new::<KeyError, _>("k");
        assert!(key.is_instance_of::<KeyError>(py));
        assert!(key.is_instance_of::<LookupError>(py));
        assert!(key.is_instance_of::<Exception>(py));
        assert!(key.is_instance_of::<BaseException>(py));
        assert!(!key.is_instance_of::<ValueError>(py));
        assert!(!key.is_instance_of::<IndexError>(py));
        let overflow = PyErr::<B>::new::<OverflowError, _>("o");
        assert!(overflow.is_instance_of::<ArithmeticError>(py));
        assert!(!overflow.is_instance_of::<LookupError>(py));
        let lookup = PyErr::<B>::new::<LookupError, _>("l");
        assert!(
            !lookup.is_instance_of::<KeyError>(py),
            "a base is not an instance of a subclass"
        );
        let not_impl = PyErr::<B>::from_kind(ExceptionKind::NotImplementedError, "n");
        assert!(not_impl.is_instance_of::<RuntimeError>(py));
        Ok(())
    });
}

/// Errors fetched from the interpreter follow the same hierarchy.
pub fn err_hierarchy_fetched<B: Backend>() {
    with_py::<B>(|py| {
        let key = fetched_key_error(py, "missing")?;
        assert!(key.is_instance_of::<KeyError>(py));
        assert!(key.is_instance_of::<LookupError>(py));
        assert!(key.is_instance_of::<Exception>(py));
        assert!(key.is_instance_of::<BaseException>(py));
        assert!(!key.is_instance_of::<ValueError>(py));
        assert!(!key.is_instance_of::<IndexError>(py));
        assert!(!key.is_instance_of::<TypeError>(py));
        PyErr::<B>::new::<OverflowError, _>("o").restore(py);
        let overflow = PyErr::take(py).expect("set");
        assert!(overflow.is_instance_of::<ArithmeticError>(py));
        assert!(!overflow.is_instance_of::<ValueError>(py));
        Ok(())
    });
}

/// `kind()` is the most specific builtin class, for errors raised by the interpreter.
pub fn err_kind_of_interpreter_errors<B: Backend>() {
    with_py::<B>(|py| {
        assert_eq!(
            fetched_key_error(py, "missing")?.kind(py),
            Some(ExceptionKind::KeyError)
        );
        assert_eq!(
            fetched_value_error(py)?.kind(py),
            Some(ExceptionKind::ValueError)
        );
        let list = py.to_object(vec![1i64])?;
        let index = list.get_item(5i64).expect_err("out of range");
        assert_eq!(index.kind(py), Some(ExceptionKind::IndexError));
        let dict = PyDict::new(py)?;
        let key = dict.as_any().get_item("absent").expect_err("missing key");
        assert_eq!(key.kind(py), Some(ExceptionKind::KeyError));
        let attr = py
            .to_object(1i64)?
            .getattr("nope")
            .expect_err("no attribute");
        assert_eq!(attr.kind(py), Some(ExceptionKind::AttributeError));
        let type_err = builtin(py, "len")?.call1((5i64,)).expect_err("len(5)");
        assert_eq!(type_err.kind(py), Some(ExceptionKind::TypeError));
        assert_eq!(type_err.type_name(py), "TypeError");
        Ok(())
    });
}

/// An exception of a class anypy does not name (e.g. `UnicodeDecodeError`) reports the nearest
/// builtin base it names as its kind.
pub fn err_kind_of_unnamed_subclass<B: Backend>() {
    with_py::<B>(|py| {
        let bad = anypy::types::PyBytes::new(py, b"\xff")?;
        let err = bad.call_method0("decode").expect_err("invalid UTF-8");
        assert_eq!(err.kind(py), Some(ExceptionKind::ValueError));
        assert!(err.is_instance_of::<ValueError>(py));
        assert!(err.is_instance_of::<Exception>(py));
        assert!(!err.is_instance_of::<TypeError>(py));
        let value = err.value(py)?;
        assert!(value.is_instance(&builtin(py, "ValueError")?)?);
        Ok(())
    });
}

/// Every kind survives `restore`/`take` with its class, name and message.
pub fn err_every_kind_roundtrip<B: Backend>() {
    with_py::<B>(|py| {
        for kind in ExceptionKind::MOST_SPECIFIC_FIRST {
            PyErr::<B>::from_kind(kind, "m").restore(py);
            let err = PyErr::take(py).unwrap_or_else(|| panic!("{kind:?} was not set"));
            assert_eq!(err.kind(py), Some(kind), "kind of a restored {kind:?}");
            assert_eq!(err.type_name(py), kind.name());
            assert!(err.matches(py, kind));
            assert!(err.matches(py, ExceptionKind::BaseException));
            // str(KeyError("m")) is the repr of its argument.
            let expected = if kind == ExceptionKind::KeyError {
                "'m'"
            } else {
                "m"
            };
            assert_eq!(err.message(py), expected, "message of a restored {kind:?}");
        }
        Ok(())
    });
}

/// `message()` is `str(exception)` and `Display` is `Name: str(exception)`, whether the error
/// is still lazy or has been through the interpreter (for `KeyError`, `str` is the key's repr).
pub fn err_message_is_str_of_value<B: Backend>() {
    with_py::<B>(|py| {
        for kind in ExceptionKind::MOST_SPECIFIC_FIRST {
            let lazy = PyErr::<B>::from_kind(kind, "m");
            let value_str = lazy.value(py)?.str()?.to_str()?.to_owned();
            assert_eq!(lazy.message(py), value_str, "message of a lazy {kind:?}");
            assert_eq!(
                lazy.to_string(),
                format!("{}: {value_str}", kind.name()),
                "display of a lazy {kind:?}"
            );
            lazy.restore(py);
            let fetched = PyErr::take(py).expect("restored");
            assert_eq!(
                fetched.message(py),
                value_str,
                "message of a restored {kind:?}"
            );
        }
        Ok(())
    });
}

/// `matches` by `ExceptionKind`, on lazy and fetched errors.
pub fn err_matches_by_kind<B: Backend>() {
    with_py::<B>(|py| {
        let lazy = PyErr::<B>::new::<IndexError, _>("i");
        assert!(lazy.matches(py, ExceptionKind::IndexError));
        assert!(lazy.matches(py, ExceptionKind::LookupError));
        assert!(!lazy.matches(py, ExceptionKind::KeyError));
        let fetched = fetched_value_error(py)?;
        assert!(fetched.matches(py, ExceptionKind::ValueError));
        assert!(fetched.matches(py, ExceptionKind::Exception));
        assert!(!fetched.matches(py, ExceptionKind::TypeError));
        assert!(!fetched.matches(py, ExceptionKind::ArithmeticError));
        Ok(())
    });
}

/// A `KeyError`'s message is the repr of the key, as Python shows it.
pub fn err_key_error_message_is_repr<B: Backend>() {
    with_py::<B>(|py| {
        let err = fetched_key_error(py, "missing")?;
        assert_eq!(err.message(py), "'missing'");
        assert_eq!(err.to_string(), "KeyError: 'missing'");
        let dict = PyDict::new(py)?;
        let by_int = dict.del_item(1_000_001i64).expect_err("missing");
        assert_eq!(by_int.message(py), "1000001");
        let by_get = dict.as_any().get_item("absent").expect_err("missing");
        assert_eq!(by_get.message(py), "'absent'");
        Ok(())
    });
}

/// `value()` of an error raised from Rust is an exception instance with `args == (msg,)`.
pub fn err_value_of_lazy_error<B: Backend>() {
    with_py::<B>(|py| {
        let err = PyErr::<B>::new::<ValueError, _>("boom");
        let value = err.value(py)?;
        assert_eq!(value.type_name(), "ValueError");
        assert!(value.is_instance_of::<PyBaseException>());
        assert!(value.is_instance(&builtin(py, "ValueError")?)?);
        assert!(value.is_instance(&builtin(py, "Exception")?)?);
        let args = value.getattr("args")?;
        assert!(args.is_instance_of::<PyTuple>());
        assert_eq!(args.len()?, 1);
        assert_eq!(args.extract::<(String,)>()?, ("boom".to_owned(),));
        assert_eq!(value.str()?.to_str()?, "boom");
        // The error is still usable afterwards.
        assert_eq!(err.to_string(), "ValueError: boom");
        Ok(())
    });
}

/// `value()` of an error fetched from the interpreter is the raised instance.
pub fn err_value_of_fetched_error<B: Backend>() {
    with_py::<B>(|py| {
        let err = fetched_key_error(py, "gone")?;
        let value = err.value(py)?;
        assert_eq!(value.type_name(), "KeyError");
        assert!(value.is_instance_of::<PyBaseException>());
        assert_eq!(
            value.getattr("args")?.extract::<(String,)>()?,
            ("gone".to_owned(),)
        );
        assert!(err.value(py)?.is(&value), "the same instance each time");
        let parse = fetched_value_error(py)?;
        let args = parse.value(py)?.getattr("args")?;
        let (message,): (String,) = args.extract()?;
        assert_eq!(message, parse.message(py));
        assert!(parse.to_string().starts_with("ValueError: "));
        Ok(())
    });
}

/// Calling an exception class makes an instance (nothing is raised); the class hierarchy is
/// visible through `isinstance`.
pub fn err_exception_class_call<B: Backend>() {
    with_py::<B>(|py| {
        let instance = builtin(py, "KeyError")?.call1(("k",))?;
        assert_eq!(instance.type_name(), "KeyError");
        assert!(instance.is_instance_of::<PyBaseException>());
        assert!(instance.is_instance(&builtin(py, "LookupError")?)?);
        assert!(!instance.is_instance(&builtin(py, "ValueError")?)?);
        assert_eq!(
            instance.getattr("args")?.extract::<(String,)>()?,
            ("k".to_owned(),)
        );
        assert!(
            PyErr::<B>::take(py).is_none(),
            "making an instance raises nothing"
        );
        let two_args = builtin(py, "RuntimeError")?.call1(("a", 2i64))?;
        assert_eq!(
            two_args.getattr("args")?.extract::<(String, i64)>()?,
            ("a".to_owned(), 2)
        );
        let no_args = builtin(py, "TypeError")?.call0()?;
        assert_eq!(no_args.getattr("args")?.len()?, 0);
        Ok(())
    });
}

/// An error fetched from the interpreter can be restored and taken again: the same instance.
pub fn err_fetched_restore_keeps_instance<B: Backend>() {
    with_py::<B>(|py| {
        let err = fetched_value_error(py)?;
        let value = err.value(py)?;
        let message = err.message(py);
        err.restore(py);
        let again = PyErr::take(py).expect("restored");
        assert!(again.value(py)?.is(&value));
        assert_eq!(again.kind(py), Some(ExceptionKind::ValueError));
        assert_eq!(again.message(py), message);
        assert!(PyErr::<B>::take(py).is_none());
        Ok(())
    });
}

/// A lazy error whose value was made can still be restored and taken.
pub fn err_lazy_value_then_restore<B: Backend>() {
    with_py::<B>(|py| {
        let err = PyErr::<B>::new::<LookupError, _>("lazy");
        let value = err.value(py)?;
        assert_eq!(value.type_name(), "LookupError");
        err.restore(py);
        let taken = PyErr::take(py).expect("restored");
        assert_eq!(taken.kind(py), Some(ExceptionKind::LookupError));
        assert_eq!(taken.message(py), "lazy");
        assert_eq!(
            taken.value(py)?.getattr("args")?.extract::<(String,)>()?,
            ("lazy".to_owned(),)
        );
        Ok(())
    });
}

/// Extraction and downcast errors are `TypeError`s that report their class and message.
pub fn err_conversion_errors<B: Backend>() {
    with_py::<B>(|py| {
        let err = py
            .to_object("x")?
            .extract::<i64>()
            .expect_err("str is not int");
        assert_eq!(err.kind(py), Some(ExceptionKind::TypeError));
        assert!(err.is_instance_of::<TypeError>(py));
        assert_eq!(err.to_string(), "TypeError: expected int, got str");
        let value = err.value(py)?;
        assert_eq!(value.type_name(), "TypeError");
        assert_eq!(
            value.getattr("args")?.extract::<(String,)>()?,
            ("expected int, got str".to_owned(),)
        );
        let overflow = py.to_object(300i64)?.extract::<u8>().expect_err("too big");
        assert!(overflow.is_instance_of::<ArithmeticError>(py));
        assert_eq!(
            overflow.to_string(),
            "OverflowError: Python int 300 out of range for u8"
        );
        Ok(())
    });
}

/// `PyErr` is `Send + Sync`, implements `std::error::Error`, and converts with `?`.
pub fn err_rust_error_traits<B: Backend>() {
    fn assert_send_sync<T: Send + Sync + 'static>() {}
    assert_send_sync::<PyErr<B>>();

    fn describe(err: &dyn std::error::Error) -> String {
        assert!(err.source().is_none());
        err.to_string()
    }

    fn fails<B: Backend>() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        Err(PyErr::<B>::new::<ValueError, _>("boxed"))?;
        Ok(())
    }

    with_py::<B>(|_py| {
        let err = PyErr::<B>::new::<TypeError, _>("as dyn Error");
        assert_eq!(describe(&err), "TypeError: as dyn Error");
        let boxed = fails::<B>().expect_err("fails");
        assert_eq!(boxed.to_string(), "ValueError: boxed");
        assert!(boxed.downcast_ref::<PyErr<B>>().is_some());
        Ok(())
    });
    // A fetched error can move to another thread and be displayed there.
    let err = Python::<B>::with_gil(|py| fetched_key_error(py, "sent").expect("made"));
    let shown = std::thread::spawn(move || {
        Python::<B>::with_gil(move |_py| {
            let shown = err.to_string();
            drop(err);
            shown
        })
    })
    .join()
    .expect("thread");
    assert_eq!(shown, "KeyError: 'sent'");
}

/// `traceback()` is an optional object (a real interpreter may record one).
pub fn err_traceback_is_optional<B: Backend>() {
    with_py::<B>(|py| {
        let lazy = PyErr::<B>::new::<ValueError, _>("no traceback yet");
        assert!(lazy.traceback(py).is_none(), "nothing was raised in Python");
        let fetched = fetched_value_error(py)?;
        if let Some(traceback) = fetched.traceback(py) {
            assert!(!traceback.is_none());
        }
        // Restoring keeps the error intact whatever its traceback.
        fetched.restore(py);
        let again = PyErr::take(py).expect("restored");
        assert_eq!(again.kind(py), Some(ExceptionKind::ValueError));
        Ok(())
    });
}

/// Errors in the middle of a Rust operation leave the interpreter clean for the next one.
pub fn err_indicator_clean_after_failures<B: Backend>() {
    with_py::<B>(|py| {
        let list = PyList::new(py, [1i64])?;
        assert_raises(py, list.get_item(3), ExceptionKind::IndexError, "");
        assert!(PyErr::<B>::take(py).is_none());
        assert_raises(
            py,
            list.as_any().get_item(3i64),
            ExceptionKind::IndexError,
            "",
        );
        assert!(PyErr::<B>::take(py).is_none());
        assert_raises(
            py,
            py.to_object(1i64)?.getattr("nope"),
            ExceptionKind::AttributeError,
            "",
        );
        assert!(PyErr::<B>::take(py).is_none());
        assert!(!py.to_object(1i64)?.hasattr("nope")?);
        assert!(
            PyErr::<B>::take(py).is_none(),
            "hasattr swallows the AttributeError"
        );
        let dict = PyDict::new(py)?;
        assert!(dict.get_item("missing")?.is_none());
        assert!(PyErr::<B>::take(py).is_none(), "a missing key sets nothing");
        Ok(())
    });
}

#[doc(hidden)]
#[macro_export]
macro_rules! __suite_errors {
    ($backend:ty, $harness:expr) => {
        $crate::__conformance_emit!($backend, $harness;
            errors::err_new_display,
            errors::err_new_err_marker,
            errors::err_empty_message_display,
            errors::err_debug_format,
            errors::err_restore_take_roundtrip,
            errors::err_take_and_fetch_without_exception,
            errors::err_restore_replaces_current,
            errors::err_hierarchy_lazy,
            errors::err_hierarchy_fetched,
            errors::err_kind_of_interpreter_errors,
            errors::err_kind_of_unnamed_subclass,
            errors::err_every_kind_roundtrip,
            errors::err_message_is_str_of_value,
            errors::err_matches_by_kind,
            errors::err_key_error_message_is_repr,
            errors::err_value_of_lazy_error,
            errors::err_value_of_fetched_error,
            errors::err_exception_class_call,
            errors::err_fetched_restore_keeps_instance,
            errors::err_lazy_value_then_restore,
            errors::err_conversion_errors,
            errors::err_rust_error_traits,
            errors::err_traceback_is_optional,
            errors::err_indicator_clean_after_failures,
        );
    };
}
