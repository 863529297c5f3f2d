//! `HashSet` and `BTreeSet` to `set`, and back from a `set` or `frozenset`.

use std::collections::{BTreeSet, HashSet};
use std::hash::{BuildHasher, Hash};

use crate::backend::Backend;
use crate::conversion::expected_type as expected;
use crate::conversion::{FromPyObject, IntoPyObject};
use crate::err::PyResult;
use crate::instance::Bound;
use crate::python::Python;
use crate::types::{PyAny, PyFrozenSet, PySet};

/// Reads every item of a set or frozenset.
fn items_of_set<'py, B: Backend, T: FromPyObject<'py, B>, C: FromIterator<T>>(
    obj: &Bound<'py, PyAny, B>,
) -> PyResult<C, B> {
    if !obj.is_instance_of::<PySet>() && !obj.is_instance_of::<PyFrozenSet>() {
        return Err(expected("set or frozenset", obj));
    }
    obj.iter()?.map(|item| T::extract(&item?)).collect()
}

impl<B: Backend, T: IntoPyObject<B>, S> IntoPyObject<B> for HashSet<T, S> {
    fn into_pyobject<'py>(self, py: Python<'py, B>) -> PyResult<Bound<'py, PyAny, B>, B> {
        PySet::new(py, self).map(Bound::into_any)
    }
}

impl<'py, B, T, S> FromPyObject<'py, B> for HashSet<T, S>
where
    B: Backend,
    T: FromPyObject<'py, B> + Eq + Hash,
    S: BuildHasher + Default,
{
    fn extract(obj: &Bound<'py, PyAny, B>) -> PyResult<Self, B> {
        items_of_set(obj)
    }
}

impl<B: Backend, T: IntoPyObject<B>> IntoPyObject<B> for BTreeSet<T> {
    fn into_pyobject<'py>(self, py: Python<'py, B>) -> PyResult<Bound<'py, PyAny, B>, B> {
        PySet::new(py, self).map(Bound::into_any)
    }
}

impl<'py, B: Backend, T: FromPyObject<'py, B> + Ord> FromPyObject<'py, B> for BTreeSet<T> {
    fn extract(obj: &Bound<'py, PyAny, B>) -> PyResult<Self, B> {
        items_of_set(obj)
    }
}
