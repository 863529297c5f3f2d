//! Scalars: `None`/`()`, `bool`, every integer type, `f32`/`f64` and `Option<T>`, converted both
//! ways, with the exact errors anypy produces for wrong types and out-of-range values.

use anypy::types::{PyAny, PyBool, PyFloat, PyInt, PyNone};
use anypy::{Backend, Bound, ExceptionKind, IntoPyObject, PyResult, Python};

use crate::support::{assert_raises, with_py};

/// Converts `value` to Python and reads it back as the same Rust type.
fn roundtrip<'py, B: Backend, T>(py: Python<'py, B>, value: T) -> PyResult<T, B>
where
    T: IntoPyObject<B> + anypy::FromPyObject<'py, B>,
{
    let obj: Bound<'py, PyAny, B> = value.into_pyobject(py)?;
    obj.extract::<T>()
}

/// `()` becomes `None`, and only `None` extracts into `()`.
pub fn none_unit_roundtrip<B: Backend>() {
    with_py::<B>(|py| {
        let obj = ().into_pyobject(py)?;
        assert!(obj.is_none());
        assert!(obj.is(&py.none()));
        assert_eq!(obj.type_name(), "NoneType");
        obj.extract::<()>()?;
        py.none().extract::<()>()?;
        let zero = py.to_object(0i64)?;
        assert_raises(
            py,
            zero.extract::<()>(),
            ExceptionKind::TypeError,
            "expected None, got int",
        );
        Ok(())
    });
}

/// `true`/`false` become the `True`/`False` singletons and read back.
pub fn bool_roundtrip<B: Backend>() {
    with_py::<B>(|py| {
        let t = true.into_pyobject(py)?;
        let f = false.into_pyobject(py)?;
        assert_eq!(t.type_name(), "bool");
        assert_eq!(f.type_name(), "bool");
        assert!(t.is(&PyBool::new(py, true)));
        assert!(f.is(&PyBool::new(py, false)));
        assert!(!t.is(&f));
        assert!(t.extract::<bool>()?);
        assert!(!f.extract::<bool>()?);
        assert!(PyBool::new(py, true).is_true());
        assert!(!PyBool::new(py, false).is_true());
        assert!(roundtrip(py, true)?);
        assert!(!roundtrip(py, false)?);
        Ok(())
    });
}

/// Extracting `bool` is strict: no truthiness, ints and other objects are a `TypeError`.
pub fn bool_strict_extraction<B: Backend>() {
    with_py::<B>(|py| {
        let one = py.to_object(1i64)?;
        assert_raises(
            py,
            one.extract::<bool>(),
            ExceptionKind::TypeError,
            "expected bool, got int",
        );
        let zero = py.to_object(0i64)?;
        assert_raises(
            py,
            zero.extract::<bool>(),
            ExceptionKind::TypeError,
            "expected bool, got int",
        );
        let text = py.to_object("True")?;
        assert_raises(
            py,
            text.extract::<bool>(),
            ExceptionKind::TypeError,
            "expected bool, got str",
        );
        assert_raises(
            py,
            py.none().extract::<bool>(),
            ExceptionKind::TypeError,
            "expected bool, got NoneType",
        );
        Ok(())
    });
}

/// `bool` is a subclass of `int`: `True` reads as the integer 1, `False` as 0.
pub fn bool_is_an_int<B: Backend>() {
    with_py::<B>(|py| {
        let t = PyBool::new(py, true);
        let f = PyBool::new(py, false);
        assert!(t.is_instance_of::<PyInt>());
        assert!(t.is_instance_of::<PyBool>());
        assert_eq!(t.extract::<i64>()?, 1);
        assert_eq!(f.extract::<u8>()?, 0);
        let one = py.to_object(1i64)?;
        assert!(!one.is_instance_of::<PyBool>());
        assert!(one.eq(&t)?);
        Ok(())
    });
}

