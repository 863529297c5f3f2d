//! Text and binary data: `&str`/`String`/`char` to and from `str`, `&[u8]`/`Vec<u8>` to and from
//! `bytes`, `Cow<str>`, `PyStr`/`PyBytes` accessors, and the type errors between them.

use std::borrow::Cow;

use anypy::types::{PyAny, PyBytes, PyList, PyStr, PyTuple};
use anypy::{Backend, Bound, ExceptionKind, IntoPyObject};

use crate::support::{assert_raises, with_py};

/// A plain ASCII `&str` becomes a `str` and reads back as a `String`.
pub fn str_ascii_roundtrip<B: Backend>() {
    with_py::<B>(|py| {
        let obj = "hello, world".into_pyobject(py)?;
        assert_eq!(obj.type_name(), "str");
        assert!(obj.is_instance_of::<PyStr>());
        assert_eq!(obj.extract::<String>()?, "hello, world");
        assert_eq!(obj.len()?, 12);
        Ok(())
    });
}

/// Non-ASCII text survives the trip, and Python counts code points, not UTF-8 bytes.
pub fn str_non_ascii_roundtrip<B: Backend>() {
    with_py::<B>(|py| {
        let text = "h\u{e9}llo w\u{f6}rld \u{2713} \u{65e5}\u{672c} \u{1f40d}";
        let obj = py.to_object(text)?;
        assert_eq!(obj.extract::<String>()?, text);
        assert_eq!(obj.len()?, text.chars().count());
        assert_ne!(obj.len()?, text.len());
        assert_eq!(obj.downcast::<PyStr>()?.to_str()?, text);
        let snake = py.to_object("\u{1f40d}")?;
        assert_eq!(snake.len()?, 1);
        Ok(())
    });
}

/// The empty string round-trips and is falsy.
pub fn str_empty_roundtrip<B: Backend>() {
    with_py::<B>(|py| {
        let obj = py.to_object("")?;
        assert_eq!(obj.type_name(), "str");
        assert_eq!(obj.extract::<String>()?, "");
        assert_eq!(obj.len()?, 0);
        assert!(!obj.is_truthy()?);
        assert_eq!(PyStr::new(py, "")?.to_str()?, "");
        Ok(())
    });
}

/// An embedded NUL is a character like any other (no C-string truncation).
pub fn str_embedded_nul<B: Backend>() {
    with_py::<B>(|py| {
        let obj = py.to_object("a\0b\0")?;
        assert_eq!(obj.len()?, 4);
        assert_eq!(obj.extract::<String>()?, "a\0b\0");
        let direct = PyStr::new(py, "\0")?;
        assert_eq!(direct.to_str()?, "\0");
        assert_eq!(direct.len()?, 1);
        Ok(())
    });
}

/// `PyStr::new` and `to_str`, and `String`/`&String` conversions.
pub fn str_pystr_new_and_to_str<B: Backend>() {
    with_py::<B>(|py| {
        let s = PyStr::new(py, "anypy text")?;
        assert_eq!(s.to_str()?, "anypy text");
        assert_eq!(s.type_name(), "str");
        let owned = String::from("owned string");
        let from_ref = (&owned).into_pyobject(py)?;
        let from_owned = owned.clone().into_pyobject(py)?;
        assert_eq!(from_ref.extract::<String>()?, owned);
        assert!(from_owned.eq(&from_ref)?);
        assert!(s.eq("anypy text")?);
        assert!(s.ne("anypy texT")?);
        Ok(())
    });
}

/// Long strings are copied in full.
pub fn str_long_roundtrip<B: Backend>() {
    with_py::<B>(|py| {
        let text: String = (0..10_000)
            .map(|i| char::from(b'a' + (i % 26) as u8))
            .collect();
        let obj = py.to_object(&text)?;
        assert_eq!(obj.len()?, 10_000);
        assert_eq!(obj.extract::<String>()?, text);
        Ok(())
    });
}

