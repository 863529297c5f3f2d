//! `PyTuple::new` and `PyList::new` from iterators: straight into the new container when the
//! length is known, through a buffer when not; a conversion that fails midway, or an iterator
//! whose `size_hint` lies, releases every item and leaves nothing half-built behind.

use std::panic::{catch_unwind, AssertUnwindSafe};

use anypy::exceptions::ValueError;
use anypy::types::{PyAny, PyDict, PyList, PyTuple};
use anypy::{Backend, Bound, ExceptionKind, IntoPyObject, PyErr, PyResult, Python};

use crate::support::{assert_raises, panic_text, with_py};

/// An item that converts to the object it holds, or fails with `ValueError`.
enum Item<'a, 'py, B: Backend> {
    Object(&'a Bound<'py, PyAny, B>),
    Fail,
}

impl<B: Backend> IntoPyObject<B> for Item<'_, '_, B> {
    fn into_pyobject<'py>(self, py: Python<'py, B>) -> PyResult<Bound<'py, PyAny, B>, B> {
        match self {
            Item::Object(object) => object.into_pyobject(py),
            Item::Fail => Err(PyErr::new::<ValueError, _>("this item does not convert")),
        }
    }
}

/// Yields `yields` copies of `object` while its `size_hint` claims exactly `claims`.
struct Lying<'a, 'py, B: Backend> {
    object: &'a Bound<'py, PyAny, B>,
    yields: usize,
    claims: usize,
}

impl<'a, 'py, B: Backend> Iterator for Lying<'a, 'py, B> {
    type Item = &'a Bound<'py, PyAny, B>;

    fn next(&mut self) -> Option<Self::Item> {
        self.yields = self.yields.checked_sub(1)?;
        Some(self.object)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.claims, Some(self.claims))
    }
}

/// Exact-length and unknown-length iterators give the same tuples and lists.
pub fn sequences_from_any_iterator<B: Backend>() {
    with_py::<B>(|py| {
        let exact = PyTuple::new(py, 0..4i64)?;
        let filtered = PyTuple::new(py, (0..8i64).filter(|n| n % 2 == 0))?;
        assert_eq!(exact.extract::<Vec<i64>>()?, [0, 1, 2, 3]);
        assert_eq!(filtered.extract::<Vec<i64>>()?, [0, 2, 4, 6]);
        let exact = PyList::new(py, ["a", "b"])?;
        let filtered = PyList::new(py, ["a", "", "b"].into_iter().filter(|s| !s.is_empty()))?;
        assert_eq!(exact.extract::<Vec<String>>()?, ["a", "b"]);
        assert_eq!(filtered.extract::<Vec<String>>()?, ["a", "b"]);
        assert!(PyTuple::new(py, std::iter::empty::<i64>())?.is_empty());
        assert!(PyList::new(py, (0..0i64).filter(|_| true))?.is_empty());
        Ok(())
    });
}

/// A conversion failing midway returns its error and releases the items made before it.
pub fn sequences_failed_conversion_release_items<B: Backend>() {
    with_py::<B>(|py| {
        let object = PyDict::new(py)?.into_any();
        let before = object.get_refcnt();
        let items = || [Item::Object(&object), Item::Object(&object), Item::Fail];
        let message = "this item does not convert";
        assert_raises(
            py,
            PyTuple::new(py, items()),
            ExceptionKind::ValueError,
            message,
        );
        assert_raises(
            py,
            PyList::new(py, items()),
            ExceptionKind::ValueError,
            message,
        );
        let unknown_length = || items().into_iter().filter(|_| true);
        assert_raises(
            py,
            PyTuple::new(py, unknown_length()),
            ExceptionKind::ValueError,
            message,
        );
        assert_raises(
            py,
            PyList::new(py, unknown_length()),
            ExceptionKind::ValueError,
            message,
        );
        py.collect_garbage()?;
        assert_eq!(
            object.get_refcnt(),
            before,
            "every converted item was released"
        );
        Ok(())
    });
}

/// An iterator yielding fewer or more items than its exact `size_hint` is a panic naming the
/// mismatch, after which every item is released and the interpreter is fine.
pub fn sequences_lying_size_hint_panics<B: Backend>() {
    with_py::<B>(|py| {
        let object = PyDict::new(py)?.into_any();
        let before = object.get_refcnt();
        for (yields, claims, expected) in [(1, 3, "fewer items"), (4, 2, "more items")] {
            let lying = || Lying {
                object: &object,
                yields,
                claims,
            };
            let tuple = catch_unwind(AssertUnwindSafe(|| PyTuple::new(py, lying()).map(drop)));
            let list = catch_unwind(AssertUnwindSafe(|| PyList::new(py, lying()).map(drop)));
            for outcome in [tuple, list] {
                let text = panic_text(&*outcome.expect_err("a lying size_hint panics"));
                assert!(
                    text.contains(expected),
                    "panic message {text:?} names {expected:?}"
                );
            }
        }
        py.collect_garbage()?;
        assert_eq!(object.get_refcnt(), before, "every item was released");
        assert_eq!(PyList::new(py, [1i64, 2])?.len(), 2, "still usable");
        Ok(())
    });
}

#[doc(hidden)]
#[macro_export]
macro_rules! __suite_building {
    ($backend:ty, $harness:expr) => {
        $crate::__conformance_emit!($backend, $harness;
            building::sequences_from_any_iterator,
            building::sequences_failed_conversion_release_items,
            building::sequences_lying_size_hint_panics,
        );
    };
}
