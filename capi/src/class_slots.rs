//! The C functions behind the protocol slots of Rust classes: each adapts a C slot's signature
//! (`reprfunc`, `lenfunc`, `objobjproc`, `hashfunc`, ...) to a call of the Rust function filling
//! it, specialized per function, and converts the result back as CPython's own slot wrappers
//! for Python classes do.

use std::ffi::c_int;
use std::ptr;
use std::sync::{Mutex, PoisonError};

use anypy::{BuiltinType, MethodEntry, RawMethod, RawPtr, SlotKind};

use crate::c_api::CApi;
use crate::class::slot;
use crate::errors::set_error;
use crate::ffi::PyObject;
use crate::layout;
use crate::type_check::builtin_type_check;

/// The C function of slot `kind` calling `M`.
pub(crate) fn slot_entry<A: CApi, M: RawMethod>(kind: SlotKind) -> MethodEntry {
    type Unary = unsafe extern "C" fn(*mut PyObject) -> *mut PyObject;
    type Binary = unsafe extern "C" fn(*mut PyObject, *mut PyObject) -> *mut PyObject;
    type Length = unsafe extern "C" fn(*mut PyObject) -> isize;
    type Contains = unsafe extern "C" fn(*mut PyObject, *mut PyObject) -> c_int;
    type Inquiry = unsafe extern "C" fn(*mut PyObject) -> c_int;
    type RichCompare = unsafe extern "C" fn(*mut PyObject, *mut PyObject, c_int) -> *mut PyObject;
    type Ternary =
        unsafe extern "C" fn(*mut PyObject, *mut PyObject, *mut PyObject) -> *mut PyObject;
    MethodEntry(match kind {
        SlotKind::Repr
        | SlotKind::Str
        | SlotKind::Iter
        | SlotKind::Next
        | SlotKind::Neg
        | SlotKind::Pos
        | SlotKind::Abs
        | SlotKind::Invert => unary_slot::<M> as Unary as *const (),
        // A binary operator's entry is called with the left operand as the receiver (the
        // instance, or for a reflected operation the other operand: `M` answers
        // `NotImplemented` then).
        SlotKind::GetItem
        | SlotKind::Add
        | SlotKind::Sub
        | SlotKind::Mul
        | SlotKind::TrueDiv
        | SlotKind::FloorDiv
        | SlotKind::Mod
        | SlotKind::InplaceAdd
        | SlotKind::InplaceSub
        | SlotKind::InplaceMul
        | SlotKind::InplaceTrueDiv
        | SlotKind::InplaceFloorDiv
        | SlotKind::InplaceMod => binary_slot::<M> as Binary as *const (),
        SlotKind::Len => length_slot::<A, M> as Length as *const (),
        SlotKind::Contains => contains_slot::<A, M> as Contains as *const (),
        SlotKind::Bool => bool_slot::<A, M> as Inquiry as *const (),
        SlotKind::Hash => hash_slot::<A, M> as Length as *const (),
        SlotKind::Call => call_slot_entry::<A, M> as Ternary as *const (),
        SlotKind::RichCompare => richcompare_slot::<A, M> as RichCompare as *const (),
        SlotKind::SetItem => assign_slot::<A, M, true> as Assign as *const (),
        SlotKind::DelItem => assign_slot::<A, M, false> as Assign as *const (),
    })
}

/// Calls `M` on `obj` with `args`: a new reference, or null with the error set.
///
/// # Safety
/// GIL held; all pointers live and non-null.
pub(crate) unsafe fn call_slot<M: RawMethod>(
    obj: *mut PyObject,
    args: &[*mut PyObject],
) -> *mut PyObject {
    // SAFETY: the interpreter passes live, non-null objects (caller); `RawPtr` is a non-null
    // pointer with the same layout; `call` never unwinds.
    unsafe {
        let receiver = ptr::NonNull::new_unchecked(obj.cast());
        let args = std::slice::from_raw_parts(args.as_ptr().cast::<RawPtr>(), args.len());
        M::call(receiver, args).map_or(ptr::null_mut(), |result| result.as_ptr().cast())
    }
}

/// `reprfunc` (`tp_repr`, `tp_str`), `getiterfunc` (`tp_iter`), `iternextfunc`
/// (`tp_iternext`: a `StopIteration` raised by `M` ends the iteration, as a Python class's
/// `__next__` does), `unaryfunc` (`nb_negative`, ...).
unsafe extern "C" fn unary_slot<M: RawMethod>(obj: *mut PyObject) -> *mut PyObject {
    // SAFETY: called by the interpreter with the GIL held and a live instance.
    unsafe { call_slot::<M>(obj, &[]) }
}

