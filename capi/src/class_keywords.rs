//! The entries of class members that take keywords: methods and class methods
//! (`METH_FASTCALL | METH_KEYWORDS`, `kwnames` passed through as the interpreter gives it), and
//! `tp_new`/`tp_call`, whose keyword dict is turned into the same vectorcall form.

use std::ffi::c_int;
use std::ptr::{self, NonNull};

use anypy::{MethodEntry, RawMethod, RawPtr};

use crate::c_api::CApi;
use crate::class::with_tuple_items;
use crate::errors::set_error;
use crate::ffi::{FastCallKeywordsFunction, PyObject, METH_FASTCALL, METH_KEYWORDS};

/// `METH_CLASS`: the method receives the class (a subclass when called through one).
const METH_CLASS: c_int = 0x0010;

/// The `ml_flags` of a method taking keywords; `class_method` adds `METH_CLASS`.
pub(crate) fn keyword_flags(class_method: bool) -> c_int {
    METH_FASTCALL | METH_KEYWORDS | if class_method { METH_CLASS } else { 0 }
}

/// The `METH_FASTCALL | METH_KEYWORDS` function of method `M`.
pub(crate) fn keyword_method_entry<A: CApi, M: RawMethod>() -> MethodEntry {
    MethodEntry(keyword_trampoline::<A, M> as FastCallKeywordsFunction as *const ())
}

/// The `METH_FASTCALL | METH_KEYWORDS` entry of method `M`.
unsafe extern "C" fn keyword_trampoline<A: CApi, M: RawMethod>(
    slf: *mut PyObject,
    args: *const *mut PyObject,
    nargs: isize,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    let Some(receiver) = NonNull::new(slf.cast()) else {
        // SAFETY: called by the interpreter with the GIL held.
        unsafe { set_error::<A>(A::PyExc_TypeError(), "method called without a receiver") };
        return ptr::null_mut();
    };
    let nargs = usize::try_from(nargs).unwrap_or(0);
    let keywords = if kwnames.is_null() {
        0
    } else {
        // SAFETY: GIL held; `kwnames` is a tuple of str naming the values after the positional
        // arguments.
        unsafe { crate::sequence::tuple_len::<A>(kwnames) }
    };
    let len = nargs + keywords;
    let kwnames: Option<RawPtr> = NonNull::new(kwnames.cast());
    let args: &[RawPtr] = if len > 0 {
        // SAFETY: the interpreter passes `nargs` positional arguments and one value per keyword,
        // all live and non-null.
        unsafe { std::slice::from_raw_parts(args.cast::<RawPtr>(), len) }
    } else {
        &[]
    };
    // SAFETY: GIL held, live receiver and arguments; `call_keywords` never unwinds.
    match unsafe { M::call_keywords(receiver, args, nargs, kwnames) } {
        Some(result) => result.as_ptr().cast(),
        None => ptr::null_mut(),
    }
}

/// Calls `M` with the arguments of a `tp_new` or `tp_call`: the tuple's items, then the keyword
/// dict's values, named by a tuple of its keys. Inlined into the slot's entry for the common
/// call without keywords (`M::call` with the tuple's items, read in place), the keyword dict
/// handled out of line.
///
/// # Safety
/// GIL held; `receiver` live, `args` a tuple, `kwargs` a dict or null.
#[inline(always)]
pub(crate) unsafe fn call_with_dict<A: CApi, M: RawMethod>(
    receiver: *mut PyObject,
    args: *mut PyObject,
    kwargs: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: as the caller's; the interpreter passes a live receiver.
    unsafe {
        if kwargs.is_null() || A::PyDict_Size(kwargs) <= 0 {
            let receiver = NonNull::new_unchecked(receiver.cast());
            // No keywords: `call` is the keyword call with none (`RawMethod::call`).
            return with_tuple_items::<A, _>(args, |items| M::call(receiver, items))
                .map_or(ptr::null_mut(), |result| result.as_ptr().cast());
        }
        call_with_keywords::<A, M>(receiver, args, kwargs)
    }
}

/// [`call_with_dict`] for a call passing keywords: a tuple of the dict's keys made for the call
/// (released after it) names the values that follow the positional arguments.
///
/// # Safety
/// As [`call_with_dict`]; `kwargs` is a non-empty dict.
#[inline(never)]
unsafe fn call_with_keywords<A: CApi, M: RawMethod>(
    receiver: *mut PyObject,
    args: *mut PyObject,
    kwargs: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: as the caller's; the interpreter passes a live receiver.
    unsafe {
        let receiver = NonNull::new_unchecked(receiver.cast());
        let count = A::PyDict_Size(kwargs);
        let mut items = with_tuple_items::<A, _>(args, <[RawPtr]>::to_vec);
        let nargs = items.len();
        let kwnames = A::PyTuple_New(count);
        if kwnames.is_null() {
            return ptr::null_mut();
        }
        let (mut position, mut index) = (0isize, 0isize);
        let (mut key, mut value) = (ptr::null_mut(), ptr::null_mut());
        while index < count && A::PyDict_Next(kwargs, &mut position, &mut key, &mut value) != 0 {
            // The tuple takes a reference to the key; the value stays borrowed from the dict,
            // which the caller keeps alive for the call.
            A::incref(key);
            A::PyTuple_SetItem(kwnames, index, key);
            items.push(NonNull::new_unchecked(value.cast()));
            index += 1;
        }
        let result = M::call_keywords(
            receiver,
            &items,
            nargs,
            Some(NonNull::new_unchecked(kwnames.cast())),
        );
        A::decref(kwnames);
        result.map_or(ptr::null_mut(), |result| result.as_ptr().cast())
    }
}
