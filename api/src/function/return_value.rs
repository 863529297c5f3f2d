//! `ReturnValue`: a native function's result with the conversion of a number left for last, so
//! that the trampoline can make it a tail call after the panic guard and the GIL accounting.

use crate::backend::{Backend, NewRef};
use crate::conversion::IntoPyObject;
use crate::err::PyResult;
use crate::instance::Bound;
use crate::python::Python;
use crate::types::PyAny;

/// Which [`ReturnValue`] a handler returns, when its type says so: a constant, so that the
/// trampoline's last call is chosen at compile time (a match on the value's kind compiled to a
/// jump table on the hot path, callgrind). Hidden: how [`Function`](crate::Function) returns.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReturnKind {
    /// Always [`ReturnValue::Object`].
    Object,
    /// Always [`ReturnValue::Int`].
    Int,
    /// Always [`ReturnValue::UInt`].
    UInt,
    /// Always [`ReturnValue::Float`].
    Float,
    /// Not known from the type: read from the value.
    Any,
}

/// A native function's result: an object, or a number whose conversion (one C call that returns
/// a new reference, or null with an error set) is made last, outside the panic guard, where
/// nothing runs after it. Hidden: how [`Function`](crate::Function) returns, not an API.
#[doc(hidden)]
pub enum ReturnValue<'py, B: Backend> {
    /// Already an object.
    Object(Bound<'py, PyAny, B>),
    /// A signed integer, for `PyLong_FromLongLong`.
    Int(i64),
    /// An unsigned integer, for `PyLong_FromUnsignedLongLong`.
    UInt(u64),
    /// A float, for `PyFloat_FromDouble`.
    Float(f64),
}

impl<'py, B: Backend> ReturnValue<'py, B> {
    /// The object, converting a number now.
    pub fn into_bound(self, py: Python<'py, B>) -> PyResult<Bound<'py, PyAny, B>, B> {
        match self {
            ReturnValue::Object(object) => Ok(object),
            ReturnValue::Int(value) => value.into_pyobject(py),
            ReturnValue::UInt(value) => value.into_pyobject(py),
            ReturnValue::Float(value) => value.into_pyobject(py),
        }
    }

    /// The result as a new reference, or `None` with the error set: for a number, exactly the
    /// backend's C call, which the caller can make a tail call. `before` runs first (the GIL
    /// accounting's exit). `kind` is the handler's [`ReturnKind`], a constant: the value's kind
    /// is then only checked against it, and a value of another kind (a handler whose
    /// declaration is wrong) still converts, out of line. Does not panic: a backend's
    /// conversion functions only panic while its C-API is not loaded yet, and a native function
    /// (the only caller) exists only once it is.
    ///
    /// # Safety
    /// The GIL is held.
    #[inline(always)]
    pub(crate) unsafe fn into_new_ref(self, kind: ReturnKind, before: impl FnOnce()) -> NewRef {
        // SAFETY: GIL held (caller).
        unsafe {
            match (kind, self) {
                (ReturnKind::Object, ReturnValue::Object(object)) => {
                    before();
                    Some(object.into_ptr())
                }
                (ReturnKind::Int, ReturnValue::Int(value)) => {
                    before();
                    B::int_from_i64(value)
                }
                (ReturnKind::UInt, ReturnValue::UInt(value)) => {
                    before();
                    B::int_from_u64(value)
                }
                (ReturnKind::Float, ReturnValue::Float(value)) => {
                    before();
                    B::float_from_f64(value)
                }
                (_, value) => {
                    before();
                    value.into_new_ref_any()
                }
            }
        }
    }

    /// [`ReturnValue::into_new_ref`] with the kind read from the value, out of line.
    ///
    /// # Safety
    /// The GIL is held.
    #[inline(never)]
    unsafe fn into_new_ref_any(self) -> NewRef {
        let kind = self.kind();
        // SAFETY: GIL held (caller); the kind is the value's own, so a typed arm converts it.
        unsafe { self.into_new_ref(kind, || ()) }
    }

    /// This value's kind.
    fn kind(&self) -> ReturnKind {
        match self {
            ReturnValue::Object(_) => ReturnKind::Object,
            ReturnValue::Int(_) => ReturnKind::Int,
            ReturnValue::UInt(_) => ReturnKind::UInt,
            ReturnValue::Float(_) => ReturnKind::Float,
        }
    }
}
