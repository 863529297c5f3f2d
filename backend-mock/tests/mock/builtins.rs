//! Builtin functions, callable classes, methods of builtin objects, scalar conversions
//! and `SimpleNamespace`.

use anypy::{Backend, BuiltinType, RawPtr};
use anypy_mock::Mock;

use crate::support::*;

#[test]
fn builtin_functions() {
    scoped(|| {
        let run = |name: &str, args: Vec<RawPtr>| {
            let result = call_builtin(name, &args);
            args.into_iter().for_each(decref);
            result
        };
        assert_eq!(run("len", vec![s("héllo")]), Ok("5".into()));
        assert_eq!(run("len", vec![list(&[int(1)])]), Ok("1".into()));
        assert_eq!(run("repr", vec![s("x")]), Ok("\"'x'\"".into()));
        assert_eq!(run("abs", vec![int(-3)]), Ok("3".into()));
        assert_eq!(run("abs", vec![float(-0.5)]), Ok("0.5".into()));
        assert_eq!(
            run("sum", vec![list(&[int(1), int(2), int(3)])]),
            Ok("6".into())
        );
        assert_eq!(
            run("sum", vec![list(&[int(1), float(0.5)])]),
            Ok("1.5".into())
        );
        assert_eq!(
            run("sorted", vec![list(&[int(3), float(1.5), int(2)])]),
            Ok("[1.5, 2, 3]".into())
        );
        assert_eq!(run("sorted", vec![s("cab")]), Ok("['a', 'b', 'c']".into()));
        assert_eq!(
            run("sorted", vec![list(&[int(1), s("a")])]),
            Err((
                "TypeError".into(),
                "'<' not supported between instances of 'str' and 'int'".into()
            ))
        );
        assert_eq!(
            run("isinstance", vec![new_true(), builtin("builtins", "int")]),
            Ok("True".into())
        );
        assert_eq!(
            run("isinstance", vec![int(1), builtin("builtins", "str")]),
            Ok("False".into())
        );
        assert_eq!(run("hash", vec![float(2.0)]), Ok("2".into()));
        assert_eq!(
            run("min", vec![list(&[int(3), int(1), int(2)])]),
            Ok("1".into())
        );
        assert_eq!(run("max", vec![int(3), int(7), int(2)]), Ok("7".into()));
        assert_eq!(
            run("max", vec![list(&[])]),
            Err(("ValueError".into(), "max() arg is an empty sequence".into()))
        );
        assert_eq!(
            run("len", vec![int(1)]),
            Err((
                "TypeError".into(),
                "object of type 'int' has no len()".into()
            ))
        );
        assert_eq!(
            run("len", vec![]),
            Err((
                "TypeError".into(),
                "len() takes exactly one argument (0 given)".into()
            ))
        );
    });
}

#[test]
fn classes_are_callable() {
    scoped(|| {
        let construct = |name: &str, args: Vec<RawPtr>| {
            let result = call_builtin(name, &args);
            args.into_iter().for_each(decref);
            result
        };
        assert_eq!(construct("int", vec![s(" 42 ")]), Ok("42".into()));
        assert_eq!(construct("int", vec![float(-3.9)]), Ok("-3".into()));
        assert_eq!(construct("int", vec![s("ff"), int(16)]), Ok("255".into()));
        assert_eq!(
            construct("int", vec![s("x")]),
            Err((
                "ValueError".into(),
                "invalid literal for int() with base 10: 'x'".into()
            ))
        );
        assert_eq!(construct("float", vec![s("1.5")]), Ok("1.5".into()));
        assert_eq!(construct("float", vec![int(2)]), Ok("2.0".into()));
        assert_eq!(construct("str", vec![int(42)]), Ok("'42'".into()));
        assert_eq!(construct("str", vec![]), Ok("''".into()));
        assert_eq!(
            construct("bytes", vec![list(&[int(104), int(105)])]),
            Ok("b'hi'".into())
        );
        assert_eq!(
            construct("bytes", vec![list(&[int(256)])]),
            Err(("ValueError".into(), "bytes must be in range(0, 256)".into()))
        );
        assert_eq!(construct("bool", vec![list(&[])]), Ok("False".into()));
        assert_eq!(construct("bool", vec![s("x")]), Ok("True".into()));
        assert_eq!(construct("list", vec![s("ab")]), Ok("['a', 'b']".into()));
        assert_eq!(construct("tuple", vec![list(&[int(1)])]), Ok("(1,)".into()));
        assert_eq!(
            construct("dict", vec![list(&[tuple(&[int(1), int(2)])])]),
            Ok("{1: 2}".into())
        );
        assert_eq!(construct("type", vec![s("x")]), Ok("<class 'str'>".into()));
        assert_eq!(
            construct("KeyError", vec![s("k")]),
            Ok("KeyError('k')".into())
        );
        assert_eq!(
            call_builtin("repr", &[]),
            Err((
                "TypeError".into(),
                "repr() takes exactly one argument (0 given)".into()
            ))
        );
        let number = int(1);
        assert!(call(number, &[]).is_none());
        assert_eq!(
            error(),
            ("TypeError".into(), "'int' object is not callable".into())
        );
        decref(number);
        // dict(**kwargs)
        let dict_type = builtin("builtins", "dict");
        let (names, one, two) = (tuple(&[s("a"), s("b")]), int(1), int(2));
        // SAFETY: see the note in `main.rs`.
        let made = unsafe { Mock::call(dict_type, &[one, two], 0, Some(names)) };
        assert_eq!(repr_taken(made), "{'a': 1, 'b': 2}");
        [dict_type, names, one, two].into_iter().for_each(decref);
    });
}

