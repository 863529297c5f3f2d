//! With no PyPy to be found, the backend fails with an error that names what was looked for and
//! every place searched — from initialization, `try_with_gil` and `with_gil` alike — and a C-API
//! call made anyway panics instead of jumping through an unset pointer. Its own test binary:
//! start-up is decided once per process.

use std::panic::catch_unwind;
use std::path::PathBuf;

use anypy::{Backend, Python};
use anypy_pypy::library::Search;
use anypy_pypy::PyPy;

fn nowhere() -> Search {
    Search {
        library: None,
        home: None,
        interpreter: Some(PathBuf::from("/nonexistent/bin/pypy3")),
        system_patterns: vec!["/nonexistent/lib/libpypy3*-c.so".to_owned()],
    }
}

fn panic_text(payload: Box<dyn std::any::Any + Send>) -> String {
    match payload.downcast::<String>() {
        Ok(text) => *text,
        Err(payload) => payload
            .downcast_ref::<&str>()
            .copied()
            .unwrap_or_default()
            .to_owned(),
    }
}

#[test]
fn a_missing_pypy_is_a_clear_error_everywhere() {
    let error = anypy_pypy::initialize_with(&nowhere()).unwrap_err();
    assert_eq!(error.backend, "pypy");
    let message = error.to_string();
    for needle in [
        "anypy backend `pypy`",
        "could not open libpypy",
        "asking `/nonexistent/bin/pypy3`: not found",
        "system location /nonexistent/lib/libpypy3*-c.so: nothing matches",
        "ANYPY_PYPY_LIB",
    ] {
        assert!(
            message.contains(needle),
            "{needle:?} missing from:\n{message}"
        );
    }

    // Start-up ran once; every later entry reports the same failure.
    assert_eq!(Python::<PyPy>::try_with_gil(|_py| ()).unwrap_err(), error);
    assert_eq!(PyPy::initialize().unwrap_err(), error);
    let panicked = catch_unwind(|| Python::<PyPy>::with_gil(|_py| ())).unwrap_err();
    assert!(panic_text(panicked).contains("could not open libpypy"));

    // SAFETY: deliberately outside the contract (no GIL, nothing initialized) to show that the
    // call stops at the empty table with a panic, before any C code could run.
    let panicked = catch_unwind(|| unsafe { PyPy::dict_new() }).unwrap_err();
    assert!(
        panic_text(panicked).contains("before the backend was initialized"),
        "a clear panic"
    );
}
