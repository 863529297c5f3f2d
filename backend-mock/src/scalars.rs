//! Scalars: converting ints, floats, str and bytes between Rust and the mock with the
//! C-API's error rules, the bitwise operators wide ints are built with, interned and path
//! strings, and parsing text the way `int()` and `float()` do.

use std::collections::HashMap;
use std::sync::Mutex;

use anypy::NumberOp;

use crate::big_int::BigInt;
use crate::errors::{int_too_large, overflow_error, type_error, value_error, Exc};
use crate::handle::Handle;
use crate::heap::Heap;
use crate::object::Kind;

/// The longest left shift the mock does, in bits (its ints stay within a few MiB).
const MAX_SHIFT: u32 = 1 << 24;

impl Heap {
    /// The value of an int or bool; `TypeError` otherwise.
    /// An int past `i128` (a [`BigInt`]) is an `OverflowError`.
    pub(crate) fn int_value(&self, handle: Handle) -> Result<i128, Exc> {
        if let Kind::BigInt(_) = self.kind(handle) {
            return Err(overflow_error("Python int too large to convert to C long"));
        }
        self.kind(handle).as_int().ok_or_else(|| {
            type_error(format!(
                "'{}' object cannot be interpreted as an integer",
                self.type_name(handle)
            ))
        })
    }

    /// `PyLong_AsLongLong`.
    pub(crate) fn int_as_i64(&self, handle: Handle) -> Result<i64, Exc> {
        let value = self.int_value(handle)?;
        i64::try_from(value)
            .map_err(|_| overflow_error("Python int too large to convert to C long"))
    }

    /// `PyLong_AsUnsignedLongLong`.
    pub(crate) fn int_as_u64(&self, handle: Handle) -> Result<u64, Exc> {
        let value = match self.kind(handle) {
            Kind::BigInt(value) if !value.is_negative() => {
                return Err(overflow_error("int too big to convert"))
            }
            Kind::BigInt(_) => -1,
            _ => self.int_value(handle)?,
        };
        if value < 0 {
            return Err(overflow_error("can't convert negative int to unsigned"));
        }
        u64::try_from(value).map_err(|_| overflow_error("int too big to convert"))
    }

    /// `PyFloat_AsDouble`: floats, ints and bools.
    pub(crate) fn float_as_f64(&self, handle: Handle) -> Result<f64, Exc> {
        match self.kind(handle) {
            Kind::Float(value) => Ok(*value),
            Kind::BigInt(value) => match value.to_f64() {
                float if float.is_finite() => Ok(float),
                _ => Err(overflow_error("int too large to convert to float")),
            },
            kind => kind.as_int().map(|value| value as f64).ok_or_else(|| {
                type_error(format!(
                    "must be real number, not {}",
                    self.type_name(handle)
                ))
            }),
        }
    }

    /// The UTF-8 text of a str (valid while it lives: str objects never change).
    pub(crate) fn str_bytes(&self, handle: Handle) -> Result<(*const u8, usize), Exc> {
        match self.kind(handle) {
            Kind::Str(text) => Ok((text.as_ptr(), text.len())),
            _ => Err(type_error(format!(
                "expected str, got {}",
                self.type_name(handle)
            ))),
        }
    }

    /// The contents of a bytes object (valid while it lives: bytes objects never change).
    pub(crate) fn bytes_contents(&self, handle: Handle) -> Result<(*const u8, usize), Exc> {
        match self.kind(handle) {
            Kind::Bytes(bytes) => Ok((bytes.as_ptr(), bytes.len())),
            _ => Err(type_error(format!(
                "expected bytes, {} found",
                self.type_name(handle)
            ))),
        }
    }
}

/// A float truncated to an int, as `int(x)` does.
pub(crate) fn float_to_int(value: f64) -> Result<i128, Exc> {
    if value.is_nan() {
        return Err(value_error("cannot convert float NaN to integer"));
    }
    if value.is_infinite() {
        return Err(overflow_error("cannot convert float infinity to integer"));
    }
    let whole = value.trunc();
    if whole.abs() >= 170_141_183_460_469_231_731_687_303_715_884_105_728.0 {
        return Err(int_too_large());
    }
    Ok(whole as i128)
}

