//! Tuples, lists and `Vec<T>`: conversions both ways, the `PyTuple`/`PyList` methods, index
//! errors, and the ownership of items (a container holds exactly one reference per item).

use anypy::types::{PyAny, PyDict, PyInt, PyList, PyStr, PyTuple};
use anypy::{Backend, Bound, ExceptionKind, IntoPyObject, PyResult, Python};

use crate::support::{assert_raises, with_py};

/// A fresh object nobody else refers to, for refcount deltas.
fn fresh<'py, B: Backend>(py: Python<'py, B>) -> PyResult<Bound<'py, PyAny, B>, B> {
    Ok(PyDict::new(py)?.into_any())
}

/// Tuples of one to three Rust values become Python tuples and read back.
pub fn tuple_small_arity_roundtrip<B: Backend>() {
    with_py::<B>(|py| {
        let one = (1_000_001i64,).into_pyobject(py)?;
        assert_eq!(one.type_name(), "tuple");
        assert_eq!(one.len()?, 1);
        assert_eq!(one.extract::<(i64,)>()?, (1_000_001,));
        let two = ("a", 2.5f64).into_pyobject(py)?;
        assert_eq!(two.len()?, 2);
        assert_eq!(two.extract::<(String, f64)>()?, ("a".to_owned(), 2.5));
        let three = (true, -3i8, 'z').into_pyobject(py)?;
        assert_eq!(three.extract::<(bool, i8, char)>()?, (true, -3, 'z'));
        Ok(())
    });
}

/// Tuples of four to six values, with mixed and nested item types.
pub fn tuple_large_arity_roundtrip<B: Backend>() {
    with_py::<B>(|py| {
        let four = (1u8, 2u16, 3u32, 4u64).into_pyobject(py)?;
        assert_eq!(four.extract::<(u8, u16, u32, u64)>()?, (1, 2, 3, 4));
        let five = ("a", "b", (1i64, 2i64), None::<i64>, vec![1i64]).into_pyobject(py)?;
        assert_eq!(five.len()?, 5);
        let back = five.extract::<(String, String, (i64, i64), Option<i64>, Vec<i64>)>()?;
        assert_eq!(
            back,
            ("a".to_owned(), "b".to_owned(), (1, 2), None, vec![1])
        );
        let six = (1i64, 2i64, 3i64, 4i64, 5i64, "six").into_pyobject(py)?;
        assert_eq!(six.len()?, 6);
        assert_eq!(
            six.extract::<(i64, i64, i64, i64, i64, String)>()?,
            (1, 2, 3, 4, 5, "six".to_owned())
        );
        Ok(())
    });
}

/// A tuple of the wrong length is a `ValueError` with both lengths.
pub fn tuple_wrong_length<B: Backend>() {
    with_py::<B>(|py| {
        let three = (1i64, 2i64, 3i64).into_pyobject(py)?;
        assert_raises(
            py,
            three.extract::<(i64, i64)>(),
            ExceptionKind::ValueError,
            "expected a tuple of length 2, got length 3",
        );
        assert_raises(
            py,
            three.extract::<(i64, i64, i64, i64)>(),
            ExceptionKind::ValueError,
            "expected a tuple of length 4, got length 3",
        );
        let empty = PyTuple::empty(py)?;
        assert_raises(
            py,
            empty.extract::<(i64,)>(),
            ExceptionKind::ValueError,
            "expected a tuple of length 1, got length 0",
        );
        Ok(())
    });
}

/// Only a tuple extracts into a Rust tuple (a list of the right length does not), and each item
/// is converted with its own errors.
pub fn tuple_type_errors<B: Backend>() {
    with_py::<B>(|py| {
        let list = PyList::new(py, [1i64, 2])?;
        assert_raises(
            py,
            list.extract::<(i64, i64)>(),
            ExceptionKind::TypeError,
            "expected tuple, got list",
        );
        let number = py.to_object(1i64)?;
        assert_raises(
            py,
            number.extract::<(i64,)>(),
            ExceptionKind::TypeError,
            "expected tuple, got int",
        );
        let wrong_item = ("a", 1i64).into_pyobject(py)?;
        assert_raises(
            py,
            wrong_item.extract::<(i64, i64)>(),
            ExceptionKind::TypeError,
            "expected int, got str",
        );
        Ok(())
    });
}