/// `char` becomes a one-character `str` and reads back.
pub fn str_char_roundtrip<B: Backend>() {
    with_py::<B>(|py| {
        for c in ['x', '\0', '\u{e9}', '\u{20ac}', '\u{1f40d}'] {
            let obj = c.into_pyobject(py)?;
            assert_eq!(obj.type_name(), "str");
            assert_eq!(obj.len()?, 1);
            assert_eq!(obj.extract::<char>()?, c);
            assert_eq!(obj.extract::<String>()?, c.to_string());
        }
        Ok(())
    });
}

/// Only a `str` of exactly one character extracts into `char`.
pub fn str_char_errors<B: Backend>() {
    with_py::<B>(|py| {
        let two = py.to_object("ab")?;
        assert_raises(
            py,
            two.extract::<char>(),
            ExceptionKind::ValueError,
            "expected a str of length 1, got length 2",
        );
        let empty = py.to_object("")?;
        assert_raises(
            py,
            empty.extract::<char>(),
            ExceptionKind::ValueError,
            "expected a str of length 1, got length 0",
        );
        // Length counts characters, not bytes.
        let wide = py.to_object("\u{e9}\u{1f40d}")?;
        assert_raises(
            py,
            wide.extract::<char>(),
            ExceptionKind::ValueError,
            "got length 2",
        );
        let number = py.to_object(5i64)?;
        assert_raises(
            py,
            number.extract::<char>(),
            ExceptionKind::TypeError,
            "expected str, got int",
        );
        Ok(())
    });
}

/// `&[u8]` becomes `bytes`, read back through `as_bytes` and `Vec<u8>`, all 256 values included.
pub fn bytes_slice_roundtrip<B: Backend>() {
    with_py::<B>(|py| {
        let data: Vec<u8> = (0..=255u8).collect();
        let obj = data.as_slice().into_pyobject(py)?;
        assert_eq!(obj.type_name(), "bytes");
        assert!(obj.is_instance_of::<PyBytes>());
        assert_eq!(obj.len()?, 256);
        assert_eq!(obj.downcast::<PyBytes>()?.as_bytes(), data.as_slice());
        assert_eq!(obj.extract::<Vec<u8>>()?, data);
        Ok(())
    });
}

/// `Vec<u8>` makes `bytes`, not a list (unlike every other `Vec<T>`).
pub fn bytes_vec_u8_makes_bytes<B: Backend>() {
    with_py::<B>(|py| {
        let obj = vec![104u8, 0, 105].into_pyobject(py)?;
        assert_eq!(obj.type_name(), "bytes");
        assert!(!obj.is_instance_of::<PyList>());
        assert_eq!(obj.downcast::<PyBytes>()?.as_bytes(), b"h\0i");
        // A vector of byte vectors is a list of bytes.
        let chunks = vec![vec![1u8, 2], vec![]].into_pyobject(py)?;
        assert_eq!(chunks.type_name(), "list");
        assert_eq!(chunks.get_item(0i64)?.type_name(), "bytes");
        assert_eq!(
            chunks.extract::<Vec<Vec<u8>>>()?,
            vec![vec![1u8, 2], vec![]]
        );
        let other = vec![104u16, 0, 105].into_pyobject(py)?;
        assert_eq!(other.type_name(), "list");
        Ok(())
    });
}

/// Empty bytes round-trip and are falsy.
pub fn bytes_empty<B: Backend>() {
    with_py::<B>(|py| {
        let obj = PyBytes::new(py, b"")?;
        assert_eq!(obj.as_bytes(), b"");
        assert_eq!(obj.len()?, 0);
        assert!(!obj.is_truthy()?);
        assert_eq!(obj.extract::<Vec<u8>>()?, Vec::<u8>::new());
        let from_vec = Vec::<u8>::new().into_pyobject(py)?;
        assert_eq!(from_vec.type_name(), "bytes");
        Ok(())
    });
}