/// `i64` round-trips across its whole range, across the one-digit ints CPython's backend reads
/// inline (`|value| < 2**30`) and the first ints past them.
pub fn int_i64_bounds<B: Backend>() {
    with_py::<B>(|py| {
        for value in [
            i64::MIN,
            i64::MIN + 1,
            -(1 << 30),
            -(1 << 30) + 1,
            -1_000_001,
            -1,
            0,
            1,
            1_000_001,
            (1 << 30) - 1,
            1 << 30,
            i64::MAX - 1,
            i64::MAX,
        ] {
            let obj = py.to_object(value)?;
            assert_eq!(obj.type_name(), "int");
            assert!(obj.is_instance_of::<PyInt>());
            assert_eq!(obj.extract::<i64>()?, value);
            assert_eq!(obj.downcast::<PyInt>()?.to_i64()?, value);
        }
        Ok(())
    });
}

/// `u64` round-trips up to `u64::MAX`, which is larger than any `i64` on the Python side too.
pub fn int_u64_bounds<B: Backend>() {
    with_py::<B>(|py| {
        for value in [0u64, 1, 1 << 63, u64::MAX - 1, u64::MAX] {
            assert_eq!(roundtrip(py, value)?, value);
            assert_eq!(PyInt::new_u64(py, value)?.to_u64()?, value);
        }
        let big = py.to_object(u64::MAX)?;
        assert!(big.gt(i64::MAX)?);
        assert!(big.eq(PyInt::new_u64(py, u64::MAX)?)?);
        assert_raises(py, big.extract::<i64>(), ExceptionKind::OverflowError, "");
        let just_over = py.to_object(1u64 << 63)?;
        assert_raises(
            py,
            just_over.extract::<i64>(),
            ExceptionKind::OverflowError,
            "",
        );
        Ok(())
    });
}

/// Every narrow integer type round-trips its minimum and maximum.
pub fn int_narrow_types_bounds<B: Backend>() {
    with_py::<B>(|py| {
        assert_eq!(roundtrip(py, i8::MIN)?, i8::MIN);
        assert_eq!(roundtrip(py, i8::MAX)?, i8::MAX);
        assert_eq!(roundtrip(py, i16::MIN)?, i16::MIN);
        assert_eq!(roundtrip(py, i16::MAX)?, i16::MAX);
        assert_eq!(roundtrip(py, i32::MIN)?, i32::MIN);
        assert_eq!(roundtrip(py, i32::MAX)?, i32::MAX);
        assert_eq!(roundtrip(py, isize::MIN)?, isize::MIN);
        assert_eq!(roundtrip(py, isize::MAX)?, isize::MAX);
        assert_eq!(roundtrip(py, u8::MAX)?, u8::MAX);
        assert_eq!(roundtrip(py, u16::MAX)?, u16::MAX);
        assert_eq!(roundtrip(py, u32::MAX)?, u32::MAX);
        assert_eq!(roundtrip(py, usize::MAX)?, usize::MAX);
        assert_eq!(roundtrip(py, 0u8)?, 0);
        // Values made by one type read back through another when they fit.
        assert_eq!(py.to_object(200u8)?.extract::<i16>()?, 200);
        assert_eq!(py.to_object(-7i8)?.extract::<i64>()?, -7);
        assert_eq!(
            py.to_object(u32::MAX)?.extract::<i64>()?,
            i64::from(u32::MAX)
        );
        Ok(())
    });
}

/// Out of range for the target type is an `OverflowError` with anypy's exact message.
pub fn int_overflow_messages<B: Backend>() {
    with_py::<B>(|py| {
        let v300 = py.to_object(300i64)?;
        assert_raises(
            py,
            v300.extract::<u8>(),
            ExceptionKind::OverflowError,
            "Python int 300 out of range for u8",
        );
        let v128 = py.to_object(128i64)?;
        assert_raises(
            py,
            v128.extract::<i8>(),
            ExceptionKind::OverflowError,
            "Python int 128 out of range for i8",
        );
        let vm129 = py.to_object(-129i64)?;
        assert_raises(
            py,
            vm129.extract::<i8>(),
            ExceptionKind::OverflowError,
            "Python int -129 out of range for i8",
        );
        let v2_40 = py.to_object(1i64 << 40)?;
        assert_raises(
            py,
            v2_40.extract::<i32>(),
            ExceptionKind::OverflowError,
            "Python int 1099511627776 out of range for i32",
        );
        let u2_40 = py.to_object(1u64 << 40)?;
        assert_raises(
            py,
            u2_40.extract::<i32>(),
            ExceptionKind::OverflowError,
            "Python int 1099511627776 out of range for i32",
        );
        assert_raises(
            py,
            u2_40.extract::<u32>(),
            ExceptionKind::OverflowError,
            "Python int 1099511627776 out of range for u32",
        );
        let v70000 = py.to_object(70_000i64)?;
        assert_raises(
            py,
            v70000.extract::<u16>(),
            ExceptionKind::OverflowError,
            "Python int 70000 out of range for u16",
        );
        assert_raises(
            py,
            v70000.extract::<i16>(),
            ExceptionKind::OverflowError,
            "Python int 70000 out of range for i16",
        );
        // Just inside the bounds still works.
        assert_eq!(py.to_object(255i64)?.extract::<u8>()?, 255);
        assert_eq!(py.to_object(-128i64)?.extract::<i8>()?, -128);
        Ok(())
    });
}