/// `PyTuple::new`, `len`, `get_item` and `get_borrowed_item`.
pub fn tuple_new_and_items<B: Backend>() {
    with_py::<B>(|py| {
        let tuple = PyTuple::new(py, [10i64, 20, 30])?;
        assert_eq!(tuple.len(), 3);
        assert!(!tuple.is_empty());
        assert_eq!(tuple.get_item(0)?.extract::<i64>()?, 10);
        assert_eq!(tuple.get_item(2)?.extract::<i64>()?, 30);
        assert_eq!(tuple.get_borrowed_item(1)?.extract::<i64>()?, 20);
        assert!(tuple
            .get_item(1)?
            .is(&tuple.get_borrowed_item(1)?.to_owned()));
        assert!(tuple.is_instance_of::<PyTuple>());
        Ok(())
    });
}

/// The empty tuple.
pub fn tuple_empty<B: Backend>() {
    with_py::<B>(|py| {
        let empty = PyTuple::empty(py)?;
        assert_eq!(empty.len(), 0);
        assert!(empty.is_empty());
        assert_eq!(empty.type_name(), "tuple");
        assert_eq!(empty.iter().count(), 0);
        assert!(!empty.is_truthy()?);
        let made = PyTuple::new(py, Vec::<i64>::new())?;
        assert!(made.is_empty());
        assert!(made.eq(&empty)?);
        Ok(())
    });
}

/// Reading past the end of a tuple is an `IndexError`.
pub fn tuple_index_error<B: Backend>() {
    with_py::<B>(|py| {
        let tuple = PyTuple::new(py, ["a", "b"])?;
        assert_raises(
            py,
            tuple.get_item(2),
            ExceptionKind::IndexError,
            "tuple index out of range",
        );
        assert_raises(
            py,
            tuple.get_borrowed_item(100),
            ExceptionKind::IndexError,
            "tuple index out of range",
        );
        assert_raises(
            py,
            PyTuple::empty(py)?.get_item(0),
            ExceptionKind::IndexError,
            "",
        );
        Ok(())
    });
}

/// A borrowed tuple item costs no reference; `to_owned` takes exactly one.
pub fn tuple_borrowed_item_refcount<B: Backend>() {
    with_py::<B>(|py| {
        let item = fresh(py)?;
        let tuple = PyTuple::new(py, [&item])?;
        let held = item.get_refcnt();
        let borrowed = tuple.get_borrowed_item(0)?;
        assert!(borrowed.is(&item));
        assert_eq!(item.get_refcnt(), held);
        // Converting a borrowed view (e.g. into a list) takes exactly one new reference.
        let list = PyList::new(py, [borrowed])?;
        assert_eq!(item.get_refcnt(), held + 1);
        drop(list);
        py.collect_garbage()?;
        assert_eq!(item.get_refcnt(), held);
        let owned = borrowed.to_owned();
        assert_eq!(item.get_refcnt(), held + 1);
        drop(owned);
        assert_eq!(item.get_refcnt(), held);
        Ok(())
    });
}

/// Iterating a tuple yields its items in order, with an exact length.
pub fn tuple_iter<B: Backend>() {
    with_py::<B>(|py| {
        let tuple = PyTuple::new(py, ["x", "y", "z"])?;
        let iter = tuple.iter();
        assert_eq!(iter.len(), 3);
        let items: Vec<String> = iter
            .map(|item| item.extract())
            .collect::<PyResult<_, B>>()?;
        assert_eq!(items, ["x", "y", "z"]);
        let mut iter = tuple.iter();
        iter.next();
        assert_eq!(iter.len(), 2);
        Ok(())
    });
}

