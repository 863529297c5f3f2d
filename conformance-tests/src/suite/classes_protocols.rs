//! Protocol slots of Rust classes: `repr()`, `str()`, `len()`, `in`, `obj[key]`, `bool()`,
//! `hash()` and iteration run the class's Rust functions, which Python code also sees as
//! `__repr__`, `__len__`, ...

use anypy::exceptions::{KeyError, StopIteration};
use anypy::types::PyDict;
use anypy::{
    Backend, Bound, ClassBuilder, CompareOp, ExceptionKind, IntoPyObject, Py, PyClass, PyErr,
    PyResult, Python, SlotKind,
};

use crate::support::{assert_raises, with_py};

/// A small map from names to numbers.
struct Scores {
    entries: Vec<(String, i64)>,
}

fn score<B: Backend>(this: &Scores, name: String) -> PyResult<i64, B> {
    this.entries
        .iter()
        .find(|(key, _)| *key == name)
        .map(|(_, value)| *value)
        .ok_or_else(|| PyErr::new::<KeyError, _>(name))
}

impl<B: Backend> PyClass<B> for Scores {
    const NAME: &'static str = "Scores";

    fn define(class: &mut ClassBuilder<'_, Self, B>) -> PyResult<(), B> {
        class
            .slot(SlotKind::Repr, |this: &Scores| {
                format!("Scores({} entries)", this.entries.len())
            })?
            .slot(SlotKind::Str, |this: &Scores| {
                let names: Vec<&str> = this.entries.iter().map(|(key, _)| key.as_str()).collect();
                names.join(", ")
            })?
            .slot(SlotKind::Len, |this: &Scores| this.entries.len())?
            .slot(SlotKind::Contains, |this: &Scores, name: String| {
                this.entries.iter().any(|(key, _)| *key == name)
            })?
            .slot(SlotKind::GetItem, score::<B>)?
            .slot(
                SlotKind::SetItem,
                |this: &mut Scores, name: String, value: i64| match this
                    .entries
                    .iter_mut()
                    .find(|(key, _)| *key == name)
                {
                    Some(entry) => entry.1 = value,
                    None => this.entries.push((name, value)),
                },
            )?
            .slot(SlotKind::DelItem, |this: &mut Scores, name: String| {
                this.entries.retain(|(key, _)| *key != name)
            })?
            .slot(SlotKind::Call, |this: &Scores, bonus: i64| {
                this.entries.iter().map(|(_, value)| value).sum::<i64>() + bonus
            })?
            .slot(SlotKind::Bool, |this: &Scores| !this.entries.is_empty())?
            .slot(SlotKind::Hash, |this: &Scores| {
                this.entries.len() as i64 - 1
            })?
            .slot(SlotKind::Iter, |this: &Scores, py: Python<'_, B>| {
                let names = this.entries.iter().map(|(key, _)| key.clone()).collect();
                Py::new(py, ScoresIter { names, next: 0 })
            })?;
        Ok(())
    }
}

/// The iterator over the names of a `Scores`.
struct ScoresIter {
    names: Vec<String>,
    next: usize,
}

fn next_name<B: Backend>(this: &mut ScoresIter) -> PyResult<String, B> {
    let name = this.names.get(this.next).cloned();
    this.next += 1;
    name.ok_or_else(|| PyErr::new::<StopIteration, _>(""))
}

impl<B: Backend> PyClass<B> for ScoresIter {
    const NAME: &'static str = "ScoresIter";

    fn define(class: &mut ClassBuilder<'_, Self, B>) -> PyResult<(), B> {
        class
            .slot(SlotKind::Next, next_name::<B>)?
            .slot(SlotKind::Iter, |this: &Bound<'_, ScoresIter, B>| {
                this.clone().unbind()
            })?;
        Ok(())
    }
}

