//! Tuples, lists and dicts: the C-API's container functions with their ownership rules
//! (`*_init_item` and `list_set_item` steal, `list_append` and `dict_set_item` incref, getters
//! borrow), and the hashed lookups shared with modules and namespaces.

use crate::compare_hash::hash_bytes;
use crate::detect;
use crate::dict_table::DictTable;
use crate::errors::{index_error, Exc};
use crate::handle::Handle;
use crate::heap::Heap;
use crate::object::Kind;

/// The `DictTable` of a dict, module, namespace or set.
fn table_of(kind: &Kind) -> Option<&DictTable> {
    match kind {
        Kind::Dict(table) | Kind::Namespace(table) | Kind::Set(table) | Kind::FrozenSet(table) => {
            Some(table)
        }
        Kind::Module(module) => Some(&module.attrs),
        _ => None,
    }
}

fn table_of_mut(kind: &mut Kind) -> Option<&mut DictTable> {
    match kind {
        Kind::Dict(table) | Kind::Namespace(table) | Kind::Set(table) | Kind::FrozenSet(table) => {
            Some(table)
        }
        Kind::Module(module) => Some(&mut module.attrs),
        _ => None,
    }
}

impl Heap {
    // ----- reading items ----------------------------------------------------------------------

    /// The items of a tuple or list (borrowed); panics with `misuse` on an item not yet set.
    pub(crate) fn sequence_items(&self, handle: Handle) -> Vec<Handle> {
        let items = self.kind(handle).as_sequence().unwrap_or_default();
        items
            .iter()
            .enumerate()
            .map(|(index, item)| self.filled_item(handle, index, *item))
            .collect()
    }

    fn filled_item(&self, owner: Handle, index: usize, item: Option<Handle>) -> Handle {
        item.unwrap_or_else(|| {
            detect::misuse(
                self,
                format_args!(
                    "item {index} of {} was read before being set",
                    self.describe(owner)
                ),
            )
        })
    }

    /// Panics with `misuse`: `handle` is not the `expected` kind of object.
    fn not_a(&self, handle: Handle, expected: &str) -> ! {
        detect::misuse(
            self,
            format_args!("expected a {expected}, got {}", self.describe(handle)),
        )
    }

    /// Panics with `misuse` unless `handle` is a tuple.
    fn expect_tuple(&self, handle: Handle) -> &[Option<Handle>] {
        match self.kind(handle) {
            Kind::Tuple(items) => items,
            _ => self.not_a(handle, "tuple"),
        }
    }

    /// Panics with `misuse` unless `handle` is a list.
    fn expect_list(&self, handle: Handle) -> &[Option<Handle>] {
        match self.kind(handle) {
            Kind::List(items) => items,
            _ => self.not_a(handle, "list"),
        }
    }

    /// Panics with `misuse` unless `handle` is a dict.
    fn expect_dict(&self, handle: Handle) -> &DictTable {
        match self.kind(handle) {
            Kind::Dict(table) => table,
            _ => self.not_a(handle, "dict"),
        }
    }

    fn items_mut(&mut self, handle: Handle) -> &mut Vec<Option<Handle>> {
        match self.kind_mut(handle) {
            Kind::Tuple(items) | Kind::List(items) => items,
            _ => unreachable!("checked by the caller"),
        }
    }

    // ----- tuple and list ---------------------------------------------------------------------

    /// A new list stealing `items`.
    pub(crate) fn new_list(&mut self, items: Vec<Handle>) -> Result<Handle, Exc> {
        self.alloc(Kind::List(items.into_iter().map(Some).collect()))
    }

    /// A new tuple stealing `items`.
    pub(crate) fn new_tuple(&mut self, items: Vec<Handle>) -> Result<Handle, Exc> {
        self.alloc(Kind::Tuple(items.into_iter().map(Some).collect()))
    }

    /// `PyTuple_New` / `PyList_New`: items unset.
    pub(crate) fn sequence_new(&mut self, len: usize, list: bool) -> Result<Handle, Exc> {
        let items = vec![None; len];
        self.alloc(if list {
            Kind::List(items)
        } else {
            Kind::Tuple(items)
        })
    }

    /// `PyTuple_SET_ITEM` / `PyList_SET_ITEM`: steals `item` into an unset slot.
    pub(crate) fn init_item(&mut self, owner: Handle, index: usize, item: Handle, list: bool) {
        let items = if list {
            self.expect_list(owner)
        } else {
            self.expect_tuple(owner)
        };
        match items.get(index) {
            None => detect::misuse(
                self,
                format_args!("index {index} out of range for {}", self.describe(owner)),
            ),
            Some(Some(old)) => detect::misuse(
                self,
                format_args!(
                    "item {index} of {} is already set (to {}): setting it again would leak it",
                    self.describe(owner),
                    self.describe(*old)
                ),
            ),
            Some(None) => {}
        }
        self.get(item);
        self.items_mut(owner)[index] = Some(item);
    }

    /// `PyTuple_GET_ITEM` / `PyList_GET_ITEM` (borrowed).
    pub(crate) fn borrowed_item(&self, owner: Handle, index: usize, list: bool) -> Handle {
        let items = if list {
            self.expect_list(owner)
        } else {
            self.expect_tuple(owner)
        };
        match items.get(index) {
            Some(item) => self.filled_item(owner, index, *item),
            None => detect::misuse(
                self,
                format_args!(
                    "index {index} out of range for {} of length {}",
                    self.describe(owner),
                    items.len()
                ),
            ),
        }
    }

