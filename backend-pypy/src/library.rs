//! Finding and opening libpypy. [`find`] runs a [`Search`] (explicit path, `pypy3`'s answer,
//! system locations), opens the library with `RTLD_NOW | RTLD_GLOBAL` and never closes it;
//! [`pypy_in_host`] gives the running process instead when PyPy imported us.

mod error;
mod glob;
mod home;
mod interpreter;
mod process;
mod search;

use std::fmt;
use std::path::{Path, PathBuf};

use libloading::os::unix::{Library, RTLD_GLOBAL, RTLD_NOW};

pub use error::{Attempt, FindError, HomeError, LibraryError, Origin};
pub use home::{Home, HomeOrigin};
pub use process::pypy_in_host;
pub use search::{find, Search};

/// A symbol every libpypy exports and no other library does; checked after opening a candidate.
const PROOF_SYMBOL: &str = "pypy_setup_home";

/// Where a [`LoadedLibrary`]'s symbols come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    /// A libpypy file opened by this crate.
    File(PathBuf),
    /// The running process (extension mode: PyPy loaded libpypy and imported us).
    Process,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::File(path) => write!(f, "{}", path.display()),
            Location::Process => f.write_str("the running process"),
        }
    }
}

/// An open library handle that is never closed (cpyext keeps pointers into it for the life of
/// the process), with where it came from.
#[derive(Clone, Debug)]
pub struct LoadedLibrary {
    handle: &'static Library,
    location: Location,
}

impl LoadedLibrary {
    /// Where the symbols come from.
    pub fn location(&self) -> &Location {
        &self.location
    }

    /// The underlying handle, for symbol lookup.
    pub(crate) fn handle(&self) -> &'static Library {
        self.handle
    }
}

/// A libpypy that [`find`] opened, and the home to start it with.
#[derive(Debug)]
pub struct Installation {
    /// The opened library.
    pub library: LoadedLibrary,
    /// The directory for `pypy_setup_home`.
    pub home: Home,
    /// The part of the search that found the library.
    pub origin: Origin,
}

/// Opens `path` as libpypy, or says why it is not one. Whether PyPy is the host is decided
/// first, so that this library, once open, cannot be mistaken for one.
fn open_file(path: &Path) -> Result<LoadedLibrary, String> {
    pypy_in_host();
    if !path.exists() {
        return Err("no such file".to_owned());
    }
    // SAFETY: libpypy's initialisers are plain C constructors that need nothing from us.
    let library = unsafe { Library::open(Some(path), RTLD_NOW | RTLD_GLOBAL) }
        .map_err(|error| format!("dlopen failed: {error}"))?;
    // SAFETY: the symbol is only tested for presence; nothing is called or read through it.
    if unsafe { library.get::<*mut std::ffi::c_void>(PROOF_SYMBOL.as_bytes()) }.is_err() {
        return Err(format!(
            "opened, but it is not libpypy (no `{PROOF_SYMBOL}`)"
        ));
    }
    Ok(LoadedLibrary {
        handle: Box::leak(Box::new(library)),
        location: Location::File(path.to_owned()),
    })
}
