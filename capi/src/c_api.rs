//! The C-API functions and data symbols anypy uses, listed once, and the [`CApi`] trait a C
//! backend implements: linked declarations on CPython, a run-time function table on PyPy.
//!
//! The lists are callback macros so each backend generates its own binding from the one list:
//! `for_each_c_function!(my_macro)` expands `my_macro! { fn Name(arg: Ty, ..) -> Ret; .. }`.

use std::ffi::{c_int, c_void, CStr};
use std::ptr;

use anypy::{BackendError, BackendState};

use crate::ffi::PyObject;
use crate::layout;
use crate::sequence;

/// Expands `$callback! { fn Name(arg: Ty, ..) -> Ret; .. }` with every C-API function anypy
/// calls, spelled as in CPython's headers (PyPy exports them with a `PyPy` prefix).
#[macro_export]
macro_rules! for_each_c_function {
    ($callback:ident) => {
        $callback! {
            fn PyGILState_Ensure() -> ::std::ffi::c_int;
            fn PyGILState_Release(state: ::std::ffi::c_int);
            fn PyEval_SaveThread() -> *mut ::std::ffi::c_void;
            fn PyEval_RestoreThread(state: *mut ::std::ffi::c_void);
            fn _Py_Dealloc(obj: *mut $crate::PyObject);

            fn PyLong_FromLongLong(value: i64) -> *mut $crate::PyObject;
            fn PyLong_FromSsize_t(value: isize) -> *mut $crate::PyObject;
            fn PyLong_FromUnsignedLongLong(value: u64) -> *mut $crate::PyObject;
            fn PyLong_AsLongLong(obj: *mut $crate::PyObject) -> i64;
            fn PyLong_AsSsize_t(obj: *mut $crate::PyObject) -> isize;
            fn PyLong_AsUnsignedLongLong(obj: *mut $crate::PyObject) -> u64;
            fn PyFloat_FromDouble(value: f64) -> *mut $crate::PyObject;
            fn PyFloat_AsDouble(obj: *mut $crate::PyObject) -> f64;

            fn PyUnicode_FromStringAndSize(data: *const ::std::ffi::c_char, len: isize)
                -> *mut $crate::PyObject;
            fn PyUnicode_InternFromString(data: *const ::std::ffi::c_char) -> *mut $crate::PyObject;
            fn PyUnicode_AsUTF8AndSize(obj: *mut $crate::PyObject, len: *mut isize)
                -> *const ::std::ffi::c_char;
            fn PyBytes_FromStringAndSize(data: *const ::std::ffi::c_char, len: isize)
                -> *mut $crate::PyObject;
            fn PyBytes_AsStringAndSize(
                obj: *mut $crate::PyObject,
                data: *mut *mut ::std::ffi::c_char,
                len: *mut isize
            ) -> ::std::ffi::c_int;

            fn PyTuple_New(len: isize) -> *mut $crate::PyObject;
            fn PyTuple_SetItem(tuple: *mut $crate::PyObject, index: isize, item: *mut $crate::PyObject)
                -> ::std::ffi::c_int;
            fn PyTuple_GetItem(tuple: *mut $crate::PyObject, index: isize) -> *mut $crate::PyObject;
            fn PyTuple_Size(tuple: *mut $crate::PyObject) -> isize;

            fn PyList_New(len: isize) -> *mut $crate::PyObject;
            fn PyList_SetItem(list: *mut $crate::PyObject, index: isize, item: *mut $crate::PyObject)
                -> ::std::ffi::c_int;
            fn PyList_GetItem(list: *mut $crate::PyObject, index: isize) -> *mut $crate::PyObject;
            fn PyList_Append(list: *mut $crate::PyObject, item: *mut $crate::PyObject) -> ::std::ffi::c_int;
            fn PyList_Insert(list: *mut $crate::PyObject, index: isize, item: *mut $crate::PyObject)
                -> ::std::ffi::c_int;
            fn PyList_Size(list: *mut $crate::PyObject) -> isize;

            fn PyDict_New() -> *mut $crate::PyObject;
            fn PyDict_SetItem(
                dict: *mut $crate::PyObject,
                key: *mut $crate::PyObject,
                value: *mut $crate::PyObject
            ) -> ::std::ffi::c_int;
            fn PyDict_GetItemWithError(dict: *mut $crate::PyObject, key: *mut $crate::PyObject)
                -> *mut $crate::PyObject;
            fn PyDict_DelItem(dict: *mut $crate::PyObject, key: *mut $crate::PyObject) -> ::std::ffi::c_int;
            fn PyDict_Contains(dict: *mut $crate::PyObject, key: *mut $crate::PyObject) -> ::std::ffi::c_int;
            fn PyDict_Size(dict: *mut $crate::PyObject) -> isize;
            fn PyDict_Next(
                dict: *mut $crate::PyObject,
                pos: *mut isize,
                key: *mut *mut $crate::PyObject,
                value: *mut *mut $crate::PyObject
            ) -> ::std::ffi::c_int;

            fn PySet_New(iterable: *mut $crate::PyObject) -> *mut $crate::PyObject;
            fn PyFrozenSet_New(iterable: *mut $crate::PyObject) -> *mut $crate::PyObject;
            fn PySet_Add(set: *mut $crate::PyObject, key: *mut $crate::PyObject) -> ::std::ffi::c_int;
            fn PySet_Contains(set: *mut $crate::PyObject, key: *mut $crate::PyObject) -> ::std::ffi::c_int;
            fn PySet_Discard(set: *mut $crate::PyObject, key: *mut $crate::PyObject) -> ::std::ffi::c_int;
            fn PySet_Pop(set: *mut $crate::PyObject) -> *mut $crate::PyObject;
            fn PySet_Size(set: *mut $crate::PyObject) -> isize;

            fn PyNumber_And(a: *mut $crate::PyObject, b: *mut $crate::PyObject) -> *mut $crate::PyObject;
            fn PyNumber_Or(a: *mut $crate::PyObject, b: *mut $crate::PyObject) -> *mut $crate::PyObject;
            fn PyNumber_Lshift(a: *mut $crate::PyObject, b: *mut $crate::PyObject) -> *mut $crate::PyObject;
            fn PyNumber_Rshift(a: *mut $crate::PyObject, b: *mut $crate::PyObject) -> *mut $crate::PyObject;
            fn PyOS_FSPath(path: *mut $crate::PyObject) -> *mut $crate::PyObject;

            fn PyType_IsSubtype(a: *mut $crate::PyObject, b: *mut $crate::PyObject) -> ::std::ffi::c_int;
            fn PyObject_IsInstance(obj: *mut $crate::PyObject, class: *mut $crate::PyObject)
                -> ::std::ffi::c_int;
            fn PyObject_GetAttr(obj: *mut $crate::PyObject, name: *mut $crate::PyObject)
                -> *mut $crate::PyObject;
            fn PyObject_SetAttr(
                obj: *mut $crate::PyObject,
                name: *mut $crate::PyObject,
                value: *mut $crate::PyObject
            ) -> ::std::ffi::c_int;
            fn PyObject_Vectorcall(
                callable: *mut $crate::PyObject,
                args: *const *mut $crate::PyObject,
                nargsf: usize,
                kwnames: *mut $crate::PyObject
            ) -> *mut $crate::PyObject;
            fn PyObject_Repr(obj: *mut $crate::PyObject) -> *mut $crate::PyObject;
            fn PyObject_Str(obj: *mut $crate::PyObject) -> *mut $crate::PyObject;
            fn PyObject_RichCompareBool(a: *mut $crate::PyObject, b: *mut $crate::PyObject, op: ::std::ffi::c_int)
                -> ::std::ffi::c_int;
            fn PyObject_Hash(obj: *mut $crate::PyObject) -> isize;
            fn PyObject_IsTrue(obj: *mut $crate::PyObject) -> ::std::ffi::c_int;
            fn PyObject_Size(obj: *mut $crate::PyObject) -> isize;
            fn PyObject_GetItem(obj: *mut $crate::PyObject, key: *mut $crate::PyObject) -> *mut $crate::PyObject;
            fn PyObject_SetItem(
                obj: *mut $crate::PyObject,
                key: *mut $crate::PyObject,
                value: *mut $crate::PyObject
            ) -> ::std::ffi::c_int;
            fn PyObject_GetIter(obj: *mut $crate::PyObject) -> *mut $crate::PyObject;
            fn PyIter_Next(iter: *mut $crate::PyObject) -> *mut $crate::PyObject;

            fn PyErr_Occurred() -> *mut $crate::PyObject;
            fn PyErr_Fetch(
                ty: *mut *mut $crate::PyObject,
                value: *mut *mut $crate::PyObject,
                traceback: *mut *mut $crate::PyObject
            );
            fn PyErr_NormalizeException(
                ty: *mut *mut $crate::PyObject,
                value: *mut *mut $crate::PyObject,
                traceback: *mut *mut $crate::PyObject
            );
            fn PyErr_Restore(ty: *mut $crate::PyObject, value: *mut $crate::PyObject, traceback: *mut $crate::PyObject);
            fn PyErr_SetObject(ty: *mut $crate::PyObject, value: *mut $crate::PyObject);
            fn PyErr_GivenExceptionMatches(given: *mut $crate::PyObject, class: *mut $crate::PyObject)
                -> ::std::ffi::c_int;
            fn PyException_SetTraceback(exc: *mut $crate::PyObject, traceback: *mut $crate::PyObject)
                -> ::std::ffi::c_int;

            fn PyErr_NewExceptionWithDoc(
                name: *const ::std::ffi::c_char,
                doc: *const ::std::ffi::c_char,
                base: *mut $crate::PyObject,
                dict: *mut $crate::PyObject
            ) -> *mut $crate::PyObject;

            fn PyType_FromSpec(spec: *mut $crate::PyTypeSpec) -> *mut $crate::PyObject;
            fn PyType_GetSlot(ty: *mut $crate::PyObject, slot: ::std::ffi::c_int)
                -> *mut ::std::ffi::c_void;

            fn PyModule_New(name: *const ::std::ffi::c_char) -> *mut $crate::PyObject;
            fn PyModule_Create2(def: *mut ::std::ffi::c_void, api_version: ::std::ffi::c_int)
                -> *mut $crate::PyObject;
            fn PyImport_Import(name: *mut $crate::PyObject) -> *mut $crate::PyObject;
            fn PyCMethod_New(
                def: *mut $crate::PyMethodDef,
                slf: *mut $crate::PyObject,
                module: *mut $crate::PyObject,
                class: *mut $crate::PyObject
            ) -> *mut $crate::PyObject;
            fn PyCapsule_New(
                pointer: *mut ::std::ffi::c_void,
                name: *const ::std::ffi::c_char,
                destructor: Option<$crate::CapsuleDestructor>
            ) -> *mut $crate::PyObject;
            fn PyCapsule_GetPointer(capsule: *mut $crate::PyObject, name: *const ::std::ffi::c_char)
                -> *mut ::std::ffi::c_void;
        }
    };
}

