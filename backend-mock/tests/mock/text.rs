//! `repr` and `str` of objects and exceptions, as Python prints them.

use anypy::{Backend, ExceptionKind, RawPtr};
use anypy_mock::Mock;

use crate::support::*;

#[test]
fn reprs_look_like_python() {
    scoped(|| {
        // SAFETY: see the note in `main.rs`.
        unsafe {
            assert_eq!(repr(Mock::none()), "None");
            assert_eq!(repr(Mock::bool_from(true)), "True");
            for (value, expected) in [
                (1.5, "1.5"),
                (1e100, "1e+100"),
                (1e16, "1e+16"),
                (1e15, "1000000000000000.0"),
                (1e-5, "1e-05"),
                (0.0001, "0.0001"),
                (-0.0, "-0.0"),
                (1.5e-7, "1.5e-07"),
                (123_456_789_012_345_678.0, "1.2345678901234568e+17"),
                (1.0 / 3.0, "0.3333333333333333"),
                (f64::INFINITY, "inf"),
                (f64::NAN, "nan"),
            ] {
                assert_eq!(repr_taken(Mock::float_from_f64(value)), expected);
            }
            assert_eq!(repr_taken(Mock::int_from_i64(-42)), "-42");
            assert_eq!(
                repr_taken(Mock::int_from_u64(u64::MAX)),
                "18446744073709551615"
            );
            assert_eq!(repr_taken(Mock::str_from_utf8("it's")), "\"it's\"");
            assert_eq!(repr_taken(Mock::str_from_utf8("a\"b")), "'a\"b'");
            assert_eq!(
                repr_taken(Mock::str_from_utf8("it's \"x\"\n")),
                "'it\\'s \"x\"\\n'"
            );
            assert_eq!(repr_taken(Mock::bytes_from(b"ab\x00")), "b'ab\\x00'");
            assert_eq!(repr_taken(Some(list(&[int(1), int(2)]))), "[1, 2]");
            assert_eq!(repr_taken(Some(tuple(&[int(1)]))), "(1,)");
            assert_eq!(repr_taken(Some(tuple(&[]))), "()");
            let dict = Mock::dict_new().unwrap();
            let (key, value) = (s("a"), int(1));
            Mock::dict_set_item(dict, key, value);
            decref(key);
            decref(value);
            assert_eq!(repr_taken(Some(dict)), "{'a': 1}");
            assert_eq!(repr_taken(Mock::module_new("m")), "<module 'm'>");
            assert_eq!(repr_taken(Mock::import("sys")), "<module 'sys' (built-in)>");
            assert_eq!(repr_taken(native("f", add).0), "<built-in function f>");
            assert_eq!(
                repr(Mock::exception_type(ExceptionKind::KeyError)),
                "<class 'KeyError'>"
            );
            let number = int(0);
            assert_eq!(repr(Mock::type_of(number)), "<class 'int'>");
            decref(number);
            let message = s("msg");
            let error_obj = call(Mock::exception_type(ExceptionKind::TypeError), &[message]);
            assert_eq!(repr_taken(error_obj), "TypeError('msg')");
            decref(message);
            let receiver = s("abc");
            let upper = getattr(receiver, "upper");
            decref(receiver);
            assert_eq!(repr_taken(upper), "<built-in method upper of str object>");
            let looped = list(&[]);
            Mock::list_append(looped, looped);
            assert_eq!(repr(looped), "[[...]]");
            Mock::incref(Mock::none());
            Mock::list_set_item(looped, 0, Mock::none());
            decref(looped);
        }
    });
}

#[test]
fn str_of_objects_and_exceptions() {
    scoped(|| {
        // SAFETY: see the note in `main.rs`.
        unsafe {
            let text_obj = s("same");
            let result = Mock::str(text_obj).unwrap();
            assert_eq!(result, text_obj, "str(str) is the object itself");
            assert_eq!(refcount(text_obj), 2);
            decref(result);
            decref(text_obj);
            let make = |kind: ExceptionKind, args: &[RawPtr]| {
                let instance = call(Mock::exception_type(kind), args).unwrap();
                args.iter().copied().for_each(decref);
                let text = str_of(instance);
                decref(instance);
                text
            };
            assert_eq!(make(ExceptionKind::ValueError, &[]), "");
            assert_eq!(make(ExceptionKind::ValueError, &[s("msg")]), "msg");
            assert_eq!(make(ExceptionKind::KeyError, &[s("k")]), "'k'");
            assert_eq!(
                make(ExceptionKind::TypeError, &[s("a"), int(1)]),
                "('a', 1)"
            );
            assert_eq!(str_of(Mock::none()), "None");
            let number = float(2.5);
            assert_eq!(str_of(number), "2.5");
            decref(number);
        }
    });
}

#[test]
fn an_exception_that_is_its_own_argument_has_a_finite_repr_and_str() {
    scoped(|| {
        let error_obj = call(exception_type(ExceptionKind::ValueError), &[]).unwrap();
        let (name, args) = (s("args"), list(&[]));
        // SAFETY: see the note in `main.rs`.
        unsafe {
            Mock::list_append(args, error_obj);
            assert_eq!(Mock::setattr(error_obj, name, args), 0);
            assert_eq!(repr(error_obj), "ValueError(ValueError(...))");
            assert_eq!(str_of(error_obj), "ValueError(ValueError(...))");
            // Break the cycle so the scope ends clean.
            let empty = tuple(&[]);
            assert_eq!(Mock::setattr(error_obj, name, empty), 0);
            assert_eq!(repr(error_obj), "ValueError()");
            decref(empty);
        }
        [error_obj, name, args].into_iter().for_each(decref);
    });
}
