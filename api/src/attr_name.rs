//! [`AttrName`]: what `getattr`, `setattr` and `call_method` accept as a name — a `&str` (a
//! `str` is made for the call) or a `str` handle, e.g. from [`intern!`](crate::intern), which
//! is lent with no new object and no refcount traffic.

use crate::backend::Backend;
use crate::err::PyResult;
use crate::instance::{Borrowed, Bound, Py};
use crate::python::Python;
use crate::types::PyStr;

mod sealed {
    /// Only anypy's own name types: text, or a handle to a `str`.
    pub trait Sealed<B> {}
}

/// An attribute or method name. Sealed: implemented for `&str` (and `&&str`), `&String`,
/// `&Bound<PyStr>`, `&Py<PyStr>` and `Borrowed<PyStr>` (what [`intern!`](crate::intern)
/// returns).
pub trait AttrName<B: Backend>: sealed::Sealed<B> {
    /// Runs `use_name` with the name as a `str` alive for the call.
    #[doc(hidden)]
    #[track_caller]
    fn with_name<R>(
        self,
        py: Python<'_, B>,
        use_name: impl FnOnce(Borrowed<'_, '_, PyStr, B>) -> R,
    ) -> PyResult<R, B>;
}

/// Implements [`AttrName`] for each type: `$lend` is the `str` lent for the call, made from
/// `$name` (the value) and `$py` (a `str` made there lives to the end of the call).
macro_rules! attr_names {
    ($($ty:ty => |$name:ident, $py:ident| $lend:expr;)*) => {$(
        impl<B: Backend> sealed::Sealed<B> for $ty {}

        impl<B: Backend> AttrName<B> for $ty {
            #[inline]
            fn with_name<R>(
                self,
                $py: Python<'_, B>,
                use_name: impl FnOnce(Borrowed<'_, '_, PyStr, B>) -> R,
            ) -> PyResult<R, B> {
                let $name = self;
                Ok(use_name($lend))
            }
        }
    )*};
}

attr_names! {
    &str => |name, py| PyStr::new(py, name)?.as_borrowed();
    &&str => |name, py| PyStr::new(py, name)?.as_borrowed();
    &String => |name, py| PyStr::new(py, name)?.as_borrowed();
    &Bound<'_, PyStr, B> => |name, _py| name.as_borrowed();
    Borrowed<'_, '_, PyStr, B> => |name, _py| name;
    &Py<PyStr, B> => |name, py| name.bind_borrowed(py);
}
