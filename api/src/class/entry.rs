//! What every entry point of a class (method, constructor) shares: handlers are zero-sized and
//! kept for the life of the process, a positional signature per entry names it in messages
//! (worded as CPython words them, through the native functions' argument errors), and a call
//! counts the GIL, lends its arguments as `Borrowed`, and turns errors and panics into Python
//! exceptions — nothing unwinds into the interpreter.

use std::any::TypeId;
use std::ops::Deref;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr::{self, NonNull};
use std::sync::atomic::{AtomicPtr, Ordering};

use crate::backend::{Backend, NewRef, RawMethod, RawObject, RawPtr};
use crate::class::registry::Registry;
use crate::class::{type_ptr, PyClass};
use crate::conversion::FromPyObject;
use crate::err::{PyErr, PyResult};
use crate::exceptions::RuntimeError;
use crate::function::{argument_error, panic_message, too_many_positional, CallGil, Signature};
use crate::instance::{Borrowed, Bound};
use crate::python::Python;
use crate::types::PyAny;

/// The sites of entries, by the entry's shim type.
static SITES: Registry<Site> = Registry::new();

/// What an entry keeps: its signature (`Class.method` taking `arity` positional arguments, for
/// messages) and the class its receivers belong to, cached by the first call whose receiver is
/// exactly of that class, so that later calls check the receiver with one compare (an entry's
/// shim type names the backend, whose class object is made once per process and never freed).
pub(crate) struct Site {
    signature: Signature,
    class: AtomicPtr<RawObject>,
}

impl Deref for Site {
    type Target = Signature;
    fn deref(&self) -> &Signature {
        &self.signature
    }
}

impl Site {
    /// The receiver as an instance of `T` (subclasses count); `TypeError: expected Counter, got
    /// int` otherwise.
    #[inline(always)]
    pub(crate) fn downcast<'a, 'py, T: PyClass<B>, B: Backend>(
        &self,
        receiver: Borrowed<'a, 'py, PyAny, B>,
    ) -> PyResult<Borrowed<'a, 'py, T, B>, B> {
        let class = self.class.load(Ordering::Relaxed);
        // SAFETY: the token proves the GIL; the receiver is alive.
        let exact = unsafe { B::type_of(receiver.as_ptr()) }.as_ptr() == class;
        if exact {
            // SAFETY: `class` is `T`'s class (stored by `downcast_slow`), the receiver's type.
            Ok(unsafe { Borrowed::from_ptr(receiver.py(), receiver.as_ptr()) })
        } else {
            self.downcast_slow(receiver)
        }
    }

    /// `downcast` by the class registry, remembering the class once the receiver is exactly
    /// of it.
    #[cold]
    #[inline(never)]
    fn downcast_slow<'a, 'py, T: PyClass<B>, B: Backend>(
        &self,
        receiver: Borrowed<'a, 'py, PyAny, B>,
    ) -> PyResult<Borrowed<'a, 'py, T, B>, B> {
        let this = receiver.downcast_class::<T>()?;
        let class = type_ptr::<T, B>(receiver.py())?;
        // SAFETY: the token proves the GIL; the receiver is alive.
        if unsafe { B::type_of(receiver.as_ptr()) } == class {
            self.class.store(class.as_ptr(), Ordering::Relaxed);
        }
        Ok(this)
    }
}

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
    register_site::<Shim>(name, arity);
}

/// Records the site of another entry calling a handler `register` kept: `name` taking `arity`
/// positional arguments.
pub(crate) fn register_site<Shim: 'static>(name: String, arity: usize) {
    SITES.insert(
        TypeId::of::<Shim>(),
        Site {
            signature: Signature::positional(name, arity),
            class: AtomicPtr::new(ptr::null_mut()),
        },
    );
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

/// What an entry runs once it holds the GIL: given the token, the receiver, the arguments and
/// the entry's site, the result.
pub(crate) trait Body<B: Backend>:
    for<'a, 'py> FnOnce(
    Python<'py, B>,
    Borrowed<'a, 'py, PyAny, B>,
    &'a [Borrowed<'a, 'py, PyAny, B>],
    &Site,
) -> PyResult<Bound<'py, PyAny, B>, B>
{
}

impl<B: Backend, F> Body<B> for F where
    F: for<'a, 'py> FnOnce(
        Python<'py, B>,
        Borrowed<'a, 'py, PyAny, B>,
        &'a [Borrowed<'a, 'py, PyAny, B>],
        &Site,
    ) -> PyResult<Bound<'py, PyAny, B>, B>
{
}

