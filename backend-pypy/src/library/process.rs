//! The running process as a symbol source, for extension mode: whether PyPy's C-API was in the
//! process before this crate opened any library is decided once, on first use, so a libpypy
//! opened by this crate (with `RTLD_GLOBAL`) is never mistaken for a host PyPy.

use libloading::os::unix::Library;
use once_cell::sync::OnceCell;

use super::{LoadedLibrary, Location};

/// The symbol whose presence means "PyPy is the host": cpyext's `PyLong_FromLong`.
const HOST_PROOF_SYMBOL: &str = "PyPyLong_FromLong";

static HOST: OnceCell<Option<LoadedLibrary>> = OnceCell::new();

/// The process's global symbol scope (`dlopen(NULL)`) if PyPy's C-API was already in it when
/// this crate first looked, which is before it opens any library: true inside an extension
/// module that PyPy imported, false in a program that embeds PyPy through this crate.
pub fn pypy_in_host() -> Option<&'static LoadedLibrary> {
    HOST.get_or_init(|| {
        let process = Library::this();
        // SAFETY: the symbol is only tested for presence; nothing is called or read through it.
        let found = unsafe { process.get::<*mut std::ffi::c_void>(HOST_PROOF_SYMBOL.as_bytes()) };
        found.ok().map(|_| LoadedLibrary {
            handle: Box::leak(Box::new(process)),
            location: Location::Process,
        })
    })
    .as_ref()
}
