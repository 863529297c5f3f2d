//! The errors of the search: every place tried for the library, in order, and why it failed,
//! so that a missing or broken PyPy installation is diagnosed from the message alone.

use std::fmt;
use std::path::PathBuf;

/// Which part of the search an [`Attempt`] belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The path given by the `ANYPY_PYPY_LIB` environment variable (or its explicit stand-in).
    Explicit,
    /// A path reported by, or the attempt to run, this `pypy3` program.
    Interpreter(PathBuf),
    /// A system location matched by this pattern (`*` stands for any part of one name).
    System(String),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Explicit => f.write_str("ANYPY_PYPY_LIB"),
            Origin::Interpreter(program) => write!(f, "asking `{}`", program.display()),
            Origin::System(pattern) => write!(f, "system location {pattern}"),
        }
    }
}

/// One place the search looked at and the reason it did not give a usable libpypy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attempt {
    /// The part of the search this place came from.
    pub origin: Origin,
    /// The candidate file, when the failure concerns one (absent when, e.g., `pypy3` could not
    /// be run or a pattern matched nothing).
    pub path: Option<PathBuf>,
    /// Why this place failed, in words.
    pub reason: String,
}

impl fmt::Display for Attempt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.path {
            Some(path) => write!(f, "{} -> {}: {}", self.origin, path.display(), self.reason),
            None => write!(f, "{}: {}", self.origin, self.reason),
        }
    }
}

/// libpypy could not be found or opened; lists every place tried, in search order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LibraryError {
    /// The places tried, first to last.
    pub attempts: Vec<Attempt>,
}

impl fmt::Display for LibraryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "could not open libpypy; places tried:")?;
        if self.attempts.is_empty() {
            write!(f, " none (the search was empty)")?;
        }
        for (number, attempt) in self.attempts.iter().enumerate() {
            write!(f, "\n  {}. {attempt}", number + 1)?;
        }
        if self
            .attempts
            .iter()
            .any(|attempt| attempt.origin == Origin::Explicit)
        {
            write!(
                f,
                "\nANYPY_PYPY_LIB is set, so no other place was searched; fix or unset it."
            )
        } else {
            write!(
                f,
                "\nSet ANYPY_PYPY_LIB to the path of libpypy3.*-c.so, put `pypy3` on PATH, \
                 or install PyPy (scripts/install-pypy)."
            )
        }
    }
}

impl std::error::Error for LibraryError {}

/// An explicitly given home is not a usable directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HomeError {
    /// The path that was given.
    pub path: PathBuf,
}

impl fmt::Display for HomeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "ANYPY_PYPY_HOME={} is not a directory; point it at PyPy's standard library \
             (the directory holding os.py, e.g. /usr/lib/pypy3.9)",
            self.path.display()
        )
    }
}

impl std::error::Error for HomeError {}

/// Why [`find`](crate::library::find) gave no installation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FindError {
    /// No place gave a usable libpypy.
    Library(LibraryError),
    /// The explicitly given home is unusable.
    Home(HomeError),
}

impl fmt::Display for FindError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FindError::Library(error) => error.fmt(f),
            FindError::Home(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for FindError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            FindError::Library(error) => Some(error),
            FindError::Home(error) => Some(error),
        }
    }
}
