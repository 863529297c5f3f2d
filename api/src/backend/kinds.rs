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

/// The builtin exception classes anypy names. Each backend maps a kind to its type object.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[allow(missing_docs)] // each variant is the Python class of the same name
pub enum ExceptionKind {
    BaseException,
    Exception,
    ArithmeticError,
    LookupError,
    TypeError,
    ValueError,
    OverflowError,
    ZeroDivisionError,
    KeyError,
    IndexError,
    AttributeError,
    RuntimeError,
    NotImplementedError,
    MemoryError,
    StopIteration,
    SystemError,
    ImportError,
    OSError,
}

impl ExceptionKind {
    /// Every kind, most specific first: the first one an exception matches is its closest kind.
    pub const MOST_SPECIFIC_FIRST: [ExceptionKind; 18] = [
        ExceptionKind::OverflowError,
        ExceptionKind::ZeroDivisionError,
        ExceptionKind::KeyError,
        ExceptionKind::IndexError,
        ExceptionKind::NotImplementedError,
        ExceptionKind::TypeError,
        ExceptionKind::ValueError,
        ExceptionKind::AttributeError,
        ExceptionKind::MemoryError,
        ExceptionKind::StopIteration,
        ExceptionKind::SystemError,
        ExceptionKind::ImportError,
        ExceptionKind::OSError,
        ExceptionKind::RuntimeError,
        ExceptionKind::ArithmeticError,
        ExceptionKind::LookupError,
        ExceptionKind::Exception,
        ExceptionKind::BaseException,
    ];

    /// The Python name of the class, e.g. `"TypeError"`.
    pub fn name(self) -> &'static str {
        match self {
            ExceptionKind::BaseException => "BaseException",
            ExceptionKind::Exception => "Exception",
            ExceptionKind::ArithmeticError => "ArithmeticError",
            ExceptionKind::LookupError => "LookupError",
            ExceptionKind::TypeError => "TypeError",
            ExceptionKind::ValueError => "ValueError",
            ExceptionKind::OverflowError => "OverflowError",
            ExceptionKind::ZeroDivisionError => "ZeroDivisionError",
            ExceptionKind::KeyError => "KeyError",
            ExceptionKind::IndexError => "IndexError",
            ExceptionKind::AttributeError => "AttributeError",
            ExceptionKind::RuntimeError => "RuntimeError",
            ExceptionKind::NotImplementedError => "NotImplementedError",
            ExceptionKind::MemoryError => "MemoryError",
            ExceptionKind::StopIteration => "StopIteration",
            ExceptionKind::SystemError => "SystemError",
            ExceptionKind::ImportError => "ImportError",
            ExceptionKind::OSError => "OSError",
        }
    }

    /// The direct base class, `None` for `BaseException` (Python's builtin hierarchy).
    pub fn base(self) -> Option<ExceptionKind> {
        use ExceptionKind::*;
        match self {
            BaseException => None,
            Exception => Some(BaseException),
            ArithmeticError | LookupError | TypeError | ValueError | AttributeError
            | RuntimeError | MemoryError | StopIteration | SystemError | ImportError | OSError => {
                Some(Exception)
            }
            OverflowError | ZeroDivisionError => Some(ArithmeticError),
            KeyError | IndexError => Some(LookupError),
            NotImplementedError => Some(RuntimeError),
        }
    }
}

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
