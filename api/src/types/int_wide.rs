//! Ints wider than 64 bits: `i128`/`u128` and little-endian bytes of any length. Values that
//! fit 64 bits take the one-call path; wider ones are built and split in 64-bit limbs with
//! `<<`, `|`, `&` and `>>` (`PyNumber_*`: in the limited API and in PyPy's cpyext, unlike the
//! private `_PyLong_FromByteArray`), so no bignum type or private C function is needed.

use crate::backend::{Backend, NumberOp};
use crate::err::{PyErr, PyResult};
use crate::exceptions::OverflowError;
use crate::instance::Bound;
use crate::python::Python;
use crate::types::PyInt;

/// Bytes per limb.
const LIMB: usize = 8;

/// `a <op> b` on two ints.
#[track_caller]
fn binary<'py, B: Backend>(
    a: &Bound<'py, PyInt, B>,
    b: &Bound<'py, PyInt, B>,
    op: NumberOp,
) -> PyResult<Bound<'py, PyInt, B>, B> {
    // SAFETY: the handles prove the GIL and keep both alive; `&|<<>>` of ints is an int.
    unsafe { Bound::from_owned_ptr_or_err(a.py(), B::number_binary(a.as_ptr(), b.as_ptr(), op)) }
}

/// `(high << 64) | low`.
#[track_caller]
fn join<'py, B: Backend>(
    high: Bound<'py, PyInt, B>,
    low: u64,
) -> PyResult<Bound<'py, PyInt, B>, B> {
    let py = high.py();
    let shifted = binary(&high, &PyInt::new(py, 64)?, NumberOp::Lshift)?;
    binary(&shifted, &PyInt::new_u64(py, low)?, NumberOp::Or)
}

/// The `OverflowError` CPython raises for an int that does not fit the requested size.
fn too_big<B: Backend>() -> PyErr<B> {
    PyErr::new::<OverflowError, _>("int too big to convert")
}

/// The `OverflowError` CPython raises for a negative int read as unsigned.
fn negative<B: Backend>() -> PyErr<B> {
    PyErr::new::<OverflowError, _>("can't convert negative int to unsigned")
}

/// Whether `err` is an `OverflowError` (a value out of a 64-bit range, not a type error).
fn is_overflow<B: Backend>(py: Python<'_, B>, err: &PyErr<B>) -> bool {
    err.is_instance_of::<OverflowError>(py)
}

impl PyInt {
    /// A new `int` from an `i128`.
    #[track_caller]
    #[inline]
    pub fn new_i128<B: Backend>(
        py: Python<'_, B>,
        value: i128,
    ) -> PyResult<Bound<'_, PyInt, B>, B> {
        match i64::try_from(value) {
            Ok(small) => PyInt::new(py, small),
            Err(_) => join(PyInt::new(py, (value >> 64) as i64)?, value as u64),
        }
    }

    /// A new `int` from a `u128`.
    #[track_caller]
    #[inline]
    pub fn new_u128<B: Backend>(
        py: Python<'_, B>,
        value: u128,
    ) -> PyResult<Bound<'_, PyInt, B>, B> {
        match u64::try_from(value) {
            Ok(small) => PyInt::new_u64(py, small),
            Err(_) => join(PyInt::new_u64(py, (value >> 64) as u64)?, value as u64),
        }
    }

    /// `int.from_bytes(bytes, "little", signed=signed)`: an int of any size from its
    /// little-endian bytes (two's complement when `signed`). Empty bytes make `0`.
    #[track_caller]
    pub fn from_le_bytes<'py, B: Backend>(
        py: Python<'py, B>,
        bytes: &[u8],
        signed: bool,
    ) -> PyResult<Bound<'py, PyInt, B>, B> {
        let negative = signed && bytes.last().is_some_and(|top| top & 0x80 != 0);
        let fill = if negative { 0xff } else { 0 };
        let limb = |chunk: &[u8]| {
            let mut buffer = [fill; LIMB];
            buffer[..chunk.len()].copy_from_slice(chunk);
            u64::from_le_bytes(buffer)
        };
        let mut chunks = bytes.chunks(LIMB).rev();
        let mut value = match chunks.next() {
            None => return PyInt::new(py, 0),
            Some(top) if negative => PyInt::new(py, limb(top) as i64)?,
            Some(top) => PyInt::new_u64(py, limb(top))?,
        };
        for chunk in chunks {
            value = join(value, limb(chunk))?;
        }
        Ok(value)
    }
}

