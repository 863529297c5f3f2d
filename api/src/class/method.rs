//! Instance methods: Rust functions whose first parameter is `&T` or `&mut T` and whose other
//! parameters are extracted from positional arguments (as native functions' are), and the
//! entry point a backend installs for each: it checks the receiver's class, the argument count
//! and the borrow, and turns errors and panics into Python exceptions, worded as CPython words
//! them for a function named `Class.method` taking those positional arguments.
//!
//! Methods must capture nothing (fn items, closures without captures): they are zero-sized, so
//! a C backend's `METH_FASTCALL` entry is specialized per method and carries no data. Keyword
//! arguments and defaults (the `Parameters` of native functions) are not taken yet.

use std::any::TypeId;
use std::marker::PhantomData;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr::NonNull;

use crate::backend::{Backend, NewRef, RawMethod, RawPtr};
use crate::class::cell::ClassCell;
use crate::class::registry::Registry;
use crate::class::{PyClass, PyRef, PyRefMut};
use crate::conversion::FromPyObject;
use crate::err::{PyErr, PyResult};
use crate::exceptions::RuntimeError;
use crate::function::{
    argument_error, panic_message, too_many_positional, FromArgument, IntoReturn, Owned, Signature,
};
use crate::gil::GilCountGuard;
use crate::instance::{Borrowed, Bound};
use crate::python::Python;
use crate::types::PyAny;

/// Marks methods taking `&T`.
pub struct ByRef;
/// Marks methods taking `&mut T`.
pub struct ByMut;

/// A Rust function callable as a method of class `T`. `Marker` tells the implementations
/// apart; it is inferred.
pub trait MethodHandler<T, B: Backend, Marker>: Send + Sync + 'static {
    /// How many positional arguments the method takes (the receiver not counted).
    const ARITY: usize;

    /// Extracts the arguments, borrows the receiver's value, calls, converts the result.
    fn call<'a, 'py>(
        &self,
        py: Python<'py, B>,
        receiver: Borrowed<'a, 'py, T, B>,
        cell: &'a ClassCell<T>,
        args: &'a [Borrowed<'a, 'py, PyAny, B>],
        signature: &Signature,
    ) -> PyResult<Bound<'py, PyAny, B>, B>;
}

macro_rules! method_impls {
    ($($A:ident $a:ident $i:tt),*; $arity:literal) => {
        method_impls!(@one ByRef, &T, acquire_shared, PyRef, [&], [$($A $a $i),*], $arity);
        method_impls!(@one ByMut, &mut T, acquire_exclusive, PyRefMut, [&mut], [$($A $a $i),*], $arity);
    };
    (@one $marker:ident, $receiver:ty, $acquire:ident, $guard:ident, [$($reborrow:tt)*], [$($A:ident $a:ident $i:tt),*], $arity:literal) => {
        impl<T, B, F, R, $($A,)*> MethodHandler<T, B, ($marker, ($($A,)*))> for F
        where
            T: 'static,
            B: Backend,
            F: for<'r> Fn($receiver, $($A),*) -> R + Send + Sync + 'static,
            R: IntoReturn<B>,
            $($A: for<'py> FromPyObject<'py, B>,)*
        {
            const ARITY: usize = $arity;
            #[allow(unused_variables, unused_mut)]
            fn call<'a, 'py>(
                &self,
                py: Python<'py, B>,
                receiver: Borrowed<'a, 'py, T, B>,
                cell: &'a ClassCell<T>,
                args: &'a [Borrowed<'a, 'py, PyAny, B>],
                signature: &Signature,
            ) -> PyResult<Bound<'py, PyAny, B>, B> {
                $(let $a = <$A as FromArgument<'a, 'py, B, Owned<$A>>>::from_argument(&args[$i])
                    .map_err(|err| argument_error(py, signature, "", $i, err))?;)*
                cell.$acquire::<B>()?;
                let mut this = $guard::new(receiver, cell);
                (self)($($reborrow)* *this, $($a),*).into_return(py)
            }
        }
    };
}

