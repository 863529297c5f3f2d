//! Exception classes: markers for Python's builtin ones (`PyErr::new::<TypeError, _>("...")`,
//! `err.is_instance_of::<KeyError>(py)`, `ValueError::new_err("...")`) and, through
//! [`create_exception!`](crate::create_exception), new classes made once per process per backend.

use std::borrow::Cow;

use crate::backend::{Backend, ExceptionKind, RawPtr};
use crate::err::{PyErr, PyResult};
use crate::instance::Bound;
use crate::python::Python;
use crate::type_object::TypeObjectCell;
use crate::types::PyAny;

/// An exception class: builtin, or made by [`create_exception!`](crate::create_exception).
pub trait PyExceptionType: 'static {
    /// The class's `__name__`, e.g. `"ValueError"`.
    const NAME: &'static str;

    /// Where the class comes from (how [`PyErr`] reaches it on any backend).
    fn class() -> ExceptionClass;

    /// An error of this class with `message`, raised lazily (no object is made until needed).
    fn new_err<B: Backend>(message: impl Into<Cow<'static, str>>) -> PyErr<B> {
        PyErr::from_class(Self::class(), message)
    }

    /// The class object, made on first use for a class made at run time.
    fn type_object<B: Backend>(py: Python<'_, B>) -> PyResult<Bound<'_, PyAny, B>, B> {
        let class = Self::class().type_ptr(py)?;
        // SAFETY: the token proves the GIL; the class lives as long as the process.
        Ok(unsafe { Bound::from_borrowed_ptr(py, class) })
    }
}

/// Where an exception class comes from: a builtin one, or one made at run time.
#[derive(Clone, Copy, Debug)]
pub enum ExceptionClass {
    /// A builtin class.
    Builtin(ExceptionKind),
    /// A class made at run time, described by a `static`.
    Custom(&'static CustomException),
}

impl PartialEq for ExceptionClass {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (ExceptionClass::Builtin(a), ExceptionClass::Builtin(b)) => a == b,
            (ExceptionClass::Custom(a), ExceptionClass::Custom(b)) => std::ptr::eq(*a, *b),
            _ => false,
        }
    }
}

impl ExceptionClass {
    /// The class's `__name__`.
    pub fn name(self) -> &'static str {
        match self {
            ExceptionClass::Builtin(kind) => kind.name(),
            ExceptionClass::Custom(custom) => custom.name(),
        }
    }

    /// The direct base class.
    pub fn base(self) -> Option<ExceptionClass> {
        match self {
            ExceptionClass::Builtin(kind) => kind.base().map(ExceptionClass::Builtin),
            ExceptionClass::Custom(custom) => Some((custom.base)()),
        }
    }

    /// This class and its bases, nearest first.
    pub fn mro(self) -> impl Iterator<Item = ExceptionClass> {
        std::iter::successors(Some(self), |class| class.base())
    }

    /// The nearest builtin class among this one and its bases.
    pub fn builtin_kind(self) -> ExceptionKind {
        self.mro()
            .find_map(|class| match class {
                ExceptionClass::Builtin(kind) => Some(kind),
                ExceptionClass::Custom(_) => None,
            })
            .expect("every exception class derives from a builtin one")
    }

    /// The class object on backend `B` (borrowed, lives as long as the process), made with its
    /// bases on first use.
    pub fn type_ptr<B: Backend>(self, py: Python<'_, B>) -> PyResult<RawPtr, B> {
        match self {
            // SAFETY: the token proves the GIL.
            ExceptionClass::Builtin(kind) => Ok(unsafe { B::exception_type(kind) }),
            ExceptionClass::Custom(custom) => custom.type_ptr(py),
        }
    }
}

/// A class made at run time by [`create_exception!`](crate::create_exception): its qualified
/// name, docstring and base, and its class object per backend.
#[derive(Debug)]
pub struct CustomException {
    qualified_name: &'static str,
    doc: Option<&'static str>,
    base: fn() -> ExceptionClass,
    cell: TypeObjectCell,
}

impl CustomException {
    /// A class `qualified_name` (`module.Name`) deriving from `base()`.
    pub const fn new(
        qualified_name: &'static str,
        doc: Option<&'static str>,
        base: fn() -> ExceptionClass,
    ) -> Self {
        CustomException {
            qualified_name,
            doc,
            base,
            cell: TypeObjectCell::new(),
        }
    }

