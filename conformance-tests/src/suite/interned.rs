//! Interned names (`intern!`) and the name types `getattr`/`setattr`/`call_method` accept: the
//! same `str` object every time, no refcount traffic, and the same results as a `&str` name.

use anypy::types::{PyDict, PyList, PyStr};
use anypy::{intern, Backend, ExceptionKind};

use crate::support::{assert_raises, with_py};

/// One `intern!` site gives the same object every time, equal to the text.
pub fn intern_is_one_object<B: Backend>() {
    with_py::<B>(|py| {
        let first = intern!(py, "anypy_interned_name");
        for _ in 0..3 {
            let again = intern!(py, "anypy_interned_name");
            assert_eq!(again.as_ptr(), first.as_ptr());
        }
        assert!(first.is_instance_of::<PyStr>());
        assert_eq!(first.to_str()?, "anypy_interned_name");
        assert!(first.eq("anypy_interned_name")?);
        Ok(())
    });
}

/// Interned names, `&Bound<PyStr>`, `&Py<PyStr>`, `&String` and `&str` work alike for attributes and methods,
/// and using an interned name changes no refcount.
pub fn interned_names_for_attributes<B: Backend>() {
    with_py::<B>(|py| {
        let list = PyList::new(py, [3i64, 1, 2])?;
        let name = intern!(py, "reverse");
        // CPython's method cache keeps a reference to a name it has looked up: warm it first.
        list.call_method0(name)?;
        let before = name.get_refcnt();
        for _ in 0..4 {
            list.call_method0(name)?;
            assert!(list.hasattr(name)?);
        }
        assert_eq!(
            name.get_refcnt(),
            before,
            "no refcount traffic on the interned name"
        );
        assert_eq!(
            list.extract::<Vec<i64>>()?,
            [2, 1, 3],
            "reversed five times"
        );
        let append = PyStr::new(py, "append")?;
        list.call_method1(&append, (4i64,))?;
        list.call_method1(&String::from("append"), (5i64,))?;
        let kept = append.clone().unbind();
        list.call_method1(&kept, (6i64,))?;
        assert_eq!(list.len(), 6);
        let dict = PyDict::new(py)?;
        dict.set_item("k", 1i64)?;
        let value = dict.call_method1(intern!(py, "get"), ("k",))?;
        assert_eq!(value.extract::<i64>()?, 1);
        let namespace = py
            .import("types")?
            .getattr(intern!(py, "SimpleNamespace"))?
            .call0()?;
        namespace.setattr(intern!(py, "answer"), 42i64)?;
        assert_eq!(
            namespace.getattr(intern!(py, "answer"))?.extract::<i64>()?,
            42
        );
        assert_eq!(namespace.getattr("answer")?.extract::<i64>()?, 42);
        assert!(!namespace.hasattr(intern!(py, "missing_anypy"))?);
        assert_raises(
            py,
            namespace.getattr(intern!(py, "missing_anypy")),
            ExceptionKind::AttributeError,
            "missing_anypy",
        );
        Ok(())
    });
}

#[doc(hidden)]
#[macro_export]
macro_rules! __suite_interned {
    ($backend:ty, $harness:expr) => {
        $crate::__conformance_emit!($backend, $harness;
            interned::intern_is_one_object,
            interned::interned_names_for_attributes,
        );
    };
}
