//! Why PyPy could not be started: no library, an unusable home, a missing start-up symbol, or a
//! start-up step that reported failure. Cloned to every caller, since start-up runs only once.

use std::fmt;
use std::path::PathBuf;

use crate::library::{FindError, HomeError, LibraryError};
use crate::symbols::SymbolError;

/// PyPy could not be started (or reached, in extension mode).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StartupError {
    /// Built with the `extension-module` feature (never open libpypy), but this process is not
    /// PyPy: the module was loaded by something else.
    NotInHost,
    /// No usable libpypy; lists every place tried.
    NotFound(LibraryError),
    /// The explicitly given home is unusable.
    Home(HomeError),
    /// The library lacks a start-up entry point.
    Symbol(SymbolError),
    /// `pypy_setup_home` returned non-zero: no standard library was found from `home` upward.
    SetupHome {
        /// The directory passed.
        home: PathBuf,
        /// The value returned.
        code: i32,
    },
    /// `import cpyext` failed (its traceback went to stderr), so the C-API's static type and
    /// exception objects are not initialized and must not be used.
    Cpyext {
        /// The value `pypy_execute_source` returned.
        code: i32,
    },
}

impl fmt::Display for StartupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StartupError::NotInHost => f.write_str(
                "anypy-pypy was built with the `extension-module` feature, so it only uses the \
                 PyPy that loads it, but this process has no PyPy C-API (PyPyLong_FromLong not \
                 found); import the module from pypy3, or build without the feature to embed PyPy",
            ),
            StartupError::NotFound(error) => error.fmt(f),
            StartupError::Home(error) => error.fmt(f),
            StartupError::Symbol(error) => write!(f, "cannot start PyPy: {error}"),
            StartupError::SetupHome { home, code } => write!(
                f,
                "pypy_setup_home({}) returned {code}: PyPy's standard library was not found \
                 there or above; set ANYPY_PYPY_HOME to the directory holding os.py",
                home.display()
            ),
            StartupError::Cpyext { code } => write!(
                f,
                "PyPy started, but `import cpyext` failed (pypy_execute_source returned {code}; \
                 the traceback is on stderr)"
            ),
        }
    }
}

impl std::error::Error for StartupError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StartupError::NotFound(error) => Some(error),
            StartupError::Home(error) => Some(error),
            StartupError::Symbol(error) => Some(error),
            StartupError::NotInHost
            | StartupError::SetupHome { .. }
            | StartupError::Cpyext { .. } => None,
        }
    }
}

impl From<FindError> for StartupError {
    fn from(error: FindError) -> StartupError {
        match error {
            FindError::Library(error) => StartupError::NotFound(error),
            FindError::Home(error) => StartupError::Home(error),
        }
    }
}

impl From<SymbolError> for StartupError {
    fn from(error: SymbolError) -> StartupError {
        StartupError::Symbol(error)
    }
}