/// Parses `int(text, base)`: surrounding whitespace, a sign, `_` between digits.
pub(crate) fn parse_int(text: &str, base: u32, shown: &str) -> Result<i128, Exc> {
    let invalid = || {
        value_error(format!(
            "invalid literal for int() with base {base}: {shown}"
        ))
    };
    let trimmed = text.trim();
    let (negative, digits) = match trimmed.as_bytes().first() {
        Some(b'-') => (true, &trimmed[1..]),
        Some(b'+') => (false, &trimmed[1..]),
        _ => (false, trimmed),
    };
    if digits.is_empty()
        || digits.starts_with('_')
        || digits.ends_with('_')
        || digits.contains("__")
        || !digits.chars().all(|c| c == '_' || c.is_digit(base))
    {
        return Err(invalid());
    }
    let mut value: i128 = 0;
    for c in digits.chars().filter(|c| *c != '_') {
        let digit = i128::from(c.to_digit(base).ok_or_else(invalid)?);
        value = value
            .checked_mul(i128::from(base))
            .and_then(|value| {
                if negative {
                    value.checked_sub(digit)
                } else {
                    value.checked_add(digit)
                }
            })
            .ok_or_else(int_too_large)?;
    }
    Ok(value)
}

/// Parses `float(text)`: surrounding whitespace, `inf`, `nan`, exponents, `_` between digits.
pub(crate) fn parse_float(text: &str, shown: &str) -> Result<f64, Exc> {
    let trimmed = text.trim();
    let cleaned: String = trimmed.chars().filter(|c| *c != '_').collect();
    let valid_underscores =
        !trimmed.starts_with('_') && !trimmed.ends_with('_') && !trimmed.contains("__");
    match cleaned.parse::<f64>() {
        Ok(value) if valid_underscores && !trimmed.is_empty() => Ok(value),
        _ => Err(value_error(format!(
            "could not convert string to float: {shown}"
        ))),
    }
}

impl Heap {
    /// A new int.
    pub(crate) fn new_int(&mut self, value: i128) -> Result<Handle, Exc> {
        self.alloc(Kind::Int(value))
    }

    /// A new str.
    pub(crate) fn new_str(&mut self, text: String) -> Result<Handle, Exc> {
        self.alloc(Kind::Str(text))
    }

    /// `PyNumber_And`/`Or`/`Lshift`/`Rshift` on ints of any size.
    pub(crate) fn number_binary(
        &mut self,
        a: Handle,
        b: Handle,
        op: NumberOp,
    ) -> Result<Handle, Exc> {
        let symbol = match op {
            NumberOp::And => "&",
            NumberOp::Or => "|",
            NumberOp::Lshift => "<<",
            NumberOp::Rshift => ">>",
        };
        let (Some(x), Some(y)) = (self.big_value(a), self.big_value(b)) else {
            return Err(type_error(format!(
                "unsupported operand type(s) for {symbol}: '{}' and '{}'",
                self.type_name(a),
                self.type_name(b)
            )));
        };
        let shift = || match y.to_i128() {
            _ if y.is_negative() => Err(value_error("negative shift count")),
            Some(count) => Ok(count as u128),
            None => Ok(u128::MAX),
        };
        let value = match op {
            NumberOp::And => x.bitwise(&y, |l, r| l & r),
            NumberOp::Or => x.bitwise(&y, |l, r| l | r),
            NumberOp::Lshift => match u32::try_from(shift()?) {
                Ok(count) if count <= MAX_SHIFT => x.shl(count),
                _ => return Err(overflow_error("too many digits in integer")),
            },
            NumberOp::Rshift => x.shr(shift()?),
        };
        self.alloc(value.into_kind())
    }

    /// An int or bool of any size, as a [`BigInt`].
    fn big_value(&self, handle: Handle) -> Option<BigInt> {
        match self.kind(handle) {
            Kind::BigInt(value) => Some((**value).clone()),
            kind => kind.as_int().map(BigInt::from_i128),
        }
    }

    /// `PyOS_FSPath`: a str or bytes as is (the mock has no `os.PathLike` classes).
    pub(crate) fn fs_path(&mut self, path: Handle) -> Result<Handle, Exc> {
        match self.kind(path) {
            Kind::Str(_) | Kind::Bytes(_) => {
                self.incref(path);
                Ok(path)
            }
            _ => Err(type_error(format!(
                "expected str, bytes or os.PathLike object, not {}",
                self.type_name(path)
            ))),
        }
    }

    /// `PyUnicode_InternFromString`: one immortal str per text, made on first use.
    pub(crate) fn str_intern(&mut self, text: &str) -> Handle {
        static INTERNED: Mutex<Option<HashMap<String, Handle>>> = Mutex::new(None);
        let mut interned = INTERNED
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let handle = *interned
            .get_or_insert_with(HashMap::new)
            .entry(text.to_owned())
            .or_insert_with(|| self.alloc_immortal(Kind::Str(text.to_owned())));
        self.incref(handle);
        handle
    }

    /// A new reference to `None`.
    pub(crate) fn new_none(&mut self) -> Handle {
        self.incref(crate::heap::NONE);
        crate::heap::NONE
    }

    /// A new reference to `True` or `False`.
    pub(crate) fn new_bool(&mut self, value: bool) -> Handle {
        let handle = crate::heap::bool_handle(value);
        self.incref(handle);
        handle
    }
}
