//! Constructors: a Rust function from positional arguments to the value (`T`, or
//! `PyResult<T>` for one that can fail) becomes the class's `__new__`, so Python code (and a
//! Python subclass) can create instances. Like methods, constructors capture nothing. A
//! constructor taking keywords and defaults is defined with
//! [`constructor!`](crate::constructor!) instead.

use std::marker::PhantomData;

use crate::backend::{Backend, EntryKind, MethodEntry, NewRef, RawMethod, RawPtr};
use crate::class::entry;
use crate::class::{cell_of, PyClass};
use crate::conversion::FromPyObject;
use crate::err::PyResult;
use crate::function::Signature;
use crate::instance::{Borrowed, Bound};
use crate::types::PyAny;

/// Marks constructors returning the value.
pub struct Infallible;
/// Marks constructors returning `PyResult` of the value.
pub struct Fallible;

/// A Rust function usable as the constructor of class `T`; `Marker` is inferred.
pub trait ConstructorHandler<T, B: Backend, Marker>: Send + Sync + 'static {
    /// How many positional arguments it takes.
    const ARITY: usize;
    /// Whether an argument may own a `Py` (the call then counts the GIL; see `entry::run`).
    const HOLDS_PY: bool = true;

    /// Extracts the arguments and makes the value.
    fn construct<'a, 'py>(
        &self,
        args: &[Borrowed<'a, 'py, PyAny, B>],
        site: &Signature,
    ) -> PyResult<T, B>;
}

macro_rules! constructor_impls {
    ($($A:ident $a:ident $i:tt),*; $arity:literal) => {
        impl<T, B, F, $($A,)*> ConstructorHandler<T, B, (Infallible, ($($A,)*))> for F
        where
            B: Backend,
            F: Fn($($A),*) -> T + Send + Sync + 'static,
            $($A: for<'py> FromPyObject<'py, B>,)*
        {
            const ARITY: usize = $arity;
            const HOLDS_PY: bool = false $(|| <$A as FromPyObject<'static, B>>::HOLDS_PY)*;
            #[allow(unused_variables)]
            #[inline]
            fn construct<'a, 'py>(&self, args: &[Borrowed<'a, 'py, PyAny, B>], site: &Signature) -> PyResult<T, B> {
                $(let $a = entry::argument::<B, $A>(args, $i, site)?;)*
                Ok((self)($($a),*))
            }
        }

        impl<T, B, F, $($A,)*> ConstructorHandler<T, B, (Fallible, ($($A,)*))> for F
        where
            B: Backend,
            F: Fn($($A),*) -> PyResult<T, B> + Send + Sync + 'static,
            $($A: for<'py> FromPyObject<'py, B>,)*
        {
            const ARITY: usize = $arity;
            const HOLDS_PY: bool = false $(|| <$A as FromPyObject<'static, B>>::HOLDS_PY)*;
            #[allow(unused_variables)]
            #[inline]
            fn construct<'a, 'py>(&self, args: &[Borrowed<'a, 'py, PyAny, B>], site: &Signature) -> PyResult<T, B> {
                $(let $a = entry::argument::<B, $A>(args, $i, site)?;)*
                (self)($($a),*)
            }
        }
    };
}

constructor_impls!(; 0);
constructor_impls!(A0 a0 0; 1);
constructor_impls!(A0 a0 0, A1 a1 1; 2);
constructor_impls!(A0 a0 0, A1 a1 1, A2 a2 2; 3);
constructor_impls!(A0 a0 0, A1 a1 1, A2 a2 2, A3 a3 3; 4);

/// The types a [`ConstructorShim`] is made of (only named, never held).
type ShimTypes<T, B, H, M> = fn() -> (T, B, H, M);

/// The [`RawMethod`] of constructor `H` of class `T`; its receiver is the class being
/// instantiated (`T`'s class or a subclass).
pub(crate) struct ConstructorShim<T, B, H, M>(PhantomData<ShimTypes<T, B, H, M>>);

impl<T: PyClass<B>, B: Backend, H: ConstructorHandler<T, B, M>, M: 'static>
    ConstructorShim<T, B, H, M>
{
    /// Keeps `handler` for the life of the process; returns the backend's `__new__` entry.
    pub(crate) fn register(class: &str, handler: H) -> MethodEntry {
        entry::register::<Self, H>(handler, class.to_owned(), H::ARITY);
        B::entry::<Self>(EntryKind::Constructor)
    }
}

// SAFETY: `call` returns a new instance of the class it was given (whose `__new__` it is, so
// `T`'s class or a subclass); `entry::run` counts the GIL, catches panics and returns a new
// reference or `None` with the error set.
unsafe impl<T: PyClass<B>, B: Backend, H: ConstructorHandler<T, B, M>, M: 'static> RawMethod
    for ConstructorShim<T, B, H, M>
{
    entry::positional_only!(B);

    unsafe fn call(class: RawPtr, args: &[RawPtr]) -> NewRef {
        // SAFETY: forwarded from the backend's guarantees.
        unsafe {
            entry::run::<Self, B>(H::HOLDS_PY, class, args, |py, class, args, site| {
                // SAFETY: `register` kept a handler of type `H`.
                let handler = entry::handler::<H>();
                if args.len() != H::ARITY {
                    return Err(entry::arity_error(site, args.len()));
                }
                let value = handler.construct(args, site)?;
                // SAFETY: GIL held; `class` is `T`'s class or a subclass (the backend installs
                // this entry as its `__new__`); the result is a new instance with an unwritten
                // payload, or an error.
                let object =
                    Bound::<T, B>::from_owned_ptr_or_err(py, B::instance_new(class.as_ptr()))?;
                // SAFETY: the instance is fresh: its payload is zero-filled and unwritten.
                cell_of(object.as_borrowed()).write(value, false);
                Ok(object.into_any())
            })
        }
    }
}
