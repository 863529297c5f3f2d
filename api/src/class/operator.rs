//! Binary numeric operators of a Rust class (`+`, `-`, `*`, `/`, `//`, `%`): a handler taking
//! the value and the other operand — another value of the class (`&T`) or anything it
//! converts from (`V: FromPyObject`). For an operand it does not take, and when the left
//! operand is not an instance (a reflected operation) unless the class has the reflected
//! operator, the operator returns `NotImplemented`, so Python tries the other operand's
//! (reflected) operation, then raises `TypeError`.

use std::any::TypeId;
use std::marker::PhantomData;

use crate::backend::{Backend, EntryKind, MethodEntry, NewRef, RawMethod, RawPtr, SlotKind};
use crate::class::entry;
use crate::class::reflected::reflected;
use crate::class::registry::Registry;
use crate::class::{PyClass, PyRef};
use crate::conversion::FromPyObject;
use crate::err::PyResult;
use crate::function::IntoReturn;
use crate::instance::{Borrowed, Bound};
use crate::python::Python;
use crate::types::PyAny;

/// Marks operators whose other operand is a value of the class too (`&T`).
pub struct SameClass;
/// Marks operator results that are a new value of the class (`T` or `PyResult<T>`).
pub struct NewValue;
/// Marks operator results converted as a method's are (`IntoReturn`).
pub struct Converted;

/// What an operator of class `T` may return: a new value of the class (`T` or `PyResult<T>`),
/// made into an instance, or anything a method may return. `Kind` is inferred.
pub trait OperatorResult<T, B: Backend, Kind> {
    /// The result for Python.
    fn into_result<'py>(self, py: Python<'py, B>) -> PyResult<Bound<'py, PyAny, B>, B>;
}

impl<T: PyClass<B> + Send, B: Backend> OperatorResult<T, B, NewValue> for T {
    fn into_result<'py>(self, py: Python<'py, B>) -> PyResult<Bound<'py, PyAny, B>, B> {
        Ok(Bound::new(py, self)?.into_any())
    }
}

impl<T: PyClass<B> + Send, B: Backend> OperatorResult<T, B, NewValue> for PyResult<T, B> {
    fn into_result<'py>(self, py: Python<'py, B>) -> PyResult<Bound<'py, PyAny, B>, B> {
        Ok(Bound::new(py, self?)?.into_any())
    }
}

impl<T, B: Backend, R: IntoReturn<B>> OperatorResult<T, B, Converted> for R {
    fn into_result<'py>(self, py: Python<'py, B>) -> PyResult<Bound<'py, PyAny, B>, B> {
        self.into_return(py)
    }
}

/// A Rust function usable as a binary operator of class `T`: `Fn(&T, &T) -> O` or
/// `Fn(&T, V) -> O` (`V: FromPyObject`), `O` an [`OperatorResult`]. `Marker` is inferred.
pub trait OperatorHandler<T, B: Backend, Marker>: Send + Sync + 'static {
    /// Applies the operator to the value and `other`; `Ok(None)` when `other` is not an
    /// operand it takes.
    fn apply<'a, 'py>(
        &self,
        py: Python<'py, B>,
        this: &T,
        other: Borrowed<'a, 'py, PyAny, B>,
    ) -> PyResult<Option<Bound<'py, PyAny, B>>, B>;
}

impl<T, B, F, O, K> OperatorHandler<T, B, (SameClass, K)> for F
where
    T: PyClass<B>,
    B: Backend,
    F: Fn(&T, &T) -> O + Send + Sync + 'static,
    O: OperatorResult<T, B, K>,
{
    fn apply<'a, 'py>(
        &self,
        py: Python<'py, B>,
        this: &T,
        other: Borrowed<'a, 'py, PyAny, B>,
    ) -> PyResult<Option<Bound<'py, PyAny, B>>, B> {
        let Ok(other) = other.downcast_class::<T>() else {
            return Ok(None);
        };
        let other = PyRef::acquire(other)?;
        (self)(this, &other).into_result(py).map(Some)
    }
}

impl<T, B, F, V, O, K> OperatorHandler<T, B, ((V,), K)> for F
where
    B: Backend,
    F: Fn(&T, V) -> O + Send + Sync + 'static,
    V: for<'py> FromPyObject<'py, B>,
    O: OperatorResult<T, B, K>,
{
    fn apply<'a, 'py>(
        &self,
        py: Python<'py, B>,
        this: &T,
        other: Borrowed<'a, 'py, PyAny, B>,
    ) -> PyResult<Option<Bound<'py, PyAny, B>>, B> {
        let Ok(other) = V::extract(&other) else {
            return Ok(None);
        };
        (self)(this, other).into_result(py).map(Some)
    }
}

/// The operator each [`OperatorShim`] fills, by the shim's type.
static KINDS: Registry<SlotKind> = Registry::new();

/// The types an [`OperatorShim`] is made of (only named, never held).
type ShimTypes<T, B, H, M> = fn() -> (T, B, H, M);

/// The [`RawMethod`] of operator `H` of class `T`: called with the left operand as the
/// receiver and the right one as the argument (as `nb_add` and `__add__` are).
pub(crate) struct OperatorShim<T, B, H, M>(PhantomData<ShimTypes<T, B, H, M>>);

impl<T: PyClass<B>, B: Backend, H: OperatorHandler<T, B, M>, M: 'static> OperatorShim<T, B, H, M> {
    /// Keeps `handler` for the life of the process; returns the backend's method and slot
    /// entries for operator `kind`.
    pub(crate) fn register(class: &str, kind: SlotKind, handler: H) -> (MethodEntry, MethodEntry) {
        entry::register::<Self, H>(handler, format!("{class}.{}", kind.method_name()), 1);
        KINDS.insert(TypeId::of::<Self>(), kind);
        (
            B::entry::<Self>(EntryKind::Method),
            B::entry::<Self>(EntryKind::Slot(kind)),
        )
    }
}

// SAFETY: `call` checks the receiver's class before touching its payload; `entry::run` counts
// the GIL, catches panics and returns a new reference or `None` with the error set.
unsafe impl<T: PyClass<B>, B: Backend, H: OperatorHandler<T, B, M>, M: 'static> RawMethod
    for OperatorShim<T, B, H, M>
{
    entry::positional_only!(B);

    unsafe fn call(receiver: RawPtr, args: &[RawPtr]) -> NewRef {
        // SAFETY: forwarded from the backend's guarantees.
        unsafe {
            entry::run::<Self, B>(true, receiver, args, |py, receiver, args, site| {
                // SAFETY: `register` kept a handler of type `H`.
                let handler = entry::handler::<H>();
                let [other] = args else {
                    return Err(entry::arity_error(site, args.len()));
                };
                // A reflected operation: the left operand is the other object; the class's
                // reflected operator answers, if it has one.
                let Ok(this) = Borrowed::downcast_class::<T>(receiver) else {
                    let kind = KINDS.get(TypeId::of::<Self>());
                    return match kind.and_then(|kind| reflected::<T, B>(*kind)) {
                        Some(reflected) => reflected(py, receiver, *other),
                        None => Ok(py.not_implemented()),
                    };
                };
                let this = PyRef::acquire(this)?;
                Ok(handler
                    .apply(py, &this, *other)?
                    .unwrap_or_else(|| py.not_implemented()))
            })
        }
    }
}
