//! Rich comparison and hashing with Python's rules: numbers compare and hash across int,
//! float and bool (`1 == 1.0 == True`, same hash), sequences compare lexicographically, and
//! mutable containers are unhashable.

use std::cmp::Ordering;

use anypy::{CompareOp, ExceptionKind};

use crate::big_int::BigInt;
use crate::errors::{type_error, Exc};
use crate::handle::Handle;
use crate::heap::Heap;
use crate::object::Kind;

/// `2**61 - 1`, the modulus of CPython's numeric hash.
const MODULUS: u64 = (1 << 61) - 1;
/// Bits of `MODULUS`.
const MODULUS_BITS: u32 = 61;
/// How deep comparing or hashing nested containers may go.
const MAX_DEPTH: usize = 400;
/// The hash of `None` (a constant, as in CPython 3.12).
const NONE_HASH: isize = 0x0FCA_8642;

/// A number: `int` and `bool` as integers (past `i128`, big), `float` as is.
#[derive(Clone, Copy)]
enum Number<'a> {
    Int(i128),
    Big(&'a BigInt),
    Float(f64),
}

fn number(kind: &Kind) -> Option<Number<'_>> {
    match kind {
        Kind::Float(value) => Some(Number::Float(*value)),
        Kind::BigInt(value) => Some(Number::Big(value)),
        other => other.as_int().map(Number::Int),
    }
}

/// Compares a big int with a float exactly (`None` if the float is NaN).
fn compare_big_float(big: &BigInt, float: f64) -> Option<Ordering> {
    if float.is_nan() {
        return None;
    }
    if float.is_infinite() {
        return Some(if float > 0.0 {
            Ordering::Less
        } else {
            Ordering::Greater
        });
    }
    let whole = float.trunc();
    match big.cmp(&BigInt::from_integral_f64(whole)) {
        Ordering::Equal => 0.0.partial_cmp(&(float - whole)),
        unequal => Some(unequal),
    }
}

/// Compares an int with a float exactly (`None` if the float is NaN).
fn compare_int_float(int: i128, float: f64) -> Option<Ordering> {
    if float.is_nan() {
        return None;
    }
    const LIMIT: f64 = 170_141_183_460_469_231_731_687_303_715_884_105_728.0; // 2**127
    if float >= LIMIT {
        return Some(Ordering::Less);
    }
    if float < -LIMIT {
        return Some(Ordering::Greater);
    }
    let whole = float.trunc();
    match int.cmp(&(whole as i128)) {
        Ordering::Equal => 0.0.partial_cmp(&(float - whole)),
        unequal => Some(unequal),
    }
}

fn compare_numbers(a: Number, b: Number) -> Option<Ordering> {
    match (a, b) {
        (Number::Int(a), Number::Int(b)) => Some(a.cmp(&b)),
        (Number::Float(a), Number::Float(b)) => a.partial_cmp(&b),
        (Number::Int(a), Number::Float(b)) => compare_int_float(a, b),
        (Number::Float(a), Number::Int(b)) => compare_int_float(b, a).map(Ordering::reverse),
        (Number::Big(a), Number::Big(b)) => Some(a.cmp(b)),
        (Number::Big(a), Number::Int(b)) => Some(a.cmp(&BigInt::from_i128(b))),
        (Number::Int(a), Number::Big(b)) => Some(BigInt::from_i128(a).cmp(b)),
        (Number::Big(a), Number::Float(b)) => compare_big_float(a, b),
        (Number::Float(a), Number::Big(b)) => compare_big_float(b, a).map(Ordering::reverse),
    }
}

/// Whether `ordering` satisfies `op` (`None`, an unordered NaN, satisfies only `!=`).
fn satisfies(ordering: Option<Ordering>, op: CompareOp) -> bool {
    match ordering {
        None => op == CompareOp::Ne,
        Some(ordering) => match op {
            CompareOp::Lt => ordering.is_lt(),
            CompareOp::Le => ordering.is_le(),
            CompareOp::Eq => ordering.is_eq(),
            CompareOp::Ne => ordering.is_ne(),
            CompareOp::Gt => ordering.is_gt(),
            CompareOp::Ge => ordering.is_ge(),
        },
    }
}

/// Whether an inclusion order between sets satisfies `op` (`<` is a proper subset; sets
/// neither of which holds the other are only `!=`).
fn satisfies_subset(ordering: Option<Ordering>, op: CompareOp) -> bool {
    match (ordering, op) {
        (Some(Ordering::Less), CompareOp::Le) | (Some(Ordering::Greater), CompareOp::Ge) => true,
        (ordering, op) => satisfies(ordering, op),
    }
}

