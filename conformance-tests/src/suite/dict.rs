//! `dict`: the `PyDict` methods, insertion-ordered iteration, key equality across numeric types,
//! `HashMap`/`BTreeMap` conversions, and the references a dict holds.

use std::collections::{BTreeMap, HashMap};

use anypy::types::{PyAny, PyDict, PyList};
use anypy::{Backend, Bound, ExceptionKind, IntoPyObject, PyResult, Python};

use crate::support::{assert_raises, panic_text, with_py};

/// The keys of `dict` as Rust strings, in iteration order.
fn string_keys<B: Backend>(dict: &Bound<'_, PyDict, B>) -> PyResult<Vec<String>, B> {
    dict.keys().map(|key| key.extract()).collect()
}

/// A fresh object nobody else refers to, for refcount deltas.
fn fresh<'py, B: Backend>(py: Python<'py, B>) -> PyResult<Bound<'py, PyAny, B>, B> {
    Ok(PyList::empty(py)?.into_any())
}

/// A new dict is empty.
pub fn dict_new_is_empty<B: Backend>() {
    with_py::<B>(|py| {
        let dict = PyDict::new(py)?;
        assert_eq!(dict.type_name(), "dict");
        assert!(dict.is_instance_of::<PyDict>());
        assert_eq!(dict.len(), 0);
        assert!(dict.is_empty());
        assert_eq!(dict.iter().count(), 0);
        assert!(!dict.is_truthy()?);
        assert!(!PyDict::new(py)?.is(&dict), "each call makes a new dict");
        Ok(())
    });
}

/// `set_item` then `get_item` reads the value back; `contains` and `len` follow.
pub fn dict_set_get_contains<B: Backend>() {
    with_py::<B>(|py| {
        let dict = PyDict::new(py)?;
        dict.set_item("a", 1i64)?;
        dict.set_item(2i64, "two")?;
        dict.set_item((1i64, "t"), 2.5f64)?;
        assert_eq!(dict.len(), 3);
        assert!(!dict.is_empty());
        assert_eq!(dict.get_item("a")?.expect("a").extract::<i64>()?, 1);
        assert_eq!(dict.get_item(2i64)?.expect("2").extract::<String>()?, "two");
        assert_eq!(
            dict.get_item((1i64, "t"))?
                .expect("tuple key")
                .extract::<f64>()?,
            2.5
        );
        assert!(dict.contains("a")?);
        assert!(dict.contains(2i64)?);
        assert!(!dict.contains("b")?);
        assert!(!dict.contains("2")?, "the str '2' is not the int 2");
        Ok(())
    });
}

/// `get_item` of a missing key is `Ok(None)`, not an error.
pub fn dict_get_missing_is_none<B: Backend>() {
    with_py::<B>(|py| {
        let dict = PyDict::new(py)?;
        assert!(dict.get_item("missing")?.is_none());
        dict.set_item("present", ())?;
        let present = dict
            .get_item("present")?
            .expect("a None value is still present");
        assert!(present.is_none());
        assert!(dict.get_item("missing")?.is_none());
        assert!(dict.get_item(0i64)?.is_none());
        Ok(())
    });
}

/// `del_item` removes an entry; deleting a missing key is a `KeyError`.
pub fn dict_del_item<B: Backend>() {
    with_py::<B>(|py| {
        let dict = PyDict::new(py)?;
        dict.set_item("a", 1i64)?;
        dict.set_item("b", 2i64)?;
        dict.del_item("a")?;
        assert_eq!(dict.len(), 1);
        assert!(!dict.contains("a")?);
        assert!(dict.get_item("a")?.is_none());
        assert_raises(py, dict.del_item("a"), ExceptionKind::KeyError, "");
        assert_raises(py, dict.del_item("never"), ExceptionKind::KeyError, "");
        assert_eq!(dict.len(), 1);
        assert_eq!(string_keys(&dict)?, ["b"]);
        Ok(())
    });
}

/// An unhashable key (a list, a dict) is a `TypeError` for set, get, contains and del.
pub fn dict_unhashable_key<B: Backend>() {
    with_py::<B>(|py| {
        let dict = PyDict::new(py)?;
        let key = PyList::new(py, [1i64])?;
        assert_raises(py, dict.set_item(&key, 1i64), ExceptionKind::TypeError, "");
        assert_raises(py, dict.get_item(&key), ExceptionKind::TypeError, "");
        assert_raises(py, dict.contains(&key), ExceptionKind::TypeError, "");
        assert_raises(py, dict.del_item(&key), ExceptionKind::TypeError, "");
        assert_raises(
            py,
            dict.set_item(PyDict::new(py)?, 1i64),
            ExceptionKind::TypeError,
            "",
        );
        assert!(dict.is_empty());
        Ok(())
    });
}

