//! The builtin classes every mock object belongs to: their Python names and the subclass
//! relation (`bool` is an `int`, exceptions follow [`ExceptionKind::base`]).

use anypy::{BuiltinType, ExceptionKind};

/// A builtin class. Each has one immortal type object in the heap.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Class {
    NoneType,
    Bool,
    Int,
    Float,
    Str,
    Bytes,
    Tuple,
    List,
    Dict,
    Module,
    Namespace,
    BuiltinFunction,
    Type,
    ListIterator,
    TupleIterator,
    DictKeyIterator,
    StrIterator,
    BytesIterator,
    Set,
    FrozenSet,
    SetIterator,
    Exception(ExceptionKind),
}

/// The classes that are not exceptions, in type-object order.
const PLAIN: [Class; 21] = [
    Class::NoneType,
    Class::Bool,
    Class::Int,
    Class::Float,
    Class::Str,
    Class::Bytes,
    Class::Tuple,
    Class::List,
    Class::Dict,
    Class::Module,
    Class::Namespace,
    Class::BuiltinFunction,
    Class::Type,
    Class::ListIterator,
    Class::TupleIterator,
    Class::DictKeyIterator,
    Class::StrIterator,
    Class::BytesIterator,
    Class::Set,
    Class::FrozenSet,
    Class::SetIterator,
];

/// How many classes (and type objects) there are.
pub(crate) const COUNT: usize = PLAIN.len() + ExceptionKind::MOST_SPECIFIC_FIRST.len();

impl Class {
    /// Every class, in type-object order: the plain ones, then the exceptions in the order of
    /// `for_each_exception_kind!` (which is `kind as usize`).
    pub(crate) fn all() -> impl Iterator<Item = Class> {
        PLAIN.into_iter().chain(
            ExceptionKind::MOST_SPECIFIC_FIRST
                .into_iter()
                .map(Class::Exception),
        )
    }

    /// The position of this class's type object among all type objects.
    pub(crate) const fn index(self) -> usize {
        match self {
            Class::NoneType => 0,
            Class::Bool => 1,
            Class::Int => 2,
            Class::Float => 3,
            Class::Str => 4,
            Class::Bytes => 5,
            Class::Tuple => 6,
            Class::List => 7,
            Class::Dict => 8,
            Class::Module => 9,
            Class::Namespace => 10,
            Class::BuiltinFunction => 11,
            Class::Type => 12,
            Class::ListIterator => 13,
            Class::TupleIterator => 14,
            Class::DictKeyIterator => 15,
            Class::StrIterator => 16,
            Class::BytesIterator => 17,
            Class::Set => 18,
            Class::FrozenSet => 19,
            Class::SetIterator => 20,
            Class::Exception(kind) => PLAIN.len() + kind as usize,
        }
    }

    /// The name Python prints in messages (`tp_name`, without a module).
    pub(crate) fn name(self) -> &'static str {
        match self {
            Class::NoneType => "NoneType",
            Class::Bool => "bool",
            Class::Int => "int",
            Class::Float => "float",
            Class::Str => "str",
            Class::Bytes => "bytes",
            Class::Tuple => "tuple",
            Class::List => "list",
            Class::Dict => "dict",
            Class::Module => "module",
            Class::Namespace => "SimpleNamespace",
            Class::BuiltinFunction => "builtin_function_or_method",
            Class::Type => "type",
            Class::ListIterator => "list_iterator",
            Class::TupleIterator => "tuple_iterator",
            Class::DictKeyIterator => "dict_keyiterator",
            Class::StrIterator => "str_iterator",
            Class::BytesIterator => "bytes_iterator",
            Class::Set => "set",
            Class::FrozenSet => "frozenset",
            Class::SetIterator => "set_iterator",
            Class::Exception(kind) => kind.name(),
        }
    }

    /// The name `repr(cls)` shows: qualified by its module outside `builtins`.
    pub(crate) fn qualified_name(self) -> &'static str {
        match self {
            Class::Namespace => "types.SimpleNamespace",
            other => other.name(),
        }
    }

    /// The direct base class, if it is not `object`.
    pub(crate) fn base(self) -> Option<Class> {
        match self {
            Class::Bool => Some(Class::Int),
            Class::Exception(kind) => kind.base().map(Class::Exception),
            _ => None,
        }
    }

    /// Whether `self` is `other` or derives from it.
    pub(crate) fn is_subclass_of(self, other: Class) -> bool {
        let mut class = Some(self);
        while let Some(current) = class {
            if current == other {
                return true;
            }
            class = current.base();
        }
        false
    }

    /// Whether instances of `self` pass `PyXxx_Check` for `ty`.
    pub(crate) fn checks_as(self, ty: BuiltinType) -> bool {
        let target = match ty {
            BuiltinType::None => Class::NoneType,
            BuiltinType::Bool => Class::Bool,
            BuiltinType::Int => Class::Int,
            BuiltinType::Float => Class::Float,
            BuiltinType::Str => Class::Str,
            BuiltinType::Bytes => Class::Bytes,
            BuiltinType::Tuple => Class::Tuple,
            BuiltinType::List => Class::List,
            BuiltinType::Dict => Class::Dict,
            BuiltinType::Set => Class::Set,
            BuiltinType::FrozenSet => Class::FrozenSet,
            BuiltinType::Module => Class::Module,
            BuiltinType::BaseException => Class::Exception(ExceptionKind::BaseException),
        };
        self.is_subclass_of(target)
    }
}
