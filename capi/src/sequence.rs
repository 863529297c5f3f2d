//! Tuple and list items and lengths: read and written inline through the layout where the
//! implementation exposes it (`INLINE_TUPLE_ACCESS`, `INLINE_LIST_ACCESS`), through the C-API
//! functions otherwise.

use crate::c_api::CApi;
use crate::ffi::PyObject;
use crate::layout;
use crate::raw_ptr::ssize;

/// Fills slot `index` of a fresh tuple with `item`, stealing the reference.
///
/// # Safety
/// GIL held; `tuple` a fresh tuple with `index` in range and the slot empty.
#[inline(always)]
pub(crate) unsafe fn tuple_init_item<A: CApi>(
    tuple: *mut PyObject,
    index: usize,
    item: *mut PyObject,
) {
    if A::INLINE_TUPLE_ACCESS {
        // SAFETY: a fresh tuple with `index` in range and the slot empty (caller).
        unsafe { *layout::tuple_slot::<A>(tuple, index) = item };
    } else {
        // SAFETY: as above; `SetItem` steals `item` like the macro.
        unsafe { A::PyTuple_SetItem(tuple, ssize(index), item) };
    }
}

/// Item `index` of a tuple (borrowed).
///
/// # Safety
/// `tuple` is a tuple and `index` in range.
#[inline(always)]
pub(crate) unsafe fn tuple_get_item<A: CApi>(tuple: *mut PyObject, index: usize) -> *mut PyObject {
    // SAFETY: `tuple` is a tuple and `index` in range (caller).
    unsafe {
        if A::INLINE_TUPLE_ACCESS {
            *layout::tuple_slot::<A>(tuple, index)
        } else {
            A::PyTuple_GetItem(tuple, ssize(index))
        }
    }
}

/// The length of a tuple.
///
/// # Safety
/// `tuple` is a tuple.
#[inline(always)]
pub(crate) unsafe fn tuple_len<A: CApi>(tuple: *mut PyObject) -> usize {
    // SAFETY: `tuple` is a tuple (caller).
    let len = unsafe {
        if A::INLINE_TUPLE_ACCESS {
            layout::ob_size::<A>(tuple)
        } else {
            A::PyTuple_Size(tuple)
        }
    };
    len as usize
}

/// Fills slot `index` of a fresh list with `item`, stealing the reference.
///
/// # Safety
/// GIL held; `list` a fresh list with `index` in range and the slot empty.
#[inline(always)]
pub(crate) unsafe fn list_init_item<A: CApi>(
    list: *mut PyObject,
    index: usize,
    item: *mut PyObject,
) {
    if A::INLINE_LIST_ACCESS {
        // SAFETY: a fresh list with `index` in range and the slot empty (caller).
        unsafe { *layout::list_slot::<A>(list, index) = item };
    } else {
        // SAFETY: as above; `SetItem` steals `item` and the empty slot holds no reference.
        unsafe { A::PyList_SetItem(list, ssize(index), item) };
    }
}

/// Item `index` of a list (borrowed).
///
/// # Safety
/// `list` is a list and `index` in range.
#[inline(always)]
pub(crate) unsafe fn list_get_item<A: CApi>(list: *mut PyObject, index: usize) -> *mut PyObject {
    // SAFETY: `list` is a list and `index` in range (caller).
    unsafe {
        if A::INLINE_LIST_ACCESS {
            *layout::list_slot::<A>(list, index)
        } else {
            A::PyList_GetItem(list, ssize(index))
        }
    }
}

/// The length of a list.
///
/// # Safety
/// `list` is a list.
#[inline(always)]
pub(crate) unsafe fn list_len<A: CApi>(list: *mut PyObject) -> usize {
    // SAFETY: `list` is a list (caller).
    let len = unsafe {
        if A::INLINE_LIST_ACCESS {
            layout::ob_size::<A>(list)
        } else {
            A::PyList_Size(list)
        }
    };
    len as usize
}
