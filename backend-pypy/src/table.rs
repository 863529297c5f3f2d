//! The C-API table: every function and data symbol of `anypy-capi`'s lists, looked up once in
//! libpypy (or the host process) after start-up and kept for the life of the process.
//!
//! Reaching it costs one load and a predictable branch ([`table`]). Using it before
//! [`initialize`] succeeded is a contract violation of the caller (every C-API call needs the
//! GIL, and anypy only takes the GIL after a successful `initialize`); it panics with a message
//! saying so, on a cold path, instead of calling through an unset pointer.

mod functions;
mod pypy_only;
mod statics;

use std::ptr;

use anypy::BackendError;
use anypy_capi::{CApiFunctions, PyObject};
use once_cell::sync::OnceCell;

use crate::startup::{self, Runtime};
use crate::symbols::SymbolError;
use crate::{PyPyApi, BACKEND_NAME};

use functions::Functions;
use pypy_only::PyPyFunctions;
use statics::Statics;

/// The looked-up C-API: functions to call, data symbols to read.
pub(crate) struct Table {
    pub(crate) functions: Functions,
    pub(crate) statics: Statics,
    pub(crate) pypy: PyPyFunctions,
}

static TABLE: OnceCell<Table> = OnceCell::new();

impl Table {
    /// Looks up every symbol; the first missing one is the error (nothing is called meanwhile).
    fn load(runtime: &Runtime) -> Result<Table, SymbolError> {
        Ok(Table {
            functions: Functions::load(runtime)?,
            statics: Statics::load(runtime)?,
            pypy: PyPyFunctions::load(runtime)?,
        })
    }
}

/// The loaded table.
///
/// # Panics
/// If [`initialize`] has not succeeded yet (a caller broke the "GIL held" contract).
#[inline(always)]
pub(crate) fn table() -> &'static Table {
    match TABLE.get() {
        Some(table) => table,
        None => used_before_initialization(),
    }
}

/// [`CApi::call_positional`](anypy_capi::CApi::call_positional) on PyPy: cpyext's cheaper
/// entries for zero and one argument, `PyObject_Vectorcall` for more.
///
/// # Safety
/// GIL held; `callable` and every argument live.
#[inline(always)]
pub(crate) unsafe fn call_positional(
    callable: *mut PyObject,
    args: &[*mut PyObject],
) -> *mut PyObject {
    let table = table();
    // SAFETY: GIL held, live arguments (caller); each entry is cpyext's function of that type.
    unsafe {
        match *args {
            [] => (table.pypy.call_no_args)(callable),
            [arg] => (table.pypy.call_one_arg)(callable, arg),
            _ => PyPyApi::PyObject_Vectorcall(callable, args.as_ptr(), args.len(), ptr::null_mut()),
        }
    }
}

#[cold]
#[inline(never)]
fn used_before_initialization() -> ! {
    panic!(
        "anypy-pypy: a PyPy C-API function was called before the backend was initialized; \
         enter through Python::<PyPy>::with_gil (or try_with_gil), which starts PyPy and loads \
         its C-API first"
    )
}

/// Starts or reaches PyPy (once per process, see [`startup::runtime`]) and loads the table;
/// one load when already done. The error names every place searched for libpypy, the failed
/// start-up step, or the missing symbol and the spellings tried.
#[inline]
pub(crate) fn initialize() -> Result<(), BackendError> {
    match TABLE.get() {
        Some(_) => Ok(()),
        None => initialize_with(startup::runtime),
    }
}

/// [`initialize`] with the runtime obtained by `runtime` (an explicit search, in tests).
#[cold]
pub(crate) fn initialize_with(
    runtime: impl FnOnce() -> Result<&'static Runtime, startup::StartupError>,
) -> Result<(), BackendError> {
    TABLE
        .get_or_try_init(|| {
            let runtime = runtime().map_err(|error| backend_error(error.to_string()))?;
            Table::load(runtime).map_err(|error| {
                backend_error(format!(
                    "PyPy is running, but its C-API lacks a symbol anypy needs: {error}"
                ))
            })
        })
        .map(|_| ())
}

fn backend_error(message: String) -> BackendError {
    BackendError {
        backend: BACKEND_NAME,
        message,
    }
}
