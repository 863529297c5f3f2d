//! The mock's ints past 128 bits: two's complement little-endian 64-bit limbs, the shortest
//! that hold the value, with what the mock's C-API functions need (`&`, `|`, `<<`, `>>`,
//! ordering, CPython's int hash, `repr`, `float()`, `bit_length()`). An int that fits `i128`
//! is always a plain `Kind::Int`; [`BigInt::into_kind`] keeps that so.

use std::cmp::Ordering;

use crate::object::Kind;

/// `2**61 - 1`, the modulus of CPython's numeric hash.
const MODULUS: u128 = (1 << 61) - 1;

/// An int as two's complement limbs, least significant first; the last limb's top bit is the
/// sign. Never longer than needed (no limb that only repeats the sign of the one below).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct BigInt {
    limbs: Vec<u64>,
}

impl BigInt {
    /// The value of an `i128`.
    pub(crate) fn from_i128(value: i128) -> BigInt {
        BigInt::normalized(vec![value as u64, (value >> 64) as u64])
    }

    /// The integral float `value` (finite, already truncated), exactly.
    pub(crate) fn from_integral_f64(value: f64) -> BigInt {
        if value.abs() < 1e38 {
            return BigInt::from_i128(value as i128);
        }
        let bits = value.to_bits();
        let exponent = ((bits >> 52) & 0x7ff) as u32 - 1075;
        let mantissa = (bits & ((1 << 52) - 1)) | (1 << 52);
        let magnitude = BigInt::from_i128(i128::from(mantissa)).shl(exponent);
        if value < 0.0 {
            magnitude.negate()
        } else {
            magnitude
        }
    }

    fn normalized(mut limbs: Vec<u64>) -> BigInt {
        while limbs.len() > 1 {
            let top = limbs[limbs.len() - 1];
            let below_negative = limbs[limbs.len() - 2] >> 63 == 1;
            if (top == 0 && !below_negative) || (top == u64::MAX && below_negative) {
                limbs.pop();
            } else {
                break;
            }
        }
        BigInt { limbs }
    }

    /// The value as a `Kind`: `Kind::Int` when it fits `i128`.
    pub(crate) fn into_kind(self) -> Kind {
        match self.to_i128() {
            Some(value) => Kind::Int(value),
            None => Kind::BigInt(Box::new(self)),
        }
    }

    /// The value, if it fits `i128`.
    pub(crate) fn to_i128(&self) -> Option<i128> {
        match self.limbs[..] {
            [low] => Some(i128::from(low as i64)),
            [low, high] => Some(i128::from(high as i64) << 64 | i128::from(low)),
            _ => None,
        }
    }

    pub(crate) fn is_negative(&self) -> bool {
        self.limbs[self.limbs.len() - 1] >> 63 == 1
    }

    fn sign_limb(&self) -> u64 {
        if self.is_negative() {
            u64::MAX
        } else {
            0
        }
    }

    /// Limb `index`, sign-extended past the end.
    fn limb(&self, index: usize) -> u64 {
        self.limbs.get(index).copied().unwrap_or(self.sign_limb())
    }

    /// `a & b` or `a | b`, limb by limb.
    pub(crate) fn bitwise(&self, other: &BigInt, op: impl Fn(u64, u64) -> u64) -> BigInt {
        let len = self.limbs.len().max(other.limbs.len()) + 1;
        BigInt::normalized((0..len).map(|i| op(self.limb(i), other.limb(i))).collect())
    }

    /// `self << shift`.
    pub(crate) fn shl(&self, shift: u32) -> BigInt {
        let (whole, bits) = ((shift / 64) as usize, shift % 64);
        let mut limbs = vec![0; whole];
        let mut carry = 0;
        for index in 0..=self.limbs.len() {
            let limb = self.limb(index);
            limbs.push(if bits == 0 {
                limb
            } else {
                limb << bits | carry
            });
            carry = if bits == 0 { 0 } else { limb >> (64 - bits) };
        }
        BigInt::normalized(limbs)
    }

