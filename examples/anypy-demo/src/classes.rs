//! `LruCache`: a class defined in Rust — a fixed-capacity cache of Python objects by str key,
//! evicting the least recently used. Python code creates it (`LruCache(3)`), calls its methods
//! (builtin method descriptors, not Python functions) and may subclass it; the cycle collector
//! sees the values it holds. A lookup that misses raises the module's own `CacheMiss` (a
//! `KeyError`).

use anypy::exceptions::{KeyError, ValueError};
use anypy::types::PyAny;
use anypy::{create_exception, Backend, ClassBuilder, ModuleBuilder, Py, PyClass, PyErr};
use anypy::{PyResult, PyTraverseError, PyVisit, Python, SlotKind};

create_exception!(
    anypy_demo,
    CacheMiss,
    KeyError,
    "A key is not in the cache."
);

/// The cache: entries from least to most recently used.
pub(crate) struct LruCache<B: Backend> {
    capacity: usize,
    entries: Vec<(String, Py<PyAny, B>)>,
    hits: u64,
    misses: u64,
}

impl<B: Backend> LruCache<B> {
    fn new(capacity: usize) -> PyResult<Self, B> {
        if capacity == 0 {
            return Err(PyErr::new::<ValueError, _>("capacity must be at least 1"));
        }
        Ok(LruCache {
            capacity,
            entries: Vec::with_capacity(capacity),
            hits: 0,
            misses: 0,
        })
    }

    /// Moves `key`'s entry to the most recent end; its new index, or `None` if absent.
    fn touch(&mut self, key: &str) -> Option<usize> {
        let index = self.entries.iter().position(|(k, _)| k == key)?;
        let entry = self.entries.remove(index);
        self.entries.push(entry);
        Some(self.entries.len() - 1)
    }

    /// Stores `value` under `key`; returns the key evicted to make room, if any.
    fn put(&mut self, key: String, value: Py<PyAny, B>) -> Option<String> {
        if let Some(index) = self.touch(&key) {
            self.entries[index].1 = value;
            return None;
        }
        let evicted = (self.entries.len() == self.capacity).then(|| self.entries.remove(0).0);
        self.entries.push((key, value));
        evicted
    }

    /// The value under `key` (now the most recent), or `None`.
    fn get(&mut self, py: Python<'_, B>, key: String) -> Option<Py<PyAny, B>> {
        match self.touch(&key) {
            Some(index) => {
                self.hits += 1;
                Some(self.entries[index].1.clone_ref(py))
            }
            None => {
                self.misses += 1;
                None
            }
        }
    }

    /// Like `get`, raising `CacheMiss` when absent.
    fn lookup(&mut self, py: Python<'_, B>, key: String) -> PyResult<Py<PyAny, B>, B> {
        self.get(py, key.clone())
            .ok_or_else(|| CacheMiss::new_err(key))
    }
}

impl<B: Backend> PyClass<B> for LruCache<B> {
    const NAME: &'static str = "LruCache";
    const MODULE: &'static str = "anypy_demo";

    fn define(class: &mut ClassBuilder<'_, Self, B>) -> PyResult<(), B> {
        class
            .doc("LruCache(capacity)\n\nA cache of at most `capacity` objects by str key.")?
            .constructor(Self::new)?
            .subclassable()?
            .garbage_collected()?
            .method_with_doc(
                "put",
                "put(key, value) -> str | None\n\nStore value; return the key evicted, if any.",
                Self::put,
            )?
            .method_with_doc(
                "get",
                "get(key) -> object | None\n\nThe value under key, or None.",
                Self::get,
            )?
            .method_with_doc(
                "lookup",
                "lookup(key) -> object\n\nThe value under key; CacheMiss if absent.",
                Self::lookup,
            )?
            .method("keys", |this: &Self| -> Vec<String> {
                this.entries.iter().map(|(key, _)| key.clone()).collect()
            })?
            .method("size", |this: &Self| this.entries.len())?
            .method("capacity", |this: &Self| this.capacity)?
            .method("stats", |this: &Self| (this.hits, this.misses))?
            .method("clear", |this: &mut Self| this.entries.clear())?
            .slot(SlotKind::Len, |this: &Self| this.entries.len())?
            .slot(SlotKind::Contains, |this: &Self, key: String| {
                this.entries.iter().any(|(k, _)| *k == key)
            })?
            .slot(SlotKind::GetItem, Self::lookup)?
            .slot(SlotKind::Repr, |this: &Self| {
                format!(
                    "LruCache(capacity={}, size={})",
                    this.capacity,
                    this.entries.len()
                )
            })?;
        Ok(())
    }

