//! `function!`: a native function defined once, as a Rust `fn` whose parameter list is its
//! Python signature; and the hidden helpers its expansion calls.

use std::borrow::Cow;

use crate::backend::Backend;
use crate::err::{PyErr, PyResult};
use crate::function::arguments::Parameters;
use crate::function::from_argument::{FromArgument, FromVarArgs};
use crate::function::signature::{python_default, Param, ParamKind, Signature};
use crate::instance::Borrowed;
use crate::python::Python;
use crate::types::PyAny;

/// Marks the handlers [`function!`](crate::function!) defines.
pub struct Defined;

/// Defines a native function: a Rust `fn`, callable from Rust as usual, and beside it (under
/// the same name, in the type namespace) its Python face, `name::function()`, a
/// [`Function`](crate::Function) ready for [`ModuleBuilder::add_function`](crate::ModuleBuilder::add_function).
///
/// The parameter list is the Python signature, written once:
/// - `name: T` is passed by position or keyword; `name: T = expr` has a default (any Rust
///   expression, evaluated per call); `name: Option<T>` defaults to `None`;
/// - `/` after the positional-only parameters, `*` before the keyword-only ones;
/// - `*args: T` collects extra positional arguments (`T` is `Bound<'py, PyTuple, B>`,
///   `&[Borrowed<'_, 'py, PyAny, B>]` or `Vec<U>`), `**kwargs: Option<Bound<'py, PyDict, B>>`
///   extra keywords (`None` when there are none);
/// - a first parameter `py: Python<'py, B>` receives the token;
/// - parameters may borrow: `&str`, `&[u8]`, `&Bound<'py, T, B>` and `Borrowed<'_, 'py, T, B>`
///   (type-checked, no refcount traffic), or convert (any [`FromPyObject`](crate::FromPyObject)).
///
/// Write `<B>` or `<'py, B>` after the name for a function generic over the backend (the macro
/// adds the `Backend` bound). Doc comments become the docstring; `__text_signature__` (what
/// `inspect.signature` reads) and the first line of `help()` come from the parameters.
///
/// ```
/// use anypy::{Backend, ModuleBuilder, PyResult, Python};
/// use anypy_mock::Mock;
///
/// anypy::function! {
///     /// Greets someone `times` times.
///     fn greet(name: &str, times: usize = 1, *, sep: &str = " ") -> String {
///         vec![format!("hello, {name}!"); times].join(sep)
///     }
/// }
///
/// assert_eq!(greet("Ada", 2, "/"), "hello, Ada!/hello, Ada!");
/// Mock::leak_check(|| Python::<Mock>::with_gil(|py| -> PyResult<(), Mock> {
///     let m = ModuleBuilder::new(py, "demo")?;
///     m.add_function(greet::function())?;
///     let f = m.module().getattr("greet")?;
///     assert_eq!(f.getattr("__text_signature__")?.to_string(), "(name, times=1, *, sep=' ')");
///     assert_eq!(f.call1(("Bo",))?.to_string(), "hello, Bo!");
///     let err = f.call1((1,)).unwrap_err();
///     assert_eq!(err.message(py), "greet() argument 'name': expected str, got int");
///     Ok(())
/// }).unwrap());
/// ```
#[macro_export]
macro_rules! function {
    ($(#[$($attr:tt)*])* $vis:vis fn $name:ident < $lt:lifetime , $B:ident > ($($params:tt)*)
        $(-> $ret:ty)? $body:block) => {
        $crate::function!(@params (__py __params __args) PositionalOrKeyword
            {} {} {} {} {} ($($params)*)
            @item [$(#[$($attr)*])*] [$vis] $name [<$lt, $B: $crate::Backend>] [$($ret)?] $body
            [<$lt, $B: $crate::Backend>] $B);
    };
    ($(#[$($attr:tt)*])* $vis:vis fn $name:ident < $B:ident > ($($params:tt)*)
        $(-> $ret:ty)? $body:block) => {
        $crate::function!(@params (__py __params __args) PositionalOrKeyword
            {} {} {} {} {} ($($params)*)
            @item [$(#[$($attr)*])*] [$vis] $name [<$B: $crate::Backend>] [$($ret)?] $body
            [<$B: $crate::Backend>] $B);
    };
    ($(#[$($attr:tt)*])* $vis:vis fn $name:ident ($($params:tt)*) $(-> $ret:ty)? $body:block) => {
        $crate::function!(@params (__py __params __args) PositionalOrKeyword
            {} {} {} {} {} ($($params)*)
            @item [$(#[$($attr)*])*] [$vis] $name [] [$($ret)?] $body
            [<__B: $crate::Backend>] __B);
    };

    // One parameter at a time. State: the call's locals, the kind of the next parameter, then
    // {fn parameters} {signature calls} {argument reads} {call arguments} {slot names}.
    (@params $locals:tt $kind:ident {$($fnp:tt)*} {$($sig:tt)*} {$($read:tt)*} {$($call:tt)*}
        {$($slot:tt)*} ($py:ident : Python < $l:lifetime , $b:ident > $(, $($rest:tt)*)?) $($item:tt)*) => {
        $crate::function!(@params $locals $kind {$($fnp)* $py: $crate::Python<$l, $b>,} {$($sig)*}
            {$($read)*} {$($call)* [py]} {$($slot)*} ($($($rest)*)?) $($item)*);
    };
    (@params $locals:tt $kind:ident {$($fnp:tt)*} {$($sig:tt)*} {$($read:tt)*} {$($call:tt)*}
        {$($slot:tt)*} (/ $(, $($rest:tt)*)?) $($item:tt)*) => {
        $crate::function!(@params $locals $kind {$($fnp)*} {$($sig)* .end_positional_only()}
            {$($read)*} {$($call)*} {$($slot)*} ($($($rest)*)?) $($item)*);
    };
    (@params $locals:tt $kind:ident {$($fnp:tt)*} {$($sig:tt)*} {$($read:tt)*} {$($call:tt)*}
        {$($slot:tt)*} (** $kw:ident : $ty:ty $(, $($rest:tt)*)?) $($item:tt)*) => {
        $crate::function!(@params $locals $kind {$($fnp)* $kw: $ty,}
            {$($sig)* .var_kwargs(stringify!($kw))}
            {$($read)* [kwargs $kw]} {$($call)* $kw} {$($slot)*} ($($($rest)*)?) $($item)*);
    };
    (@params $locals:tt $kind:ident {$($fnp:tt)*} {$($sig:tt)*} {$($read:tt)*} {$($call:tt)*}
        {$($slot:tt)*} (* $args:ident : $ty:ty $(, $($rest:tt)*)?) $($item:tt)*) => {
        $crate::function!(@params $locals KeywordOnly {$($fnp)* $args: $ty,}
            {$($sig)* .var_args(stringify!($args))}
            {$($read)* [args $args]} {$($call)* $args} {$($slot)*} ($($($rest)*)?) $($item)*);
    };
    (@params $locals:tt $kind:ident {$($fnp:tt)*} {$($sig:tt)*} {$($read:tt)*} {$($call:tt)*}
        {$($slot:tt)*} (* $(, $($rest:tt)*)?) $($item:tt)*) => {
        $crate::function!(@params $locals KeywordOnly {$($fnp)*} {$($sig)*}
            {$($read)*} {$($call)*} {$($slot)*} ($($($rest)*)?) $($item)*);
    };
    (@params $locals:tt $kind:ident {$($fnp:tt)*} {$($sig:tt)*} {$($read:tt)*} {$($call:tt)*}
        {$($slot:tt)*} ($p:ident : Option < $inner:ty > $(, $($rest:tt)*)?) $($item:tt)*) => {
        $crate::function!(@params $locals $kind {$($fnp)* $p: Option<$inner>,}
            {$($sig)* .rust_param(stringify!($p), $crate::ParamKind::$kind, Some("None"))}
            {$($read)* [default $p (Option<$inner>) None]} {$($call)* $p} {$($slot)* $p} ($($($rest)*)?) $($item)*);
    };
    (@params $locals:tt $kind:ident {$($fnp:tt)*} {$($sig:tt)*} {$($read:tt)*} {$($call:tt)*}
        {$($slot:tt)*} ($p:ident : $ty:ty = $default:expr $(, $($rest:tt)*)?) $($item:tt)*) => {
        $crate::function!(@params $locals $kind {$($fnp)* $p: $ty,}
            {$($sig)* .rust_param(stringify!($p), $crate::ParamKind::$kind, Some(stringify!($default)))}
            {$($read)* [default $p ($ty) $default]} {$($call)* $p} {$($slot)* $p} ($($($rest)*)?) $($item)*);
    };
    (@params $locals:tt $kind:ident {$($fnp:tt)*} {$($sig:tt)*} {$($read:tt)*} {$($call:tt)*}
        {$($slot:tt)*} ($p:ident : $ty:ty $(, $($rest:tt)*)?) $($item:tt)*) => {
        $crate::function!(@params $locals $kind {$($fnp)* $p: $ty,}
            {$($sig)* .rust_param(stringify!($p), $crate::ParamKind::$kind, None)}
            {$($read)* [required $p ($ty)]} {$($call)* $p} {$($slot)* $p} ($($($rest)*)?) $($item)*);
    };

    // All parameters read: the Rust function, and its Python face.
    (@params ($pyv:ident $params:ident $args:ident) $kind:ident {$($fnp:tt)*} {$($sig:tt)*}
        {$([$($read:tt)*])*} {$($call:tt)*} {$($slot:ident)*} ()
        @item [$(#[$($attr:tt)*])*] [$vis:vis] $name:ident [$($generics:tt)*] [$($ret:ty)?] $body:block
        [$($holds_generics:tt)*] $backend:ident) => {
        $(#[$($attr)*])*
        $vis fn $name $($generics)* ($($fnp)*) $(-> $ret)? $body

        #[doc(hidden)]
        #[allow(non_camel_case_types, dead_code)]
        $vis struct $name {}

        #[allow(dead_code)]
        impl $name {
            /// The Python function: add it with `ModuleBuilder::add_function`.
            $vis fn function<B: $crate::Backend>() -> $crate::Function<B, $name, $crate::Defined> {
                $crate::Function::new(stringify!($name), $name {}).doc(
                    $crate::__function_private::doc(&[$($crate::__doc_line!($($attr)*)),*]),
                )
            }

            const fn __holds_py $($holds_generics)* () -> bool {
                false $(|| $crate::function!(@holds $backend $($read)*))*
            }

            const fn __return_kind $($holds_generics)* () -> $crate::ReturnKind {
                <$crate::function!(@return_type $($ret)?) as $crate::IntoReturn<$backend>>::RETURN_KIND
            }
        }

        impl<B: $crate::Backend> $crate::Handler<B, $crate::Defined> for $name {
            fn signature(&self, name: ::std::borrow::Cow<'static, str>) -> $crate::Signature {
                $crate::Signature::new(name) $($sig)*
            }

            const HOLDS_PY: bool = $name::__holds_py::<B>();

            const RETURN_KIND: $crate::ReturnKind = $name::__return_kind::<B>();

            #[inline(always)]
            fn call<'a, 'py>(
                &self,
                $pyv: $crate::Python<'py, B>,
                call: $crate::CallArgs<'a, 'py, B>,
                $params: &$crate::Parameters<B>,
            ) -> $crate::PyResult<$crate::ReturnValue<'py, B>, B> {
                const N: usize = <[&str]>::len(&[$(stringify!($slot)),*]);
                #[allow(unused_mut)]
                let mut $args = $params.parse::<N>($pyv, call)?;
                let [$($slot),*] = $args.slots;
                $($crate::function!(@read ($pyv $params $args) $($read)*);)*
                $crate::IntoReturn::into_return_value(
                    $name($($crate::function!(@arg $pyv $call)),*),
                    $pyv,
                )
            }
        }
    };

    // All parameters read, for `method!`: the Rust function (the receiver first), and its
    // face as a method.
    (@params ($pyv:ident $params:ident $args:ident) $kind:ident {$($fnp:tt)*} {$($sig:tt)*}
        {$([$($read:tt)*])*} {$($call:tt)*} {$($slot:ident)*} ()
        @method [$recv:ident $this:ident [$($rty:tt)*] $cls:tt $recv_kind:tt]
        [$(#[$($attr:tt)*])*] [$vis:vis] $name:ident [$($generics:tt)*] [$($ret:ty)?] $body:block
        $backend:ident) => {
        $(#[$($attr)*])*
        $vis fn $name $($generics)* ($this: $($rty)*, $($fnp)*) $(-> $ret)? $body

        #[doc(hidden)]
        #[allow(non_camel_case_types, dead_code)]
        $vis struct $name {}

        #[allow(dead_code)]
        impl $name {
            /// The Python method: add it with `ClassBuilder::method_fn` (or `call_fn`).
            $vis fn method() -> $crate::MethodDef<$name> {
                $crate::MethodDef::new(stringify!($name), $name {},
                    $crate::__function_private::doc(&[$($crate::__doc_line!($($attr)*)),*]))
            }
        }

        impl<$backend: $crate::Backend> $crate::DefinedMethod<$backend> for $name
        where $cls: $crate::__ReceiverClass<$backend, $recv_kind> {
            const CLASS_METHOD: bool = $crate::__receive!(@is_class $recv);

            fn signature(&self, name: ::std::borrow::Cow<'static, str>) -> $crate::Signature {
                $crate::Signature::new(name) $($sig)*
            }

            fn call<'a, 'py>(
                &self,
                $pyv: $crate::Python<'py, $backend>,
                receiver: $crate::Borrowed<'a, 'py, $crate::types::PyAny, $backend>,
                call: $crate::CallArgs<'a, 'py, $backend>,
                $params: &$crate::Parameters<$backend>,
            ) -> $crate::PyResult<$crate::Bound<'py, $crate::types::PyAny, $backend>, $backend> {
                $crate::__receive!(@check $recv receiver $cls object);
                const N: usize = <[&str]>::len(&[$(stringify!($slot)),*]);
                #[allow(unused_mut)]
                let mut $args = $params.parse::<N>($pyv, call)?;
                let [$($slot),*] = $args.slots;
                $($crate::function!(@read ($pyv $params $args) $($read)*);)*
                $crate::__receive!(@bind $recv object $this);
                $crate::IntoReturn::<$backend>::into_return(
                    $name($this, $($crate::function!(@arg $pyv $call)),*),
                    $pyv,
                )
            }
        }
    };

    // All parameters read, for `constructor!`: the Rust function, and its face as `__new__`.
    (@params ($pyv:ident $params:ident $args:ident) $kind:ident {$($fnp:tt)*} {$($sig:tt)*}
        {$([$($read:tt)*])*} {$($call:tt)*} {$($slot:ident)*} ()
        @constructor [$(#[$($attr:tt)*])*] [$vis:vis] $name:ident [$($generics:tt)*] [$ret:ty]
        $body:block $backend:ident) => {
        $(#[$($attr)*])*
        $vis fn $name $($generics)* ($($fnp)*) -> $ret $body

        #[doc(hidden)]
        #[allow(non_camel_case_types, dead_code)]
        $vis struct $name {}

        #[allow(dead_code)]
        impl $name {
            /// The class's `__new__`: set it with `ClassBuilder::constructor_fn`.
            $vis fn constructor() -> $crate::MethodDef<$name> {
                $crate::MethodDef::new(stringify!($name), $name {},
                    $crate::__function_private::doc(&[$($crate::__doc_line!($($attr)*)),*]))
            }
        }

        impl<$backend: $crate::Backend, __T> $crate::DefinedConstructor<__T, $backend> for $name
        where $ret: $crate::IntoValue<__T, $backend> {
            fn signature(&self, name: ::std::borrow::Cow<'static, str>) -> $crate::Signature {
                $crate::Signature::new(name) $($sig)*
            }

            fn construct<'a, 'py>(
                &self,
                $pyv: $crate::Python<'py, $backend>,
                call: $crate::CallArgs<'a, 'py, $backend>,
                $params: &$crate::Parameters<$backend>,
            ) -> $crate::PyResult<__T, $backend> {
                const N: usize = <[&str]>::len(&[$(stringify!($slot)),*]);
                #[allow(unused_mut)]
                let mut $args = $params.parse::<N>($pyv, call)?;
                let [$($slot),*] = $args.slots;
                $($crate::function!(@read ($pyv $params $args) $($read)*);)*
                $crate::IntoValue::<__T, $backend>::into_value(
                    $name($($crate::function!(@arg $pyv $call)),*),
                )
            }
        }
    };

    (@read ($pyv:ident $params:ident $args:ident) required $p:ident $ty:tt) => {
        let $p = match $p {
            Some(arg) => $crate::__function_private::read($pyv, $params, stringify!($p), arg)?,
            None => return Err($crate::__function_private::missing($params, stringify!($p))),
        };
    };
    (@read ($pyv:ident $params:ident $args:ident) default $p:ident $ty:tt $default:expr) => {
        let $p = match $p {
            Some(arg) => $crate::__function_private::read($pyv, $params, stringify!($p), arg)?,
            None => $default,
        };
    };
    (@read ($pyv:ident $params:ident $args:ident) args $p:ident) => {
        let $p = $crate::__function_private::var_args($pyv, $params, $args.var_args)?;
    };
    (@read ($pyv:ident $params:ident $args:ident) kwargs $p:ident) => {
        let $p = $args.var_kwargs.take();
    };
    (@holds $backend:ident required $p:ident ($ty:ty)) => {
        $crate::__function_private::holds_py::<$backend, $ty, _>()
    };
    (@holds $backend:ident default $p:ident ($ty:ty) $default:expr) => {
        $crate::__function_private::holds_py::<$backend, $ty, _>()
    };
    (@holds $backend:ident args $p:ident) => { true };
    (@return_type) => { () };
    (@return_type $ret:ty) => { $ret };
    (@holds $backend:ident kwargs $p:ident) => { false };
    (@arg $pyv:ident [py]) => { $pyv };
    (@arg $pyv:ident $p:ident) => { $p };
}

/// The text of a `#[doc = ".."]` attribute, `""` for any other attribute.
#[doc(hidden)]
#[macro_export]
macro_rules! __doc_line {
    (doc = $line:expr) => {
        Some($line)
    };
    ($($other:tt)*) => {
        None
    };
}

impl Signature {
    /// Turns every parameter so far into a positional-only one (`/` in the parameter list).
    #[doc(hidden)]
    pub fn end_positional_only(mut self) -> Self {
        for param in &mut self.params {
            param.kind = ParamKind::PositionalOnly;
        }
        self
    }

    /// Adds a parameter whose default is given as Rust source (what `function!` sees).
    #[doc(hidden)]
    pub fn rust_param(
        mut self,
        name: &'static str,
        kind: ParamKind,
        default: Option<&str>,
    ) -> Self {
        self.params.push(Param {
            name: Cow::Borrowed(name),
            kind,
            default: default.map(python_default),
        });
        self
    }
}

/// Reads parameter `name` from its argument, with an error naming the function and it.
#[doc(hidden)]
#[inline(always)]
pub fn read<'a, 'py, B: Backend, T: FromArgument<'a, 'py, B, M>, M>(
    py: Python<'py, B>,
    params: &Parameters<B>,
    name: &str,
    arg: &'a Borrowed<'a, 'py, PyAny, B>,
) -> PyResult<T, B> {
    T::from_argument(arg).map_err(move |err| params.named_argument_error(py, name, err))
}

/// Whether a parameter of type `T` may own a `Py` (`FromArgument::HOLDS_PY`).
#[doc(hidden)]
pub const fn holds_py<'a, 'py, B: Backend, T: FromArgument<'a, 'py, B, M>, M>() -> bool {
    T::HOLDS_PY
}

/// Reads `*args`, with an error naming the function and `*args`.
#[doc(hidden)]
#[inline]
pub fn var_args<'a, 'py, B: Backend, T: FromVarArgs<'a, 'py, B, M>, M>(
    py: Python<'py, B>,
    params: &Parameters<B>,
    args: &'a [Borrowed<'a, 'py, PyAny, B>],
) -> PyResult<T, B> {
    T::from_var_args(py, args).map_err(move |err| params.var_args_error(py, err))
}

/// The error for a required parameter left empty (the parser reports it before; kept so that
/// the expansion needs no `unreachable!`).
#[doc(hidden)]
#[cold]
pub fn missing<B: Backend>(params: &Parameters<B>, name: &str) -> PyErr<B> {
    PyErr::new::<crate::exceptions::TypeError, _>(format!(
        "{}() missing required argument: '{name}'",
        params.signature().name()
    ))
}

/// The docstring from doc-comment lines (one leading space of each removed).
#[doc(hidden)]
pub fn doc(lines: &[Option<&str>]) -> String {
    lines
        .iter()
        .flatten()
        .map(|line| line.strip_prefix(' ').unwrap_or(line))
        .collect::<Vec<_>>()
        .join("\n")
}
