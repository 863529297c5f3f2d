//! The builtin modules made at start-up (`builtins`, `types`, `sys` with `sys.modules`) and
//! the functions of `builtins`: `len`, `repr`, `abs`, `sum`, `sorted`, `isinstance`, `hash`,
//! `min`, `max`.

use anypy::{CompareOp, ExceptionKind};

use crate::call::check_arity;
use crate::class::Class;
use crate::compare_hash::hash_bytes;
use crate::dict_table::DictTable;
use crate::errors::{int_too_large, type_error, value_error, Exc, MAX_NESTING};
use crate::handle::Handle;
use crate::heap::{class_handle, Heap, FALSE, NONE, TRUE};
use crate::object::{Kind, ModuleData};

/// A function of the `builtins` module.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum BuiltinFn {
    Len,
    Repr,
    Abs,
    Sum,
    Sorted,
    IsInstance,
    Hash,
    Min,
    Max,
}

const FUNCTIONS: [BuiltinFn; 9] = [
    BuiltinFn::Len,
    BuiltinFn::Repr,
    BuiltinFn::Abs,
    BuiltinFn::Sum,
    BuiltinFn::Sorted,
    BuiltinFn::IsInstance,
    BuiltinFn::Hash,
    BuiltinFn::Min,
    BuiltinFn::Max,
];

/// The classes `builtins` exposes by name (besides every exception class).
const BUILTIN_CLASSES: [Class; 11] = [
    Class::Bool,
    Class::Int,
    Class::Float,
    Class::Str,
    Class::Bytes,
    Class::Tuple,
    Class::List,
    Class::Dict,
    Class::Set,
    Class::FrozenSet,
    Class::Type,
];

impl BuiltinFn {
    /// The function's name.
    pub(crate) fn name(self) -> &'static str {
        match self {
            BuiltinFn::Len => "len",
            BuiltinFn::Repr => "repr",
            BuiltinFn::Abs => "abs",
            BuiltinFn::Sum => "sum",
            BuiltinFn::Sorted => "sorted",
            BuiltinFn::IsInstance => "isinstance",
            BuiltinFn::Hash => "hash",
            BuiltinFn::Min => "min",
            BuiltinFn::Max => "max",
        }
    }
}

/// Builds an immortal module from `(name, value)` attributes.
fn module(heap: &mut Heap, name: &str, attrs: &[(&str, Handle)]) -> Handle {
    let mut table = DictTable::new();
    for (attr, value) in attrs {
        let key = heap.alloc_immortal(Kind::Str((*attr).to_owned()));
        table.insert_new(hash_bytes(attr.as_bytes()), key, *value);
    }
    let data = ModuleData {
        name: name.to_owned(),
        attrs: table,
        builtin: true,
    };
    heap.alloc_immortal(Kind::Module(Box::new(data)))
}

/// Makes the builtin modules (immortal); returns `sys.modules`.
pub(crate) fn install(heap: &mut Heap) -> Handle {
    let mut attrs: Vec<(&str, Handle)> = vec![("None", NONE), ("True", TRUE), ("False", FALSE)];
    attrs.extend(
        BUILTIN_CLASSES
            .iter()
            .map(|class| (class.name(), class_handle(*class))),
    );
    attrs.extend(
        Class::all()
            .filter(|class| matches!(class, Class::Exception(_)))
            .map(|class| (class.name(), class_handle(class))),
    );
    for function in FUNCTIONS {
        attrs.push((
            function.name(),
            heap.alloc_immortal(Kind::Builtin(function)),
        ));
    }
    let builtins = module(heap, "builtins", &attrs);
    let types = module(
        heap,
        "types",
        &[
            ("SimpleNamespace", class_handle(Class::Namespace)),
            ("ModuleType", class_handle(Class::Module)),
            ("BuiltinFunctionType", class_handle(Class::BuiltinFunction)),
            ("NoneType", class_handle(Class::NoneType)),
        ],
    );
    let mut modules = DictTable::new();
    let sys_modules = heap.alloc_immortal(Kind::Dict(Box::default()));
    let sys = module(heap, "sys", &[("modules", sys_modules)]);
    for (name, module) in [("builtins", builtins), ("types", types), ("sys", sys)] {
        let key = heap.alloc_immortal(Kind::Str(name.to_owned()));
        modules.insert_new(hash_bytes(name.as_bytes()), key, module);
    }
    *heap.kind_mut(sys_modules) = Kind::Dict(Box::new(modules));
    sys_modules
}

