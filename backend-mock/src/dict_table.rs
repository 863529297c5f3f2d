//! The insertion-ordered hash table behind dicts, modules and namespaces: entries in insertion
//! order plus an open-addressing index of entry positions, probed by hash (CPython's layout).
//! Key equality is the caller's closure, since comparing keys needs the heap.

use crate::handle::Handle;

/// An index cell that never held an entry.
const EMPTY: u32 = u32::MAX;
/// An index cell whose entry was removed (probing continues past it).
const DELETED: u32 = u32::MAX - 1;
/// The smallest index.
const MIN_INDEX: usize = 8;

/// One key/value pair; the table owns a reference to both.
pub(crate) struct Entry {
    pub(crate) hash: isize,
    pub(crate) key: Handle,
    pub(crate) value: Handle,
}

/// An insertion-ordered table of entries.
#[derive(Default)]
pub(crate) struct DictTable {
    /// Entries in insertion order; `None` where one was removed.
    entries: Vec<Option<Entry>>,
    /// Positions in `entries`, or `EMPTY`/`DELETED`; a power of two long, or empty.
    index: Vec<u32>,
    len: usize,
}

/// The probe sequence for `hash` in an index of `mask + 1` cells (CPython's perturbation).
struct Probe {
    cell: usize,
    perturb: u64,
    mask: usize,
}

impl Probe {
    fn new(hash: isize, mask: usize) -> Probe {
        Probe {
            cell: hash as usize & mask,
            perturb: hash as u64,
            mask,
        }
    }

    fn advance(&mut self) {
        self.perturb >>= 5;
        self.cell = (self
            .cell
            .wrapping_mul(5)
            .wrapping_add(self.perturb as usize)
            .wrapping_add(1))
            & self.mask;
    }
}

impl DictTable {
    /// An empty table.
    pub(crate) fn new() -> DictTable {
        DictTable::default()
    }

    /// The number of entries.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// The position of the entry whose key has `hash` and satisfies `eq`, if any.
    pub(crate) fn find<E>(
        &self,
        hash: isize,
        mut eq: impl FnMut(Handle) -> Result<bool, E>,
    ) -> Result<Option<usize>, E> {
        if self.index.is_empty() {
            return Ok(None);
        }
        let mut probe = Probe::new(hash, self.index.len() - 1);
        loop {
            match self.index[probe.cell] {
                EMPTY => return Ok(None),
                DELETED => {}
                position => {
                    let position = position as usize;
                    if let Some(entry) = &self.entries[position] {
                        if entry.hash == hash && eq(entry.key)? {
                            return Ok(Some(position));
                        }
                    }
                }
            }
            probe.advance();
        }
    }

    /// The entry at `position`, if one is there.
    pub(crate) fn entry(&self, position: usize) -> Option<&Entry> {
        self.entries.get(position).and_then(Option::as_ref)
    }

    /// The first entry at or after `position`, with its position.
    pub(crate) fn next(&self, position: usize) -> Option<(usize, &Entry)> {
        let rest = self.entries.get(position..)?;
        rest.iter()
            .enumerate()
            .find_map(|(offset, entry)| entry.as_ref().map(|entry| (position + offset, entry)))
    }

    /// The entries in insertion order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().flatten()
    }

    /// Gives up the entries (and the references they own) in insertion order.
    pub(crate) fn into_entries(self) -> impl Iterator<Item = Entry> {
        self.entries.into_iter().flatten()
    }

    /// Replaces the value at `position`, returning the old one.
    pub(crate) fn replace_value(&mut self, position: usize, value: Handle) -> Handle {
        let entry = self.entries[position]
            .as_mut()
            .expect("replace_value on a removed entry");
        std::mem::replace(&mut entry.value, value)
    }

    /// Appends an entry whose key is known to be absent (may compact and regrow, which moves
    /// positions, as a resize does in CPython).
    pub(crate) fn insert_new(&mut self, hash: isize, key: Handle, value: Handle) {
        if (self.entries.len() + 1) * 3 > self.index.len() * 2 {
            self.rebuild();
        }
        let position = self.entries.len();
        self.entries.push(Some(Entry { hash, key, value }));
        self.len += 1;
        let cell = self.free_cell(hash);
        self.index[cell] = position as u32;
    }

    /// Removes the entry at `position` and returns it.
    pub(crate) fn remove(&mut self, position: usize) -> Entry {
        let entry = self.entries[position]
            .take()
            .expect("remove of a removed entry");
        let mut probe = Probe::new(entry.hash, self.index.len() - 1);
        while self.index[probe.cell] != position as u32 {
            probe.advance();
        }
        self.index[probe.cell] = DELETED;
        self.len -= 1;
        entry
    }

    /// The first cell on `hash`'s probe sequence that holds no entry.
    fn free_cell(&self, hash: isize) -> usize {
        let mut probe = Probe::new(hash, self.index.len() - 1);
        while self.index[probe.cell] < DELETED {
            probe.advance();
        }
        probe.cell
    }

    /// Drops removed entries and sizes the index for one more entry at most 2/3 full.
    fn rebuild(&mut self) {
        self.entries.retain(Option::is_some);
        let mut size = MIN_INDEX;
        while (self.entries.len() + 1) * 3 > size * 2 {
            size *= 2;
        }
        self.index.clear();
        self.index.resize(size, EMPTY);
        for position in 0..self.entries.len() {
            let hash = self.entries[position]
                .as_ref()
                .map_or(0, |entry| entry.hash);
            let cell = self.free_cell(hash);
            self.index[cell] = position as u32;
        }
    }
}
