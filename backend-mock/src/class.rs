//! The classes every mock object belongs to: their Python names and the subclass relation
//! (`bool` is an `int`, exceptions follow [`ExceptionKind::base`], a class made at run time
//! names its base).

use anypy::{BuiltinType, ExceptionKind};

/// A class. Each builtin one has an immortal type object at a fixed slot; a class made at run
/// time ([`HeapClass`]) has one wherever it was allocated.
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
    NotImplementedType,
    Exception(ExceptionKind),
    /// A class made at run time (a custom exception class).
    Heap(HeapClass),
}

/// A class made at run time: made once per process and never freed (like a static type), so
/// a plain `&'static` names it; two are the same class only if they are the same allocation.
#[derive(Clone, Copy, Debug)]
pub(crate) struct HeapClass(pub(crate) &'static HeapClassData);

impl PartialEq for HeapClass {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.0, other.0)
    }
}

impl Eq for HeapClass {}

/// What a run-time class is: its names, docstring, base and type object, and for a Rust class
/// its methods and payload.
#[derive(Debug)]
pub(crate) struct HeapClassData {
    /// `__name__`, e.g. `MyError`.
    pub(crate) name: &'static str,
    /// `__module__`, e.g. `mymod`.
    pub(crate) module: &'static str,
    /// `module.name`, as `repr(cls)` shows it.
    pub(crate) qualified: &'static str,
    /// `__doc__`, if given.
    pub(crate) doc: Option<&'static str>,
    /// `__text_signature__`: a Rust class's constructor's parameters, if its docstring starts
    /// with them.
    pub(crate) text_signature: Option<&'static str>,
    /// The one base class (`None`: `object`).
    pub(crate) base: Option<Class>,
    /// The type object (immortal).
    pub(crate) handle: crate::handle::Handle,
    /// What a Rust class adds: methods, constructor, payload.
    pub(crate) rust: Option<crate::instance::RustClass>,
}

/// The classes that are not exceptions, in type-object order.
const PLAIN: [Class; 22] = [
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
    Class::NotImplementedType,
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
            Class::NotImplementedType => 21,
            Class::Exception(kind) => PLAIN.len() + kind as usize,
            Class::Heap(_) => usize::MAX,
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
            Class::NotImplementedType => "NotImplementedType",
            Class::Exception(kind) => kind.name(),
            Class::Heap(class) => class.0.name,
        }
    }

    /// The name `repr(cls)` shows: qualified by its module outside `builtins`.
    pub(crate) fn qualified_name(self) -> &'static str {
        match self {
            Class::Namespace => "types.SimpleNamespace",
            Class::Heap(class) => class.0.qualified,
            other => other.name(),
        }
    }

    /// The direct base class, if it is not `object`.
    pub(crate) fn base(self) -> Option<Class> {
        match self {
            Class::Bool => Some(Class::Int),
            Class::Exception(kind) => kind.base().map(Class::Exception),
            Class::Heap(class) => class.0.base,
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

    /// Whether this is an exception class (derives from `BaseException`).
    pub(crate) fn is_exception(self) -> bool {
        self.is_subclass_of(Class::Exception(ExceptionKind::BaseException))
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
