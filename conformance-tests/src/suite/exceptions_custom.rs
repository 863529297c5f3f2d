//! Exception classes made with `create_exception!`: one class object per process per backend,
//! deriving from a builtin class or another custom one, raised from Rust and from a native
//! function, matched by its class and its bases, displayed `Name: message`, added to modules.

use anypy::exceptions::{Exception, KeyError, LookupError, PyExceptionType, ValueError};
use anypy::types::PyBaseException;
use anypy::{create_exception, Backend, ExceptionKind, Function, ModuleBuilder, PyErr, PyResult};

use crate::support::with_py;

create_exception!(suite, ParseError, ValueError, "Input could not be parsed.");
create_exception!(suite, LineError, ParseError);
create_exception!(suite, MissingEntry, KeyError);
create_exception!(suite, AppError, Exception);

fn parse_positive<B: Backend>(text: &str) -> PyResult<u32, B> {
    match text.parse::<u32>() {
        Ok(0) => Err(LineError::new_err("zero is not positive")),
        Ok(value) => Ok(value),
        Err(_) => Err(PyErr::new::<ParseError, _>(format!(
            "not a number: {text:?}"
        ))),
    }
}

/// An error raised from Rust matches its class and every base, and is displayed by name.
pub fn custom_exception_matches_its_class_and_bases<B: Backend>() {
    with_py::<B>(|py| {
        let err = PyErr::<B>::new::<ParseError, _>("bad input");
        assert!(err.is_instance_of::<ParseError>(py));
        assert!(err.is_instance_of::<ValueError>(py));
        assert!(err.matches(py, ExceptionKind::Exception));
        assert!(!err.is_instance_of::<LineError>(py));
        assert!(!err.is_instance_of::<LookupError>(py));
        assert_eq!(err.kind(py), Some(ExceptionKind::ValueError));
        assert_eq!(err.type_name(py), "ParseError");
        assert_eq!(err.to_string(), "ParseError: bad input");
        Ok(())
    })
}

/// Restored into the interpreter and fetched back, the error keeps its class, its message and
/// its bases; its value is an instance of the class object.
pub fn custom_exception_survives_the_interpreter<B: Backend>() {
    with_py::<B>(|py| {
        LineError::new_err::<B>("line 3").restore(py);
        let err = PyErr::fetch(py);
        assert!(err.is_instance_of::<LineError>(py));
        assert!(err.is_instance_of::<ParseError>(py));
        assert!(err.is_instance_of::<ValueError>(py));
        assert!(!err.is_instance_of::<AppError>(py));
        assert_eq!(err.to_string(), "LineError: line 3");
        let value = err.value(py)?;
        assert!(value.is_instance(&LineError::type_object(py)?)?);
        assert!(value.is_instance(&ParseError::type_object(py)?)?);
        assert!(value.is_instance_of::<PyBaseException>());
        Ok(())
    })
}

/// The class object is made once: the same object every time, named `module.Name`, with its
/// docstring; calling it makes instances, as for any class.
pub fn custom_exception_class_is_made_once<B: Backend>() {
    with_py::<B>(|py| {
        let class = ParseError::type_object(py)?;
        assert!(class.is(&ParseError::type_object(py)?));
        assert_eq!(
            class.getattr("__name__")?.extract::<String>()?,
            "ParseError"
        );
        assert_eq!(class.getattr("__module__")?.extract::<String>()?, "suite");
        assert_eq!(
            class.getattr("__doc__")?.extract::<String>()?,
            "Input could not be parsed."
        );
        assert!(AppError::type_object(py)?.getattr("__doc__")?.is_none());
        let instance = class.call1(("by hand",))?;
        assert!(instance.is_instance(&ValueError::type_object(py)?)?);
        assert_eq!(instance.str()?.to_str()?, "by hand");
        Ok(())
    })
}

/// A native function returning a custom error raises it; the caller matches it by class.
pub fn custom_exception_raised_by_a_native_function<B: Backend>() {
    with_py::<B>(|py| {
        let parse = Function::new("parse_positive", parse_positive::<B>).build(py)?;
        assert_eq!(parse.call1(("12",))?.extract::<u32>()?, 12);
        let err = parse.call1(("x",)).expect_err("not a number");
        assert!(err.is_instance_of::<ParseError>(py) && !err.is_instance_of::<LineError>(py));
        assert_eq!(err.to_string(), "ParseError: not a number: \"x\"");
        let err = parse.call1(("0",)).expect_err("zero");
        assert!(err.is_instance_of::<LineError>(py) && err.is_instance_of::<ValueError>(py));
        assert_eq!(err.message(py), "zero is not positive");
        Ok(())
    })
}

/// A subclass of `KeyError` shows its argument as a repr, as `KeyError` does.
pub fn custom_key_error_shows_a_repr<B: Backend>() {
    with_py::<B>(|py| {
        let err = MissingEntry::new_err::<B>("name");
        assert!(err.is_instance_of::<KeyError>(py));
        assert_eq!(err.message(py), "'name'");
        Ok(())
    })
}

/// `ModuleBuilder::exception` adds the class under its name.
pub fn module_builder_adds_exception_classes<B: Backend>() {
    with_py::<B>(|py| {
        let builder = ModuleBuilder::new(py, "suite")?;
        builder
            .exception::<ParseError>()?
            .exception::<LineError>()?;
        let module = builder.finish();
        assert!(module
            .getattr("ParseError")?
            .is(&ParseError::type_object(py)?));
        assert!(module
            .getattr("LineError")?
            .is(&LineError::type_object(py)?));
        Ok(())
    })
}

#[doc(hidden)]
#[macro_export]
macro_rules! __suite_exceptions_custom {
    ($backend:ty, $harness:expr) => {
        $crate::__conformance_emit!($backend, $harness;
            exceptions_custom::custom_exception_matches_its_class_and_bases,
            exceptions_custom::custom_exception_survives_the_interpreter,
            exceptions_custom::custom_exception_class_is_made_once,
            exceptions_custom::custom_exception_raised_by_a_native_function,
            exceptions_custom::custom_key_error_shows_a_repr,
            exceptions_custom::module_builder_adds_exception_classes,
        );
    };
}