fn scores<B: Backend>(py: anypy::Python<'_, B>) -> PyResult<Bound<'_, Scores, B>, B> {
    Bound::new(
        py,
        Scores {
            entries: vec![("ada".into(), 10), ("bob".into(), 7)],
        },
    )
}

/// `repr`, `str` and `len` run the class's slots.
pub fn class_slots_repr_str_len<B: Backend>() {
    with_py::<B>(|py| {
        let scores = scores(py)?;
        let object = scores.as_any();
        assert_eq!(object.repr()?.to_str()?, "Scores(2 entries)");
        assert_eq!(object.str()?.to_str()?, "ada, bob");
        assert_eq!(object.to_string(), "ada, bob");
        assert_eq!(object.len()?, 2);
        scores.borrow_mut().entries.pop();
        assert_eq!(object.len()?, 1);
        assert_eq!(object.call_method0("__len__")?.extract::<usize>()?, 1);
        Ok(())
    })
}

/// `obj[key]` and `key in obj` run the class's slots; errors keep their class.
pub fn class_slots_getitem_contains<B: Backend>() {
    with_py::<B>(|py| {
        let scores = scores(py)?;
        let object = scores.as_any();
        assert_eq!(object.get_item("ada")?.extract::<i64>()?, 10);
        assert_raises(py, object.get_item("eve"), ExceptionKind::KeyError, "'eve'");
        assert_raises(
            py,
            object.get_item(3),
            ExceptionKind::TypeError,
            "Scores.__getitem__() argument 1: expected str, got int",
        );
        let contains = |name: &str| -> PyResult<bool, B> {
            object.call_method1("__contains__", (name,))?.extract()
        };
        assert!(contains("bob")?);
        assert!(!contains("eve")?);
        Ok(())
    })
}

/// `bool()`, `hash()` and iteration run the class's slots; an iterator class ends with
/// `StopIteration`.
pub fn class_slots_bool_hash_iter<B: Backend>() {
    with_py::<B>(|py| {
        let scores = scores(py)?;
        let object = scores.as_any();
        assert!(object.is_truthy()?);
        assert_eq!(object.hash()?, 1);
        let names: Vec<String> = object
            .iter()?
            .map(|name| name.and_then(|name| name.extract()))
            .collect::<PyResult<_, B>>()?;
        assert_eq!(names, ["ada", "bob"]);
        let iterator = object.iter()?.next().transpose()?.map(|_| ());
        assert!(iterator.is_some());
        let iterator = object.call_method0("__iter__")?;
        assert!(
            iterator.call_method0("__iter__")?.is(&iterator),
            "an iterator is its own"
        );
        scores.borrow_mut().entries.clear();
        assert!(!object.is_truthy()?);
        assert_eq!(object.hash()?, -2, "a hash of -1 becomes -2, as in CPython");
        assert_eq!(object.iter()?.count(), 0);
        Ok(())
    })
}

/// A value whose `__hash__` returns what a Rust `Hasher` gives (a `u64`), or a str.
struct Hashed {
    hash: u64,
}

impl<B: Backend> PyClass<B> for Hashed {
    const NAME: &'static str = "Hashed";

    fn define(class: &mut ClassBuilder<'_, Self, B>) -> PyResult<(), B> {
        class.slot(SlotKind::Hash, |this: &Hashed| this.hash)?;
        Ok(())
    }
}

struct BadHash;

impl<B: Backend> PyClass<B> for BadHash {
    const NAME: &'static str = "BadHash";

    fn define(class: &mut ClassBuilder<'_, Self, B>) -> PyResult<(), B> {
        class.slot(SlotKind::Hash, |_: &BadHash| "not a number")?;
        Ok(())
    }
}

/// `hash()` reads `__hash__`'s result as CPython reads a Python class's: an int past 64 bits
/// (a `u64` from a `Hasher`) is hashed as that int is, and a result that is not an int is a
/// `TypeError`.
pub fn class_slot_hash_takes_any_int<B: Backend>() {
    with_py::<B>(|py| {
        for hash in [7, u64::MAX, 1 << 63] {
            let object = Bound::new(py, Hashed { hash })?;
            let expected = hash.into_pyobject(py)?.hash()?;
            assert_eq!(object.as_any().hash()?, expected, "{hash}");
        }
        let bad = Bound::new(py, BadHash)?;
        assert_raises(
            py,
            bad.as_any().hash(),
            ExceptionKind::TypeError,
            "__hash__ method should return an integer",
        );
        Ok(())
    })
}

/// `obj[key] = value` and `__delitem__` run the class's slots; a value of the wrong type is a
/// `TypeError`.
pub fn class_slots_setitem_delitem<B: Backend>() {
    with_py::<B>(|py| {
        let scores = scores(py)?;
        let object = scores.as_any();
        object.set_item("eve", 3)?;
        object.set_item("ada", 11)?;
        assert_eq!(object.get_item("eve")?.extract::<i64>()?, 3);
        assert_eq!(scores.borrow().entries[0], ("ada".to_owned(), 11));
        assert_raises(
            py,
            object.set_item("eve", "x"),
            ExceptionKind::TypeError,
            "Scores.__setitem__() argument 2: expected int, got str",
        );
        object.call_method1("__delitem__", ("ada",))?;
        assert_eq!(object.len()?, 2);
        Ok(())
    })
}

/// Calling an instance runs its `Call` slot, with the argument checks of a method.
pub fn class_slot_call<B: Backend>() {
    with_py::<B>(|py| {
        let scores = scores(py)?;
        let object = scores.as_any();
        assert_eq!(object.call1((100,))?.extract::<i64>()?, 117);
        assert_raises(
            py,
            object.call0(),
            ExceptionKind::TypeError,
            "Scores.__call__() takes exactly one argument (0 given)",
        );
        assert_raises(
            py,
            object.call_method0("__call__"),
            ExceptionKind::TypeError,
            "Scores.__call__() takes exactly one argument (0 given)",
        );
        let kwargs = PyDict::new::<B>(py)?;
        kwargs.set_item("bonus", 1)?;
        assert_raises(
            py,
            object.call((), Some(&kwargs)),
            ExceptionKind::TypeError,
            "Scores.__call__() takes no keyword arguments",
        );
        Ok(())
    })
}

/// A version, ordered by its parts.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct Version(u32, u32);

impl<B: Backend> PyClass<B> for Version {
    const NAME: &'static str = "Version";
    const MODULE: &'static str = "shop";

    fn define(class: &mut ClassBuilder<'_, Self, B>) -> PyResult<(), B> {
        class.compare(|a: &Version, b: &Version, op: CompareOp| op.matches(a.cmp(b)))?;
        Ok(())
    }
}

/// Rich comparison runs the class's handler between its instances; against another type it
/// returns `NotImplemented`, so `==` falls back to identity and ordering is a `TypeError`
/// naming both types by `tp_name` (either way round); a class that compares without hashing is
/// unhashable.
pub fn class_rich_comparison<B: Backend>() {
    with_py::<B>(|py| {
        let (old, new) = (
            Bound::new(py, Version(1, 2))?,
            Bound::new(py, Version(1, 10))?,
        );
        let (old, new) = (old.as_any(), new.as_any());
        let same = Bound::new(py, Version(1, 2))?;
        assert!(old.lt(new)? && !new.lt(old)?);
        assert!(new.compare(old, CompareOp::Gt)? && old.compare(new, CompareOp::Le)?);
        assert!(old.eq(&same)? && !old.compare(&same, CompareOp::Ne)?);
        assert!(!old.eq(3)? && old.compare(3, CompareOp::Ne)?);
        assert!(old.eq(old)?, "identity when both decline");
        // CPython and the mock name the class by `tp_name` (`shop.Version`), PyPy by `__name__`.
        let err = old.lt(3).unwrap_err();
        let message = err.message(py);
        assert!(err.matches(py, ExceptionKind::TypeError), "{message}");
        assert!(
            message.starts_with("'<' not supported between instances of '")
                && message.ends_with("Version' and 'int'"),
            "{message}"
        );
        assert_raises(
            py,
            3.into_pyobject(py)?.compare(old, CompareOp::Ge),
            ExceptionKind::TypeError,
            "'>=' not supported between instances of 'int' and '",
        );
        assert_raises(
            py,
            old.hash(),
            ExceptionKind::TypeError,
            "unhashable type: '",
        );
        Ok(())
    })
}

/// A slot handler must take the slot's arguments: the wrong count is refused when the class
/// is defined.
pub fn class_slot_with_the_wrong_arity_is_refused<B: Backend>() {
    struct Wrong;
    impl<B: Backend> PyClass<B> for Wrong {
        const NAME: &'static str = "Wrong";
        fn define(class: &mut ClassBuilder<'_, Self, B>) -> PyResult<(), B> {
            class.slot(SlotKind::Len, |_: &Wrong, extra: i64| extra)?;
            Ok(())
        }
    }
    with_py::<B>(|py| {
        assert_raises(
            py,
            Bound::new(py, Wrong).map(drop),
            ExceptionKind::TypeError,
            "Wrong.__len__ takes 0 argument(s) besides the instance, the handler takes 1",
        );
        Ok(())
    })
}

#[doc(hidden)]
#[macro_export]
macro_rules! __suite_classes_protocols {
    ($backend:ty, $harness:expr) => {
        $crate::__conformance_emit!($backend, $harness;
            classes_protocols::class_slots_repr_str_len,
            classes_protocols::class_slots_getitem_contains,
            classes_protocols::class_slot_with_the_wrong_arity_is_refused,
            classes_protocols::class_slots_bool_hash_iter,
            classes_protocols::class_slot_hash_takes_any_int,
            classes_protocols::class_slots_setitem_delitem,
            classes_protocols::class_slot_call,
            classes_protocols::class_rich_comparison,
        );
    };
}
