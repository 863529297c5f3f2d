//! `bool`, the integer types, `f32`/`f64`, `()` and `Option<T>`.

use crate::backend::Backend;
use crate::conversion::expected_type as expected;
use crate::conversion::{FromPyObject, IntoPyObject};
use crate::err::{PyErr, PyResult};
use crate::exceptions::OverflowError;
use crate::function::{ReturnKind, ReturnValue};
use crate::instance::Bound;
use crate::python::Python;
use crate::types::{PyAny, PyBool, PyBytes, PyFloat, PyInt, PyNone, PyTypeInfo};

/// Downcasts for an extraction whose error names the Rust-facing expectation.
#[inline]
pub(crate) fn checked<'a, 'py, T: PyTypeInfo, B: Backend>(
    obj: &'a Bound<'py, PyAny, B>,
) -> PyResult<&'a Bound<'py, T, B>, B> {
    obj.downcast::<T>()
}

/// The object as an `int`, or the `TypeError` "expected int, got str" (built out of line: the
/// check is the whole of the hot path, so that int extraction inlines into loops).
#[inline(always)]
fn as_int<'a, 'py, B: Backend>(
    obj: &'a Bound<'py, PyAny, B>,
) -> PyResult<&'a Bound<'py, PyInt, B>, B> {
    if obj.is_instance_of::<PyInt>() {
        // SAFETY: just checked.
        Ok(unsafe { obj.cast_unchecked() })
    } else {
        Err(expected("int", obj))
    }
}

impl<B: Backend> IntoPyObject<B> for bool {
    fn into_pyobject<'py>(self, py: Python<'py, B>) -> PyResult<Bound<'py, PyAny, B>, B> {
        Ok(PyBool::new(py, self).into_any())
    }
}

impl<B: Backend> FromPyObject<'_, B> for bool {
    const HOLDS_PY: bool = false;

    /// Only `True` and `False` (no truthiness): `TypeError` for anything else.
    fn extract(obj: &Bound<'_, PyAny, B>) -> PyResult<Self, B> {
        Ok(checked::<PyBool, B>(obj)?.is_true())
    }
}

macro_rules! int_conversions {
    ($via:ident, $new:ident, $read:ident, $returned:ident: $($t:ty),*) => {$(
        impl<B: Backend> IntoPyObject<B> for $t {
            #[inline]
            fn into_pyobject<'py>(self, py: Python<'py, B>) -> PyResult<Bound<'py, PyAny, B>, B> {
                PyInt::$new(py, self as $via).map(Bound::into_any)
            }

            #[inline]
            fn into_return_value<'py>(
                self,
                _py: Python<'py, B>,
            ) -> PyResult<ReturnValue<'py, B>, B> {
                Ok(ReturnValue::$returned(self as $via))
            }

            const RETURN_KIND: ReturnKind = ReturnKind::$returned;
        }

        impl<B: Backend> FromPyObject<'_, B> for $t {
            const HOLDS_PY: bool = false;

            #[inline]
            fn extract(obj: &Bound<'_, PyAny, B>) -> PyResult<Self, B> {
                let wide = as_int(obj)?.$read()?;
                <$t>::try_from(wide).map_err(|_| {
                    PyErr::new::<OverflowError, _>(format!(
                        "Python int {wide} out of range for {}", stringify!($t)
                    ))
                })
            }
        }
    )*};
}

int_conversions!(i64, new, to_i64, Int: i8, i16, i32, i64, isize);
int_conversions!(u64, new_u64, to_u64, UInt: u16, u32, u64, usize);

macro_rules! wide_int_conversions {
    ($($t:ty: $new:ident, $read:ident;)*) => {$(
        impl<B: Backend> IntoPyObject<B> for $t {
            #[inline]
            fn into_pyobject<'py>(self, py: Python<'py, B>) -> PyResult<Bound<'py, PyAny, B>, B> {
                PyInt::$new(py, self).map(Bound::into_any)
            }
        }

        impl<B: Backend> FromPyObject<'_, B> for $t {
            const HOLDS_PY: bool = false;

            /// `OverflowError` as CPython words it: "int too big to convert", "can't convert
            /// negative int to unsigned".
            #[inline]
            fn extract(obj: &Bound<'_, PyAny, B>) -> PyResult<Self, B> {
                as_int(obj)?.$read()
            }
        }
    )*};
}

wide_int_conversions! {
    i128: new_i128, to_i128;
    u128: new_u128, to_u128;
}

