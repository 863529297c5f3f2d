//! The `Handler` trait and its implementations for functions of up to six arguments.

use std::collections::{BTreeMap, HashMap};
use std::marker::PhantomData;

use crate::backend::Backend;
use crate::conversion::{FromPyObject, IntoPyObject};
use crate::err::PyResult;
use crate::function::native::CallSite;
use crate::function::ReturnValue;
use crate::instance::{Borrowed, Bound, Py};
use crate::python::Python;
use crate::types::{PyAny, PyBytes, PyStr};

/// A Rust function callable from Python with positional arguments.
///
/// `Marker` only tells the implementations apart (how each argument is read, whether a token
/// comes first); it is inferred. Arguments are extracted in order; a failure becomes a
/// `TypeError` naming the function and the argument.
pub trait Handler<B: Backend, Marker>: Send + Sync + 'static {
    /// How many positional arguments the function takes.
    const ARITY: usize;

    /// Extracts the arguments (exactly `ARITY` of them), calls, and converts the result.
    fn call<'a, 'py>(
        &self,
        py: Python<'py, B>,
        args: &[Borrowed<'a, 'py, PyAny, B>],
        site: &CallSite,
    ) -> PyResult<Bound<'py, PyAny, B>, B>;

    /// Like [`Handler::call`], with the conversion of a number left for last
    /// ([`ReturnValue`]): what `Function` calls.
    #[doc(hidden)]
    #[inline]
    fn call_for_return<'a, 'py>(
        &self,
        py: Python<'py, B>,
        args: &[Borrowed<'a, 'py, PyAny, B>],
        site: &CallSite,
    ) -> PyResult<ReturnValue<'py, B>, B> {
        self.call(py, args, site).map(ReturnValue::Object)
    }
}

/// How one argument position is read.
pub trait ArgKind<B: Backend> {
    /// The Rust value handed to the function, possibly borrowing from the argument.
    type Out<'a>;
    /// Reads argument `index`, with an error naming the function and the argument.
    fn extract<'a, 'py>(
        args: &[Borrowed<'a, 'py, PyAny, B>],
        index: usize,
        site: &CallSite,
    ) -> PyResult<Self::Out<'a>, B>;
}

/// An argument read into an owned value with [`FromPyObject`].
pub struct Owned<A>(PhantomData<A>);

/// An argument read as `&str`, borrowed from the `str` object.
pub struct StrArg;

/// An argument read as `&[u8]`, borrowed from the `bytes` object.
pub struct BytesArg;

/// Marks handlers that take no `Python` token.
pub struct NoToken;

/// Marks handlers whose first parameter is a `Python` token.
pub struct WithToken;

impl<B: Backend, A: for<'py> FromPyObject<'py, B>> ArgKind<B> for Owned<A> {
    type Out<'a> = A;
    #[inline(always)]
    fn extract<'a, 'py>(
        args: &[Borrowed<'a, 'py, PyAny, B>],
        index: usize,
        site: &CallSite,
    ) -> PyResult<A, B> {
        // `move`: the closure copies what it needs only when it runs, on the error path.
        A::extract(&args[index])
            .map_err(move |err| site.argument_error(args[index].py(), index, err))
    }
}

impl<B: Backend> ArgKind<B> for StrArg {
    type Out<'a> = &'a str;
    fn extract<'a, 'py>(
        args: &[Borrowed<'a, 'py, PyAny, B>],
        index: usize,
        site: &CallSite,
    ) -> PyResult<&'a str, B> {
        let arg = args[index];
        arg.downcast::<PyStr>()
            .map_err(|_| crate::conversion::expected_type("str", &arg))
            .and_then(|text| text.to_str())
            .map_err(move |err| site.argument_error(arg.py(), index, err))
    }
}

impl<B: Backend> ArgKind<B> for BytesArg {
    type Out<'a> = &'a [u8];
    fn extract<'a, 'py>(
        args: &[Borrowed<'a, 'py, PyAny, B>],
        index: usize,
        site: &CallSite,
    ) -> PyResult<&'a [u8], B> {
        let arg = args[index];
        arg.downcast::<PyBytes>()
            .map(|bytes| bytes.as_bytes())
            .map_err(move |_| {
                site.argument_error(
                    arg.py(),
                    index,
                    crate::conversion::expected_type("bytes", &arg),
                )
            })
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

tuple_returns!(T0);
tuple_returns!(T0, T1);
tuple_returns!(T0, T1, T2);
tuple_returns!(T0, T1, T2, T3);

/// Generates `Handler` impls: every position may be owned, `&str` or `&[u8]` (arity <= 4),
/// each with and without a leading `Python` token.
macro_rules! handler_impls {
    (@emit $arity:literal; [$($G:ident)*]; [$([$($T:tt)*])*]; [$([$($M:tt)*])*]; [$($a:ident $i:tt)*]) => {
        impl<B, F, R, $($G,)*> Handler<B, (NoToken, ($($($M)*,)*))> for F
        where
            B: Backend,
            F: for<'a> Fn($($($T)*),*) -> R + Send + Sync + 'static,
            R: IntoReturn<B>,
            $($G: for<'py> FromPyObject<'py, B>,)*
        {
            const ARITY: usize = $arity;
            #[inline]
            #[allow(unused_variables)]
            fn call<'a, 'py>(&self, py: Python<'py, B>, args: &[Borrowed<'a, 'py, PyAny, B>], site: &CallSite) -> PyResult<Bound<'py, PyAny, B>, B> {
                self.call_for_return(py, args, site)?.into_bound(py)
            }
            #[inline]
            #[allow(unused_variables)]
            fn call_for_return<'a, 'py>(&self, py: Python<'py, B>, args: &[Borrowed<'a, 'py, PyAny, B>], site: &CallSite) -> PyResult<ReturnValue<'py, B>, B> {
                $(let $a = <$($M)* as ArgKind<B>>::extract(args, $i, site)?;)*
                (self)($($a),*).into_return_value(py)
            }
        }

        impl<B, F, R, $($G,)*> Handler<B, (WithToken, ($($($M)*,)*))> for F
        where
            B: Backend,
            F: for<'a, 'py> Fn(Python<'py, B>, $($($T)*),*) -> R + Send + Sync + 'static,
            R: IntoReturn<B>,
            $($G: for<'py> FromPyObject<'py, B>,)*
        {
            const ARITY: usize = $arity;
            #[inline]
            #[allow(unused_variables)]
            fn call<'a, 'py>(&self, py: Python<'py, B>, args: &[Borrowed<'a, 'py, PyAny, B>], site: &CallSite) -> PyResult<Bound<'py, PyAny, B>, B> {
                self.call_for_return(py, args, site)?.into_bound(py)
            }
            #[inline]
            #[allow(unused_variables)]
            fn call_for_return<'a, 'py>(&self, py: Python<'py, B>, args: &[Borrowed<'a, 'py, PyAny, B>], site: &CallSite) -> PyResult<ReturnValue<'py, B>, B> {
                $(let $a = <$($M)* as ArgKind<B>>::extract(args, $i, site)?;)*
                (self)(py, $($a),*).into_return_value(py)
            }
        }
    };
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
