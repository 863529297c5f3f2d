//! The small enums a backend maps to its own objects: builtin types with a type check,
//! the builtin exception classes anypy names, the rich-comparison and the integer operators.

/// The builtin types that have a dedicated type check (`PyDict_Check` and friends).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BuiltinType {
    /// `NoneType`
    None,
    /// `bool`
    Bool,
    /// `int` (and subclasses, `bool` included)
    Int,
    /// `float`
    Float,
    /// `str`
    Str,
    /// `bytes`
    Bytes,
    /// `tuple`
    Tuple,
    /// `list`
    List,
    /// `dict`
    Dict,
    /// `set`
    Set,
    /// `frozenset`
    FrozenSet,
    /// `module`
    Module,
    /// `BaseException` instances
    BaseException,
}

/// Expands `$callback! { [extra] Name(C_symbol): Base; .. }` with every builtin exception
/// class anypy names: its Python name, the C-API variable holding it, and its direct base (none
/// for `BaseException`), most specific first (every class before its base). The one list from
/// which [`ExceptionKind`], its names and bases, the markers in [`exceptions`](crate::exceptions),
/// the mock's exception classes and the C backends' `PyExc_*` statics are generated. `extra`
/// (any tokens after the callback) is passed through, for a callback that needs context.
#[macro_export]
macro_rules! for_each_exception_kind {
    ($($callback:ident)::+ $(, $extra:tt)*) => {
        $($callback)::+! {
            [$($extra)*]
            OverflowError(PyExc_OverflowError): ArithmeticError;
            ZeroDivisionError(PyExc_ZeroDivisionError): ArithmeticError;
            KeyError(PyExc_KeyError): LookupError;
            IndexError(PyExc_IndexError): LookupError;
            NotImplementedError(PyExc_NotImplementedError): RuntimeError;
            TypeError(PyExc_TypeError): Exception;
            ValueError(PyExc_ValueError): Exception;
            AttributeError(PyExc_AttributeError): Exception;
            MemoryError(PyExc_MemoryError): Exception;
            StopIteration(PyExc_StopIteration): Exception;
            SystemError(PyExc_SystemError): Exception;
            ImportError(PyExc_ImportError): Exception;
            OSError(PyExc_OSError): Exception;
            RuntimeError(PyExc_RuntimeError): Exception;
            ArithmeticError(PyExc_ArithmeticError): Exception;
            LookupError(PyExc_LookupError): Exception;
            Exception(PyExc_Exception): BaseException;
            BaseException(PyExc_BaseException);
        }
    };
}

macro_rules! declare_exception_kinds {
    ([] $($name:ident($symbol:ident) $(: $base:ident)?;)*) => {
        /// The builtin exception classes anypy names. Each backend maps a kind to its type
        /// object. Declared most specific first, as [`for_each_exception_kind!`] lists them.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[allow(missing_docs)] // each variant is the Python class of the same name
        pub enum ExceptionKind {
            $($name,)*
        }

        impl ExceptionKind {
            /// Every kind, most specific first: the first one an exception matches is its
            /// closest kind. A kind's position is its discriminant (`kind as usize`).
            pub const MOST_SPECIFIC_FIRST: [ExceptionKind; [$(ExceptionKind::$name),*].len()] =
                [$(ExceptionKind::$name),*];

            /// The Python name of the class, e.g. `"TypeError"`.
            pub fn name(self) -> &'static str {
                match self {
                    $(ExceptionKind::$name => stringify!($name),)*
                }
            }

            /// The direct base class, `None` for `BaseException` (Python's builtin hierarchy).
            pub fn base(self) -> Option<ExceptionKind> {
                match self {
                    $(ExceptionKind::$name => declare_exception_kinds!(@base $($base)?),)*
                }
            }
        }
    };
    (@base) => {
        None
    };
    (@base $base:ident) => {
        Some(ExceptionKind::$base)
    };
}

for_each_exception_kind!(declare_exception_kinds);

/// Rich comparison operators, numbered as CPython's `Py_LT` .. `Py_GE`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(i32)]
pub enum CompareOp {
    /// `<`
    Lt = 0,
    /// `<=`
    Le = 1,
    /// `==`
    Eq = 2,
    /// `!=`
    Ne = 3,
    /// `>`
    Gt = 4,
    /// `>=`
    Ge = 5,
}

/// The binary integer operators anypy uses to build and split wide ints, as the C-API's
/// `PyNumber_And`, `PyNumber_Or`, `PyNumber_Lshift` and `PyNumber_Rshift`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NumberOp {
    /// `a & b`
    And,
    /// `a | b`
    Or,
    /// `a << b`
    Lshift,
    /// `a >> b`
    Rshift,
}

#[cfg(test)]
mod tests {
    use super::ExceptionKind;

    #[test]
    fn every_exception_kind_comes_before_its_base_at_its_own_position() {
        let all = ExceptionKind::MOST_SPECIFIC_FIRST;
        for (position, kind) in all.iter().enumerate() {
            assert_eq!(*kind as usize, position, "{kind:?}");
            if let Some(base) = kind.base() {
                assert!(
                    base as usize > position,
                    "{kind:?} is listed after its base {base:?}"
                );
            }
        }
        assert_eq!(all.last().map(|kind| kind.base()), Some(None));
    }
}
