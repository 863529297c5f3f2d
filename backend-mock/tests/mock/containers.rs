//! Containers: they own their items, dicts follow Python equality and order, iteration
//! and subscripts behave as in Python.

use anypy::{Backend, RawPtr};
use anypy_mock::Mock;

use crate::support::*;

#[test]
fn containers_own_their_items() {
    scoped(|| {
        // SAFETY: see the note in `main.rs`.
        unsafe {
            let item = s("item");
            let items = list(&[]);
            Mock::list_append(items, item);
            assert_eq!(refcount(item), 2, "append increfs");
            let dict = Mock::dict_new().unwrap();
            Mock::dict_set_item(dict, item, item);
            assert_eq!(refcount(item), 4, "dict_set_item increfs key and value");
            assert_eq!(Mock::dict_get_item(dict, item), Some(item));
            assert_eq!(refcount(item), 4, "dict_get_item borrows");
            assert_eq!(Mock::list_get_item(items, 0), item);
            let replacement = int(5);
            assert_eq!(Mock::list_set_item(items, 0, replacement), 0);
            assert_eq!(refcount(item), 3, "list_set_item released the old item");
            assert_eq!(
                Mock::list_set_item(items, 3, int(6)),
                -1,
                "steals even on failure"
            );
            assert_eq!(
                error(),
                (
                    "IndexError".into(),
                    "list assignment index out of range".into()
                )
            );
            decref(dict);
            assert_eq!(refcount(item), 1, "freeing the dict released key and value");
            decref(items);
            decref(item);
        }
    });
}

#[test]
fn dicts_follow_python_equality_and_order() {
    scoped(|| {
        // SAFETY: see the note in `main.rs`.
        unsafe {
            let dict = Mock::dict_new().unwrap();
            let set = |key: RawPtr, value: RawPtr| {
                assert_eq!(Mock::dict_set_item(dict, key, value), 0);
                decref(key);
                decref(value);
            };
            set(int(1), s("int"));
            set(float(1.0), s("float"));
            set(s("b"), int(2));
            set(s("a"), int(3));
            let truth = Mock::bool_from(true);
            assert_eq!(repr(Mock::dict_get_item(dict, truth).unwrap()), "'float'");
            assert_eq!(
                repr(dict),
                "{1: 'float', 'b': 2, 'a': 3}",
                "1, 1.0 and True are one key"
            );
            let b = s("b");
            assert_eq!(Mock::dict_del_item(dict, b), 0);
            assert_eq!(Mock::dict_contains(dict, b), 0);
            assert_eq!(Mock::dict_del_item(dict, b), -1);
            assert_eq!(error(), ("KeyError".into(), "'b'".into()));
            set(b, int(4));
            assert_eq!(
                repr(dict),
                "{1: 'float', 'a': 3, 'b': 4}",
                "re-inserted at the end"
            );
            let mut pos = 0;
            let mut keys = Vec::new();
            while let Some((key, _)) = Mock::dict_next(dict, &mut pos) {
                keys.push(repr(key));
            }
            assert_eq!(keys, ["1", "'a'", "'b'"]);
            let unhashable = list(&[]);
            assert_eq!(Mock::dict_set_item(dict, unhashable, unhashable), -1);
            assert_eq!(
                error(),
                ("TypeError".into(), "unhashable type: 'list'".into())
            );
            assert!(Mock::dict_get_item(dict, unhashable).is_none());
            assert_eq!(
                error(),
                ("TypeError".into(), "unhashable type: 'list'".into())
            );
            let missing = s("missing");
            assert!(Mock::dict_get_item(dict, missing).is_none());
            assert!(!Mock::err_occurred(), "a missing key is not an error");
            decref(missing);
            decref(unhashable);
            decref(dict);
        }
    });
}

#[test]
fn big_dicts_stay_consistent_through_deletions() {
    scoped(|| {
        // SAFETY: see the note in `main.rs`.
        unsafe {
            let dict = Mock::dict_new().unwrap();
            for value in 0..20_000 {
                let (key, item) = (int(value), int(value * 2));
                Mock::dict_set_item(dict, key, item);
                decref(key);
                decref(item);
            }
            for value in (0..20_000).step_by(2) {
                let key = int(value);
                assert_eq!(Mock::dict_del_item(dict, key), 0);
                decref(key);
            }
            assert_eq!(Mock::dict_len(dict), 10_000);
            for value in 0..20_000 {
                let key = float(value as f64);
                let found = Mock::dict_get_item(dict, key);
                assert_eq!(found.is_some(), value % 2 == 1, "key {value}");
                if let Some(found) = found {
                    assert_eq!(Mock::int_as_i64(found), value * 2);
                }
                decref(key);
            }
            let mut pos = 0;
            let first = Mock::dict_next(dict, &mut pos).unwrap().0;
            assert_eq!(repr(first), "1");
            decref(dict);
        }
    });
}

