//! What a mock object is: its bookkeeping (serial id, refcount, creation site) and its kind,
//! the Rust value behind each Python type.

use std::panic::Location;
use std::sync::Arc;

use anypy::RawFunction;

use crate::big_int::BigInt;
use crate::builtins::BuiltinFn;
use crate::class::Class;
use crate::dict_table::DictTable;
use crate::handle::Handle;
use crate::instance::{ClassMethod, Instance};
use crate::iter::IterState;
use crate::methods::Method;

/// One live object.
pub(crate) struct Object {
    /// The value.
    pub(crate) kind: Kind,
    /// Serial id, counting from 1 per leak-check scope; 0 for immortal singletons.
    pub(crate) id: u64,
    /// The reference count.
    pub(crate) refcount: isize,
    /// Where the object was made (the nearest `#[track_caller]` caller).
    pub(crate) created: &'static Location<'static>,
    /// The leak-check scope the object was made in.
    pub(crate) epoch: u32,
    /// Singletons made at start-up: never freed, never reported as leaks.
    pub(crate) immortal: bool,
}

/// The value of an object. Variants holding [`Handle`]s own one reference to each.
pub(crate) enum Kind {
    None,
    NotImplemented,
    Bool(bool),
    Int(i128),
    /// An int outside the `i128` range (never one inside it).
    BigInt(Box<BigInt>),
    Float(f64),
    Str(String),
    Bytes(Vec<u8>),
    /// `None` marks an item not yet set by `tuple_init_item`.
    Tuple(Vec<Option<Handle>>),
    /// `None` marks an item not yet set by `list_init_item`.
    List(Vec<Option<Handle>>),
    Dict(Box<DictTable>),
    /// A set: its keys, each with `None` as the value.
    Set(Box<DictTable>),
    /// A frozenset, as a set.
    FrozenSet(Box<DictTable>),
    Module(Box<ModuleData>),
    /// A `types.SimpleNamespace`: its attributes, keyed by str.
    Namespace(Box<DictTable>),
    /// A native function made by `function_new`.
    Function(Box<NativeFunction>),
    /// A function of the `builtins` module.
    Builtin(BuiltinFn),
    /// A builtin method bound to its receiver.
    Method(Handle, Method),
    Iter(Box<IterState>),
    /// An exception instance: its class (an exception class) and its `args` tuple.
    Exception(Class, Handle),
    /// A type object.
    Type(Class),
    /// An instance of a Rust class.
    Instance(Box<Instance>),
    /// A Rust class's method bound to its receiver.
    BoundMethod(Handle, Box<ClassMethod>),
}

/// A module: its name and its attributes, keyed by str.
pub(crate) struct ModuleData {
    pub(crate) name: String,
    pub(crate) attrs: DictTable,
    /// Made at start-up (`builtins`, `sys`, `types`): shown as `(built-in)`.
    pub(crate) builtin: bool,
}

/// A native function and what was read from it at creation (so the mock never runs user code
/// while it holds its lock): its name, its docstring split as CPython splits `ml_doc`
/// (`name(sig)\n--\n\n` then the text), its module's name, whether it takes arguments.
pub(crate) struct NativeFunction {
    pub(crate) function: Arc<dyn RawFunction>,
    pub(crate) name: String,
    pub(crate) text_signature: Option<String>,
    pub(crate) doc: Option<String>,
    pub(crate) module: Option<String>,
    pub(crate) takes_arguments: bool,
}

impl NativeFunction {
    /// Reads `function` (its docstring split as `PyCFunction`'s `__text_signature__` and
    /// `__doc__` split it; an empty text is `None`) for a function of module `module`.
    pub(crate) fn new(function: Arc<dyn RawFunction>, module: Option<String>) -> Self {
        let name = function.name().to_owned();
        let (text_signature, doc) = crate::class_backend::split_doc(&name, function.doc());
        NativeFunction {
            name,
            text_signature,
            doc,
            module,
            takes_arguments: function.takes_arguments(),
            function,
        }
    }
}