/// Expands `$callback! { object Name; pointer Name; .. }` with every C data symbol anypy reads:
/// `object` symbols are objects themselves (their address is the object), `pointer` symbols are
/// variables holding an object pointer (`PyExc_TypeError`, one per kind of
/// [`anypy::for_each_exception_kind!`]).
#[macro_export]
macro_rules! for_each_c_static {
    ($callback:ident) => {
        $crate::__for_each_exception_kind! { $crate::__c_statics_with_exceptions, $callback }
    };
}

/// [`for_each_c_static!`]'s second step: the object symbols, then the exception variables.
#[doc(hidden)]
#[macro_export]
macro_rules! __c_statics_with_exceptions {
    ([$callback:ident] $($kind:ident($symbol:ident) $(: $base:ident)?;)*) => {
        $callback! {
            object _Py_NoneStruct;
            object _Py_NotImplementedStruct;
            object _Py_TrueStruct;
            object _Py_FalseStruct;
            object PyFloat_Type;
            object PyDict_Type;
            object PyBool_Type;
            object PyModule_Type;
            object PySet_Type;
            object PyFrozenSet_Type;
            $(pointer $symbol;)*
        }
    };
}

/// The object a native function's `self` is, which owns its Rust side (name, docstring,
/// parameters, handler) and frees it when the function dies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FunctionHolder {
    /// A module object with per-module state (`m_size`, freed in `m_free`): the function then
    /// shows as `<built-in function name>`, since its `self` is a module. `state_offset` is
    /// `md_state`'s offset in `PyModuleObject`. CPython, which calls `m_free`.
    Module {
        /// Offset of `md_state` in the module object.
        state_offset: usize,
    },
    /// A capsule (freed by its destructor). PyPy, which never calls `m_free` (measured on
    /// 7.3.11) and whose repr of a builtin function does not show its `self`.
    Capsule,
}

