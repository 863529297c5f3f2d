//! Inline field access, as the C headers' macros do it: refcounts, `Py_TYPE`, `tp_flags`,
//! `tp_name`, and tuple and list items where the layout exposes them. Offsets derive from
//! [`CApi::OB_TYPE_OFFSET`], the one layout constant that differs between implementations.

use std::ffi::{c_char, c_void, CStr};

use crate::c_api::CApi;
use crate::ffi::PyObject;

/// Reads a field of type `T` at `offset` bytes into `obj`.
///
/// # Safety
/// `obj` points to a live structure with a `T` at that offset.
#[inline(always)]
unsafe fn field<T: Copy>(obj: *mut PyObject, offset: usize) -> T {
    // SAFETY: guaranteed by the caller.
    unsafe { obj.cast::<u8>().add(offset).cast::<T>().read() }
}

/// `Py_INCREF` as the headers inline it.
///
/// # Safety
/// GIL held; `obj` live.
#[inline(always)]
pub unsafe fn incref(obj: *mut PyObject) {
    // SAFETY: the GIL serializes refcount updates; `obj` is live.
    unsafe { (*obj).ob_refcnt += 1 };
}

/// `Py_DECREF` as the headers inline it: deallocate at zero. Where the GC owns objects
/// ([`CApi::GC_OWNED_REFCNT`] non-zero), reaching that count calls [`CApi::released_to_gc`],
/// and is tested first: on PyPy it is where most decrefs land (a temporary made by C code, an
/// item or argument referenced once more and let go: PyPy's own reference is the flag, not a
/// count), so that path is a compare and a branch after the decrement (callgrind,
/// `benches/extension` cases `ints`, `call_n`: 3 instructions less per temporary than one
/// test of the bits below the flag, then two compares).
///
/// # Safety
/// GIL held; the caller owns the reference it gives up.
#[inline(always)]
pub unsafe fn decref<A: CApi>(obj: *mut PyObject) {
    // SAFETY: the GIL serializes refcount updates; the caller owns one reference; at zero it
    // was the last one.
    unsafe {
        (*obj).ob_refcnt -= 1;
        let count = (*obj).ob_refcnt;
        if A::GC_OWNED_REFCNT != 0 && count == A::GC_OWNED_REFCNT {
            A::released_to_gc();
        } else if count == 0 {
            A::_Py_Dealloc(obj);
        }
    }
}

/// `Py_TYPE(obj)`.
///
/// # Safety
/// `obj` live.
#[inline(always)]
pub unsafe fn ob_type<A: CApi>(obj: *mut PyObject) -> *mut PyObject {
    // SAFETY: every object has its type pointer at OB_TYPE_OFFSET.
    unsafe { field(obj, A::OB_TYPE_OFFSET) }
}

/// Offset of `ob_size` in a variable-size object: right after the type pointer.
pub const fn ob_size_offset<A: CApi>() -> usize {
    A::OB_TYPE_OFFSET + 8
}

/// Size of `PyObject_VAR_HEAD`: refcount, type pointer, `ob_size`. Tuple items (inline), the
/// list's item-array pointer and a type's `tp_name` come right after it.
pub const fn var_head<A: CApi>() -> usize {
    ob_size_offset::<A>() + 8
}

/// Offset of `tp_flags` in a type object: 18 pointer-sized fields after `tp_name` (an
/// `unsigned long`, 64 bits on the supported targets), as in CPython 3.8+ and PyPy.
pub const fn tp_flags_offset<A: CApi>() -> usize {
    var_head::<A>() + 18 * 8
}

/// Offset of `tp_alloc` in a type object: 35 pointer-sized fields after `tp_name` (`tp_flags`
/// at 18, then `tp_doc` ... `tp_init`), as in CPython 3.8+; `tp_free` is two after it.
pub const fn tp_alloc_offset<A: CApi>() -> usize {
    var_head::<A>() + 35 * 8
}

/// Offset of the pointer a capsule holds: `PyCapsule` is `PyObject_HEAD` followed by
/// `void *pointer`, on CPython and in PyPy's cpyext alike.
pub const fn capsule_pointer_offset<A: CApi>() -> usize {
    A::OB_TYPE_OFFSET + 8
}