impl<B: Backend> IntoPyObject<B> for u8 {
    fn into_pyobject<'py>(self, py: Python<'py, B>) -> PyResult<Bound<'py, PyAny, B>, B> {
        PyInt::new(py, i64::from(self)).map(Bound::into_any)
    }

    #[inline]
    fn into_return_value<'py>(self, _py: Python<'py, B>) -> PyResult<ReturnValue<'py, B>, B> {
        Ok(ReturnValue::Int(i64::from(self)))
    }

    const RETURN_KIND: ReturnKind = ReturnKind::Int;

    /// `Vec<u8>` becomes `bytes`.
    fn vec_into_pyobject<'py>(
        items: Vec<Self>,
        py: Python<'py, B>,
    ) -> PyResult<Bound<'py, PyAny, B>, B> {
        PyBytes::new(py, &items).map(Bound::into_any)
    }
}

impl<'py, B: Backend> FromPyObject<'py, B> for u8 {
    const HOLDS_PY: bool = false;

    fn extract(obj: &Bound<'py, PyAny, B>) -> PyResult<Self, B> {
        let wide = as_int(obj)?.to_u64()?;
        u8::try_from(wide).map_err(|_| {
            PyErr::new::<OverflowError, _>(format!("Python int {wide} out of range for u8"))
        })
    }

    /// `Vec<u8>` is read from `bytes`, or from a list or tuple of ints.
    fn vec_extract(obj: &Bound<'py, PyAny, B>) -> PyResult<Vec<Self>, B> {
        match obj.downcast::<PyBytes>() {
            Ok(bytes) => Ok(bytes.as_bytes().to_vec()),
            Err(_) => crate::conversion::collections::extract_sequence(obj),
        }
    }
}

impl<B: Backend> IntoPyObject<B> for f64 {
    fn into_pyobject<'py>(self, py: Python<'py, B>) -> PyResult<Bound<'py, PyAny, B>, B> {
        PyFloat::new(py, self).map(Bound::into_any)
    }

    #[inline]
    fn into_return_value<'py>(self, _py: Python<'py, B>) -> PyResult<ReturnValue<'py, B>, B> {
        Ok(ReturnValue::Float(self))
    }

    const RETURN_KIND: ReturnKind = ReturnKind::Float;
}

impl<B: Backend> FromPyObject<'_, B> for f64 {
    const HOLDS_PY: bool = false;

    /// From a `float`, or an `int` as Python's `float(x)` does (`OverflowError` if too large).
    fn extract(obj: &Bound<'_, PyAny, B>) -> PyResult<Self, B> {
        if !obj.is_instance_of::<PyFloat>() && !obj.is_instance_of::<PyInt>() {
            return Err(expected("float", obj));
        }
        // SAFETY: the handle proves the GIL and keeps the object alive.
        let value = unsafe { B::float_as_f64(obj.as_ptr()) };
        // SAFETY: as above.
        if value == -1.0 && unsafe { B::err_occurred() } {
            return Err(PyErr::fetch(obj.py()));
        }
        Ok(value)
    }
}

impl<B: Backend> IntoPyObject<B> for f32 {
    fn into_pyobject<'py>(self, py: Python<'py, B>) -> PyResult<Bound<'py, PyAny, B>, B> {
        f64::from(self).into_pyobject(py)
    }

    #[inline]
    fn into_return_value<'py>(self, _py: Python<'py, B>) -> PyResult<ReturnValue<'py, B>, B> {
        Ok(ReturnValue::Float(f64::from(self)))
    }

    const RETURN_KIND: ReturnKind = ReturnKind::Float;
}

impl<B: Backend> FromPyObject<'_, B> for f32 {
    const HOLDS_PY: bool = false;

    /// As `f64`, then narrowed (precision may be lost, as with a C `float`).
    fn extract(obj: &Bound<'_, PyAny, B>) -> PyResult<Self, B> {
        f64::extract(obj).map(|value| value as f32)
    }
}

impl<B: Backend> IntoPyObject<B> for () {
    fn into_pyobject<'py>(self, py: Python<'py, B>) -> PyResult<Bound<'py, PyAny, B>, B> {
        Ok(PyNone::get(py).into_any())
    }
}

impl<B: Backend> FromPyObject<'_, B> for () {
    const HOLDS_PY: bool = false;

    fn extract(obj: &Bound<'_, PyAny, B>) -> PyResult<Self, B> {
        if obj.is_none() {
            Ok(())
        } else {
            Err(expected("None", obj))
        }
    }
}

impl<B: Backend, T: IntoPyObject<B>> IntoPyObject<B> for Option<T> {
    fn into_pyobject<'py>(self, py: Python<'py, B>) -> PyResult<Bound<'py, PyAny, B>, B> {
        match self {
            Some(value) => value.into_pyobject(py),
            None => Ok(PyNone::get(py).into_any()),
        }
    }
}

impl<'py, B: Backend, T: FromPyObject<'py, B>> FromPyObject<'py, B> for Option<T> {
    const HOLDS_PY: bool = T::HOLDS_PY;

    fn extract(obj: &Bound<'py, PyAny, B>) -> PyResult<Self, B> {
        if obj.is_none() {
            Ok(None)
        } else {
            T::extract(obj).map(Some)
        }
    }
}