/// `iter`, `keys`, `values` and `items` follow insertion order.
pub fn dict_insertion_order<B: Backend>() {
    with_py::<B>(|py| {
        let dict = PyDict::new(py)?;
        for (key, value) in [("c", 3i64), ("a", 1), ("b", 2), ("z", 26), ("m", 13)] {
            dict.set_item(key, value)?;
        }
        assert_eq!(string_keys(&dict)?, ["c", "a", "b", "z", "m"]);
        let values: Vec<i64> = dict
            .values()
            .map(|v| v.extract())
            .collect::<PyResult<_, B>>()?;
        assert_eq!(values, [3, 1, 2, 26, 13]);
        let items: Vec<(String, i64)> = dict
            .items()
            .map(|(k, v)| Ok((k.extract()?, v.extract()?)))
            .collect::<PyResult<_, B>>()?;
        assert_eq!(items[0], ("c".to_owned(), 3));
        assert_eq!(items[4], ("m".to_owned(), 13));
        let pairs: Vec<(String, i64)> = dict
            .iter()
            .map(|(k, v)| Ok((k.extract()?, v.extract()?)))
            .collect::<PyResult<_, B>>()?;
        assert_eq!(pairs, items);
        // Deleting and re-inserting moves a key to the end; overwriting does not.
        dict.del_item("a")?;
        dict.set_item("a", 1i64)?;
        dict.set_item("c", 30i64)?;
        assert_eq!(string_keys(&dict)?, ["c", "b", "z", "m", "a"]);
        Ok(())
    });
}

/// `1`, `1.0` and `True` are equal and hash equal, so they are one key; the first key stays.
pub fn dict_numeric_keys_coincide<B: Backend>() {
    with_py::<B>(|py| {
        let dict = PyDict::new(py)?;
        dict.set_item(1i64, "int")?;
        dict.set_item(1.0f64, "float")?;
        dict.set_item(true, "bool")?;
        assert_eq!(dict.len(), 1);
        let (key, value) = dict.iter().next().expect("one entry");
        assert_eq!(key.type_name(), "int", "the original key object is kept");
        assert_eq!(value.extract::<String>()?, "bool");
        assert_eq!(
            dict.get_item(1.0f64)?.expect("1.0").extract::<String>()?,
            "bool"
        );
        assert!(dict.contains(true)?);
        assert!(!dict.contains(2i64)?);
        dict.del_item(1.0f64)?;
        assert!(dict.is_empty());
        Ok(())
    });
}

/// Overwriting a key replaces the value and keeps the length.
pub fn dict_overwrite_keeps_len<B: Backend>() {
    with_py::<B>(|py| {
        let dict = PyDict::new(py)?;
        dict.set_item("k", 1i64)?;
        dict.set_item("other", 0i64)?;
        dict.set_item("k", "replaced")?;
        assert_eq!(dict.len(), 2);
        assert_eq!(
            dict.get_item("k")?.expect("k").extract::<String>()?,
            "replaced"
        );
        Ok(())
    });
}

/// A dict keeps its keys and values alive, `get_item` hands a value back with exactly one new
/// reference, and `del_item` gives back what the dict held. (PyPy's dicts hold PyPy references,
/// which do not show in the count, so only what comes back is compared.)
pub fn dict_refcounts_set_and_del<B: Backend>() {
    with_py::<B>(|py| {
        let dict = PyDict::new(py)?;
        let key = py.to_object("anypy-unique-key-7f3a9c")?;
        let value = fresh(py)?;
        let (key_before, value_before) = (key.get_refcnt(), value.get_refcnt());
        dict.set_item(&key, &value)?;
        let held = value.get_refcnt();
        let read = dict.get_item(&key)?.expect("present");
        assert!(read.is(&value));
        assert_eq!(value.get_refcnt(), held + 1);
        drop(read);
        assert_eq!(value.get_refcnt(), held);
        dict.set_item("only_here", PyList::new(py, [7])?)?;
        let kept = dict.get_item("only_here")?.expect("present");
        assert_eq!(kept.extract::<Vec<i64>>()?, [7]);
        dict.del_item(&key)?;
        assert_eq!(key.get_refcnt(), key_before);
        assert_eq!(value.get_refcnt(), value_before);
        Ok(())
    });
}

