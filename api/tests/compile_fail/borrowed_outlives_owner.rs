//! A `Borrowed` is a view of an object its owner keeps alive: it cannot outlive that owner.
use anypy::types::PyDict;
use anypy::Python;
use anypy_mock::Mock;

fn main() {
    Python::<Mock>::with_gil(|py| {
        let borrowed;
        {
            let dict = PyDict::new(py).unwrap();
            borrowed = dict.as_borrowed();
        }
        let _ = borrowed.to_owned();
    });
}
