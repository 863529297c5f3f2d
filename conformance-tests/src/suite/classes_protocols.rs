//! Protocol slots of Rust classes: `repr()`, `str()`, `len()`, `in` and `obj[key]` run the
//! class's Rust functions, which Python code also sees as `__repr__`, `__len__`, ...

use anypy::exceptions::KeyError;
use anypy::{Backend, Bound, ClassBuilder, ExceptionKind, PyClass, PyErr, PyResult, SlotKind};

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
            .slot(SlotKind::GetItem, score::<B>)?;
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
        );
    };
}
