//! Native functions: called with their arguments, dropped with their object, calling back
//! into the mock, and the error contract enforced.

use std::sync::atomic::Ordering;

use anypy::{Backend, NewRef, RawPtr};
use anypy_mock::Mock;

use crate::support::*;

#[test]
fn native_functions_are_called_and_dropped_with_their_object() {
    scoped(|| {
        let (function, dropped) = native("add", add);
        let function = function.unwrap();
        let (one, two) = (int(1), int(2));
        assert_eq!(repr_taken(call(function, &[one, two])), "3");
        assert!(call(function, &[]).is_none());
        assert_eq!(
            error(),
            ("ValueError".into(), "add() needs arguments".into())
        );
        let names = tuple(&[s("x")]);
        // SAFETY: see the note in `main.rs`.
        let with_keyword = unsafe { Mock::call(function, &[one, two], 1, Some(names)) };
        assert_eq!(
            repr_taken(with_keyword),
            "3",
            "keyword values reach the function"
        );
        assert_eq!(repr_taken(getattr(function, "__name__")), "'add'");
        assert_eq!(
            repr_taken(getattr(function, "__doc__")),
            "'a test function'"
        );
        assert_eq!(repr_taken(getattr(function, "__module__")), "None");
        assert_eq!(refcount(function), 1, "the call's own reference is gone");
        assert!(!dropped.load(Ordering::SeqCst));
        decref(function);
        assert!(
            dropped.load(Ordering::SeqCst),
            "freeing the object drops the function"
        );
        [one, two, names].into_iter().for_each(decref);
    });
}

#[test]
fn native_functions_without_arguments_are_checked_as_meth_noargs() {
    scoped(|| {
        let (function, _) = native_with("answer", |_| Some(int(42)), false);
        let function = function.unwrap();
        assert_eq!(repr_taken(call(function, &[])), "42");
        let one = int(1);
        assert!(call(function, &[one]).is_none());
        assert_eq!(
            error(),
            (
                "TypeError".into(),
                "answer() takes no arguments (1 given)".into()
            )
        );
        let names = tuple(&[s("x")]);
        // SAFETY: see the note in `main.rs`.
        assert!(unsafe { Mock::call(function, &[one], 0, Some(names)) }.is_none());
        assert_eq!(
            error(),
            (
                "TypeError".into(),
                "answer() takes no keyword arguments".into()
            )
        );
        [one, names, function].into_iter().for_each(decref);
    });
}

/// Re-enters the mock: builds a list, calls `len` on it through the mock, returns the result.
fn reentrant(args: &[RawPtr]) -> NewRef {
    // SAFETY: called by the mock with the GIL held and live arguments.
    unsafe {
        let items = Mock::list_new(0)?;
        for arg in args {
            Mock::list_append(items, *arg);
        }
        let len = builtin("builtins", "len");
        let result = call(len, &[items]);
        decref(len);
        decref(items);
        result
    }
}

#[test]
fn native_functions_can_call_back_into_the_mock() {
    scoped(|| {
        let (function, _) = native("reentrant", reentrant);
        let function = function.unwrap();
        let args = [int(1), s("two"), new_true()];
        assert_eq!(repr_taken(call(function, &args)), "3");
        // Nested: the native function calls itself through the mock.
        let (outer, _) = native("outer", |args| {
            let (inner, _) = native("inner", add);
            let inner = inner?;
            let result = call(inner, args);
            decref(inner);
            result
        });
        let outer = outer.unwrap();
        assert_eq!(repr_taken(call(outer, &args[..1])), "1");
        args.into_iter().for_each(decref);
        decref(function);
        decref(outer);
    });
}

#[test]
fn a_native_function_that_breaks_the_error_contract_raises_system_error() {
    scoped(|| {
        let (silent, _) = native("silent", |_| None);
        let silent = silent.unwrap();
        assert!(call(silent, &[]).is_none());
        let (kind, message) = error();
        assert_eq!(kind, "SystemError");
        assert!(
            message.contains("returned NULL without setting an exception"),
            "{message}"
        );
        decref(silent);
    });
}

#[test]
fn a_panicking_native_function_leaves_no_extra_reference() {
    scoped(|| {
        let (function, _) = native("explode", |_| panic!("exploded"));
        let function = function.unwrap();
        let message = panic_message(|| {
            call(function, &[]);
        });
        assert_eq!(message, "exploded");
        assert_eq!(refcount(function), 1);
        decref(function);
    });
}
