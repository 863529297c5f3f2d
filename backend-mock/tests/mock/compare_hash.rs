//! Rich comparison and hashing, as CPython does them.

use anypy::{Backend, CompareOp, RawPtr};
use anypy_mock::Mock;

use crate::support::*;

#[test]
fn comparisons_follow_python() {
    scoped(|| {
        // SAFETY: see the note in `main.rs`.
        unsafe {
            let check = |a: RawPtr, b: RawPtr, op: CompareOp| {
                let result = Mock::compare(a, b, op);
                decref(a);
                decref(b);
                result
            };
            assert_eq!(check(int(1), float(1.0), CompareOp::Eq), 1);
            assert_eq!(check(int(1), float(2.5), CompareOp::Lt), 1);
            Mock::incref(Mock::bool_from(true));
            assert_eq!(check(Mock::bool_from(true), int(1), CompareOp::Eq), 1);
            assert_eq!(check(s("a"), s("b"), CompareOp::Lt), 1);
            assert_eq!(check(bytes(b"b"), bytes(b"a"), CompareOp::Gt), 1);
            assert_eq!(
                check(
                    list(&[int(1), int(2)]),
                    list(&[int(1), int(3)]),
                    CompareOp::Lt
                ),
                1
            );
            assert_eq!(
                check(list(&[int(1)]), list(&[int(1), int(0)]), CompareOp::Lt),
                1
            );
            assert_eq!(
                check(
                    tuple(&[int(1), s("x")]),
                    tuple(&[float(1.0), s("x")]),
                    CompareOp::Eq
                ),
                1
            );
            assert_eq!(check(list(&[]), tuple(&[]), CompareOp::Eq), 0);
            assert_eq!(check(int(1), s("1"), CompareOp::Ne), 1);
            assert_eq!(
                check(
                    Mock::dict_new().unwrap(),
                    Mock::dict_new().unwrap(),
                    CompareOp::Eq
                ),
                1
            );
            let nan = float(f64::NAN);
            assert_eq!(
                Mock::compare(nan, nan, CompareOp::Eq),
                1,
                "identity implies equality"
            );
            assert_eq!(check(nan, float(f64::NAN), CompareOp::Eq), 0);
            assert_eq!(check(int(1), s("a"), CompareOp::Lt), -1);
            assert_eq!(
                error(),
                (
                    "TypeError".into(),
                    "'<' not supported between instances of 'int' and 'str'".into()
                )
            );
            assert_eq!(
                check(
                    Mock::dict_new().unwrap(),
                    Mock::dict_new().unwrap(),
                    CompareOp::Le
                ),
                -1
            );
            assert_eq!(error().0, "TypeError");
            let big = Mock::int_from_u64(u64::MAX).unwrap();
            assert_eq!(check(big, float(1.8446744073709552e19), CompareOp::Lt), 1);
        }
    });
}

#[test]
fn hashes_match_cpython() {
    scoped(|| {
        // SAFETY: see the note in `main.rs`.
        unsafe {
            let hash = |obj: RawPtr| {
                let value = Mock::hash(obj);
                decref(obj);
                value
            };
            assert_eq!(hash(int(1)), 1);
            assert_eq!(hash(float(1.0)), 1);
            assert_eq!(hash(Mock::bool_from(true)), 1);
            Mock::incref(Mock::bool_from(true));
            assert_eq!(hash(int(-1)), -2);
            assert_eq!(hash(Mock::int_from_u64((1 << 61) - 1).unwrap()), 0);
            assert_eq!(hash(float(0.5)), 1_152_921_504_606_846_976);
            assert_eq!(hash(float(1.5)), 1_152_921_504_606_846_977);
            assert_eq!(hash(float(1e100)), 1_822_893_315_824_342_674);
            assert_eq!(hash(tuple(&[int(1), int(2)])), -3_550_055_125_485_641_917);
            assert_eq!(hash(tuple(&[])), 5_740_354_900_026_072_187);
            assert_eq!(hash(s("abc")), hash(s("abc")), "deterministic");
            assert_ne!(hash(s("abc")), -1);
            assert_eq!(hash(list(&[])), -1);
            assert_eq!(
                error(),
                ("TypeError".into(), "unhashable type: 'list'".into())
            );
            assert_eq!(hash(tuple(&[Mock::dict_new().unwrap()])), -1);
            assert_eq!(
                error(),
                ("TypeError".into(), "unhashable type: 'dict'".into())
            );
        }
    });
}
