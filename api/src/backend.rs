//! The `Backend` trait: the one seam between anypy's safe API and a Python implementation.
//!
//! Every operation is an associated function over opaque raw pointers, modelled on the C-API
//! (new vs. borrowed references, a per-thread error indicator, `NULL`/`-1` on error), so a C
//! backend is a thin layer of direct calls and the mock reproduces the same contract in Rust.

use std::ffi::c_void;
use std::ptr::NonNull;

use crate::state::BackendState;

/// An opaque Python object. Each backend casts pointers to its own layout (or, for the mock,
/// decodes them); the API layer never dereferences one.
#[repr(C)]
pub struct RawObject {
    _opaque: [u8; 0],
    _not_send_sync_unpin: core::marker::PhantomData<(*mut u8, core::marker::PhantomPinned)>,
}

/// A non-null pointer to a Python object.
pub type RawPtr = NonNull<RawObject>;

/// A new (owned) reference, or `None` with the thread's error indicator set.
pub type NewRef = Option<RawPtr>;

/// The builtin types that have a dedicated type check (`PyDict_Check` and friends).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BuiltinType {
    /// `NoneType`
    None,
    /// `bool`
    Bool,
    /// `int` (and subclasses, `bool` included)
    Int,
    /// `float`
    Float,
    /// `str`
    Str,
    /// `bytes`
    Bytes,
    /// `tuple`
    Tuple,
    /// `list`
    List,
    /// `dict`
    Dict,
    /// `set`
    Set,
    /// `frozenset`
    FrozenSet,
    /// `module`
    Module,
    /// `BaseException` instances
    BaseException,
}

/// The builtin exception classes anypy names. Each backend maps a kind to its type object.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[allow(missing_docs)] // each variant is the Python class of the same name
pub enum ExceptionKind {
    BaseException,
    Exception,
    ArithmeticError,
    LookupError,
    TypeError,
    ValueError,
    OverflowError,
    ZeroDivisionError,
    KeyError,
    IndexError,
    AttributeError,
    RuntimeError,
    NotImplementedError,
    MemoryError,
    StopIteration,
    SystemError,
    ImportError,
    OSError,
}

impl ExceptionKind {
    /// Every kind, most specific first: the first one an exception matches is its closest kind.
    pub const MOST_SPECIFIC_FIRST: [ExceptionKind; 18] = [
        ExceptionKind::OverflowError,
        ExceptionKind::ZeroDivisionError,
        ExceptionKind::KeyError,
        ExceptionKind::IndexError,
        ExceptionKind::NotImplementedError,
        ExceptionKind::TypeError,
        ExceptionKind::ValueError,
        ExceptionKind::AttributeError,
        ExceptionKind::MemoryError,
        ExceptionKind::StopIteration,
        ExceptionKind::SystemError,
        ExceptionKind::ImportError,
        ExceptionKind::OSError,
        ExceptionKind::RuntimeError,
        ExceptionKind::ArithmeticError,
        ExceptionKind::LookupError,
        ExceptionKind::Exception,
        ExceptionKind::BaseException,
    ];

    /// The Python name of the class, e.g. `"TypeError"`.
    pub fn name(self) -> &'static str {
        match self {
            ExceptionKind::BaseException => "BaseException",
            ExceptionKind::Exception => "Exception",
            ExceptionKind::ArithmeticError => "ArithmeticError",
            ExceptionKind::LookupError => "LookupError",
            ExceptionKind::TypeError => "TypeError",
            ExceptionKind::ValueError => "ValueError",
            ExceptionKind::OverflowError => "OverflowError",
            ExceptionKind::ZeroDivisionError => "ZeroDivisionError",
            ExceptionKind::KeyError => "KeyError",
            ExceptionKind::IndexError => "IndexError",
            ExceptionKind::AttributeError => "AttributeError",
            ExceptionKind::RuntimeError => "RuntimeError",
            ExceptionKind::NotImplementedError => "NotImplementedError",
            ExceptionKind::MemoryError => "MemoryError",
            ExceptionKind::StopIteration => "StopIteration",
            ExceptionKind::SystemError => "SystemError",
            ExceptionKind::ImportError => "ImportError",
            ExceptionKind::OSError => "OSError",
        }
    }

    /// The direct base class, `None` for `BaseException` (Python's builtin hierarchy).
    pub fn base(self) -> Option<ExceptionKind> {
        use ExceptionKind::*;
        match self {
            BaseException => None,
            Exception => Some(BaseException),
            ArithmeticError | LookupError | TypeError | ValueError | AttributeError
            | RuntimeError | MemoryError | StopIteration | SystemError | ImportError | OSError => {
                Some(Exception)
            }
            OverflowError | ZeroDivisionError => Some(ArithmeticError),
            KeyError | IndexError => Some(LookupError),
            NotImplementedError => Some(RuntimeError),
        }
    }
}

