//! What differs between the CPython versions anypy-cpython supports, in one place, selected by
//! the build script's cfgs (`Py_3_10`..`Py_3_13`, `Py_LIMITED_API` with the `abi3` feature):
//! reference counting, calls, error fetching, and what the limited API hides. Every choice
//! follows `Include/object.h` (and friends) of the versions concerned; see each item.

use std::ffi::{c_void, CStr};
#[cfg(any(Py_LIMITED_API, not(Py_3_11)))]
use std::ptr;

#[cfg(not(Py_LIMITED_API))]
use anypy_capi::{layout, tp_flags};
use anypy_capi::{CApiFunctions, PyObject};

use crate::CPythonApi as Api;

/// CPython functions anypy needs on some versions only; PyPy's table never looks them up.
mod extra {
    #[cfg(any(Py_LIMITED_API, Py_3_12))]
    use anypy_capi::PyObject;

    extern "C" {
        #[cfg(all(Py_3_12, not(Py_LIMITED_API)))]
        pub fn PyErr_GetRaisedException() -> *mut PyObject;
        #[cfg(all(Py_3_12, not(Py_LIMITED_API)))]
        pub fn PyErr_SetRaisedException(exc: *mut PyObject);
        #[cfg(all(Py_3_12, not(Py_LIMITED_API)))]
        pub fn PyException_GetTraceback(exc: *mut PyObject) -> *mut PyObject;
        #[cfg(all(not(Py_3_11), not(Py_LIMITED_API)))]
        pub fn PyObject_VectorcallDict(
            callable: *mut anypy_capi::PyObject,
            args: *const *mut anypy_capi::PyObject,
            nargsf: usize,
            kwargs: *mut anypy_capi::PyObject,
        ) -> *mut anypy_capi::PyObject;
        #[cfg(Py_LIMITED_API)]
        pub fn PyObject_Call(
            callable: *mut PyObject,
            args: *mut PyObject,
            kwargs: *mut PyObject,
        ) -> *mut PyObject;
        #[cfg(Py_LIMITED_API)]
        pub fn Py_IncRef(obj: *mut PyObject);
        #[cfg(Py_LIMITED_API)]
        pub fn Py_DecRef(obj: *mut PyObject);
        #[cfg(Py_LIMITED_API)]
        pub fn PyType_GetFlags(ty: *mut PyObject) -> std::ffi::c_ulong;
        #[cfg(Py_LIMITED_API)]
        pub fn Py_GetVersion() -> *const std::ffi::c_char;
    }
}

/// The version built against, for messages and tests: `(3, minor)`; `(3, 9)` with `abi3`,
/// whose code is the same on every version.
pub const BUILT_FOR: (u32, u32) = if cfg!(Py_LIMITED_API) {
    (3, 9)
} else if cfg!(Py_3_13) {
    (3, 13)
} else if cfg!(Py_3_12) {
    (3, 12)
} else if cfg!(Py_3_11) {
    (3, 11)
} else if cfg!(Py_3_10) {
    (3, 10)
} else {
    (3, 9)
};

/// Whether this build reads tuples, lists, type flags and names and capsules inline (not with
/// the limited API, which hides those structures).
pub(crate) const INLINE_STRUCTURES: bool = !cfg!(Py_LIMITED_API);

/// `PYTHON_API_VERSION` for `PyModule_Create2`; `PYTHON_ABI_VERSION` (3) with the limited API,
/// as `modsupport.h`'s `PyModule_Create` passes it.
pub(crate) const API_VERSION: i32 = if cfg!(Py_LIMITED_API) { 3 } else { 1013 };

// ----- reference counting ------------------------------------------------------------------------

/// Whether `Py_DECREF` leaves `obj` alone as immortal (3.12+, 64-bit): the low 32 bits of the
/// count, read as a signed `int`, are negative (`_Py_IsImmortal` in 3.12's and 3.13's
/// `object.h`; immortal objects start at `_Py_IMMORTAL_REFCNT`, `UINT_MAX`).
pub(crate) const fn is_immortal(refcnt: isize) -> bool {
    (refcnt as i32) < 0
}