    /// `PyTuple_GET_SIZE` / `PyList_GET_SIZE`.
    pub(crate) fn sequence_len(&self, owner: Handle, list: bool) -> usize {
        let items = if list {
            self.expect_list(owner)
        } else {
            self.expect_tuple(owner)
        };
        items.len()
    }

    /// `PyList_SetItem`: steals `item` even on failure, releases the old item.
    pub(crate) fn list_set_item(
        &mut self,
        list: Handle,
        index: usize,
        item: Handle,
    ) -> Result<(), Exc> {
        let len = self.expect_list(list).len();
        self.get(item);
        if index >= len {
            self.release(item);
            return Err(index_error("list assignment index out of range"));
        }
        let old = self.items_mut(list)[index].replace(item);
        if let Some(old) = old {
            self.release(old);
        }
        Ok(())
    }

    /// `PyList_Insert` (an index past the end appends); increfs `item`. A growth: counted as
    /// an allocation.
    pub(crate) fn list_insert(
        &mut self,
        list: Handle,
        index: usize,
        item: Handle,
    ) -> Result<(), Exc> {
        let len = self.expect_list(list).len();
        self.get(item);
        self.charge()?;
        self.incref(item);
        self.items_mut(list).insert(index.min(len), Some(item));
        Ok(())
    }

    // ----- dict -------------------------------------------------------------------------------

    /// The position of `key` in the table of `owner` (a dict, module or namespace).
    pub(crate) fn table_find(
        &self,
        owner: Handle,
        key: Handle,
        hash: isize,
    ) -> Result<Option<usize>, Exc> {
        let table = table_of(self.kind(owner)).expect("a dict, module or namespace");
        table.find(hash, |candidate| self.equals(candidate, key))
    }

    /// The position of the str key `name` in the table of `owner`, without making a str.
    pub(crate) fn table_find_str(&self, owner: Handle, name: &str) -> Option<usize> {
        let table = table_of(self.kind(owner)).expect("a dict, module or namespace");
        let found = table.find(hash_bytes(name.as_bytes()), |candidate| {
            Ok::<_, ()>(self.kind(candidate).as_str() == Some(name))
        });
        found.ok().flatten()
    }

    /// The value at `position` in the table of `owner` (borrowed).
    pub(crate) fn table_value(&self, owner: Handle, position: usize) -> Handle {
        let table = table_of(self.kind(owner)).expect("a dict, module or namespace");
        table.entry(position).expect("a found position").value
    }

    /// Sets `key` to `value` in the table of `owner` (increfs both as needed).
    pub(crate) fn table_set(
        &mut self,
        owner: Handle,
        key: Handle,
        value: Handle,
    ) -> Result<(), Exc> {
        let hash = self.hash(key)?;
        self.table_set_hashed(owner, key, hash, value)
    }

    /// [`Heap::table_set`] with the key's hash known.
    fn table_set_hashed(
        &mut self,
        owner: Handle,
        key: Handle,
        hash: isize,
        value: Handle,
    ) -> Result<(), Exc> {
        self.get(value);
        let position = self.table_find(owner, key, hash)?;
        self.incref(value);
        let table = table_of_mut(self.kind_mut(owner)).expect("a dict, module or namespace");
        match position {
            Some(position) => {
                let old = table.replace_value(position, value);
                self.release(old);
            }
            None => {
                table.insert_new(hash, key, value);
                self.incref(key);
            }
        }
        Ok(())
    }

    /// Removes the entry at `position` from the table of `owner`, returning its owned key and
    /// value.
    pub(crate) fn table_remove(&mut self, owner: Handle, position: usize) -> (Handle, Handle) {
        let table = table_of_mut(self.kind_mut(owner)).expect("a dict, module or namespace");
        let entry = table.remove(position);
        (entry.key, entry.value)
    }

    /// `PyDict_SetItem`: a growth, counted as an allocation.
    pub(crate) fn dict_set_item(
        &mut self,
        dict: Handle,
        key: Handle,
        value: Handle,
    ) -> Result<(), Exc> {
        self.expect_dict(dict);
        self.get(key);
        self.get(value);
        let hash = self.hash(key)?;
        self.charge()?;
        self.table_set_hashed(dict, key, hash, value)
    }

    /// `PyDict_GetItemWithError` (borrowed): `Ok(None)` when missing.
    pub(crate) fn dict_get_item(&self, dict: Handle, key: Handle) -> Result<Option<Handle>, Exc> {
        self.expect_dict(dict);
        let hash = self.hash(key)?;
        Ok(self
            .table_find(dict, key, hash)?
            .map(|position| self.table_value(dict, position)))
    }

    /// `PyDict_DelItem`: `KeyError` when missing.
    pub(crate) fn dict_del_item(&mut self, dict: Handle, key: Handle) -> Result<(), Exc> {
        self.expect_dict(dict);
        let hash = self.hash(key)?;
        match self.table_find(dict, key, hash)? {
            Some(position) => {
                let (key, value) = self.table_remove(dict, position);
                self.release_all([key, value]);
                Ok(())
            }
            None => Err(self.key_error(key)),
        }
    }

    /// `PyDict_Size`.
    pub(crate) fn dict_len(&self, dict: Handle) -> usize {
        self.expect_dict(dict).len()
    }

    /// `PyDict_Next` (borrowed key and value).
    pub(crate) fn dict_next(&self, dict: Handle, pos: &mut isize) -> Option<(Handle, Handle)> {
        let table = self.expect_dict(dict);
        let start = usize::try_from(*pos).ok()?;
        let (position, entry) = table.next(start)?;
        *pos = position as isize + 1;
        Some((entry.key, entry.value))
    }
}
