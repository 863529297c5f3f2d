//! The `Handler` trait, its implementations for plain functions of up to six positional
//! arguments, and `IntoReturn`: what a handler may return.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use crate::backend::Backend;
use crate::conversion::{FromPyObject, IntoPyObject};
use crate::err::PyResult;
use crate::function::arguments::{CallArgs, Parameters};
use crate::function::from_argument::FromArgument;
use crate::function::signature::Signature;
use crate::function::{ReturnKind, ReturnValue};
use crate::instance::{Borrowed, Bound, Py};
use crate::python::Python;
use crate::types::PyAny;

/// A Rust function callable from Python: plain `fn`s and closures (positional parameters,
/// optionally after a `Python` token), and the handlers [`function!`](crate::function!) defines
/// (any signature).
///
/// `Marker` only tells the implementations apart (how each argument is read, whether a token
/// comes first); it is inferred. A failed conversion becomes an error naming the function and
/// the parameter.
pub trait Handler<B: Backend, Marker>: Send + Sync + 'static {
    /// The parameters, for a function called `name`.
    fn signature(&self, name: Cow<'static, str>) -> Signature;

    /// Matches the arguments to `params` (made from [`Handler::signature`]), calls, and
    /// returns the result with the conversion of a number left for last ([`ReturnValue`]).
    fn call<'a, 'py>(
        &self,
        py: Python<'py, B>,
        args: CallArgs<'a, 'py, B>,
        params: &Parameters<B>,
    ) -> PyResult<ReturnValue<'py, B>, B>;

    /// Whether an argument read for a call may own a `Py` ([`FromPyObject::HOLDS_PY`]): then
    /// the call counts the GIL as held for its duration, so that dropping it is a plain
    /// decref. Otherwise the count is left alone (a thread-local access less per call), and a
    /// `Py` the handler drops anyway is released when the call returns. Either is sound.
    #[doc(hidden)]
    const HOLDS_PY: bool = true;

    /// The kind of every [`ReturnValue`] [`Handler::call`] returns, when the handler's type
    /// says ([`ReturnKind::Any`] otherwise): the trampoline's last call is then chosen at
    /// compile time. A wrong kind costs speed, not correctness.
    #[doc(hidden)]
    const RETURN_KIND: ReturnKind = ReturnKind::Any;
}

use crate::function::from_argument::{BytesArg, Owned, StrArg};

/// Marks handlers that take no `Python` token.
pub struct NoToken;

/// Marks handlers whose first parameter is a `Python` token.
pub struct WithToken;

/// Reads parameter `index` from its slot (filled: the parser checked required ones), with an
/// error naming the function and the parameter.
#[inline(always)]
fn read<'a, 'py, B: Backend, T: FromArgument<'a, 'py, B, M>, M>(
    py: Python<'py, B>,
    params: &Parameters<B>,
    slot: Option<&'a Borrowed<'a, 'py, PyAny, B>>,
    index: usize,
) -> PyResult<T, B> {
    match slot {
        Some(arg) => {
            T::from_argument(arg).map_err(move |err| params.argument_error(py, index, err))
        }
        None => Err(params.argument_error(
            py,
            index,
            crate::PyErr::new::<crate::exceptions::TypeError, _>("missing"),
        )),
    }
}

/// What a handler may return: a convertible value, or a `PyResult` of one.
pub trait IntoReturn<B: Backend> {
    /// Converts the result for Python.
    fn into_return<'py>(self, py: Python<'py, B>) -> PyResult<Bound<'py, PyAny, B>, B>;

    /// The result with the conversion of a number left for last ([`ReturnValue`]).
    #[doc(hidden)]
    #[inline]
    fn into_return_value<'py>(self, py: Python<'py, B>) -> PyResult<ReturnValue<'py, B>, B>
    where
        Self: Sized,
    {
        self.into_return(py).map(ReturnValue::Object)
    }

    /// The kind of every [`IntoReturn::into_return_value`] of this type.
    #[doc(hidden)]
    const RETURN_KIND: ReturnKind = ReturnKind::Object;
}

impl<B: Backend, T: IntoPyObject<B>> IntoReturn<B> for PyResult<T, B> {
    #[inline]
    fn into_return<'py>(self, py: Python<'py, B>) -> PyResult<Bound<'py, PyAny, B>, B> {
        self?.into_pyobject(py)
    }

    #[inline]
    fn into_return_value<'py>(self, py: Python<'py, B>) -> PyResult<ReturnValue<'py, B>, B> {
        self?.into_return_value(py)
    }

    const RETURN_KIND: ReturnKind = T::RETURN_KIND;
}

macro_rules! plain_returns {
    ($([$($generics:tt)*] $ty:ty),* $(,)?) => {$(
        impl<B: Backend, $($generics)*> IntoReturn<B> for $ty {
            #[inline]
            fn into_return<'py>(self, py: Python<'py, B>) -> PyResult<Bound<'py, PyAny, B>, B> {
                self.into_pyobject(py)
            }

            #[inline]
            fn into_return_value<'py>(self, py: Python<'py, B>) -> PyResult<ReturnValue<'py, B>, B> {
                IntoPyObject::into_return_value(self, py)
            }

            const RETURN_KIND: ReturnKind = <$ty as IntoPyObject<B>>::RETURN_KIND;
        }
    )*};
}

