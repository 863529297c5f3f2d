//! Instance methods: Rust functions whose first parameter is `&T`, `&mut T` or the instance
//! `&Bound<T>` (optionally followed by a `Python` token) and whose other parameters are
//! extracted from positional arguments (as native functions' are), and the entry point a
//! backend installs for each: it checks the receiver's class, the argument count and the
//! borrow, and turns errors and panics into Python exceptions.
//!
//! Methods must capture nothing (fn items, closures without captures): they are zero-sized, so
//! a C backend's entry (`METH_FASTCALL`, `METH_O` or `METH_NOARGS`) is specialized per method
//! and carries no data. A method taking keywords and defaults is defined with
//! [`method!`](crate::method!) instead.

use std::marker::PhantomData;

use crate::backend::{Backend, EntryKind, MethodEntry, NewRef, RawMethod, RawPtr};
use crate::class::cell::ClassCell;
use crate::class::entry::{self, Site};
use crate::class::{PyClass, PyRef, PyRefMut};
use crate::conversion::FromPyObject;
use crate::err::{PyErr, PyResult};
use crate::exceptions::TypeError;
use crate::function::{IntoReturn, NoToken, ReturnKind, ReturnValue, Signature, WithToken};
use crate::instance::{Borrowed, Bound};
use crate::python::Python;
use crate::types::PyAny;

/// Marks methods taking `&T`.
pub struct ByRef;
/// Marks methods taking `&mut T`.
pub struct ByMut;
/// Marks methods taking a [`PyRef`] (the value borrowed, and the instance: `this.object()`
/// hands the instance on or returns it).
pub struct ByPyRef;
/// Marks methods taking a [`PyRefMut`].
pub struct ByPyRefMut;
/// Marks methods taking the instance, `&Bound<T>` (no borrow is taken: the method borrows the
/// value itself if it needs it, and can return or hand on the instance).
pub struct ByObject;

/// A Rust function callable as a method of class `T`. `Marker` tells the implementations
/// apart; it is inferred.
pub trait MethodHandler<T, B: Backend, Marker>: Send + Sync + 'static {
    /// How many positional arguments the method takes (the receiver not counted).
    const ARITY: usize;
    /// Whether an argument may own a `Py` (the call then counts the GIL; see `entry::run`).
    const HOLDS_PY: bool = true;
    /// The kind of every [`ReturnValue`] `call` returns, when the handler's type says
    /// (`ReturnKind::Any` otherwise): a number's conversion is then chosen at compile time.
    #[doc(hidden)]
    const RETURN_KIND: ReturnKind = ReturnKind::Any;

    /// Extracts the arguments, borrows the receiver's value, calls, and returns the result with
    /// the conversion of a number left for after the borrow ([`ReturnValue`]).
    fn call<'a, 'py>(
        &self,
        py: Python<'py, B>,
        receiver: Borrowed<'a, 'py, T, B>,
        cell: &'a ClassCell<T>,
        args: &[Borrowed<'a, 'py, PyAny, B>],
        site: &Signature,
    ) -> PyResult<ReturnValue<'py, B>, B>;
}

