//! Calling a class: `int(x)`, `float(x)`, `str(x)`, `bytes(x)`, `bool(x)`, `list(it)`,
//! `tuple(it)`, `set(it)`, `frozenset(it)`, `dict(mapping, **kw)`, `type(x)`, `SimpleNamespace(**kw)`, `TypeError("msg")`;
//! making modules and native functions, and importing.

use crate::call::{check_arity, no_keywords};
use crate::class::Class;
use crate::dict_table::DictTable;
use anypy::ExceptionKind;

use crate::detect;
use crate::errors::{type_error, value_error, Exc};
use crate::handle::Handle;
use crate::heap::{class_handle, Heap};
use crate::object::{Kind, ModuleData, NativeFunction};
use crate::scalars::{float_to_int, parse_float, parse_int};

impl Heap {
    /// Calls `class` with positional and keyword arguments (borrowed).
    pub(crate) fn construct(
        &mut self,
        class: Class,
        args: &[Handle],
        keywords: &[(Handle, Handle)],
    ) -> Result<Handle, Exc> {
        let name = class.name();
        match class {
            Class::Heap(heap_class) if heap_class.0.rust.is_some() => {
                return Err(self.refuse_new(class))
            }
            Class::Dict => return self.construct_dict(args, keywords),
            Class::Namespace => {
                if !args.is_empty() {
                    return Err(type_error("no positional arguments expected"));
                }
                let namespace = self.alloc(Kind::Namespace(Box::default()))?;
                return self.fill_from_keywords(namespace, keywords);
            }
            _ => no_keywords(name, keywords)?,
        }
        match class {
            Class::Int => {
                check_arity(name, args.len(), 0, 2)?;
                self.construct_int(args)
            }
            Class::Float => {
                check_arity(name, args.len(), 0, 1)?;
                self.construct_float(args.first().copied())
            }
            Class::Str => {
                check_arity(name, args.len(), 0, 2)?;
                match args {
                    [] => self.new_str(String::new()),
                    [value] if self.class(*value) == Class::Str => {
                        self.incref(*value);
                        Ok(*value)
                    }
                    [value] => {
                        let text = self.str_text(*value)?;
                        self.new_str(text)
                    }
                    [bytes, encoding] => self.bytes_decode(*bytes, Some(*encoding)),
                    _ => unreachable!("arity checked"),
                }
            }
            Class::Bytes => {
                check_arity(name, args.len(), 0, 2)?;
                self.construct_bytes(args)
            }
            Class::Bool => {
                check_arity(name, args.len(), 0, 1)?;
                let value = match args.first() {
                    Some(value) => self.is_true(*value)?,
                    None => false,
                };
                Ok(self.new_bool(value))
            }
            Class::List | Class::Tuple => {
                check_arity(name, args.len(), 0, 1)?;
                if let [value] = args {
                    if class == Class::Tuple && self.class(*value) == Class::Tuple {
                        self.incref(*value);
                        return Ok(*value);
                    }
                }
                let items = match args.first() {
                    Some(iterable) => self.collect(*iterable)?,
                    None => Vec::new(),
                };
                if class == Class::List {
                    self.new_list(items)
                } else {
                    self.new_tuple(items)
                }
            }
            Class::Type => {
                check_arity(name, args.len(), 1, 1)?;
                let ty = class_handle(self.class(args[0]));
                self.incref(ty);
                Ok(ty)
            }
            Class::NoneType => {
                check_arity(name, args.len(), 0, 0)?;
                Ok(self.new_none())
            }
            Class::Module => {
                check_arity(name, args.len(), 1, 1)?;
                let module_name =
                    self.kind(args[0])
                        .as_str()
                        .map(str::to_owned)
                        .ok_or_else(|| {
                            type_error(format!(
                                "module.__init__() argument 'name' must be str, not {}",
                                self.type_name(args[0])
                            ))
                        })?;
                self.module_new(module_name)
            }
            Class::Exception(_) | Class::Heap(_) => {
                for arg in args {
                    self.incref(*arg);
                }
                let args = self.alloc(Kind::Tuple(args.iter().copied().map(Some).collect()))?;
                self.alloc(Kind::Exception(class, args))
            }
            Class::Set | Class::FrozenSet => {
                check_arity(name, args.len(), 0, 1)?;
                self.set_new(args.first().copied(), class == Class::FrozenSet)
            }
            Class::Dict
            | Class::Namespace
            | Class::BuiltinFunction
            | Class::ListIterator
            | Class::TupleIterator
            | Class::DictKeyIterator
            | Class::StrIterator
            | Class::BytesIterator
            | Class::SetIterator => Err(type_error(format!("cannot create '{name}' instances"))),
        }
    }

