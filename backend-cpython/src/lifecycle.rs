//! Starting and ending the interpreter. Embedding: the first `Python::with_gil` starts CPython
//! and gives the GIL back, so any thread can then take it; [`finalize`] ends it for good.
//! Extension module: the importing interpreter is already running; anypy only checks that.

use std::ffi::c_int;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Mutex;

use anypy::{Backend, BackendError, Python};

use crate::CPython;

extern "C" {
    fn Py_IsInitialized() -> c_int;
    #[cfg(not(feature = "extension-module"))]
    fn Py_InitializeEx(install_signal_handlers: c_int);
    #[cfg(not(feature = "extension-module"))]
    fn Py_FinalizeEx() -> c_int;
}

const NOT_STARTED: u8 = 0;
const RUNNING: u8 = 1;
const FINALIZED: u8 = 2;

/// Where the interpreter is in its life, as far as anypy knows. Read on every outermost
/// `with_gil` (one load); written under [`LIFECYCLE`].
static PHASE: AtomicU8 = AtomicU8::new(NOT_STARTED);
/// Serializes start-up and finalization.
static LIFECYCLE: Mutex<()> = Mutex::new(());

fn error(message: impl Into<String>) -> BackendError {
    BackendError {
        backend: CPython::NAME,
        message: message.into(),
    }
}

fn finalized_error() -> BackendError {
    error("the interpreter was finalized by anypy_cpython::finalize and cannot be used again in this process")
}

/// Makes the interpreter usable from any thread through `PyGILState_Ensure`.
#[inline]
pub(crate) fn initialize() -> Result<(), BackendError> {
    match PHASE.load(Ordering::Acquire) {
        RUNNING => Ok(()),
        _ => initialize_slow(),
    }
}

#[cold]
fn initialize_slow() -> Result<(), BackendError> {
    let _lifecycle = LIFECYCLE
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    match PHASE.load(Ordering::Acquire) {
        RUNNING => return Ok(()),
        FINALIZED => return Err(finalized_error()),
        _ => {}
    }
    // SAFETY: `Py_IsInitialized` may be called at any time, before start-up included.
    if unsafe { Py_IsInitialized() } == 0 {
        start()?;
    }
    PHASE.store(RUNNING, Ordering::Release);
    Ok(())
}

/// Starts the embedded interpreter and releases the GIL it leaves held.
#[cfg(not(feature = "extension-module"))]
fn start() -> Result<(), BackendError> {
    // SAFETY: the interpreter is not running (checked under the lifecycle lock). Signal
    // handlers stay the host program's. Start-up leaves this thread holding the GIL, which
    // `PyEval_SaveThread` gives up; `PyGILState_Ensure` on this thread later finds the saved
    // thread state again.
    unsafe {
        Py_InitializeEx(0);
        <CPython as Backend>::save_thread();
    }
    Ok(())
}

#[cfg(feature = "extension-module")]
fn start() -> Result<(), BackendError> {
    Err(error(
        "no Python interpreter is running in this process: anypy-cpython was built with the \
         `extension-module` feature, which links nothing and expects to be imported by CPython; \
         build without it to embed the interpreter",
    ))
}

/// Ends the embedded interpreter: releases what is queued while the interpreter still lives,
/// then runs `Py_FinalizeEx`. Afterwards `Python::<CPython>::with_gil` panics (and
/// `try_with_gil` returns) with an error saying the interpreter was finalized, and `Py` handles
/// dropped later are forgotten instead of being released into a dead interpreter.
///
/// Does nothing if anypy never started the interpreter. Returns an error when called while
/// this thread holds the GIL through anypy, or in extension-module mode (the importing
/// interpreter is not ours to end).
///
/// # Safety
/// No other thread may be using the interpreter (inside `with_gil` or `allow_threads`), now or
/// later; call it from the thread that started the interpreter, as CPython requires.
pub unsafe fn finalize() -> Result<(), BackendError> {
    if cfg!(feature = "extension-module") {
        return Err(error(
            "finalize is for embedding: an extension module does not end the interpreter that imported it",
        ));
    }
    if CPython::gil_count().with(|count| count.get()) > 0 {
        return Err(error(
            "finalize was called inside Python::with_gil; call it after every GIL scope has ended",
        ));
    }
    let _lifecycle = LIFECYCLE
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if PHASE.load(Ordering::Acquire) != RUNNING {
        return Ok(());
    }
    // Acquiring drains the release queue while the interpreter can still run `__del__`.
    Python::<CPython>::with_gil(|_| ());
    CPython::state().mark_finalized();
    PHASE.store(FINALIZED, Ordering::Release);
    finalize_interpreter()
}

#[cfg(not(feature = "extension-module"))]
fn finalize_interpreter() -> Result<(), BackendError> {
    // SAFETY: the interpreter runs and no other thread uses it (caller's contract); the thread
    // takes the GIL, which `Py_FinalizeEx` requires and never gives back.
    let status = unsafe {
        <CPython as Backend>::gil_ensure();
        Py_FinalizeEx()
    };
    match status {
        0 => Ok(()),
        _ => Err(error(
            "Py_FinalizeEx reported an error while flushing buffered data (the interpreter is finalized)",
        )),
    }
}

#[cfg(feature = "extension-module")]
fn finalize_interpreter() -> Result<(), BackendError> {
    unreachable!("finalize returns early in extension-module mode")
}
