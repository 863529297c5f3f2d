//! [`CBackend`]: anypy's `Backend` implemented once over any [`CApi`]. Each operation is the
//! C-API call a C programmer would write, with the headers' macros (refcounts, type checks and,
//! where the layout allows, tuple and list items) inlined.

use std::ffi::c_int;
use std::marker::PhantomData;
use std::mem::MaybeUninit;
use std::ptr;

use anypy::{
    Backend, BackendError, BackendState, BuiltinType, CompareOp, EntryKind, ExceptionKind,
    MethodEntry, NewRef, NumberOp, RawClass, RawClassDef, RawFunction, RawGilState, RawMethod,
    RawPtr, RawThreadState,
};

use crate::c_api::CApi;
use crate::errors::{self, set_error};
use crate::raw_ptr::{c, new_ref, non_null, ssize};
use crate::{class, layout, module_def, native_function, sequence, type_check};

/// The anypy backend for the C-API implementation `A` (`anypy_cpython::CPython` is
/// `CBackend<CPythonApi>`). A type-level marker, never constructed.
pub struct CBackend<A>(PhantomData<fn() -> A>);

// SAFETY: every function is the C-API call of the same name (or a sequence of them) with the
// reference semantics the trait documents; `backend_state!` (through `A`) gives per-backend
// singletons; the GIL functions are the interpreter's own.
unsafe impl<A: CApi> Backend for CBackend<A> {
    const NAME: &'static str = A::NAME;

