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
use crate::exceptions::{RuntimeError, TypeError};
use crate::function::{
    argument_error, panic_message, too_many_positional, CallGil, ReturnKind, ReturnValue, Signature,
};
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
        if exact || self.is_instance_slow::<T, B>(receiver) {
            // SAFETY: the receiver's type is `T`'s class (stored by `is_instance_slow`) or one
            // derived from it.
            Ok(unsafe { Borrowed::from_ptr(receiver.py(), receiver.as_ptr()) })
        } else {
            Err(not_an_instance::<T, B>(receiver))
        }
    }

    /// Whether the receiver is an instance of `T`, by the class registry, remembering the class
    /// once the receiver is exactly of it. A `bool`: the check's outcome alone, so that the
    /// fast path after it does not merge with an error's.
    #[cold]
    #[inline(never)]
    fn is_instance_slow<T: PyClass<B>, B: Backend>(
        &self,
        receiver: Borrowed<'_, '_, PyAny, B>,
    ) -> bool {
        let Ok(class) = type_ptr::<T, B>(receiver.py()) else {
            return false;
        };
        // SAFETY: the token proves the GIL; the receiver is alive.
        if unsafe { B::type_of(receiver.as_ptr()) } == class {
            self.class.store(class.as_ptr(), Ordering::Relaxed);
            return true;
        }
        receiver.downcast_class::<T>().is_ok()
    }
}

/// The error of a failed [`Site::downcast`]: the class's own if it could not be made, else
/// `TypeError: expected Counter, got int`.
#[cold]
#[inline(never)]
fn not_an_instance<T: PyClass<B>, B: Backend>(receiver: Borrowed<'_, '_, PyAny, B>) -> PyErr<B> {
    match receiver.downcast_class::<T>() {
        Err(err) => err,
        Ok(_) => PyErr::new::<TypeError, _>(format!("expected {}", T::NAME)),
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

/// Declares a trait for the closures an entry runs once it holds the GIL (given the token, the
/// receiver, the arguments and the entry's site), returning `PyResult<$output>`, implemented
/// by every such closure.
macro_rules! body_trait {
    ($(#[$doc:meta])* $name:ident -> $output:ident) => {
        $(#[$doc])*
        pub(crate) trait $name<B: Backend>:
            for<'a, 'py> FnOnce(
            Python<'py, B>,
            Borrowed<'a, 'py, PyAny, B>,
            &'a [Borrowed<'a, 'py, PyAny, B>],
            &Site,
        ) -> PyResult<body_trait!(@output $output), B>
        {
        }

        impl<B: Backend, F> $name<B> for F where
            F: for<'a, 'py> FnOnce(
                Python<'py, B>,
                Borrowed<'a, 'py, PyAny, B>,
                &'a [Borrowed<'a, 'py, PyAny, B>],
                &Site,
            ) -> PyResult<body_trait!(@output $output), B>
        {
        }
    };
    (@output ReturnValue) => { ReturnValue<'py, B> };
    (@output Bound) => { Bound<'py, PyAny, B> };
}

body_trait! {
    /// What an entry runs: the result with the conversion of a number left for last (after
    /// the borrow of the receiver's value and the GIL accounting end, as a native function's:
    /// [`ReturnValue`]).
    Body -> ReturnValue
}

body_trait! {
    /// What an entry runs whose result is always an object.
    ObjectBody -> Bound
}

/// `body`, its (higher-ranked) signature fixed by the bound.
#[inline(always)]
fn as_body<B: Backend, F: Body<B>>(body: F) -> F {
    body
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
    body: impl ObjectBody<B>,
) -> NewRef {
    let values = as_body(move |py, receiver, args, site: &Site| {
        body(py, receiver, args, site).map(ReturnValue::Object)
    });
    // SAFETY: forwarded from the caller.
    unsafe { run_values::<Shim, B>(counted, ReturnKind::Object, receiver, args, values) }
}

/// [`run`] with a body that returns a [`ReturnValue`] of `kind` (a constant per entry), its
/// number converted last.
///
/// # Safety
/// As for [`run`].
#[inline(always)]
pub(crate) unsafe fn run_values<Shim: 'static, B: Backend>(
    counted: bool,
    kind: ReturnKind,
    receiver: RawPtr,
    args: &[RawPtr],
    body: impl Body<B>,
) -> NewRef {
    // SAFETY: forwarded from the caller.
    unsafe {
        if counted {
            run_with::<Shim, B, true>(kind, receiver, args, body)
        } else {
            run_with::<Shim, B, false>(kind, receiver, args, body)
        }
    }
}

/// [`run`], the GIL counted or not.
///
/// # Safety
/// As for [`run`].
#[inline(always)]
unsafe fn run_with<Shim: 'static, B: Backend, const COUNTED: bool>(
    kind: ReturnKind,
    receiver: RawPtr,
    args: &[RawPtr],
    body: impl Body<B>,
) -> NewRef {
    // SAFETY: the backend calls with the GIL held.
    let gil = unsafe { CallGil::<B, COUNTED>::enter() };
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
    // SAFETY: the GIL is held (the backend's call).
    unsafe { run_at(site::<Shim>(), kind, gil, py, receiver, args, body) }
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
    kind: ReturnKind,
    receiver: RawPtr,
    body: impl Body<B>,
) -> NewRef {
    // SAFETY: the backend calls with the GIL held.
    let gil = unsafe { CallGil::<B, COUNTED>::enter() };
    // SAFETY: the GIL is held for this scope.
    let py = unsafe { Python::<B>::assume_gil_acquired() };
    // SAFETY: the caller keeps the receiver alive for the call.
    let receiver = unsafe { Borrowed::<PyAny, B>::from_ptr(py, receiver) };
    // SAFETY: the GIL is held (the backend's call).
    unsafe { run_at(site, kind, gil, py, receiver, &[], body) }
}

/// The call proper of [`run_with`] and [`run_getter`]: `body`'s result becomes a new
/// reference, its error or panic the raised exception. A number is converted last, after the
/// borrow of the receiver's value (which ends in `body`) and the GIL accounting (`gil`), so
/// that the conversion can be the entry's tail call, as in a C extension.
///
/// # Safety
/// The GIL is held.
#[inline(always)]
unsafe fn run_at<'a, 'py, B: Backend, const COUNTED: bool>(
    site: &Site,
    kind: ReturnKind,
    gil: CallGil<B, COUNTED>,
    py: Python<'py, B>,
    receiver: Borrowed<'a, 'py, PyAny, B>,
    args: &'a [Borrowed<'a, 'py, PyAny, B>],
    body: impl Body<B>,
) -> NewRef {
    let call = || body(py, receiver, args, site);
    let value = match catch_unwind(AssertUnwindSafe(call)) {
        Ok(Ok(value)) => value,
        Ok(Err(err)) => return raise(py, err),
        Err(payload) => return raise_panic(py, site, payload),
    };
    // SAFETY: the GIL is held (caller).
    unsafe { value.into_new_ref(kind, || drop(gil)) }
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
