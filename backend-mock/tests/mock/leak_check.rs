//! `Mock::leak_check`: what it reports (objects left alive, queued releases), ids per
//! scope, the live-object report, and how scopes nest with each other and the GIL.

use std::sync::{Mutex, PoisonError};

use anypy::{Backend, RawPtr};
use anypy_mock::Mock;

use crate::support::*;

#[test]
fn leak_check_reports_what_is_left_alive() {
    let _counts = GLOBAL_COUNTS.lock().unwrap_or_else(PoisonError::into_inner);
    let leaked = Mutex::new(Vec::new());
    let message = panic_message(|| {
        scoped(|| {
            decref(int(0));
            leaked.lock().unwrap().push(int(42) as RawPtr);
            leaked.lock().unwrap().push(list(&[s("x")]));
        })
    });
    assert!(message.starts_with("leaked:"), "{message}");
    assert!(message.contains("3 object(s) still alive"), "{message}");
    assert!(
        message.contains(
            "1 int:\n      #2 42 (refcount 1, created at backend-mock/tests/mock/leak_check.rs:"
        ),
        "{message}"
    );
    assert!(message.contains("1 list:\n      #4 ['x']"), "{message}");
    assert!(message.contains("1 str:\n      #3 'x'"), "{message}");
    // Clean up so no other test sees these objects.
    // SAFETY: see the note in `main.rs`.
    unsafe {
        let gil = Mock::gil_ensure();
        for obj in leaked.into_inner().unwrap() {
            decref(obj as RawPtr);
        }
        Mock::gil_release(gil);
    }
}

#[test]
fn leak_check_reports_references_parked_in_the_release_queue() {
    let message = panic_message(|| {
        scoped(|| {
            // SAFETY: see the note in `main.rs`.
            let none = unsafe { Mock::none() };
            // SAFETY: see the note in `main.rs`.
            unsafe { Mock::incref(none) };
            // SAFETY: an owned reference (just increfed) that the drain below releases.
            unsafe { Mock::state().release_queue.push(none) };
        })
    });
    assert!(message.starts_with("leaked:"), "{message}");
    assert!(message.contains("release queue"), "{message}");
    scoped(|| Mock::state().release_queue.drain(decref));
}

#[test]
fn leak_check_propagates_a_panic_of_its_closure() {
    let message = panic_message(|| Mock::leak_check(|| panic!("inner failure")));
    assert_eq!(message, "inner failure");
}

#[test]
fn ids_count_from_one_in_each_scope() {
    for _ in 0..2 {
        scoped(|| {
            let (a, b) = (int(1), int(2));
            assert_eq!((Mock::object_id(a), Mock::object_id(b)), (1, 2));
            // SAFETY: see the note in `main.rs`.
            assert_eq!(Mock::object_id(unsafe { Mock::none() }), 0);
            decref(a);
            decref(b);
        });
    }
}

#[test]
fn live_objects_and_the_live_report() {
    let _counts = GLOBAL_COUNTS.lock().unwrap_or_else(PoisonError::into_inner);
    scoped(|| {
        let before = Mock::live_objects();
        let objects = [int(1), int(2), list(&[])];
        assert_eq!(Mock::live_objects(), before + 3);
        if before == 0 {
            assert_eq!(Mock::live_report(), "3 live objects: 2 int, 1 list");
        }
        objects.into_iter().for_each(decref);
        assert_eq!(Mock::live_objects(), before);
    });
}

#[test]
fn leak_check_scopes_do_not_nest() {
    let message = panic_message(|| Mock::leak_check(|| Mock::leak_check(|| ())));
    assert!(
        message.starts_with("misuse") && message.contains("do not nest"),
        "{message}"
    );
    // The failed scope left nothing behind: the next one works.
    scoped(|| decref(int(1)));
}

#[test]
fn leak_check_can_be_entered_with_the_gil_held() {
    // SAFETY: see the note in `main.rs`.
    unsafe {
        let gil = Mock::gil_ensure();
        scoped(|| decref(int(1)));
        // Still held after the scope: an operation that needs the GIL works. It makes no new
        // object: one made here, outside any scope, would take an id of the scope another test
        // may have just begun (`ids_count_from_one_in_each_scope` saw it).
        let none = Mock::none();
        Mock::incref(none);
        decref(none);
        Mock::gil_release(gil);
    }
}
