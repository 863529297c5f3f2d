//! `HashMap` and `BTreeMap` to and from `dict`.

use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasher, Hash};

use crate::backend::Backend;
use crate::conversion::expected_type as expected;
use crate::conversion::{FromPyObject, IntoPyObject};
use crate::err::PyResult;
use crate::instance::Bound;
use crate::python::Python;
use crate::types::{PyAny, PyDict};

/// Builds a dict from key/value pairs; on failure the partial dict is released.
fn dict_from_pairs<'py, B: Backend, K: IntoPyObject<B>, V: IntoPyObject<B>>(
    py: Python<'py, B>,
    pairs: impl IntoIterator<Item = (K, V)>,
) -> PyResult<Bound<'py, PyAny, B>, B> {
    let dict = PyDict::new(py)?;
    for (key, value) in pairs {
        dict.set_item(key, value)?;
    }
    Ok(dict.into_any())
}

/// Reads every entry of a dict.
fn pairs_of_dict<
    'py,
    B: Backend,
    K: FromPyObject<'py, B>,
    V: FromPyObject<'py, B>,
    C: FromIterator<(K, V)>,
>(
    obj: &Bound<'py, PyAny, B>,
) -> PyResult<C, B> {
    let dict = obj
        .downcast::<PyDict>()
        .map_err(|_| expected("dict", obj))?;
    dict.iter()
        .map(|(key, value)| Ok((K::extract(&key)?, V::extract(&value)?)))
        .collect()
}

impl<B: Backend, K: IntoPyObject<B>, V: IntoPyObject<B>, S> IntoPyObject<B> for HashMap<K, V, S> {
    fn into_pyobject<'py>(self, py: Python<'py, B>) -> PyResult<Bound<'py, PyAny, B>, B> {
        dict_from_pairs(py, self)
    }
}

impl<'py, B, K, V, S> FromPyObject<'py, B> for HashMap<K, V, S>
where
    B: Backend,
    K: FromPyObject<'py, B> + Eq + Hash,
    V: FromPyObject<'py, B>,
    S: BuildHasher + Default,
{
    fn extract(obj: &Bound<'py, PyAny, B>) -> PyResult<Self, B> {
        pairs_of_dict(obj)
    }
}

impl<B: Backend, K: IntoPyObject<B>, V: IntoPyObject<B>> IntoPyObject<B> for BTreeMap<K, V> {
    fn into_pyobject<'py>(self, py: Python<'py, B>) -> PyResult<Bound<'py, PyAny, B>, B> {
        dict_from_pairs(py, self)
    }
}

impl<'py, B: Backend, K: FromPyObject<'py, B> + Ord, V: FromPyObject<'py, B>> FromPyObject<'py, B>
    for BTreeMap<K, V>
{
    fn extract(obj: &Bound<'py, PyAny, B>) -> PyResult<Self, B> {
        pairs_of_dict(obj)
    }
}