/// Overwriting releases the old value; iterating hands out one reference per value; freeing the
/// dict (once collected) releases everything it held.
pub fn dict_refcounts_overwrite_and_drop<B: Backend>() {
    with_py::<B>(|py| {
        let dict = PyDict::new(py)?;
        let first = fresh(py)?;
        let second = fresh(py)?;
        let (first_before, second_before) = (first.get_refcnt(), second.get_refcnt());
        dict.set_item("k", &first)?;
        dict.set_item("k", &second)?;
        assert_eq!(first.get_refcnt(), first_before);
        dict.set_item("k2", &first)?;
        let held = first.get_refcnt();
        let iterated: Vec<_> = dict.values().collect();
        assert_eq!(iterated.len(), 2);
        assert_eq!(first.get_refcnt(), held + 1);
        drop(iterated);
        assert_eq!(first.get_refcnt(), held);
        drop(dict);
        py.collect_garbage()?;
        assert_eq!(first.get_refcnt(), first_before);
        assert_eq!(second.get_refcnt(), second_before);
        Ok(())
    });
}

/// `HashMap<String, i64>` both ways.
pub fn map_hashmap_roundtrip<B: Backend>() {
    with_py::<B>(|py| {
        let map: HashMap<String, i64> = [("one", 1), ("two", 2), ("big", 1_000_001), ("neg", -5)]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
        let obj = map.clone().into_pyobject(py)?;
        assert_eq!(obj.type_name(), "dict");
        assert_eq!(obj.len()?, 4);
        let dict = obj.downcast::<PyDict>()?;
        assert_eq!(
            dict.get_item("big")?.expect("big").extract::<i64>()?,
            1_000_001
        );
        assert_eq!(obj.extract::<HashMap<String, i64>>()?, map);
        let empty = HashMap::<String, i64>::new().into_pyobject(py)?;
        assert_eq!(empty.len()?, 0);
        assert!(empty.extract::<HashMap<String, i64>>()?.is_empty());
        Ok(())
    });
}

/// `BTreeMap` becomes a dict in key order and reads back.
pub fn map_btreemap_roundtrip<B: Backend>() {
    with_py::<B>(|py| {
        let map: BTreeMap<i64, String> = [(3, "c"), (1, "a"), (2, "b")]
            .into_iter()
            .map(|(k, v)| (k, v.to_owned()))
            .collect();
        let obj = map.clone().into_pyobject(py)?;
        let dict = obj.downcast::<PyDict>()?;
        let keys: Vec<i64> = dict
            .keys()
            .map(|k| k.extract())
            .collect::<PyResult<_, B>>()?;
        assert_eq!(keys, [1, 2, 3]);
        assert_eq!(obj.extract::<BTreeMap<i64, String>>()?, map);
        // A dict built in another order reads into the same sorted map.
        let other = PyDict::new(py)?;
        other.set_item(2i64, "b")?;
        other.set_item(3i64, "c")?;
        other.set_item(1i64, "a")?;
        assert_eq!(other.extract::<BTreeMap<i64, String>>()?, map);
        Ok(())
    });
}

/// Maps of maps and maps of vectors nest as dicts of dicts and dicts of lists.
pub fn map_nested<B: Backend>() {
    with_py::<B>(|py| {
        let mut inner = BTreeMap::new();
        inner.insert("x".to_owned(), vec![1i64, 2]);
        inner.insert("y".to_owned(), vec![]);
        let mut outer = HashMap::new();
        outer.insert("first".to_owned(), inner.clone());
        outer.insert("second".to_owned(), BTreeMap::new());
        let obj = outer.clone().into_pyobject(py)?;
        let first = obj.get_item("first")?;
        assert_eq!(first.type_name(), "dict");
        assert_eq!(first.get_item("x")?.type_name(), "list");
        assert_eq!(first.get_item("x")?.extract::<Vec<i64>>()?, vec![1, 2]);
        let back: HashMap<String, BTreeMap<String, Vec<i64>>> = obj.extract()?;
        assert_eq!(back, outer);
        // Built by hand from Python objects, read through nested extraction.
        let dict = PyDict::new(py)?;
        let sub = PyDict::new(py)?;
        sub.set_item("n", 5i64)?;
        dict.set_item("sub", &sub)?;
        let read: HashMap<String, HashMap<String, i64>> = dict.extract()?;
        assert_eq!(read["sub"]["n"], 5);
        Ok(())
    });
}

