//! The `Backend` trait: the one seam between anypy's safe API and a Python implementation.
//!
//! Every operation is an associated function over opaque raw pointers, modelled on the C-API
//! (new vs. borrowed references, a per-thread error indicator, `NULL`/`-1` on error), so a C
//! backend is a thin layer of direct calls and the mock reproduces the same contract in Rust.
//! The trait is here; its enums in [`kinds`], its pointer and token types in [`raw`], the
//! native-function seam in [`function`] and the start-up error in [`error`].

mod class;
mod error;
mod function;
mod kinds;
mod raw;

pub use class::{
    EntryKind, MethodEntry, RawClass, RawClassDef, RawMethod, RawMethodDef, RawPropertyDef,
    RawSlotDef, SlotKind,
};
pub use error::BackendError;
pub use function::{AbortOnUnwind, RawFunction};
pub use kinds::{BuiltinType, CompareOp, ExceptionKind, NumberOp};
pub use raw::{NewRef, RawGilState, RawObject, RawPtr, RawThreadState};

use crate::state::{BackendState, GilCount};

/// One Python implementation.
///
/// Static dispatch: every operation is an associated function, so code generic over `B` costs
/// exactly the calls it makes. Functions follow the C-API's conventions: a [`NewRef`] is an
/// owned reference or `None` with the error set; an `i32` status is `0` (or a boolean) on
/// success and `-1` with the error set; a plain [`RawPtr`] result is a borrowed reference.
///
/// # Safety
/// Implementors guarantee the reference semantics documented on each function, that
/// [`Backend::state`] and [`Backend::gil_count`] return per-backend singletons (use
/// [`backend_state!`](crate::backend_state)), and that the GIL functions really exclude other
/// threads. Callers of the `unsafe fn`s hold the GIL (checked by the mock) and pass live objects.
///
/// # Sections
/// The functions come in headed blocks, in this order:
/// 1. **per-backend state**: [`state`](Backend::state) and [`gil_count`](Backend::gil_count);
/// 2. **lifecycle and GIL**: [`initialize`](Backend::initialize), ensure/release, save/restore;
/// 3. **reference counts**: [`incref`](Backend::incref), [`decref`](Backend::decref),
///    [`refcount`](Backend::refcount);
/// 4. **singletons and scalars**: `None`, `NotImplemented`, `True`/`False`, ints, floats;
/// 5. **str and bytes**: from and as UTF-8 / byte slices;
/// 6. **tuple**, 7. **list**, 8. **dict**, 9. **set and frozenset**: containers' fast paths;
/// 10. **numbers and paths**: the int operators wide ints are built with, `os.fspath`;
/// 11. **object protocol**: type checks, attributes, calls, repr/str, compare, hash, truth,
///     length, items, iteration;
/// 12. **errors**: the exception classes and the per-thread error indicator;
/// 13. **modules and native functions**;
/// 14. **classes made at run time**: exception classes, Rust classes;
/// 15. **garbage collection** (defaulted).
///
#[doc = include_str!("implementing.md")]
pub unsafe trait Backend: Sized + 'static {
    /// A short lower-case name: `"mock"`, `"cpython"`, `"pypy"`.
    const NAME: &'static str;

    // ----- per-backend state ------------------------------------------------------------------
    // Process-wide and per-thread bookkeeping; `backend_state!` writes both.

    /// The process-wide state: the deferred-release queue.
    fn state() -> &'static BackendState;
    /// How many times this thread holds this backend's GIL through anypy (0: not held).
    fn gil_count() -> &'static std::thread::LocalKey<GilCount>;

    // ----- lifecycle and GIL ------------------------------------------------------------------
    // Starting the interpreter and taking or releasing its global lock.

    /// Makes the interpreter usable (embedding: starts it once; extension: checks it runs).
    /// Cheap after the first success.
    fn initialize() -> Result<(), BackendError>;
    /// Takes the GIL for this thread (`PyGILState_Ensure`).
    ///
    /// # Safety
    /// [`Backend::initialize`] succeeded.
    unsafe fn gil_ensure() -> RawGilState;
    /// Undoes one [`Backend::gil_ensure`].
    ///
    /// # Safety
    /// `state` came from the matching `gil_ensure` on this thread.
    unsafe fn gil_release(state: RawGilState);
    /// Releases the GIL held by this thread (`PyEval_SaveThread`).
    ///
    /// # Safety
    /// This thread holds the GIL.
    unsafe fn save_thread() -> RawThreadState;
    /// Takes the GIL back after [`Backend::save_thread`] (`PyEval_RestoreThread`).
    ///
    /// # Safety
    /// `state` came from the matching `save_thread` on this thread.
    unsafe fn restore_thread(state: RawThreadState);

    // ----- reference counts -------------------------------------------------------------------
    // The only functions that change a count directly.

    /// `Py_INCREF`.
    ///
    /// # Safety
    /// GIL held; `obj` live.
    unsafe fn incref(obj: RawPtr);
    /// `Py_DECREF`: releases one reference, freeing the object at zero.
    ///
    /// # Safety
    /// GIL held; the caller owns the reference it gives up.
    unsafe fn decref(obj: RawPtr);
    /// The current reference count (compare as deltas: PyPy adds a large flag).
    ///
    /// # Safety
    /// GIL held; `obj` live.
    unsafe fn refcount(obj: RawPtr) -> isize;

    // ----- singletons and scalars -------------------------------------------------------------
    // Borrowed singletons; new ints and floats and their values.

    /// `None` (borrowed).
    ///
    /// # Safety
    /// GIL held.
    unsafe fn none() -> RawPtr;
    /// `NotImplemented` (borrowed).
    ///
    /// # Safety
    /// GIL held.
    unsafe fn not_implemented() -> RawPtr;
    /// `True` or `False` (borrowed).
    ///
    /// # Safety
    /// GIL held.
    unsafe fn bool_from(value: bool) -> RawPtr;
    /// `PyLong_FromLongLong` (or `PyLong_FromSsize_t` where that is cheaper).
    ///
    /// # Safety
    /// GIL held.
    #[track_caller]
    unsafe fn int_from_i64(value: i64) -> NewRef;
    /// `PyLong_FromUnsignedLongLong`.
    ///
    /// # Safety
    /// GIL held.
    #[track_caller]
    unsafe fn int_from_u64(value: u64) -> NewRef;
    /// `PyLong_AsLongLong`: `-1` with the error set on failure (`OverflowError` out of range).
    ///
    /// # Safety
    /// GIL held; `obj` live.
    unsafe fn int_as_i64(obj: RawPtr) -> i64;
    /// `PyLong_AsUnsignedLongLong`: `u64::MAX` with the error set on failure.
    ///
    /// # Safety
    /// GIL held; `obj` live.
    unsafe fn int_as_u64(obj: RawPtr) -> u64;
    /// `PyFloat_FromDouble`.
    ///
    /// # Safety
    /// GIL held.
    #[track_caller]
    unsafe fn float_from_f64(value: f64) -> NewRef;
    /// `PyFloat_AsDouble` (ints accepted): `-1.0` with the error set on failure.
    ///
    /// # Safety
    /// GIL held; `obj` live.
    unsafe fn float_as_f64(obj: RawPtr) -> f64;

    // ----- str and bytes ----------------------------------------------------------------------
    // The text and byte-string constructors and their contents.

    /// `PyUnicode_FromStringAndSize` from UTF-8.
    ///
    /// # Safety
    /// GIL held.
    #[track_caller]
    unsafe fn str_from_utf8(value: &str) -> NewRef;
    /// `PyUnicode_AsUTF8AndSize`: the UTF-8 bytes, valid as long as `obj` lives; `None` with
    /// the error set if `obj` is not a str or cannot be encoded.
    ///
    /// # Safety
    /// GIL held; `obj` live.
    unsafe fn str_as_utf8(obj: RawPtr) -> Option<(*const u8, usize)>;
    /// An interned str (`PyUnicode_InternFromString`): equal names made this way are one
    /// object, so a keyword can be matched by pointer; [`intern!`](crate::intern) keeps one per
    /// name for the life of the process. The default makes a plain str.
    ///
    /// # Safety
    /// GIL held.
    #[track_caller]
    unsafe fn str_intern(value: &str) -> NewRef {
        // SAFETY: forwarded under the caller's guarantees.
        unsafe { Self::str_from_utf8(value) }
    }
    /// `PyBytes_FromStringAndSize`.
    ///
    /// # Safety
    /// GIL held.
    #[track_caller]
    unsafe fn bytes_from(value: &[u8]) -> NewRef;
    /// `PyBytes_AsStringAndSize`: the contents, valid as long as `obj` lives.
    ///
    /// # Safety
    /// GIL held; `obj` live.
    unsafe fn bytes_as(obj: RawPtr) -> Option<(*const u8, usize)>;

    // ----- tuple ------------------------------------------------------------------------------
    // Tuple fast paths: unchecked, the caller proves the type and index.

    /// `PyTuple_New(len)`: items must all be set with [`Backend::tuple_init_item`] before use.
    ///
    /// # Safety
    /// GIL held.
    #[track_caller]
    unsafe fn tuple_new(len: usize) -> NewRef;
    /// `PyTuple_SET_ITEM`: steals `item` into a fresh tuple's empty slot.
    ///
    /// # Safety
    /// GIL held; `tuple` is fresh from `tuple_new`, `index` in range and not yet set.
    unsafe fn tuple_init_item(tuple: RawPtr, index: usize, item: RawPtr);
    /// `PyTuple_GET_ITEM` (borrowed).
    ///
    /// # Safety
    /// GIL held; `tuple` is a tuple and `index < tuple_len(tuple)`.
    unsafe fn tuple_get_item(tuple: RawPtr, index: usize) -> RawPtr;
    /// `PyTuple_GET_SIZE`.
    ///
    /// # Safety
    /// GIL held; `tuple` is a tuple.
    unsafe fn tuple_len(tuple: RawPtr) -> usize;

    // ----- list -------------------------------------------------------------------------------
    // List fast paths: unchecked where the C-API's macros are.

    /// `PyList_New(len)`: items must all be set with [`Backend::list_init_item`] before use.
    ///
    /// # Safety
    /// GIL held.
    #[track_caller]
    unsafe fn list_new(len: usize) -> NewRef;
    /// `PyList_SET_ITEM`: steals `item` into a fresh list's empty slot.
    ///
    /// # Safety
    /// GIL held; `list` is fresh from `list_new`, `index` in range and not yet set.
    unsafe fn list_init_item(list: RawPtr, index: usize, item: RawPtr);
    /// `PyList_GET_ITEM` (borrowed).
    ///
    /// # Safety
    /// GIL held; `list` is a list and `index < list_len(list)`.
    unsafe fn list_get_item(list: RawPtr, index: usize) -> RawPtr;
    /// `PyList_SetItem`: steals `item` (even on failure), releases the old item;
    /// `IndexError` when out of range.
    ///
    /// # Safety
    /// GIL held; `list` is a list; the caller owns the reference to `item`.
    unsafe fn list_set_item(list: RawPtr, index: usize, item: RawPtr) -> i32;
    /// `PyList_Append` (increfs `item`).
    ///
    /// # Safety
    /// GIL held; `list` is a list.
    unsafe fn list_append(list: RawPtr, item: RawPtr) -> i32;
    /// `PyList_Insert` (increfs `item`; an index past the end appends).
    ///
    /// # Safety
    /// GIL held; `list` is a list.
    unsafe fn list_insert(list: RawPtr, index: usize, item: RawPtr) -> i32;
    /// `PyList_GET_SIZE`.
    ///
    /// # Safety
    /// GIL held; `list` is a list.
    unsafe fn list_len(list: RawPtr) -> usize;

    // ----- dict -------------------------------------------------------------------------------
    // Dict fast paths: the key can be any hashable object.

    /// `PyDict_New`.
    ///
    /// # Safety
    /// GIL held.
    #[track_caller]
    unsafe fn dict_new() -> NewRef;
    /// `PyDict_SetItem` (increfs key and value; `TypeError` for an unhashable key).
    ///
    /// # Safety
    /// GIL held; `dict` is a dict.
    unsafe fn dict_set_item(dict: RawPtr, key: RawPtr, value: RawPtr) -> i32;
    /// `PyDict_GetItemWithError` (borrowed): `None` when missing (no error) or on error (set).
    ///
    /// # Safety
    /// GIL held; `dict` is a dict.
    unsafe fn dict_get_item(dict: RawPtr, key: RawPtr) -> Option<RawPtr>;
    /// `PyDict_DelItem`: `KeyError` when missing.
    ///
    /// # Safety
    /// GIL held; `dict` is a dict.
    unsafe fn dict_del_item(dict: RawPtr, key: RawPtr) -> i32;
    /// `PyDict_Contains`: `1`, `0`, or `-1` with the error set.
    ///
    /// # Safety
    /// GIL held; `dict` is a dict.
    unsafe fn dict_contains(dict: RawPtr, key: RawPtr) -> i32;
    /// `PyDict_Size`.
    ///
    /// # Safety
    /// GIL held; `dict` is a dict.
    unsafe fn dict_len(dict: RawPtr) -> usize;
    /// `PyDict_Next`: the entry at or after `*pos` as borrowed `(key, value)`, advancing `*pos`;
    /// `None` at the end. Start with `*pos == 0`.
    ///
    /// # Safety
    /// GIL held; `dict` is a dict not resized since iteration began.
    unsafe fn dict_next(dict: RawPtr, pos: &mut isize) -> Option<(RawPtr, RawPtr)>;
    /// Whether iterating over `dict` goes through Python's iterator protocol (`iter(dict)`,
    /// `next`, each value looked up by its key) rather than [`Backend::dict_next`]: where that
    /// is the cheaper way and runs no code of the dict's own (PyPy, for a dict of type exactly
    /// `dict`). The default is never.
    ///
    /// # Safety
    /// GIL held; `dict` is a dict.
    #[inline(always)]
    unsafe fn dict_iterates_by_protocol(dict: RawPtr) -> bool {
        let _ = dict;
        false
    }

    // ----- set and frozenset ------------------------------------------------------------------
    // `PySet_*`: the set's own references follow `PyDict_*`'s (add increfs, pop hands one over).

    /// `PySet_New(iterable)` or, with `frozen`, `PyFrozenSet_New(iterable)`; `None` makes an
    /// empty one. `TypeError` for an unhashable item or a non-iterable.
    ///
    /// # Safety
    /// GIL held; `iterable` live.
    #[track_caller]
    unsafe fn set_new(iterable: Option<RawPtr>, frozen: bool) -> NewRef;
    /// `PySet_Add` (increfs `key`; `TypeError` for an unhashable key). Also fills a frozenset
    /// nobody else has seen yet, as the C-API allows.
    ///
    /// # Safety
    /// GIL held; `set` is a set, or a fresh frozenset.
    unsafe fn set_add(set: RawPtr, key: RawPtr) -> i32;
    /// `PySet_Contains`: `1`, `0`, or `-1` with the error set (`TypeError` if unhashable).
    ///
    /// # Safety
    /// GIL held; `set` is a set or frozenset.
    unsafe fn set_contains(set: RawPtr, key: RawPtr) -> i32;
    /// `PySet_Discard`: `1` if found and removed, `0` if absent, `-1` with the error set.
    ///
    /// # Safety
    /// GIL held; `set` is a set.
    unsafe fn set_discard(set: RawPtr, key: RawPtr) -> i32;
    /// `PySet_Pop`: removes and returns an arbitrary item; `KeyError` when empty.
    ///
    /// # Safety
    /// GIL held; `set` is a set.
    unsafe fn set_pop(set: RawPtr) -> NewRef;
    /// `PySet_Size`.
    ///
    /// # Safety
    /// GIL held; `set` is a set or frozenset.
    unsafe fn set_len(set: RawPtr) -> usize;

    // ----- numbers and paths ------------------------------------------------------------------
    // What the conversions of `i128`/`u128`, big ints and paths are built on.

    /// `PyNumber_And`/`Or`/`Lshift`/`Rshift`: how ints wider than 64 bits are built and split.
    ///
    /// # Safety
    /// GIL held; both live.
    #[track_caller]
    unsafe fn number_binary(a: RawPtr, b: RawPtr, op: NumberOp) -> NewRef;
    /// `PyOS_FSPath`: a `str` or `bytes` as is, else the result of `__fspath__`; `TypeError`
    /// ("expected str, bytes or os.PathLike object, not int") otherwise.
    ///
    /// # Safety
    /// GIL held; `obj` live.
    #[track_caller]
    unsafe fn fs_path(obj: RawPtr) -> NewRef;

    // ----- object protocol --------------------------------------------------------------------
    // Works on any object, like the C-API's `PyObject_*` family.

    /// `Py_TYPE(obj)` (borrowed type object).
    ///
    /// # Safety
    /// GIL held; `obj` live.
    unsafe fn type_of(obj: RawPtr) -> RawPtr;
    /// The type's name as Python prints it in messages (`tp_name`), e.g. `"dict"`.
    ///
    /// # Safety
    /// GIL held; `obj` live.
    unsafe fn type_name(obj: RawPtr) -> String;
    /// `PyDict_Check` and friends (subclasses count).
    ///
    /// # Safety
    /// GIL held; `obj` live.
    unsafe fn type_check(obj: RawPtr, ty: BuiltinType) -> bool;
    /// `PyObject_IsInstance`: `1`, `0`, or `-1` with the error set.
    ///
    /// # Safety
    /// GIL held; both live.
    unsafe fn is_instance(obj: RawPtr, class: RawPtr) -> i32;
    /// `PyObject_GetAttr` with a str name.
    ///
    /// # Safety
    /// GIL held; both live; `name` is a str.
    unsafe fn getattr(obj: RawPtr, name: RawPtr) -> NewRef;
    /// `PyObject_SetAttr` (increfs `value`).
    ///
    /// # Safety
    /// GIL held; all live; `name` is a str.
    unsafe fn setattr(obj: RawPtr, name: RawPtr, value: RawPtr) -> i32;
    /// `PyObject_Vectorcall`: `args` holds the positional arguments followed by the values of
    /// the keyword arguments whose names are in the `kwnames` tuple.
    ///
    /// # Safety
    /// GIL held; all live; `nargs + len(kwnames) == args.len()`.
    #[track_caller]
    unsafe fn call(
        callable: RawPtr,
        args: &[RawPtr],
        nargs: usize,
        kwnames: Option<RawPtr>,
    ) -> NewRef;
    /// `PyObject_Repr`.
    ///
    /// # Safety
    /// GIL held; `obj` live.
    #[track_caller]
    unsafe fn repr(obj: RawPtr) -> NewRef;
    /// `PyObject_Str`.
    ///
    /// # Safety
    /// GIL held; `obj` live.
    #[track_caller]
    unsafe fn str(obj: RawPtr) -> NewRef;
    /// `PyObject_RichCompareBool`: `1`, `0`, or `-1` with the error set.
    ///
    /// # Safety
    /// GIL held; both live.
    unsafe fn compare(a: RawPtr, b: RawPtr, op: CompareOp) -> i32;
    /// `PyObject_Hash`: `-1` with the error set on failure (`TypeError` if unhashable).
    ///
    /// # Safety
    /// GIL held; `obj` live.
    unsafe fn hash(obj: RawPtr) -> isize;
    /// `PyObject_IsTrue`: `1`, `0`, or `-1` with the error set.
    ///
    /// # Safety
    /// GIL held; `obj` live.
    unsafe fn is_true(obj: RawPtr) -> i32;
    /// `PyObject_Size`: `-1` with the error set on failure.
    ///
    /// # Safety
    /// GIL held; `obj` live.
    unsafe fn len(obj: RawPtr) -> isize;
    /// `PyObject_GetItem` (`obj[key]`).
    ///
    /// # Safety
    /// GIL held; both live.
    #[track_caller]
    unsafe fn get_item(obj: RawPtr, key: RawPtr) -> NewRef;
    /// `PyObject_SetItem` (`obj[key] = value`, increfs).
    ///
    /// # Safety
    /// GIL held; all live.
    unsafe fn set_item(obj: RawPtr, key: RawPtr, value: RawPtr) -> i32;
    /// `PyObject_GetIter`.
    ///
    /// # Safety
    /// GIL held; `obj` live.
    #[track_caller]
    unsafe fn get_iter(obj: RawPtr) -> NewRef;
    /// `PyIter_Next`: the next item, or `None` when exhausted (no error) or on error (set).
    ///
    /// # Safety
    /// GIL held; `iter` is an iterator.
    unsafe fn iter_next(iter: RawPtr) -> NewRef;

    // ----- errors -----------------------------------------------------------------------------
    // The builtin exception classes and the per-thread error indicator.

    /// The builtin exception class of `kind` (borrowed).
    ///
    /// # Safety
    /// GIL held.
    unsafe fn exception_type(kind: ExceptionKind) -> RawPtr;
    /// `PyErr_Occurred() != NULL`.
    ///
    /// # Safety
    /// GIL held.
    unsafe fn err_occurred() -> bool;
    /// Takes the current exception, normalized: new references to `(type, value, traceback)`;
    /// clears the indicator. `None` if no exception is set.
    ///
    /// # Safety
    /// GIL held.
    unsafe fn err_fetch() -> Option<(RawPtr, RawPtr, Option<RawPtr>)>;
    /// `PyErr_Restore`: steals all three and sets them as the current exception.
    ///
    /// # Safety
    /// GIL held; the caller owns the three references.
    unsafe fn err_restore(ty: RawPtr, value: RawPtr, traceback: Option<RawPtr>);
    /// `PyErr_SetObject` (increfs both).
    ///
    /// # Safety
    /// GIL held; `ty` is an exception class.
    unsafe fn err_set_object(ty: RawPtr, value: RawPtr);
    /// `PyErr_SetString` with a UTF-8 message.
    ///
    /// # Safety
    /// GIL held; `ty` is an exception class.
    unsafe fn err_set_str(ty: RawPtr, message: &str);
    /// `PyErr_GivenExceptionMatches(given, class)`.
    ///
    /// # Safety
    /// GIL held; both live.
    unsafe fn exception_matches(given: RawPtr, class: RawPtr) -> bool;

    // ----- modules and native functions -------------------------------------------------------
    // What an extension module is made of.

    /// `PyModule_New(name)`.
    ///
    /// # Safety
    /// GIL held.
    #[track_caller]
    unsafe fn module_new(name: &str) -> NewRef;
    /// `PyImport_ImportModule(name)`.
    ///
    /// # Safety
    /// GIL held.
    unsafe fn import(name: &str) -> NewRef;
    /// Wraps `function` into a callable object, a `builtin_function_or_method` whose
    /// `__module__` is `module` (a str; `None` when not given) and whose repr is
    /// `<built-in function name>`. Calls pass positional arguments and keywords as vectorcall
    /// does. The object owns `function` and drops it when freed. Generic rather than
    /// `Box<dyn RawFunction>`, so a C backend's entry point can be specialized per function and
    /// call it directly, with no virtual call per Python call.
    ///
    /// # Safety
    /// GIL held; `module`, if given, is a live str.
    #[track_caller]
    unsafe fn function_new<F: RawFunction>(function: F, module: Option<RawPtr>) -> NewRef;
    /// The module object an extension's `PyInit_<name>` returns. C backends create it from a
    /// module definition (the import machinery requires one); the default is [`Backend::module_new`].
    ///
    /// # Safety
    /// GIL held.
    #[track_caller]
    unsafe fn extension_module_new(name: &str) -> NewRef {
        // SAFETY: forwarded under the caller's guarantees.
        unsafe { Self::module_new(name) }
    }

    // ----- classes made at run time -----------------------------------------------------------

    /// `PyErr_NewExceptionWithDoc(name, doc, base, NULL)`: a new exception class deriving from
    /// `base`; `name` is `module.Class` (`SystemError` without the dot, `ValueError` for a NUL).
    ///
    /// # Safety
    /// GIL held; `base` is an exception class.
    #[track_caller]
    unsafe fn exception_new(name: &str, doc: Option<&str>, base: RawPtr) -> NewRef;
    /// A new class (a heap type deriving from `object`), its instances carrying a payload of class
    /// `C`, made as `def` says (no constructor: calling it raises `TypeError`); instances come from
    /// [`Backend::instance_new`] (also a Python subclass's); freeing one drops its payload once.
    ///
    /// # Safety
    /// GIL held; every entry came from this backend's [`Backend::entry`], of the kind its
    /// place in `def` calls for, for a method that accepts instances of this class.
    #[track_caller]
    unsafe fn class_new<C: RawClass>(def: RawClassDef) -> NewRef;
    /// The entry point on this backend calling `M` as `kind` says (method, constructor, slot...).
    fn entry<M: RawMethod>(kind: EntryKind) -> MethodEntry;
    /// A new instance of `class` with a zero-filled payload.
    ///
    /// # Safety
    /// GIL held; `class` was made by [`Backend::class_new`], or is a subclass of one.
    #[track_caller]
    unsafe fn instance_new(class: RawPtr) -> NewRef;
    /// The address of an instance's payload, valid while the instance lives.
    ///
    /// # Safety
    /// GIL held; `obj` is a live instance of a class made by `class_new::<C>`.
    unsafe fn instance_payload<C: RawClass>(obj: RawPtr) -> *mut u8;

    // ----- garbage collection -----------------------------------------------------------------
    // Optional: the default suits a backend with no cycle collector.

    /// Runs the interpreter's garbage collector and frees what it found unreachable before
    /// returning (`gc.collect()` on CPython; on PyPy also the C side of collected objects, which
    /// otherwise waits until Python code runs). `0`, or `-1` with the error set. The default does
    /// nothing, for a backend that frees every object when its count reaches zero and has no
    /// cycle collector.
    ///
    /// # Safety
    /// GIL held.
    unsafe fn collect_garbage() -> i32 {
        0
    }
}
