//! `set` and `frozenset`: a [`DictTable`] of keys (each entry's value is `None`), with the
//! C-API's `PySet_*` functions, Python's set equality and subset order, and CPython's
//! frozenset hash (order-independent, so equal frozensets hash alike). Items iterate in
//! insertion order (CPython's follow its hash table; Python promises no order).

use std::cmp::Ordering;

use anypy::ExceptionKind;

use crate::detect;
use crate::dict_table::DictTable;
use crate::errors::Exc;
use crate::handle::Handle;
use crate::heap::{Heap, NONE};
use crate::object::Kind;

impl Kind {
    /// The table of a set or frozenset.
    pub(crate) fn as_set(&self) -> Option<&DictTable> {
        match self {
            Kind::Set(table) | Kind::FrozenSet(table) => Some(table),
            _ => None,
        }
    }
}

/// CPython's `_shuffle_bits` (Objects/setobject.c): spreads an entry hash before it is xored.
fn shuffle_bits(hash: u64) -> u64 {
    ((hash ^ 89_869_747) ^ (hash << 16)).wrapping_mul(3_644_798_167)
}

/// CPython's `frozenset_hash` over the entries' hashes (its dummy-entry parity term aside).
pub(crate) fn hash_frozenset(table: &DictTable) -> isize {
    let mut hash = table
        .iter()
        .fold(0u64, |hash, entry| hash ^ shuffle_bits(entry.hash as u64));
    hash ^= (table.len() as u64 + 1).wrapping_mul(1_927_868_237);
    hash ^= (hash >> 11) ^ (hash >> 25);
    hash = hash.wrapping_mul(69_069).wrapping_add(907_133_923);
    match hash as isize {
        -1 => 590_923_713,
        hash => hash,
    }
}

impl Heap {
    /// The table of a set or frozenset; panics with `misuse` for anything else.
    fn expect_set(&self, handle: Handle) -> &DictTable {
        self.kind(handle).as_set().unwrap_or_else(|| {
            detect::misuse(
                self,
                format_args!("expected a set, got {}", self.describe(handle)),
            )
        })
    }

    /// `PySet_New` / `PyFrozenSet_New`: the items of `iterable` (borrowed), or none.
    pub(crate) fn set_new(
        &mut self,
        iterable: Option<Handle>,
        frozen: bool,
    ) -> Result<Handle, Exc> {
        let items = match iterable {
            Some(iterable) => self.collect(iterable)?,
            None => Vec::new(),
        };
        let table = Box::default();
        let set = match self.alloc(if frozen {
            Kind::FrozenSet(table)
        } else {
            Kind::Set(table)
        }) {
            Ok(set) => set,
            Err(exc) => {
                self.release_all(items);
                return Err(exc);
            }
        };
        let mut outcome = Ok(());
        for item in &items {
            if outcome.is_ok() {
                outcome = self.set_insert(set, *item);
            }
        }
        self.release_all(items);
        match outcome {
            Ok(()) => Ok(set),
            Err(exc) => {
                self.release(set);
                Err(exc)
            }
        }
    }

    /// Adds `key` (increfed) unless an equal key is there; `TypeError` if unhashable.
    fn set_insert(&mut self, set: Handle, key: Handle) -> Result<(), Exc> {
        let hash = self.hash(key)?;
        if self.table_find(set, key, hash)?.is_none() {
            self.charge()?;
            self.incref(key);
            self.incref(NONE);
            if let Kind::Set(table) | Kind::FrozenSet(table) = self.kind_mut(set) {
                table.insert_new(hash, key, NONE);
            }
        }
        Ok(())
    }

    /// `PySet_Add` (the C-API also lets a frozenset be filled before anyone sees it).
    pub(crate) fn set_add(&mut self, set: Handle, key: Handle) -> Result<(), Exc> {
        self.get(key);
        self.expect_set(set);
        self.set_insert(set, key)
    }

    /// `PySet_Contains`.
    pub(crate) fn set_contains(&self, set: Handle, key: Handle) -> Result<bool, Exc> {
        self.expect_set(set);
        let hash = self.hash(key)?;
        Ok(self.table_find(set, key, hash)?.is_some())
    }

    /// `PySet_Discard`: whether the key was there.
    pub(crate) fn set_discard(&mut self, set: Handle, key: Handle) -> Result<bool, Exc> {
        self.expect_set(set);
        let hash = self.hash(key)?;
        match self.table_find(set, key, hash)? {
            Some(position) => {
                let (key, none) = self.table_remove(set, position);
                self.release_all([key, none]);
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// `PySet_Pop`: the first key in the table (an owned reference).
    pub(crate) fn set_pop(&mut self, set: Handle) -> Result<Handle, Exc> {
        let Some((position, _)) = self.expect_set(set).next(0) else {
            return Err(Exc::new(ExceptionKind::KeyError, "pop from an empty set"));
        };
        let (key, none) = self.table_remove(set, position);
        self.release(none);
        Ok(key)
    }

    /// `PySet_Size`.
    pub(crate) fn set_len(&self, set: Handle) -> usize {
        self.expect_set(set).len()
    }

    /// How two sets compare by inclusion: `Some(Less)` for a proper subset, `None` when
    /// neither holds the other.
    pub(crate) fn compare_sets(
        &self,
        a: &DictTable,
        b: &DictTable,
    ) -> Result<Option<Ordering>, Exc> {
        let a_in_b = self.table_within(a, b)?;
        let b_in_a = self.table_within(b, a)?;
        Ok(match (a_in_b, b_in_a) {
            (true, true) => Some(Ordering::Equal),
            (true, false) => Some(Ordering::Less),
            (false, true) => Some(Ordering::Greater),
            (false, false) => None,
        })
    }

    /// Whether every key of `a` is in `b`.
    fn table_within(&self, a: &DictTable, b: &DictTable) -> Result<bool, Exc> {
        if a.len() > b.len() {
            return Ok(false);
        }
        for entry in a.iter() {
            if b.find(entry.hash, |key| self.equals(key, entry.key))?
                .is_none()
            {
                return Ok(false);
            }
        }
        Ok(true)
    }
}