/// `Py_INCREF`.
///
/// # Safety
/// GIL held; `obj` live.
#[inline(always)]
pub(crate) unsafe fn incref(obj: *mut PyObject) {
    #[cfg(Py_LIMITED_API)]
    // SAFETY: GIL held, `obj` live (caller).
    unsafe {
        extra::Py_IncRef(obj)
    }
    #[cfg(all(Py_3_12, not(Py_LIMITED_API)))]
    // SAFETY: GIL held, `obj` live (caller). 3.12/3.13 `Py_INCREF` on 64-bit targets: a
    // saturating add on the low 32 bits of `ob_refcnt` (`ob_refcnt_split[PY_BIG_ENDIAN]`),
    // so an immortal count (all low bits set) never changes.
    unsafe {
        let low = obj.cast::<u32>().add(cfg!(target_endian = "big") as usize);
        let count = (*low).wrapping_add(1);
        if count != 0 {
            *low = count;
        }
    }
    #[cfg(not(any(Py_3_12, Py_LIMITED_API)))]
    // SAFETY: GIL held, `obj` live (caller); 3.9-3.11 `Py_INCREF` is a plain increment.
    unsafe {
        layout::incref(obj)
    }
}

/// `Py_DECREF`.
///
/// # Safety
/// GIL held; the caller owns the reference it gives up.
#[inline(always)]
pub(crate) unsafe fn decref(obj: *mut PyObject) {
    #[cfg(Py_LIMITED_API)]
    // SAFETY: GIL held; the caller gives up its reference.
    unsafe {
        extra::Py_DecRef(obj)
    }
    #[cfg(all(Py_3_12, not(Py_LIMITED_API)))]
    // SAFETY: GIL held; the caller gives up its reference. 3.12/3.13 `Py_DECREF`: immortal
    // objects are left alone, the others decremented and deallocated at zero.
    unsafe {
        if !is_immortal((*obj).ob_refcnt) {
            layout::decref::<Api>(obj)
        }
    }
    #[cfg(not(any(Py_3_12, Py_LIMITED_API)))]
    // SAFETY: GIL held; the caller gives up its reference (3.9-3.11: decrement, free at zero).
    unsafe {
        layout::decref::<Api>(obj)
    }
}

// ----- structures the limited API hides ----------------------------------------------------------

/// Whether small ints are read inline ([`int_as_i64`]): not with the limited API, which hides
/// `PyLongObject`, and only with CPython's default 30-bit digits, stored in a `uint32_t`
/// (`sys.int_info.sizeof_digit`, measured by the build script; `--enable-big-digits=15` builds
/// store them in 16 bits and call).
#[cfg(not(Py_LIMITED_API))]
const INLINE_INTS: bool = crate::layout_check::INT_DIGIT_SIZE == 4;

/// `PyLong_AsLongLong(obj)`, with an int of at most one digit (`|value| < 2**30`) read inline
/// as CPython reads it itself, saving a call of ~20 instructions per int (callgrind, the
/// `sum_list` case of `benches/extension`):
/// - 3.9-3.11: `Py_SIZE` is the signed digit count; `PyLong_AsLongLong`'s fast path
///   (`Objects/longobject.c`) switches on it: 0, or `±ob_digit[0]` for -1 and 1. The digit is
///   not read for 0 (3.9 and 3.10 allocate no digit for it).
/// - 3.12+: `lv_tag` (where `ob_size` was) holds the digit count shifted by 3 and the sign in
///   its low two bits (0 positive, 1 zero, 2 negative); compact means `lv_tag < 2 << 3`, and the
///   value is `(1 - (lv_tag & 3)) * ob_digit[0]` (`_PyLong_IsCompact`/`_PyLong_CompactValue`,
///   `Include/cpython/longintrepr.h`; every int has a digit allocated, zero included).
///
/// Bigger ints, and objects that are not ints (converted through `__index__`), go to
/// `PyLong_AsLongLong`.
///
/// # Safety
/// GIL held; `obj` live.
#[inline(always)]
pub(crate) unsafe fn int_as_i64(obj: *mut PyObject) -> i64 {
    #[cfg(not(Py_LIMITED_API))]
    // SAFETY: `obj` live (caller), so are its type and, once the `int` flag is seen, its
    // `PyLongObject` fields: the digit count and sign word after the type pointer (checked
    // against the interpreter by `layout_check`), and `ob_digit[0]`, read only where the count
    // says a digit exists (3.12+: every int has one).
    unsafe {
        if INLINE_INTS && type_flags(layout::ob_type::<Api>(obj)) & tp_flags::LONG_SUBCLASS != 0 {
            let size = layout::ob_size::<Api>(obj);
            #[cfg(not(Py_3_12))]
            match size {
                0 => return 0,
                1 => return i64::from(layout::int_digit0::<Api>(obj)),
                -1 => return -i64::from(layout::int_digit0::<Api>(obj)),
                _ => {}
            }
            #[cfg(Py_3_12)]
            if (size as usize) < 2 << 3 {
                let sign = 1 - (size & 3) as i64;
                return sign * i64::from(layout::int_digit0::<Api>(obj));
            }
        }
    }
    // SAFETY: GIL held, `obj` live (caller).
    unsafe { Api::PyLong_AsLongLong(obj) }
}

