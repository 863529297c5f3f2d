//! `set` and `frozenset`: `PySet`/`PyFrozenSet` methods, Python's equality and hashing of
//! items, the errors of unhashable items, `HashSet`/`BTreeSet` conversions, and the references a
//! set holds.

use std::collections::{BTreeSet, HashSet};

use anypy::types::{PyDict, PyFrozenSet, PyList, PySet};
use anypy::{Backend, ExceptionKind, PyResult};

use crate::support::{assert_raises, with_py};

/// The items of a set or frozenset as sorted `i64`s.
fn sorted_ints<B: Backend>(items: anypy::types::PyIterator<'_, B>) -> PyResult<Vec<i64>, B> {
    let mut ints = items
        .map(|item| item?.extract::<i64>())
        .collect::<PyResult<Vec<_>, B>>()?;
    ints.sort_unstable();
    Ok(ints)
}

/// A new set holds each distinct item once (`1`, `1.0` and `True` are one item, as in Python).
pub fn set_new_add_contains_len<B: Backend>() {
    with_py::<B>(|py| {
        let set = PySet::empty(py)?;
        assert_eq!(set.type_name(), "set");
        assert!(set.is_instance_of::<PySet>());
        assert!(!set.is_instance_of::<PyFrozenSet>());
        assert!(set.is_empty());
        assert!(!set.is_truthy()?);
        set.add(1i64)?;
        set.add("a")?;
        set.add(1.0f64)?;
        set.add(true)?;
        set.add((1i64, "t"))?;
        assert_eq!(set.len(), 3);
        assert_eq!(set.as_any().len()?, 3);
        assert!(set.contains(1i64)?);
        assert!(set.contains(true)?, "True == 1");
        assert!(set.contains("a")?);
        assert!(set.contains((1i64, "t"))?);
        assert!(!set.contains("b")?);
        assert!(!set.contains(2i64)?);
        let built = PySet::new(py, [3i64, 1, 2, 3, 1])?;
        assert_eq!(built.len(), 3);
        assert_eq!(sorted_ints(built.iter()?)?, [1, 2, 3]);
        Ok(())
    });
}

/// `discard` says whether the key was there; `pop` removes one item; an empty set's `pop` is
/// `KeyError: 'pop from an empty set'`.
pub fn set_discard_and_pop<B: Backend>() {
    with_py::<B>(|py| {
        let set = PySet::new(py, ["x", "y"])?;
        assert!(set.discard("x")?);
        assert!(!set.discard("x")?);
        assert!(!set.discard(5i64)?);
        assert_eq!(set.len(), 1);
        assert_eq!(set.pop()?.extract::<String>()?, "y");
        assert!(set.is_empty());
        assert_raises(
            py,
            set.pop(),
            ExceptionKind::KeyError,
            "pop from an empty set",
        );
        Ok(())
    });
}

/// Unhashable items raise `TypeError: unhashable type: 'list'` from every entry point, and a
/// set built from a list with one releases what it made (the mock's leak check shows it).
pub fn set_unhashable_items<B: Backend>() {
    with_py::<B>(|py| {
        let set = PySet::empty(py)?;
        let list = PyList::new(py, [1i64])?;
        assert_raises(
            py,
            set.add(&list),
            ExceptionKind::TypeError,
            "unhashable type: 'list'",
        );
        assert_raises(
            py,
            set.contains(&list),
            ExceptionKind::TypeError,
            "unhashable type: 'list'",
        );
        assert_raises(
            py,
            set.discard(&list),
            ExceptionKind::TypeError,
            "unhashable type: 'list'",
        );
        assert!(set.is_empty());
        let built = PySet::new(py, [vec![1i64], vec![2]]);
        assert_raises(
            py,
            built,
            ExceptionKind::TypeError,
            "unhashable type: 'list'",
        );
        let items = PyList::new(py, [py.to_object(1i64)?, PyDict::new(py)?.into_any()])?;
        let from_list = PyFrozenSet::from_iterable(items.as_any());
        assert_raises(
            py,
            from_list,
            ExceptionKind::TypeError,
            "unhashable type: 'dict'",
        );
        let from_int = PySet::from_iterable(&py.to_object(5i64)?);
        assert_raises(
            py,
            from_int,
            ExceptionKind::TypeError,
            "'int' object is not iterable",
        );
        Ok(())
    });
}

