//! `Vec<T>` and tuples of up to six values.

use crate::backend::Backend;
use crate::conversion::expected_type as expected;
use crate::conversion::{FromPyObject, IntoPyObject};
use crate::err::{PyErr, PyResult};
use crate::exceptions::ValueError;
use crate::instance::Bound;
use crate::python::Python;
use crate::types::{PyAny, PyList, PyTuple};

/// Reads a `list` or `tuple` item by item.
pub(crate) fn extract_sequence<'py, B: Backend, T: FromPyObject<'py, B>>(
    obj: &Bound<'py, PyAny, B>,
) -> PyResult<Vec<T>, B> {
    if let Ok(list) = obj.downcast::<PyList>() {
        list.iter().map(|item| T::extract(&item)).collect()
    } else if let Ok(tuple) = obj.downcast::<PyTuple>() {
        tuple.iter().map(|item| T::extract(&item)).collect()
    } else {
        Err(expected("list or tuple", obj))
    }
}

impl<B: Backend, T: IntoPyObject<B>> IntoPyObject<B> for Vec<T> {
    fn into_pyobject<'py>(self, py: Python<'py, B>) -> PyResult<Bound<'py, PyAny, B>, B> {
        T::vec_into_pyobject(self, py)
    }
}

impl<'py, B: Backend, T: FromPyObject<'py, B>> FromPyObject<'py, B> for Vec<T> {
    const HOLDS_PY: bool = T::HOLDS_PY;

    fn extract(obj: &Bound<'py, PyAny, B>) -> PyResult<Self, B> {
        T::vec_extract(obj)
    }
}

macro_rules! tuple_conversions {
    ($len:literal: $($T:ident $index:tt),+) => {
        impl<B: Backend, $($T: IntoPyObject<B>),+> IntoPyObject<B> for ($($T,)+) {
            /// The items are converted first (an error releases those converted so far), then
            /// moved into the new tuple's slots one by one: no array is iterated, which kept
            /// the items in memory and cost a `memcpy` and a drop-guard call per tuple where
            /// the optimizer could not see through it (PyPy's table calls can panic).
            #[inline]
            fn into_pyobject<'py>(self, py: Python<'py, B>) -> PyResult<Bound<'py, PyAny, B>, B> {
                let items = ($(self.$index.into_pyobject(py)?,)+);
                let tuple: Bound<'py, PyTuple, B> =
                    // SAFETY: the token proves the GIL; the result is a new reference or an error.
                    unsafe { Bound::from_owned_ptr_or_err(py, B::tuple_new($len))? };
                // SAFETY: a fresh tuple of this length; each slot is set once; each reference
                // moves into its slot.
                $(unsafe { B::tuple_init_item(tuple.as_ptr(), $index, items.$index.into_ptr()) };)+
                Ok(tuple.into_any())
            }
        }

        impl<'py, B: Backend, $($T: FromPyObject<'py, B>),+> FromPyObject<'py, B> for ($($T,)+) {
            /// From a `tuple` of exactly this length (`ValueError` for another length).
            fn extract(obj: &Bound<'py, PyAny, B>) -> PyResult<Self, B> {
                let tuple = obj.downcast::<PyTuple>().map_err(|_| expected("tuple", obj))?;
                if tuple.len() != $len {
                    return Err(PyErr::new::<ValueError, _>(format!(
                        "expected a tuple of length {}, got length {}", $len, tuple.len()
                    )));
                }
                Ok(($($T::extract(&*tuple.get_borrowed_item($index)?)?,)+))
            }
        }
    };
}

tuple_conversions!(1: T0 0);
tuple_conversions!(2: T0 0, T1 1);
tuple_conversions!(3: T0 0, T1 1, T2 2);
tuple_conversions!(4: T0 0, T1 1, T2 2, T3 3);
tuple_conversions!(5: T0 0, T1 1, T2 2, T3 3, T4 4);
tuple_conversions!(6: T0 0, T1 1, T2 2, T3 3, T4 4, T5 5);
