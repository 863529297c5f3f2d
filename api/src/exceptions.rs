//! Markers for Python's builtin exception classes: `PyErr::new::<TypeError, _>("...")`,
//! `err.is_instance_of::<KeyError>(py)`, or `ValueError::new_err("...")`.

use std::borrow::Cow;

use crate::backend::{Backend, ExceptionKind};
use crate::err::PyErr;

/// A builtin exception class.
pub trait PyExceptionType {
    /// Which class.
    const KIND: ExceptionKind;

    /// An error of this class with `message`, raised lazily (no object is made until needed).
    fn new_err<B: Backend>(message: impl Into<Cow<'static, str>>) -> PyErr<B> {
        PyErr::from_kind(Self::KIND, message)
    }
}

macro_rules! exception_markers {
    ([] $($name:ident($symbol:ident) $(: $base:ident)?;)*) => {$(
        #[doc = concat!("Python's `", stringify!($name), "`.")]
        pub struct $name {
            _private: (),
        }

        impl PyExceptionType for $name {
            const KIND: ExceptionKind = ExceptionKind::$name;
        }
    )*};
}

crate::for_each_exception_kind!(exception_markers);
