//! The protocol slots of Rust classes, as the mock's `Backend` functions run them: looked up
//! under the heap lock, run with it released (they are user code that re-enters the mock),
//! their result converted to what the C slot would return.

use anypy::{Backend, BuiltinType, CompareOp, ExceptionKind, NewRef, RawPtr, SlotKind};

use crate::compare_hash::symbol;
use crate::errors::type_error;

use crate::operation::{h, run};
use crate::Mock;

/// Runs slot `kind` of `obj` with `args`, if `obj` is an instance of a Rust class filling it.
///
/// # Safety
/// GIL held; `obj` and `args` live.
#[track_caller]
pub(crate) unsafe fn call(
    op: &'static str,
    obj: RawPtr,
    kind: SlotKind,
    args: &[RawPtr],
) -> Option<NewRef> {
    let slot = run(op, &[obj], |heap| heap.slot_of(h(obj), kind))?;
    // SAFETY: GIL held, all live (caller); the heap lock was released above.
    Some(unsafe { slot(obj, args, args.len(), None) })
}

/// Runs slot `kind` (no arguments) of `obj`, if its class fills it, and converts its result
/// with `convert`: the converted value, or `failed` with the error set.
///
/// # Safety
/// GIL held; `obj` live.
#[track_caller]
unsafe fn call_converted<T>(
    op: &'static str,
    obj: RawPtr,
    kind: SlotKind,
    convert: unsafe fn(RawPtr) -> T,
    failed: T,
) -> Option<T> {
    // SAFETY: forwarded from the caller; the result is a new reference released once.
    unsafe {
        Some(match call(op, obj, kind, &[])? {
            Some(result) => {
                let value = convert(result);
                Mock::decref(result);
                value
            }
            None => failed,
        })
    }
}

/// Runs slot `kind` (returning an int) of `obj`, if its class fills it: the int, or `-1` with
/// the error set.
///
/// # Safety
/// GIL held; `obj` live.
#[track_caller]
pub(crate) unsafe fn call_int(op: &'static str, obj: RawPtr, kind: SlotKind) -> Option<i64> {
    // SAFETY: forwarded from the caller.
    unsafe { call_converted(op, obj, kind, Mock::int_as_i64, -1) }
}

/// `obj[key] = value` through `__setitem__` of `obj`'s class, if it fills it: `0`, or `-1` with
/// the error set.
///
/// # Safety
/// GIL held; all live.
#[track_caller]
pub(crate) unsafe fn set_item(obj: RawPtr, key: RawPtr, value: RawPtr) -> Option<i32> {
    // SAFETY: forwarded from the caller; the result is a new reference released once.
    unsafe {
        Some(
            match call("set_item", obj, SlotKind::SetItem, &[key, value])? {
                Some(result) => {
                    Mock::decref(result);
                    0
                }
                None => -1,
            },
        )
    }
}

/// Runs slot `kind` (returning a bool) of `obj`, if its class fills it: `1`, `0`, or `-1`
/// with the error set.
///
/// # Safety
/// GIL held; `obj` live.
#[track_caller]
pub(crate) unsafe fn call_bool(op: &'static str, obj: RawPtr, kind: SlotKind) -> Option<i32> {
    // SAFETY: forwarded from the caller.
    unsafe { call_converted(op, obj, kind, Mock::is_true, -1) }
}

/// `hash(obj)` through `__hash__` of `obj`'s class, if it fills it, as CPython's `slot_tp_hash`
/// reads the result: an int that fits is the hash (`-1` becomes `-2`), a larger one is hashed
/// as Python hashes that int, anything else is a `TypeError`. A class comparing its instances
/// without a hash is unhashable, as a Python class defining `__eq__` alone (CPython does not
/// inherit `object`'s hash then).
///
/// # Safety
/// GIL held; `obj` live.
#[track_caller]
pub(crate) unsafe fn hash(obj: RawPtr) -> Option<isize> {
    // SAFETY: forwarded from the caller; the result is a new reference released once.
    unsafe {
        let Some(result) = call("hash", obj, SlotKind::Hash, &[]).or_else(|| unhashable(obj))?
        else {
            return Some(-1);
        };
        let hash = if !Mock::type_check(result, BuiltinType::Int) {
            let ty = Mock::exception_type(ExceptionKind::TypeError);
            Mock::err_set_str(ty, "__hash__ method should return an integer");
            -1
        } else {
            match Mock::int_as_i64(result) {
                -1 if !Mock::err_occurred() => -2,
                -1 => {
                    release_error(Mock::err_fetch());
                    Mock::hash(result)
                }
                hash => hash as isize,
            }
        };
        Mock::decref(result);
        Some(hash)
    }
}

