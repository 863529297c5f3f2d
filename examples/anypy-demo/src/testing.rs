//! Test helpers: the module built on the mock inside a leak check, calls by name, and
//! assertions on raised exceptions.

use anypy::types::{PyAny, PyModule};
use anypy::{Bound, ExceptionKind, FromPyObject, IntoCallArgs, ModuleBuilder, PyResult, Python};
use anypy_mock::Mock;

/// Builds `anypy_demo` on the mock and runs `f` with it; panics with `leaked: ...` if anything
/// made in the scope — by the module, its functions or the test — is still alive afterwards.
pub(crate) fn with_demo<R>(
    f: impl for<'py> FnOnce(Python<'py, Mock>, &Bound<'py, PyModule, Mock>) -> R,
) -> R {
    Mock::leak_check(|| {
        Python::<Mock>::with_gil(|py| {
            let builder = ModuleBuilder::new(py, "anypy_demo").unwrap();
            crate::init(&builder).unwrap();
            f(py, &builder.finish())
        })
    })
}

/// `module.name(*args)`.
#[track_caller]
pub(crate) fn call<'py>(
    module: &Bound<'py, PyModule, Mock>,
    name: &str,
    args: impl IntoCallArgs<Mock>,
) -> PyResult<Bound<'py, PyAny, Mock>, Mock> {
    module.getattr(name)?.call1(args)
}

/// `module.name(*args)`, which must succeed, read as a `T`.
#[track_caller]
pub(crate) fn call_as<T: for<'py> FromPyObject<'py, Mock>>(
    module: &Bound<'_, PyModule, Mock>,
    name: &str,
    args: impl IntoCallArgs<Mock>,
) -> T {
    match call(module, name, args).and_then(|result| result.extract()) {
        Ok(value) => value,
        Err(err) => panic!("{name}() raised {err}"),
    }
}

/// Asserts that `result` is an exception of class `kind` whose message is `message`.
#[track_caller]
pub(crate) fn assert_raises(
    py: Python<'_, Mock>,
    result: PyResult<Bound<'_, PyAny, Mock>, Mock>,
    kind: ExceptionKind,
    message: &str,
) {
    match result {
        Ok(value) => panic!("expected {kind:?}: {message}, got the value {value:?}"),
        Err(err) => {
            assert_eq!(err.kind(py), Some(kind), "{err}");
            assert_eq!(err.message(py), message);
        }
    }
}
