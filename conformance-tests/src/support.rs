//! Small helpers the suite's tests share.

use anypy::{Backend, PyResult, Python};

/// A harness that runs a test as it is (for backends without a leak check).
pub fn run_plain<R>(test: impl FnOnce() -> R) -> R {
    test()
}

/// Runs `body` holding the GIL and fails the test with the Python exception if it returns one.
#[track_caller]
pub fn with_py<B: Backend>(body: impl for<'py> FnOnce(Python<'py, B>) -> PyResult<(), B>) {
    Python::<B>::with_gil(|py| {
        if let Err(err) = body(py) {
            panic!("unexpected Python exception: {err}");
        }
    })
}

/// The message of a caught panic (`panic!` with a literal or with a formatted `String`).
pub fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|text| text.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_default()
}

/// `builtins.<name>`.
pub fn builtin<'py, B: Backend>(
    py: Python<'py, B>,
    name: &str,
) -> PyResult<anypy::Bound<'py, anypy::types::PyAny, B>, B> {
    py.import("builtins")?.getattr(name)
}

/// Asserts that `result` is an exception of `kind` whose message contains `needle`.
#[track_caller]
pub fn assert_raises<B: Backend, T: std::fmt::Debug>(
    py: Python<'_, B>,
    result: PyResult<T, B>,
    kind: anypy::ExceptionKind,
    needle: &str,
) {
    match result {
        Ok(value) => panic!("expected {kind:?} containing {needle:?}, got Ok({value:?})"),
        Err(err) => {
            assert!(err.matches(py, kind), "expected {kind:?}, got {err}");
            let message = err.message(py);
            assert!(
                message.contains(needle),
                "expected {kind:?} containing {needle:?}, got {err}"
            );
        }
    }
}

/// Collects garbage until `done()` holds (at most a few rounds, letting other threads run
/// between them); returns whether it does. One collection is enough on the mock and CPython,
/// and on PyPy when no other thread uses it. With other threads busy in PyPy at the same time
/// (the suite runs tests in parallel), measured on 7.3.11: collecting back to back did not
/// free what a collection had found dead until the GIL was let go for a moment; and what a
/// freed C object held is only found dead one round later.
pub fn collect_until<B: Backend>(py: Python<'_, B>, done: impl Fn() -> bool) -> PyResult<bool, B> {
    for _ in 0..COLLECTIONS {
        py.collect_garbage()?;
        if done() {
            return Ok(true);
        }
        py.allow_threads(|| std::thread::sleep(std::time::Duration::from_millis(20)));
    }
    Ok(done())
}

/// How many collections [`collect_until`] tries.
const COLLECTIONS: usize = 5;
