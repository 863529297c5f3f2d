//! Binding code as users write it: build a Python dict mapping each word to the list of
//! positions where it occurs, and read it back. Generic over the backend, so its ownership
//! logic is tested here on the mock — leaks, double releases, failing allocations — with no
//! Python installed, and the same code runs on CPython and PyPy.

use anypy::types::{PyDict, PyList};
use anypy::{Backend, Bound, PyResult, Python};

/// `{word: [position, ...]}` for the whitespace-separated words of `text`.
pub fn word_index<'py, B: Backend>(
    py: Python<'py, B>,
    text: &str,
) -> PyResult<Bound<'py, PyDict, B>, B> {
    let index = PyDict::new(py)?;
    for (position, word) in text.split_whitespace().enumerate() {
        match index.get_item(word)? {
            Some(positions) => positions.downcast::<PyList>()?.append(position)?,
            None => index.set_item(word, PyList::new(py, [position])?)?,
        }
    }
    Ok(index)
}

/// The positions of `word`, empty when it does not occur.
pub fn positions_of<B: Backend>(
    index: &Bound<'_, PyDict, B>,
    word: &str,
) -> PyResult<Vec<usize>, B> {
    match index.get_item(word)? {
        Some(positions) => positions.extract(),
        None => Ok(Vec::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use anypy::ExceptionKind;
    use anypy_mock::{Mock, MockRefcountObserver};

    /// Every object the function makes is released: the leak check would name any survivor.
    #[test]
    fn builds_the_index_without_leaking() {
        Mock::leak_check(|| {
            Python::<Mock>::with_gil(|py| {
                let index = word_index(py, "to be or not to be").unwrap();
                assert_eq!(positions_of(&index, "be").unwrap(), vec![1, 5]);
                assert_eq!(positions_of(&index, "not").unwrap(), vec![3]);
                assert!(positions_of(&index, "missing").unwrap().is_empty());
            })
        });
    }

    /// Make each allocation fail in turn: every failure is a clean `MemoryError` and nothing
    /// made before the failure is left behind.
    #[test]
    fn every_allocation_failure_is_clean() {
        let text = "a b a c b a";
        let needed = Mock::leak_check(|| {
            let start = Mock::allocations();
            Python::<Mock>::with_gil(|py| drop(word_index(py, text).unwrap()));
            Mock::allocations() - start
        });
        assert!(
            needed > 5,
            "the index needs several allocations, counted {needed}"
        );
        for failing in 1..=needed as usize {
            Mock::leak_check(|| {
                let _fault = Mock::fail_allocation(failing, ExceptionKind::MemoryError);
                Python::<Mock>::with_gil(|py| {
                    let err = word_index(py, text).expect_err("an allocation was made to fail");
                    assert!(
                        err.matches(py, ExceptionKind::MemoryError),
                        "allocation {failing}: {err}"
                    );
                });
            });
        }
    }

    /// With a mockall observer: reading positions increfs and decrefs the list exactly once
    /// each — `get_item` makes one owned reference and nothing else touches the count.
    #[test]
    fn reading_touches_the_list_count_once() {
        Mock::leak_check(|| {
            Python::<Mock>::with_gil(|py| {
                let index = word_index(py, "x y x").unwrap();
                let list = index.get_item("x").unwrap().unwrap();
                let list_id = Mock::object_id(list.as_ptr());
                drop(list);
                let mut observer = MockRefcountObserver::new();
                observer
                    .expect_on_incref()
                    .withf(move |id, _, _| *id == list_id)
                    .times(1)
                    .return_const(());
                observer
                    .expect_on_decref()
                    .withf(move |id, _, _| *id == list_id)
                    .times(1)
                    .return_const(());
                observer
                    .expect_on_incref()
                    .withf(move |id, _, _| *id != list_id)
                    .return_const(());
                observer
                    .expect_on_decref()
                    .withf(move |id, _, _| *id != list_id)
                    .return_const(());
                observer.expect_on_alloc().return_const(());
                observer.expect_on_free().return_const(());
                let _watching = Mock::observe(Box::new(observer));
                assert_eq!(positions_of(&index, "x").unwrap(), vec![0, 2]);
            })
        });
    }

    /// The mock catches the classic bug: releasing a reference that was only borrowed.
    #[test]
    #[should_panic(expected = "refcount underflow")]
    fn a_double_release_is_caught() {
        Python::<Mock>::with_gil(|py| {
            let index = word_index(py, "once").unwrap();
            let raw = index.as_ptr();
            drop(index);
            // The bug under test: releasing a reference this code no longer owns.
            // SAFETY: not sound — the mock turns it into a clear panic instead of a crash.
            unsafe { <Mock as Backend>::decref(raw) };
        });
    }
}