/// `Vec<u8>` also reads from a list or tuple of ints, range-checked per item.
pub fn bytes_vec_u8_from_sequences<B: Backend>() {
    with_py::<B>(|py| {
        let list = PyList::new(py, [1i64, 2, 255])?;
        assert_eq!(list.extract::<Vec<u8>>()?, vec![1, 2, 255]);
        let tuple = PyTuple::new(py, [0i64, 128])?;
        assert_eq!(tuple.extract::<Vec<u8>>()?, vec![0, 128]);
        let too_big = PyList::new(py, [1i64, 256])?;
        assert_raises(
            py,
            too_big.extract::<Vec<u8>>(),
            ExceptionKind::OverflowError,
            "Python int 256 out of range for u8",
        );
        let negative = PyList::new(py, [-1i64])?;
        assert_raises(
            py,
            negative.extract::<Vec<u8>>(),
            ExceptionKind::OverflowError,
            "",
        );
        let mixed = PyList::new(py, [py.to_object(1i64)?, py.to_object("x")?])?;
        assert_raises(
            py,
            mixed.extract::<Vec<u8>>(),
            ExceptionKind::TypeError,
            "expected int, got str",
        );
        Ok(())
    });
}

/// `bytes` is not text: extracting a `String` or `char` from it is a `TypeError`.
pub fn bytes_into_string_type_error<B: Backend>() {
    with_py::<B>(|py| {
        let obj = PyBytes::new(py, b"abc")?;
        assert_raises(
            py,
            obj.extract::<String>(),
            ExceptionKind::TypeError,
            "expected str, got bytes",
        );
        assert_raises(
            py,
            obj.extract::<char>(),
            ExceptionKind::TypeError,
            "expected str, got bytes",
        );
        assert_raises(
            py,
            obj.downcast::<PyStr>(),
            ExceptionKind::TypeError,
            "expected str, got bytes",
        );
        Ok(())
    });
}

/// `str` is not binary data: extracting `Vec<u8>` from it is a `TypeError`.
pub fn str_into_bytes_type_error<B: Backend>() {
    with_py::<B>(|py| {
        let obj = py.to_object("abc")?;
        // Only the actual type is pinned: `Vec<u8>` accepts bytes, lists and tuples, so the
        // expectation part of the message may name all three.
        assert_raises(
            py,
            obj.extract::<Vec<u8>>(),
            ExceptionKind::TypeError,
            ", got str",
        );
        assert_raises(
            py,
            obj.downcast::<PyBytes>(),
            ExceptionKind::TypeError,
            "expected bytes, got str",
        );
        let number = py.to_object(3i64)?;
        assert_raises(
            py,
            number.extract::<Vec<u8>>(),
            ExceptionKind::TypeError,
            ", got int",
        );
        Ok(())
    });
}

/// `str.encode()` and `bytes.decode()` are inverse on UTF-8 text.
pub fn str_encode_decode<B: Backend>() {
    with_py::<B>(|py| {
        let text = py.to_object("h\u{e9}llo")?;
        let encoded = text.call_method0("encode")?;
        assert_eq!(encoded.type_name(), "bytes");
        assert_eq!(encoded.extract::<Vec<u8>>()?, "h\u{e9}llo".as_bytes());
        let decoded = encoded.call_method0("decode")?;
        assert_eq!(decoded.type_name(), "str");
        assert!(decoded.eq(&text)?);
        let raw = PyBytes::new(py, "\u{1f40d}".as_bytes())?;
        assert_eq!(
            raw.call_method0("decode")?.extract::<String>()?,
            "\u{1f40d}"
        );
        Ok(())
    });
}

/// Borrowed views read text and bytes without taking references.
pub fn str_borrowed_views<B: Backend>() {
    with_py::<B>(|py| {
        let tuple = PyTuple::new(
            py,
            [
                py.to_object("borrowed text")?,
                PyBytes::new(py, b"\x01\x02")?.into_any(),
            ],
        )?;
        let text: &str = tuple.get_borrowed_item(0)?.downcast::<PyStr>()?.to_str()?;
        assert_eq!(text, "borrowed text");
        let data: &[u8] = tuple
            .get_borrowed_item(1)?
            .downcast::<PyBytes>()?
            .as_bytes();
        assert_eq!(data, [1, 2]);
        Ok(())
    });
}