macro_rules! declare_c_api_trait {
    ($( fn $name:ident($($arg:ident: $ty:ty),* $(,)?) $(-> $ret:ty)?; )*) => {
        /// The C-API functions anypy calls, one associated function each, named as in CPython.
        ///
        /// # Safety
        /// Each function must be the interpreter's function of that name (with C semantics).
        #[allow(non_snake_case, missing_docs, clippy::missing_safety_doc)]
        pub unsafe trait CApiFunctions: 'static {
            $( unsafe fn $name($($arg: $ty),*) $(-> $ret)?; )*
        }
    };
}
for_each_c_function!(declare_c_api_trait);

macro_rules! declare_c_statics_trait {
    ($( $kind:ident $name:ident; )*) => {
        /// The C data symbols anypy reads, as object pointers: the address of an `object`
        /// symbol, the value of a `pointer` symbol.
        ///
        /// # Safety
        /// Each function must return the interpreter's object of that name.
        #[allow(non_snake_case, missing_docs, clippy::missing_safety_doc)]
        pub unsafe trait CApiStatics: 'static {
            $( unsafe fn $name() -> *mut PyObject; )*
        }
    };
}
for_each_c_static!(declare_c_statics_trait);

/// A C-API implementation: the functions and statics, the layout constants that differ, and
/// the pieces that are not shared (start-up). Implemented by `anypy-cpython` (linked) and
/// `anypy-pypy` (a table loaded at run time); [`CBackend`](crate::CBackend) turns it into an
/// anypy `Backend`.
///
/// # Safety
/// The constants must describe the interpreter's real layout; `initialize` must leave the
/// interpreter usable from any thread through `PyGILState_Ensure`.
pub unsafe trait CApi: CApiFunctions + CApiStatics + Sized {
    /// The backend's name (`"cpython"`, `"pypy"`).
    const NAME: &'static str;
    /// Offset of `ob_type` in `PyObject` (CPython 8, PyPy 16: PyPy adds `ob_pypy_link`).
    const OB_TYPE_OFFSET: usize;
    /// Size of `PyModuleDef_Base` in machine words (CPython 5, PyPy 6).
    const MODULE_DEF_BASE_WORDS: usize;
    /// What keeps a native function's Rust side alive ([`FunctionHolder`]).
    const FUNCTION_HOLDER: FunctionHolder;
    /// `PYTHON_API_VERSION`, passed to `PyModule_Create2`.
    const API_VERSION: i32;
    /// Whether `PyTuple_GET_ITEM`/`SET_ITEM`/`GET_SIZE` are plain field accesses (items inline
    /// after the var-object head: CPython and PyPy) rather than function calls.
    const INLINE_TUPLE_ACCESS: bool;
    /// Whether a type's `tp_alloc` and `tp_free` are read from the type object's layout
    /// (CPython outside the limited API) rather than through `PyType_GetSlot`, a call per
    /// instance made and freed.
    const INLINE_TYPE_SLOTS: bool = false;
    /// Whether `PyList_GET_ITEM`/`SET_ITEM`/`GET_SIZE` are plain field accesses (an item array
    /// pointer after the var-object head: CPython) rather than function calls (PyPy, whose
    /// `PyListObject` is opaque).
    const INLINE_LIST_ACCESS: bool;
    /// Whether `PyDict_GET_SIZE` is a plain read of `ma_used`, the word after the object head
    /// (CPython 3.8-3.13, where it sits where a var-object's `ob_size` does), rather than a call
    /// to `PyDict_Size` (PyPy, whose `PyDictObject` has no `ma_used`; and the limited API). A
    /// dict iteration reads it at every step, to panic if the dict changes size.
    const INLINE_DICT_LEN: bool = false;
    /// Whether a dict of type exactly `dict` is iterated through Python's iterator protocol
    /// (`PyObject_GetIter`, `PyIter_Next`, `PyDict_GetItemWithError` per key) rather than
    /// `PyDict_Next` ([`anypy::Backend::dict_iterates_by_protocol`]). PyPy 7.3: cpyext's
    /// `PyDict_Next` (`pypy/module/cpyext/dictobject.py`) copies the keys into a list at the
    /// first step and keeps it in the dict (so two iterations of one dict share one copy, and
    /// the inner one's end cuts the outer one short), looks every key up again, and fails
    /// fatally ("not supposed to fail") if one was deleted meanwhile. A step costs ~2600
    /// instructions, plus ~450 for the `PyDict_Size` that checks the length; `iter(d)`, `next` and
    /// a lookup cost ~700 (callgrind, PyPy 7.3.11, a dict of 1000 `str` keys; with one key, a
    /// whole iteration costs ~8600 against ~3000). Subclasses keep `PyDict_Next`, which runs
    /// none of their methods.
    const DICT_ITERATION_BY_PROTOCOL: bool = false;

