//! `LruCache`: a class defined in Rust — a fixed-capacity cache of Python objects by str key,
//! evicting the least recently used. Python code creates it (`LruCache(3)`,
//! `LruCache(capacity=3, label="x")`), calls its methods (builtin method descriptors, not Python
//! functions; `get` and `cache(..)` take keywords and defaults, `from_items` is a class method)
//! and may subclass it; the cycle collector sees the values it holds. A lookup that misses
//! raises the module's own `CacheMiss` (a `KeyError`).

use anypy::exceptions::{KeyError, StopIteration, ValueError};
use anypy::types::{PyAny, PyDict, PyType};
use anypy::{create_exception, Backend, Bound, ClassBuilder, ModuleBuilder, Py, PyClass, PyErr};
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
    /// A free-form name, a read-write property.
    label: String,
    entries: Vec<(String, Py<PyAny, B>)>,
    hits: u64,
    misses: u64,
}

anypy::function! {
    /// Whether a cache of that capacity can be made (a static method, keywords allowed).
    fn fits(capacity: i64, *, at_least: i64 = 1) -> bool {
        capacity >= at_least
    }
}

anypy::constructor! {
    /// A cache of at most `capacity` objects by str key.
    fn new_cache<B>(capacity: usize = 128, *, label: &str = "") -> PyResult<LruCache<B>, B> {
        let mut cache = LruCache::new(capacity)?;
        label.clone_into(&mut cache.label);
        Ok(cache)
    }
}

anypy::method! {
    /// The value under `key` (now the most recent), or `default`.
    fn get<'py, B>(this: &mut LruCache<B>, py: Python<'py, B>, key: String,
        default: Option<Py<PyAny, B>>) -> Option<Py<PyAny, B>> {
        this.get(py, key).or(default)
    }
}

anypy::method! {
    /// A cache of the class it is called through (a subclass too) holding `items` in order;
    /// `capacity` defaults to their number.
    fn from_items<'py, B>(cls: &Bound<'py, PyType, B>, items: &Bound<'py, PyDict, B>, *,
        capacity: Option<usize>) -> PyResult<Bound<'py, PyAny, B>, B> {
        let cache = cls.call1((capacity.unwrap_or(items.len().max(1)),))?;
        for (key, value) in items.iter() {
            cache.call_method1("put", (key, value))?;
        }
        Ok(cache)
    }
}

impl<B: Backend> LruCache<B> {
    fn new(capacity: usize) -> PyResult<Self, B> {
        if capacity == 0 {
            return Err(PyErr::new::<ValueError, _>("capacity must be at least 1"));
        }
        Ok(LruCache {
            capacity,
            label: String::new(),
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
            .constructor_fn(new_cache::constructor())?
            .subclassable()?
            .garbage_collected()?
            .constant("DEFAULT_CAPACITY", 128)?
            .static_function(fits::function())?
            .method_with_doc(
                "put",
                "put(key, value) -> str | None\n\nStore value; return the key evicted, if any.",
                Self::put,
            )?
            .method_fn(get::method())?
            .method_fn(from_items::method())?
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
            .getter("hits", |this: &Self| this.hits)?
            .property(
                "label",
                |this: &Self| this.label.clone(),
                |this: &mut Self, label: String| this.label = label,
            )?
            .slot(SlotKind::Len, |this: &Self| this.entries.len())?
            .slot(SlotKind::Contains, |this: &Self, key: String| {
                this.entries.iter().any(|(k, _)| *k == key)
            })?
            .slot(SlotKind::GetItem, Self::lookup)?
            // `cache(key, default=None)`: as `get`.
            .call_fn(get::method())?
            .slot(SlotKind::Iter, |this: &Self, py: Python<'_, B>| {
                let keys: Vec<String> = this.entries.iter().map(|(k, _)| k.clone()).collect();
                Py::new(
                    py,
                    CacheKeys {
                        keys: keys.into_iter(),
                    },
                )
            })?
            .slot(
                SlotKind::SetItem,
                |this: &mut Self, key: String, value: Py<PyAny, B>| {
                    this.put(key, value);
                },
            )?
            .slot(
                SlotKind::DelItem,
                |this: &mut Self, key: String| -> PyResult<(), B> {
                    let index = this.entries.iter().position(|(k, _)| *k == key);
                    let index = index.ok_or_else(|| CacheMiss::new_err(key))?;
                    this.entries.remove(index);
                    Ok(())
                },
            )?
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

/// An iterator over a cache's keys, from least to most recently used (taken when it is made).
pub(crate) struct CacheKeys {
    keys: std::vec::IntoIter<String>,
}

impl<B: Backend> PyClass<B> for CacheKeys {
    const NAME: &'static str = "CacheKeys";
    const MODULE: &'static str = "anypy_demo";

    fn define(class: &mut ClassBuilder<'_, Self, B>) -> PyResult<(), B> {
        class
            .slot(SlotKind::Next, |this: &mut Self| -> PyResult<String, B> {
                this.keys
                    .next()
                    .ok_or_else(|| PyErr::new::<StopIteration, _>(""))
            })?
            // An iterator is its own iterator: the method takes the instance itself.
            .slot(SlotKind::Iter, |this: &Bound<'_, Self, B>| {
                this.clone().unbind()
            })?;
        Ok(())
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
                "LruCache.__new__() argument 'capacity': can't convert negative int to unsigned",
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

    /// The keyword path of a class method, a constructor and a method (keywords matched, a
    /// default applied, the class called back, items put): each allocation it makes fails in
    /// turn, with a clean `MemoryError` and nothing leaked (`with_demo` checks the scope).
    #[test]
    fn keyword_calls_fail_cleanly_at_every_allocation() {
        fn run<'py>(
            py: anypy::Python<'py, Mock>,
            module: &Bound<'py, anypy::types::PyModule, Mock>,
        ) -> anypy::PyResult<Option<i64>, Mock> {
            let items = anypy::types::PyDict::new(py)?;
            items.set_item("a", 1)?;
            let capacity = anypy::types::PyDict::new(py)?;
            capacity.set_item("capacity", 2)?;
            let class = module.getattr("LruCache")?;
            let cache = class
                .getattr("from_items")?
                .call((&items,), Some(&capacity))?;
            let default = anypy::types::PyDict::new(py)?;
            default.set_item("default", 7)?;
            cache
                .getattr("get")?
                .call(("zz",), Some(&default))?
                .extract()
        }
        let needed = with_demo(|py, module| {
            let start = Mock::allocations();
            assert_eq!(run(py, module).unwrap(), Some(7));
            Mock::allocations() - start
        });
        assert!(needed >= 8, "counted {needed}");
        for failing in 1..=needed as usize {
            with_demo(|py, module| {
                let _fault = Mock::fail_allocation(failing, ExceptionKind::MemoryError);
                let err = run(py, module).expect_err("an allocation was made to fail");
                assert!(
                    err.matches(py, ExceptionKind::MemoryError),
                    "allocation {failing}: {err}"
                );
            });
        }
    }

    impl<B: anypy::Backend> LruCache<B> {
        fn clear_for_test(&mut self) {
            self.entries.clear();
        }
    }
}
