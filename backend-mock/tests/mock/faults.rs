//! Fault injection: the n-th allocation or call fails once, and every failure point of a
//! builder is handled without leaks.

use std::sync::atomic::Ordering;

use anypy::{Backend, ExceptionKind, NewRef};
use anypy_mock::Mock;

use crate::support::*;

#[test]
fn the_nth_allocation_fails_once_with_the_chosen_exception() {
    scoped(|| {
        let guard = Mock::fail_allocation(2, ExceptionKind::MemoryError);
        let first = int(1);
        // SAFETY: see the note in `main.rs`.
        assert!(unsafe { Mock::int_from_i64(2) }.is_none());
        assert_eq!(
            error(),
            (
                "MemoryError".into(),
                "injected failure: allocation #2".into()
            )
        );
        let third = int(3);
        drop(guard);
        decref(first);
        decref(third);

        let (container, item) = (list(&[]), s("x"));
        let _guard = Mock::fail_allocation(1, ExceptionKind::OverflowError);
        // SAFETY: see the note in `main.rs`.
        unsafe {
            assert_eq!(
                Mock::list_append(container, item),
                -1,
                "growth counts as an allocation"
            );
            assert_eq!(error().0, "OverflowError");
            assert_eq!(Mock::list_len(container), 0);
            assert_eq!(refcount(item), 1);
            decref(item);
        }
        decref(container);
    });
}

#[test]
fn the_nth_call_fails_once() {
    scoped(|| {
        let len = builtin("builtins", "len");
        let items = list(&[int(1)]);
        let _guard = Mock::fail_call(2, ExceptionKind::ValueError);
        assert_eq!(repr_taken(call(len, &[items])), "1");
        assert!(call(len, &[items]).is_none());
        assert_eq!(
            error(),
            ("ValueError".into(), "injected failure: call #2".into())
        );
        assert_eq!(repr_taken(call(len, &[items])), "1");
        decref(items);
        decref(len);
    });
}

/// Builds `{'a': [1, 'b']}`, cleaning up on every failure.
fn build_nested() -> NewRef {
    // SAFETY: see the note in `main.rs`.
    unsafe {
        let dict = Mock::dict_new()?;
        let inner = match Mock::list_new(0) {
            Some(inner) => inner,
            None => {
                decref(dict);
                return None;
            }
        };
        let mut ok = true;
        for make in [|| Mock::int_from_i64(1), || Mock::str_from_utf8("b")] {
            match make() {
                Some(item) => {
                    ok &= Mock::list_append(inner, item) == 0;
                    decref(item);
                }
                None => ok = false,
            }
            if !ok {
                break;
            }
        }
        let key = if ok { Mock::str_from_utf8("a") } else { None };
        let status = key.map(|key| {
            let status = Mock::dict_set_item(dict, key, inner);
            decref(key);
            status
        });
        decref(inner);
        if status == Some(0) {
            Some(dict)
        } else {
            decref(dict);
            None
        }
    }
}

#[test]
fn every_allocation_failure_of_a_builder_is_handled_without_leaks() {
    scoped(|| {
        let start = Mock::allocations();
        decref(build_nested().unwrap());
        let count = Mock::allocations() - start;
        assert_eq!(
            count, 8,
            "dict, list, int, append, str, append, key, set_item"
        );
        for n in 1..=count as usize {
            let _guard = Mock::fail_allocation(n, ExceptionKind::MemoryError);
            assert!(build_nested().is_none(), "allocation #{n} should fail");
            assert_eq!(
                error(),
                (
                    "MemoryError".into(),
                    format!("injected failure: allocation #{n}")
                )
            );
        }
    });
}

#[test]
fn a_failed_function_new_still_drops_the_function() {
    scoped(|| {
        let _guard = Mock::fail_allocation(1, ExceptionKind::MemoryError);
        let (function, dropped) = native("add", add);
        assert!(function.is_none());
        assert!(dropped.load(Ordering::SeqCst));
        assert_eq!(error().0, "MemoryError");
    });
}