fn symbol(op: CompareOp) -> &'static str {
    match op {
        CompareOp::Lt => "<",
        CompareOp::Le => "<=",
        CompareOp::Eq => "==",
        CompareOp::Ne => "!=",
        CompareOp::Gt => ">",
        CompareOp::Ge => ">=",
    }
}

fn too_deep(what: &str) -> Exc {
    Exc::new(
        ExceptionKind::RuntimeError,
        format!("maximum recursion depth exceeded in {what}"),
    )
}

/// The hash of an int (CPython's: the value modulo `2**61 - 1`, keeping the sign).
pub(crate) fn hash_int(value: i128) -> isize {
    let magnitude = (value.unsigned_abs() % u128::from(MODULUS)) as i64;
    let hash = if value < 0 { -magnitude } else { magnitude };
    if hash == -1 {
        -2
    } else {
        hash as isize
    }
}

/// Splits a finite non-zero float into a mantissa in `[0.5, 1)` (signed) and an exponent.
fn frexp(value: f64) -> (f64, i32) {
    let bits = value.to_bits();
    let exponent = ((bits >> 52) & 0x7ff) as i32;
    if exponent == 0 {
        let (mantissa, exponent) = frexp(value * 18_014_398_509_481_984.0); // 2**54
        return (mantissa, exponent - 54);
    }
    let mantissa = f64::from_bits((bits & !(0x7ff << 52)) | (1022 << 52));
    (mantissa, exponent - 1022)
}

/// The hash of a float (CPython's: equal to the int hash for integral values).
pub(crate) fn hash_float(value: f64) -> isize {
    if value.is_nan() {
        return 0;
    }
    if value.is_infinite() {
        return if value > 0.0 { 314_159 } else { -314_159 };
    }
    if value == 0.0 {
        return 0;
    }
    let (mut mantissa, mut exponent) = frexp(value);
    let sign = if mantissa < 0.0 {
        mantissa = -mantissa;
        -1
    } else {
        1
    };
    let mut hash: u64 = 0;
    while mantissa != 0.0 {
        hash = ((hash << 28) & MODULUS) | hash >> (MODULUS_BITS - 28);
        mantissa *= 268_435_456.0; // 2**28
        exponent -= 28;
        let digit = mantissa as u64;
        mantissa -= digit as f64;
        hash += digit;
        if hash >= MODULUS {
            hash -= MODULUS;
        }
    }
    let exponent = if exponent >= 0 {
        exponent as u32 % MODULUS_BITS
    } else {
        MODULUS_BITS - 1 - ((-1 - exponent) as u32 % MODULUS_BITS)
    };
    hash = ((hash << exponent) & MODULUS) | hash >> (MODULUS_BITS - exponent);
    let hash = hash as i64 * sign;
    if hash == -1 {
        -2
    } else {
        hash as isize
    }
}