/// A tuple holds one reference to each item, released with the tuple.
pub fn tuple_owns_items<B: Backend>() {
    with_py::<B>(|py| {
        let item = fresh(py)?;
        let before = item.get_refcnt();
        let tuple = PyTuple::new(py, [&item, &item])?;
        assert_eq!(item.get_refcnt(), before + 2);
        assert!(tuple.get_item(0)?.is(&item));
        drop(tuple);
        assert_eq!(item.get_refcnt(), before);
        Ok(())
    });
}

/// `PyList::new` and `get_item`.
pub fn list_new_and_get_item<B: Backend>() {
    with_py::<B>(|py| {
        let list = PyList::new(py, ["a", "b", "c"])?;
        assert_eq!(list.type_name(), "list");
        assert_eq!(list.len(), 3);
        assert_eq!(list.get_item(0)?.extract::<String>()?, "a");
        assert_eq!(list.get_item(2)?.extract::<String>()?, "c");
        assert!(list.is_instance_of::<PyList>());
        assert!(!list.is_instance_of::<PyTuple>());
        Ok(())
    });
}

/// An empty list grows with `append` and `insert` (at the front, middle, and past the end).
pub fn list_append_and_insert<B: Backend>() {
    with_py::<B>(|py| {
        let list = PyList::empty(py)?;
        assert!(list.is_empty());
        assert_eq!(list.len(), 0);
        list.append(2i64)?;
        list.append(4i64)?;
        list.insert(0, 1i64)?;
        list.insert(2, 3i64)?;
        list.insert(100, 5i64)?;
        assert_eq!(list.len(), 5);
        assert_eq!(list.extract::<Vec<i64>>()?, vec![1, 2, 3, 4, 5]);
        Ok(())
    });
}

/// `set_item` replaces in place; out of range is an `IndexError` on read and on write.
pub fn list_set_item_and_index_errors<B: Backend>() {
    with_py::<B>(|py| {
        let list = PyList::new(py, [1i64, 2, 3])?;
        list.set_item(1, "two")?;
        assert_eq!(list.len(), 3);
        assert_eq!(list.get_item(1)?.extract::<String>()?, "two");
        assert_raises(
            py,
            list.get_item(3),
            ExceptionKind::IndexError,
            "list index out of range",
        );
        assert_raises(py, list.set_item(3, 0i64), ExceptionKind::IndexError, "");
        assert_raises(
            py,
            PyList::empty(py)?.get_item(0),
            ExceptionKind::IndexError,
            "",
        );
        assert_eq!(list.len(), 3);
        Ok(())
    });
}

/// Iterating a list yields its items in order and sees appends made before the end.
pub fn list_iter<B: Backend>() {
    with_py::<B>(|py| {
        let list = PyList::new(py, [1i64, 2, 3])?;
        let values: Vec<i64> = list
            .iter()
            .map(|item| item.extract())
            .collect::<PyResult<_, B>>()?;
        assert_eq!(values, [1, 2, 3]);
        let mut seen = Vec::new();
        for item in list.iter() {
            let value: i64 = item.extract()?;
            if value == 1 {
                list.append(4i64)?;
            }
            seen.push(value);
        }
        assert_eq!(seen, [1, 2, 3, 4]);
        assert_eq!(PyList::empty(py)?.iter().count(), 0);
        Ok(())
    });
}

/// `Vec<T>` becomes a list, and reads back from a list or from a tuple.
pub fn vec_roundtrip<B: Backend>() {
    with_py::<B>(|py| {
        let obj = vec![3i64, 1, 2].into_pyobject(py)?;
        assert_eq!(obj.type_name(), "list");
        assert_eq!(obj.len()?, 3);
        assert_eq!(obj.extract::<Vec<i64>>()?, vec![3, 1, 2]);
        let tuple = (7i64, 8i64, 9i64).into_pyobject(py)?;
        assert_eq!(tuple.extract::<Vec<i64>>()?, vec![7, 8, 9]);
        let floats = vec![0.5f64, -1.5].into_pyobject(py)?;
        assert_eq!(floats.extract::<Vec<f64>>()?, vec![0.5, -1.5]);
        let empty = Vec::<i64>::new().into_pyobject(py)?;
        assert_eq!(empty.type_name(), "list");
        assert_eq!(empty.extract::<Vec<i64>>()?, Vec::<i64>::new());
        assert_eq!(
            PyTuple::empty(py)?.extract::<Vec<String>>()?,
            Vec::<String>::new()
        );
        Ok(())
    });
}

