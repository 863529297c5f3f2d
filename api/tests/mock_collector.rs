//! The mock's cycle collector seen from the public API: a cycle left uncollected is reported
//! as `leaked`, a collected object is really gone (a pointer kept to it is `use after free`),
//! and what is still reachable keeps every reference it had.

use anypy::types::{PyDict, PyList};
use anypy::{Backend, Python};
use anypy_mock::Mock;

mod support;
use support::panic_message;

#[test]
fn an_uncollected_cycle_is_leaked() {
    let message = panic_message(|| {
        Python::<Mock>::with_gil(|py| {
            let list = PyList::empty(py).unwrap();
            list.append(&list).unwrap();
        });
    });
    assert!(message.starts_with("leaked:"), "{message}");
    assert!(message.contains("1 list:"), "names the list: {message}");
    assert!(message.contains("refcount 1"), "{message}");
}

#[test]
fn a_collected_cycle_is_freed_and_its_pointers_go_stale() {
    let message = panic_message(|| {
        Python::<Mock>::with_gil(|py| {
            // Garbage other tests left (on purpose) would be freed too: collect it first.
            py.collect_garbage().unwrap();
            let baseline = Mock::live_objects();
            let first = PyDict::new(py).unwrap();
            let second = PyDict::new(py).unwrap();
            first.set_item("other", &second).unwrap();
            second.set_item("other", &first).unwrap();
            let kept = first.as_ptr();
            drop((first, second));
            assert!(Mock::live_objects() > baseline);
            py.collect_garbage().unwrap();
            assert_eq!(
                Mock::live_objects(),
                baseline,
                "the dicts and their keys freed"
            );
            // SAFETY: not sound on purpose — the dict was freed by the collector.
            unsafe { <Mock as Backend>::incref(kept) };
        });
    });
    assert!(message.starts_with("use after free"), "{message}");
    assert!(message.contains("freed object #1 (dict"), "{message}");
    assert!(
        message.contains("mock_collector.rs"),
        "names where it was freed: {message}"
    );
}

#[test]
fn collection_keeps_reachable_objects_and_their_counts() {
    Mock::leak_check(|| {
        Python::<Mock>::with_gil(|py| {
            py.collect_garbage().unwrap();
            let outer = PyList::empty(py).unwrap();
            let inner = PyList::new(py, ["x"]).unwrap();
            inner.append(&inner).unwrap();
            outer.append(&inner).unwrap();
            let counts = (outer.get_refcnt(), inner.get_refcnt());
            let live = Mock::live_objects();
            py.collect_garbage().unwrap();
            assert_eq!((outer.get_refcnt(), inner.get_refcnt()), counts);
            assert_eq!(Mock::live_objects(), live);
            drop(inner);
            drop(outer);
            // The inner list still holds itself: only the collector can free it.
            assert_eq!(Mock::live_objects(), live - 1);
            py.collect_garbage().unwrap();
            assert_eq!(Mock::live_objects(), live - 3);
        });
    });
}