impl Kind {
    /// The class of an object of this kind.
    pub(crate) fn class(&self) -> Class {
        match self {
            Kind::None => Class::NoneType,
            Kind::NotImplemented => Class::NotImplementedType,
            Kind::Bool(_) => Class::Bool,
            Kind::Int(_) | Kind::BigInt(_) => Class::Int,
            Kind::Float(_) => Class::Float,
            Kind::Str(_) => Class::Str,
            Kind::Bytes(_) => Class::Bytes,
            Kind::Tuple(_) => Class::Tuple,
            Kind::List(_) => Class::List,
            Kind::Dict(_) => Class::Dict,
            Kind::Set(_) => Class::Set,
            Kind::FrozenSet(_) => Class::FrozenSet,
            Kind::Module(_) => Class::Module,
            Kind::Namespace(_) => Class::Namespace,
            Kind::Function(_) | Kind::Builtin(_) | Kind::Method(..) => Class::BuiltinFunction,
            Kind::Iter(state) => state.class(),
            Kind::Exception(class, _) => *class,
            Kind::Type(_) => Class::Type,
            Kind::Instance(instance) => Class::Heap(instance.class),
            Kind::BoundMethod(..) => Class::BuiltinFunction,
        }
    }

    /// The value of an `int` or `bool`.
    pub(crate) fn as_int(&self) -> Option<i128> {
        match self {
            Kind::Int(value) => Some(*value),
            Kind::Bool(value) => Some(i128::from(*value)),
            _ => None,
        }
    }

    /// The text of a `str`.
    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Kind::Str(text) => Some(text),
            _ => None,
        }
    }

    /// The items of a tuple or list.
    pub(crate) fn as_sequence(&self) -> Option<&[Option<Handle>]> {
        match self {
            Kind::Tuple(items) | Kind::List(items) => Some(items),
            _ => None,
        }
    }

    /// The table of a dict.
    pub(crate) fn as_dict(&self) -> Option<&DictTable> {
        match self {
            Kind::Dict(table) => Some(table),
            _ => None,
        }
    }

    /// Calls `visit` once per reference this value owns (twice for an object held twice):
    /// what CPython's `tp_traverse` reports.
    pub(crate) fn for_each_reference(&self, mut visit: impl FnMut(Handle)) {
        match self {
            Kind::Tuple(items) | Kind::List(items) => {
                items.iter().flatten().copied().for_each(visit)
            }
            Kind::Dict(table)
            | Kind::Namespace(table)
            | Kind::Set(table)
            | Kind::FrozenSet(table) => table.iter().for_each(|entry| {
                visit(entry.key);
                visit(entry.value);
            }),
            Kind::Module(module) => module.attrs.iter().for_each(|entry| {
                visit(entry.key);
                visit(entry.value);
            }),
            Kind::Method(receiver, _) | Kind::BoundMethod(receiver, _) => visit(*receiver),
            Kind::Iter(state) => state.source.into_iter().for_each(visit),
            Kind::Exception(_, args) => visit(*args),
            Kind::None
            | Kind::NotImplemented
            | Kind::Bool(_)
            | Kind::Int(_)
            | Kind::BigInt(_)
            | Kind::Float(_)
            | Kind::Str(_)
            | Kind::Bytes(_)
            | Kind::Function(_)
            | Kind::Builtin(_)
            | Kind::Type(_)
            | Kind::Instance(_) => {}
        }
    }

    /// Empties a container, handing back the references it owned (CPython's `tp_clear`): the
    /// cycle collector's way to break a cycle. Every cycle of mock objects runs through a
    /// tuple, list, dict, set, namespace or module, so the other kinds are left as they are.
    pub(crate) fn clear_references(&mut self) -> Vec<Handle> {
        match self {
            Kind::Tuple(items) | Kind::List(items) => {
                std::mem::take(items).into_iter().flatten().collect()
            }
            Kind::Dict(table)
            | Kind::Namespace(table)
            | Kind::Set(table)
            | Kind::FrozenSet(table) => entries_of(std::mem::take(&mut **table)),
            Kind::Module(module) => entries_of(std::mem::take(&mut module.attrs)),
            _ => Vec::new(),
        }
    }
}

/// The keys and values of a table given up.
fn entries_of(table: DictTable) -> Vec<Handle> {
    table
        .into_entries()
        .flat_map(|entry| [entry.key, entry.value])
        .collect()
}
