//! Extension modules: the `python_module!` entry point and the init routine behind it.
//!
//! `python_module!(name, Backend, init)` exports `PyInit_<name>`, which the interpreter calls on
//! `import name`. The init routine never unwinds into the interpreter and never panics.

use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::backend::{Backend, RawObject};
use crate::err::{PyErr, PyResult};
use crate::exceptions::RuntimeError;
use crate::gil::GilCountGuard;
use crate::instance::Bound;
use crate::module_builder::ModuleBuilder;
use crate::python::Python;
use crate::types::PyModule;

/// Exports `PyInit_<name>` for an extension module built on backend `B`.
///
/// `init` is a function `fn(&ModuleBuilder<'_, B>) -> PyResult<(), B>`; write it generic over the
/// backend so the same module is unit-tested on the mock:
///
/// ```
/// use anypy::{Backend, ModuleBuilder, PyResult};
///
/// fn init<B: Backend>(m: &ModuleBuilder<'_, B>) -> PyResult<(), B> {
///     m.function("add", |a: i64, b: i64| a + b)?;
///     Ok(())
/// }
/// // A real extension names `anypy_cpython::CPython` or `anypy_pypy::PyPy` here.
/// anypy::python_module!(my_ext, anypy_mock::Mock, init);
/// ```
#[macro_export]
macro_rules! python_module {
    ($name:ident, $backend:ty, $init:path) => {
        /// The module's entry point, called by the interpreter on import.
        ///
        /// # Safety
        /// Called by the interpreter's import machinery, with the GIL held.
        #[export_name = concat!("PyInit_", stringify!($name))]
        pub unsafe extern "C" fn __anypy_module_init() -> *mut $crate::RawObject {
            // SAFETY: the import machinery calls this with the GIL held.
            unsafe { $crate::module_init::<$backend>(stringify!($name), $init) }
        }
    };
}

/// What `PyInit_<name>` does: checks the backend is reachable, creates the module, lets `init`
/// fill it. Returns the new module, or null with a Python exception set. A panic in `init`
/// becomes `RuntimeError`; a backend that cannot be reached is reported on stderr (no Python
/// API is usable to raise it) and null is returned.
///
/// # Safety
/// The calling thread holds the GIL of the interpreter importing the module.
pub unsafe fn module_init<B: Backend>(
    name: &str,
    init: impl FnOnce(&ModuleBuilder<'_, B>) -> PyResult<(), B>,
) -> *mut RawObject {
    if let Err(err) = B::initialize() {
        eprintln!("cannot initialize extension module `{name}`: {err}");
        return std::ptr::null_mut();
    }
    // SAFETY: the caller holds the GIL; the guard counts it for this scope.
    let _gil = unsafe { GilCountGuard::<B>::enter() };
    // SAFETY: the GIL is held and counted.
    let py = unsafe { Python::<B>::assume_gil_acquired() };
    let outcome = catch_unwind(AssertUnwindSafe(|| -> PyResult<_, B> {
        // SAFETY: the GIL is held; the result is a new reference or null with an error set.
        let module = unsafe {
            Bound::<PyModule, B>::from_owned_ptr_or_err(py, B::extension_module_new(name))?
                .cast_into_unchecked::<PyModule>()
        };
        let builder = ModuleBuilder::from_module(module);
        init(&builder)?;
        Ok(builder.finish().into_ptr())
    }));
    let err = match outcome {
        Ok(Ok(module)) => return module.as_ptr(),
        Ok(Err(err)) => err,
        Err(payload) => PyErr::new::<RuntimeError, _>(format!(
            "Rust panic while initializing module {name}: {}",
            crate::function::panic_message(&*payload)
        )),
    };
    err.restore(py);
    std::ptr::null_mut()
}