/// `PyType_GetFlags(ty)`.
///
/// # Safety
/// `ty` is a live type object.
#[inline(always)]
pub(crate) unsafe fn type_flags(ty: *mut PyObject) -> u64 {
    #[cfg(Py_LIMITED_API)]
    // SAFETY: `ty` is a live type object (caller).
    unsafe {
        extra::PyType_GetFlags(ty) as u64
    }
    #[cfg(not(Py_LIMITED_API))]
    // SAFETY: `ty` is a live type object (caller).
    unsafe {
        layout::tp_flags::<Api>(ty)
    }
}

/// The type's `__name__`.
///
/// # Safety
/// GIL held; `ty` is a live type object.
pub(crate) unsafe fn type_name(ty: *mut PyObject) -> String {
    #[cfg(Py_LIMITED_API)]
    // SAFETY: GIL held (caller); every new reference is released once, and an error raised
    // while asking (none is expected for a type's name) is cleared.
    unsafe {
        let key = Api::PyUnicode_FromStringAndSize(c"__name__".as_ptr(), 8);
        let name = if key.is_null() {
            ptr::null_mut()
        } else {
            let name = Api::PyObject_GetAttr(ty, key);
            decref(key);
            name
        };
        let mut text = String::new();
        if !name.is_null() {
            let mut len = 0;
            let data = Api::PyUnicode_AsUTF8AndSize(name, &mut len);
            if !data.is_null() {
                let bytes = std::slice::from_raw_parts(data.cast::<u8>(), len as usize);
                text = String::from_utf8_lossy(bytes).into_owned();
            }
            decref(name);
        }
        if text.is_empty() {
            if let Some((ty, value, traceback)) = fetch_error() {
                for obj in [ty, value, traceback] {
                    if !obj.is_null() {
                        decref(obj);
                    }
                }
            }
            text.push('?');
        }
        text
    }
    #[cfg(not(Py_LIMITED_API))]
    // SAFETY: `ty` is a live type object (caller); `tp_name` of a C type is "module.Name" and
    // Python's `__name__` is its last part.
    unsafe {
        let name = layout::tp_name::<Api>(ty).to_string_lossy();
        name.rsplit('.').next().unwrap_or_default().to_owned()
    }
}

/// The pointer held by one of anypy's capsules, named `name`.
///
/// # Safety
/// GIL held; `capsule` is a live capsule created with `name`.
#[inline(always)]
pub(crate) unsafe fn capsule_pointer(capsule: *mut PyObject, name: &CStr) -> *mut c_void {
    #[cfg(Py_LIMITED_API)]
    // SAFETY: GIL held, a live capsule with this name (caller).
    unsafe {
        Api::PyCapsule_GetPointer(capsule, name.as_ptr())
    }
    #[cfg(not(Py_LIMITED_API))]
    // SAFETY: a live capsule (caller); `PyCapsule` holds its pointer right after the head.
    unsafe {
        let _ = name;
        layout::capsule_pointer::<Api>(capsule)
    }
}