/// Runs an entry: `body` gets the token, the receiver and the arguments as `Borrowed`, and the
/// call site; its result becomes a new reference, its error or panic the raised exception.
/// `counted` (a constant per entry): the thread's GIL count says "held" for the call, so that a
/// `Py` dropped in it is a plain decref; entries whose arguments own no `Py` leave the count
/// alone (no thread-local access) and drain the release queue on the way out, as native
/// functions do (`CallGil`).
///
/// # Safety
/// GIL held; the receiver and every argument are live for the call.
#[inline(always)]
pub(crate) unsafe fn run<Shim: 'static, B: Backend>(
    counted: bool,
    receiver: RawPtr,
    args: &[RawPtr],
    body: impl Body<B>,
) -> NewRef {
    // SAFETY: forwarded from the caller.
    unsafe {
        if counted {
            run_with::<Shim, B, true>(receiver, args, body)
        } else {
            run_with::<Shim, B, false>(receiver, args, body)
        }
    }
}

/// [`run`], the GIL counted or not.
///
/// # Safety
/// As for [`run`].
#[inline(always)]
unsafe fn run_with<Shim: 'static, B: Backend, const COUNTED: bool>(
    receiver: RawPtr,
    args: &[RawPtr],
    body: impl Body<B>,
) -> NewRef {
    // SAFETY: the backend calls with the GIL held.
    let _gil = unsafe { CallGil::<B, COUNTED>::enter() };
    // SAFETY: the GIL is held for this scope.
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
    run_at(site::<Shim>(), py, receiver, args, body)
}

/// The site `register` recorded for the entry whose shim type is `Shim`.
#[inline(always)]
pub(crate) fn site<Shim: 'static>() -> &'static Site {
    SITES
        .get(TypeId::of::<Shim>())
        .unwrap_or_else(|| unregistered())
}

/// [`run`] with the entry's site at hand (a property getter's, kept in its `closure`), the GIL
/// counted or not (`COUNTED`).
///
/// # Safety
/// As for [`run`]; `site` is the entry's.
#[inline(always)]
pub(crate) unsafe fn run_getter<B: Backend, const COUNTED: bool>(
    site: &Site,
    receiver: RawPtr,
    body: impl Body<B>,
) -> NewRef {
    // SAFETY: the backend calls with the GIL held.
    let _gil = unsafe { CallGil::<B, COUNTED>::enter() };
    // SAFETY: the GIL is held for this scope.
    let py = unsafe { Python::<B>::assume_gil_acquired() };
    // SAFETY: the caller keeps the receiver alive for the call.
    let receiver = unsafe { Borrowed::<PyAny, B>::from_ptr(py, receiver) };
    run_at(site, py, receiver, &[], body)
}

/// The call proper of [`run_with`] and [`run_getter`]: `body`'s result becomes a new
/// reference, its error or panic the raised exception.
#[inline(always)]
fn run_at<'a, 'py, B: Backend>(
    site: &Site,
    py: Python<'py, B>,
    receiver: Borrowed<'a, 'py, PyAny, B>,
    args: &'a [Borrowed<'a, 'py, PyAny, B>],
    body: impl Body<B>,
) -> NewRef {
    let call = || match body(py, receiver, args, site) {
        Ok(value) => Some(value.into_ptr()),
        Err(err) => raise(py, err),
    };
    catch_unwind(AssertUnwindSafe(call)).unwrap_or_else(|payload| raise_panic(py, site, payload))
}

/// Raises an entry's error. Out of line: the entry's fast path keeps its registers.
#[cold]
#[inline(never)]
fn raise<B: Backend>(py: Python<'_, B>, err: PyErr<B>) -> NewRef {
    err.restore(py);
    None
}

/// Raises `RuntimeError: Rust panic in Counter.incr(): ...` for a panic of an entry's body.
/// Out of line: the entry's fast path keeps its registers.
#[cold]
#[inline(never)]
fn raise_panic<B: Backend>(
    py: Python<'_, B>,
    site: &Site,
    payload: Box<dyn std::any::Any + Send>,
) -> NewRef {
    PyErr::<B>::new::<RuntimeError, _>(format!(
        "Rust panic in {}(): {}",
        site.name(),
        panic_message(&*payload)
    ))
    .restore(py);
    None
}

/// An entry called before `register` recorded its site: a bug in anypy.
#[cold]
fn unregistered() -> &'static Site {
    panic!("an entry's site is registered with it")
}

/// Reads positional argument `index` (present: the arity was checked) into an `A`; a failure
/// names the entry and the argument: `Counter.incr() argument 1: expected int, got str`.
#[inline]
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
    let name = SITES
        .get(TypeId::of::<Shim>())
        .map_or("", |site| site.name());
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
