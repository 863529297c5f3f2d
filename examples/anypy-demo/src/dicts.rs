//! Dicts: `word_counts` builds one with the `Bound<PyDict>` API (first-seen order, as
//! `collections.Counter`); `invert` swaps keys and values of any dict.

use anypy::types::PyDict;
use anypy::{Backend, Bound, ModuleBuilder, Py, PyResult};

pub(crate) fn register<B: Backend>(m: &ModuleBuilder<'_, B>) -> PyResult<(), B> {
    m.add_function(word_counts::function())?;
    m.add_function(invert::function())?;
    Ok(())
}

anypy::function! {
    /// Return {word: count} for the whitespace-separated words of text, in order of first
    /// appearance.
    fn word_counts<B>(py: Python<'_, B>, text: &str) -> PyResult<Py<PyDict, B>, B> {
        let counts = PyDict::new(py)?;
        for word in text.split_whitespace() {
            let seen: u64 = match counts.get_item(word)? {
                Some(count) => count.extract()?,
                None => 0,
            };
            counts.set_item(word, seen + 1)?;
        }
        Ok(counts.unbind())
    }
}

anypy::function! {
    /// Return {value: key for key, value in d.items()} (TypeError if a value is unhashable).
    /// `d` is borrowed from the caller: no reference is taken.
    fn invert<'py, B>(py: Python<'py, B>, d: &Bound<'py, PyDict, B>) -> PyResult<Bound<'py, PyDict, B>, B> {
        let inverted = PyDict::new(py)?;
        for (key, value) in d.iter() {
            inverted.set_item(value, key)?;
        }
        Ok(inverted)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use anypy::types::PyDict;
    use anypy::ExceptionKind::{MemoryError, TypeError};
    use anypy_mock::Mock;

    use crate::testing::{assert_raises, call, call_as, with_demo};

    #[test]
    fn word_counts_in_first_seen_order() {
        with_demo(|_py, m| {
            let counts = call(m, "word_counts", ("the cat saw the  dog\nthe end",)).unwrap();
            let counts = counts.downcast::<PyDict>().unwrap();
            let pairs: Vec<(String, u64)> = counts
                .iter()
                .map(|(k, v)| (k.extract().unwrap(), v.extract().unwrap()))
                .collect();
            let expected = [("the", 3), ("cat", 1), ("saw", 1), ("dog", 1), ("end", 1)];
            assert_eq!(pairs, expected.map(|(word, n)| (word.to_owned(), n)));
            assert!(call_as::<HashMap<String, u64>>(m, "word_counts", ("  ",)).is_empty());
        });
    }

    /// Each allocation `word_counts` makes fails in turn: a clean `MemoryError`, no leak.
    #[test]
    fn word_counts_fails_cleanly_at_every_allocation() {
        let needed = with_demo(|_py, m| {
            let function = m.getattr("word_counts").unwrap();
            let start = Mock::allocations();
            drop(function.call1(("a b a",)).unwrap());
            Mock::allocations() - start
        });
        assert!(needed >= 4, "a dict, words and counts: counted {needed}");
        for failing in 1..=needed as usize {
            with_demo(|py, m| {
                let function = m.getattr("word_counts").unwrap();
                let _fault = Mock::fail_allocation(failing, MemoryError);
                let err = function
                    .call1(("a b a",))
                    .expect_err("an allocation was made to fail");
                assert!(err.matches(py, MemoryError), "allocation {failing}: {err}");
            });
        }
    }

    #[test]
    fn invert_swaps_keys_and_values() {
        with_demo(|py, m| {
            let d = PyDict::new(py).unwrap();
            d.set_item("one", 1).unwrap();
            d.set_item(2, "two").unwrap();
            let inverted = call(m, "invert", (&d,)).unwrap();
            let inverted = inverted.downcast::<PyDict>().unwrap();
            assert_eq!(inverted.len(), 2);
            assert_eq!(inverted.get_item(1).unwrap().unwrap().to_string(), "one");
            assert_eq!(inverted.get_item("two").unwrap().unwrap().to_string(), "2");
            assert_eq!(d.len(), 2, "the argument is left as it was");

            d.set_item("list", vec![1]).unwrap();
            assert_raises(
                py,
                call(m, "invert", (&d,)),
                TypeError,
                "unhashable type: 'list'",
            );
            assert_raises(
                py,
                call(m, "invert", (vec![1],)),
                TypeError,
                "invert() argument 'd': expected dict, got list",
            );
        });
    }

    /// The argument dict's count is the same after the call as before.
    #[test]
    fn invert_keeps_no_reference_to_its_argument() {
        with_demo(|py, m| {
            let d = PyDict::new(py).unwrap();
            d.set_item("k", "v").unwrap();
            let before = d.get_refcnt();
            for _ in 0..10 {
                drop(call(m, "invert", (&d,)).unwrap());
            }
            assert_eq!(d.get_refcnt(), before);
        });
    }
}