// ----- calls ------------------------------------------------------------------------------------

/// `PyObject_Vectorcall`: exported from 3.11 (3.9 and 3.10 inline it, calling private functions)
/// and in the limited API from 3.12 only. 3.9/3.10 call `PyObject_VectorcallDict` (the same fast
/// path; keywords, if any, go in a dict). The limited API calls the running interpreter's
/// `PyObject_Vectorcall` when its stable ABI has one (3.12+, looked up once), else
/// `PyObject_Call` with a tuple.
///
/// # Safety
/// GIL held; `args` holds `nargs` live objects plus one per name in `kwnames` (a tuple or null).
#[inline(always)]
pub(crate) unsafe fn vectorcall(
    callable: *mut PyObject,
    args: *const *mut PyObject,
    nargs: usize,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    #[cfg(all(Py_3_11, not(Py_LIMITED_API)))]
    // SAFETY: guaranteed by the caller.
    unsafe {
        Api::PyObject_Vectorcall(callable, args, nargs, kwnames)
    }
    #[cfg(Py_LIMITED_API)]
    if let Some(vectorcall) = stable_vectorcall() {
        // SAFETY: guaranteed by the caller; the function is the interpreter's own.
        return unsafe { vectorcall(callable, args, nargs, kwnames) };
    }
    #[cfg(not(all(Py_3_11, not(Py_LIMITED_API))))]
    // SAFETY: guaranteed by the caller; every new reference is released once.
    unsafe {
        // PY_VECTORCALL_ARGUMENTS_OFFSET is a flag, not part of the count.
        let count = nargs & !(1 << (usize::BITS - 1));
        let kwargs = if kwnames.is_null() {
            ptr::null_mut()
        } else {
            let kwargs = keywords_dict(args.add(count), kwnames);
            if kwargs.is_null() {
                return ptr::null_mut();
            }
            kwargs
        };
        let result = call_with_dict(callable, args, count, kwargs);
        if !kwargs.is_null() {
            decref(kwargs);
        }
        result
    }
}

/// `PyObject_Vectorcall`'s type.
#[cfg(Py_LIMITED_API)]
type VectorcallFunction = unsafe extern "C" fn(
    *mut PyObject,
    *const *mut PyObject,
    usize,
    *mut PyObject,
) -> *mut PyObject;

/// The running interpreter's `PyObject_Vectorcall` if it is 3.12 or newer, whose stable ABI
/// includes it (looked up once per process: one load per call afterwards); `None` before 3.12.
#[cfg(Py_LIMITED_API)]
#[inline(always)]
fn stable_vectorcall() -> Option<VectorcallFunction> {
    static FOUND: std::sync::OnceLock<Option<VectorcallFunction>> = std::sync::OnceLock::new();
    *FOUND.get_or_init(|| {
        // SAFETY: `Py_GetVersion` returns a static NUL-terminated string ("3.12.1 (main, ...").
        let version = unsafe { CStr::from_ptr(extra::Py_GetVersion()) }.to_string_lossy();
        let mut numbers = version.split(|c: char| !c.is_ascii_digit());
        let major_minor = (
            numbers.next()?.parse::<u32>().ok()?,
            numbers.next()?.parse::<u32>().ok()?,
        );
        if major_minor < (3, 12) {
            return None;
        }
        // SAFETY: looking a symbol up in the process's global scope, where libpython's are.
        let symbol = unsafe { libc::dlsym(libc::RTLD_DEFAULT, c"PyObject_Vectorcall".as_ptr()) };
        // SAFETY: on 3.12+ this symbol is the stable ABI's `PyObject_Vectorcall`, of this type.
        (!symbol.is_null())
            .then(|| unsafe { std::mem::transmute::<*mut c_void, VectorcallFunction>(symbol) })
    })
}

