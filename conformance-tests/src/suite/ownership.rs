//! Ownership: each `Bound`/`Py` is exactly one reference, `Borrowed` touches no count, and the
//! conversions between handles move references without creating or losing any.

use std::mem::size_of;

use anypy::types::{PyAny, PyDict, PyList, PyTuple};
use anypy::{Backend, Borrowed, Bound, Function, IntoPyObject, Py, PyResult, Python};

use crate::support::with_py;

/// A fresh object nobody else holds (a new dict).
fn fresh<B: Backend>(py: Python<'_, B>) -> PyResult<Bound<'_, PyDict, B>, B> {
    PyDict::new(py)
}

/// Handles are one pointer wide, and `Option` of one costs nothing.
pub fn handles_are_one_pointer_wide<B: Backend>() {
    let word = size_of::<usize>();
    assert_eq!(size_of::<Bound<'static, PyAny, B>>(), word);
    assert_eq!(size_of::<Py<PyAny, B>>(), word);
    assert_eq!(size_of::<Option<Py<PyDict, B>>>(), word);
    assert_eq!(size_of::<Borrowed<'static, 'static, PyAny, B>>(), word);
    assert_eq!(size_of::<Python<'static, B>>(), 0);
}

/// Cloning a `Bound` adds one reference; dropping the clone gives it back.
pub fn bound_clone_adds_one_reference<B: Backend>() {
    with_py::<B>(|py| {
        let dict = fresh(py)?;
        let before = dict.get_refcnt();
        let copy = dict.clone();
        assert_eq!(dict.get_refcnt(), before + 1);
        assert!(copy.is(&dict));
        drop(copy);
        assert_eq!(dict.get_refcnt(), before);
        Ok(())
    })
}

/// Dropping a `Bound` releases exactly one reference, at once.
pub fn bound_drop_releases_exactly_one<B: Backend>() {
    with_py::<B>(|py| {
        let dict = fresh(py)?;
        let holder = PyList::new(py, [&dict])?;
        let before = dict.get_refcnt();
        let item = holder.get_item(0)?;
        assert_eq!(dict.get_refcnt(), before + 1);
        drop(item);
        assert_eq!(dict.get_refcnt(), before);
        Ok(())
    })
}

/// `unbind` and `into_bound` move the reference: the count does not change.
pub fn unbind_and_into_bound_move_the_reference<B: Backend>() {
    with_py::<B>(|py| {
        let dict = fresh(py)?;
        let observer = dict.clone();
        let before = observer.get_refcnt();
        let owned: Py<PyDict, B> = dict.unbind();
        assert_eq!(observer.get_refcnt(), before);
        let bound = owned.into_bound(py);
        assert_eq!(observer.get_refcnt(), before);
        assert!(bound.is(&observer));
        Ok(())
    })
}

/// `Py::clone_ref` adds one reference; dropping a `Py` under the GIL releases it at once.
pub fn py_clone_ref_and_drop_under_gil<B: Backend>() {
    with_py::<B>(|py| {
        let owned = fresh(py)?.unbind();
        let before = owned.get_refcnt(py);
        let second = owned.clone_ref(py);
        assert_eq!(owned.get_refcnt(py), before + 1);
        assert!(second.is(&owned));
        drop(second);
        assert_eq!(owned.get_refcnt(py), before);
        Ok(())
    })
}

/// `Py::bind` and `bind_borrowed` are views: no refcount traffic.
pub fn py_bind_touches_no_count<B: Backend>() {
    with_py::<B>(|py| {
        let owned = fresh(py)?.unbind();
        let before = owned.get_refcnt(py);
        let view = owned.bind(py);
        view.set_item("k", 1)?;
        let borrowed = owned.bind_borrowed(py);
        assert_eq!(borrowed.get_refcnt(), before);
        assert_eq!(view.len(), 1);
        Ok(())
    })
}

/// `Borrowed` is `Copy` and touches no count; `to_owned` adds exactly one reference.
pub fn borrowed_is_free_and_to_owned_increfs<B: Backend>() {
    with_py::<B>(|py| {
        let dict = fresh(py)?;
        let before = dict.get_refcnt();
        let borrowed = dict.as_borrowed();
        let copy = borrowed;
        assert_eq!(dict.get_refcnt(), before);
        let owned = copy.to_owned();
        assert_eq!(dict.get_refcnt(), before + 1);
        drop(owned);
        assert_eq!(borrowed.get_refcnt(), before);
        Ok(())
    })
}

/// A tuple item read borrowed costs nothing; read owned costs one reference.
pub fn tuple_items_borrowed_versus_owned<B: Backend>() {
    with_py::<B>(|py| {
        let dict = fresh(py)?;
        let tuple = PyTuple::new(py, [&dict])?;
        let before = dict.get_refcnt();
        let borrowed = tuple.get_borrowed_item(0)?;
        assert_eq!(dict.get_refcnt(), before);
        assert!(borrowed.is(&dict));
        let owned = tuple.get_item(0)?;
        assert_eq!(dict.get_refcnt(), before + 1);
        drop(owned);
        assert_eq!(dict.get_refcnt(), before);
        Ok(())
    })
}

/// `into_ptr` hands the reference out and `from_owned_ptr` takes it back: no change.
pub fn raw_pointer_roundtrip_keeps_count<B: Backend>() {
    with_py::<B>(|py| {
        let dict = fresh(py)?;
        let observer = dict.clone();
        let before = observer.get_refcnt();
        let raw = dict.into_ptr();
        assert_eq!(observer.get_refcnt(), before);
        // SAFETY: `raw` is the owned reference `into_ptr` gave up just above.
        let back: Bound<'_, PyDict, B> = unsafe { Bound::from_owned_ptr(py, raw) };
        assert_eq!(observer.get_refcnt(), before);
        drop(back);
        assert_eq!(observer.get_refcnt(), before - 1);
        Ok(())
    })
}

/// `from_borrowed_ptr` makes a new reference.
pub fn from_borrowed_ptr_adds_one<B: Backend>() {
    with_py::<B>(|py| {
        let dict = fresh(py)?;
        let before = dict.get_refcnt();
        // SAFETY: `dict` keeps the object alive; the new handle owns a new reference.
        let second: Bound<'_, PyDict, B> = unsafe { Bound::from_borrowed_ptr(py, dict.as_ptr()) };
        assert_eq!(dict.get_refcnt(), before + 1);
        drop(second);
        assert_eq!(dict.get_refcnt(), before);
        Ok(())
    })
}

/// A `Py` made under one `with_gil` is usable under the next.
pub fn py_outlives_the_gil_scope<B: Backend>() {
    let kept: Py<PyDict, B> = Python::<B>::with_gil(|py| {
        let dict = PyDict::new(py).unwrap();
        dict.set_item("answer", 42).unwrap();
        dict.unbind()
    });
    with_py::<B>(|py| {
        let answer: i64 = kept.bind(py).get_item("answer")?.unwrap().extract()?;
        assert_eq!(answer, 42);
        Ok(())
    });
    Python::<B>::with_gil(|_py| drop(kept));
}

/// A `Py` moves to another thread, is used there under the GIL, and comes back.
pub fn py_crosses_threads<B: Backend>() {
    let owned: Py<PyList, B> = Python::<B>::with_gil(|py| PyList::empty(py).unwrap().unbind());
    let owned = std::thread::spawn(move || {
        Python::<B>::with_gil(|py| owned.bind(py).append("from another thread").unwrap());
        owned
    })
    .join()
    .unwrap();
    with_py::<B>(|py| {
        assert_eq!(
            owned.bind(py).get_item(0)?.extract::<String>()?,
            "from another thread"
        );
        Ok(())
    });
    Python::<B>::with_gil(|_py| drop(owned));
}

/// `as_any`, `into_any` and a successful `downcast_into` keep one single reference.
pub fn type_changes_keep_one_reference<B: Backend>() {
    with_py::<B>(|py| {
        let dict = fresh(py)?;
        let observer = dict.clone();
        let before = observer.get_refcnt();
        let any = dict.into_any();
        assert_eq!(any.as_any().get_refcnt(), before);
        let dict = any.downcast_into::<PyDict>()?;
        assert_eq!(observer.get_refcnt(), before);
        let failed = dict.into_any().downcast_into::<PyList>();
        assert!(failed.is_err());
        assert_eq!(
            observer.get_refcnt(),
            before - 1,
            "a failed downcast_into drops its input"
        );
        Ok(())
    })
}

/// Converting `&Bound` adds a reference, converting a `Bound` by value moves it.
pub fn handle_conversions_count_right<B: Backend>() {
    with_py::<B>(|py| {
        let dict = fresh(py)?;
        let before = dict.get_refcnt();
        let by_ref = (&dict).into_pyobject(py)?;
        assert_eq!(dict.get_refcnt(), before + 1);
        drop(by_ref);
        let second = dict.clone();
        let moved = second.into_pyobject(py)?;
        assert_eq!(dict.get_refcnt(), before + 1);
        drop(moved);
        let owned = dict.clone().unbind();
        let from_py = (&owned).into_pyobject(py)?;
        assert_eq!(dict.get_refcnt(), before + 2);
        drop((from_py, owned));
        assert_eq!(dict.get_refcnt(), before);
        Ok(())
    })
}

/// A container owns its items: storing adds one reference, freeing the container (once
/// collected) gives it back.
pub fn containers_own_their_items<B: Backend>() {
    with_py::<B>(|py| {
        let dict = fresh(py)?;
        let before = dict.get_refcnt();
        let list = PyList::new(py, [&dict, &dict])?;
        assert_eq!(dict.get_refcnt(), before + 2);
        let tuple = PyTuple::new(py, [&dict])?;
        assert_eq!(dict.get_refcnt(), before + 3);
        drop(list);
        drop(tuple);
        py.collect_garbage()?;
        assert_eq!(dict.get_refcnt(), before);
        Ok(())
    })
}

/// Replacing a list item releases the old one.
pub fn list_set_item_releases_the_old_item<B: Backend>() {
    with_py::<B>(|py| {
        let old = fresh(py)?;
        let list = PyList::new(py, [&old])?;
        let before = old.get_refcnt();
        list.set_item(0, "new")?;
        assert_eq!(old.get_refcnt(), before - 1);
        Ok(())
    })
}

/// Overwriting a dict value releases the old value; deleting releases key and value. (Whether
/// the dict's own hold shows in the count is the interpreter's business: PyPy's dicts hold
/// PyPy references. What the dict took, it gives back.)
pub fn dict_overwrite_and_delete_release<B: Backend>() {
    with_py::<B>(|py| {
        let dict = fresh(py)?;
        let value = PyList::empty(py)?;
        let before = value.get_refcnt();
        dict.set_item("k", &value)?;
        assert!(dict.get_item("k")?.expect("k").is(&value));
        dict.set_item("k", 0)?;
        assert_eq!(value.get_refcnt(), before);
        dict.set_item("k", &value)?;
        dict.del_item("k")?;
        assert_eq!(value.get_refcnt(), before);
        Ok(())
    })
}

/// Dropping the last handle frees the object (at once under refcounting, at the next
/// collection under PyPy's GC), which releases what it holds.
pub fn freeing_a_container_releases_nested_items<B: Backend>() {
    with_py::<B>(|py| {
        let leaf = PyList::empty(py)?;
        let before = leaf.get_refcnt();
        let outer = PyList::new(py, [PyList::new(py, [&leaf])?])?;
        assert_eq!(leaf.get_refcnt(), before + 1);
        drop(outer);
        py.collect_garbage()?;
        assert_eq!(leaf.get_refcnt(), before);
        Ok(())
    })
}

/// Extracting a typed handle adds exactly one reference.
pub fn extracting_a_handle_adds_one<B: Backend>() {
    with_py::<B>(|py| {
        let dict = fresh(py)?;
        let before = dict.get_refcnt();
        let any = dict.as_any();
        let typed: Bound<'_, PyDict, B> = any.extract()?;
        let stored: Py<PyDict, B> = any.extract()?;
        assert_eq!(dict.get_refcnt(), before + 2);
        drop((typed, stored));
        assert_eq!(dict.get_refcnt(), before);
        Ok(())
    })
}

/// Iterating a dict hands out owned references and releases them as it goes.
pub fn iteration_releases_what_it_yields<B: Backend>() {
    with_py::<B>(|py| {
        let value = PyList::empty(py)?;
        let dict = fresh(py)?;
        dict.set_item("a", &value)?;
        let before = value.get_refcnt();
        for (_key, item) in dict.iter() {
            assert_eq!(value.get_refcnt(), before + 1);
            drop(item);
        }
        assert_eq!(value.get_refcnt(), before);
        Ok(())
    })
}

/// Call arguments passed by reference are lent for the call, values are converted and released
/// after it: no reference is created or lost, whether the call succeeds or raises.
pub fn call_arguments_keep_counts<B: Backend>() {
    with_py::<B>(|py| {
        let object = fresh(py)?;
        let before = object.get_refcnt();
        let seen = Function::new("seen", |a: Py<PyAny, B>, b: Py<PyAny, B>, n: i64| {
            i64::from(a.as_ptr() == b.as_ptr()) + n
        })
        .build(py)?;
        assert_eq!(seen.call1((&object, &object, 1))?.extract::<i64>()?, 2);
        assert_eq!(object.get_refcnt(), before);
        let raised = seen.call1((&object, object.clone(), "not an int"));
        assert!(raised.is_err(), "the third argument is not an int");
        drop(raised);
        let identity = Function::new("identity", |a: Py<PyAny, B>| a).build(py)?;
        let same = identity.call1((&object,))?;
        assert!(same.is(&object));
        assert_eq!(
            object.get_refcnt(),
            before + 1,
            "the result is the one new reference"
        );
        drop(same);
        py.collect_garbage()?;
        assert_eq!(object.get_refcnt(), before);
        Ok(())
    })
}

#[doc(hidden)]
#[macro_export]
macro_rules! __suite_ownership {
    ($backend:ty, $harness:expr) => {
        $crate::__conformance_emit!($backend, $harness;
            ownership::handles_are_one_pointer_wide,
            ownership::bound_clone_adds_one_reference,
            ownership::bound_drop_releases_exactly_one,
            ownership::unbind_and_into_bound_move_the_reference,
            ownership::py_clone_ref_and_drop_under_gil,
            ownership::py_bind_touches_no_count,
            ownership::borrowed_is_free_and_to_owned_increfs,
            ownership::tuple_items_borrowed_versus_owned,
            ownership::raw_pointer_roundtrip_keeps_count,
            ownership::from_borrowed_ptr_adds_one,
            ownership::py_outlives_the_gil_scope,
            ownership::py_crosses_threads,
            ownership::type_changes_keep_one_reference,
            ownership::handle_conversions_count_right,
            ownership::containers_own_their_items,
            ownership::list_set_item_releases_the_old_item,
            ownership::dict_overwrite_and_delete_release,
            ownership::freeing_a_container_releases_nested_items,
            ownership::extracting_a_handle_adds_one,
            ownership::iteration_releases_what_it_yields,
            ownership::call_arguments_keep_counts,
        );
    };
}
