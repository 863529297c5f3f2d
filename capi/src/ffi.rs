//! C declarations of the few structures anypy builds or reads itself; everything else stays
//! opaque behind C-API functions. Layout differences between implementations are constants of
//! [`CApi`](crate::CApi).

use std::ffi::{c_char, c_int, c_void};

/// The start of every Python object: `ob_refcnt` is at offset 0 on CPython and PyPy alike. The
/// type pointer's offset differs (see [`CApi::OB_TYPE_OFFSET`](crate::CApi::OB_TYPE_OFFSET)).
#[repr(C)]
pub struct PyObject {
    /// The reference count (PyPy adds a large flag for objects its GC owns).
    pub ob_refcnt: isize,
}

/// `PyCFunction` with `METH_FASTCALL | METH_KEYWORDS`: `(self, args, nargsf, kwnames)`.
pub type FastCallKeywordsFunction = unsafe extern "C" fn(
    slf: *mut PyObject,
    args: *const *mut PyObject,
    nargsf: isize,
    kwnames: *mut PyObject,
) -> *mut PyObject;

/// `PyCFunction` with `METH_NOARGS`: `(self, NULL)`.
pub type NoArgsFunction =
    unsafe extern "C" fn(slf: *mut PyObject, unused: *mut PyObject) -> *mut PyObject;

/// `freefunc`, a module definition's `m_free`.
pub type FreeFunction = unsafe extern "C" fn(module: *mut c_void);

/// `PyCapsule_Destructor`.
pub type CapsuleDestructor = unsafe extern "C" fn(capsule: *mut PyObject);

/// `PyMethodDef`: the same layout on CPython and PyPy.
#[repr(C)]
pub struct PyMethodDef {
    /// `ml_name`.
    pub ml_name: *const c_char,
    /// `ml_meth`: a [`FastCallKeywordsFunction`], a [`NoArgsFunction`] or another
    /// `PyCFunction`, which the interpreter calls according to `ml_flags`.
    pub ml_meth: *const c_void,
    /// `ml_flags`.
    pub ml_flags: c_int,
    /// `ml_doc`.
    pub ml_doc: *const c_char,
}

/// `METH_FASTCALL`: positional arguments as a C array, no tuple built per call.
pub const METH_FASTCALL: c_int = 0x0080;

/// `METH_KEYWORDS`: with `METH_FASTCALL`, keywords as a `kwnames` tuple beside the array.
pub const METH_KEYWORDS: c_int = 0x0002;

/// `METH_NOARGS`: no arguments (the interpreter rejects any).
pub const METH_NOARGS: c_int = 0x0004;

/// `METH_O`: exactly one argument, passed as the second parameter (the interpreter rejects
/// other counts).
pub const METH_O: c_int = 0x0008;

/// `Py_TPFLAGS_LONG_SUBCLASS` and friends: bits of `tp_flags` that make the type checks of the
/// builtin types one load and one test.
pub mod tp_flags {
    /// `int` and its subclasses (`bool` included).
    pub const LONG_SUBCLASS: u64 = 1 << 24;
    /// `list` and its subclasses.
    pub const LIST_SUBCLASS: u64 = 1 << 25;
    /// `tuple` and its subclasses.
    pub const TUPLE_SUBCLASS: u64 = 1 << 26;
    /// `bytes` and its subclasses.
    pub const BYTES_SUBCLASS: u64 = 1 << 27;
    /// `str` and its subclasses.
    pub const UNICODE_SUBCLASS: u64 = 1 << 28;
    /// `dict` and its subclasses.
    pub const DICT_SUBCLASS: u64 = 1 << 29;
    /// `BaseException` and its subclasses.
    pub const BASE_EXC_SUBCLASS: u64 = 1 << 30;
    /// `type` and its subclasses.
    pub const TYPE_SUBCLASS: u64 = 1 << 31;
}

/// An opaque C symbol whose address is all anypy needs (`_Py_NoneStruct`, `PyFloat_Type`).
#[repr(C)]
pub struct OpaqueStatic {
    _opaque: [u8; 0],
    _pinned: core::marker::PhantomData<(*mut c_void, core::marker::PhantomPinned)>,
}
