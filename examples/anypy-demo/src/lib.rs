//! `anypy_demo`: an example extension module — one Rust source that CPython and PyPy import.
//!
//! [`init`] fills the module and is generic over the backend, so the whole module is
//! unit-tested on the mock with no Python installed (`cargo test -p anypy-demo`). Cargo
//! features choose the backend `PyInit_anypy_demo` is built for; `pip install` builds the file
//! for the interpreter running it (`setup.py`; `scripts/test-extension` runs the Python tests).
#![deny(missing_docs)]

mod binary;
mod callbacks;
mod classes;
mod conversions;
mod dicts;
mod errors;
mod lists;
mod numbers;
mod panics;
mod signatures;
mod text;
mod threads;
mod tuples;
mod vector;
mod version;

#[cfg(test)]
mod testing;

use anypy::{Backend, ModuleBuilder, PyResult};

cfg_if::cfg_if! {
    if #[cfg(feature = "pypy")] {
        /// The backend this build targets: PyPy (feature `pypy`, which wins over the default).
        pub type DemoBackend = anypy_pypy::PyPy;
    } else if #[cfg(feature = "cpython")] {
        /// The backend this build targets: CPython (feature `cpython`, the default).
        pub type DemoBackend = anypy_cpython::CPython;
    } else if #[cfg(feature = "extension-module")] {
        compile_error!("feature `extension-module` needs a backend: enable `cpython` or `pypy`");
    }
}

// Only an extension build exports the entry point. There the backend links no interpreter —
// the importing process provides the C-API — so a test binary or a program that links this
// rlib must not carry a `PyInit_anypy_demo` referencing those symbols; it uses `init` instead.
#[cfg(feature = "extension-module")]
anypy::python_module!(anypy_demo, DemoBackend, init);

/// Fills the module: `__version__`, every function, each with a docstring, and the module's
/// exception classes.
pub fn init<B: Backend>(m: &ModuleBuilder<'_, B>) -> PyResult<(), B> {
    m.constant("__version__", env!("CARGO_PKG_VERSION"))?;
    numbers::register(m)?;
    text::register(m)?;
    binary::register(m)?;
    lists::register(m)?;
    dicts::register(m)?;
    tuples::register(m)?;
    panics::register(m)?;
    callbacks::register(m)?;
    signatures::register(m)?;
    threads::register(m)?;
    conversions::register(m)?;
    errors::register(m)?;
    classes::register(m)?;
    version::register(m)?;
    vector::register(m)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::ptr::NonNull;

    use anypy::types::PyAny;
    use anypy::{Bound, Python};
    use anypy_mock::Mock;

    use crate::testing::with_demo;

    /// Every function the Python tests exercise, so a missing registration fails here first.
    const FUNCTIONS: &[&str] = &[
        "add",
        "factorial",
        "hypot",
        "mean",
        "parse_positive",
        "greet",
        "reverse",
        "checksum",
        "xor",
        "squares",
        "sum_list",
        "word_counts",
        "invert",
        "min_max",
        "swap",
        "panics",
        "apply",
        "call_n",
        "sum_of_squares_nogil",
        "release_inside",
        "release_inside_owned",
        "scale",
        "label",
        "join",
        "tag",
        "list_length",
        "first",
        "noop",
        "parse_version",
        "common",
        "letters",
        "mul128",
        "int_to_bytes",
        "int_from_bytes",
        "path_parts",
        "with_suffix",
    ];

    #[test]
    fn every_function_is_registered_with_a_docstring_and_a_signature() {
        with_demo(|_py, module| {
            for name in FUNCTIONS {
                let function = module.getattr(name).unwrap();
                assert_eq!(function.getattr("__name__").unwrap().to_string(), *name);
                assert_eq!(
                    function.getattr("__module__").unwrap().to_string(),
                    "anypy_demo"
                );
                let doc = function.getattr("__doc__").unwrap().to_string();
                assert!(
                    !doc.is_empty() && !doc.starts_with(&format!("{name}(")),
                    "{name}: a docstring without a hand-written signature line: {doc:?}"
                );
                let signature = function.getattr("__text_signature__").unwrap().to_string();
                assert!(signature.starts_with('('), "{name}: {signature:?}");
            }
        });
    }

    #[test]
    fn the_version_is_the_crate_version() {
        with_demo(|_py, module| {
            let version: String = module.getattr("__version__").unwrap().extract().unwrap();
            assert_eq!(version, env!("CARGO_PKG_VERSION"));
        });
    }

    /// The path `PyInit_anypy_demo` takes, on the mock: a module named `anypy_demo`, filled.
    #[test]
    fn module_init_builds_the_named_module() {
        Mock::leak_check(|| {
            Python::<Mock>::with_gil(|py| {
                // SAFETY: this thread holds the GIL (inside `with_gil`).
                let raw = unsafe { anypy::module_init::<Mock>("anypy_demo", crate::init) };
                // SAFETY: `module_init` returns a new reference, or null with an error set.
                let module =
                    unsafe { Bound::<PyAny, Mock>::from_owned_ptr_or_err(py, NonNull::new(raw)) }
                        .unwrap();
                assert_eq!(
                    module.getattr("__name__").unwrap().to_string(),
                    "anypy_demo"
                );
                let add = module.getattr("add").unwrap();
                assert_eq!(add.call1((2, 3)).unwrap().extract::<i64>().unwrap(), 5);
            })
        });
    }
}
