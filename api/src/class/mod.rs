//! Rust types as Python classes: [`PyClass`] defines one, [`Bound::new`]/[`Py::new`] make
//! instances, [`Bound::borrow`]/[`Bound::borrow_mut`] reach the Rust value with a run-time
//! borrow check, and each class's type object is made once per process per backend.

mod builder;
mod cell;
mod compare;
mod constructor;
mod defined;
mod entry;
mod gc;
mod inplace;
mod macros;
mod method;
mod operator;
mod property;
mod reflected;
mod refs;
mod registry;

use std::any::TypeId;

pub use builder::ClassBuilder;
pub use cell::{ClassCell, ClassPayload};
pub use compare::CompareHandler;
pub use constructor::{ConstructorHandler, Fallible, Infallible};
#[doc(hidden)]
pub use defined::{class_receiver, ClassReceiver, ReceiverClass};
pub use defined::{DefinedConstructor, DefinedMethod, IntoValue, MethodDef};
pub use gc::{PyTraverseError, PyVisit};
pub use inplace::InplaceHandler;
pub use method::{ByMut, ByObject, ByPyRef, ByPyRefMut, ByRef, MethodHandler};
pub use operator::{Converted, NewValue, OperatorHandler, OperatorResult, SameClass};
pub use property::{SetterHandler, SetterResult};
pub use refs::{PyRef, PyRefMut};

use crate::backend::{Backend, RawPtr};
use crate::err::{PyErr, PyResult};
use crate::exceptions::TypeError;
use crate::instance::{Borrowed, Bound, Py};
use crate::python::Python;
use crate::type_object::TypeObjectCell;
use crate::types::PyAny;

use registry::Registry;

/// A Rust type usable as a Python class on backend `B`.
///
/// ```
/// use anypy::{Backend, Bound, ClassBuilder, PyClass, PyResult, Python};
/// use anypy_mock::Mock;
///
/// struct Counter {
///     n: i64,
/// }
///
/// impl<B: Backend> PyClass<B> for Counter {
///     const NAME: &'static str = "Counter";
///     fn define(class: &mut ClassBuilder<'_, Self, B>) -> PyResult<(), B> {
///         class
///             .method("incr", |this: &mut Counter, by: i64| {
///                 this.n += by;
///                 this.n
///             })?
///             .method("value", |this: &Counter| this.n)?;
///         Ok(())
///     }
/// }
///
/// Mock::leak_check(|| Python::<Mock>::with_gil(|py| {
///     let counter = Bound::new(py, Counter { n: 1 }).unwrap();
///     let n = counter.as_any().call_method1("incr", (41,)).unwrap();
///     assert_eq!(n.extract::<i64>().unwrap(), 42);
///     assert_eq!(counter.borrow().n, 42);
/// }));
/// ```
pub trait PyClass<B: Backend>: Sized + 'static {
    /// The class's `__name__`.
    const NAME: &'static str;
    /// The class's `__module__` (empty: `builtins`); the type's name is `module.Name`.
    const MODULE: &'static str = "";

    /// Fills in the class's docstring and methods (called once per process per backend).
    fn define(class: &mut ClassBuilder<'_, Self, B>) -> PyResult<(), B> {
        let _ = class;
        Ok(())
    }

    /// Reports every `Py` handle the value holds, for the cycle collector; only called for a
    /// class marked [`ClassBuilder::garbage_collected`]. A handle left out keeps a cycle
    /// through it alive (the mock's leak check then reports it). Must only visit: no calls
    /// into Python. Not called while the value is borrowed mutably (it then counts as held
    /// from outside, which is safe).
    fn traverse(&self, visit: &mut PyVisit<'_, B>) -> Result<(), PyTraverseError> {
        let _ = visit;
        Ok(())
    }

    /// Drops the handles `traverse` reports (the collector breaks a cycle through this value);
    /// the value stays usable. Not called while the value is borrowed.
    fn clear(&mut self) {}

    /// The class object, made on first use.
    fn type_object(py: Python<'_, B>) -> PyResult<Bound<'_, PyAny, B>, B> {
        let class = type_ptr::<Self, B>(py)?;
        // SAFETY: the token proves the GIL; the class lives as long as the process.
        Ok(unsafe { Bound::from_borrowed_ptr(py, class) })
    }
}

/// The type-object cells of all classes, by Rust type.
static CLASSES: Registry<TypeObjectCell> = Registry::new();

/// The class object of `T` on `B` (borrowed; lives as long as the process), made on first use.
#[inline]
pub(crate) fn type_ptr<T: PyClass<B>, B: Backend>(py: Python<'_, B>) -> PyResult<RawPtr, B> {
    let cell = CLASSES.get_or_insert_with(TypeId::of::<T>(), TypeObjectCell::new);
    if let Some(class) = cell.get::<B>() {
        return Ok(class);
    }
    cell.get_or_try_init(py, |py| {
        let mut builder = ClassBuilder::<T, B>::new(py);
        T::define(&mut builder)?;
        let (def, attributes) = builder.finish();
        // SAFETY: the token proves the GIL; the entries came from `B::entry`
        // for methods of `T`; the result is a new reference or an error.
        let class: Bound<'_, PyAny, B> =
            unsafe { Bound::from_owned_ptr_or_err(py, B::class_new::<ClassPayload<T, B>>(def))? };
        for (name, value) in attributes {
            class.setattr(&name, value)?;
        }
        Ok(class)
    })
}