/// Extracting a map from a non-dict, or with wrongly typed keys or values, is a `TypeError`.
pub fn map_type_errors<B: Backend>() {
    with_py::<B>(|py| {
        let list = PyList::new(py, [(1i64, 2i64)])?;
        assert_raises(
            py,
            list.extract::<HashMap<i64, i64>>(),
            ExceptionKind::TypeError,
            "expected dict, got list",
        );
        let number = py.to_object(5i64)?;
        assert_raises(
            py,
            number.extract::<BTreeMap<i64, i64>>(),
            ExceptionKind::TypeError,
            "expected dict, got int",
        );
        let dict = PyDict::new(py)?;
        dict.set_item("a", "not a number")?;
        assert_raises(
            py,
            dict.extract::<HashMap<String, i64>>(),
            ExceptionKind::TypeError,
            "expected int, got str",
        );
        assert_raises(
            py,
            dict.extract::<HashMap<i64, String>>(),
            ExceptionKind::TypeError,
            "expected int, got str",
        );
        Ok(())
    });
}

/// The dict protocol through `Bound<PyAny>`: `obj[key]`, `obj[key] = v`, `len`, `iter`.
pub fn dict_through_object_protocol<B: Backend>() {
    with_py::<B>(|py| {
        let dict = PyDict::new(py)?;
        let obj = dict.as_any();
        obj.set_item("k", 10i64)?;
        assert_eq!(dict.len(), 1);
        assert_eq!(obj.get_item("k")?.extract::<i64>()?, 10);
        assert_raises(py, obj.get_item("missing"), ExceptionKind::KeyError, "");
        assert_eq!(obj.len()?, 1);
        dict.set_item("j", 11i64)?;
        let keys: Vec<String> = obj
            .iter()?
            .map(|k| k?.extract())
            .collect::<PyResult<_, B>>()?;
        assert_eq!(keys, ["k", "j"]);
        Ok(())
    });
}

/// Python's dict methods agree with the Rust API.
pub fn dict_python_methods<B: Backend>() {
    with_py::<B>(|py| {
        let dict = PyDict::new(py)?;
        dict.set_item("a", 1i64)?;
        assert_eq!(dict.call_method1("get", ("a",))?.extract::<i64>()?, 1);
        assert!(dict.call_method1("get", ("b",))?.is_none());
        assert_eq!(dict.call_method1("get", ("b", 7i64))?.extract::<i64>()?, 7);
        assert_eq!(
            dict.call_method1("setdefault", ("b", 2i64))?
                .extract::<i64>()?,
            2
        );
        assert_eq!(
            dict.call_method1("setdefault", ("b", 99i64))?
                .extract::<i64>()?,
            2
        );
        assert_eq!(dict.len(), 2);
        assert_eq!(dict.call_method0("keys")?.len()?, 2);
        assert_eq!(dict.call_method0("values")?.len()?, 2);
        let items: Vec<(String, i64)> = dict
            .call_method0("items")?
            .iter()?
            .map(|item| item?.extract())
            .collect::<PyResult<_, B>>()?;
        assert_eq!(items, [("a".to_owned(), 1), ("b".to_owned(), 2)]);
        assert_eq!(dict.call_method1("pop", ("a",))?.extract::<i64>()?, 1);
        assert!(!dict.contains("a")?);
        assert_raises(
            py,
            dict.call_method1("pop", ("a",)),
            ExceptionKind::KeyError,
            "",
        );
        Ok(())
    });
}

/// Values of every kind are stored as-is (identity preserved) and keys of several types mix.
pub fn dict_mixed_keys_and_values<B: Backend>() {
    with_py::<B>(|py| {
        let dict = PyDict::new(py)?;
        let value = fresh(py)?;
        dict.set_item("list", &value)?;
        dict.set_item(42i64, ())?;
        dict.set_item((), "none key")?;
        dict.set_item(b"raw".as_slice(), 1.5f64)?;
        dict.set_item(false, "false key")?;
        assert_eq!(dict.len(), 5);
        assert!(dict.get_item("list")?.expect("list").is(&value));
        assert!(dict.get_item(42i64)?.expect("42").is_none());
        assert_eq!(
            dict.get_item(())?.expect("None").extract::<String>()?,
            "none key"
        );
        assert_eq!(
            dict.get_item(b"raw".as_slice())?
                .expect("bytes")
                .extract::<f64>()?,
            1.5
        );
        assert_eq!(
            dict.get_item(0i64)?
                .expect("0 == False")
                .extract::<String>()?,
            "false key"
        );
        assert!(dict.get_item("raw")?.is_none(), "str and bytes keys differ");
        Ok(())
    });
}