#[test]
fn methods_of_builtin_objects() {
    scoped(|| {
        let method = |receiver: RawPtr, name: &str, args: Vec<RawPtr>| {
            let result = call_method(receiver, name, &args);
            args.into_iter().for_each(decref);
            repr_or_error(result)
        };
        let text_obj = s(" a b  c ");
        assert_eq!(
            method(text_obj, "split", vec![]),
            Ok("['a', 'b', 'c']".into())
        );
        assert_eq!(
            method(text_obj, "split", vec![s(" ")]),
            Ok("['', 'a', 'b', '', 'c', '']".into())
        );
        assert_eq!(method(text_obj, "upper", vec![]), Ok("' A B  C '".into()));
        assert_eq!(
            method(text_obj, "replace", vec![s(" "), s("")]),
            Ok("'abc'".into())
        );
        assert_eq!(
            method(text_obj, "startswith", vec![s(" a")]),
            Ok("True".into())
        );
        assert_eq!(
            method(text_obj, "endswith", vec![tuple(&[s("x"), s("c ")])]),
            Ok("True".into())
        );
        assert_eq!(method(text_obj, "encode", vec![]), Ok("b' a b  c '".into()));
        assert_eq!(
            method(text_obj, "upper", vec![int(1)]),
            Err((
                "TypeError".into(),
                "str.upper() takes no arguments (1 given)".into()
            ))
        );
        decref(text_obj);
        let comma = s(", ");
        assert_eq!(
            method(comma, "join", vec![list(&[s("x"), s("y")])]),
            Ok("'x, y'".into())
        );
        assert_eq!(
            method(comma, "join", vec![list(&[s("x"), int(1)])]),
            Err((
                "TypeError".into(),
                "sequence item 1: expected str instance, int found".into()
            ))
        );
        decref(comma);
        let raw = bytes("é".as_bytes());
        assert_eq!(method(raw, "decode", vec![]), Ok("'é'".into()));
        decref(raw);

        let items = list(&[int(1), int(2), int(1)]);
        assert_eq!(method(items, "append", vec![int(3)]), Ok("None".into()));
        assert_eq!(
            method(items, "insert", vec![int(0), int(0)]),
            Ok("None".into())
        );
        assert_eq!(method(items, "count", vec![int(1)]), Ok("2".into()));
        assert_eq!(method(items, "index", vec![float(2.0)]), Ok("2".into()));
        assert_eq!(
            method(items, "index", vec![int(9)]),
            Err(("ValueError".into(), "9 is not in list".into()))
        );
        assert_eq!(method(items, "pop", vec![]), Ok("3".into()));
        assert_eq!(method(items, "pop", vec![int(0)]), Ok("0".into()));
        assert_eq!(method(items, "reverse", vec![]), Ok("None".into()));
        assert_eq!(repr(items), "[1, 2, 1]");
        decref(items);
        let empty = list(&[]);
        assert_eq!(
            method(empty, "pop", vec![]),
            Err(("IndexError".into(), "pop from empty list".into()))
        );
        decref(empty);

        // SAFETY: see the note in `main.rs`.
        let dict = unsafe { Mock::dict_new().unwrap() };
        assert_eq!(
            method(dict, "setdefault", vec![s("a"), int(1)]),
            Ok("1".into())
        );
        assert_eq!(
            method(dict, "setdefault", vec![s("a"), int(2)]),
            Ok("1".into())
        );
        assert_eq!(method(dict, "get", vec![s("a")]), Ok("1".into()));
        assert_eq!(method(dict, "get", vec![s("z")]), Ok("None".into()));
        assert_eq!(method(dict, "get", vec![s("z"), int(0)]), Ok("0".into()));
        assert_eq!(method(dict, "keys", vec![]), Ok("['a']".into()));
        assert_eq!(method(dict, "values", vec![]), Ok("[1]".into()));
        assert_eq!(method(dict, "items", vec![]), Ok("[('a', 1)]".into()));
        assert_eq!(method(dict, "pop", vec![s("a")]), Ok("1".into()));
        assert_eq!(method(dict, "pop", vec![s("a"), int(5)]), Ok("5".into()));
        assert_eq!(
            method(dict, "pop", vec![s("a")]),
            Err(("KeyError".into(), "'a'".into()))
        );
        decref(dict);

        let number = int(255);
        assert_eq!(method(number, "bit_length", vec![]), Ok("8".into()));
        assert!(getattr(number, "foo").is_none());
        assert_eq!(
            error(),
            (
                "AttributeError".into(),
                "'int' object has no attribute 'foo'".into()
            )
        );
        let (name, value) = (s("x"), int(1));
        // SAFETY: see the note in `main.rs`.
        assert_eq!(unsafe { Mock::setattr(number, name, value) }, -1);
        assert_eq!(
            error(),
            (
                "AttributeError".into(),
                "'int' object has no attribute 'x'".into()
            )
        );
        [number, name, value].into_iter().for_each(decref);
    });
}

