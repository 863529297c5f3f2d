//! Reflected binary operators of a Rust class (`__radd__`, ...: `2 * v` when `int` declines):
//! a handler taking the value and the left operand, as [`OperatorHandler`]s do. Python asks a
//! class's binary slot (`nb_multiply`) with the instance on the right: the slot's entry hands
//! such a call to the reflected handler registered for the class and operator (and a class
//! with only a reflected operator gets an entry doing only that).

use std::any::{Any, TypeId};
use std::marker::PhantomData;
use std::sync::{PoisonError, RwLock};

use crate::backend::{Backend, EntryKind, MethodEntry, NewRef, RawMethod, RawPtr, SlotKind};
use crate::class::operator::OperatorHandler;
use crate::class::registry::Registry;
use crate::class::{entry, PyClass, PyRef};
use crate::err::PyResult;
use crate::instance::{Borrowed, Bound};
use crate::python::Python;
use crate::types::PyAny;

/// A reflected operation: the token, the left operand and the right one (an instance, or not:
/// then `NotImplemented`).
type Reflected<B> = for<'a, 'py> fn(
    Python<'py, B>,
    Borrowed<'a, 'py, PyAny, B>,
    Borrowed<'a, 'py, PyAny, B>,
) -> PyResult<Bound<'py, PyAny, B>, B>;

/// One class's reflected operations: a `Reflected<B>` by operator.
type Table = RwLock<Vec<(SlotKind, Box<dyn Any + Send + Sync>)>>;

/// The reflected operations of each class, by `(T, B)`.
static REFLECTED: Registry<Table> = Registry::new();

/// The reflected operation `kind` of class `T`, if the class has one.
pub(crate) fn reflected<T: 'static, B: Backend>(kind: SlotKind) -> Option<Reflected<B>> {
    let table = REFLECTED.get(TypeId::of::<(T, B)>())?;
    let table = table.read().unwrap_or_else(PoisonError::into_inner);
    let (_, operation) = table.iter().find(|(filled, _)| *filled == kind)?;
    operation.downcast_ref::<Reflected<B>>().copied()
}

/// `left <op> right` by the reflected handler `H` of class `T`: `right` is an instance.
fn apply<'a, 'py, T: PyClass<B>, B: Backend, H: OperatorHandler<T, B, M>, M: 'static>(
    py: Python<'py, B>,
    left: Borrowed<'a, 'py, PyAny, B>,
    right: Borrowed<'a, 'py, PyAny, B>,
) -> PyResult<Bound<'py, PyAny, B>, B> {
    let Ok(this) = right.downcast_class::<T>() else {
        return Ok(py.not_implemented());
    };
    let this = PyRef::acquire(this)?;
    // SAFETY: `register` kept a handler of type `H`.
    let handler = unsafe { entry::handler::<H>() };
    Ok(handler
        .apply(py, &this, left)?
        .unwrap_or_else(|| py.not_implemented()))
}

/// The types a [`ReflectedShim`] is made of (only named, never held).
type ShimTypes<T, B, H, M> = fn() -> (T, B, H, M);

/// The [`RawMethod`] of reflected operator `H` of class `T`: the method `__radd__` (the
/// instance, then the left operand), or with `SLOT` the binary slot of a class without the
/// forward operator (the left operand, then the right: only a call with the instance on the
/// right is answered).
pub(crate) struct ReflectedShim<T, B, H, M, const SLOT: bool>(PhantomData<ShimTypes<T, B, H, M>>);

impl<T: PyClass<B>, B: Backend, H: OperatorHandler<T, B, M>, M: 'static>
    ReflectedShim<T, B, H, M, false>
{
    /// Keeps `handler` and records the reflected operation of `kind`; returns the method's
    /// entry and the entry of a slot answering only reflected calls.
    pub(crate) fn register(kind: SlotKind, handler: H) -> (MethodEntry, MethodEntry) {
        let name = format!("{}.{}", T::NAME, reflected_name(kind));
        entry::register::<Self, H>(handler, name.clone(), 1);
        entry::register_site::<ReflectedShim<T, B, H, M, true>>(name, 1);
        let table = REFLECTED.get_or_insert_with(TypeId::of::<(T, B)>(), RwLock::default);
        let operation: Reflected<B> = apply::<T, B, H, M>;
        let mut table = table.write().unwrap_or_else(PoisonError::into_inner);
        table.retain(|(filled, _)| *filled != kind);
        table.push((kind, Box::new(operation)));
        (
            B::entry::<Self>(EntryKind::Method),
            B::entry::<ReflectedShim<T, B, H, M, true>>(EntryKind::Slot(kind)),
        )
    }
}

/// `__radd__` for `Add`, ...
pub(crate) fn reflected_name(kind: SlotKind) -> String {
    format!("__r{}", kind.method_name().trim_start_matches("__"))
}

// SAFETY: `call` checks the instance's class before touching its payload; `entry::run` counts
// the GIL, catches panics and returns a new reference or `None` with the error set.
unsafe impl<T: PyClass<B>, B: Backend, H: OperatorHandler<T, B, M>, M: 'static, const SLOT: bool>
    RawMethod for ReflectedShim<T, B, H, M, SLOT>
{
    entry::positional_only!(B);

    unsafe fn call(receiver: RawPtr, args: &[RawPtr]) -> NewRef {
        // SAFETY: forwarded from the backend's guarantees.
        unsafe {
            entry::run::<Self, B>(true, receiver, args, |py, receiver, args, site| {
                let [other] = args else {
                    return Err(entry::arity_error(site, args.len()));
                };
                if !SLOT {
                    // `instance.__radd__(other)`: `other + instance`.
                    return apply::<T, B, H, M>(py, *other, receiver);
                }
                if receiver.downcast_class::<T>().is_ok() {
                    // The forward operation, which the class does not have.
                    return Ok(py.not_implemented());
                }
                apply::<T, B, H, M>(py, receiver, *other)
            })
        }
    }
}
