//! The object protocol beyond attributes, calls and comparisons: truth, length and
//! subscripting (`obj[key]`, `obj[key] = value`).

use crate::class::Class;
use crate::errors::{index_error, type_error, Exc};
use crate::handle::Handle;
use crate::heap::Heap;
use crate::object::Kind;

/// `index` (negative counts from the end) as a position in a sequence of `len`.
fn position(index: i128, len: usize) -> Option<usize> {
    let len = len as i128;
    let index = if index < 0 { index + len } else { index };
    (0..len).contains(&index).then_some(index as usize)
}

impl Heap {
    /// `PyObject_IsTrue`.
    pub(crate) fn is_true(&self, handle: Handle) -> Result<bool, Exc> {
        Ok(match self.kind(handle) {
            Kind::None => false,
            Kind::Bool(value) => *value,
            Kind::Int(value) => *value != 0,
            Kind::BigInt(_) => true,
            Kind::Float(value) => *value != 0.0,
            Kind::Str(text) => !text.is_empty(),
            Kind::Bytes(bytes) => !bytes.is_empty(),
            Kind::Tuple(items) | Kind::List(items) => !items.is_empty(),
            Kind::Dict(table) | Kind::Set(table) | Kind::FrozenSet(table) => table.len() > 0,
            _ => true,
        })
    }

    /// `PyObject_Size` (a str counts characters).
    pub(crate) fn len(&self, handle: Handle) -> Result<usize, Exc> {
        match self.kind(handle) {
            Kind::Str(text) => Ok(text.chars().count()),
            Kind::Bytes(bytes) => Ok(bytes.len()),
            Kind::Tuple(items) | Kind::List(items) => Ok(items.len()),
            Kind::Dict(table) | Kind::Set(table) | Kind::FrozenSet(table) => Ok(table.len()),
            _ => Err(type_error(format!(
                "object of type '{}' has no len()",
                self.type_name(handle)
            ))),
        }
    }

    /// The integer index of a subscript, or the `TypeError` naming the container.
    fn index_of(&self, container: Handle, key: Handle) -> Result<i128, Exc> {
        self.kind(key).as_int().ok_or_else(|| {
            type_error(format!(
                "{} indices must be integers or slices, not {}",
                self.type_name(container),
                self.type_name(key)
            ))
        })
    }

    /// `PyObject_GetItem`.
    pub(crate) fn get_item(&mut self, handle: Handle, key: Handle) -> Result<Handle, Exc> {
        self.get(key);
        match self.kind(handle) {
            Kind::Tuple(items) | Kind::List(items) => {
                let index = self.index_of(handle, key)?;
                let list = self.class(handle) == Class::List;
                match position(index, items.len()) {
                    Some(at) => {
                        let item = self.borrowed_item(handle, at, list);
                        self.incref(item);
                        Ok(item)
                    }
                    None => Err(index_error(format!(
                        "{} index out of range",
                        if list { "list" } else { "tuple" }
                    ))),
                }
            }
            Kind::Str(text) => {
                let index = self.index_of(handle, key)?;
                let found =
                    position(index, text.chars().count()).and_then(|at| text.chars().nth(at));
                match found {
                    Some(c) => self.new_str(c.to_string()),
                    None => Err(index_error("string index out of range")),
                }
            }
            Kind::Bytes(bytes) => {
                let index = self.index_of(handle, key)?;
                match position(index, bytes.len()).map(|at| bytes[at]) {
                    Some(byte) => self.new_int(i128::from(byte)),
                    None => Err(index_error("index out of range")),
                }
            }
            Kind::Dict(_) => match self.dict_get_item(handle, key)? {
                Some(value) => {
                    self.incref(value);
                    Ok(value)
                }
                None => Err(self.key_error(key)),
            },
            _ => Err(type_error(format!(
                "'{}' object is not subscriptable",
                self.type_name(handle)
            ))),
        }
    }

    /// `PyObject_SetItem` (increfs `value`).
    pub(crate) fn set_item(
        &mut self,
        handle: Handle,
        key: Handle,
        value: Handle,
    ) -> Result<(), Exc> {
        self.get(key);
        self.get(value);
        match self.kind(handle) {
            Kind::List(items) => {
                let index = self.index_of(handle, key)?;
                let Some(at) = position(index, items.len()) else {
                    return Err(index_error("list assignment index out of range"));
                };
                self.incref(value);
                self.list_set_item(handle, at, value)
            }
            Kind::Dict(_) => self.table_set(handle, key, value),
            _ => Err(type_error(format!(
                "'{}' object does not support item assignment",
                self.type_name(handle)
            ))),
        }
    }
}