/// The payload of an instance of `T`.
fn cell_of<'a, T: PyClass<B>, B: Backend>(object: Borrowed<'a, '_, T, B>) -> &'a ClassCell<T> {
    // SAFETY: `object` is a live instance of `T`'s class (its type was checked when the handle
    // was made), which keeps its payload, a `ClassCell<T>`, alive for `'a`.
    unsafe { &*B::instance_payload::<ClassPayload<T, B>>(object.as_ptr()).cast::<ClassCell<T>>() }
}

impl<'py, T: PyClass<B> + Send, B: Backend> Bound<'py, T, B> {
    /// A new instance of class `T` holding `value` (dropped if the instance cannot be made).
    #[track_caller]
    pub fn new(py: Python<'py, B>, value: T) -> PyResult<Self, B> {
        Self::with_value(py, value, false)
    }
}

impl<'py, T: PyClass<B>, B: Backend> Bound<'py, T, B> {
    /// A new instance holding a value that is not `Send`: only this thread may use it. From
    /// another thread, borrowing it (also by calling its methods) raises `RuntimeError`, the
    /// collector leaves it alone, and if it is freed there its value is leaked, not dropped.
    #[track_caller]
    pub fn new_unsendable(py: Python<'py, B>, value: T) -> PyResult<Self, B> {
        Self::with_value(py, value, true)
    }

    #[track_caller]
    fn with_value(py: Python<'py, B>, value: T, confined: bool) -> PyResult<Self, B> {
        let class = type_ptr::<T, B>(py)?;
        // SAFETY: the token proves the GIL; `class` was made by `class_new`; the result is a
        // new reference to an instance with an unwritten payload, or an error.
        let object = unsafe { Bound::<T, B>::from_owned_ptr_or_err(py, B::instance_new(class))? };
        // SAFETY: the instance is fresh: its payload is zero-filled and unwritten.
        unsafe { cell_of(object.as_borrowed()).write(value, confined) };
        Ok(object)
    }

    /// Shared access to the value; panics if it is borrowed mutably (see
    /// [`Bound::try_borrow`]).
    #[track_caller]
    pub fn borrow(&self) -> PyRef<'_, 'py, T, B> {
        self.try_borrow()
            .unwrap_or_else(|err| panic!("{}", err.message(self.py())))
    }

    /// Exclusive access to the value; panics if it is borrowed (see
    /// [`Bound::try_borrow_mut`]).
    #[track_caller]
    pub fn borrow_mut(&self) -> PyRefMut<'_, 'py, T, B> {
        self.try_borrow_mut()
            .unwrap_or_else(|err| panic!("{}", err.message(self.py())))
    }

    /// Shared access to the value, or `RuntimeError: Already mutably borrowed`.
    pub fn try_borrow(&self) -> PyResult<PyRef<'_, 'py, T, B>, B> {
        PyRef::acquire(self.as_borrowed())
    }

    /// Exclusive access to the value, or `RuntimeError: Already borrowed` (or `Already
    /// mutably borrowed`).
    pub fn try_borrow_mut(&self) -> PyResult<PyRefMut<'_, 'py, T, B>, B> {
        PyRefMut::acquire(self.as_borrowed())
    }
}

impl<T: PyClass<B> + Send, B: Backend> Py<T, B> {
    /// A new instance of class `T` holding `value`, as a handle that outlives the GIL.
    #[track_caller]
    pub fn new(py: Python<'_, B>, value: T) -> PyResult<Self, B> {
        Bound::new(py, value).map(Bound::unbind)
    }
}

/// Whether `object` is an instance of `T`'s class (subclasses count).
#[inline]
fn is_instance<T: PyClass<B>, B: Backend>(object: Borrowed<'_, '_, PyAny, B>) -> PyResult<bool, B> {
    let class = type_ptr::<T, B>(object.py())?;
    // SAFETY: the token proves the GIL; both objects are alive.
    unsafe {
        if B::type_of(object.as_ptr()) == class {
            return Ok(true);
        }
        match B::is_instance(object.as_ptr(), class) {
            -1 => Err(PyErr::fetch(object.py())),
            found => Ok(found == 1),
        }
    }
}

/// The `TypeError` of a failed downcast to a class.
#[cold]
fn not_an_instance<T: PyClass<B>, B: Backend>(object: Borrowed<'_, '_, PyAny, B>) -> PyErr<B> {
    PyErr::new::<TypeError, _>(format!("expected {}, got {}", T::NAME, object.type_name()))
}

impl<'py, B: Backend> Bound<'py, PyAny, B> {
    /// Checked downcast to class `T`; `TypeError: expected Counter, got int` otherwise.
    pub fn downcast_class<T: PyClass<B>>(&self) -> PyResult<&Bound<'py, T, B>, B> {
        if is_instance::<T, B>(self.as_borrowed())? {
            // SAFETY: just checked.
            Ok(unsafe { self.cast_unchecked() })
        } else {
            Err(not_an_instance::<T, B>(self.as_borrowed()))
        }
    }
}

impl<'a, 'py, B: Backend> Borrowed<'a, 'py, PyAny, B> {
    /// Checked downcast to class `T`; see [`Bound::downcast_class`].
    #[inline]
    pub fn downcast_class<T: PyClass<B>>(self) -> PyResult<Borrowed<'a, 'py, T, B>, B> {
        if is_instance::<T, B>(self)? {
            // SAFETY: just checked; the pointer and lifetimes are unchanged.
            Ok(unsafe { Borrowed::from_ptr(self.py(), self.as_ptr()) })
        } else {
            Err(not_an_instance::<T, B>(self))
        }
    }
}
