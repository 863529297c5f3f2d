//! The C-API table: every function and data symbol of `anypy-capi`'s lists, looked up once in
//! libpypy (or the host process) after start-up and kept for the life of the process.
//!
//! Reaching it costs nothing beyond the load of the pointer called ([`table`]): every C-API call
//! needs the GIL, and anypy hands out the GIL only after a successful [`initialize`], so a
//! caller holding it finds the table loaded. Debug builds check this anyway, as the standard
//! library checks `unsafe` preconditions in debug builds: a call made before `initialize`
//! (outside the contract) panics with a message saying so instead of calling through an unset
//! pointer. The release build had the check too, one load, compare and branch per C call: 12
//! of the 79 instructions anypy spent per 3-tuple made and dropped (callgrind,
//! `benches/extension` case `tuples`), and, as a call that might unwind, it kept a tuple's
//! fill count in memory rather than in a register.

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
/// # Safety
/// [`initialize`] has succeeded: the caller holds the GIL, which anypy hands out only then.
/// Debug builds check it and panic (see the module documentation).
#[inline(always)]
pub(crate) unsafe fn table() -> &'static Table {
    #[cfg(debug_assertions)]
    if TABLE.get().is_none() {
        used_before_initialization()
    }
    // SAFETY: initialized (caller), and never reset.
    unsafe { TABLE.get_unchecked() }
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
    // SAFETY: GIL held (caller), so the table is loaded.
    let table = unsafe { table() };
    // SAFETY: GIL held, live arguments (caller); each entry is cpyext's function of that type.
    unsafe {
        match *args {
            [] => (table.pypy.call_no_args)(callable),
            [arg] => (table.pypy.call_one_arg)(callable, arg),
            _ => PyPyApi::PyObject_Vectorcall(callable, args.as_ptr(), args.len(), ptr::null_mut()),
        }
    }
}

#[cfg(debug_assertions)]
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