    #[inline]
    fn state() -> &'static BackendState {
        A::state()
    }

    #[inline]
    fn gil_count() -> &'static std::thread::LocalKey<anypy::GilCount> {
        A::gil_count()
    }

    // ----- lifecycle and GIL ------------------------------------------------------------------

    fn initialize() -> Result<(), BackendError> {
        A::initialize()
    }

    unsafe fn gil_ensure() -> RawGilState {
        // SAFETY: the interpreter was initialized by `initialize` (caller's contract).
        RawGilState(unsafe { A::PyGILState_Ensure() })
    }

    unsafe fn gil_release(state: RawGilState) {
        // SAFETY: `state` came from `gil_ensure` on this thread.
        unsafe { A::PyGILState_Release(state.0) }
    }

    unsafe fn save_thread() -> RawThreadState {
        // SAFETY: the caller holds the GIL.
        RawThreadState(unsafe { A::PyEval_SaveThread() })
    }

    unsafe fn restore_thread(state: RawThreadState) {
        // SAFETY: `state` came from `save_thread` on this thread.
        unsafe { A::PyEval_RestoreThread(state.0) }
    }

    // ----- reference counts -------------------------------------------------------------------

    #[inline(always)]
    unsafe fn incref(obj: RawPtr) {
        // SAFETY: GIL held, `obj` live (caller).
        unsafe { A::incref(c(obj)) }
    }

    #[inline(always)]
    unsafe fn decref(obj: RawPtr) {
        // SAFETY: GIL held, the caller gives up its reference.
        unsafe { A::decref(c(obj)) }
    }

    unsafe fn refcount(obj: RawPtr) -> isize {
        // SAFETY: `obj` live (caller).
        unsafe { (*c(obj)).ob_refcnt }
    }

    // ----- singletons and scalars -------------------------------------------------------------

    #[inline(always)]
    unsafe fn none() -> RawPtr {
        // SAFETY: `None` is a static object.
        unsafe { non_null(A::_Py_NoneStruct()) }
    }

    unsafe fn not_implemented() -> RawPtr {
        // SAFETY: `NotImplemented` is a static object.
        unsafe { non_null(A::_Py_NotImplementedStruct()) }
    }

    #[inline(always)]
    unsafe fn bool_from(value: bool) -> RawPtr {
        // SAFETY: `True` and `False` are static objects.
        unsafe {
            non_null(if value {
                A::_Py_TrueStruct()
            } else {
                A::_Py_FalseStruct()
            })
        }
    }

    #[inline(always)]
    unsafe fn int_from_i64(value: i64) -> NewRef {
        // SAFETY: GIL held (caller).
        new_ref(unsafe {
            match isize::try_from(value) {
                Ok(value) if A::SSIZE_T_INTS => A::PyLong_FromSsize_t(value),
                _ => A::PyLong_FromLongLong(value),
            }
        })
    }

    #[inline(always)]
    unsafe fn int_from_u64(value: u64) -> NewRef {
        // SAFETY: GIL held (caller).
        new_ref(unsafe {
            match isize::try_from(value) {
                // PyPy: `PyLong_FromUnsignedLongLong` takes cpyext's slow path as the signed
                // `long long` call does (a `usize` returned by a native function, callgrind).
                Ok(value) if A::SSIZE_T_INTS => A::PyLong_FromSsize_t(value),
                _ => A::PyLong_FromUnsignedLongLong(value),
            }
        })
    }

    #[inline(always)]
    unsafe fn int_as_i64(obj: RawPtr) -> i64 {
        // SAFETY: GIL held, `obj` live (caller).
        unsafe { A::int_as_i64(c(obj)) }
    }

    #[inline(always)]
    unsafe fn int_as_u64(obj: RawPtr) -> u64 {
        // SAFETY: GIL held, `obj` live (caller).
        unsafe { A::PyLong_AsUnsignedLongLong(c(obj)) }
    }

    #[inline(always)]
    unsafe fn float_from_f64(value: f64) -> NewRef {
        // SAFETY: GIL held (caller).
        new_ref(unsafe { A::PyFloat_FromDouble(value) })
    }

    #[inline(always)]
    unsafe fn float_as_f64(obj: RawPtr) -> f64 {
        // SAFETY: GIL held, `obj` live (caller).
        unsafe { A::PyFloat_AsDouble(c(obj)) }
    }

    // ----- str and bytes ----------------------------------------------------------------------

    unsafe fn str_from_utf8(value: &str) -> NewRef {
        // SAFETY: GIL held; pointer and length describe valid UTF-8.
        new_ref(unsafe {
            A::PyUnicode_FromStringAndSize(value.as_ptr().cast(), ssize(value.len()))
        })
    }

    unsafe fn str_as_utf8(obj: RawPtr) -> Option<(*const u8, usize)> {
        let mut len = 0;
        // SAFETY: GIL held, `obj` live; `len` is a valid out-pointer.
        let data = unsafe { A::PyUnicode_AsUTF8AndSize(c(obj), &mut len) };
        (!data.is_null()).then(|| (data.cast(), len as usize))
    }

    unsafe fn bytes_from(value: &[u8]) -> NewRef {
        // SAFETY: GIL held; pointer and length describe `value`.
        new_ref(unsafe { A::PyBytes_FromStringAndSize(value.as_ptr().cast(), ssize(value.len())) })
    }

    unsafe fn bytes_as(obj: RawPtr) -> Option<(*const u8, usize)> {
        let (mut data, mut len) = (ptr::null_mut(), 0);
        // SAFETY: GIL held, `obj` live; both out-pointers are valid.
        let status = unsafe { A::PyBytes_AsStringAndSize(c(obj), &mut data, &mut len) };
        (status == 0).then(|| (data.cast_const().cast(), len as usize))
    }

    // ----- tuple ------------------------------------------------------------------------------

    #[inline(always)]
    unsafe fn tuple_new(len: usize) -> NewRef {
        // SAFETY: GIL held (caller).
        new_ref(unsafe { A::PyTuple_New(ssize(len)) })
    }

    #[inline(always)]
    unsafe fn tuple_init_item(tuple: RawPtr, index: usize, item: RawPtr) {
        // SAFETY: forwarded contract (a fresh tuple, `index` in range, the slot empty).
        unsafe { sequence::tuple_init_item::<A>(c(tuple), index, c(item)) }
    }

    #[inline(always)]
    unsafe fn tuple_get_item(tuple: RawPtr, index: usize) -> RawPtr {
        // SAFETY: `tuple` is a tuple and `index` in range (caller), so the item is non-null.
        unsafe { non_null(sequence::tuple_get_item::<A>(c(tuple), index)) }
    }

    #[inline(always)]
    unsafe fn tuple_len(tuple: RawPtr) -> usize {
        // SAFETY: `tuple` is a tuple (caller).
        unsafe { sequence::tuple_len::<A>(c(tuple)) }
    }

    // ----- list -------------------------------------------------------------------------------

    #[inline(always)]
    unsafe fn list_new(len: usize) -> NewRef {
        // SAFETY: GIL held (caller).
        new_ref(unsafe { A::PyList_New(ssize(len)) })
    }

    #[inline(always)]
    unsafe fn list_init_item(list: RawPtr, index: usize, item: RawPtr) {
        // SAFETY: a fresh list with `index` in range and the slot empty; `item` owned (caller).
        unsafe { A::list_init_item(c(list), index, c(item)) };
    }

    #[inline(always)]
    unsafe fn list_get_item(list: RawPtr, index: usize) -> RawPtr {
        // SAFETY: `list` is a list and `index` in range (caller), so the item is non-null.
        unsafe { non_null(A::list_get_item(c(list), index)) }
    }

    unsafe fn list_set_item(list: RawPtr, index: usize, item: RawPtr) -> i32 {
        // SAFETY: GIL held, `list` a list; `SetItem` steals `item` and checks the index.
        unsafe { A::PyList_SetItem(c(list), ssize(index), c(item)) }
    }

    #[inline(always)]
    unsafe fn list_append(list: RawPtr, item: RawPtr) -> i32 {
        // SAFETY: GIL held, both live (caller).
        unsafe { A::PyList_Append(c(list), c(item)) }
    }

    unsafe fn list_insert(list: RawPtr, index: usize, item: RawPtr) -> i32 {
        let index = isize::try_from(index).unwrap_or(isize::MAX);
        // SAFETY: GIL held, both live (caller); an index past the end appends.
        unsafe { A::PyList_Insert(c(list), index, c(item)) }
    }

    #[inline(always)]
    unsafe fn list_len(list: RawPtr) -> usize {
        // SAFETY: `list` is a list (caller).
        unsafe { A::list_len(c(list)) }
    }

    // ----- dict -------------------------------------------------------------------------------

    #[inline(always)]
    unsafe fn dict_new() -> NewRef {
        // SAFETY: GIL held (caller).
        new_ref(unsafe { A::PyDict_New() })
    }

    #[inline(always)]
    unsafe fn dict_set_item(dict: RawPtr, key: RawPtr, value: RawPtr) -> i32 {
        // SAFETY: GIL held, all live (caller).
        unsafe { A::PyDict_SetItem(c(dict), c(key), c(value)) }
    }

    #[inline(always)]
    unsafe fn dict_get_item(dict: RawPtr, key: RawPtr) -> Option<RawPtr> {
        // SAFETY: GIL held, both live (caller).
        new_ref(unsafe { A::PyDict_GetItemWithError(c(dict), c(key)) })
    }

    unsafe fn dict_del_item(dict: RawPtr, key: RawPtr) -> i32 {
        // SAFETY: GIL held, both live (caller).
        unsafe { A::PyDict_DelItem(c(dict), c(key)) }
    }

    unsafe fn dict_contains(dict: RawPtr, key: RawPtr) -> i32 {
        // SAFETY: GIL held, both live (caller).
        unsafe { A::PyDict_Contains(c(dict), c(key)) }
    }

    unsafe fn dict_len(dict: RawPtr) -> usize {
        // SAFETY: GIL held, `dict` a dict (caller); with `INLINE_DICT_LEN`, `ma_used` is at the
        // offset `ob_size` has in a var-object.
        let len = unsafe {
            if A::INLINE_DICT_LEN {
                layout::ob_size::<A>(c(dict))
            } else {
                A::PyDict_Size(c(dict))
            }
        };
        len as usize
    }

    #[inline(always)]
    unsafe fn dict_next(dict: RawPtr, pos: &mut isize) -> Option<(RawPtr, RawPtr)> {
        // Left uninitialized: `PyDict_Next` writes both when it returns true, and they are read
        // only then (two stores per entry fewer).
        let (mut key, mut value) = (MaybeUninit::uninit(), MaybeUninit::uninit());
        // SAFETY: GIL held, `dict` a dict; all out-pointers valid.
        let more = unsafe { A::PyDict_Next(c(dict), pos, key.as_mut_ptr(), value.as_mut_ptr()) };
        // SAFETY: on success both were written, non-null borrowed references.
        (more != 0).then(|| unsafe { (non_null(key.assume_init()), non_null(value.assume_init())) })
    }

    #[inline(always)]
    unsafe fn dict_iterates_by_protocol(dict: RawPtr) -> bool {
        // SAFETY: `dict` live (caller); `PyDict_Type` is a static object.
        A::DICT_ITERATION_BY_PROTOCOL
            && unsafe { layout::ob_type::<A>(c(dict)) == A::PyDict_Type() }
    }

    // ----- set and frozenset ------------------------------------------------------------------

    unsafe fn set_new(iterable: Option<RawPtr>, frozen: bool) -> NewRef {
        let iterable = iterable.map_or(ptr::null_mut(), c);
        // SAFETY: GIL held, `iterable` live or null (caller).
        new_ref(unsafe {
            if frozen {
                A::PyFrozenSet_New(iterable)
            } else {
                A::PySet_New(iterable)
            }
        })
    }

    unsafe fn set_add(set: RawPtr, key: RawPtr) -> i32 {
        // SAFETY: GIL held, both live (caller).
        unsafe { A::PySet_Add(c(set), c(key)) }
    }

    unsafe fn set_contains(set: RawPtr, key: RawPtr) -> i32 {
        // SAFETY: GIL held, both live (caller).
        unsafe { A::PySet_Contains(c(set), c(key)) }
    }

    unsafe fn set_discard(set: RawPtr, key: RawPtr) -> i32 {
        // SAFETY: GIL held, both live (caller).
        unsafe { A::PySet_Discard(c(set), c(key)) }
    }

    unsafe fn set_pop(set: RawPtr) -> NewRef {
        // SAFETY: GIL held, `set` a set (caller).
        new_ref(unsafe { A::PySet_Pop(c(set)) })
    }

    unsafe fn set_len(set: RawPtr) -> usize {
        // SAFETY: GIL held, `set` a set or frozenset (caller).
        unsafe { A::PySet_Size(c(set)) as usize }
    }

    // ----- numbers and paths ------------------------------------------------------------------

    unsafe fn number_binary(a: RawPtr, b: RawPtr, op: NumberOp) -> NewRef {
        let (a, b) = (c(a), c(b));
        // SAFETY: GIL held, both live (caller).
        new_ref(unsafe {
            match op {
                NumberOp::And => A::PyNumber_And(a, b),
                NumberOp::Or => A::PyNumber_Or(a, b),
                NumberOp::Lshift => A::PyNumber_Lshift(a, b),
                NumberOp::Rshift => A::PyNumber_Rshift(a, b),
            }
        })
    }

    unsafe fn fs_path(obj: RawPtr) -> NewRef {
        // SAFETY: GIL held, `obj` live (caller).
        new_ref(unsafe { A::PyOS_FSPath(c(obj)) })
    }

    // ----- object protocol --------------------------------------------------------------------

    #[inline(always)]
    unsafe fn type_of(obj: RawPtr) -> RawPtr {
        // SAFETY: every live object has a type.
        unsafe { non_null(layout::ob_type::<A>(c(obj))) }
    }

    unsafe fn type_name(obj: RawPtr) -> String {
        // SAFETY: GIL held, `obj` live, so is its type.
        unsafe { A::type_name(layout::ob_type::<A>(c(obj))) }
    }

    #[inline(always)]
    unsafe fn type_check(obj: RawPtr, ty: BuiltinType) -> bool {
        // SAFETY: `obj` live (caller).
        unsafe { type_check::builtin_type_check::<A>(c(obj), ty) }
    }

    unsafe fn is_instance(obj: RawPtr, class: RawPtr) -> i32 {
        // SAFETY: GIL held, both live (caller).
        unsafe { A::PyObject_IsInstance(c(obj), c(class)) }
    }

    unsafe fn getattr(obj: RawPtr, name: RawPtr) -> NewRef {
        // SAFETY: GIL held, both live (caller).
        new_ref(unsafe { A::PyObject_GetAttr(c(obj), c(name)) })
    }

    unsafe fn setattr(obj: RawPtr, name: RawPtr, value: RawPtr) -> i32 {
        // SAFETY: GIL held, all live (caller).
        unsafe { A::PyObject_SetAttr(c(obj), c(name), c(value)) }
    }

    #[inline(always)]
    unsafe fn call(
        callable: RawPtr,
        args: &[RawPtr],
        nargs: usize,
        kwnames: Option<RawPtr>,
    ) -> NewRef {
        // SAFETY: GIL held; `args` holds `nargs` positional values then one value per keyword
        // name (caller); `RawPtr` has the layout of `PyObject *`.
        new_ref(unsafe {
            match kwnames {
                None => A::call_positional(
                    c(callable),
                    std::slice::from_raw_parts(args.as_ptr().cast(), nargs),
                ),
                Some(kwnames) => {
                    A::vectorcall(c(callable), args.as_ptr().cast(), nargs, c(kwnames))
                }
            }
        })
    }

    unsafe fn repr(obj: RawPtr) -> NewRef {
        // SAFETY: GIL held, `obj` live (caller).
        new_ref(unsafe { A::PyObject_Repr(c(obj)) })
    }

    unsafe fn str(obj: RawPtr) -> NewRef {
        // SAFETY: GIL held, `obj` live (caller).
        new_ref(unsafe { A::PyObject_Str(c(obj)) })
    }

    unsafe fn compare(a: RawPtr, b: RawPtr, op: CompareOp) -> i32 {
        // SAFETY: GIL held, both live; `CompareOp` is numbered as `Py_LT`..`Py_GE`.
        unsafe { A::PyObject_RichCompareBool(c(a), c(b), op as c_int) }
    }

    unsafe fn hash(obj: RawPtr) -> isize {
        // SAFETY: GIL held, `obj` live (caller).
        unsafe { A::PyObject_Hash(c(obj)) }
    }

    unsafe fn is_true(obj: RawPtr) -> i32 {
        // SAFETY: GIL held, `obj` live (caller).
        unsafe { A::PyObject_IsTrue(c(obj)) }
    }

    unsafe fn len(obj: RawPtr) -> isize {
        // SAFETY: GIL held, `obj` live (caller).
        unsafe { A::PyObject_Size(c(obj)) }
    }

    unsafe fn get_item(obj: RawPtr, key: RawPtr) -> NewRef {
        // SAFETY: GIL held, both live (caller).
        new_ref(unsafe { A::PyObject_GetItem(c(obj), c(key)) })
    }

    unsafe fn set_item(obj: RawPtr, key: RawPtr, value: RawPtr) -> i32 {
        // SAFETY: GIL held, all live (caller).
        unsafe { A::PyObject_SetItem(c(obj), c(key), c(value)) }
    }

    unsafe fn get_iter(obj: RawPtr) -> NewRef {
        // SAFETY: GIL held, `obj` live (caller).
        new_ref(unsafe { A::PyObject_GetIter(c(obj)) })
    }

    unsafe fn iter_next(iter: RawPtr) -> NewRef {
        // SAFETY: GIL held, `iter` an iterator (caller).
        new_ref(unsafe { A::PyIter_Next(c(iter)) })
    }

    // ----- errors -----------------------------------------------------------------------------

    unsafe fn exception_type(kind: ExceptionKind) -> RawPtr {
        // SAFETY: the builtin exception classes are created at start-up and never freed.
        unsafe { non_null(errors::exception_class::<A>(kind)) }
    }

    #[inline(always)]
    unsafe fn err_occurred() -> bool {
        // SAFETY: GIL held (caller).
        !unsafe { A::PyErr_Occurred() }.is_null()
    }

    unsafe fn err_fetch() -> Option<(RawPtr, RawPtr, Option<RawPtr>)> {
        // SAFETY: GIL held (caller); the type and value of a fetched exception are non-null.
        unsafe {
            let (ty, value, traceback) = A::fetch_error()?;
            Some((non_null(ty), non_null(value), new_ref(traceback)))
        }
    }

    unsafe fn err_restore(ty: RawPtr, value: RawPtr, traceback: Option<RawPtr>) {
        // SAFETY: GIL held; the caller's three references move.
        unsafe { A::restore_error(c(ty), c(value), traceback.map_or(ptr::null_mut(), c)) }
    }

    unsafe fn err_set_object(ty: RawPtr, value: RawPtr) {
        // SAFETY: GIL held; `ty` an exception class (caller).
        unsafe { A::PyErr_SetObject(c(ty), c(value)) }
    }

    unsafe fn err_set_str(ty: RawPtr, message: &str) {
        // SAFETY: GIL held; `ty` an exception class (caller).
        unsafe { set_error::<A>(c(ty), message) }
    }

    unsafe fn exception_matches(given: RawPtr, class: RawPtr) -> bool {
        // SAFETY: GIL held, both live (caller).
        unsafe { A::PyErr_GivenExceptionMatches(c(given), c(class)) != 0 }
    }

    // ----- classes made at run time -----------------------------------------------------------

    unsafe fn exception_new(name: &str, doc: Option<&str>, base: RawPtr) -> NewRef {
        // SAFETY: GIL held; `base` an exception class (caller).
        new_ref(unsafe { errors::exception_new::<A>(name, doc, c(base)) })
    }

    unsafe fn class_new<C: RawClass>(def: RawClassDef) -> NewRef {
        // SAFETY: GIL held; entries from `entry` (caller).
        new_ref(unsafe { class::class_new::<A, C>(def) })
    }

    fn entry<M: RawMethod>(kind: EntryKind) -> MethodEntry {
        class::entry::<A, M>(kind)
    }

    unsafe fn instance_new(class: RawPtr) -> NewRef {
        // SAFETY: GIL held; `class` made by `class_new` (caller).
        unsafe { class::instance_new::<A>(class) }
    }

    #[inline(always)]
    unsafe fn instance_payload<C: RawClass>(obj: RawPtr) -> *mut u8 {
        // SAFETY: forwarded under the caller's guarantees.
        unsafe { class::instance_payload::<A, C>(obj) }
    }

    // ----- modules and native functions -------------------------------------------------------

    unsafe fn module_new(name: &str) -> NewRef {
        // SAFETY: GIL held (caller).
        new_ref(unsafe { module_def::module_new::<A>(name) })
    }

    unsafe fn import(name: &str) -> NewRef {
        // SAFETY: GIL held (caller).
        let name = c(unsafe { Self::str_from_utf8(name) }?);
        // SAFETY: GIL held; `name` is a str we own and release after the import.
        unsafe {
            let module = A::PyImport_Import(name);
            A::decref(name);
            new_ref(module)
        }
    }

    unsafe fn function_new<F: RawFunction>(function: F, module: Option<RawPtr>) -> NewRef {
        let module = module.map_or(std::ptr::null_mut(), |module| module.as_ptr().cast());
        // SAFETY: GIL held, `module` null or a live str (caller).
        new_ref(unsafe { native_function::function_new::<A, F>(function, module) })
    }

    unsafe fn str_intern(value: &str) -> NewRef {
        let Ok(value) = std::ffi::CString::new(value) else {
            // SAFETY: GIL held (caller); a name with a NUL byte cannot be interned by C string.
            return unsafe { Self::str_from_utf8(value) };
        };
        // SAFETY: GIL held; a NUL-terminated UTF-8 string.
        new_ref(unsafe { A::PyUnicode_InternFromString(value.as_ptr()) })
    }

    unsafe fn extension_module_new(name: &str) -> NewRef {
        // SAFETY: GIL held (caller).
        new_ref(unsafe { module_def::extension_module_new::<A>(name) })
    }

    // ----- garbage collection -----------------------------------------------------------------

    unsafe fn collect_garbage() -> i32 {
        // SAFETY: GIL held (caller).
        unsafe { A::collect_garbage() }
    }
}
