//! The functions anypy-pypy calls beyond `anypy-capi`'s list: compiling and running a line of
//! Python (PyPy frees the C side of collected objects when Python code runs, see
//! [`memory`](crate::memory)) and reporting an error that has no caller to go to.

use std::ffi::{c_char, c_int, c_void};

use anypy_capi::PyObject;

use crate::startup::Runtime;
use crate::symbols::SymbolError;

/// `Py_CompileStringFlags(source, filename, start, flags)`.
pub(crate) type CompileString =
    unsafe extern "C" fn(*const c_char, *const c_char, c_int, *mut c_void) -> *mut PyObject;
/// `PyEval_EvalCode(code, globals, locals)`.
pub(crate) type EvalCode =
    unsafe extern "C" fn(*mut PyObject, *mut PyObject, *mut PyObject) -> *mut PyObject;
/// `PyErr_WriteUnraisable(context)`.
pub(crate) type WriteUnraisable = unsafe extern "C" fn(*mut PyObject);
/// `PyObject_CallNoArgs(callable)`.
pub(crate) type CallNoArgs = unsafe extern "C" fn(*mut PyObject) -> *mut PyObject;
/// `PyObject_CallOneArg(callable, arg)`.
pub(crate) type CallOneArg = unsafe extern "C" fn(*mut PyObject, *mut PyObject) -> *mut PyObject;

/// `PyList_SET_ITEM(list, index, item)`: PyPy's `PyListObject` is opaque, so cpyext exports the
/// macros as functions.
pub(crate) type ListSetItem = unsafe extern "C" fn(*mut PyObject, isize, *mut PyObject);
/// `PyList_GET_ITEM(list, index)` (borrowed).
pub(crate) type ListGetItem = unsafe extern "C" fn(*mut PyObject, isize) -> *mut PyObject;
/// `PyList_GET_SIZE(list)`.
pub(crate) type ListGetSize = unsafe extern "C" fn(*mut PyObject) -> isize;

/// PyPy functions outside the shared list.
pub(crate) struct PyPyFunctions {
    pub(crate) compile_string: CompileString,
    pub(crate) eval_code: EvalCode,
    pub(crate) write_unraisable: WriteUnraisable,
    /// cpyext's `PyObject_Vectorcall` costs about 600 instructions more per call than these
    /// (callgrind, `benches/extension` case `call_n`), so calls with zero or one positional
    /// argument use them.
    pub(crate) call_no_args: CallNoArgs,
    pub(crate) call_one_arg: CallOneArg,
    /// The list macros, which skip the type and index checks that cpyext's `PyList_SetItem`,
    /// `PyList_GetItem` and `PyList_Size` make (about 10 instructions per item fewer: callgrind,
    /// `benches/extension` case `list_of_ints`), as a C extension's macros do on PyPy.
    pub(crate) list_set_item: ListSetItem,
    pub(crate) list_get_item: ListGetItem,
    pub(crate) list_get_size: ListGetSize,
}

impl PyPyFunctions {
    /// Looks the functions up; the first missing one is the error.
    pub(super) fn load(runtime: &Runtime) -> Result<PyPyFunctions, SymbolError> {
        let compile_string = runtime.lookup("Py_CompileStringFlags")?;
        let eval_code = runtime.lookup("PyEval_EvalCode")?;
        let write_unraisable = runtime.lookup("PyErr_WriteUnraisable")?;
        let call_no_args = runtime.lookup("PyObject_CallNoArgs")?;
        let call_one_arg = runtime.lookup("PyObject_CallOneArg")?;
        let list_set_item = runtime.lookup("PyList_SET_ITEM")?;
        let list_get_item = runtime.lookup("PyList_GET_ITEM")?;
        let list_get_size = runtime.lookup("PyList_GET_SIZE")?;
        // SAFETY: each address is cpyext's export of the function whose C prototype the type
        // spells (`Include/pythonrun.h`, `eval.h`, `pyerrors.h`, `pypy_decl.h` in PyPy's headers;
        // the list macros: `listobject.h` maps them onto these exports).
        unsafe {
            Ok(PyPyFunctions {
                compile_string: std::mem::transmute::<*mut c_void, CompileString>(compile_string),
                eval_code: std::mem::transmute::<*mut c_void, EvalCode>(eval_code),
                write_unraisable: std::mem::transmute::<*mut c_void, WriteUnraisable>(
                    write_unraisable,
                ),
                call_no_args: std::mem::transmute::<*mut c_void, CallNoArgs>(call_no_args),
                call_one_arg: std::mem::transmute::<*mut c_void, CallOneArg>(call_one_arg),
                list_set_item: std::mem::transmute::<*mut c_void, ListSetItem>(list_set_item),
                list_get_item: std::mem::transmute::<*mut c_void, ListGetItem>(list_get_item),
                list_get_size: std::mem::transmute::<*mut c_void, ListGetSize>(list_get_size),
            })
        }
    }
}