#[test]
fn iteration_over_builtin_containers() {
    scoped(|| {
        // SAFETY: see the note in `main.rs`.
        unsafe {
            let drain = |iterable: RawPtr| {
                let iter = Mock::get_iter(iterable).unwrap();
                let mut items = Vec::new();
                while let Some(item) = Mock::iter_next(iter) {
                    items.push(repr(item));
                    decref(item);
                }
                assert!(!Mock::err_occurred());
                decref(iter);
                decref(iterable);
                items
            };
            assert_eq!(drain(list(&[int(1), s("a")])), ["1", "'a'"]);
            assert_eq!(drain(tuple(&[float(0.5)])), ["0.5"]);
            assert_eq!(drain(s("hé!")), ["'h'", "'é'", "'!'"]);
            assert_eq!(drain(bytes(b"\x01\xff")), ["1", "255"]);
            let dict = Mock::dict_new().unwrap();
            for key in ["x", "y"] {
                let key = s(key);
                Mock::dict_set_item(dict, key, Mock::none());
                decref(key);
            }
            assert_eq!(drain(dict), ["'x'", "'y'"]);

            let items = list(&[int(1)]);
            let iter = Mock::get_iter(items).unwrap();
            assert_eq!(refcount(items), 2, "the iterator holds its source");
            let same = Mock::get_iter(iter).unwrap();
            assert_eq!(same, iter, "an iterator is its own iterator");
            decref(same);
            assert_eq!(Mock::type_name(iter), "list_iterator");
            // List iteration is by index: an item appended mid-way is seen.
            let extra = int(2);
            Mock::list_append(items, extra);
            decref(extra);
            decref(Mock::iter_next(iter).unwrap());
            decref(Mock::iter_next(iter).unwrap());
            assert!(Mock::iter_next(iter).is_none());
            assert_eq!(
                refcount(items),
                1,
                "an exhausted iterator releases its source"
            );
            decref(iter);
            decref(items);

            let dict = Mock::dict_new().unwrap();
            let key = s("k");
            Mock::dict_set_item(dict, key, key);
            let iter = Mock::get_iter(dict).unwrap();
            let other = s("other");
            Mock::dict_set_item(dict, other, other);
            decref(other);
            assert!(Mock::iter_next(iter).is_none());
            assert_eq!(
                error(),
                (
                    "RuntimeError".into(),
                    "dictionary changed size during iteration".into()
                )
            );
            decref(iter);
            decref(key);
            decref(dict);

            let number = int(3);
            assert!(Mock::get_iter(number).is_none());
            assert_eq!(
                error(),
                ("TypeError".into(), "'int' object is not iterable".into())
            );
            decref(number);
        }
    });
}

#[test]
fn subscripts() {
    scoped(|| {
        // SAFETY: see the note in `main.rs`.
        unsafe {
            let items = list(&[s("a"), s("b")]);
            let (last, out, key) = (int(-1), int(5), s("k"));
            assert_eq!(repr_taken(Mock::get_item(items, last)), "'b'");
            assert!(Mock::get_item(items, out).is_none());
            assert_eq!(
                error(),
                ("IndexError".into(), "list index out of range".into())
            );
            assert!(Mock::get_item(items, key).is_none());
            assert_eq!(
                error(),
                (
                    "TypeError".into(),
                    "list indices must be integers or slices, not str".into()
                )
            );
            assert_eq!(Mock::set_item(items, last, key), 0);
            assert_eq!(repr(items), "['a', 'k']");
            let pair = tuple(&[int(1), int(2)]);
            assert!(Mock::get_item(pair, out).is_none());
            assert_eq!(
                error(),
                ("IndexError".into(), "tuple index out of range".into())
            );
            assert_eq!(Mock::set_item(pair, last, key), -1);
            assert_eq!(
                error(),
                (
                    "TypeError".into(),
                    "'tuple' object does not support item assignment".into()
                )
            );
            let word = s("héllo");
            assert_eq!(repr_taken(Mock::get_item(word, last)), "'o'");
            let dict = Mock::dict_new().unwrap();
            assert_eq!(Mock::set_item(dict, key, out), 0);
            assert_eq!(repr_taken(Mock::get_item(dict, key)), "5");
            assert!(Mock::get_item(dict, last).is_none());
            assert_eq!(error(), ("KeyError".into(), "-1".into()));
            [items, last, out, key, pair, word, dict]
                .into_iter()
                .for_each(decref);
        }
    });
}