    /// `PyModule_New`: a module registered nowhere.
    pub(crate) fn module_new(&mut self, name: String) -> Result<Handle, Exc> {
        let data = ModuleData {
            name,
            attrs: DictTable::new(),
            builtin: false,
        };
        self.alloc(Kind::Module(Box::new(data)))
    }

    /// `PyImport_ImportModule`: the module of that name in `sys.modules` (a new reference).
    pub(crate) fn import(&mut self, name: &str) -> Result<Handle, Exc> {
        let modules = self.sys_modules;
        let Some(position) = self.table_find_str(modules, name) else {
            return Err(Exc::new(
                ExceptionKind::ImportError,
                format!("No module named '{name}'"),
            ));
        };
        let module = self.table_value(modules, position);
        self.incref(module);
        Ok(module)
    }

    /// `PyCFunction_NewEx`: native function `native`, of the module named by str `module`.
    pub(crate) fn function_new(
        &mut self,
        native: NativeFunction,
        module: Option<Handle>,
    ) -> Result<Handle, Exc> {
        let module = module.map(|name| {
            self.get(name);
            match self.kind(name).as_str() {
                Some(text) => text.to_owned(),
                None => detect::misuse(self, format_args!("a module name must be a str")),
            }
        });
        self.alloc(Kind::Function(Box::new(NativeFunction {
            module,
            ..native
        })))
    }

    fn construct_int(&mut self, args: &[Handle]) -> Result<Handle, Exc> {
        let Some(value) = args.first() else {
            return self.new_int(0);
        };
        if let Some(base) = args.get(1) {
            let base = self.int_value(*base)?;
            if !(2..=36).contains(&base) {
                return Err(value_error("int() base must be >= 2 and <= 36, or 0"));
            }
            let text = self
                .kind(*value)
                .as_str()
                .ok_or_else(|| type_error("int() can't convert non-string with explicit base"))?;
            let parsed = parse_int(text, base as u32, &self.repr_text(*value)?)?;
            return self.new_int(parsed);
        }
        let parsed = match self.kind(*value) {
            Kind::Int(_) | Kind::BigInt(_) => {
                self.incref(*value);
                return Ok(*value);
            }
            Kind::Bool(flag) => i128::from(*flag),
            Kind::Float(float) => float_to_int(*float)?,
            Kind::Str(text) => parse_int(text, 10, &self.repr_text(*value)?)?,
            _ => {
                return Err(type_error(format!(
                    "int() argument must be a string, a bytes-like object or a real number, \
                     not '{}'",
                    self.type_name(*value)
                )))
            }
        };
        self.new_int(parsed)
    }

    fn construct_float(&mut self, value: Option<Handle>) -> Result<Handle, Exc> {
        let Some(value) = value else {
            return self.alloc(Kind::Float(0.0));
        };
        let parsed = match self.kind(value) {
            Kind::Float(_) => {
                self.incref(value);
                return Ok(value);
            }
            Kind::Str(text) => parse_float(text, &self.repr_text(value)?)?,
            Kind::BigInt(_) => self.float_as_f64(value)?,
            kind => match kind.as_int() {
                Some(int) => int as f64,
                None => {
                    return Err(type_error(format!(
                        "float() argument must be a string or a real number, not '{}'",
                        self.type_name(value)
                    )))
                }
            },
        };
        self.alloc(Kind::Float(parsed))
    }

