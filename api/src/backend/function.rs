//! `RawFunction`: a native function as a backend sees it, wrapped into a callable object by
//! [`Backend::function_new`](super::Backend::function_new).

use super::raw::{NewRef, RawPtr};

/// A native function as a backend sees it: a name, a docstring and a vectorcall-style call.
/// anypy's [`Function`](crate::Function) implements it; a backend wraps it in a callable object
/// (a `builtin_function_or_method` on C backends) and drops it when that object dies.
///
/// # Safety
/// `call` is entered from an `extern "C"` function: it must never unwind (catch panics and
/// raise them as Python exceptions), must return a new reference or `None` with the error
/// indicator set, and may read only `args` (all of them borrowed) and `kwnames`. When
/// `takes_arguments` is false, the backend may reject arguments itself (`METH_NOARGS`), and
/// `call` then only ever sees none.
pub unsafe trait RawFunction: Send + Sync + 'static {
    /// The function's `__name__`.
    fn name(&self) -> &str;
    /// The docstring in the C-API's convention: `name(sig)\n--\n\n` then the text, from which
    /// the interpreter takes `__text_signature__` and `__doc__`.
    fn doc(&self) -> &str;
    /// Whether the function takes any argument; `false` allows `METH_NOARGS`.
    fn takes_arguments(&self) -> bool;
    /// Calls the function.
    ///
    /// # Safety
    /// The GIL is held; `args` holds `nargs` positional arguments followed by the values of the
    /// keywords named in `kwnames` (a tuple of `str`), all live for the call.
    unsafe fn call(&self, args: &[RawPtr], nargs: usize, kwnames: Option<RawPtr>) -> NewRef;
    /// Calls the function with no arguments: `call(&[], 0, None)`, which an implementation may
    /// override with its own copy so that a `METH_NOARGS` entry gets every argument check
    /// folded away (one shared copy, called from two entries, is inlined into neither).
    ///
    /// # Safety
    /// The GIL is held.
    #[inline]
    unsafe fn call_noargs(&self) -> NewRef {
        // SAFETY: GIL held (caller); no arguments.
        unsafe { self.call(&[], 0, None) }
    }
}

/// Aborts the process if dropped during an unwind: held across the body of an `extern "C"`
/// function that must not unwind (a native function's entry), so that a broken promise stops
/// the process instead of unwinding into the interpreter, which is undefined behaviour (Rust
/// 1.81 and later abort there themselves; 1.80, the oldest supported, does not).
/// `std::mem::forget` it on the way out.
pub struct AbortOnUnwind;

impl Drop for AbortOnUnwind {
    fn drop(&mut self) {
        eprintln!("anypy: a native function unwound into the interpreter; aborting");
        std::process::abort();
    }
}