macro_rules! method_impls {
    ($($A:ident $a:ident $i:tt),*; $arity:literal) => {
        method_impls!(@one (ByRef, NoToken), [], &'r T, [$($A $a $i),*], $arity);
        method_impls!(@one (ByMut, NoToken), [], &'r mut T, [$($A $a $i),*], $arity);
        method_impls!(@one (ByObject, NoToken), [], &'r Bound<'py, T, B>, [$($A $a $i),*], $arity);
        method_impls!(@one (ByRef, WithToken), [Python<'py, B>,], &'r T, [$($A $a $i),*], $arity);
        method_impls!(@one (ByMut, WithToken), [Python<'py, B>,], &'r mut T, [$($A $a $i),*], $arity);
        method_impls!(@one (ByObject, WithToken), [Python<'py, B>,], &'r Bound<'py, T, B>, [$($A $a $i),*], $arity);
        method_impls!(@one (ByPyRef, NoToken), [], PyRef<'r, 'py, T, B>, [$($A $a $i),*], $arity);
        method_impls!(@one (ByPyRefMut, NoToken), [], PyRefMut<'r, 'py, T, B>, [$($A $a $i),*], $arity);
        method_impls!(@one (ByPyRef, WithToken), [Python<'py, B>,], PyRef<'r, 'py, T, B>, [$($A $a $i),*], $arity);
        method_impls!(@one (ByPyRefMut, WithToken), [Python<'py, B>,], PyRefMut<'r, 'py, T, B>, [$($A $a $i),*], $arity);
    };
    (@receive ByRef, $receiver:ident, $cell:ident) => {{
        $cell.acquire_shared::<B>()?;
        PyRef::new($receiver, $cell)
    }};
    (@receive ByMut, $receiver:ident, $cell:ident) => {{
        $cell.acquire_exclusive::<B>()?;
        PyRefMut::new($receiver, $cell)
    }};
    (@receive ByPyRef, $receiver:ident, $cell:ident) => {
        method_impls!(@receive ByRef, $receiver, $cell)
    };
    (@receive ByPyRefMut, $receiver:ident, $cell:ident) => {
        method_impls!(@receive ByMut, $receiver, $cell)
    };
    (@receive ByObject, $receiver:ident, $cell:ident) => {
        $receiver
    };
    (@reborrow ByMut, $this:ident) => { &mut *$this };
    (@reborrow ByPyRef, $this:ident) => { $this };
    (@reborrow ByPyRefMut, $this:ident) => { $this };
    (@reborrow $marker:ident, $this:ident) => { &*$this };
    (@invoke NoToken, $f:expr, $py:ident, $receiver:expr, ($($arg:ident),*)) => {
        ($f)($receiver, $($arg),*)
    };
    (@invoke WithToken, $f:expr, $py:ident, $receiver:expr, ($($arg:ident),*)) => {
        ($f)($receiver, $py, $($arg),*)
    };
    (@one ($marker:ident, $token:ident), [$($token_type:tt)*], $receiver:ty, [$($A:ident $a:ident $i:tt),*], $arity:literal) => {
        impl<T, B, F, R, $($A,)*> MethodHandler<T, B, ($marker, $token, ($($A,)*))> for F
        where
            T: 'static,
            B: Backend,
            F: for<'py, 'r> Fn($receiver, $($token_type)* $($A),*) -> R + Send + Sync + 'static,
            R: IntoReturn<B>,
            $($A: for<'py> FromPyObject<'py, B>,)*
        {
            const ARITY: usize = $arity;
            const HOLDS_PY: bool = false $(|| <$A as FromPyObject<'static, B>>::HOLDS_PY)*;
            const RETURN_KIND: ReturnKind = R::RETURN_KIND;
            #[allow(unused_variables, unused_mut)]
            #[inline]
            fn call<'a, 'py>(
                &self,
                py: Python<'py, B>,
                receiver: Borrowed<'a, 'py, T, B>,
                cell: &'a ClassCell<T>,
                args: &[Borrowed<'a, 'py, PyAny, B>],
                site: &Signature,
            ) -> PyResult<ReturnValue<'py, B>, B> {
                $(let $a = entry::argument::<B, $A>(args, $i, site)?;)*
                let mut this = method_impls!(@receive $marker, receiver, cell);
                method_impls!(@invoke $token, self, py, method_impls!(@reborrow $marker, this), ($($a),*)).into_return_value(py)
            }
        }
    };
}

method_impls!(; 0);
method_impls!(A0 a0 0; 1);
method_impls!(A0 a0 0, A1 a1 1; 2);
method_impls!(A0 a0 0, A1 a1 1, A2 a2 2; 3);
method_impls!(A0 a0 0, A1 a1 1, A2 a2 2, A3 a3 3; 4);

/// The types a [`MethodShim`] is made of (only named, never held).
type ShimTypes<T, B, H, M> = fn() -> (T, B, H, M);

/// The [`RawMethod`] of handler `H` on class `T`: what a backend's entry point calls.
pub(crate) struct MethodShim<T, B, H, M>(PhantomData<ShimTypes<T, B, H, M>>);

impl<T: PyClass<B>, B: Backend, H: MethodHandler<T, B, M>, M: 'static> MethodShim<T, B, H, M> {
    /// The entry kind of a method taking `H::ARITY` arguments: the interpreter's cheapest
    /// convention for it (CPython 3.11 calls a `METH_O` method about 20 instructions more
    /// cheaply than a `METH_FASTCALL` one).
    pub(crate) const KIND: EntryKind = match H::ARITY {
        0 => EntryKind::MethodNoArgs,
        1 => EntryKind::MethodOneArg,
        _ => EntryKind::Method,
    };

    /// Keeps `handler` for the life of the process and records the method's name; returns
    /// the shim type's entry on backend `B`, of kind [`MethodShim::KIND`].
    pub(crate) fn register(class: &str, name: &str, handler: H) -> MethodEntry {
        entry::register::<Self, H>(handler, format!("{class}.{name}"), H::ARITY);
        B::entry::<Self>(Self::KIND)
    }

    /// The backend's entry of `kind`, calling the handler `register` kept.
    pub(crate) fn entry(kind: EntryKind) -> MethodEntry {
        B::entry::<Self>(kind)
    }
}

// SAFETY: `call` checks the receiver's class before touching its payload; `entry::run` counts
// the GIL, catches panics and returns a new reference or `None` with the error set.
unsafe impl<T: PyClass<B>, B: Backend, H: MethodHandler<T, B, M>, M: 'static> RawMethod
    for MethodShim<T, B, H, M>
{
    entry::positional_only!(B);

    #[inline]
    unsafe fn call(receiver: RawPtr, args: &[RawPtr]) -> NewRef {
        // SAFETY: forwarded from the backend's guarantees.
        unsafe {
            entry::run_values::<Self, B>(H::HOLDS_PY, H::RETURN_KIND, receiver, args, Self::body)
        }
    }

    #[inline]
    unsafe fn get(receiver: RawPtr, data: *const ()) -> NewRef {
        // SAFETY: a getter's data is its site (`ClassBuilder::getter`), kept for the life of
        // the process.
        let site = unsafe { &*data.cast::<Site>() };
        // SAFETY: forwarded from the backend's guarantees.
        unsafe {
            if H::HOLDS_PY {
                entry::run_getter::<B, true>(site, H::RETURN_KIND, receiver, Self::body)
            } else {
                entry::run_getter::<B, false>(site, H::RETURN_KIND, receiver, Self::body)
            }
        }
    }
}

impl<T: PyClass<B>, B: Backend, H: MethodHandler<T, B, M>, M: 'static> MethodShim<T, B, H, M> {
    /// What a call runs once the entry holds the GIL: the receiver checked, the count, the
    /// handler.
    #[inline(always)]
    fn body<'a, 'py>(
        py: Python<'py, B>,
        receiver: Borrowed<'a, 'py, PyAny, B>,
        args: &'a [Borrowed<'a, 'py, PyAny, B>],
        site: &Site,
    ) -> PyResult<ReturnValue<'py, B>, B> {
        // SAFETY: `register` kept a handler of type `H`.
        let handler = unsafe { entry::handler::<H>() };
        let this = site.downcast::<T, B>(receiver)?;
        if args.len() != H::ARITY {
            return Err(arity_error(site, H::ARITY, args.len()));
        }
        handler.call(py, this, crate::class::cell_of(this), args, site)
    }

    /// The site of this method, for a getter's [`getter_data`](crate::backend::RawPropertyDef::getter_data).
    pub(crate) fn site() -> *const () {
        let site: &'static Site = entry::site::<Self>();
        (site as *const Site).cast()
    }
}

/// A method called with `given` arguments instead of `arity`, worded as CPython words a C
/// method of the convention [`MethodShim::KIND`] gives it, so that every backend says the
/// same whether the interpreter checked the count (`METH_O`, `METH_NOARGS`) or the entry did:
/// `Counter.incr() takes exactly one argument (2 given)`, `Counter.get() takes no arguments
/// (1 given)`, `Counter.add() takes 2 positional arguments but 1 was given`.
#[cold]
fn arity_error<B: Backend>(site: &Signature, arity: usize, given: usize) -> PyErr<B> {
    let name = site.name();
    match arity {
        0 => PyErr::new::<TypeError, _>(format!("{name}() takes no arguments ({given} given)")),
        1 => PyErr::new::<TypeError, _>(format!(
            "{name}() takes exactly one argument ({given} given)"
        )),
        _ => entry::arity_error(site, given),
    }
}