    fn construct_bytes(&mut self, args: &[Handle]) -> Result<Handle, Exc> {
        let contents = match args {
            [] => Vec::new(),
            [text, encoding] => match self.kind(*text) {
                Kind::Str(_) => {
                    let method = crate::methods::Method::lookup(Class::Str, "encode");
                    let encode = method.expect("str.encode exists");
                    return self.call_method(encode, *text, &[*encoding]);
                }
                _ => return Err(type_error("encoding without a string argument")),
            },
            [value] => match self.kind(*value) {
                Kind::Bytes(_) => {
                    self.incref(*value);
                    return Ok(*value);
                }
                Kind::Str(_) => return Err(type_error("string argument without an encoding")),
                Kind::Int(count) => {
                    let count =
                        usize::try_from(*count).map_err(|_| value_error("negative count"))?;
                    vec![0; count]
                }
                _ => {
                    let items = self.collect(*value)?;
                    let bytes = self.byte_values(&items);
                    self.release_all(items);
                    bytes?
                }
            },
            _ => unreachable!("arity checked"),
        };
        self.alloc(Kind::Bytes(contents))
    }

    fn byte_values(&self, items: &[Handle]) -> Result<Vec<u8>, Exc> {
        items
            .iter()
            .map(|item| {
                let value = self.int_value(*item)?;
                u8::try_from(value).map_err(|_| value_error("bytes must be in range(0, 256)"))
            })
            .collect()
    }

    fn construct_dict(
        &mut self,
        args: &[Handle],
        keywords: &[(Handle, Handle)],
    ) -> Result<Handle, Exc> {
        check_arity("dict", args.len(), 0, 1)?;
        let dict = self.alloc(Kind::Dict(Box::default()))?;
        if let Some(source) = args.first() {
            if let Err(exc) = self.update_dict(dict, *source) {
                self.release(dict);
                return Err(exc);
            }
        }
        self.fill_from_keywords(dict, keywords)
    }

    /// Adds the entries of a mapping, or the pairs of an iterable, to `dict`.
    fn update_dict(&mut self, dict: Handle, source: Handle) -> Result<(), Exc> {
        if let Some(table) = self.kind(source).as_dict() {
            let entries: Vec<(Handle, Handle)> =
                table.iter().map(|entry| (entry.key, entry.value)).collect();
            for (key, value) in entries {
                self.table_set(dict, key, value)?;
            }
            return Ok(());
        }
        let pairs = self.collect(source)?;
        let mut result = Ok(());
        for (index, pair) in pairs.iter().enumerate() {
            let items = match self.kind(*pair) {
                Kind::Tuple(_) | Kind::List(_) => self.sequence_items(*pair),
                _ => {
                    result = Err(type_error(format!(
                        "cannot convert dictionary update sequence element #{index} to a sequence"
                    )));
                    break;
                }
            };
            result = match items.as_slice() {
                [key, value] => self.table_set(dict, *key, *value),
                _ => Err(value_error(format!(
                    "dictionary update sequence element #{index} has length {}; 2 is required",
                    items.len()
                ))),
            };
            if result.is_err() {
                break;
            }
        }
        self.release_all(pairs);
        result
    }

    /// Sets each keyword argument on `target` (a dict or namespace); releases `target` on
    /// failure.
    fn fill_from_keywords(
        &mut self,
        target: Handle,
        keywords: &[(Handle, Handle)],
    ) -> Result<Handle, Exc> {
        for (name, value) in keywords {
            if let Err(exc) = self.table_set(target, *name, *value) {
                self.release(target);
                return Err(exc);
            }
        }
        Ok(target)
    }
}
