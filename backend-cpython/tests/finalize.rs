//! Ending the embedded interpreter: queued releases are applied before `Py_FinalizeEx`, handles
//! dropped afterwards are forgotten, and the GIL cannot be taken again. Its own test binary,
//! since nothing can run on CPython in this process afterwards.

use std::panic::catch_unwind;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;

use anypy::types::PyList;
use anypy::{Function, Python};
use anypy_cpython::{finalize, CPython};

/// Set when the closure inside a native function object is dropped, i.e. when the function
/// object was really freed by the interpreter.
static CLOSURE_DROPPED: AtomicBool = AtomicBool::new(false);

struct DropFlag;

impl Drop for DropFlag {
    fn drop(&mut self) {
        CLOSURE_DROPPED.store(true, Ordering::SeqCst);
    }
}

#[test]
fn finalize_applies_queued_releases_then_forgets_and_refuses_reuse() {
    let (kept, queued) = Python::<CPython>::with_gil(|py| {
        let flag = DropFlag;
        let function = Function::new("probe", move |x: i64| {
            let _keep = &flag;
            x
        })
        .build(py)
        .unwrap();
        (PyList::empty(py).unwrap().unbind(), function.unbind())
    });
    thread::spawn(move || drop(queued)).join().unwrap();
    assert_eq!(Python::<CPython>::pending_releases(), 1);
    assert!(!CLOSURE_DROPPED.load(Ordering::SeqCst));

    let inside = Python::<CPython>::with_gil(|_py| {
        // SAFETY: this call is refused (the GIL is held here), so nothing is finalized.
        unsafe { finalize() }
    });
    assert!(inside
        .unwrap_err()
        .message
        .contains("inside Python::with_gil"));

    // SAFETY: no other thread uses the interpreter; this thread started it.
    unsafe { finalize() }.expect("Py_FinalizeEx");
    assert_eq!(Python::<CPython>::pending_releases(), 0);
    assert!(
        CLOSURE_DROPPED.load(Ordering::SeqCst),
        "the release queued before finalize was applied, freeing the function object"
    );

    // A handle dropped now is forgotten: the interpreter it belonged to is gone.
    drop(kept);
    assert_eq!(Python::<CPython>::pending_releases(), 0);

    let err = Python::<CPython>::try_with_gil(|_py| ()).unwrap_err();
    assert_eq!(err.backend, "cpython");
    assert!(err.message.contains("finalized"), "{err}");
    let panic = catch_unwind(|| Python::<CPython>::with_gil(|_py| ())).unwrap_err();
    let text = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .unwrap_or_default();
    assert!(text.contains("finalized"), "{text}");

    // SAFETY: the interpreter is already finalized; this is the documented no-op.
    assert_eq!(unsafe { finalize() }, Ok(()));
}
