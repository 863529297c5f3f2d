//! In-place numeric operators of a Rust class (`+=`, `-=`, `*=`, `/=`, `//=`, `%=`): a handler
//! updating the value from the other operand — another value of the class (`&T`) or anything
//! it converts from (`V: FromPyObject`) — and the operator returns the instance itself. For an
//! operand it does not take, and for the instance itself as the operand (`v += v`, which could
//! not be borrowed twice), it returns `NotImplemented`, so Python falls back to the binary
//! operator (`v = v + v`).

use std::marker::PhantomData;

use crate::backend::{Backend, EntryKind, MethodEntry, NewRef, RawMethod, RawPtr, SlotKind};
use crate::class::entry;
use crate::class::operator::SameClass;
use crate::class::property::SetterResult;
use crate::class::{PyClass, PyRef, PyRefMut};
use crate::conversion::FromPyObject;
use crate::err::PyResult;
use crate::instance::Borrowed;
use crate::python::Python;

/// A Rust function usable as an in-place operator of class `T`: `Fn(&mut T, &T) -> R` or
/// `Fn(&mut T, V) -> R` (`V: FromPyObject`), `R` a [`SetterResult`] (nothing, or `PyResult<()>`). `Marker` is inferred.
pub trait InplaceHandler<T, B: Backend, Marker>: Send + Sync + 'static {
    /// Updates the value of `this` (borrowed mutably here) from `other`; `Ok(false)` when
    /// `other` is not an operand it takes.
    fn apply<'a, 'py>(
        &self,
        this: Borrowed<'a, 'py, T, B>,
        other: Borrowed<'a, 'py, crate::types::PyAny, B>,
    ) -> PyResult<bool, B>;
}

/// Borrows `this`'s value mutably for `update`.
fn update<T: PyClass<B>, B: Backend>(
    this: Borrowed<'_, '_, T, B>,
    update: impl FnOnce(&mut T) -> PyResult<(), B>,
) -> PyResult<bool, B> {
    let mut value = PyRefMut::acquire(this)?;
    update(&mut value)?;
    Ok(true)
}

impl<T, B, F, R> InplaceHandler<T, B, SameClass> for F
where
    T: PyClass<B>,
    B: Backend,
    F: Fn(&mut T, &T) -> R + Send + Sync + 'static,
    R: SetterResult<B>,
{
    fn apply<'a, 'py>(
        &self,
        this: Borrowed<'a, 'py, T, B>,
        other: Borrowed<'a, 'py, crate::types::PyAny, B>,
    ) -> PyResult<bool, B> {
        let Ok(other) = other.downcast_class::<T>() else {
            return Ok(false);
        };
        if other.as_ptr() == this.as_ptr() {
            return Ok(false);
        }
        let other = PyRef::acquire(other)?;
        update(this, |value| (self)(value, &other).into_result())
    }
}

impl<T, B, F, V, R> InplaceHandler<T, B, (V,)> for F
where
    T: PyClass<B>,
    B: Backend,
    F: Fn(&mut T, V) -> R + Send + Sync + 'static,
    V: for<'py> FromPyObject<'py, B>,
    R: SetterResult<B>,
{
    fn apply<'a, 'py>(
        &self,
        this: Borrowed<'a, 'py, T, B>,
        other: Borrowed<'a, 'py, crate::types::PyAny, B>,
    ) -> PyResult<bool, B> {
        let Ok(other) = V::extract(&other) else {
            return Ok(false);
        };
        update(this, |value| (self)(value, other).into_result())
    }
}

/// The types an [`InplaceShim`] is made of (only named, never held).
type ShimTypes<T, B, H, M> = fn() -> (T, B, H, M);

/// The [`RawMethod`] of in-place operator `H` of class `T`: called with the instance as the
/// receiver and the other operand as the argument (as `nb_inplace_add` and `__iadd__` are).
pub(crate) struct InplaceShim<T, B, H, M>(PhantomData<ShimTypes<T, B, H, M>>);

impl<T: PyClass<B>, B: Backend, H: InplaceHandler<T, B, M>, M: 'static> InplaceShim<T, B, H, M> {
    /// Keeps `handler` for the life of the process; returns the backend's method and slot
    /// entries for operator `kind`.
    pub(crate) fn register(class: &str, kind: SlotKind, handler: H) -> (MethodEntry, MethodEntry) {
        entry::register::<Self, H>(handler, format!("{class}.{}", kind.method_name()), 1);
        (
            B::entry::<Self>(EntryKind::Method),
            B::entry::<Self>(EntryKind::Slot(kind)),
        )
    }
}

// SAFETY: `call` checks the receiver's class before touching its payload; `entry::run` counts
// the GIL, catches panics and returns a new reference or `None` with the error set.
unsafe impl<T: PyClass<B>, B: Backend, H: InplaceHandler<T, B, M>, M: 'static> RawMethod
    for InplaceShim<T, B, H, M>
{
    entry::positional_only!(B);

    unsafe fn call(receiver: RawPtr, args: &[RawPtr]) -> NewRef {
        // SAFETY: forwarded from the backend's guarantees.
        unsafe {
            entry::run::<Self, B>(
                true,
                receiver,
                args,
                |py: Python<'_, B>, receiver, args, site| {
                    // SAFETY: `register` kept a handler of type `H`.
                    let handler = entry::handler::<H>();
                    let [other] = args else {
                        return Err(entry::arity_error(site, args.len()));
                    };
                    let Ok(this) = Borrowed::downcast_class::<T>(receiver) else {
                        return Ok(py.not_implemented());
                    };
                    if handler.apply(this, *other)? {
                        Ok(this.to_owned().into_any())
                    } else {
                        Ok(py.not_implemented())
                    }
                },
            )
        }
    }
}
