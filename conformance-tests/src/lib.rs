//! One suite of tests, written once as generic functions over `B: Backend`, run on every
//! backend: `conformance_suite!` instantiates the whole suite for one backend in one test
//! binary, and `backend_tests!` does the same for your own generic tests.
//!
//! ```no_run
//! // tests/mock.rs — the whole suite on the mock, each test inside the mock's leak check:
//! anypy_conformance::conformance_suite!(anypy_mock::Mock, anypy_mock::Mock::leak_check);
//! # fn main() {}
//! ```
//!
//! Refcount assertions are deltas against a baseline (`before + 1`, `== before`), which hold on
//! every backend (PyPy adds a large flag to the counts of objects it owns). Two more PyPy habits
//! shape the tests: a container freed by dropping its last handle is only freed by PyPy's GC, so
//! a test checking what it released calls `py.collect_garbage()` first; and PyPy's dicts,
//! attributes and appended list items hold PyPy references, which do not show in `ob_refcnt`, so
//! tests compare what comes back (each handle handed out is one reference, everything is given
//! back after removal) and check that the container alone keeps a value alive.
#![deny(missing_docs)]

#[doc(hidden)]
pub mod registration;
pub mod suite;
pub mod support;

/// Instantiates your own generic tests for one backend: one `#[test]` per name, each running
/// `name::<Backend>()` inside `harness` (a function taking a closure; use `Mock::leak_check`
/// on the mock, or `anypy_conformance::support::run_plain` elsewhere). The names must be in
/// scope.
///
/// ```no_run
/// use anypy::{Backend, Python};
/// use anypy::types::PyList;
///
/// fn list_length<B: Backend>() {
///     Python::<B>::with_gil(|py| assert_eq!(PyList::new(py, [1, 2]).unwrap().len(), 2));
/// }
///
/// // In tests/mock.rs; add one such line per backend, each in its own test file.
/// anypy_conformance::backend_tests!(anypy_mock::Mock, anypy_mock::Mock::leak_check; list_length);
/// # fn main() {}
/// ```
#[macro_export]
macro_rules! backend_tests {
    ($backend:ty, $harness:expr; $($test:ident),* $(,)?) => {
        $(
            #[test]
            fn $test() {
                ($harness)(|| $test::<$backend>())
            }
        )*
    };
}

/// Instantiates the whole conformance suite for `backend`, each test run inside `harness`.
/// Put it alone in one integration-test file per backend: two interpreters are never started
/// in one process. One more test, `conformance_suite_runs_every_test`, fails if a test defined
/// in the suite's sources is not among them.
#[macro_export]
macro_rules! conformance_suite {
    ($backend:ty, $harness:expr) => {
        #[test]
        fn conformance_suite_runs_every_test() {
            $crate::registration::assert_every_test_instantiated();
        }

        $crate::__suite_ownership!($backend, $harness);
        $crate::__suite_gil!($backend, $harness);
        $crate::__suite_scalars!($backend, $harness);
        $crate::__suite_text!($backend, $harness);
        $crate::__suite_sequences!($backend, $harness);
        $crate::__suite_shared_objects!($backend, $harness);
        $crate::__suite_building!($backend, $harness);
        $crate::__suite_dict!($backend, $harness);
        $crate::__suite_calls!($backend, $harness);
        $crate::__suite_object!($backend, $harness);
        $crate::__suite_errors!($backend, $harness);
        $crate::__suite_functions!($backend, $harness);
        $crate::__suite_signatures!($backend, $harness);
        $crate::__suite_sets!($backend, $harness);
        $crate::__suite_wide_ints!($backend, $harness);
        $crate::__suite_paths!($backend, $harness);
        $crate::__suite_interned!($backend, $harness);
        $crate::__suite_gc!($backend, $harness);
        $crate::__suite_exceptions_custom!($backend, $harness);
        $crate::__suite_classes!($backend, $harness);
        $crate::__suite_classes_gc!($backend, $harness);
        $crate::__suite_classes_protocols!($backend, $harness);
        $crate::__suite_classes_operators!($backend, $harness);
        $crate::__suite_classes_properties!($backend, $harness);
        $crate::__suite_classes_signatures!($backend, $harness);
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __conformance_emit {
    ($backend:ty, $harness:expr; $($module:ident :: $test:ident),* $(,)?) => {
        $(
            #[test]
            fn $test() {
                ($harness)(|| $crate::suite::$module::$test::<$backend>())
            }
        )*
    };
}
