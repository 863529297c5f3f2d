//! `FromArgument`: how a native function's parameter is read from the argument the caller
//! passed — an owned value, `&str`/`&[u8]` borrowed from the object, or the object itself
//! borrowed (`&Bound<'py, T, B>`, `Borrowed`) with no refcount traffic; `FromVarArgs` for `*args`.

use std::borrow::Cow;
use std::marker::PhantomData;

use crate::backend::Backend;
use crate::conversion::FromPyObject;
use crate::err::PyResult;
use crate::instance::{Borrowed, Bound};
use crate::python::Python;
use crate::types::{PyAny, PyBytes, PyStr, PyTuple, PyTypeInfo};

/// A parameter type read from a borrowed argument that lives for `'a`.
///
/// `M` only tells the implementations apart and is inferred: [`Owned`] for every
/// [`FromPyObject`] type, [`StrArg`] for `&str` and `Cow<str>`, [`BytesArg`] for `&[u8]`, [`BoundArg`] for
/// `&Bound<'py, T, B>`, [`BorrowedArg`] for `Borrowed<'a, 'py, T, B>`, [`OptionArg`] for an
/// `Option` of the borrowing ones (`None` for Python's `None`).
pub trait FromArgument<'a, 'py, B: Backend, M>: Sized {
    /// Reads the argument; a wrong type is a `TypeError` `expected str, got int` (the caller
    /// adds the function and the parameter).
    fn from_argument(arg: &'a Borrowed<'a, 'py, PyAny, B>) -> PyResult<Self, B>;

    /// Whether the value may own a `Py` (see [`FromPyObject::HOLDS_PY`]); `false` for the
    /// borrowing kinds.
    #[doc(hidden)]
    const HOLDS_PY: bool = true;
}

/// An argument read into an owned value with [`FromPyObject`].
pub struct Owned<A>(PhantomData<A>);

/// An argument read as `&str`, borrowed from the `str` object.
pub struct StrArg;

/// An argument read as `&[u8]`, borrowed from the `bytes` object.
pub struct BytesArg;

/// An argument lent as `&Bound<'py, T, B>` after a type check.
pub struct BoundArg;

/// An argument lent as `Borrowed<'a, 'py, T, B>` after a type check.
pub struct BorrowedArg;

/// `Option` of a borrowing argument kind: Python's `None` reads as `None`.
pub struct OptionArg<M>(PhantomData<M>);

impl<'a, 'py, B: Backend, A: FromPyObject<'py, B>> FromArgument<'a, 'py, B, Owned<A>> for A {
    const HOLDS_PY: bool = A::HOLDS_PY;

    #[inline(always)]
    fn from_argument(arg: &'a Borrowed<'a, 'py, PyAny, B>) -> PyResult<A, B> {
        A::extract(arg)
    }
}

impl<'a, 'py, B: Backend> FromArgument<'a, 'py, B, StrArg> for &'a str {
    const HOLDS_PY: bool = false;

    #[inline]
    fn from_argument(arg: &'a Borrowed<'a, 'py, PyAny, B>) -> PyResult<&'a str, B> {
        arg.downcast::<PyStr>()
            .map_err(|_| crate::conversion::expected_type("str", arg))?
            .to_str()
    }
}

impl<'a, 'py, B: Backend> FromArgument<'a, 'py, B, StrArg> for Cow<'a, str> {
    const HOLDS_PY: bool = false;

    /// Borrowed from the `str` object, as `&str` is.
    #[inline]
    fn from_argument(arg: &'a Borrowed<'a, 'py, PyAny, B>) -> PyResult<Cow<'a, str>, B> {
        <&'a str>::from_argument(arg).map(Cow::Borrowed)
    }
}

impl<'a, 'py, B: Backend> FromArgument<'a, 'py, B, BytesArg> for &'a [u8] {
    const HOLDS_PY: bool = false;

    #[inline]
    fn from_argument(arg: &'a Borrowed<'a, 'py, PyAny, B>) -> PyResult<&'a [u8], B> {
        arg.downcast::<PyBytes>()
            .map(|bytes| bytes.as_bytes())
            .map_err(|_| crate::conversion::expected_type("bytes", arg))
    }
}

