//! Positional call arguments: tuples of convertible values, a `Vec`, or a Python tuple.

use crate::backend::{Backend, RawPtr};
use crate::conversion::IntoPyObject;
use crate::err::PyResult;
use crate::instance::Bound;
use crate::python::Python;
use crate::types::PyTuple;

/// Positional arguments for a call: converted, then handed over as a slice of pointers that
/// stay alive for the call.
///
/// Sealed: implemented by anypy only, for `()`, tuples of up to eight [`IntoPyObject`] values,
/// `Vec<T>` and `&Bound<PyTuple>`. Its callback receives raw pointers that go straight into
/// [`Backend::call`], so an implementation outside anypy could pass a dangling one from safe
/// code. To add an implementation inside anypy, implement `sealed::Sealed` for the type next to
/// it (in this file), and hand `call` only pointers that the implementation keeps alive until
/// `call` returns.
pub trait IntoCallArgs<B: Backend>: sealed::Sealed {
    /// Converts the arguments and runs `call` with them.
    fn with_args<'py, R>(
        self,
        py: Python<'py, B>,
        call: impl FnOnce(&[RawPtr]) -> PyResult<R, B>,
    ) -> PyResult<R, B>;
}

/// The seal: a public trait in a private module, so only this crate can implement it.
mod sealed {
    /// Implemented for the types that may implement [`IntoCallArgs`](super::IntoCallArgs).
    pub trait Sealed {}
}

impl sealed::Sealed for () {}

impl<B: Backend> IntoCallArgs<B> for () {
    #[inline]
    fn with_args<'py, R>(
        self,
        _py: Python<'py, B>,
        call: impl FnOnce(&[RawPtr]) -> PyResult<R, B>,
    ) -> PyResult<R, B> {
        call(&[])
    }
}

/// Lends each argument through [`IntoPyObject::with_object`], innermost last, then calls with
/// all the pointers: a handle passed by reference (`f.call1((&obj,))`) costs no incref/decref
/// pair, a value is converted and released after the call.
macro_rules! lend_args {
    ($py:ident, $call:ident, [$($lent:ident)*]) => {
        $call(&[$($lent.as_ptr()),*])
    };
    ($py:ident, $call:ident, [$($lent:ident)*] $next:ident $($rest:ident)*) => {
        $next.with_object($py, |$next| lend_args!($py, $call, [$($lent)* $next] $($rest)*))?
    };
}

macro_rules! tuple_call_args {
    ($($T:ident $arg:ident),+) => {
        impl<$($T),+> sealed::Sealed for ($($T,)+) {}

        impl<B: Backend, $($T: IntoPyObject<B>),+> IntoCallArgs<B> for ($($T,)+) {
            #[inline]
            fn with_args<'py, R>(self, py: Python<'py, B>, call: impl FnOnce(&[RawPtr]) -> PyResult<R, B>) -> PyResult<R, B> {
                let ($($arg,)+) = self;
                lend_args!(py, call, [] $($arg)+)
            }
        }
    };
}

tuple_call_args!(T0 a0);
tuple_call_args!(T0 a0, T1 a1);
tuple_call_args!(T0 a0, T1 a1, T2 a2);
tuple_call_args!(T0 a0, T1 a1, T2 a2, T3 a3);
tuple_call_args!(T0 a0, T1 a1, T2 a2, T3 a3, T4 a4);
tuple_call_args!(T0 a0, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5);
tuple_call_args!(T0 a0, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6);
tuple_call_args!(T0 a0, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7);

impl<T> sealed::Sealed for Vec<T> {}

impl<B: Backend, T: IntoPyObject<B>> IntoCallArgs<B> for Vec<T> {
    fn with_args<'py, R>(
        self,
        py: Python<'py, B>,
        call: impl FnOnce(&[RawPtr]) -> PyResult<R, B>,
    ) -> PyResult<R, B> {
        let args = crate::conversion::convert_all(py, self)?;
        let pointers: Vec<RawPtr> = args.iter().map(Bound::as_ptr).collect();
        call(&pointers)
    }
}

impl<B: Backend> sealed::Sealed for &Bound<'_, PyTuple, B> {}

impl<B: Backend> IntoCallArgs<B> for &Bound<'_, PyTuple, B> {
    /// The tuple's items, spread as `f(*args)`.
    fn with_args<'py, R>(
        self,
        _py: Python<'py, B>,
        call: impl FnOnce(&[RawPtr]) -> PyResult<R, B>,
    ) -> PyResult<R, B> {
        // SAFETY: the handle proves the GIL; the tuple keeps its items alive during the call.
        let pointers: Vec<RawPtr> = (0..self.len())
            .map(|index| unsafe { B::tuple_get_item(self.as_ptr(), index) })
            .collect();
        call(&pointers)
    }
}
