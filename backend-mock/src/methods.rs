//! Methods of builtin objects (`"a".upper`, `[].append`, `{}.get`, ...): looked up by
//! `getattr` into bound-method objects, run when those are called.

use anypy::ExceptionKind;

use crate::call::check_arity;
use crate::class::Class;
use crate::errors::{index_error, type_error, value_error, Exc};
use crate::handle::Handle;
use crate::heap::Heap;
use crate::object::Kind;

/// A builtin method.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Method {
    StrUpper,
    StrLower,
    StrStartswith,
    StrEndswith,
    StrJoin,
    StrSplit,
    StrReplace,
    StrEncode,
    BytesDecode,
    ListAppend,
    ListPop,
    ListInsert,
    ListIndex,
    ListCount,
    ListReverse,
    DictGet,
    DictKeys,
    DictValues,
    DictItems,
    DictPop,
    DictSetdefault,
    SetAdd,
    SetDiscard,
    SetPop,
    IntBitLength,
}

/// Every method: its class, name and `(min, max)` positional arguments.
const METHODS: [(Method, Class, &str, usize, usize); 25] = [
    (Method::StrUpper, Class::Str, "upper", 0, 0),
    (Method::StrLower, Class::Str, "lower", 0, 0),
    (Method::StrStartswith, Class::Str, "startswith", 1, 1),
    (Method::StrEndswith, Class::Str, "endswith", 1, 1),
    (Method::StrJoin, Class::Str, "join", 1, 1),
    (Method::StrSplit, Class::Str, "split", 0, 1),
    (Method::StrReplace, Class::Str, "replace", 2, 3),
    (Method::StrEncode, Class::Str, "encode", 0, 2),
    (Method::BytesDecode, Class::Bytes, "decode", 0, 2),
    (Method::ListAppend, Class::List, "append", 1, 1),
    (Method::ListPop, Class::List, "pop", 0, 1),
    (Method::ListInsert, Class::List, "insert", 2, 2),
    (Method::ListIndex, Class::List, "index", 1, 1),
    (Method::ListCount, Class::List, "count", 1, 1),
    (Method::ListReverse, Class::List, "reverse", 0, 0),
    (Method::DictGet, Class::Dict, "get", 1, 2),
    (Method::DictKeys, Class::Dict, "keys", 0, 0),
    (Method::DictValues, Class::Dict, "values", 0, 0),
    (Method::DictItems, Class::Dict, "items", 0, 0),
    (Method::DictPop, Class::Dict, "pop", 1, 2),
    (Method::DictSetdefault, Class::Dict, "setdefault", 1, 2),
    (Method::SetAdd, Class::Set, "add", 1, 1),
    (Method::SetDiscard, Class::Set, "discard", 1, 1),
    (Method::SetPop, Class::Set, "pop", 0, 0),
    (Method::IntBitLength, Class::Int, "bit_length", 0, 0),
];

impl Method {
    /// The method `name` of instances of `class` (a bool has the int methods).
    pub(crate) fn lookup(class: Class, name: &str) -> Option<Method> {
        let class = if class == Class::Bool {
            Class::Int
        } else {
            class
        };
        METHODS
            .iter()
            .find(|entry| entry.1 == class && entry.2 == name)
            .map(|entry| entry.0)
    }

    fn entry(self) -> &'static (Method, Class, &'static str, usize, usize) {
        METHODS
            .iter()
            .find(|entry| entry.0 == self)
            .expect("every method is in the table")
    }

    /// The method's name.
    pub(crate) fn name(self) -> &'static str {
        self.entry().2
    }
}

/// Whether `encoding` names UTF-8.
fn is_utf8(encoding: &str) -> bool {
    matches!(
        encoding.to_ascii_lowercase().replace('_', "-").as_str(),
        "utf-8" | "utf8"
    )
}

/// What `dict.keys()`, `values()` and `items()` produce.
#[derive(Clone, Copy, PartialEq, Eq)]
enum View {
    Keys,
    Values,
    Items,
}