/// A running sum: ints while every term is an int, else a float.
#[derive(Clone, Copy)]
enum Total {
    Int(i128),
    Float(f64),
}

impl Heap {
    /// Calls a function of `builtins` with positional arguments.
    pub(crate) fn call_builtin(
        &mut self,
        function: BuiltinFn,
        args: &[Handle],
    ) -> Result<Handle, Exc> {
        let name = function.name();
        match function {
            BuiltinFn::Len
            | BuiltinFn::Repr
            | BuiltinFn::Abs
            | BuiltinFn::Hash
            | BuiltinFn::Sorted => check_arity(name, args.len(), 1, 1)?,
            BuiltinFn::IsInstance => check_arity(name, args.len(), 2, 2)?,
            BuiltinFn::Sum => check_arity(name, args.len(), 1, 2)?,
            BuiltinFn::Min | BuiltinFn::Max => check_arity(name, args.len(), 1, usize::MAX)?,
        }
        match function {
            BuiltinFn::Len => {
                let len = self.len(args[0])?;
                self.new_int(len as i128)
            }
            BuiltinFn::Repr => {
                let text = self.repr_text(args[0])?;
                self.alloc(Kind::Str(text))
            }
            BuiltinFn::Abs => match self.kind(args[0]) {
                Kind::Float(value) => self.alloc(Kind::Float(value.abs())),
                kind => match kind.as_int() {
                    Some(value) => {
                        let value = value.checked_abs().ok_or_else(int_too_large)?;
                        self.new_int(value)
                    }
                    None => Err(type_error(format!(
                        "bad operand type for abs(): '{}'",
                        self.type_name(args[0])
                    ))),
                },
            },
            BuiltinFn::Hash => {
                let hash = self.hash(args[0])?;
                self.new_int(hash as i128)
            }
            BuiltinFn::IsInstance => {
                let result = self.is_instance(args[0], args[1])?;
                Ok(self.new_bool(result))
            }
            BuiltinFn::Sum => self.sum(args),
            BuiltinFn::Sorted => {
                let mut items = self.collect(args[0])?;
                if let Err(exc) = self.sort(&mut items) {
                    self.release_all(items);
                    return Err(exc);
                }
                self.new_list(items)
            }
            BuiltinFn::Min | BuiltinFn::Max => self.extreme(function, args),
        }
    }

    fn sum(&mut self, args: &[Handle]) -> Result<Handle, Exc> {
        let mut total = match args.get(1).map(|start| self.kind(*start)) {
            None => Total::Int(0),
            Some(Kind::Float(value)) => Total::Float(*value),
            Some(Kind::Str(_)) => {
                return Err(type_error(
                    "sum() can't sum strings [use ''.join(seq) instead]",
                ))
            }
            Some(kind) => Total::Int(kind.as_int().ok_or_else(|| {
                type_error(format!(
                    "unsupported operand type(s) for +: '{}' and 'int'",
                    kind.class().name()
                ))
            })?),
        };
        let items = self.collect(args[0])?;
        let mut failure = None;
        for item in &items {
            let kind = self.kind(*item);
            total = match (total, kind.as_int(), kind) {
                (Total::Int(sum), Some(term), _) => match sum.checked_add(term) {
                    Some(sum) => Total::Int(sum),
                    None => {
                        failure = Some(int_too_large());
                        break;
                    }
                },
                (Total::Float(sum), Some(term), _) => Total::Float(sum + term as f64),
                (Total::Int(sum), None, Kind::Float(term)) => Total::Float(sum as f64 + term),
                (Total::Float(sum), None, Kind::Float(term)) => Total::Float(sum + term),
                (total, _, kind) => {
                    let left = if let Total::Int(_) = total {
                        "int"
                    } else {
                        "float"
                    };
                    failure = Some(type_error(format!(
                        "unsupported operand type(s) for +: '{left}' and '{}'",
                        kind.class().name()
                    )));
                    break;
                }
            };
        }
        self.release_all(items);
        match (failure, total) {
            (Some(exc), _) => Err(exc),
            (None, Total::Int(sum)) => self.new_int(sum),
            (None, Total::Float(sum)) => self.alloc(Kind::Float(sum)),
        }
    }