    /// `__name__`: the part after the module.
    pub fn name(&self) -> &'static str {
        match self.qualified_name.rsplit_once('.') {
            Some((_, name)) => name,
            None => self.qualified_name,
        }
    }

    fn type_ptr<B: Backend>(&self, py: Python<'_, B>) -> PyResult<RawPtr, B> {
        if let Some(class) = self.cell.get::<B>() {
            return Ok(class);
        }
        self.cell.get_or_try_init(py, |py| {
            let base = (self.base)().type_ptr(py)?;
            // SAFETY: the token proves the GIL; `base` is a live exception class; the result
            // is a new reference or an error.
            unsafe {
                Bound::from_owned_ptr_or_err(
                    py,
                    B::exception_new(self.qualified_name, self.doc, base),
                )
            }
        })
    }
}

/// Declares a new exception class: a marker type usable wherever a builtin one is, whose class
/// object is made on first use, once per process per backend.
///
/// `create_exception!(module, Name, Base)` or `create_exception!(module, Name, Base, "doc")`;
/// `Base` is a builtin marker (`anypy::exceptions::ValueError`, ...) or another class declared
/// this way. Add it to a module with [`ModuleBuilder::exception`](crate::ModuleBuilder::exception).
///
/// ```
/// use anypy::exceptions::{PyExceptionType, ValueError};
/// use anypy::{create_exception, PyErr, Python};
/// use anypy_mock::Mock;
///
/// create_exception!(shapes, ShapeError, ValueError, "A shape is malformed.");
///
/// Mock::leak_check(|| Python::<Mock>::with_gil(|py| {
///     let err = PyErr::<Mock>::new::<ShapeError, _>("negative side");
///     assert!(err.is_instance_of::<ShapeError>(py));
///     assert!(err.is_instance_of::<ValueError>(py));
///     assert_eq!(err.to_string(), "ShapeError: negative side");
/// }));
/// ```
#[macro_export]
macro_rules! create_exception {
    ($module:ident, $name:ident, $base:ty) => {
        $crate::create_exception!(@emit $module, $name, $base, ::std::option::Option::None);
    };
    ($module:ident, $name:ident, $base:ty, $doc:expr) => {
        $crate::create_exception!(@emit $module, $name, $base, ::std::option::Option::Some($doc));
    };
    (@emit $module:ident, $name:ident, $base:ty, $doc:expr) => {
        #[doc = concat!("The exception class `", stringify!($module), ".", stringify!($name), "`.")]
        pub struct $name {
            _private: (),
        }

        impl $crate::exceptions::PyExceptionType for $name {
            const NAME: &'static str = stringify!($name);

            fn class() -> $crate::exceptions::ExceptionClass {
                static CLASS: $crate::exceptions::CustomException =
                    $crate::exceptions::CustomException::new(
                        concat!(stringify!($module), ".", stringify!($name)),
                        $doc,
                        <$base as $crate::exceptions::PyExceptionType>::class,
                    );
                $crate::exceptions::ExceptionClass::Custom(&CLASS)
            }
        }

        impl $name {
            /// An error of this class with `message`, raised lazily.
            #[allow(dead_code)]
            pub fn new_err<B: $crate::Backend>(
                message: impl ::std::convert::Into<::std::borrow::Cow<'static, str>>,
            ) -> $crate::PyErr<B> {
                <Self as $crate::exceptions::PyExceptionType>::new_err(message)
            }

            /// The class object, made on first use.
            #[allow(dead_code)]
            pub fn type_object<B: $crate::Backend>(
                py: $crate::Python<'_, B>,
            ) -> $crate::PyResult<$crate::Bound<'_, $crate::types::PyAny, B>, B> {
                <Self as $crate::exceptions::PyExceptionType>::type_object(py)
            }
        }
    };
}

macro_rules! exception_markers {
    ([] $($name:ident($symbol:ident) $(: $base:ident)?;)*) => {$(
        #[doc = concat!("Python's `", stringify!($name), "`.")]
        pub struct $name {
            _private: (),
        }

        impl PyExceptionType for $name {
            const NAME: &'static str = stringify!($name);

            #[inline]
            fn class() -> ExceptionClass {
                ExceptionClass::Builtin(ExceptionKind::$name)
            }
        }
    )*};
}

crate::for_each_exception_kind!(exception_markers);