impl Heap {
    /// Calls `method` bound to `receiver`.
    pub(crate) fn call_method(
        &mut self,
        method: Method,
        receiver: Handle,
        args: &[Handle],
    ) -> Result<Handle, Exc> {
        let &(_, class, name, min, max) = method.entry();
        check_arity(
            format_args!("{}.{name}", class.name()),
            args.len(),
            min,
            max,
        )?;
        match method {
            Method::StrUpper | Method::StrLower => {
                let text = self.kind(receiver).as_str().unwrap_or_default();
                let changed = if method == Method::StrUpper {
                    text.to_uppercase()
                } else {
                    text.to_lowercase()
                };
                self.alloc(Kind::Str(changed))
            }
            Method::StrStartswith | Method::StrEndswith => {
                let result =
                    self.affix_matches(receiver, args[0], method == Method::StrStartswith)?;
                Ok(self.new_bool(result))
            }
            Method::StrJoin => self.str_join(receiver, args[0]),
            Method::StrSplit => self.str_split(receiver, args.first().copied()),
            Method::StrReplace => self.str_replace(receiver, args),
            Method::StrEncode => {
                self.check_encoding(args.first().copied())?;
                let text = self.kind(receiver).as_str().unwrap_or_default();
                self.alloc(Kind::Bytes(text.as_bytes().to_vec()))
            }
            Method::BytesDecode => self.bytes_decode(receiver, args.first().copied()),
            Method::ListAppend => {
                self.list_insert(receiver, usize::MAX, args[0])?;
                Ok(self.new_none())
            }
            Method::ListPop => self.list_pop(receiver, args.first().copied()),
            Method::ListInsert => {
                let len = self.kind(receiver).as_sequence().map_or(0, <[_]>::len) as i128;
                let index = self.int_value(args[0])?;
                let index = if index < 0 {
                    (index + len).max(0)
                } else {
                    index.min(len)
                };
                self.list_insert(receiver, index as usize, args[1])?;
                Ok(self.new_none())
            }
            Method::ListIndex => {
                for (index, item) in self.sequence_items(receiver).into_iter().enumerate() {
                    if self.equals(item, args[0])? {
                        return self.new_int(index as i128);
                    }
                }
                Err(value_error(format!(
                    "{} is not in list",
                    self.repr_text(args[0])?
                )))
            }
            Method::ListCount => {
                let mut count = 0;
                for item in self.sequence_items(receiver) {
                    if self.equals(item, args[0])? {
                        count += 1;
                    }
                }
                self.new_int(count)
            }
            Method::ListReverse => {
                if let Kind::List(items) = self.kind_mut(receiver) {
                    items.reverse();
                }
                Ok(self.new_none())
            }
            Method::DictGet => {
                let found = self.dict_get_item(receiver, args[0])?;
                let value = found.or(args.get(1).copied()).unwrap_or(crate::heap::NONE);
                self.incref(value);
                Ok(value)
            }
            Method::DictKeys => self.dict_view(receiver, View::Keys),
            Method::DictValues => self.dict_view(receiver, View::Values),
            Method::DictItems => self.dict_view(receiver, View::Items),
            Method::DictPop => {
                let hash = self.hash(args[0])?;
                match (self.table_find(receiver, args[0], hash)?, args.get(1)) {
                    (Some(position), _) => {
                        let (key, value) = self.table_remove(receiver, position);
                        self.release(key);
                        Ok(value)
                    }
                    (None, Some(default)) => {
                        self.incref(*default);
                        Ok(*default)
                    }
                    (None, None) => Err(self.key_error(args[0])),
                }
            }
            Method::DictSetdefault => {
                let value = match self.dict_get_item(receiver, args[0])? {
                    Some(value) => value,
                    None => {
                        let default = args.get(1).copied().unwrap_or(crate::heap::NONE);
                        self.table_set(receiver, args[0], default)?;
                        default
                    }
                };
                self.incref(value);
                Ok(value)
            }
            Method::SetAdd => {
                self.set_add(receiver, args[0])?;
                Ok(self.new_none())
            }
            Method::SetDiscard => {
                self.set_discard(receiver, args[0])?;
                Ok(self.new_none())
            }
            Method::SetPop => self.set_pop(receiver),
            Method::IntBitLength => {
                let bits = match self.kind(receiver) {
                    Kind::BigInt(value) => value.bit_length(),
                    _ => u64::from(128 - self.int_value(receiver)?.unsigned_abs().leading_zeros()),
                };
                self.new_int(i128::from(bits))
            }
        }
    }

    fn affix_matches(&self, receiver: Handle, affix: Handle, prefix: bool) -> Result<bool, Exc> {
        let text = self.kind(receiver).as_str().unwrap_or_default();
        let test = |candidate: &str| {
            if prefix {
                text.starts_with(candidate)
            } else {
                text.ends_with(candidate)
            }
        };
        let method = if prefix { "startswith" } else { "endswith" };
        let wrong = |handle: Handle| {
            type_error(format!(
                "{method} first arg must be str or a tuple of str, not {}",
                self.type_name(handle)
            ))
        };
        match self.kind(affix) {
            Kind::Str(candidate) => Ok(test(candidate)),
            Kind::Tuple(_) => {
                let mut any = false;
                for item in self.sequence_items(affix) {
                    any |= test(self.kind(item).as_str().ok_or_else(|| wrong(item))?);
                }
                Ok(any)
            }
            _ => Err(wrong(affix)),
        }
    }

    fn str_join(&mut self, separator: Handle, iterable: Handle) -> Result<Handle, Exc> {
        let items = self.collect(iterable)?;
        let mut joined = String::new();
        let mut failure = None;
        let separator_text = self.kind(separator).as_str().unwrap_or_default();
        for (index, item) in items.iter().enumerate() {
            match self.kind(*item).as_str() {
                Some(text) => {
                    if index > 0 {
                        joined.push_str(separator_text);
                    }
                    joined.push_str(text);
                }
                None => {
                    failure = Some(type_error(format!(
                        "sequence item {index}: expected str instance, {} found",
                        self.type_name(*item)
                    )));
                    break;
                }
            }
        }
        self.release_all(items);
        match failure {
            Some(exc) => Err(exc),
            None => self.alloc(Kind::Str(joined)),
        }
    }

