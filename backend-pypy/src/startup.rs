//! Starting PyPy once per process. In extension mode (PyPy is running and imported us) the
//! process's own symbols are used and nothing is started; otherwise libpypy is found, opened and
//! started: `rpython_startup_code`, `pypy_setup_home(home, 1)`, `pypy_init_threads`, then
//! `import cpyext`, without which cpyext's static type and exception objects are all zeros.
//!
//! Afterwards the calling thread does not hold the GIL (`PyGILState_Check` is 0), so any thread,
//! this one included, enters with `PyGILState_Ensure`. Do not call `PyEval_SaveThread` after
//! start-up: without the GIL, PyPy aborts the process ("GIL not held when a CPython C extension
//! module calls 'PyEval_SaveThread'").

mod error;

use std::ffi::{c_char, c_int, c_void, CString};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use once_cell::sync::OnceCell;

use crate::library::{self, Home, HomeError, LoadedLibrary, Search};
use crate::symbols::{self, SymbolError};

pub use error::StartupError;

/// How this process reaches PyPy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mode {
    /// PyPy was already running (we are an extension module it imported); nothing was started.
    Extension,
    /// This crate opened libpypy and started it with this home.
    Embedded(Home),
}

/// A running PyPy: the library its symbols come from and how it was reached.
#[derive(Debug)]
pub struct Runtime {
    library: LoadedLibrary,
    mode: Mode,
}

impl Runtime {
    /// The library (or process) the C-API symbols come from.
    pub fn library(&self) -> &LoadedLibrary {
        &self.library
    }

    /// Whether PyPy was found running or started by us.
    pub fn mode(&self) -> &Mode {
        &self.mode
    }

    /// Looks up the C-API symbol `c_name` under its PyPy spellings (see [`symbols::lookup`]).
    pub fn lookup(&self, c_name: &str) -> Result<*mut c_void, SymbolError> {
        symbols::lookup(&self.library, c_name)
    }
}

static RUNTIME: OnceCell<Result<Runtime, StartupError>> = OnceCell::new();

/// The process's PyPy, reached or started on first use with [`Search::from_env`]. Start-up runs
/// at most once; every later call returns the same runtime or the same error.
pub fn runtime() -> Result<&'static Runtime, StartupError> {
    outcome(|| start(&Search::from_env()))
}

/// Like [`runtime`], with an explicit search. Only the first call of either in a process
/// decides; later calls return that outcome whatever search they pass.
pub fn runtime_with(search: &Search) -> Result<&'static Runtime, StartupError> {
    outcome(|| start(search))
}

/// The once-per-process outcome, computing it with `start` if this is the first call.
fn outcome(
    start: impl FnOnce() -> Result<Runtime, StartupError>,
) -> Result<&'static Runtime, StartupError> {
    RUNTIME.get_or_init(start).as_ref().map_err(Clone::clone)
}

/// Reaches the running PyPy, or finds, opens and starts one.
fn start(search: &Search) -> Result<Runtime, StartupError> {
    if let Some(library) = library::pypy_in_host() {
        return Ok(Runtime {
            library: library.clone(),
            mode: Mode::Extension,
        });
    }
    if cfg!(feature = "extension-module") {
        return Err(StartupError::NotInHost);
    }
    let installation = library::find(search)?;
    start_embedded(&installation.library, &installation.home.path)?;
    Ok(Runtime {
        library: installation.library,
        mode: Mode::Embedded(installation.home),
    })
}

/// Runs PyPy's embedding start-up sequence on a freshly opened libpypy. Every entry point is
/// looked up before the first is called, so a missing one leaves PyPy untouched.
fn start_embedded(library: &LoadedLibrary, home: &Path) -> Result<(), StartupError> {
    let home_c = CString::new(home.as_os_str().as_bytes()).map_err(|_| {
        StartupError::Home(HomeError {
            path: home.to_owned(),
        })
    })?;
    let startup = symbols::lookup(library, "rpython_startup_code")?;
    let setup_home = symbols::lookup(library, "pypy_setup_home")?;
    let init_threads = symbols::lookup(library, "pypy_init_threads")?;
    let execute_source = symbols::lookup(library, "pypy_execute_source")?;
    // SAFETY: `rpython_startup_code` is declared `void rpython_startup_code(void)`.
    let startup: unsafe extern "C" fn() = unsafe { std::mem::transmute(startup) };
    // SAFETY: `pypy_setup_home` is declared `int pypy_setup_home(char *home, int verbose)`.
    let setup_home: unsafe extern "C" fn(*const c_char, c_int) -> c_int =
        unsafe { std::mem::transmute(setup_home) };
    // SAFETY: `pypy_init_threads` is declared `void pypy_init_threads(void)`.
    let init_threads: unsafe extern "C" fn() = unsafe { std::mem::transmute(init_threads) };
    // SAFETY: `pypy_execute_source` is declared `int pypy_execute_source(char *source)`.
    let execute_source: unsafe extern "C" fn(*const c_char) -> c_int =
        unsafe { std::mem::transmute(execute_source) };
    // SAFETY: the first call into a fresh libpypy, made once (under the process-wide once-cell).
    unsafe { startup() };
    // SAFETY: runs after `rpython_startup_code`; `home_c` is NUL-terminated and outlives the call.
    let code = unsafe { setup_home(home_c.as_ptr(), 1) };
    if code != 0 {
        return Err(StartupError::SetupHome {
            home: home.to_owned(),
            code,
        });
    }
    // SAFETY: PyPy's space is set up; this enables the GIL for multi-threaded use.
    unsafe { init_threads() };
    // SAFETY: a NUL-terminated source string; PyPy takes the GIL for the call itself.
    let code = unsafe { execute_source(c"import cpyext".as_ptr()) };
    if code != 0 {
        return Err(StartupError::Cpyext { code });
    }
    Ok(())
}