/// Keys, values and items read back what was stored, and adding an entry while iterating is a
/// panic saying the dict changed size (as Python raises), through whichever length read the
/// backend uses.
pub fn dict_iteration_views_and_size_change<B: Backend>() {
    with_py::<B>(|py| {
        let dict = PyDict::new(py)?;
        for i in 0..5i64 {
            dict.set_item(i.to_string(), i * 10)?;
        }
        let keys: Vec<String> = dict.keys().map(|k| k.extract()).collect::<Result<_, _>>()?;
        let values: Vec<i64> = dict
            .values()
            .map(|v| v.extract())
            .collect::<Result<_, _>>()?;
        assert_eq!(keys, ["0", "1", "2", "3", "4"]);
        assert_eq!(values, [0, 10, 20, 30, 40]);
        let grown = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            for (n, _) in dict.values().enumerate() {
                dict.set_item(format!("new{n}"), 0).unwrap();
            }
        }));
        let text = panic_text(&*grown.expect_err("growing the dict while iterating panics"));
        assert!(
            text.contains("dictionary changed size during iteration"),
            "{text}"
        );
        assert_eq!(
            dict.len(),
            6,
            "one entry was added before the check caught it"
        );
        Ok(())
    });
}

/// Removing an entry while iterating is also a panic saying the dict changed size, not a crash
/// (cpyext's `PyDict_Next` aborts the process when a key it copied is gone by its turn).
pub fn dict_removal_while_iterating_panics<B: Backend>() {
    with_py::<B>(|py| {
        let dict = PyDict::new(py)?;
        for i in 0..4i64 {
            dict.set_item(i, i)?;
        }
        let shrunk = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            for (key, _) in dict.iter() {
                dict.del_item(key.extract::<i64>().unwrap() + 1).unwrap();
            }
        }));
        let text = panic_text(&*shrunk.expect_err("removing an entry while iterating panics"));
        assert!(
            text.contains("dictionary changed size during iteration"),
            "{text}"
        );
        assert_eq!(
            dict.len(),
            3,
            "one entry was removed before the check caught it"
        );
        Ok(())
    });
}

/// An iteration of a dict inside an iteration of the same dict: both see every entry, each
/// value with its key (cpyext's `PyDict_Next` keeps one copy of the keys per dict, so the inner
/// iteration's end would cut the outer one short).
pub fn dict_nested_iteration<B: Backend>() {
    with_py::<B>(|py| {
        let dict = PyDict::new(py)?;
        for i in 0..4i64 {
            dict.set_item(i, i * 10)?;
        }
        let mut outer = Vec::new();
        for (key, value) in dict.iter() {
            let inner: i64 = dict
                .values()
                .map(|v| v.extract::<i64>())
                .sum::<PyResult<_, _>>()?;
            assert_eq!(inner, 60, "the inner iteration saw every value");
            assert_eq!(dict.keys().count(), 4);
            outer.push((key.extract::<i64>()?, value.extract::<i64>()?));
        }
        assert_eq!(outer, [(0, 0), (1, 10), (2, 20), (3, 30)]);
        Ok(())
    });
}

#[doc(hidden)]
#[macro_export]
macro_rules! __suite_dict {
    ($backend:ty, $harness:expr) => {
        $crate::__conformance_emit!($backend, $harness;
            dict::dict_new_is_empty,
            dict::dict_set_get_contains,
            dict::dict_get_missing_is_none,
            dict::dict_del_item,
            dict::dict_unhashable_key,
            dict::dict_insertion_order,
            dict::dict_numeric_keys_coincide,
            dict::dict_overwrite_keeps_len,
            dict::dict_refcounts_set_and_del,
            dict::dict_refcounts_overwrite_and_drop,
            dict::map_hashmap_roundtrip,
            dict::map_btreemap_roundtrip,
            dict::map_nested,
            dict::map_type_errors,
            dict::dict_through_object_protocol,
            dict::dict_python_methods,
            dict::dict_mixed_keys_and_values,
            dict::dict_iteration_views_and_size_change,
            dict::dict_removal_while_iterating_panics,
            dict::dict_nested_iteration,
        );
    };
}
