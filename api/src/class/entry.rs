//! What every entry point of a class (method, constructor) shares: handlers are zero-sized and
//! kept for the life of the process, a positional signature per entry names it in messages
//! (worded as CPython words them, through the native functions' argument errors), and a call
//! counts the GIL, lends its arguments as `Borrowed`, and turns errors and panics into Python
//! exceptions — nothing unwinds into the interpreter.

use std::any::TypeId;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr::NonNull;

use crate::backend::{Backend, NewRef, RawMethod, RawPtr};
use crate::class::registry::Registry;
use crate::conversion::FromPyObject;
use crate::err::{PyErr, PyResult};
use crate::exceptions::RuntimeError;
use crate::function::{argument_error, panic_message, too_many_positional, Signature};
use crate::gil::GilCountGuard;
use crate::instance::{Borrowed, Bound};
use crate::python::Python;
use crate::types::PyAny;

/// The signatures of entries (`Class.method` taking `arity` positional arguments), by the
/// entry's shim type.
static SITES: Registry<Signature> = Registry::new();

/// Keeps the zero-sized `handler` for the life of the process and records the site of the
/// entry whose shim type is `Shim`: `name` taking `arity` positional arguments.
pub(crate) fn register<Shim: 'static, H>(handler: H, name: String, arity: usize) {
    const {
        assert!(
            std::mem::size_of::<H>() == 0,
            "a method or constructor must capture nothing: use a fn item or a closure \
             without captures"
        )
    };
    // A zero-sized value leaked is what `NonNull::dangling()` points to: `handler` reads it
    // back from there.
    std::mem::forget(handler);
    SITES.insert(TypeId::of::<Shim>(), Signature::positional(name, arity));
}

/// Records the site of another entry calling a handler `register` kept: `name` taking `arity`
/// positional arguments.
pub(crate) fn register_site<Shim: 'static>(name: String, arity: usize) {
    SITES.insert(TypeId::of::<Shim>(), Signature::positional(name, arity));
}

/// The handler `register` kept.
///
/// # Safety
/// `register` was called with a value of type `H`.
pub(crate) unsafe fn handler<H: 'static>() -> &'static H {
    // SAFETY: `H` is zero-sized (checked by `register`) and a value of it was leaked: a
    // reference to it is a dangling, aligned pointer, as `Box::leak` of a zero-sized value gives.
    unsafe { NonNull::<H>::dangling().as_ref() }
}

/// Runs an entry: `body` gets the token, the receiver and the arguments as `Borrowed`, and the
/// call site; its result becomes a new reference, its error or panic the raised exception.
///
/// # Safety
/// GIL held; the receiver and every argument are live for the call.
pub(crate) unsafe fn run<Shim: 'static, B: Backend>(
    receiver: RawPtr,
    args: &[RawPtr],
    body: impl for<'a, 'py> FnOnce(
        Python<'py, B>,
        Borrowed<'a, 'py, PyAny, B>,
        &'a [Borrowed<'a, 'py, PyAny, B>],
        &Signature,
    ) -> PyResult<Bound<'py, PyAny, B>, B>,
) -> NewRef {
    // SAFETY: the backend calls with the GIL held.
    let _gil = unsafe { GilCountGuard::<B>::enter() };
    // SAFETY: the GIL is held and counted for this scope.
    let py = unsafe { Python::<B>::assume_gil_acquired() };
    // SAFETY: `Borrowed` is `repr(transparent)` over `RawPtr`; the caller keeps the receiver
    // and the arguments alive for the call.
    let (receiver, args) = unsafe {
        (
            Borrowed::<PyAny, B>::from_ptr(py, receiver),
            std::slice::from_raw_parts(
                args.as_ptr().cast::<Borrowed<'_, '_, PyAny, B>>(),
                args.len(),
            ),
        )
    };
    let site = SITES
        .get(TypeId::of::<Shim>())
        .expect("an entry's site is registered with it");
    match catch_unwind(AssertUnwindSafe(|| body(py, receiver, args, site))) {
        Ok(Ok(value)) => Some(value.into_ptr()),
        Ok(Err(err)) => {
            err.restore(py);
            None
        }
        Err(payload) => {
            PyErr::<B>::new::<RuntimeError, _>(format!(
                "Rust panic in {}(): {}",
                site.name(),
                panic_message(&*payload)
            ))
            .restore(py);
            None
        }
    }
}

/// Reads positional argument `index` (present: the arity was checked) into an `A`; a failure
/// names the entry and the argument: `Counter.incr() argument 1: expected int, got str`.
pub(crate) fn argument<'py, B: Backend, A: FromPyObject<'py, B>>(
    args: &[Borrowed<'_, 'py, PyAny, B>],
    index: usize,
    signature: &Signature,
) -> PyResult<A, B> {
    let arg = &args[index];
    A::extract(arg).map_err(|err| argument_error(arg.py(), signature, "", index, err))
}

/// `Counter.incr() takes 1 positional argument but 2 were given`.
#[cold]
pub(crate) fn arity_error<B: Backend>(signature: &Signature, given: usize) -> PyErr<B> {
    too_many_positional(signature, given, 0)
}

/// [`RawMethod::call_keywords`] of an entry taking positional arguments only: a call passing
/// keywords raises `TypeError: Counter.__call__() takes no keyword arguments`, any other is
/// [`RawMethod::call`].
///
/// # Safety
/// As [`RawMethod::call_keywords`].
pub(crate) unsafe fn refuse_keywords<Shim: RawMethod, B: Backend>(
    receiver: RawPtr,
    args: &[RawPtr],
    nargs: usize,
) -> NewRef {
    if args.len() == nargs {
        // SAFETY: as the caller's; the arguments are the positional ones.
        return unsafe { Shim::call(receiver, args) };
    }
    // SAFETY: the backend calls with the GIL held.
    let py = unsafe { Python::<B>::assume_gil_acquired() };
    let name = SITES.get(TypeId::of::<Shim>()).map_or("", Signature::name);
    PyErr::<B>::new::<crate::exceptions::TypeError, _>(format!(
        "{name}() takes no keyword arguments"
    ))
    .restore(py);
    None
}

/// Implements [`RawMethod::call_keywords`] with [`refuse_keywords`], for a shim on backend `$B`.
macro_rules! positional_only {
    ($B:ty) => {
        unsafe fn call_keywords(
            receiver: crate::backend::RawPtr,
            args: &[crate::backend::RawPtr],
            nargs: usize,
            _kwnames: Option<crate::backend::RawPtr>,
        ) -> crate::backend::NewRef {
            // SAFETY: forwarded from the backend's guarantees.
            unsafe { crate::class::entry::refuse_keywords::<Self, $B>(receiver, args, nargs) }
        }
    };
}
pub(crate) use positional_only;
