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
}

impl PyPyFunctions {
    /// Looks the functions up; the first missing one is the error.
    pub(super) fn load(runtime: &Runtime) -> Result<PyPyFunctions, SymbolError> {
        let compile_string = runtime.lookup("Py_CompileStringFlags")?;
        let eval_code = runtime.lookup("PyEval_EvalCode")?;
        let write_unraisable = runtime.lookup("PyErr_WriteUnraisable")?;
        let call_no_args = runtime.lookup("PyObject_CallNoArgs")?;
        let call_one_arg = runtime.lookup("PyObject_CallOneArg")?;
        // SAFETY: each address is cpyext's export of the function whose C prototype the type
        // spells (`Include/pythonrun.h`, `eval.h`, `pyerrors.h`, `pypy_decl.h` in PyPy's headers).
        unsafe {
            Ok(PyPyFunctions {
                compile_string: std::mem::transmute::<*mut c_void, CompileString>(compile_string),
                eval_code: std::mem::transmute::<*mut c_void, EvalCode>(eval_code),
                write_unraisable: std::mem::transmute::<*mut c_void, WriteUnraisable>(
                    write_unraisable,
                ),
                call_no_args: std::mem::transmute::<*mut c_void, CallNoArgs>(call_no_args),
                call_one_arg: std::mem::transmute::<*mut c_void, CallOneArg>(call_one_arg),
            })
        }
    }
}