/// `binaryfunc` (`mp_subscript`, `nb_add`, ...).
unsafe extern "C" fn binary_slot<M: RawMethod>(
    obj: *mut PyObject,
    key: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: called by the interpreter with the GIL held and live objects.
    unsafe { call_slot::<M>(obj, &[key]) }
}

/// `lenfunc` (`mp_length`, `sq_length`): the int `M` returns, or `-1` with the error set.
unsafe extern "C" fn length_slot<A: CApi, M: RawMethod>(obj: *mut PyObject) -> isize {
    // SAFETY: called by the interpreter with the GIL held and a live instance; the result is
    // a new reference released once.
    unsafe {
        let result = call_slot::<M>(obj, &[]);
        if result.is_null() {
            return -1;
        }
        let len = A::PyLong_AsLongLong(result);
        A::decref(result);
        len as isize
    }
}

/// The truth of a slot's result (a new reference, released here): `1`, `0`, or `-1` with the
/// error set (also for a null result, whose error is set).
///
/// # Safety
/// GIL held; `result` is a new reference or null.
unsafe fn truth_of<A: CApi>(result: *mut PyObject) -> c_int {
    if result.is_null() {
        return -1;
    }
    // SAFETY: GIL held; `result` is a live new reference, released once.
    unsafe {
        let truth = A::PyObject_IsTrue(result);
        A::decref(result);
        truth
    }
}

/// `objobjproc` (`sq_contains`): `1`, `0`, or `-1` with the error set.
unsafe extern "C" fn contains_slot<A: CApi, M: RawMethod>(
    obj: *mut PyObject,
    key: *mut PyObject,
) -> c_int {
    // SAFETY: called by the interpreter with the GIL held and live objects.
    unsafe { truth_of::<A>(call_slot::<M>(obj, &[key])) }
}

/// `inquiry` (`nb_bool`): `1`, `0`, or `-1` with the error set.
unsafe extern "C" fn bool_slot<A: CApi, M: RawMethod>(obj: *mut PyObject) -> c_int {
    // SAFETY: called by the interpreter with the GIL held and a live instance.
    unsafe { truth_of::<A>(call_slot::<M>(obj, &[])) }
}

/// `hashfunc` (`tp_hash`), as CPython's `slot_tp_hash` reads a Python `__hash__`'s result: an
/// int that fits is the hash (`-1`, which means an error, becomes `-2`); a larger one (a `u64`
/// from a Rust `Hasher`) is hashed as Python hashes that int; anything else is a `TypeError`.
unsafe extern "C" fn hash_slot<A: CApi, M: RawMethod>(obj: *mut PyObject) -> isize {
    // SAFETY: called by the interpreter with the GIL held and a live instance; the result is
    // a new reference released once; a fetched error is released at once.
    unsafe {
        let result = call_slot::<M>(obj, &[]);
        if result.is_null() {
            return -1;
        }
        let hash = if !builtin_type_check::<A>(result, BuiltinType::Int) {
            set_error::<A>(
                A::PyExc_TypeError(),
                "__hash__ method should return an integer",
            );
            -1
        } else {
            match A::PyLong_AsLongLong(result) {
                -1 if A::PyErr_Occurred().is_null() => -2,
                -1 => {
                    if let Some((ty, value, traceback)) = A::fetch_error() {
                        [ty, value, traceback]
                            .into_iter()
                            .filter(|object| !object.is_null())
                            .for_each(|object| A::decref(object));
                    }
                    A::PyObject_Hash(result)
                }
                hash => hash as isize,
            }
        };
        A::decref(result);
        hash
    }
}

/// `objobjargproc` (`mp_ass_subscript`).
type Assign = unsafe extern "C" fn(*mut PyObject, *mut PyObject, *mut PyObject) -> c_int;

/// For a class filling both `__setitem__` and `__delitem__` (one C slot): the entry of each,
/// by the entry of the other. Read only on the path the installed entry does not handle, keyed
/// by the entry the type holds (read back with `PyType_GetSlot`, not by this function's own
/// address, which Rust does not promise to be unique for a generic function).
static PARTNERS: Mutex<Vec<(usize, usize)>> = Mutex::new(Vec::new());

/// Records that the `mp_ass_subscript` entries `set` and `delete` belong together.
pub(crate) fn pair_assignment(set: MethodEntry, delete: MethodEntry) {
    let mut partners = PARTNERS.lock().unwrap_or_else(PoisonError::into_inner);
    partners.push((set.0 as usize, delete.0 as usize));
    partners.push((delete.0 as usize, set.0 as usize));
}

