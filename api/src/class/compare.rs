//! Rich comparison of a Rust class: one handler comparing two values of the class (`&T`,
//! `&T`, [`CompareOp`]) fills `tp_richcompare`. Given an object of another type the slot
//! returns `NotImplemented`, so Python tries the other operand's comparison and then falls
//! back as for any class (identity for `==` and `!=`, `TypeError` for ordering).

use std::marker::PhantomData;

use crate::backend::{
    Backend, CompareOp, EntryKind, MethodEntry, NewRef, RawMethod, RawPtr, SlotKind,
};
use crate::class::entry;
use crate::class::{PyClass, PyRef};
use crate::err::{PyErr, PyResult};
use crate::exceptions::SystemError;
use crate::function::IntoReturn;
use crate::instance::{Borrowed, Bound};
use crate::python::Python;
use crate::types::PyAny;

/// A Rust function comparing two values of class `T`: `Fn(&T, &T, CompareOp) -> R`, where `R`
/// is what a method may return (usually `bool`, or `PyResult<bool>`). `Marker` is inferred.
pub trait CompareHandler<T, B: Backend, Marker>: Send + Sync + 'static {
    /// Compares and converts the result.
    fn compare<'py>(
        &self,
        py: Python<'py, B>,
        this: &T,
        other: &T,
        op: CompareOp,
    ) -> PyResult<Bound<'py, PyAny, B>, B>;
}

impl<T, B, F, R> CompareHandler<T, B, R> for F
where
    B: Backend,
    F: Fn(&T, &T, CompareOp) -> R + Send + Sync + 'static,
    R: IntoReturn<B>,
{
    fn compare<'py>(
        &self,
        py: Python<'py, B>,
        this: &T,
        other: &T,
        op: CompareOp,
    ) -> PyResult<Bound<'py, PyAny, B>, B> {
        (self)(this, other, op).into_return(py)
    }
}

/// The operator a backend passes as an int (`Py_LT` ... `Py_GE`).
fn compare_op<B: Backend>(op: i64) -> PyResult<CompareOp, B> {
    Ok(match op {
        0 => CompareOp::Lt,
        1 => CompareOp::Le,
        2 => CompareOp::Eq,
        3 => CompareOp::Ne,
        4 => CompareOp::Gt,
        5 => CompareOp::Ge,
        _ => {
            return Err(PyErr::new::<SystemError, _>(format!(
                "bad comparison operator {op}"
            )))
        }
    })
}

/// The types a [`CompareShim`] is made of (only named, never held).
type ShimTypes<T, B, H, M> = fn() -> (T, B, H, M);

/// The [`RawMethod`] of comparison `H` of class `T`: called with the other operand and the
/// operator as an int.
pub(crate) struct CompareShim<T, B, H, M>(PhantomData<ShimTypes<T, B, H, M>>);

impl<T: PyClass<B>, B: Backend, H: CompareHandler<T, B, M>, M: 'static> CompareShim<T, B, H, M> {
    /// Keeps `handler` for the life of the process; returns the backend's entry.
    pub(crate) fn register(class: &str, handler: H) -> MethodEntry {
        entry::register::<Self, H>(handler, format!("{class}.__richcmp__"), 2);
        B::entry::<Self>(EntryKind::Slot(SlotKind::RichCompare))
    }
}

// SAFETY: `call` checks both operands' class before touching a payload; `entry::run` counts
// the GIL, catches panics and returns a new reference or `None` with the error set.
unsafe impl<T: PyClass<B>, B: Backend, H: CompareHandler<T, B, M>, M: 'static> RawMethod
    for CompareShim<T, B, H, M>
{
    entry::positional_only!(B);

    unsafe fn call(receiver: RawPtr, args: &[RawPtr]) -> NewRef {
        // SAFETY: forwarded from the backend's guarantees.
        unsafe {
            entry::run::<Self, B>(true, receiver, args, |py, receiver, args, site| {
                // SAFETY: `register` kept a handler of type `H`.
                let handler = entry::handler::<H>();
                let this = Borrowed::downcast_class::<T>(receiver)?;
                let [other, op] = args else {
                    return Err(entry::arity_error(site, args.len()));
                };
                let op = compare_op::<B>(op.extract::<i64>()?)?;
                let Ok(other) = other.downcast_class::<T>() else {
                    return Ok(py.not_implemented());
                };
                let this = PyRef::acquire(this)?;
                let other = PyRef::acquire(other)?;
                handler.compare(py, &this, &other, op)
            })
        }
    }
}