/// A negative int into any unsigned type is an `OverflowError` (the message comes from the
/// interpreter, so only the kind is checked).
pub fn int_negative_into_unsigned<B: Backend>() {
    with_py::<B>(|py| {
        let minus_one = py.to_object(-1i64)?;
        assert_raises(
            py,
            minus_one.extract::<u8>(),
            ExceptionKind::OverflowError,
            "",
        );
        assert_raises(
            py,
            minus_one.extract::<u16>(),
            ExceptionKind::OverflowError,
            "",
        );
        assert_raises(
            py,
            minus_one.extract::<u32>(),
            ExceptionKind::OverflowError,
            "",
        );
        assert_raises(
            py,
            minus_one.extract::<u64>(),
            ExceptionKind::OverflowError,
            "",
        );
        assert_raises(
            py,
            minus_one.extract::<usize>(),
            ExceptionKind::OverflowError,
            "",
        );
        let very_negative = py.to_object(i64::MIN)?;
        assert_raises(
            py,
            very_negative.extract::<u32>(),
            ExceptionKind::OverflowError,
            "",
        );
        // After the failures the interpreter is clean: a good extraction still works.
        assert_eq!(minus_one.extract::<i32>()?, -1);
        Ok(())
    });
}

/// Non-ints into an integer type are a `TypeError` naming both types.
pub fn int_type_errors<B: Backend>() {
    with_py::<B>(|py| {
        let five = py.to_object("5")?;
        assert_raises(
            py,
            five.extract::<i64>(),
            ExceptionKind::TypeError,
            "expected int, got str",
        );
        assert_raises(
            py,
            five.extract::<u8>(),
            ExceptionKind::TypeError,
            "expected int, got str",
        );
        assert_raises(
            py,
            five.extract::<u64>(),
            ExceptionKind::TypeError,
            "expected int, got str",
        );
        let float = py.to_object(1.5f64)?;
        assert_raises(
            py,
            float.extract::<i32>(),
            ExceptionKind::TypeError,
            "expected int, got float",
        );
        let whole_float = py.to_object(2.0f64)?;
        assert_raises(
            py,
            whole_float.extract::<i64>(),
            ExceptionKind::TypeError,
            "expected int, got float",
        );
        assert_raises(
            py,
            py.none().extract::<i64>(),
            ExceptionKind::TypeError,
            "expected int, got NoneType",
        );
        Ok(())
    });
}

/// Ints made from Rust behave as Python ints: arithmetic-free checks through comparison,
/// repr and the `int` class.
pub fn int_is_python_int<B: Backend>() {
    with_py::<B>(|py| {
        let obj = py.to_object(1_000_001i64)?;
        assert_eq!(obj.repr()?.to_str()?, "1000001");
        assert_eq!(obj.to_string(), "1000001");
        let negative = py.to_object(-42i32)?;
        assert_eq!(negative.repr()?.to_str()?, "-42");
        let int_class = py.import("builtins")?.getattr("int")?;
        assert!(obj.get_type().is(&int_class));
        assert!(obj.is_instance(&int_class)?);
        let parsed = int_class.call1(("1000001",))?;
        assert!(parsed.eq(&obj)?);
        assert_eq!(parsed.extract::<u32>()?, 1_000_001);
        assert_eq!(
            py.to_object(255u8)?
                .call_method0("bit_length")?
                .extract::<u8>()?,
            8
        );
        Ok(())
    });
}