/// The `mp_ass_subscript` entry paired with the one `obj`'s type holds, if any.
///
/// # Safety
/// GIL held; `obj` live.
unsafe fn partner_of<A: CApi>(obj: *mut PyObject) -> Option<Assign> {
    // SAFETY: GIL held, `obj` live (caller); its type is a heap type (a Rust class or a
    // subclass), whose slots `PyType_GetSlot` reads.
    let entry = unsafe { A::PyType_GetSlot(layout::ob_type::<A>(obj), slot::MP_ASS_SUBSCRIPT) };
    let entry = entry as usize;
    let partners = PARTNERS.lock().unwrap_or_else(PoisonError::into_inner);
    let (_, partner) = partners.iter().find(|(this, _)| *this == entry)?;
    // SAFETY: only `Assign` entries (`assign_slot`s) are recorded, as addresses.
    Some(unsafe { std::mem::transmute::<usize, Assign>(*partner) })
}

/// `objobjargproc` (`mp_ass_subscript`), filled by `M` for setting (`SETS`) or for deleting (a
/// null value): the other operation goes to the entry paired with this one, or raises
/// `TypeError` as CPython does when the class has none. `0`, or `-1` with the error set.
unsafe extern "C" fn assign_slot<A: CApi, M: RawMethod, const SETS: bool>(
    obj: *mut PyObject,
    key: *mut PyObject,
    value: *mut PyObject,
) -> c_int {
    let deleting = value.is_null();
    if deleting == SETS {
        // SAFETY: called by the interpreter with the GIL held and a live instance.
        if let Some(partner) = unsafe { partner_of::<A>(obj) } {
            // SAFETY: the partner serves this class; called as the interpreter called this.
            return unsafe { partner(obj, key, value) };
        }
        let verb = if deleting { "deletion" } else { "assignment" };
        // SAFETY: called by the interpreter with the GIL held and a live instance.
        return unsafe {
            class_error::<A>(obj, A::PyExc_TypeError(), |class| {
                format!("'{class}' object does not support item {verb}")
            })
        };
    }
    // SAFETY: called by the interpreter with the GIL held and live objects.
    unsafe {
        status_of::<A>(if deleting {
            call_slot::<M>(obj, &[key])
        } else {
            call_slot::<M>(obj, &[key, value])
        })
    }
}

/// `0` for a slot's result (a new reference, released here), `-1` for null (the error is set).
///
/// # Safety
/// GIL held; `result` is a new reference or null.
pub(crate) unsafe fn status_of<A: CApi>(result: *mut PyObject) -> c_int {
    if result.is_null() {
        return -1;
    }
    // SAFETY: GIL held; `result` is a live new reference, released once.
    unsafe { A::decref(result) };
    0
}

/// Raises `exception` with the message `message` makes from the name of `obj`'s class: `-1`.
///
/// # Safety
/// GIL held; `obj` live; `exception` an exception class.
pub(crate) unsafe fn class_error<A: CApi>(
    obj: *mut PyObject,
    exception: *mut PyObject,
    message: impl FnOnce(&str) -> String,
) -> c_int {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let class = A::type_name(layout::ob_type::<A>(obj));
        set_error::<A>(exception, &message(&class));
    }
    -1
}

/// `ternaryfunc` (`tp_call`): calls `M` with the positional arguments and the keywords.
unsafe extern "C" fn call_slot_entry<A: CApi, M: RawMethod>(
    obj: *mut PyObject,
    args: *mut PyObject,
    kwargs: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: called by the interpreter with the GIL held, a live instance, a tuple of
    // arguments and a dict of keyword arguments or null.
    unsafe { crate::class_keywords::call_with_dict::<A, M>(obj, args, kwargs) }
}

/// `richcmpfunc` (`tp_richcompare`): calls `M` with the other operand and the operator as an
/// int; `M` answers, or returns `NotImplemented` for an operand it does not compare with.
unsafe extern "C" fn richcompare_slot<A: CApi, M: RawMethod>(
    obj: *mut PyObject,
    other: *mut PyObject,
    op: c_int,
) -> *mut PyObject {
    // SAFETY: called by the interpreter with the GIL held and live objects; the operator's int
    // is a new reference released once.
    unsafe {
        let op = A::PyLong_FromLongLong(i64::from(op));
        if op.is_null() {
            return ptr::null_mut();
        }
        let result = call_slot::<M>(obj, &[other, op]);
        A::decref(op);
        result
    }
}