impl<'py, B: Backend> Bound<'py, PyInt, B> {
    /// The value as `i128`; `OverflowError` ("int too big to convert") when it does not fit.
    /// An int that fits 64 bits costs one `PyLong_AsLongLong`, as an `i64` does.
    #[inline]
    pub fn to_i128(&self) -> PyResult<i128, B> {
        // SAFETY: the handle proves the GIL and keeps the object alive.
        let value = unsafe { B::int_as_i64(self.as_ptr()) };
        // SAFETY: as above.
        if value == -1 && unsafe { B::err_occurred() } {
            return self.wide_i128();
        }
        Ok(i128::from(value))
    }

    /// [`Bound::to_i128`] past 64 bits: two limbs.
    #[cold]
    #[inline(never)]
    fn wide_i128(&self) -> PyResult<i128, B> {
        let err = PyErr::fetch(self.py());
        if !is_overflow(self.py(), &err) {
            return Err(err);
        }
        let (high, low) = self.split()?;
        let high = high.to_i64().map_err(|_| too_big())?;
        Ok(i128::from(high) << 64 | i128::from(low))
    }

    /// The value as `u128`; `OverflowError` when negative or too large. An int that fits 64
    /// bits costs one `PyLong_AsUnsignedLongLong`, as a `u64` does.
    #[inline]
    pub fn to_u128(&self) -> PyResult<u128, B> {
        // SAFETY: the handle proves the GIL and keeps the object alive.
        let value = unsafe { B::int_as_u64(self.as_ptr()) };
        // SAFETY: as above.
        if value == u64::MAX && unsafe { B::err_occurred() } {
            return self.wide_u128();
        }
        Ok(u128::from(value))
    }

    /// [`Bound::to_u128`] past 64 bits (or negative): two limbs.
    #[cold]
    #[inline(never)]
    fn wide_u128(&self) -> PyResult<u128, B> {
        let err = PyErr::fetch(self.py());
        if !is_overflow(self.py(), &err) {
            return Err(err);
        }
        let (high, low) = self.split()?;
        match high.to_u64() {
            Ok(high) => Ok(u128::from(high) << 64 | u128::from(low)),
            Err(_) if high.to_i64().is_ok_and(|high| high < 0) => Err(negative()),
            Err(_) => Err(too_big()),
        }
    }

    /// `(self >> 64, self & (2**64 - 1))`.
    #[track_caller]
    fn split(&self) -> PyResult<(Bound<'py, PyInt, B>, u64), B> {
        let py = self.py();
        let high = binary(self, &PyInt::new(py, 64)?, NumberOp::Rshift)?;
        let low = binary(self, &PyInt::new_u64(py, u64::MAX)?, NumberOp::And)?.to_u64()?;
        Ok((high, low))
    }

    /// `self.to_bytes(n, "little", signed=signed)` with the smallest `n` that holds the value
    /// (at least one byte): two's complement when `signed`; `OverflowError` for a negative value
    /// when not. [`PyInt::from_le_bytes`] reads it back.
    #[track_caller]
    pub fn to_le_bytes(&self, signed: bool) -> PyResult<Vec<u8>, B> {
        let mut bytes = Vec::new();
        let mut rest = self.clone();
        let top = loop {
            match rest.to_i64() {
                Ok(top) => break top,
                Err(err) if is_overflow(self.py(), &err) => {
                    let (high, low) = rest.split()?;
                    bytes.extend_from_slice(&low.to_le_bytes());
                    rest = high;
                }
                Err(err) => return Err(err),
            }
        };
        if top < 0 && !signed {
            return Err(negative());
        }
        bytes.extend_from_slice(&top.to_le_bytes());
        let fill = if top < 0 { 0xff } else { 0 };
        // Drop sign-extension bytes; a signed value keeps the byte that carries its sign.
        while bytes.len() > 1 && bytes[bytes.len() - 1] == fill {
            let next = bytes[bytes.len() - 2];
            if signed && (next & 0x80 != 0) != (fill == 0xff) {
                break;
            }
            bytes.pop();
        }
        Ok(bytes)
    }
}
