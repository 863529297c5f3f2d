//! `dict`: get, set, delete, membership, length, and iteration over keys, values and items.

use crate::backend::{Backend, RawPtr};
use crate::conversion::{with_key_and_value, IntoPyObject};
use crate::err::{PyErr, PyResult};
use crate::instance::{Borrowed, Bound};
use crate::python::Python;
use crate::types::list::check_status;
use crate::types::{PyAny, PyDict};

impl PyDict {
    /// A new empty dict.
    #[track_caller]
    pub fn new<B: Backend>(py: Python<'_, B>) -> PyResult<Bound<'_, PyDict, B>, B> {
        // SAFETY: the token proves the GIL; the result is a new reference or an error.
        unsafe { Bound::from_owned_ptr_or_err(py, B::dict_new()) }
    }
}

impl<'py, B: Backend> Bound<'py, PyDict, B> {
    /// `self[key] = value`; `TypeError` for an unhashable key.
    #[track_caller]
    pub fn set_item(
        &self,
        key: impl IntoPyObject<B>,
        value: impl IntoPyObject<B>,
    ) -> PyResult<(), B> {
        let py = self.py();
        let status = with_key_and_value(py, key, value, |key, value| {
            // SAFETY: the handle proves the GIL; the dict increfs key and value.
            unsafe { B::dict_set_item(self.as_ptr(), key, value) }
        })?;
        check_status(py, status)
    }

    /// `self.get(key)`: a new reference, `None` when missing; errors (unhashable key, a
    /// failing `__eq__`) are returned, not hidden.
    #[track_caller]
    pub fn get_item(&self, key: impl IntoPyObject<B>) -> PyResult<Option<Bound<'py, PyAny, B>>, B> {
        let key = key.into_pyobject(self.py())?;
        // SAFETY: the handle proves the GIL; the result is borrowed.
        match unsafe { B::dict_get_item(self.as_ptr(), key.as_ptr()) } {
            // SAFETY: a borrowed item of the live dict, increfed at once.
            Some(item) => Ok(Some(unsafe { Bound::from_borrowed_ptr(self.py(), item) })),
            // SAFETY: the handle proves the GIL.
            None if unsafe { B::err_occurred() } => Err(PyErr::fetch(self.py())),
            None => Ok(None),
        }
    }

    /// `del self[key]`; `KeyError` when missing.
    #[track_caller]
    pub fn del_item(&self, key: impl IntoPyObject<B>) -> PyResult<(), B> {
        let key = key.into_pyobject(self.py())?;
        // SAFETY: the handle proves the GIL.
        let status = unsafe { B::dict_del_item(self.as_ptr(), key.as_ptr()) };
        check_status(self.py(), status)
    }

    /// `key in self`.
    #[track_caller]
    pub fn contains(&self, key: impl IntoPyObject<B>) -> PyResult<bool, B> {
        let key = key.into_pyobject(self.py())?;
        // SAFETY: the handle proves the GIL.
        let status = unsafe { B::dict_contains(self.as_ptr(), key.as_ptr()) };
        check_status(self.py(), status)?;
        Ok(status == 1)
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        // SAFETY: the handle proves the GIL; the object is a dict.
        unsafe { B::dict_len(self.as_ptr()) }
    }

    /// Whether the dict is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Iterates over `(key, value)` pairs in insertion order, as new references.
    ///
    /// # Panics
    /// If the dict changes size during the iteration (Python raises `RuntimeError` there), or
    /// if a key's `__hash__`/`__eq__` fails or removes it while its value is looked up.
    pub fn iter(&self) -> DictIter<'_, 'py, B> {
        DictIter::new(self)
    }

    /// Iterates over the keys (panics as [`Bound::iter`] does).
    pub fn keys(&self) -> impl Iterator<Item = Bound<'py, PyAny, B>> + '_ {
        let mut entries = DictIter::new(self);
        std::iter::from_fn(move || entries.next_key())
    }

    /// Iterates over the values (panics as [`Bound::iter`] does).
    pub fn values(&self) -> impl Iterator<Item = Bound<'py, PyAny, B>> + '_ {
        let mut entries = DictIter::new(self);
        std::iter::from_fn(move || entries.next_value())
    }

    /// Iterates over `(key, value)` pairs (same as [`Bound::iter`] on a dict).
    pub fn items(&self) -> DictIter<'_, 'py, B> {
        self.iter()
    }
}

/// Iterator over a dict's `(key, value)` pairs.
pub struct DictIter<'a, 'py, B: Backend> {
    dict: Borrowed<'a, 'py, PyDict, B>,
    cursor: Cursor<'py, B>,
}

/// Where an iteration is, in the backend's way to iterate ([`Backend::dict_iterates_by_protocol`]).
enum Cursor<'py, B: Backend> {
    /// A [`Backend::dict_next`] position, and the length the dict had at the start: checked
    /// before every step, as Python's dict iterators check it.
    Position {
        position: isize,
        expected_len: usize,
    },
    /// Python's own iterator over the keys, which checks the length itself (raising
    /// `RuntimeError`); values are looked up by key.
    Protocol(Bound<'py, PyAny, B>),
}

impl<'a, 'py, B: Backend> DictIter<'a, 'py, B> {
    /// An iteration over `dict`'s entries.
    fn new(dict: &'a Bound<'py, PyDict, B>) -> Self {
        // SAFETY: the handle proves the GIL; the object is a dict.
        let cursor = if unsafe { B::dict_iterates_by_protocol(dict.as_ptr()) } {
            // SAFETY: the handle proves the GIL; a new reference or an error.
            let keys =
                unsafe { Bound::from_owned_ptr_or_err(dict.py(), B::get_iter(dict.as_ptr())) };
            Cursor::Protocol(keys.unwrap_or_else(|err| panic!("iterating over a dict: {err}")))
        } else {
            Cursor::Position {
                position: 0,
                expected_len: dict.len(),
            }
        };
        DictIter {
            dict: dict.as_borrowed(),
            cursor,
        }
    }

