//! The protocol slots of Rust classes, as the mock's `Backend` functions run them: looked up
//! under the heap lock, run with it released (they are user code that re-enters the mock),
//! their result converted to what the C slot would return.

use anypy::{Backend, NewRef, RawPtr, SlotKind};

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
    Some(unsafe { slot(obj, args) })
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