    /// A stable merge sort using only `<`, like Python's; fails on the first comparison error.
    fn sort(&self, items: &mut Vec<Handle>) -> Result<(), Exc> {
        let len = items.len();
        let mut buffer = items.clone();
        let mut width = 1;
        while width < len {
            for start in (0..len).step_by(2 * width) {
                let middle = (start + width).min(len);
                let end = (start + 2 * width).min(len);
                let (mut left, mut right) = (start, middle);
                for slot in &mut buffer[start..end] {
                    let take_right = right < end
                        && (left >= middle
                            || self.compare(items[right], items[left], CompareOp::Lt)?);
                    if take_right {
                        *slot = items[right];
                        right += 1;
                    } else {
                        *slot = items[left];
                        left += 1;
                    }
                }
            }
            std::mem::swap(items, &mut buffer);
            width *= 2;
        }
        Ok(())
    }

    /// `min()` / `max()` of one iterable or of several arguments.
    fn extreme(&mut self, function: BuiltinFn, args: &[Handle]) -> Result<Handle, Exc> {
        let items = if let [iterable] = args {
            self.collect(*iterable)?
        } else {
            for arg in args {
                self.incref(*arg);
            }
            args.to_vec()
        };
        let op = if function == BuiltinFn::Min {
            CompareOp::Lt
        } else {
            CompareOp::Gt
        };
        let mut best: Option<Handle> = None;
        let mut failure = None;
        for item in &items {
            match best {
                None => best = Some(*item),
                Some(current) => match self.compare(*item, current, op) {
                    Ok(true) => best = Some(*item),
                    Ok(false) => {}
                    Err(exc) => {
                        failure = Some(exc);
                        break;
                    }
                },
            }
        }
        let result = match (failure, best) {
            (Some(exc), _) => Err(exc),
            (None, None) => Err(value_error(format!(
                "{}() arg is an empty sequence",
                function.name()
            ))),
            (None, Some(best)) => {
                self.incref(best);
                Ok(best)
            }
        };
        self.release_all(items);
        result
    }

    /// `PyObject_IsInstance`: `class` is a type object or a (nested) tuple of them.
    pub(crate) fn is_instance(&self, handle: Handle, class: Handle) -> Result<bool, Exc> {
        self.is_instance_at(handle, class, 0)
    }

    fn is_instance_at(&self, handle: Handle, class: Handle, depth: usize) -> Result<bool, Exc> {
        match self.kind(class) {
            Kind::Type(class) => Ok(self.class(handle).is_subclass_of(*class)),
            Kind::Tuple(_) if depth >= MAX_NESTING => Err(Exc::new(
                ExceptionKind::RuntimeError,
                "maximum recursion depth exceeded in __instancecheck__",
            )),
            Kind::Tuple(_) => {
                for item in self.sequence_items(class) {
                    if self.is_instance_at(handle, item, depth + 1)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            _ => Err(type_error(
                "isinstance() arg 2 must be a type, a tuple of types, or a union",
            )),
        }
    }
}