/// A frozenset is hashable (equal frozensets hash alike whatever the insertion order, and work
/// as dict keys); a set is not; a set equals a frozenset with the same items.
pub fn frozenset_hash_and_equality<B: Backend>() {
    with_py::<B>(|py| {
        let a = PyFrozenSet::new(py, [1i64, 2, 3])?;
        let b = PyFrozenSet::new(py, [3i64, 2, 1, 2])?;
        assert_eq!(a.type_name(), "frozenset");
        assert!(a.is_instance_of::<PyFrozenSet>() && !a.is_instance_of::<PySet>());
        assert_eq!(a.len(), 3);
        assert!(a.contains(2i64)? && !a.contains(4i64)?);
        assert_eq!(a.hash()?, b.hash()?);
        assert!(a.eq(&b)?);
        let set = PySet::new(py, [1i64, 2, 3])?;
        assert!(set.eq(&a)?, "set and frozenset compare by items");
        assert!(!set.eq(PyFrozenSet::new(py, [1i64])?)?);
        assert!(PySet::new(py, [1i64])?.lt(&a)?, "< is a proper subset");
        assert!(a.le(&b)? && !a.lt(&b)?);
        assert!(!PySet::new(py, [9i64])?.le(&a)?);
        assert_raises(
            py,
            set.hash(),
            ExceptionKind::TypeError,
            "unhashable type: 'set'",
        );
        let dict = PyDict::new(py)?;
        dict.set_item(&a, "found")?;
        assert_eq!(
            dict.get_item(&b)?.expect("equal key").extract::<String>()?,
            "found"
        );
        assert_eq!(
            PyFrozenSet::empty(py)?.hash()?,
            PyFrozenSet::empty(py)?.hash()?
        );
        Ok(())
    });
}

/// `repr` reads as Python's (one item each, since the order of several is the table's).
pub fn set_repr<B: Backend>() {
    with_py::<B>(|py| {
        let repr = |obj: &anypy::Bound<'_, anypy::types::PyAny, B>| -> PyResult<String, B> {
            Ok(obj.repr()?.to_str()?.to_owned())
        };
        assert_eq!(repr(PySet::empty(py)?.as_any())?, "set()");
        assert_eq!(repr(PyFrozenSet::empty(py)?.as_any())?, "frozenset()");
        assert_eq!(repr(PySet::new(py, [7i64])?.as_any())?, "{7}");
        assert_eq!(
            repr(PyFrozenSet::new(py, ["a"])?.as_any())?,
            "frozenset({'a'})"
        );
        assert_eq!(repr(PySet::new(py, [(1i64, 2i64)])?.as_any())?, "{(1, 2)}");
        Ok(())
    });
}

/// Iterating yields every item once; changing the size meanwhile is a `RuntimeError`.
pub fn set_iteration<B: Backend>() {
    with_py::<B>(|py| {
        let set = PySet::new(py, 0i64..20)?;
        assert_eq!(sorted_ints(set.iter()?)?, (0..20).collect::<Vec<_>>());
        let frozen = PyFrozenSet::new(py, [5i64, 6])?;
        assert_eq!(sorted_ints(frozen.iter()?)?, [5, 6]);
        let mut items = set.iter()?;
        items.next().expect("one item")?;
        set.add(100i64)?;
        let changed = items.next().expect("an error, not the end");
        assert_raises(
            py,
            changed,
            ExceptionKind::RuntimeError,
            "changed size during iteration",
        );
        Ok(())
    });
}