    /// What `ob_refcnt` reads once no C reference is left to an object that the interpreter's
    /// GC owns (PyPy: `REFCNT_FROM_PYPY`), so that a decref reaching it calls
    /// [`CApi::released_to_gc`]. `0` where the count reaching zero frees the object (CPython):
    /// the check then compiles away. Otherwise a power of two (checked at compile time), so that
    /// `Py_DECREF` tests "0 or this count" with one mask.
    const GC_OWNED_REFCNT: isize;
    /// Whether `i64` values go to and from `int` through `PyLong_FromSsize_t`/`PyLong_AsSsize_t`
    /// (where `Py_ssize_t` is 64 bits) rather than the `long long` calls. On PyPy 7.3 (cpyext)
    /// the `long long` calls take a slower path: about 120 more instructions per `int` made
    /// (callgrind, `benches/extension` case `ints`). On CPython 3.11 `PyLong_FromLongLong` is
    /// the cheaper one.
    const SSIZE_T_INTS: bool = false;

    /// Whether a class's methods taking no argument or exactly one are `METH_NOARGS` and
    /// `METH_O` methods ([`anypy::EntryKind::MethodNoArgs`], [`anypy::EntryKind::MethodOneArg`])
    /// rather than `METH_FASTCALL` ones. The interpreter then checks the count itself, so it
    /// must word the error as CPython 3.11 does (`Counter.incr() takes exactly one argument (2
    /// given)`): CPython does, and calls a `METH_O` method about 20 instructions more cheaply
    /// (3.11, callgrind); PyPy 7.3's cpyext names the method without its class (`incr() takes
    /// ...`), so there the entry checks and words it.
    const METH_O_METHODS: bool = false;

