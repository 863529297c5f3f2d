//! Properties: a getter (`&T` to a value) and an optional setter (`&mut T` and a value, or a
//! `PyResult` of nothing). A setter given the wrong type raises `TypeError` naming the
//! property; setting a read-only one or deleting one raises `AttributeError`.

use std::marker::PhantomData;

use crate::backend::{Backend, EntryKind, MethodEntry, NewRef, RawMethod, RawPtr};
use crate::class::cell::ClassCell;
use crate::class::entry;
use crate::class::{cell_of, PyClass, PyRefMut};
use crate::conversion::FromPyObject;
use crate::err::{PyErr, PyResult};
use crate::function::Signature;
use crate::instance::{Borrowed, Bound};
use crate::python::Python;
use crate::types::PyAny;

/// What a setter (or an in-place operator) may return: nothing, or `PyResult<()>`.
pub trait SetterResult<B: Backend> {
    /// The outcome as a `PyResult`.
    fn into_result(self) -> PyResult<(), B>;
}

impl<B: Backend> SetterResult<B> for () {
    fn into_result(self) -> PyResult<(), B> {
        Ok(())
    }
}

impl<B: Backend> SetterResult<B> for PyResult<(), B> {
    fn into_result(self) -> PyResult<(), B> {
        self
    }
}

/// A Rust function usable as the setter of a property of class `T`; `Marker` is inferred.
pub trait SetterHandler<T, B: Backend, Marker>: Send + Sync + 'static {
    /// Extracts the value, borrows the instance's value exclusively and sets.
    fn set<'a, 'py>(
        &self,
        receiver: Borrowed<'a, 'py, T, B>,
        cell: &'a ClassCell<T>,
        value: Borrowed<'a, 'py, PyAny, B>,
        site: &Signature,
    ) -> PyResult<(), B>;
}

/// The value, or a `TypeError` naming the property: `Counter.value: expected int, got str`.
fn extract_value<'py, V: FromPyObject<'py, B>, B: Backend>(
    value: Borrowed<'_, 'py, PyAny, B>,
    site: &Signature,
) -> PyResult<V, B> {
    V::extract(&value).map_err(|err| {
        let kind = err
            .kind(value.py())
            .unwrap_or(crate::ExceptionKind::TypeError);
        PyErr::from_kind(
            kind,
            format!("{}: {}", site.name(), err.message(value.py())),
        )
    })
}

impl<T, B, F, V, R> SetterHandler<T, B, (V,)> for F
where
    B: Backend,
    F: Fn(&mut T, V) -> R + Send + Sync + 'static,
    V: for<'py> FromPyObject<'py, B>,
    R: SetterResult<B>,
{
    fn set<'a, 'py>(
        &self,
        receiver: Borrowed<'a, 'py, T, B>,
        cell: &'a ClassCell<T>,
        value: Borrowed<'a, 'py, PyAny, B>,
        site: &Signature,
    ) -> PyResult<(), B> {
        let value = extract_value(value, site)?;
        cell.acquire_exclusive::<B>()?;
        (self)(&mut PyRefMut::new(receiver, cell), value).into_result()
    }
}

/// The types a [`SetterShim`] is made of (only named, never held).
type ShimTypes<T, B, H, M> = fn() -> (T, B, H, M);

/// The [`RawMethod`] of setter `H` of class `T`.
pub(crate) struct SetterShim<T, B, H, M>(PhantomData<ShimTypes<T, B, H, M>>);

impl<T: PyClass<B>, B: Backend, H: SetterHandler<T, B, M>, M: 'static> SetterShim<T, B, H, M> {
    /// Keeps `handler` for the life of the process; returns the backend's setter entry.
    pub(crate) fn register(class: &str, name: &str, handler: H) -> MethodEntry {
        entry::register::<Self, H>(handler, format!("{class}.{name}"), 1);
        B::entry::<Self>(EntryKind::Setter)
    }
}

// SAFETY: `call` checks the receiver's class before touching its payload; `entry::run` counts
// the GIL, catches panics and returns a new reference (`None` the object) or `None` with the
// error set.
unsafe impl<T: PyClass<B>, B: Backend, H: SetterHandler<T, B, M>, M: 'static> RawMethod
    for SetterShim<T, B, H, M>
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
                    let this = site.downcast::<T, B>(receiver)?;
                    let [value] = args else {
                        return Err(entry::arity_error(site, args.len()));
                    };
                    handler.set(this, cell_of(this), *value, site)?;
                    Ok(Bound::<PyAny, B>::from_borrowed_ptr(py, B::none()))
                },
            )
        }
    }
}