    /// The next entry as borrowed pointers, valid until Python code next runs: only for
    /// callers that incref what they keep at once (so `keys()` and `values()` touch one count
    /// per entry, not two). Only with [`Cursor::Position`].
    #[inline]
    fn next_borrowed(
        dict: Borrowed<'_, 'py, PyDict, B>,
        position: &mut isize,
        expected_len: usize,
    ) -> Option<(RawPtr, RawPtr)> {
        let len = dict.len();
        if len != expected_len {
            size_changed(expected_len, len);
        }
        // The position goes to C through a local: a pointer into `self` would make the
        // compiler reload the dict and the length from memory at every step.
        let mut at = *position;
        // SAFETY: the handle proves the GIL; the size check above guards the position.
        let entry = unsafe { B::dict_next(dict.as_ptr(), &mut at) };
        *position = at;
        entry
    }

    /// The next key of Python's iterator over the dict (a new reference); a panic with the
    /// error it raised (`RuntimeError: dictionary changed size during iteration`).
    #[inline]
    fn next_protocol_key(keys: &Bound<'py, PyAny, B>) -> Option<Bound<'py, PyAny, B>> {
        let py = keys.py();
        // SAFETY: the handle proves the GIL; the object is an iterator.
        match unsafe { B::iter_next(keys.as_ptr()) } {
            // SAFETY: a new reference.
            Some(key) => Some(unsafe { Bound::from_owned_ptr(py, key) }),
            // SAFETY: the token proves the GIL.
            None if unsafe { B::err_occurred() } => panic!("{}", PyErr::fetch(py)),
            None => None,
        }
    }

    /// The value of a key Python's iterator has just yielded, as a new reference.
    #[inline]
    fn value_of(&self, key: &Bound<'py, PyAny, B>) -> Bound<'py, PyAny, B> {
        let py = self.dict.py();
        // SAFETY: the handle proves the GIL; the dict and the key are alive.
        match unsafe { B::dict_get_item(self.dict.as_ptr(), key.as_ptr()) } {
            // SAFETY: a borrowed value of the live dict, increfed at once.
            Some(value) => unsafe { Bound::from_borrowed_ptr(py, value) },
            // SAFETY: the token proves the GIL.
            None if unsafe { B::err_occurred() } => panic!("{}", PyErr::fetch(py)),
            // Only Python code run by the lookup (the key's `__eq__`) can remove the key its
            // iterator has just yielded.
            None => panic!("dictionary keys changed during iteration"),
        }
    }

    /// The next entry, in the cursor's form.
    #[inline]
    fn next_entry(&mut self) -> Option<Entry<'py, B>> {
        match &mut self.cursor {
            Cursor::Position {
                position,
                expected_len,
            } => {
                let (key, value) = Self::next_borrowed(self.dict, position, *expected_len)?;
                Some(Entry::Borrowed(key, value))
            }
            Cursor::Protocol(keys) => Self::next_protocol_key(keys).map(Entry::Key),
        }
    }

    /// The key of `entry`, as a new reference.
    #[inline]
    fn key(&self, entry: Entry<'py, B>) -> Bound<'py, PyAny, B> {
        match entry {
            // SAFETY: a borrowed key of the live dict, increfed at once.
            Entry::Borrowed(key, _) => unsafe { Bound::from_borrowed_ptr(self.dict.py(), key) },
            Entry::Key(key) => key,
        }
    }

    /// The value of `entry`, as a new reference.
    #[inline]
    fn value(&self, entry: &Entry<'py, B>) -> Bound<'py, PyAny, B> {
        match entry {
            // SAFETY: a borrowed value of the live dict, increfed at once.
            Entry::Borrowed(_, value) => unsafe {
                Bound::from_borrowed_ptr(self.dict.py(), *value)
            },
            Entry::Key(key) => self.value_of(key),
        }
    }

    /// The next key, as a new reference.
    #[inline]
    fn next_key(&mut self) -> Option<Bound<'py, PyAny, B>> {
        let entry = self.next_entry()?;
        Some(self.key(entry))
    }

    /// The next value, as a new reference.
    #[inline]
    fn next_value(&mut self) -> Option<Bound<'py, PyAny, B>> {
        let entry = self.next_entry()?;
        Some(self.value(&entry))
    }
}

/// The panic of an iteration whose dict changed size (out of line: the check stays a compare).
#[cold]
#[inline(never)]
fn size_changed(expected: usize, len: usize) -> ! {
    panic!("dictionary changed size during iteration (from {expected} to {len} entries)")
}

/// One step's entry: borrowed key and value (valid until Python code next runs, so each is
/// increfed as soon as it is handed out), or a key Python's iterator gave (owned), whose value
/// is looked up when asked for.
enum Entry<'py, B: Backend> {
    Borrowed(RawPtr, RawPtr),
    Key(Bound<'py, PyAny, B>),
}

impl<'py, B: Backend> Iterator for DictIter<'_, 'py, B> {
    type Item = (Bound<'py, PyAny, B>, Bound<'py, PyAny, B>);

    fn next(&mut self) -> Option<Self::Item> {
        let entry = self.next_entry()?;
        let value = self.value(&entry);
        Some((self.key(entry), value))
    }
}