    fn str_split(&mut self, receiver: Handle, separator: Option<Handle>) -> Result<Handle, Exc> {
        let text = self.kind(receiver).as_str().unwrap_or_default();
        let parts: Vec<String> = match separator.map(|separator| self.kind(separator)) {
            None | Some(Kind::None) => text.split_whitespace().map(str::to_owned).collect(),
            Some(Kind::Str(separator)) if separator.is_empty() => {
                return Err(value_error("empty separator"))
            }
            Some(Kind::Str(separator)) => {
                text.split(separator.as_str()).map(str::to_owned).collect()
            }
            Some(other) => {
                return Err(type_error(format!(
                    "must be str or None, not {}",
                    other.class().name()
                )))
            }
        };
        let mut items = Vec::with_capacity(parts.len());
        for part in parts {
            match self.alloc(Kind::Str(part)) {
                Ok(item) => items.push(item),
                Err(exc) => {
                    self.release_all(items);
                    return Err(exc);
                }
            }
        }
        self.new_list(items)
    }

    fn str_replace(&mut self, receiver: Handle, args: &[Handle]) -> Result<Handle, Exc> {
        let count = match args.get(2) {
            Some(count) => self.int_value(*count)?,
            None => -1,
        };
        let text = self.kind(receiver).as_str().unwrap_or_default();
        let argument = |handle: Handle| {
            self.kind(handle).as_str().ok_or_else(|| {
                type_error(format!(
                    "replace() argument must be str, not {}",
                    self.type_name(handle)
                ))
            })
        };
        let (old, new) = (argument(args[0])?, argument(args[1])?);
        let replaced = match usize::try_from(count) {
            Ok(count) => text.replacen(old, new, count),
            Err(_) => text.replace(old, new),
        };
        self.alloc(Kind::Str(replaced))
    }

    fn check_encoding(&self, encoding: Option<Handle>) -> Result<(), Exc> {
        let Some(encoding) = encoding else {
            return Ok(());
        };
        let name = self.kind(encoding).as_str().ok_or_else(|| {
            type_error(format!(
                "encoding must be str, not {}",
                self.type_name(encoding)
            ))
        })?;
        if is_utf8(name) {
            Ok(())
        } else {
            Err(Exc::new(
                ExceptionKind::LookupError,
                format!("unknown encoding: {name} (the mock knows only utf-8)"),
            ))
        }
    }

    /// `bytes.decode(encoding)` (UTF-8 only).
    pub(crate) fn bytes_decode(
        &mut self,
        bytes: Handle,
        encoding: Option<Handle>,
    ) -> Result<Handle, Exc> {
        self.check_encoding(encoding)?;
        let Kind::Bytes(contents) = self.kind(bytes) else {
            return Err(type_error(format!(
                "decoding to str: need a bytes-like object, {} found",
                self.type_name(bytes)
            )));
        };
        let text = match std::str::from_utf8(contents) {
            Ok(text) => text.to_owned(),
            Err(error) => {
                let position = error.valid_up_to();
                return Err(value_error(format!(
                    "'utf-8' codec can't decode byte {:#04x} in position {position}: invalid \
                     start byte",
                    contents[position]
                )));
            }
        };
        self.alloc(Kind::Str(text))
    }

    fn list_pop(&mut self, list: Handle, index: Option<Handle>) -> Result<Handle, Exc> {
        let len = self.kind(list).as_sequence().map_or(0, <[_]>::len);
        if len == 0 {
            return Err(index_error("pop from empty list"));
        }
        let index = match index {
            Some(index) => self.int_value(index)?,
            None => -1,
        };
        let position = if index < 0 {
            index + len as i128
        } else {
            index
        };
        if !(0..len as i128).contains(&position) {
            return Err(index_error("pop index out of range"));
        }
        self.borrowed_item(list, position as usize, true);
        let Kind::List(items) = self.kind_mut(list) else {
            unreachable!("checked above")
        };
        Ok(items.remove(position as usize).expect("checked above"))
    }

    fn dict_view(&mut self, dict: Handle, view: View) -> Result<Handle, Exc> {
        let entries: Vec<(Handle, Handle)> = self
            .kind(dict)
            .as_dict()
            .map(|table| table.iter().map(|entry| (entry.key, entry.value)).collect())
            .unwrap_or_default();
        let mut items = Vec::with_capacity(entries.len());
        for (key, value) in entries {
            let item = match view {
                View::Keys => Ok(key),
                View::Values => Ok(value),
                View::Items => {
                    self.incref(key);
                    self.incref(value);
                    self.alloc(Kind::Tuple(vec![Some(key), Some(value)]))
                }
            };
            match item {
                Ok(item) => {
                    if view != View::Items {
                        self.incref(item);
                    }
                    items.push(item);
                }
                Err(exc) => {
                    self.release_all(items);
                    return Err(exc);
                }
            }
        }
        self.new_list(items)
    }
}