/// `repr` and `str` of text and bytes follow Python's rules.
pub fn str_repr_and_str<B: Backend>() {
    with_py::<B>(|py| {
        let text = py.to_object("abc")?;
        assert_eq!(text.repr()?.to_str()?, "'abc'");
        assert_eq!(text.str()?.to_str()?, "abc");
        let data = PyBytes::new(py, b"ab")?;
        assert_eq!(data.repr()?.to_str()?, "b'ab'");
        let s: Bound<'_, PyAny, B> = text.str()?.into_any();
        assert!(s.eq("abc")?);
        Ok(())
    });
}

/// Equal text compares equal and different text orders lexicographically.
pub fn str_comparisons<B: Backend>() {
    with_py::<B>(|py| {
        let a = PyStr::new(py, "apple")?;
        assert!(a.eq(String::from("apple"))?);
        assert!(a.lt("banana")?);
        assert!(a.gt("Apple")?);
        assert!(
            a.ne(PyBytes::new(py, b"apple")?)?,
            "str and bytes are never equal"
        );
        Ok(())
    });
}

anypy::function! {
    /// Whether `text` was borrowed from the `str` object, and its text.
    fn cow_is_borrowed(text: Cow<'_, str>, maybe: Option<Cow<'_, str>> = None) -> (bool, String) {
        let borrowed = matches!(text, Cow::Borrowed(_)) && !matches!(maybe, Some(Cow::Owned(_)));
        (borrowed, text.into_owned() + maybe.as_deref().unwrap_or(""))
    }
}

/// `Cow<str>` both ways: borrowed and owned go in as the same `str`; a native function's
/// `Cow<str>` parameter borrows from the `str` object (no copy), and a non-str is the usual
/// `TypeError` naming the parameter.
pub fn str_cow_roundtrip<B: Backend>() {
    with_py::<B>(|py| {
        let borrowed: Cow<'_, str> = Cow::Borrowed("héllo");
        let owned: Cow<'_, str> = Cow::Owned(String::from("héllo"));
        let from_borrowed = py.to_object(&borrowed)?;
        let from_owned = py.to_object(owned)?;
        assert!(from_borrowed.eq(&from_owned)?);
        assert_eq!(from_borrowed.extract::<String>()?, "héllo");
        let builder = anypy::ModuleBuilder::new(py, "anypy_cow")?;
        builder.add_function(cow_is_borrowed::function())?;
        let function = builder.finish().getattr("cow_is_borrowed")?;
        let (was_borrowed, text): (bool, String) = function.call1((&from_borrowed,))?.extract()?;
        assert!(
            was_borrowed,
            "a Cow<str> parameter borrows from the str object"
        );
        assert_eq!(text, "héllo");
        let (was_borrowed, text): (bool, String) = function.call1(("a", "b"))?.extract()?;
        assert!(was_borrowed);
        assert_eq!(text, "ab");
        assert_raises(
            py,
            function.call1((5i64,)),
            ExceptionKind::TypeError,
            "cow_is_borrowed() argument 'text': expected str, got int",
        );
        Ok(())
    });
}

#[doc(hidden)]
#[macro_export]
macro_rules! __suite_text {
    ($backend:ty, $harness:expr) => {
        $crate::__conformance_emit!($backend, $harness;
            text::str_ascii_roundtrip,
            text::str_non_ascii_roundtrip,
            text::str_empty_roundtrip,
            text::str_embedded_nul,
            text::str_pystr_new_and_to_str,
            text::str_long_roundtrip,
            text::str_char_roundtrip,
            text::str_char_errors,
            text::bytes_slice_roundtrip,
            text::bytes_vec_u8_makes_bytes,
            text::bytes_empty,
            text::bytes_vec_u8_from_sequences,
            text::bytes_into_string_type_error,
            text::str_into_bytes_type_error,
            text::str_encode_decode,
            text::str_borrowed_views,
            text::str_repr_and_str,
            text::str_comparisons,
            text::str_cow_roundtrip,
        );
    };
}