/// `f64` round-trips exactly, including signed zero, extremes and subnormals.
pub fn float_f64_roundtrip<B: Backend>() {
    with_py::<B>(|py| {
        for value in [
            0.0f64,
            -0.0,
            1.5,
            -2.25,
            0.1,
            1e300,
            -1e-300,
            f64::MAX,
            f64::MIN,
            f64::MIN_POSITIVE,
            f64::EPSILON,
            5e-324,
        ] {
            let obj = py.to_object(value)?;
            assert_eq!(obj.type_name(), "float");
            assert!(obj.is_instance_of::<PyFloat>());
            let back = obj.extract::<f64>()?;
            assert_eq!(
                back.to_bits(),
                value.to_bits(),
                "{value} came back as {back}"
            );
            assert_eq!(
                obj.downcast::<PyFloat>()?.value().to_bits(),
                value.to_bits()
            );
        }
        assert_eq!(PyFloat::new(py, 3.25)?.value(), 3.25);
        Ok(())
    });
}

/// `f32` becomes a Python float and reads back (narrowed).
pub fn float_f32_roundtrip<B: Backend>() {
    with_py::<B>(|py| {
        for value in [0.0f32, 1.5, -3.75, f32::MAX, f32::MIN_POSITIVE, 0.1] {
            let obj = py.to_object(value)?;
            assert_eq!(obj.type_name(), "float");
            assert_eq!(obj.extract::<f32>()?, value);
            assert_eq!(obj.extract::<f64>()?, f64::from(value));
        }
        // Narrowing a double that is not representable as f32 rounds, as a C cast does.
        let tenth = py.to_object(0.1f64)?;
        assert_eq!(tenth.extract::<f32>()?, 0.1f32);
        Ok(())
    });
}

/// An `int` extracts into `f64` (as `float(x)` does), but stays an `int` on the Python side.
pub fn float_from_int<B: Backend>() {
    with_py::<B>(|py| {
        let seven = py.to_object(7i64)?;
        assert_eq!(seven.extract::<f64>()?, 7.0);
        assert_eq!(seven.extract::<f32>()?, 7.0);
        assert!(!seven.is_instance_of::<PyFloat>());
        let big = py.to_object(1i64 << 53)?;
        assert_eq!(big.extract::<f64>()?, 9_007_199_254_740_992.0);
        let negative = py.to_object(-1_000_001i64)?;
        assert_eq!(negative.extract::<f64>()?, -1_000_001.0);
        // -1 is the C API's error sentinel: it must still read as a value.
        assert_eq!(py.to_object(-1i64)?.extract::<f64>()?, -1.0);
        assert_eq!(py.to_object(-1.0f64)?.extract::<f64>()?, -1.0);
        // bool is an int too.
        assert_eq!(PyBool::new(py, true).extract::<f64>()?, 1.0);
        Ok(())
    });
}

/// NaN and the infinities survive the trip and compare as Python floats do.
pub fn float_nan_and_infinity<B: Backend>() {
    with_py::<B>(|py| {
        let nan = py.to_object(f64::NAN)?;
        assert!(nan.extract::<f64>()?.is_nan());
        assert!(nan.extract::<f32>()?.is_nan());
        // Another NaN object: `PyObject_RichCompareBool` treats an object as equal to itself, and
        // PyPy counts floats with the same bits as the same object, so this NaN differs in sign.
        let other_nan = py.to_object(-f64::NAN)?;
        assert!(!nan.eq(&other_nan)?, "NaN != NaN in Python");
        assert!(!nan.eq(0.0f64)?);
        assert!(nan.ne(-f64::NAN)?);
        let inf = py.to_object(f64::INFINITY)?;
        assert_eq!(inf.extract::<f64>()?, f64::INFINITY);
        assert!(inf.gt(f64::MAX)?);
        let neg_inf = py.to_object(f64::NEG_INFINITY)?;
        assert_eq!(neg_inf.extract::<f64>()?, f64::NEG_INFINITY);
        assert!(neg_inf.lt(f64::MIN)?);
        assert_eq!(
            py.to_object(f32::INFINITY)?.extract::<f32>()?,
            f32::INFINITY
        );
        Ok(())
    });
}