plain_returns!(
    [] bool, [] i8, [] i16, [] i32, [] i64, [] isize, [] u8, [] u16, [] u32, [] u64, [] usize,
    [] i128, [] u128, [] f32, [] f64, [] char, [] String, [] &'static str, [] (),
    [] std::borrow::Cow<'static, str>, [] std::path::PathBuf,
    [T: IntoPyObject<B>, S] std::collections::HashSet<T, S>,
    [T: IntoPyObject<B>] std::collections::BTreeSet<T>,
    [T: IntoPyObject<B>] Option<T>, [T: IntoPyObject<B>] Vec<T>,
    [K: IntoPyObject<B>, V: IntoPyObject<B>, S] HashMap<K, V, S>,
    [K: IntoPyObject<B>, V: IntoPyObject<B>] BTreeMap<K, V>,
    [T] Py<T, B>,
);

macro_rules! tuple_returns {
    ($($T:ident),+) => {
        impl<B: Backend, $($T: IntoPyObject<B>),+> IntoReturn<B> for ($($T,)+) {
            fn into_return<'py>(self, py: Python<'py, B>) -> PyResult<Bound<'py, PyAny, B>, B> {
                self.into_pyobject(py)
            }
        }
    };
}

impl<B: Backend, T> IntoReturn<B> for Bound<'_, T, B> {
    #[inline]
    fn into_return<'py>(self, _py: Python<'py, B>) -> PyResult<Bound<'py, PyAny, B>, B> {
        // SAFETY: the handle proves the GIL; its reference moves into the result, which the
        // token `'py` (the same GIL) bounds.
        Ok(unsafe { Bound::from_owned_ptr(_py, self.into_ptr()) })
    }
}

tuple_returns!(T0);
tuple_returns!(T0, T1);
tuple_returns!(T0, T1, T2);
tuple_returns!(T0, T1, T2, T3);

/// Generates `Handler` impls: every position may be owned, `&str` or `&[u8]` (arity <= 4),
/// each with and without a leading `Python` token.
macro_rules! handler_impls {
    (@emit $arity:literal; [$($G:ident)*]; [$([$($T:tt)*])*]; [$([$($M:tt)*])*]; [$($a:ident $i:tt)*]) => {
        handler_impls!(@one NoToken; []; $arity; [$($G)*]; [$([$($T)*])*]; [$([$($M)*])*]; [$($a $i)*]);
        handler_impls!(@one WithToken; [py]; $arity; [$($G)*]; [$([$($T)*])*]; [$([$($M)*])*]; [$($a $i)*]);
    };
    (@one $token:ident; [$($py:ident)?]; $arity:literal; [$($G:ident)*]; [$([$($T:tt)*])*]; [$([$($M:tt)*])*]; [$($a:ident $i:tt)*]) => {
        impl<B, F, R, $($G,)*> Handler<B, ($token, ($($($M)*,)*))> for F
        where
            B: Backend,
            F: for<'a, 'py> Fn($(handler_impls!(@token_type $py 'py),)? $($($T)*),*) -> R + Send + Sync + 'static,
            R: IntoReturn<B>,
            $($G: for<'py> FromPyObject<'py, B>,)*
        {
            fn signature(&self, name: Cow<'static, str>) -> Signature {
                Signature::positional(name, $arity)
            }

            const HOLDS_PY: bool = false $(|| <$G as FromPyObject<'static, B>>::HOLDS_PY)*;

            const RETURN_KIND: ReturnKind = R::RETURN_KIND;

            #[inline(always)]
            #[allow(unused_variables)]
            fn call<'a, 'py>(&self, py: Python<'py, B>, args: CallArgs<'a, 'py, B>, params: &Parameters<B>) -> PyResult<ReturnValue<'py, B>, B> {
                let arguments = params.parse::<$arity>(py, args)?;
                $(let $a = read::<B, _, $($M)*>(py, params, arguments.slots[$i], $i)?;)*
                (self)($(handler_impls!(@first $py, py),)? $($a),*).into_return_value(py)
            }
        }
    };
    (@token_type $py:ident $lt:lifetime) => { Python<$lt, B> };
    (@first $marker:ident, $py:ident) => { $py };
    (@mixed $arity:literal; $G:tt; $T:tt; $M:tt; []; $names:tt) => {
        handler_impls!(@emit $arity; $G; $T; $M; $names);
    };
    (@mixed $arity:literal; [$($G:ident)*]; [$($T:tt)*]; [$($M:tt)*]; [$A:ident $($rest:ident)*]; $names:tt) => {
        handler_impls!(@mixed $arity; [$($G)* $A]; [$($T)* [$A]]; [$($M)* [Owned<$A>]]; [$($rest)*]; $names);
        handler_impls!(@mixed $arity; [$($G)*]; [$($T)* [&'a str]]; [$($M)* [StrArg]]; [$($rest)*]; $names);
        handler_impls!(@mixed $arity; [$($G)*]; [$($T)* [&'a [u8]]]; [$($M)* [BytesArg]]; [$($rest)*]; $names);
    };
    (@owned $arity:literal; [$($A:ident $a:ident $i:tt)*]) => {
        handler_impls!(@emit $arity; [$($A)*]; [$([$A])*]; [$([Owned<$A>])*]; [$($a $i)*]);
    };
}

handler_impls!(@mixed 0; []; []; []; []; []);
handler_impls!(@mixed 1; []; []; []; [A0]; [a0 0]);
handler_impls!(@mixed 2; []; []; []; [A0 A1]; [a0 0 a1 1]);
handler_impls!(@mixed 3; []; []; []; [A0 A1 A2]; [a0 0 a1 1 a2 2]);
handler_impls!(@mixed 4; []; []; []; [A0 A1 A2 A3]; [a0 0 a1 1 a2 2 a3 3]);
handler_impls!(@owned 5; [A0 a0 0 A1 a1 1 A2 a2 2 A3 a3 3 A4 a4 4]);
handler_impls!(@owned 6; [A0 a0 0 A1 a1 1 A2 a2 2 A3 a3 3 A4 a4 4 A5 a5 5]);