    fn traverse(&self, visit: &mut PyVisit<'_, B>) -> Result<(), PyTraverseError> {
        self.entries
            .iter()
            .try_for_each(|(_, value)| visit.call(value))
    }

    fn clear(&mut self) {
        self.entries.clear();
    }
}

pub(crate) fn register<B: Backend>(m: &ModuleBuilder<'_, B>) -> PyResult<(), B> {
    m.class::<LruCache<B>>()?.exception::<CacheMiss>()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use anypy::exceptions::KeyError;
    use anypy::{Bound, ExceptionKind};
    use anypy_mock::Mock;

    use super::{CacheMiss, LruCache};
    use crate::testing::{assert_raises, with_demo};

    #[test]
    fn python_code_creates_and_uses_the_cache() {
        with_demo(|py, module| {
            let cache = module.getattr("LruCache").unwrap().call1((2,)).unwrap();
            assert!(cache.call_method1("put", ("a", 1)).unwrap().is_none());
            cache.call_method1("put", ("b", vec![2])).unwrap();
            assert_eq!(
                cache
                    .call_method1("get", ("a",))
                    .unwrap()
                    .extract::<i64>()
                    .unwrap(),
                1
            );
            let evicted = cache.call_method1("put", ("c", 3)).unwrap();
            assert_eq!(
                evicted.extract::<String>().unwrap(),
                "b",
                "b was least recently used"
            );
            let keys: Vec<String> = cache.call_method0("keys").unwrap().extract().unwrap();
            assert_eq!(keys, ["a", "c"]);
            assert!(cache.call_method1("get", ("b",)).unwrap().is_none());
            let stats: (u64, u64) = cache.call_method0("stats").unwrap().extract().unwrap();
            assert_eq!(stats, (1, 1));
            let err = cache.call_method1("lookup", ("zz",)).unwrap_err();
            assert!(err.is_instance_of::<CacheMiss>(py) && err.is_instance_of::<KeyError>(py));
            assert_eq!(err.to_string(), "CacheMiss: 'zz'");
        });
    }

    #[test]
    fn bad_capacities_are_refused() {
        with_demo(|py, module| {
            let class = module.getattr("LruCache").unwrap();
            assert_raises(
                py,
                class.call1((0,)),
                ExceptionKind::ValueError,
                "capacity must be at least 1",
            );
            assert_raises(
                py,
                class.call1((-1,)),
                ExceptionKind::OverflowError,
                "LruCache() argument 1: can't convert negative int to unsigned",
            );
        });
    }

    #[test]
    fn rust_code_reaches_the_same_cache() {
        with_demo(|py, _module| {
            let cache = Bound::<LruCache<Mock>, Mock>::new(py, LruCache::new(1).unwrap()).unwrap();
            cache.as_any().call_method1("put", ("k", "v")).unwrap();
            assert_eq!(cache.borrow().entries.len(), 1);
            cache.borrow_mut().clear_for_test();
            assert_eq!(
                cache
                    .as_any()
                    .call_method0("size")
                    .unwrap()
                    .extract::<usize>()
                    .unwrap(),
                0
            );
        });
    }

    impl<B: anypy::Backend> LruCache<B> {
        fn clear_for_test(&mut self) {
            self.entries.clear();
        }
    }
}