#[test]
fn scalar_conversions_and_their_errors() {
    scoped(|| {
        // SAFETY: see the note in `main.rs`.
        unsafe {
            let big = Mock::int_from_u64(u64::MAX).unwrap();
            assert_eq!(Mock::int_as_u64(big), u64::MAX);
            assert_eq!(Mock::int_as_i64(big), -1);
            assert_eq!(
                error(),
                (
                    "OverflowError".into(),
                    "Python int too large to convert to C long".into()
                )
            );
            let negative = int(-1);
            assert_eq!(Mock::int_as_u64(negative), u64::MAX);
            assert_eq!(
                error(),
                (
                    "OverflowError".into(),
                    "can't convert negative int to unsigned".into()
                )
            );
            let number = float(2.5);
            assert_eq!(Mock::int_as_i64(number), -1);
            assert_eq!(
                error(),
                (
                    "TypeError".into(),
                    "'float' object cannot be interpreted as an integer".into()
                )
            );
            assert_eq!(Mock::float_as_f64(number), 2.5);
            assert_eq!(Mock::float_as_f64(negative), -1.0);
            assert!(!Mock::err_occurred());
            let text_obj = s("x");
            assert_eq!(Mock::float_as_f64(text_obj), -1.0);
            assert_eq!(
                error(),
                ("TypeError".into(), "must be real number, not str".into())
            );
            assert!(Mock::bytes_as(text_obj).is_none());
            assert_eq!(error().0, "TypeError");
            assert!(Mock::str_as_utf8(number).is_none());
            assert_eq!(
                error(),
                ("TypeError".into(), "expected str, got float".into())
            );
            assert_eq!(Mock::int_as_i64(Mock::bool_from(true)), 1);
            assert!(Mock::type_check(Mock::bool_from(true), BuiltinType::Int));
            assert!(!Mock::type_check(big, BuiltinType::Bool));
            assert!(Mock::type_check(number, BuiltinType::Float));
            assert_eq!(Mock::type_name(Mock::none()), "NoneType");
            [big, negative, number, text_obj]
                .into_iter()
                .for_each(decref);
        }
    });
}

#[test]
fn simple_namespace_takes_keyword_arguments() {
    scoped(|| {
        let namespace_type = builtin("types", "SimpleNamespace");
        let (names, one, text_obj) = (tuple(&[s("a"), s("b")]), int(1), s("x"));
        // SAFETY: see the note in `main.rs`.
        let namespace =
            unsafe { Mock::call(namespace_type, &[one, text_obj], 0, Some(names)) }.unwrap();
        assert_eq!(repr(namespace), "namespace(a=1, b='x')");
        // SAFETY: see the note in `main.rs`.
        assert_eq!(unsafe { Mock::type_name(namespace) }, "SimpleNamespace");
        assert_eq!(repr_taken(getattr(namespace, "a")), "1");
        assert!(getattr(namespace, "zz").is_none());
        assert_eq!(
            error(),
            (
                "AttributeError".into(),
                "'SimpleNamespace' object has no attribute 'zz'".into()
            )
        );
        let name = s("c");
        // SAFETY: see the note in `main.rs`.
        assert_eq!(unsafe { Mock::setattr(namespace, name, one) }, 0);
        assert_eq!(repr(namespace), "namespace(a=1, b='x', c=1)");
        assert!(call(namespace_type, &[one]).is_none());
        assert_eq!(
            error(),
            (
                "TypeError".into(),
                "no positional arguments expected".into()
            )
        );
        [namespace_type, names, one, text_obj, namespace, name]
            .into_iter()
            .for_each(decref);
    });
}