/// The call itself once keywords are a dict (or null).
///
/// # Safety
/// As [`vectorcall`]; `nargs` is a plain count.
#[cfg(not(all(Py_3_11, not(Py_LIMITED_API))))]
#[inline(always)]
unsafe fn call_with_dict(
    callable: *mut PyObject,
    args: *const *mut PyObject,
    nargs: usize,
    kwargs: *mut PyObject,
) -> *mut PyObject {
    #[cfg(not(Py_LIMITED_API))]
    // SAFETY: guaranteed by the caller.
    unsafe {
        extra::PyObject_VectorcallDict(callable, args, nargs, kwargs)
    }
    #[cfg(Py_LIMITED_API)]
    // SAFETY: guaranteed by the caller; `SetItem` steals the reference each item gets.
    unsafe {
        let tuple = Api::PyTuple_New(nargs as isize);
        if tuple.is_null() {
            return ptr::null_mut();
        }
        for index in 0..nargs {
            let item = *args.add(index);
            incref(item);
            Api::PyTuple_SetItem(tuple, index as isize, item);
        }
        let result = extra::PyObject_Call(callable, tuple, kwargs);
        decref(tuple);
        result
    }
}

/// A dict of the keyword arguments of a vectorcall: `kwnames[i]: values[i]`; null with the
/// error set on failure.
///
/// # Safety
/// GIL held; `kwnames` a tuple of str, `values` as many live objects.
#[cfg(not(all(Py_3_11, not(Py_LIMITED_API))))]
unsafe fn keywords_dict(values: *const *mut PyObject, kwnames: *mut PyObject) -> *mut PyObject {
    // SAFETY: GIL held, live arguments (caller); the dict is released on failure.
    unsafe {
        let dict = Api::PyDict_New();
        if dict.is_null() {
            return dict;
        }
        for index in 0..Api::PyTuple_Size(kwnames) {
            let name = Api::PyTuple_GetItem(kwnames, index);
            if Api::PyDict_SetItem(dict, name, *values.add(index as usize)) != 0 {
                decref(dict);
                return ptr::null_mut();
            }
        }
        dict
    }
}

// ----- errors -----------------------------------------------------------------------------------

/// Takes the current exception as `(type, value, traceback)`: 3.12 made the exception object
/// the whole state (`PyErr_GetRaisedException`) and deprecated `PyErr_Fetch`; before 3.12 and
/// in the limited API (where `PyErr_Fetch` stays), fetch and normalize.
///
/// # Safety
/// GIL held.
pub(crate) unsafe fn fetch_error() -> Option<(*mut PyObject, *mut PyObject, *mut PyObject)> {
    #[cfg(all(Py_3_12, not(Py_LIMITED_API)))]
    // SAFETY: GIL held (caller); the raised exception is ours, and we add one reference to its
    // type and take a new one to its traceback.
    unsafe {
        let value = extra::PyErr_GetRaisedException();
        if value.is_null() {
            return None;
        }
        let ty = layout::ob_type::<Api>(value);
        incref(ty);
        Some((ty, value, extra::PyException_GetTraceback(value)))
    }
    #[cfg(not(all(Py_3_12, not(Py_LIMITED_API))))]
    // SAFETY: GIL held (caller).
    unsafe {
        anypy_capi::fetch_normalized::<Api>()
    }
}

/// Sets an exception taken by [`fetch_error`] again, stealing the three references.
///
/// # Safety
/// GIL held; the references are owned by the caller; `value` is an instance of `ty`.
pub(crate) unsafe fn restore_error(
    ty: *mut PyObject,
    value: *mut PyObject,
    traceback: *mut PyObject,
) {
    #[cfg(all(Py_3_12, not(Py_LIMITED_API)))]
    // SAFETY: GIL held; we own the three references: the traceback goes onto the value, the
    // value into the interpreter, the type reference is released.
    unsafe {
        if !traceback.is_null() {
            Api::PyException_SetTraceback(value, traceback);
            decref(traceback);
        }
        decref(ty);
        extra::PyErr_SetRaisedException(value);
    }
    #[cfg(not(all(Py_3_12, not(Py_LIMITED_API))))]
    // SAFETY: guaranteed by the caller.
    unsafe {
        Api::PyErr_Restore(ty, value, traceback)
    }
}