/// Non-numbers into a float type are a `TypeError` naming both types.
pub fn float_type_errors<B: Backend>() {
    with_py::<B>(|py| {
        let text = py.to_object("1.5")?;
        assert_raises(
            py,
            text.extract::<f64>(),
            ExceptionKind::TypeError,
            "expected float, got str",
        );
        assert_raises(
            py,
            text.extract::<f32>(),
            ExceptionKind::TypeError,
            "expected float, got str",
        );
        assert_raises(
            py,
            py.none().extract::<f64>(),
            ExceptionKind::TypeError,
            "expected float, got NoneType",
        );
        let list = py.to_object(vec![1.0f64])?;
        assert_raises(
            py,
            list.extract::<f64>(),
            ExceptionKind::TypeError,
            "expected float, got list",
        );
        Ok(())
    });
}

/// `Option<T>` converts `None` to `None` and `Some(v)` to `v`.
pub fn option_into_python<B: Backend>() {
    with_py::<B>(|py| {
        let none = None::<i64>.into_pyobject(py)?;
        assert!(none.is_none());
        assert!(none.is_instance_of::<PyNone>());
        let some = Some(1_000_001i64).into_pyobject(py)?;
        assert_eq!(some.type_name(), "int");
        assert_eq!(some.extract::<i64>()?, 1_000_001);
        let nested_none = Some(None::<f64>).into_pyobject(py)?;
        assert!(nested_none.is_none());
        let text = Some("x").into_pyobject(py)?;
        assert_eq!(text.extract::<String>()?, "x");
        Ok(())
    });
}

/// `Option<T>` reads `None` as `None` and anything else as `T` (errors still propagate).
pub fn option_from_python<B: Backend>() {
    with_py::<B>(|py| {
        assert_eq!(py.none().extract::<Option<i64>>()?, None);
        assert_eq!(py.none().extract::<Option<String>>()?, None);
        assert_eq!(py.to_object(5i64)?.extract::<Option<i64>>()?, Some(5));
        assert_eq!(py.to_object(2.5f64)?.extract::<Option<f64>>()?, Some(2.5));
        assert_eq!(
            PyBool::new(py, false).extract::<Option<bool>>()?,
            Some(false)
        );
        let text = py.to_object("x")?;
        assert_raises(
            py,
            text.extract::<Option<i64>>(),
            ExceptionKind::TypeError,
            "expected int, got str",
        );
        let big = py.to_object(300i64)?;
        assert_raises(
            py,
            big.extract::<Option<u8>>(),
            ExceptionKind::OverflowError,
            "out of range for u8",
        );
        assert_eq!(roundtrip(py, Some(-3i16))?, Some(-3));
        assert_eq!(roundtrip(py, None::<u32>)?, None);
        Ok(())
    });
}

/// Extracting a typed handle is a checked downcast with the same `TypeError` shape.
pub fn int_extract_typed_handles<B: Backend>() {
    with_py::<B>(|py| {
        let obj = py.to_object(1_000_001i64)?;
        let int: Bound<'_, PyInt, B> = obj.extract()?;
        assert!(int.is(&obj));
        assert_eq!(int.to_i64()?, 1_000_001);
        assert_eq!(int.to_u64()?, 1_000_001);
        let float = py.to_object(1.0f64)?;
        assert_raises(
            py,
            float.extract::<Bound<'_, PyInt, B>>(),
            ExceptionKind::TypeError,
            "expected int, got float",
        );
        let negative = PyInt::new(py, -5)?;
        assert_eq!(negative.to_i64()?, -5);
        assert!(negative.to_u64().is_err());
        Ok(())
    });
}

#[doc(hidden)]
#[macro_export]
macro_rules! __suite_scalars {
    ($backend:ty, $harness:expr) => {
        $crate::__conformance_emit!($backend, $harness;
            scalars::none_unit_roundtrip,
            scalars::bool_roundtrip,
            scalars::bool_strict_extraction,
            scalars::bool_is_an_int,
            scalars::int_i64_bounds,
            scalars::int_u64_bounds,
            scalars::int_narrow_types_bounds,
            scalars::int_overflow_messages,
            scalars::int_negative_into_unsigned,
            scalars::int_type_errors,
            scalars::int_is_python_int,
            scalars::float_f64_roundtrip,
            scalars::float_f32_roundtrip,
            scalars::float_from_int,
            scalars::float_nan_and_infinity,
            scalars::float_type_errors,
            scalars::option_into_python,
            scalars::option_from_python,
            scalars::int_extract_typed_handles,
        );
    };
}
