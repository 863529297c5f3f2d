//! Ints wider than 64 bits: `i128`/`u128` both ways, little-endian bytes of any length, and the
//! `OverflowError`s CPython raises when a Rust target is too small.

use anypy::types::{PyAny, PyInt};
use anypy::{Backend, Bound, ExceptionKind, PyResult, Python};

use crate::support::{assert_raises, with_py};

/// `repr(obj)` as a Rust string.
fn repr<B: Backend>(obj: &Bound<'_, PyAny, B>) -> PyResult<String, B> {
    Ok(obj.repr()?.to_str()?.to_owned())
}

/// `2**bits`, built from bytes.
fn power_of_two<B: Backend>(py: Python<'_, B>, bits: usize) -> PyResult<Bound<'_, PyInt, B>, B> {
    let mut bytes = vec![0u8; bits / 8 + 1];
    bytes[bits / 8] = 1 << (bits % 8);
    PyInt::from_le_bytes(py, &bytes, false)
}

/// `i128` values round-trip, in and out of the 64-bit range, and Python sees the same numbers.
pub fn i128_roundtrip<B: Backend>() {
    with_py::<B>(|py| {
        let values = [
            0,
            -1,
            i128::from(i64::MAX),
            i128::from(i64::MAX) + 1,
            i128::from(i64::MIN) - 1,
            i128::from(u64::MAX) + 1,
            -(1i128 << 100) + 12345,
            i128::MAX,
            i128::MIN,
        ];
        for value in values {
            let object = py.to_object(value)?;
            assert!(object.is_instance_of::<PyInt>());
            assert_eq!(object.extract::<i128>()?, value);
            assert_eq!(repr(&object)?, value.to_string());
        }
        let small: i128 = py.to_object(-42i64)?.extract()?;
        assert_eq!(small, -42);
        let list: Vec<i128> = py.to_object(vec![i128::MIN, 7, i128::MAX])?.extract()?;
        assert_eq!(list, [i128::MIN, 7, i128::MAX]);
        Ok(())
    });
}

/// `u128` values round-trip up to `u128::MAX`.
pub fn u128_roundtrip<B: Backend>() {
    with_py::<B>(|py| {
        let values = [
            0,
            1,
            u128::from(u64::MAX),
            u128::from(u64::MAX) + 1,
            i128::MAX as u128,
            i128::MAX as u128 + 1,
            u128::MAX,
        ];
        for value in values {
            let object = py.to_object(value)?;
            assert_eq!(object.extract::<u128>()?, value);
            assert_eq!(repr(&object)?, value.to_string());
        }
        Ok(())
    });
}

/// Too small a target is an `OverflowError` with CPython's words; a non-int is a `TypeError`.
pub fn wide_int_errors<B: Backend>() {
    with_py::<B>(|py| {
        let minus_one = py.to_object(-1i64)?;
        assert_raises(
            py,
            minus_one.extract::<u128>(),
            ExceptionKind::OverflowError,
            "can't convert negative int to unsigned",
        );
        let very_negative = py.to_object(i128::MIN)?;
        assert_raises(
            py,
            very_negative.extract::<u128>(),
            ExceptionKind::OverflowError,
            "can't convert negative int to unsigned",
        );
        assert_raises(
            py,
            py.to_object(i128::MAX)?.extract::<i64>(),
            ExceptionKind::OverflowError,
            "",
        );
        for (bits, negative) in [(127, false), (127, true), (200, false)] {
            let big = power_of_two(py, bits)?;
            let big = if negative {
                PyInt::from_le_bytes(
                    py,
                    &big.to_le_bytes(true)?
                        .iter()
                        .map(|b| !b)
                        .collect::<Vec<_>>(),
                    true,
                )?
            } else {
                big
            };
            assert_raises(
                py,
                big.extract::<i128>(),
                ExceptionKind::OverflowError,
                "int too big to convert",
            );
        }
        assert_raises(
            py,
            power_of_two(py, 128)?.extract::<u128>(),
            ExceptionKind::OverflowError,
            "int too big to convert",
        );
        let below_u128 = PyInt::from_le_bytes(py, &[0xff; 17], true)?;
        assert_eq!(
            below_u128.extract::<i128>()?,
            -1,
            "all ones is -1 however long"
        );
        assert_raises(
            py,
            power_of_two(py, 300)?.extract::<u64>(),
            ExceptionKind::OverflowError,
            "",
        );
        let text = py.to_object("12")?;
        assert_raises(
            py,
            text.extract::<i128>(),
            ExceptionKind::TypeError,
            "expected int, got str",
        );
        let float = py.to_object(1.5f64)?;
        assert_raises(
            py,
            float.extract::<u128>(),
            ExceptionKind::TypeError,
            "expected int, got float",
        );
        Ok(())
    });
}

/// `from_le_bytes`/`to_le_bytes` agree with Python's `int.from_bytes`/`to_bytes` (little-endian,
/// two's complement when signed, shortest length) and round-trip.
pub fn int_le_bytes<B: Backend>() {
    with_py::<B>(|py| {
        let read = |bytes: &[u8], signed: bool| -> PyResult<String, B> {
            repr(PyInt::from_le_bytes(py, bytes, signed)?.as_any())
        };
        assert_eq!(read(&[], true)?, "0");
        assert_eq!(read(&[0xff], true)?, "-1");
        assert_eq!(read(&[0xff], false)?, "255");
        assert_eq!(read(&[0x00, 0x01], false)?, "256");
        assert_eq!(read(&[0x7f, 0xff], true)?, "-129");
        assert_eq!(read(&[0; 20], true)?, "0");
        assert_eq!(read(&[0xff; 16], true)?, "-1");
        let mut bytes = [0u8; 16];
        bytes[15] = 0x80;
        assert_eq!(read(&bytes, true)?, i128::MIN.to_string());
        let write = |value: i128, signed: bool| -> PyResult<Vec<u8>, B> {
            PyInt::new_i128(py, value)?.to_le_bytes(signed)
        };
        assert_eq!(write(0, true)?, [0]);
        assert_eq!(write(-1, true)?, [0xff]);
        assert_eq!(write(255, true)?, [0xff, 0]);
        assert_eq!(write(255, false)?, [0xff]);
        assert_eq!(write(-129, true)?, [0x7f, 0xff]);
        assert_eq!(write(1 << 64, false)?, [0, 0, 0, 0, 0, 0, 0, 0, 1]);
        assert_eq!(write(i128::MIN, true)?, i128::MIN.to_le_bytes());
        assert_eq!(write(i128::MAX, true)?, i128::MAX.to_le_bytes());
        assert_raises(
            py,
            write(-5, false),
            ExceptionKind::OverflowError,
            "can't convert negative int to unsigned",
        );
        for value in [3, -3, 1 << 70, -(1 << 90) - 7, i128::MAX, i128::MIN + 1] {
            let bytes = write(value, true)?;
            assert_eq!(PyInt::from_le_bytes(py, &bytes, true)?.to_i128()?, value);
        }
        Ok(())
    });
}

/// Ints past 128 bits: 33 bytes in, the same 33 bytes out, and the decimal `repr` Python gives.
pub fn int_le_bytes_past_128_bits<B: Backend>() {
    with_py::<B>(|py| {
        let bytes: Vec<u8> = (1..=33u8).map(|byte| byte.wrapping_mul(37)).collect();
        let big = PyInt::from_le_bytes(py, &bytes, true)?;
        assert_eq!(big.to_le_bytes(true)?, bytes);
        let mut negative = [0u8; 18];
        negative[0] = 0x01;
        negative[17] = 0x80;
        let negative = PyInt::from_le_bytes(py, &negative, true)?;
        // int.from_bytes(bytes([1] + [0] * 16 + [0x80]), "little", signed=True)
        assert_eq!(
            repr(negative.as_any())?,
            "-11150372599265311570767859136324180752990207"
        );
        assert_eq!(power_of_two(py, 200)?.to_le_bytes(false)?.len(), 26);
        assert_eq!(
            repr(power_of_two(py, 130)?.as_any())?,
            "1361129467683753853853498429727072845824"
        );
        let pair = py.to_object(vec![power_of_two(py, 130)?, power_of_two(py, 130)?])?;
        assert!(power_of_two(py, 130)?.eq(pair.get_item(1i64)?)?);
        assert!(power_of_two(py, 130)?.gt(power_of_two(py, 129)?)?);
        assert!(negative.lt(-1i64)?);
        assert_eq!(
            power_of_two(py, 130)?.hash()?,
            py.to_object(2f64.powi(130))?.hash()?,
            "an int and the equal float hash alike"
        );
        assert!(power_of_two(py, 130)?.eq(2f64.powi(130))?);
        let bit_length = |obj: &Bound<'_, PyInt, B>| -> PyResult<u64, B> {
            obj.call_method0("bit_length")?.extract()
        };
        assert_eq!(bit_length(&power_of_two(py, 300)?)?, 301);
        assert_eq!(bit_length(&negative)?, 143);
        Ok(())
    });
}

#[doc(hidden)]
#[macro_export]
macro_rules! __suite_wide_ints {
    ($backend:ty, $harness:expr) => {
        $crate::__conformance_emit!($backend, $harness;
            wide_ints::i128_roundtrip,
            wide_ints::u128_roundtrip,
            wide_ints::wide_int_errors,
            wide_ints::int_le_bytes,
            wide_ints::int_le_bytes_past_128_bits,
        );
    };
}