method_impls!(; 0);
method_impls!(A0 a0 0; 1);
method_impls!(A0 a0 0, A1 a1 1; 2);
method_impls!(A0 a0 0, A1 a1 1, A2 a2 2; 3);
method_impls!(A0 a0 0, A1 a1 1, A2 a2 2, A3 a3 3; 4);

/// The signatures of methods (`Class.method` and its arity, for messages), by the method's
/// shim type.
static SIGNATURES: Registry<Signature> = Registry::new();

/// The types a [`MethodShim`] is made of (only named, never held).
type ShimTypes<T, B, H, M> = fn() -> (T, B, H, M);

/// The [`RawMethod`] of handler `H` on class `T`: what a backend's entry point calls.
pub(crate) struct MethodShim<T, B, H, M>(PhantomData<ShimTypes<T, B, H, M>>);

impl<T: PyClass<B>, B: Backend, H: MethodHandler<T, B, M>, M: 'static> MethodShim<T, B, H, M> {
    /// Keeps `handler` for the life of the process and records the method's name; returns
    /// the shim type's entry on backend `B`.
    pub(crate) fn register(class: &str, name: &str, handler: H) -> crate::backend::MethodEntry {
        const {
            assert!(
                std::mem::size_of::<H>() == 0,
                "a method must capture nothing: use a fn item or a closure without captures"
            )
        };
        // A zero-sized value leaked is what `NonNull::dangling()` points to; `call` reads it
        // back from there.
        std::mem::forget(handler);
        SIGNATURES.insert(
            TypeId::of::<Self>(),
            Signature::positional(format!("{class}.{name}"), H::ARITY),
        );
        B::method_entry::<Self>()
    }
}

// SAFETY: `call` holds the GIL count, checks the receiver's class before touching its
// payload, catches panics and returns a new reference or `None` with the error set.
unsafe impl<T: PyClass<B>, B: Backend, H: MethodHandler<T, B, M>, M: 'static> RawMethod
    for MethodShim<T, B, H, M>
{
    unsafe fn call(receiver: RawPtr, args: &[RawPtr]) -> NewRef {
        // SAFETY: the backend calls with the GIL held.
        let _gil = unsafe { GilCountGuard::<B>::enter() };
        // SAFETY: the GIL is held and counted for this scope.
        let py = unsafe { Python::<B>::assume_gil_acquired() };
        // SAFETY: `Borrowed` is `repr(transparent)` over `RawPtr`; the caller keeps the
        // receiver and the arguments alive for the call.
        let (receiver, args) = unsafe {
            (
                Borrowed::<PyAny, B>::from_ptr(py, receiver),
                std::slice::from_raw_parts(
                    args.as_ptr().cast::<Borrowed<'_, '_, PyAny, B>>(),
                    args.len(),
                ),
            )
        };
        let signature = SIGNATURES
            .get(TypeId::of::<Self>())
            .expect("a method's signature is registered with its entry");
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            // SAFETY: `H` is zero-sized and the value was leaked by `register`: a reference to
            // it is a dangling, aligned pointer, as `Box::leak` of a zero-sized value gives.
            let handler: &H = unsafe { NonNull::<H>::dangling().as_ref() };
            let this = Borrowed::downcast_class::<T>(receiver)?;
            if args.len() != H::ARITY {
                return Err(too_many_positional(signature, args.len(), 0));
            }
            let cell = crate::class::cell_of(this);
            handler.call(py, this, cell, args, signature)
        }));
        match outcome {
            Ok(Ok(value)) => Some(value.into_ptr()),
            Ok(Err(err)) => {
                err.restore(py);
                None
            }
            Err(payload) => {
                PyErr::<B>::new::<RuntimeError, _>(format!(
                    "Rust panic in {}(): {}",
                    signature.name(),
                    panic_message(&*payload)
                ))
                .restore(py);
                None
            }
        }
    }
}
