//! Zero-sized markers for Python types, and the methods on `Bound<'py, PyDict, B>` and friends.

pub(crate) mod any;
mod boolean;
mod bytes;
mod class_object;
mod dict;
mod float;
mod int;
mod int_wide;
mod iterator;
mod list;
mod module;
mod none;
mod set;
mod string;
mod tuple;

pub use class_object::PyType;
pub use dict::DictIter;
pub use iterator::PyIterator;
pub use list::ListIter;
pub use tuple::TupleIter;

use crate::backend::{Backend, BuiltinType};
use crate::err::PyErr;
use crate::exceptions::TypeError;
use crate::instance::Bound;

/// A Python type anypy can check for.
pub trait PyTypeInfo: Sized + 'static {
    /// The Python name used in messages, e.g. `"dict"`.
    const NAME: &'static str;
    /// Whether `obj` is an instance of this type (subclasses count).
    fn is_type_of<B: Backend>(obj: &Bound<'_, PyAny, B>) -> bool;
}

/// Types whose `Bound` derefs to `Bound<PyAny>` (every type but `PyAny` itself).
pub trait DerefToPyAny {}

/// The `TypeError` of a failed downcast: `expected dict, got int`.
#[cold]
pub(crate) fn downcast_error<U: PyTypeInfo, B: Backend>(obj: &Bound<'_, PyAny, B>) -> PyErr<B> {
    PyErr::new::<TypeError, _>(format!("expected {}, got {}", U::NAME, obj.type_name()))
}

/// Any Python object.
pub struct PyAny {
    _private: (),
}

impl PyTypeInfo for PyAny {
    const NAME: &'static str = "object";
    fn is_type_of<B: Backend>(_obj: &Bound<'_, PyAny, B>) -> bool {
        true
    }
}

/// Declares a marker checked by a backend type check.
macro_rules! builtin_marker {
    ($(#[$doc:meta])* $marker:ident, $name:literal, $builtin:ident) => {
        $(#[$doc])*
        pub struct $marker {
            _private: (),
        }

        impl PyTypeInfo for $marker {
            const NAME: &'static str = $name;
            #[inline]
            fn is_type_of<B: Backend>(obj: &Bound<'_, PyAny, B>) -> bool {
                // SAFETY: the `Bound` proves the GIL and keeps the object alive.
                unsafe { B::type_check(obj.as_ptr(), BuiltinType::$builtin) }
            }
        }

        impl DerefToPyAny for $marker {}
    };
}

builtin_marker!(
    /// Python `bool`: `True` or `False`.
    PyBool, "bool", Bool
);
builtin_marker!(
    /// Python `int`.
    PyInt, "int", Int
);
builtin_marker!(
    /// Python `float`.
    PyFloat, "float", Float
);
builtin_marker!(
    /// Python `str`.
    PyStr, "str", Str
);
builtin_marker!(
    /// Python `bytes`.
    PyBytes, "bytes", Bytes
);
builtin_marker!(
    /// Python `tuple`.
    PyTuple, "tuple", Tuple
);
builtin_marker!(
    /// Python `list`.
    PyList, "list", List
);
builtin_marker!(
    /// Python `dict`.
    PyDict, "dict", Dict
);
builtin_marker!(
    /// Python `set`.
    PySet, "set", Set
);
builtin_marker!(
    /// Python `frozenset`.
    PyFrozenSet, "frozenset", FrozenSet
);
builtin_marker!(
    /// Python `module`.
    PyModule, "module", Module
);
builtin_marker!(
    /// Any exception instance (`BaseException` and subclasses).
    PyBaseException, "BaseException", BaseException
);

/// Python's `None`.
pub struct PyNone {
    _private: (),
}

impl PyTypeInfo for PyNone {
    const NAME: &'static str = "None";
    #[inline]
    fn is_type_of<B: Backend>(obj: &Bound<'_, PyAny, B>) -> bool {
        obj.is_none()
    }
}

impl DerefToPyAny for PyNone {}