/// What comes back from a set has one new reference; discarding (or popping and dropping) gives
/// back what the set held, and iterating hands out one reference per item. (PyPy's sets hold
/// PyPy references, which do not show in the count, so only what comes back is compared.)
pub fn set_refcounts<B: Backend>() {
    with_py::<B>(|py| {
        // Tuples: PyPy stores str and int items unwrapped (its set strategies), so those come
        // back as new objects; a tuple comes back as itself.
        let key = py.to_object(("anypy-unique-set-key", 1i64))?;
        let other = py.to_object(("anypy-unique-set-key", 2i64))?;
        let set = PySet::empty(py)?;
        // One add and discard first: PyPy marks an object its set has seen as its own (a flag in
        // the count), so the baseline is taken after that.
        for item in [&key, &other] {
            set.add(item)?;
            assert!(set.discard(item)?);
        }
        let (key_before, other_before) = (key.get_refcnt(), other.get_refcnt());
        set.add(&key)?;
        set.add(&key)?;
        set.add(&other)?;
        let held = key.get_refcnt();
        let iterated: Vec<_> = set.iter()?.collect::<PyResult<_, B>>()?;
        assert_eq!(iterated.len(), 2);
        assert_eq!(key.get_refcnt(), held + 1);
        drop(iterated);
        assert_eq!(key.get_refcnt(), held);
        assert!(set.discard(&key)?);
        assert_eq!(key.get_refcnt(), key_before);
        let popped = set.pop()?;
        assert!(popped.is(&other));
        drop(popped);
        assert_eq!(other.get_refcnt(), other_before);
        Ok(())
    });
}

/// `HashSet` and `BTreeSet` to `set` and back, from a frozenset too.
pub fn set_rust_roundtrips<B: Backend>() {
    with_py::<B>(|py| {
        let words: HashSet<String> = ["a", "b", "c"].map(str::to_owned).into_iter().collect();
        let object = py.to_object(words.clone())?;
        assert!(object.is_instance_of::<PySet>());
        assert_eq!(object.len()?, 3);
        assert_eq!(object.extract::<HashSet<String>>()?, words);
        let numbers: BTreeSet<i64> = [5, -1, 3].into_iter().collect();
        let object = py.to_object(numbers.clone())?;
        assert_eq!(object.extract::<BTreeSet<i64>>()?, numbers);
        let frozen = PyFrozenSet::new(py, [2i64, 4])?;
        assert_eq!(frozen.extract::<BTreeSet<i64>>()?, BTreeSet::from([2, 4]));
        assert_eq!(frozen.extract::<HashSet<u8>>()?, HashSet::from([2, 4]));
        let empty: HashSet<i64> = py.to_object(HashSet::<i64>::new())?.extract()?;
        assert!(empty.is_empty());
        let before = frozen.get_refcnt();
        frozen
            .extract::<Vec<i64>>()
            .expect_err("a frozenset is not a sequence");
        frozen.extract::<BTreeSet<i64>>()?;
        assert_eq!(
            frozen.get_refcnt(),
            before,
            "reading a set keeps no reference"
        );
        Ok(())
    });
}

/// Reading a set from something else, or items of the wrong type, are `TypeError`s naming both.
pub fn set_conversion_errors<B: Backend>() {
    with_py::<B>(|py| {
        let list = py.to_object(vec![1i64, 2])?;
        assert_raises(
            py,
            list.extract::<HashSet<i64>>(),
            ExceptionKind::TypeError,
            "expected set or frozenset, got list",
        );
        let words = py.to_object(PySet::new(py, ["x"])?)?;
        assert_raises(
            py,
            words.extract::<BTreeSet<i64>>(),
            ExceptionKind::TypeError,
            "expected int, got str",
        );
        let big = PySet::new(py, [300i64])?;
        assert_raises(
            py,
            big.extract::<HashSet<u8>>(),
            ExceptionKind::OverflowError,
            "out of range for u8",
        );
        Ok(())
    });
}

#[doc(hidden)]
#[macro_export]
macro_rules! __suite_sets {
    ($backend:ty, $harness:expr) => {
        $crate::__conformance_emit!($backend, $harness;
            sets::set_new_add_contains_len,
            sets::set_discard_and_pop,
            sets::set_unhashable_items,
            sets::frozenset_hash_and_equality,
            sets::set_repr,
            sets::set_iteration,
            sets::set_refcounts,
            sets::set_rust_roundtrips,
            sets::set_conversion_errors,
        );
    };
}