impl<'a, 'py, B: Backend, T: PyTypeInfo> FromArgument<'a, 'py, B, BoundArg>
    for &'a Bound<'py, T, B>
{
    const HOLDS_PY: bool = false;

    #[inline(always)]
    fn from_argument(arg: &'a Borrowed<'a, 'py, PyAny, B>) -> PyResult<Self, B> {
        let any: &'a Bound<'py, PyAny, B> = arg;
        any.downcast::<T>()
    }
}

impl<'a, 'py, B: Backend, T: PyTypeInfo> FromArgument<'a, 'py, B, BorrowedArg>
    for Borrowed<'a, 'py, T, B>
{
    const HOLDS_PY: bool = false;

    #[inline(always)]
    fn from_argument(arg: &'a Borrowed<'a, 'py, PyAny, B>) -> PyResult<Self, B> {
        arg.downcast::<T>()
    }
}

/// `Option` of each borrowing kind: one impl per kind (not one generic over the kind), so that
/// the kind of an owned `Option` (itself [`FromPyObject`]) is never ambiguous.
macro_rules! option_args {
    ($([$($generics:tt)*] $ty:ty => $kind:ty),* $(,)?) => {$(
        impl<'a, 'py, B: Backend, $($generics)*> FromArgument<'a, 'py, B, OptionArg<$kind>>
            for Option<$ty>
        {
            const HOLDS_PY: bool = false;

            #[inline]
            fn from_argument(arg: &'a Borrowed<'a, 'py, PyAny, B>) -> PyResult<Self, B> {
                if arg.is_none() {
                    Ok(None)
                } else {
                    <$ty as FromArgument<'a, 'py, B, $kind>>::from_argument(arg).map(Some)
                }
            }
        }
    )*};
}

option_args!(
    [] &'a str => StrArg,
    [] Cow<'a, str> => StrArg,
    [] &'a [u8] => BytesArg,
    [T: PyTypeInfo] &'a Bound<'py, T, B> => BoundArg,
    [T: PyTypeInfo] Borrowed<'a, 'py, T, B> => BorrowedArg,
);

/// What `*args` can be read as: the extra positional arguments as a new `tuple`, as borrowed
/// objects (`&[Borrowed]`, no refcount traffic), or as a `Vec` of any parameter type.
pub trait FromVarArgs<'a, 'py, B: Backend, M>: Sized {
    /// Reads the extra positional arguments (the caller names `*args` in an error).
    fn from_var_args(
        py: Python<'py, B>,
        args: &'a [Borrowed<'a, 'py, PyAny, B>],
    ) -> PyResult<Self, B>;
}

/// `*args` read as a tuple.
pub struct TupleArgs;

/// `*args` lent as a slice of borrowed objects.
pub struct SliceArgs;

/// `*args` read item by item into a `Vec`.
pub struct VecArgs<M>(PhantomData<M>);

impl<'a, 'py, B: Backend> FromVarArgs<'a, 'py, B, TupleArgs> for Bound<'py, PyTuple, B> {
    fn from_var_args(
        py: Python<'py, B>,
        args: &'a [Borrowed<'a, 'py, PyAny, B>],
    ) -> PyResult<Self, B> {
        PyTuple::new(py, args.iter().copied())
    }
}

impl<'a, 'py, B: Backend> FromVarArgs<'a, 'py, B, SliceArgs>
    for &'a [Borrowed<'a, 'py, PyAny, B>]
{
    #[inline(always)]
    fn from_var_args(
        _py: Python<'py, B>,
        args: &'a [Borrowed<'a, 'py, PyAny, B>],
    ) -> PyResult<Self, B> {
        Ok(args)
    }
}

impl<'a, 'py, B: Backend, T: FromArgument<'a, 'py, B, M>, M> FromVarArgs<'a, 'py, B, VecArgs<M>>
    for Vec<T>
{
    fn from_var_args(
        _py: Python<'py, B>,
        args: &'a [Borrowed<'a, 'py, PyAny, B>],
    ) -> PyResult<Self, B> {
        args.iter().map(T::from_argument).collect()
    }
}