/// The hash of str or bytes contents (FNV-1a: deterministic across runs).
pub(crate) fn hash_bytes(bytes: &[u8]) -> isize {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in bytes {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    match hash as isize {
        -1 => -2,
        hash => hash,
    }
}

impl Heap {
    /// `PyObject_RichCompareBool`: identity implies equality.
    pub(crate) fn compare(&self, a: Handle, b: Handle, op: CompareOp) -> Result<bool, Exc> {
        self.compare_at(a, b, op, 0)
    }

    /// `a == b`.
    pub(crate) fn equals(&self, a: Handle, b: Handle) -> Result<bool, Exc> {
        self.compare_at(a, b, CompareOp::Eq, 0)
    }

    fn compare_at(&self, a: Handle, b: Handle, op: CompareOp, depth: usize) -> Result<bool, Exc> {
        let (left, right) = (self.kind(a), self.kind(b));
        if a == b && matches!(op, CompareOp::Eq | CompareOp::Ne) {
            return Ok(op == CompareOp::Eq);
        }
        if depth > MAX_DEPTH {
            return Err(too_deep("comparison"));
        }
        if let (Some(x), Some(y)) = (number(left), number(right)) {
            return Ok(satisfies(compare_numbers(x, y), op));
        }
        match (left, right) {
            (Kind::Str(x), Kind::Str(y)) => Ok(satisfies(Some(x.cmp(y)), op)),
            (Kind::Bytes(x), Kind::Bytes(y)) => Ok(satisfies(Some(x.cmp(y)), op)),
            (Kind::Tuple(_), Kind::Tuple(_)) | (Kind::List(_), Kind::List(_)) => {
                self.compare_sequences(a, b, op, depth)
            }
            (Kind::Set(x) | Kind::FrozenSet(x), Kind::Set(y) | Kind::FrozenSet(y)) => {
                Ok(satisfies_subset(self.compare_sets(x, y)?, op))
            }
            (Kind::Dict(x), Kind::Dict(y)) | (Kind::Namespace(x), Kind::Namespace(y))
                if matches!(op, CompareOp::Eq | CompareOp::Ne) =>
            {
                let equal = self.tables_equal(x, y, depth)?;
                Ok(equal == (op == CompareOp::Eq))
            }
            _ => match op {
                CompareOp::Eq => Ok(false),
                CompareOp::Ne => Ok(true),
                _ => Err(type_error(format!(
                    "'{}' not supported between instances of '{}' and '{}'",
                    symbol(op),
                    left.class().name(),
                    right.class().name()
                ))),
            },
        }
    }

    fn compare_sequences(
        &self,
        a: Handle,
        b: Handle,
        op: CompareOp,
        depth: usize,
    ) -> Result<bool, Exc> {
        let (left, right) = (self.sequence_items(a), self.sequence_items(b));
        if left.len() != right.len() && matches!(op, CompareOp::Eq | CompareOp::Ne) {
            return Ok(op == CompareOp::Ne);
        }
        for (x, y) in left.iter().zip(&right) {
            if !self.compare_at(*x, *y, CompareOp::Eq, depth + 1)? {
                return match op {
                    CompareOp::Eq => Ok(false),
                    CompareOp::Ne => Ok(true),
                    _ => self.compare_at(*x, *y, op, depth + 1),
                };
            }
        }
        Ok(satisfies(Some(left.len().cmp(&right.len())), op))
    }

    fn tables_equal(
        &self,
        a: &crate::dict_table::DictTable,
        b: &crate::dict_table::DictTable,
        depth: usize,
    ) -> Result<bool, Exc> {
        if a.len() != b.len() {
            return Ok(false);
        }
        for entry in a.iter() {
            let found = b.find(entry.hash, |key| {
                self.compare_at(key, entry.key, CompareOp::Eq, depth + 1)
            })?;
            let Some(position) = found else {
                return Ok(false);
            };
            let other = b.entry(position).map(|other| other.value);
            match other {
                Some(value) if self.compare_at(entry.value, value, CompareOp::Eq, depth + 1)? => {}
                _ => return Ok(false),
            }
        }
        Ok(true)
    }

    /// `PyObject_Hash`: `TypeError` for lists, dicts and namespaces.
    pub(crate) fn hash(&self, handle: Handle) -> Result<isize, Exc> {
        self.hash_at(handle, 0)
    }

    fn hash_at(&self, handle: Handle, depth: usize) -> Result<isize, Exc> {
        match self.kind(handle) {
            Kind::None => Ok(NONE_HASH),
            Kind::Bool(value) => Ok(isize::from(*value)),
            Kind::Int(value) => Ok(hash_int(*value)),
            Kind::BigInt(value) => Ok(value.hash()),
            Kind::Float(value) => Ok(hash_float(*value)),
            Kind::Str(text) => Ok(hash_bytes(text.as_bytes())),
            Kind::Bytes(bytes) => Ok(hash_bytes(bytes)),
            Kind::Tuple(_) => {
                if depth > MAX_DEPTH {
                    return Err(too_deep("hash"));
                }
                self.hash_tuple(handle, depth)
            }
            Kind::FrozenSet(table) => Ok(crate::set::hash_frozenset(table)),
            Kind::List(_) | Kind::Dict(_) | Kind::Namespace(_) | Kind::Set(_) => Err(type_error(
                format!("unhashable type: '{}'", self.type_name(handle)),
            )),
            Kind::Module(_)
            | Kind::Function(_)
            | Kind::Builtin(_)
            | Kind::Method(..)
            | Kind::Iter(_)
            | Kind::Exception(..)
            | Kind::Type(_)
            | Kind::Instance(_)
            | Kind::BoundMethod(..) => Ok(match handle.bits().rotate_right(4) as isize {
                -1 => -2,
                hash => hash,
            }),
        }
    }

    /// CPython's tuple hash (xxHash-based).
    fn hash_tuple(&self, handle: Handle, depth: usize) -> Result<isize, Exc> {
        const PRIME_1: u64 = 11_400_714_785_074_694_791;
        const PRIME_2: u64 = 14_029_467_366_897_019_727;
        const PRIME_5: u64 = 2_870_177_450_012_600_261;
        let items = self.sequence_items(handle);
        let mut acc = PRIME_5;
        for item in &items {
            let lane = self.hash_at(*item, depth + 1)? as u64;
            acc = acc
                .wrapping_add(lane.wrapping_mul(PRIME_2))
                .rotate_left(31)
                .wrapping_mul(PRIME_1);
        }
        acc = acc.wrapping_add(items.len() as u64 ^ (PRIME_5 ^ 3_527_539));
        Ok(match acc as isize {
            -1 => 1_546_275_796,
            hash => hash,
        })
    }
}