/// Nested vectors become nested lists and read back.
pub fn vec_nested<B: Backend>() {
    with_py::<B>(|py| {
        let nested = vec![vec![1i64, 2], vec![], vec![3]];
        let obj = nested.clone().into_pyobject(py)?;
        assert_eq!(obj.len()?, 3);
        let inner = obj.get_item(0i64)?;
        assert_eq!(inner.type_name(), "list");
        assert_eq!(obj.get_item(1i64)?.len()?, 0);
        assert_eq!(obj.extract::<Vec<Vec<i64>>>()?, nested);
        // A list of tuples reads as Vec<Vec<_>> too.
        let mixed = PyList::new(py, [(1i64, 2i64), (3i64, 4i64)])?;
        assert_eq!(
            mixed.extract::<Vec<Vec<i64>>>()?,
            vec![vec![1, 2], vec![3, 4]]
        );
        assert_eq!(mixed.extract::<Vec<(i64, i64)>>()?, vec![(1, 2), (3, 4)]);
        Ok(())
    });
}

/// `Vec<String>` both ways.
pub fn vec_of_strings<B: Backend>() {
    with_py::<B>(|py| {
        let words = vec![
            "alpha".to_owned(),
            String::new(),
            "\u{3b3}\u{3ac}\u{3bc}\u{3bc}\u{3b1}".to_owned(),
        ];
        let obj = words.clone().into_pyobject(py)?;
        assert_eq!(obj.get_item(0i64)?.type_name(), "str");
        assert_eq!(obj.extract::<Vec<String>>()?, words);
        Ok(())
    });
}

/// Non-sequences and bad items are a `TypeError` naming both types.
pub fn vec_type_errors<B: Backend>() {
    with_py::<B>(|py| {
        let number = py.to_object(1i64)?;
        assert_raises(
            py,
            number.extract::<Vec<i64>>(),
            ExceptionKind::TypeError,
            "expected list or tuple, got int",
        );
        let text = py.to_object("abc")?;
        assert_raises(
            py,
            text.extract::<Vec<String>>(),
            ExceptionKind::TypeError,
            "expected list or tuple, got str",
        );
        let dict = PyDict::new(py)?;
        assert_raises(
            py,
            dict.extract::<Vec<i64>>(),
            ExceptionKind::TypeError,
            "expected list or tuple, got dict",
        );
        let bad_item = PyList::new(py, [py.to_object(1i64)?, py.to_object(2.5f64)?])?;
        assert_raises(
            py,
            bad_item.extract::<Vec<i64>>(),
            ExceptionKind::TypeError,
            "expected int, got float",
        );
        Ok(())
    });
}

/// A list keeps its items alive (a list made with items takes exactly one reference per item),
/// reading one hands out exactly one reference, and freeing the list (once collected) gives
/// back every reference it held. (A PyPy list filled by `append` holds PyPy references, which
/// do not show in the count, until a C caller reads its items.)
pub fn list_owns_items<B: Backend>() {
    with_py::<B>(|py| {
        let item = fresh(py)?;
        let before = item.get_refcnt();
        let list = PyList::empty(py)?;
        list.append(&item)?;
        list.insert(0, &item)?;
        list.append(PyList::new(py, [7])?)?;
        assert_eq!(list.get_item(2)?.extract::<Vec<i64>>()?, [7]);
        let read = list.get_item(1)?;
        assert!(read.is(&item));
        let with_read = item.get_refcnt();
        drop(read);
        assert_eq!(item.get_refcnt(), with_read - 1);
        drop(list);
        py.collect_garbage()?;
        assert_eq!(item.get_refcnt(), before);
        let made = PyList::new(py, [&item])?;
        assert_eq!(item.get_refcnt(), before + 1);
        drop(made);
        py.collect_garbage()?;
        assert_eq!(item.get_refcnt(), before);
        Ok(())
    });
}