/// For an instance of a class that compares but does not hash: `TypeError`, as a null result.
#[track_caller]
fn unhashable(obj: RawPtr) -> Option<NewRef> {
    run("hash", &[obj], |heap| {
        heap.slot_of(h(obj), SlotKind::RichCompare)?;
        let class = heap.class(h(obj)).qualified_name();
        let message = format!("unhashable type: '{class}'");
        heap.raise(type_error(message));
        Some(None)
    })
}

/// Runs `__next__` of `obj`, if its class fills it: the item, or `None` at the end
/// (`StopIteration` cleared, as `PyIter_Next` does) or on error (set).
///
/// # Safety
/// GIL held; `obj` live.
#[track_caller]
pub(crate) unsafe fn next(obj: RawPtr) -> Option<NewRef> {
    // SAFETY: forwarded from the caller.
    unsafe {
        let item = call("iter_next", obj, SlotKind::Next, &[])?;
        if item.is_none() {
            if let Some((ty, value, traceback)) = Mock::err_fetch() {
                let stop = Mock::exception_type(ExceptionKind::StopIteration);
                if Mock::exception_matches(ty, stop) {
                    release_error(Some((ty, value, traceback)));
                } else {
                    Mock::err_restore(ty, value, traceback);
                }
            }
        }
        Some(item)
    }
}

/// Releases an exception taken with `err_fetch` (clearing it).
///
/// # Safety
/// GIL held; the references are owned by the caller.
unsafe fn release_error(fetched: Option<(RawPtr, RawPtr, Option<RawPtr>)>) {
    let Some((ty, value, traceback)) = fetched else {
        return;
    };
    for object in [Some(ty), Some(value), traceback].into_iter().flatten() {
        // SAFETY: each is a reference the caller owns, released once.
        unsafe { Mock::decref(object) };
    }
}

/// `a <op> b` when either operand is an instance of a Rust class filling `__richcmp__`, as
/// CPython's `do_richcompare` runs it: `a`'s comparison, then `b`'s with the operator swapped,
/// each answering or returning `NotImplemented`; if neither answers, identity for `==` and
/// `!=`, a `TypeError` for ordering. `1`, `0`, or `-1` with the error set.
///
/// # Safety
/// GIL held; both live.
#[track_caller]
pub(crate) unsafe fn compare(a: RawPtr, b: RawPtr, op: CompareOp) -> Option<i32> {
    let slot_of = |obj: RawPtr| {
        run("compare", &[obj], |heap| {
            heap.slot_of(h(obj), SlotKind::RichCompare)
        })
    };
    let (a_slot, b_slot) = (slot_of(a), slot_of(b));
    if a_slot.is_none() && b_slot.is_none() {
        return None;
    }
    let tries = [(a_slot, a, b, op), (b_slot, b, a, swapped(op))];
    for (slot, receiver, other, op) in tries {
        let Some(slot) = slot else { continue };
        // SAFETY: GIL held, both live (caller); the lock is released; every new reference is
        // released once.
        unsafe {
            let Some(op) = Mock::int_from_i64(op as i64) else {
                return Some(-1);
            };
            let result = slot(receiver, &[other, op], 2, None);
            Mock::decref(op);
            let Some(result) = result else {
                return Some(-1);
            };
            if result != Mock::not_implemented() {
                let truth = Mock::is_true(result);
                Mock::decref(result);
                return Some(truth);
            }
            Mock::decref(result);
        }
    }
    Some(match op {
        CompareOp::Eq => i32::from(a == b),
        CompareOp::Ne => i32::from(a != b),
        _ => run("compare", &[a, b], |heap| {
            // CPython names the types by `tp_name` here (a class's module included).
            let name = |obj: RawPtr| heap.class(h(obj)).qualified_name();
            let (a, b) = (name(a), name(b));
            heap.raise(type_error(format!(
                "'{}' not supported between instances of '{a}' and '{b}'",
                symbol(op)
            )));
            -1
        }),
    })
}

/// The operator that asks the same question with the operands swapped (`a < b` is `b > a`).
fn swapped(op: CompareOp) -> CompareOp {
    match op {
        CompareOp::Lt => CompareOp::Gt,
        CompareOp::Le => CompareOp::Ge,
        CompareOp::Gt => CompareOp::Lt,
        CompareOp::Ge => CompareOp::Le,
        CompareOp::Eq | CompareOp::Ne => op,
    }
}
