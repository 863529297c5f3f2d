//! Small programs written against the public names, run on the mock: each misuse gets an
//! immediate panic with its category word, and each correct use gets no complaint.

use std::thread;

use anypy::types::{PyDict, PyList};
use anypy::{Backend, Bound, Py, Python};
use anypy_mock::Mock;

mod support;
use support::panic_message;

#[test]
fn raw_double_release_is_a_refcount_underflow() {
    let message = panic_message(|| {
        Python::<Mock>::with_gil(|py| {
            let dict = PyDict::new(py).unwrap();
            let raw = dict.as_ptr();
            drop(dict);
            // SAFETY: not sound on purpose — the reference was already released.
            unsafe { <Mock as Backend>::decref(raw) };
        })
    });
    assert!(message.contains("refcount underflow"), "{message}");
    assert!(message.contains("dict"), "names the type: {message}");
}

#[test]
fn releasing_a_borrowed_item_then_reading_it_is_use_after_free() {
    let message = panic_message(|| {
        Python::<Mock>::with_gil(|py| {
            let list = PyList::new(py, [vec![1, 2]]).unwrap();
            let item = list.get_item(0).unwrap();
            let raw = item.as_ptr();
            drop(item);
            // SAFETY: not sound on purpose — releases the list's own reference to its item.
            unsafe { <Mock as Backend>::decref(raw) };
            let _ = list.get_item(0);
        })
    });
    assert!(message.contains("use after free"), "{message}");
    // Unwinding dropped the list, whose release met the freed item again: reported, not
    // aborted, so this test binary goes on.
}

#[test]
fn forgotten_handle_is_leaked() {
    let message = panic_message(|| {
        Python::<Mock>::with_gil(|py| std::mem::forget(PyDict::new(py).unwrap()));
    });
    assert!(message.contains("leaked"), "{message}");
    assert!(message.contains("dict"), "names the type: {message}");
    assert!(
        message.contains("mock_misuse.rs"),
        "says where it was created: {message}"
    );
}

#[test]
fn refcount_touched_without_the_gil_panics() {
    let message = panic_message(|| {
        let raw =
            Python::<Mock>::with_gil(|py| PyList::empty(py).unwrap().into_ptr().as_ptr() as usize);
        let outcome = thread::spawn(move || {
            let raw = std::ptr::NonNull::new(raw as *mut anypy::RawObject).unwrap();
            // SAFETY: not sound on purpose — this thread does not hold the GIL.
            unsafe { <Mock as Backend>::incref(raw) };
        })
        .join();
        // Give the reference back so that the leak check judges only the GIL misuse.
        Python::<Mock>::with_gil(|_py| {
            let raw = std::ptr::NonNull::new(raw as *mut anypy::RawObject).unwrap();
            // SAFETY: the reference `into_ptr` handed out above.
            unsafe { <Mock as Backend>::decref(raw) };
        });
        if let Err(payload) = outcome {
            std::panic::resume_unwind(payload);
        }
    });
    assert!(message.contains("without the GIL"), "{message}");
}

#[test]
fn py_dropped_on_another_thread_is_fine() {
    Mock::leak_check(|| {
        let owned: Py<PyDict, Mock> =
            Python::<Mock>::with_gil(|py| PyDict::new(py).unwrap().unbind());
        thread::spawn(move || drop(owned)).join().unwrap();
        assert_eq!(Python::<Mock>::pending_releases(), 1);
        Python::<Mock>::with_gil(|_py| ());
        assert_eq!(Python::<Mock>::pending_releases(), 0);
    });
}

#[test]
fn correct_raw_ownership_gets_no_complaint() {
    Mock::leak_check(|| {
        Python::<Mock>::with_gil(|py| {
            let dict = PyDict::new(py).unwrap();
            let raw = dict.clone().into_ptr();
            // SAFETY: `raw` is the owned reference `into_ptr` handed out.
            let back: Bound<'_, PyDict, Mock> = unsafe { Bound::from_owned_ptr(py, raw) };
            assert!(back.is(&dict));
        })
    });
}

#[test]
fn live_objects_count_returns_to_baseline() {
    Mock::leak_check(|| {
        let baseline = Mock::live_objects();
        Python::<Mock>::with_gil(|py| {
            let list = PyList::new(py, ["a", "b"]).unwrap();
            assert_eq!(Mock::live_objects(), baseline + 3);
            drop(list);
        });
        assert_eq!(Mock::live_objects(), baseline);
    });
}

/// What `send_wrapper`'s `SendWrapper` does: claims `Send` for any value and checks the thread
/// only at run time, a check `allow_threads` passes since its closure runs on the same thread.
struct SameThreadOnly<T>(T);

// SAFETY: not sound on purpose — the hole `allow_threads`'s docs describe, shown to be caught.
unsafe impl<T> Send for SameThreadOnly<T> {}

#[test]
fn a_bound_smuggled_into_allow_threads_is_used_without_the_gil() {
    let message = panic_message(|| {
        Python::<Mock>::with_gil(|py| {
            let dict = PyDict::new(py).unwrap();
            let smuggled = SameThreadOnly(&dict);
            py.allow_threads(move || {
                // Moves the whole wrapper in: a closure that only named `smuggled.0` would
                // capture the `&Bound` alone, which the compiler rejects.
                let smuggled = smuggled;
                let _ = smuggled.0.len();
            });
        })
    });
    assert!(message.contains("without the GIL"), "{message}");
}