/// Rich comparison operators, numbered as CPython's `Py_LT` .. `Py_GE`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(i32)]
pub enum CompareOp {
    /// `<`
    Lt = 0,
    /// `<=`
    Le = 1,
    /// `==`
    Eq = 2,
    /// `!=`
    Ne = 3,
    /// `>`
    Gt = 4,
    /// `>=`
    Ge = 5,
}

/// The binary integer operators anypy uses to build and split wide ints, as the C-API's
/// `PyNumber_And`, `PyNumber_Or`, `PyNumber_Lshift` and `PyNumber_Rshift`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NumberOp {
    /// `a & b`
    And,
    /// `a | b`
    Or,
    /// `a << b`
    Lshift,
    /// `a >> b`
    Rshift,
}

/// What `gil_ensure` returned, handed back to `gil_release` (CPython's `PyGILState_STATE`).
#[derive(Clone, Copy, Debug)]
pub struct RawGilState(pub i32);

/// What `save_thread` returned, handed back to `restore_thread` (CPython's `PyThreadState *`).
#[derive(Clone, Copy, Debug)]
pub struct RawThreadState(pub *mut c_void);

/// A native function as a backend sees it: a name, a docstring and a call with positional
/// arguments. anypy's typed handlers implement it; a backend wraps it in a callable object
/// (a `PyCFunction` with `METH_FASTCALL` on C backends) and drops it when that object dies.
pub trait RawFunction: Send + Sync + 'static {
    /// The function's `__name__`.
    fn name(&self) -> &str;
    /// The function's docstring (may be empty).
    fn doc(&self) -> &str;
    /// Calls the function with borrowed positional arguments.
    ///
    /// # Safety
    /// The GIL is held and every pointer in `args` is a live object. Returns a new reference,
    /// or `None` with the error indicator set. Never unwinds.
    unsafe fn call(&self, args: &[RawPtr]) -> NewRef;
}

/// Why a backend could not start or be reached: names what was looked for and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackendError {
    /// The backend's name, e.g. `"pypy"`.
    pub backend: &'static str,
    /// What went wrong, including what was looked for and where.
    pub message: String,
}

impl std::fmt::Display for BackendError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "anypy backend `{}`: {}", self.backend, self.message)
    }
}

impl std::error::Error for BackendError {}

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
pub unsafe trait Backend: Sized + 'static {
    /// A short lower-case name: `"mock"`, `"cpython"`, `"pypy"`.
    const NAME: &'static str;

    // ----- per-backend state ------------------------------------------------------------------

    /// The process-wide state: the deferred-release queue.
    fn state() -> &'static BackendState;
    /// How many times this thread holds this backend's GIL through anypy (0: not held).
    fn gil_count() -> &'static std::thread::LocalKey<std::cell::Cell<usize>>;

    // ----- lifecycle and GIL ------------------------------------------------------------------

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

    /// `None` (borrowed).
    ///
    /// # Safety
    /// GIL held.
    unsafe fn none() -> RawPtr;
    /// `True` or `False` (borrowed).
    ///
    /// # Safety
    /// GIL held.
    unsafe fn bool_from(value: bool) -> RawPtr;
    /// `PyLong_FromLongLong`.
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

    // ----- set and frozenset ------------------------------------------------------------------

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

    // ----- numbers, paths, interned names -----------------------------------------------------

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
    /// `PyUnicode_InternFromString`: the interned `str` equal to `value`, which lives as long
    /// as the interpreter (a new reference).
    ///
    /// # Safety
    /// GIL held.
    unsafe fn str_intern(value: &str) -> NewRef;

    // ----- object protocol --------------------------------------------------------------------

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
    /// Wraps `function` into a callable object that takes positional arguments only
    /// (keyword arguments raise `TypeError`). The object owns `function` and drops it when freed.
    /// Generic rather than `Box<dyn RawFunction>`, so a C backend's entry point can be
    /// specialized per function and call it directly, with no virtual call per Python call.
    ///
    /// # Safety
    /// GIL held.
    #[track_caller]
    unsafe fn function_new<F: RawFunction>(function: F) -> NewRef;
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

    // ----- garbage collection -----------------------------------------------------------------

    /// Runs the interpreter's garbage collector and frees what it found unreachable before
    /// returning (`gc.collect()` on CPython; on PyPy also the C side of collected objects, which
    /// otherwise waits until Python code runs). `0`, or `-1` with the error set. The default does
    /// nothing, for a backend that frees every object when its count reaches zero and has no
    /// cycle collector (the mock).
    ///
    /// # Safety
    /// GIL held.
    unsafe fn collect_garbage() -> i32 {
        0
    }
}