/// `Py_SIZE(obj)` of a variable-size object.
///
/// # Safety
/// `obj` is a live variable-size object.
#[inline(always)]
pub unsafe fn ob_size<A: CApi>(obj: *mut PyObject) -> isize {
    // SAFETY: `ob_size` follows the type pointer in PyObject_VAR_HEAD.
    unsafe { field(obj, ob_size_offset::<A>()) }
}

/// `tp_flags` of a type object.
///
/// # Safety
/// `ty` is a live type object.
#[inline(always)]
pub unsafe fn tp_flags<A: CApi>(ty: *mut PyObject) -> u64 {
    // SAFETY: a type object has its flags at that offset (see `tp_flags_offset`).
    unsafe { field(ty, tp_flags_offset::<A>()) }
}

/// `tp_alloc` (`allocfunc`) of a type object, or null.
///
/// # Safety
/// `ty` is a live type object.
#[inline(always)]
pub unsafe fn tp_alloc<A: CApi>(ty: *mut PyObject) -> *mut std::ffi::c_void {
    // SAFETY: a type object has `tp_alloc` at that offset (see `tp_alloc_offset`).
    unsafe { field(ty, tp_alloc_offset::<A>()) }
}

/// `tp_free` (`freefunc`) of a type object, or null.
///
/// # Safety
/// `ty` is a live type object.
#[inline(always)]
pub unsafe fn tp_free<A: CApi>(ty: *mut PyObject) -> *mut std::ffi::c_void {
    // SAFETY: `tp_new` and `tp_free` follow `tp_alloc` (see `tp_alloc_offset`).
    unsafe { field(ty, tp_alloc_offset::<A>() + 2 * 8) }
}

/// `tp_name` of a type object.
///
/// # Safety
/// `ty` is a live type object.
#[inline(always)]
pub unsafe fn tp_name<A: CApi>(ty: *mut PyObject) -> &'static CStr {
    // SAFETY: tp_name is the first field after the var-object head; it points to a
    // NUL-terminated string that lives as long as the type, which the caller keeps alive
    // (types referenced from live objects are never freed first).
    unsafe { CStr::from_ptr(field::<*const c_char>(ty, var_head::<A>())) }
}

/// The pointer a capsule holds (`PyCapsule_GetPointer` without its name check, which is a
/// `strcmp` per call).
///
/// # Safety
/// `capsule` is a live capsule.
#[inline(always)]
pub unsafe fn capsule_pointer<A: CApi>(capsule: *mut PyObject) -> *mut c_void {
    // SAFETY: a capsule holds its pointer at that offset (see `capsule_pointer_offset`).
    unsafe { field(capsule, capsule_pointer_offset::<A>()) }
}

/// Address of item `index` of a tuple (`&ob_item[index]`).
///
/// # Safety
/// `tuple` is a live tuple; `index` in range; only with `A::INLINE_TUPLE_ACCESS`.
#[inline(always)]
pub unsafe fn tuple_slot<A: CApi>(tuple: *mut PyObject, index: usize) -> *mut *mut PyObject {
    // SAFETY: PyTupleObject stores its items inline after the var-object head.
    unsafe {
        tuple
            .cast::<u8>()
            .add(var_head::<A>())
            .cast::<*mut PyObject>()
            .add(index)
    }
}

/// Address of item `index` of a list (`&ob_item[index]`).
///
/// # Safety
/// `list` is a live list; `index` in range; only with `A::INLINE_LIST_ACCESS`.
#[inline(always)]
pub unsafe fn list_slot<A: CApi>(list: *mut PyObject, index: usize) -> *mut *mut PyObject {
    // SAFETY: PyListObject holds a pointer to its item array after the var-object head.
    unsafe { field::<*mut *mut PyObject>(list, var_head::<A>()).add(index) }
}

/// The first digit of an int, `ob_digit[0]` (a `uint32_t` holding 30 bits where CPython is
/// built with its default digits): right after the var-object head, whose `ob_size` word 3.12+
/// calls `lv_tag`.
///
/// # Safety
/// `int` is a live int with at least one digit allocated; only where the digits are 32 bits.
#[inline(always)]
pub unsafe fn int_digit0<A: CApi>(int: *mut PyObject) -> u32 {
    // SAFETY: guaranteed by the caller.
    unsafe { field(int, var_head::<A>()) }
}
