//! `RawFunction`: a native function as a backend sees it, wrapped into a callable object by
//! [`Backend::function_new`](super::Backend::function_new).

use super::raw::{NewRef, RawPtr};

/// A native function as a backend sees it: a name, a docstring and a call with positional
/// arguments. anypy's typed handlers implement it; a backend wraps it in a callable object
/// (a `PyCFunction` with `METH_FASTCALL` on C backends) and drops it when that object dies.
pub trait RawFunction: Send + Sync + 'static {
    /// The function's `__name__`.
    fn name(&self) -> &str;
    /// The function's docstring (may be empty).
    fn doc(&self) -> &str;
    /// Calls the function with borrowed positional arguments.
    ///
    /// # Safety
    /// The GIL is held and every pointer in `args` is a live object. Returns a new reference,
    /// or `None` with the error indicator set. Never unwinds.
    unsafe fn call(&self, args: &[RawPtr]) -> NewRef;
}
