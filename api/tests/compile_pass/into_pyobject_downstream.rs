//! Sealing `IntoCallArgs` left `IntoPyObject` open: a crate of its own implements it for its
//! own type, and anypy uses the conversion (here through `list.append`, which lends objects
//! through `with_object`).
use anypy::types::{PyAny, PyList};
use anypy::{Backend, Bound, IntoPyObject, PyResult, Python};
use anypy_mock::Mock;

struct Celsius(f64);

impl<B: Backend> IntoPyObject<B> for Celsius {
    fn into_pyobject<'py>(self, py: Python<'py, B>) -> PyResult<Bound<'py, PyAny, B>, B> {
        self.0.into_pyobject(py)
    }
}

fn main() {
    Mock::leak_check(|| {
        Python::<Mock>::with_gil(|py| {
            let list = PyList::empty(py).unwrap();
            list.append(Celsius(21.5)).unwrap();
            assert_eq!(list.get_item(0).unwrap().extract::<f64>().unwrap(), 21.5);
        })
    });
}