    /// `self >> shift` (rounding towards negative infinity, as Python does).
    pub(crate) fn shr(&self, shift: u128) -> BigInt {
        let whole = usize::try_from(shift / 64).unwrap_or(usize::MAX);
        let bits = (shift % 64) as u32;
        if whole >= self.limbs.len() {
            return BigInt::from_i128(if self.is_negative() { -1 } else { 0 });
        }
        let limbs = (whole..self.limbs.len())
            .map(|index| {
                let next = self.limb(index + 1);
                if bits == 0 {
                    self.limbs[index]
                } else {
                    self.limbs[index] >> bits | next << (64 - bits)
                }
            })
            .collect();
        BigInt::normalized(limbs)
    }

    /// `-self`.
    fn negate(&self) -> BigInt {
        let mut limbs = Vec::with_capacity(self.limbs.len() + 1);
        let mut carry = true;
        for index in 0..=self.limbs.len() {
            let (sum, overflow) = (!self.limb(index)).overflowing_add(u64::from(carry));
            limbs.push(sum);
            carry = overflow;
        }
        BigInt::normalized(limbs)
    }

    /// The magnitude's limbs, least significant first (unsigned).
    fn magnitude(&self) -> Vec<u64> {
        if self.is_negative() {
            let mut limbs = self.negate().limbs;
            limbs.push(0);
            limbs
        } else {
            self.limbs.clone()
        }
    }

    /// `int.bit_length()`: the bits of the magnitude.
    pub(crate) fn bit_length(&self) -> u64 {
        let magnitude = self.magnitude();
        let top = magnitude.iter().rposition(|limb| *limb != 0).unwrap_or(0);
        top as u64 * 64 + u64::from(64 - magnitude[top].leading_zeros())
    }

    /// CPython's int hash: the magnitude modulo `2**61 - 1`, with the sign.
    pub(crate) fn hash(&self) -> isize {
        let residue = self.magnitude().iter().rev().fold(0u128, |acc, limb| {
            ((acc << 64) | u128::from(*limb)) % MODULUS
        });
        let hash = if self.is_negative() {
            -(residue as i64)
        } else {
            residue as i64
        };
        if hash == -1 {
            -2
        } else {
            hash as isize
        }
    }

    /// The nearest float (rounded limb by limb).
    pub(crate) fn to_f64(&self) -> f64 {
        let magnitude = self.magnitude().iter().rev().fold(0.0, |acc, limb| {
            acc * 18_446_744_073_709_551_616.0 + *limb as f64
        });
        if self.is_negative() {
            -magnitude
        } else {
            magnitude
        }
    }
}

impl Ord for BigInt {
    fn cmp(&self, other: &BigInt) -> Ordering {
        match (self.is_negative(), other.is_negative()) {
            (true, false) => return Ordering::Less,
            (false, true) => return Ordering::Greater,
            _ => {}
        }
        let len = self.limbs.len().max(other.limbs.len());
        (0..len)
            .rev()
            .map(|index| self.limb(index).cmp(&other.limb(index)))
            .find(|ordering| ordering.is_ne())
            .unwrap_or(Ordering::Equal)
    }
}

impl PartialOrd for BigInt {
    fn partial_cmp(&self, other: &BigInt) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl std::fmt::Display for BigInt {
    /// Decimal, as `repr(int)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        const CHUNK: u128 = 10_000_000_000_000_000_000; // 10**19, the most that fits a limb
        let mut magnitude = self.magnitude();
        let mut chunks = Vec::new();
        while magnitude.iter().any(|limb| *limb != 0) {
            let mut remainder = 0u128;
            for limb in magnitude.iter_mut().rev() {
                let current = remainder << 64 | u128::from(*limb);
                *limb = (current / CHUNK) as u64;
                remainder = current % CHUNK;
            }
            chunks.push(remainder as u64);
        }
        if self.is_negative() {
            f.write_str("-")?;
        }
        match chunks.split_last() {
            None => f.write_str("0"),
            Some((top, rest)) => {
                write!(f, "{top}")?;
                rest.iter()
                    .rev()
                    .try_for_each(|chunk| write!(f, "{chunk:019}"))
            }
        }
    }
}