    /// Whether an instance of a heap type holds a reference to its type, which its
    /// `tp_dealloc` gives back (CPython since 3.8; measured on PyPy, see its backend).
    const INSTANCES_HOLD_THEIR_TYPE: bool;

    /// `PyObject_GC_UnTrack`, where the collector tracks objects (CPython); PyPy's headers
    /// define it as nothing.
    ///
    /// # Safety
    /// GIL held; `obj` is a live instance of a garbage-collected type.
    unsafe fn gc_untrack(obj: *mut PyObject) {
        let _ = obj;
    }

    /// Process state (use `anypy::backend_state!()`).
    fn state() -> &'static BackendState;
    /// The thread-local GIL counter (from `anypy::backend_state!()`).
    fn gil_count() -> &'static std::thread::LocalKey<anypy::GilCount>;
    /// Makes the interpreter usable; cheap after the first success.
    fn initialize() -> Result<(), BackendError>;

    /// Called by `Py_DECREF` each time it leaves an object to the GC alone (the count reached
    /// [`CApi::GC_OWNED_REFCNT`]): the hook for a policy that makes the interpreter free such
    /// objects as a loop goes. Like any decref, it may run Python code; it must leave the error
    /// indicator as it found it. Never called when `GC_OWNED_REFCNT` is `0`.
    ///
    /// # Safety
    /// GIL held.
    unsafe fn released_to_gc() {}

