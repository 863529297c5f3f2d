//! `method!` and `constructor!`: a class's methods and constructor defined once, as Rust `fn`s
//! whose parameter lists are their Python signatures (read by `function!`'s machinery).

/// Defines a method: a Rust `fn` whose first parameter is the receiver, callable from Rust as
/// usual, and beside it its Python face, `name::method()`, for
/// [`ClassBuilder::method_fn`](crate::ClassBuilder::method_fn) (or
/// [`ClassBuilder::call_fn`](crate::ClassBuilder::call_fn) for `__call__`).
///
/// The receiver is `this: &T` or `this: &mut T` (the value, borrowed for the call: a
/// conflicting borrow raises `RuntimeError`), `this: PyRef<'_, 'py, T, B>` or `PyRefMut<..>`
/// (borrowed the same way, and the instance too: `this.object()`; written as the bare name
/// `PyRef`/`PyRefMut`, which the macro resolves to anypy's),
/// `this: &Bound<'py, T, B>` (the instance, no borrow taken), or `cls: &Bound<'py, PyType, B>` for a class method (the class it is called
/// through: a subclass when called through one; write `PyType` as imported). The parameters after
/// it are read as [`function!`](crate::function!) reads them: keywords, defaults, `Option`
/// defaulting to `None`, `/`, `*`, `*args`, `**kwargs`, a `py: Python<'py, B>` token. Doc
/// comments become `__doc__`; `__text_signature__` is `($self, ...)` (`($type, ...)`), so
/// `inspect.signature` shows the parameters. Argument errors read as CPython's for a Python
/// method: `Counter.incr() got an unexpected keyword argument 'x'`.
///
/// ```
/// use anypy::{Backend, Bound, ClassBuilder, PyClass, PyResult, Python};
/// use anypy_mock::Mock;
///
/// struct Counter {
///     n: i64,
/// }
///
/// anypy::method! {
///     /// Adds `by` and returns the count.
///     fn incr(this: &mut Counter, by: i64 = 1) -> i64 {
///         this.n += by;
///         this.n
///     }
/// }
///
/// impl<B: Backend> PyClass<B> for Counter {
///     const NAME: &'static str = "Counter";
///     fn define(class: &mut ClassBuilder<'_, Self, B>) -> PyResult<(), B> {
///         class.method_fn(incr::method())?;
///         Ok(())
///     }
/// }
///
/// Mock::leak_check(|| Python::<Mock>::with_gil(|py| -> PyResult<(), Mock> {
///     let counter = Bound::new(py, Counter { n: 1 })?;
///     let incr = counter.as_any().getattr("incr")?;
///     assert_eq!(incr.call0()?.extract::<i64>()?, 2);
///     assert_eq!(incr.getattr("__text_signature__")?.to_string(), "($self, by=1)");
///     let err = incr.call1(("x",)).unwrap_err();
///     assert_eq!(err.message(py), "Counter.incr() argument 'by': expected int, got str");
///     Ok(())
/// }).unwrap());
/// ```
#[macro_export]
macro_rules! method {
    ($(#[$($attr:tt)*])* $vis:vis fn $name:ident < $lt:lifetime , $B:ident > ($($params:tt)*)
        $(-> $ret:ty)? $body:block) => {
        $crate::method!(@receiver ($($params)*) [$(#[$($attr)*])*] [$vis] $name
            [<$lt, $B: $crate::Backend>] [$($ret)?] $body $B);
    };
    ($(#[$($attr:tt)*])* $vis:vis fn $name:ident < $B:ident > ($($params:tt)*)
        $(-> $ret:ty)? $body:block) => {
        $crate::method!(@receiver ($($params)*) [$(#[$($attr)*])*] [$vis] $name
            [<$B: $crate::Backend>] [$($ret)?] $body $B);
    };
    ($(#[$($attr:tt)*])* $vis:vis fn $name:ident ($($params:tt)*) $(-> $ret:ty)? $body:block) => {
        $crate::method!(@receiver ($($params)*) [$(#[$($attr)*])*] [$vis] $name
            [] [$($ret)?] $body __B);
    };
    (@receiver ($this:ident : PyRef<$a:lifetime, $l:lifetime, $cls:ty, $b:ident>
        $(, $($rest:tt)*)?) $($item:tt)*) => {
        $crate::method!(@go [pyref $this [$crate::PyRef<$a, $l, $cls, $b>] ($cls) ()]
            ($($($rest)*)?) $($item)*);
    };
    (@receiver ($this:ident : PyRefMut<$a:lifetime, $l:lifetime, $cls:ty, $b:ident>
        $(, $($rest:tt)*)?) $($item:tt)*) => {
        $crate::method!(@go [pymut $this [$crate::PyRefMut<$a, $l, $cls, $b>] ($cls) ()]
            ($($($rest)*)?) $($item)*);
    };
    (@receiver ($this:ident : &mut $cls:ty $(, $($rest:tt)*)?) $($item:tt)*) => {
        $crate::method!(@go [mut $this [&mut $cls] ($cls) ()] ($($($rest)*)?) $($item)*);
    };
    (@receiver ($this:ident : &Bound<$l:lifetime, PyType, $b:ident> $(, $($rest:tt)*)?)
        $($item:tt)*) => {
        $crate::method!(@go [class $this [&Bound<$l, PyType, $b>]
            ($crate::__ClassReceiver) ($crate::__ClassReceiver)]
            ($($($rest)*)?) $($item)*);
    };
    (@receiver ($this:ident : &Bound<$l:lifetime, $cls:ty, $b:ident> $(, $($rest:tt)*)?)
        $($item:tt)*) => {
        $crate::method!(@go [object $this [&Bound<$l, $cls, $b>] ($cls) ()]
            ($($($rest)*)?) $($item)*);
    };
    (@receiver ($this:ident : &$cls:ty $(, $($rest:tt)*)?) $($item:tt)*) => {
        $crate::method!(@go [ref $this [&$cls] ($cls) ()] ($($($rest)*)?) $($item)*);
    };
    (@go $recv:tt ($($rest:tt)*) $($item:tt)*) => {
        $crate::function!(@params (__py __params __args) PositionalOrKeyword
            {} {} {} {} {} ($($rest)*) @method $recv $($item)*);
    };
}

/// Defines a constructor: a Rust `fn` returning the value (`T`, or `PyResult<T, B>`), callable
/// from Rust as usual, and beside it its Python face, `name::constructor()`, the class's
/// `__new__` for [`ClassBuilder::constructor_fn`](crate::ClassBuilder::constructor_fn). The
/// parameters are read as [`function!`](crate::function!) reads them; they are the class's
/// signature (`inspect.signature(Counter)`), and argument errors read as CPython's for a Python
/// class's `__new__`: `Counter.__new__() missing 1 required positional argument: 'start'`.
///
/// ```
/// use anypy::{Backend, ClassBuilder, PyClass, PyResult, Python};
/// use anypy_mock::Mock;
///
/// struct Counter {
///     n: i64,
/// }
///
/// anypy::constructor! {
///     fn new_counter(start: i64 = 0, *, step: i64 = 1) -> Counter {
///         Counter { n: start * step }
///     }
/// }
///
/// impl<B: Backend> PyClass<B> for Counter {
///     const NAME: &'static str = "Counter";
///     fn define(class: &mut ClassBuilder<'_, Self, B>) -> PyResult<(), B> {
///         class.constructor_fn(new_counter::constructor())?;
///         Ok(())
///     }
/// }
///
/// Mock::leak_check(|| Python::<Mock>::with_gil(|py| -> PyResult<(), Mock> {
///     let class = <Counter as PyClass<Mock>>::type_object(py)?;
///     let step = anypy::types::PyDict::new(py)?;
///     step.set_item("step", 3)?;
///     let counter = class.call((2,), Some(&step))?;
///     assert_eq!(counter.downcast_class::<Counter>()?.borrow().n, 6);
///     assert_eq!(class.getattr("__text_signature__")?.to_string(), "(start=0, *, step=1)");
///     Ok(())
/// }).unwrap());
/// ```
#[macro_export]
macro_rules! constructor {
    ($(#[$($attr:tt)*])* $vis:vis fn $name:ident < $lt:lifetime , $B:ident > ($($params:tt)*)
        -> $ret:ty $body:block) => {
        $crate::function!(@params (__py __params __args) PositionalOrKeyword
            {} {} {} {} {} ($($params)*)
            @constructor [$(#[$($attr)*])*] [$vis] $name [<$lt, $B: $crate::Backend>] [$ret] $body $B);
    };
    ($(#[$($attr:tt)*])* $vis:vis fn $name:ident < $B:ident > ($($params:tt)*)
        -> $ret:ty $body:block) => {
        $crate::function!(@params (__py __params __args) PositionalOrKeyword
            {} {} {} {} {} ($($params)*)
            @constructor [$(#[$($attr)*])*] [$vis] $name [<$B: $crate::Backend>] [$ret] $body $B);
    };
    ($(#[$($attr:tt)*])* $vis:vis fn $name:ident ($($params:tt)*) -> $ret:ty $body:block) => {
        $crate::function!(@params (__py __params __args) PositionalOrKeyword
            {} {} {} {} {} ($($params)*)
            @constructor [$(#[$($attr)*])*] [$vis] $name [] [$ret] $body __B);
    };
}

/// How a method defined by `method!` takes its receiver: `ref`, `mut`, `pyref`, `pymut`,
/// `object` or `class`.
#[doc(hidden)]
#[macro_export]
macro_rules! __receive {
    (@is_class class) => {
        true
    };
    (@is_class $other:ident) => {
        false
    };
    (@check class $receiver:ident $cls:tt $object:ident) => {
        // SAFETY: the backend calls a class method's entry with the class.
        let $object = unsafe { $crate::__class_receiver(&$receiver) };
    };
    (@check $recv:ident $receiver:ident ($cls:ty) $object:ident) => {
        let $object = $receiver.downcast_class::<$cls>()?;
    };
    (@bind ref $object:ident $this:ident) => {
        let guard = $object.try_borrow()?;
        let $this = &*guard;
    };
    (@bind mut $object:ident $this:ident) => {
        let mut guard = $object.try_borrow_mut()?;
        let $this = &mut *guard;
    };
    (@bind pyref $object:ident $this:ident) => {
        let $this = $object.try_borrow()?;
    };
    (@bind pymut $object:ident $this:ident) => {
        let $this = $object.try_borrow_mut()?;
    };
    (@bind object $object:ident $this:ident) => {
        let $this = &*$object;
    };
    (@bind class $object:ident $this:ident) => {
        let $this = $object;
    };
}
