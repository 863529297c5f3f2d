//! Iteration: iterator objects over lists (by index, like CPython), tuples, dict and set keys, str
//! characters and bytes, and collecting any iterable into owned references for builtins.

use anypy::ExceptionKind;

use crate::class::Class;
use crate::detect;
use crate::errors::{type_error, Exc};
use crate::handle::Handle;
use crate::heap::Heap;
use crate::object::Kind;

/// What an iterator walks over.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum IterKind {
    List,
    Tuple,
    DictKeys,
    SetKeys,
    Str,
    Bytes,
}

/// An iterator's state. The source is released when the iterator is exhausted (as CPython's
/// iterators do).
pub(crate) struct IterState {
    pub(crate) kind: IterKind,
    pub(crate) source: Option<Handle>,
    /// Index (list, tuple, bytes), entry position (dict) or byte offset (str).
    pub(crate) pos: usize,
    /// The dict's size when iteration began.
    pub(crate) expected_len: usize,
}

impl IterState {
    /// The iterator's class.
    pub(crate) fn class(&self) -> Class {
        match self.kind {
            IterKind::List => Class::ListIterator,
            IterKind::Tuple => Class::TupleIterator,
            IterKind::DictKeys => Class::DictKeyIterator,
            IterKind::SetKeys => Class::SetIterator,
            IterKind::Str => Class::StrIterator,
            IterKind::Bytes => Class::BytesIterator,
        }
    }
}

/// One step of an iterator, decided with the heap borrowed immutably.
enum Step {
    /// An existing object to return (incref'd).
    Existing(Handle, usize),
    /// A new object to make.
    Make(Kind, usize),
    /// The end.
    Done,
}

impl Heap {
    /// `PyObject_GetIter`.
    pub(crate) fn get_iter(&mut self, handle: Handle) -> Result<Handle, Exc> {
        let (kind, expected_len) = match self.kind(handle) {
            Kind::List(_) => (IterKind::List, 0),
            Kind::Tuple(_) => (IterKind::Tuple, 0),
            Kind::Dict(table) => (IterKind::DictKeys, table.len()),
            Kind::Set(table) | Kind::FrozenSet(table) => (IterKind::SetKeys, table.len()),
            Kind::Str(_) => (IterKind::Str, 0),
            Kind::Bytes(_) => (IterKind::Bytes, 0),
            Kind::Iter(_) => {
                self.incref(handle);
                return Ok(handle);
            }
            _ => {
                return Err(type_error(format!(
                    "'{}' object is not iterable",
                    self.type_name(handle)
                )))
            }
        };
        self.incref(handle);
        self.alloc(Kind::Iter(Box::new(IterState {
            kind,
            source: Some(handle),
            pos: 0,
            expected_len,
        })))
    }

    /// `PyIter_Next`: `Ok(None)` when exhausted.
    pub(crate) fn iter_next(&mut self, iter: Handle) -> Result<Option<Handle>, Exc> {
        let Kind::Iter(state) = self.kind(iter) else {
            detect::misuse(
                self,
                format_args!("{} is not an iterator", self.describe(iter)),
            )
        };
        let (kind, pos, expected_len) = (state.kind, state.pos, state.expected_len);
        let Some(source) = state.source else {
            return Ok(None);
        };
        let step = match (kind, self.kind(source)) {
            (IterKind::List | IterKind::Tuple, _) => {
                let items = self.kind(source).as_sequence().unwrap_or_default();
                match items.get(pos) {
                    Some(_) => Step::Existing(
                        self.borrowed_item(source, pos, kind == IterKind::List),
                        pos + 1,
                    ),
                    None => Step::Done,
                }
            }
            (IterKind::DictKeys, Kind::Dict(table))
            | (IterKind::SetKeys, Kind::Set(table) | Kind::FrozenSet(table)) => {
                if table.len() != expected_len {
                    return Err(Exc::new(
                        ExceptionKind::RuntimeError,
                        if kind == IterKind::SetKeys {
                            "Set changed size during iteration"
                        } else {
                            "dictionary changed size during iteration"
                        },
                    ));
                }
                match table.next(pos) {
                    Some((position, entry)) => Step::Existing(entry.key, position + 1),
                    None => Step::Done,
                }
            }
            (IterKind::Str, Kind::Str(text)) => match text[pos..].chars().next() {
                Some(c) => Step::Make(Kind::Str(c.to_string()), pos + c.len_utf8()),
                None => Step::Done,
            },
            (IterKind::Bytes, Kind::Bytes(bytes)) => match bytes.get(pos) {
                Some(byte) => Step::Make(Kind::Int(i128::from(*byte)), pos + 1),
                None => Step::Done,
            },
            _ => unreachable!("an iterator's source keeps its kind"),
        };
        let (item, next) = match step {
            Step::Existing(item, next) => {
                self.incref(item);
                (item, next)
            }
            Step::Make(kind, next) => (self.alloc(kind)?, next),
            Step::Done => {
                if let Kind::Iter(state) = self.kind_mut(iter) {
                    state.source = None;
                }
                self.release(source);
                return Ok(None);
            }
        };
        if let Kind::Iter(state) = self.kind_mut(iter) {
            state.pos = next;
        }
        Ok(Some(item))
    }

    /// Every item of an iterable, as owned references (advances an iterator).
    pub(crate) fn collect(&mut self, iterable: Handle) -> Result<Vec<Handle>, Exc> {
        let items = match self.kind(iterable) {
            Kind::List(_) | Kind::Tuple(_) => self.sequence_items(iterable),
            Kind::Dict(table) | Kind::Set(table) | Kind::FrozenSet(table) => {
                table.iter().map(|entry| entry.key).collect()
            }
            Kind::Str(_) | Kind::Bytes(_) | Kind::Iter(_) => {
                let iter = self.get_iter(iterable)?;
                let mut items = Vec::new();
                loop {
                    match self.iter_next(iter) {
                        Ok(Some(item)) => items.push(item),
                        Ok(None) => break,
                        Err(exc) => {
                            self.release_all(items.into_iter().chain([iter]));
                            return Err(exc);
                        }
                    }
                }
                self.release(iter);
                return Ok(items);
            }
            _ => {
                return Err(type_error(format!(
                    "'{}' object is not iterable",
                    self.type_name(iterable)
                )))
            }
        };
        for item in &items {
            self.incref(*item);
        }
        Ok(items)
    }
}