    // ----- what an implementation (or a version of one) does its own way -------------------
    // The defaults are the C headers' macros for the layout the constants above describe, as
    // CPython 3.9-3.11 and PyPy define them; `anypy-cpython` overrides them for 3.12+ (immortal
    // objects, `PyErr_GetRaisedException`) and for the limited API (`abi3`), in one place.

    /// `Py_INCREF`.
    ///
    /// # Safety
    /// GIL held; `obj` live.
    #[inline(always)]
    unsafe fn incref(obj: *mut PyObject) {
        // SAFETY: guaranteed by the caller.
        unsafe { layout::incref(obj) }
    }

    /// `Py_DECREF`.
    ///
    /// # Safety
    /// GIL held; the caller owns the reference it gives up.
    #[inline(always)]
    unsafe fn decref(obj: *mut PyObject) {
        // SAFETY: guaranteed by the caller.
        unsafe { layout::decref::<Self>(obj) }
    }

    /// `PyType_GetFlags(ty)`.
    ///
    /// # Safety
    /// `ty` is a live type object.
    #[inline(always)]
    unsafe fn type_flags(ty: *mut PyObject) -> u64 {
        // SAFETY: guaranteed by the caller.
        unsafe { layout::tp_flags::<Self>(ty) }
    }

    /// The name of the type `ty` as Python's `__name__` gives it (the part of `tp_name` after
    /// the last dot).
    ///
    /// # Safety
    /// GIL held; `ty` is a live type object.
    unsafe fn type_name(ty: *mut PyObject) -> String {
        // SAFETY: `ty` is a live type object (caller).
        let name = unsafe { layout::tp_name::<Self>(ty) }.to_string_lossy();
        name.rsplit('.').next().unwrap_or_default().to_owned()
    }

    /// The pointer held by `capsule`, one of anypy's own capsules named `name`
    /// (`PyCapsule_GetPointer`, whose name check is a `strcmp` the default skips).
    ///
    /// # Safety
    /// GIL held; `capsule` is a live capsule created with `name`.
    #[inline(always)]
    unsafe fn capsule_pointer(capsule: *mut PyObject, name: &CStr) -> *mut c_void {
        let _ = name;
        // SAFETY: guaranteed by the caller.
        unsafe { layout::capsule_pointer::<Self>(capsule) }
    }

    /// `PyList_SET_ITEM(list, index, item)` on a fresh list (the slot empty, `item`'s reference
    /// moves in): a store with [`CApi::INLINE_LIST_ACCESS`], else `PyList_SetItem`.
    ///
    /// # Safety
    /// GIL held; `list` a fresh list, `index` in range and its slot empty; `item` owned.
    #[inline(always)]
    unsafe fn list_init_item(list: *mut PyObject, index: usize, item: *mut PyObject) {
        // SAFETY: guaranteed by the caller.
        unsafe { sequence::list_init_item::<Self>(list, index, item) }
    }

    /// `PyList_GET_ITEM(list, index)` (borrowed): a load with [`CApi::INLINE_LIST_ACCESS`],
    /// else `PyList_GetItem`.
    ///
    /// # Safety
    /// GIL held; `list` a list and `index < PyList_GET_SIZE(list)`.
    #[inline(always)]
    unsafe fn list_get_item(list: *mut PyObject, index: usize) -> *mut PyObject {
        // SAFETY: guaranteed by the caller.
        unsafe { sequence::list_get_item::<Self>(list, index) }
    }

    /// `PyList_GET_SIZE(list)`: a load with [`CApi::INLINE_LIST_ACCESS`], else `PyList_Size`.
    ///
    /// # Safety
    /// GIL held; `list` a list.
    #[inline(always)]
    unsafe fn list_len(list: *mut PyObject) -> usize {
        // SAFETY: guaranteed by the caller.
        unsafe { sequence::list_len::<Self>(list) }
    }

