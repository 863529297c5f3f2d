//! Observers: exactly the refcount events that happen, called outside the heap lock.

use anypy::Backend;
use anypy_mock::{Mock, MockRefcountObserver};

use crate::support::*;

#[test]
fn an_observer_sees_exactly_one_decref() {
    scoped(|| {
        let value = int(9);
        let id = Mock::object_id(value);
        let mut observer = MockRefcountObserver::new();
        observer
            .expect_on_decref()
            .withf(move |object, type_name, count| {
                *object == id && type_name == "int" && *count == 0
            })
            .times(1)
            .return_const(());
        observer
            .expect_on_free()
            .withf(move |object, type_name| *object == id && type_name == "int")
            .times(1)
            .return_const(());
        let guard = Mock::observe(Box::new(observer));
        decref(value);
        drop(guard);
    });
}

#[test]
fn an_observer_sees_allocations_and_increfs() {
    scoped(|| {
        let mut observer = MockRefcountObserver::new();
        let mut sequence = mockall::Sequence::new();
        observer
            .expect_on_alloc()
            .withf(|id, type_name| *id == 1 && type_name == "str")
            .times(1)
            .in_sequence(&mut sequence)
            .return_const(());
        observer
            .expect_on_incref()
            .withf(|id, _, count| *id == 1 && *count == 2)
            .times(1)
            .in_sequence(&mut sequence)
            .return_const(());
        observer.expect_on_decref().times(2).return_const(());
        observer.expect_on_free().times(1).return_const(());
        let guard = Mock::observe(Box::new(observer));
        let value = s("watched");
        // SAFETY: see the note in `main.rs`.
        unsafe {
            Mock::incref(value);
            // Singletons are not reported.
            Mock::incref(Mock::none());
            Mock::decref(Mock::none());
        }
        decref(value);
        decref(value);
        drop(guard);
    });
}

#[test]
fn observers_are_called_outside_the_heap_lock() {
    scoped(|| {
        let guard = Mock::observe(Box::new(Reentrant));
        decref(list(&[int(1)]));
        drop(guard);
    });
}