/// Replacing a list item releases the old one and keeps the new one.
pub fn list_set_item_releases_old<B: Backend>() {
    with_py::<B>(|py| {
        let old = fresh(py)?;
        let new = fresh(py)?;
        let (old_before, new_before) = (old.get_refcnt(), new.get_refcnt());
        let list = PyList::new(py, [&old])?;
        assert_eq!(old.get_refcnt(), old_before + 1);
        list.set_item(0, &new)?;
        assert_eq!(old.get_refcnt(), old_before);
        assert_eq!(new.get_refcnt(), new_before + 1);
        // A failed set_item still consumes the value it was given, without leaking it.
        assert!(list.set_item(5, &old).is_err());
        assert_eq!(old.get_refcnt(), old_before);
        drop(list);
        py.collect_garbage()?;
        assert_eq!(new.get_refcnt(), new_before);
        Ok(())
    });
}

/// Heterogeneous items keep their types and identities.
pub fn list_item_types_preserved<B: Backend>() {
    with_py::<B>(|py| {
        let unique = fresh(py)?;
        let items = [
            py.to_object(1_000_001i64)?,
            py.to_object("text")?,
            py.to_object(2.5f64)?,
            py.none().into_any(),
            py.to_object(true)?,
            py.to_object(b"raw".as_slice())?,
            py.to_object((1i64,))?,
            unique.clone(),
        ];
        let names = [
            "int", "str", "float", "NoneType", "bool", "bytes", "tuple", "dict",
        ];
        let list = PyList::new(py, items.iter())?;
        for (index, (item, name)) in items.iter().zip(names).enumerate() {
            let stored = list.get_item(index)?;
            assert_eq!(stored.type_name(), name);
            assert!(stored.is(item), "item {index} is not the object put in");
        }
        assert!(list.get_item(1)?.downcast::<PyStr>().is_ok());
        assert!(list.get_item(0)?.downcast::<PyInt>().is_ok());
        Ok(())
    });
}

/// Python's own list methods see the items anypy put in.
pub fn list_python_methods<B: Backend>() {
    with_py::<B>(|py| {
        let list = PyList::new(py, [3i64, 1, 3, 2])?;
        assert_eq!(list.call_method1("count", (3i64,))?.extract::<usize>()?, 2);
        assert_eq!(list.call_method1("index", (1i64,))?.extract::<usize>()?, 1);
        assert_eq!(list.call_method0("pop")?.extract::<i64>()?, 2);
        assert_eq!(list.len(), 3);
        list.call_method0("reverse")?;
        assert_eq!(list.extract::<Vec<i64>>()?, vec![3, 1, 3]);
        Ok(())
    });
}

#[doc(hidden)]
#[macro_export]
macro_rules! __suite_sequences {
    ($backend:ty, $harness:expr) => {
        $crate::__conformance_emit!($backend, $harness;
            sequences::tuple_small_arity_roundtrip,
            sequences::tuple_large_arity_roundtrip,
            sequences::tuple_wrong_length,
            sequences::tuple_type_errors,
            sequences::tuple_new_and_items,
            sequences::tuple_empty,
            sequences::tuple_index_error,
            sequences::tuple_borrowed_item_refcount,
            sequences::tuple_iter,
            sequences::tuple_owns_items,
            sequences::list_new_and_get_item,
            sequences::list_append_and_insert,
            sequences::list_set_item_and_index_errors,
            sequences::list_iter,
            sequences::vec_roundtrip,
            sequences::vec_nested,
            sequences::vec_of_strings,
            sequences::vec_type_errors,
            sequences::list_owns_items,
            sequences::list_set_item_releases_old,
            sequences::list_item_types_preserved,
            sequences::list_python_methods,
        );
    };
}