    /// `PyLong_AsLongLong(obj)`: `-1` with the error set on failure. The default calls it
    /// (through `PyLong_AsSsize_t` with [`CApi::SSIZE_T_INTS`]); an implementation whose int
    /// layout is known reads small ints inline first.
    ///
    /// # Safety
    /// GIL held; `obj` live.
    #[inline(always)]
    unsafe fn int_as_i64(obj: *mut PyObject) -> i64 {
        // SAFETY: GIL held, `obj` live (caller).
        unsafe {
            if Self::SSIZE_T_INTS && isize::BITS == i64::BITS {
                Self::PyLong_AsSsize_t(obj) as i64
            } else {
                Self::PyLong_AsLongLong(obj)
            }
        }
    }

    /// `PyObject_Vectorcall`: `nargs` positional arguments, then one value per name in the
    /// tuple `kwnames` (or null).
    ///
    /// # Safety
    /// GIL held; `args` holds `nargs` live objects plus one per keyword name.
    #[inline(always)]
    unsafe fn vectorcall(
        callable: *mut PyObject,
        args: *const *mut PyObject,
        nargs: usize,
        kwnames: *mut PyObject,
    ) -> *mut PyObject {
        // SAFETY: guaranteed by the caller.
        unsafe { Self::PyObject_Vectorcall(callable, args, nargs, kwnames) }
    }

    /// Takes the current exception as owned, normalized `(type, value, traceback)` (the
    /// traceback also set on the value), clearing it; `None` when no exception is set.
    ///
    /// # Safety
    /// GIL held.
    unsafe fn fetch_error() -> Option<(*mut PyObject, *mut PyObject, *mut PyObject)> {
        // SAFETY: GIL held (caller).
        unsafe { fetch_normalized::<Self>() }
    }

    /// Sets an exception taken by [`CApi::fetch_error`] again, stealing the three references
    /// (`traceback` may be null).
    ///
    /// # Safety
    /// GIL held; the references are owned by the caller.
    unsafe fn restore_error(ty: *mut PyObject, value: *mut PyObject, traceback: *mut PyObject) {
        // SAFETY: guaranteed by the caller.
        unsafe { Self::PyErr_Restore(ty, value, traceback) }
    }

    /// A call with positional arguments only (`args` holds `PyObject *`s alive for the call):
    /// `PyObject_Vectorcall`, unless the interpreter has a cheaper entry for this many arguments
    /// (PyPy's `PyObject_CallOneArg`). A new reference, or null with the error set.
    ///
    /// # Safety
    /// GIL held; `callable` and every argument live.
    #[inline(always)]
    unsafe fn call_positional(callable: *mut PyObject, args: &[*mut PyObject]) -> *mut PyObject {
        // SAFETY: GIL held, live arguments (caller); `args.len()` values, no keywords.
        unsafe { Self::vectorcall(callable, args.as_ptr(), args.len(), ptr::null_mut()) }
    }

    /// `Backend::collect_garbage`: runs the GC and frees what it found before returning; `0`, or
    /// `-1` with the error set. The default calls `gc.collect()`, which is all CPython needs.
    ///
    /// # Safety
    /// GIL held.
    unsafe fn collect_garbage() -> c_int {
        // SAFETY: GIL held (caller).
        unsafe { crate::garbage::gc_collect::<Self>() }
    }
}

/// `PyErr_Fetch` then `PyErr_NormalizeException`, the traceback attached to the value: the
/// default [`CApi::fetch_error`].
///
/// # Safety
/// GIL held.
pub unsafe fn fetch_normalized<A: CApi>() -> Option<(*mut PyObject, *mut PyObject, *mut PyObject)> {
    let (mut ty, mut value, mut traceback) = (ptr::null_mut(), ptr::null_mut(), ptr::null_mut());
    // SAFETY: GIL held; out-pointers valid; we take ownership of the three references.
    unsafe {
        A::PyErr_Fetch(&mut ty, &mut value, &mut traceback);
        if ty.is_null() {
            return None;
        }
        A::PyErr_NormalizeException(&mut ty, &mut value, &mut traceback);
        if traceback == A::_Py_NoneStruct() {
            // PyPy reports "no traceback" as `None` rather than null.
            A::decref(traceback);
            traceback = ptr::null_mut();
        }
        if !traceback.is_null() {
            A::PyException_SetTraceback(value, traceback);
        }
    }
    Some((ty, value, traceback))
}
