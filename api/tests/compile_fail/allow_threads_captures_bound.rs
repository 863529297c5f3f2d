//! `allow_threads` runs its closure without the GIL: the closure cannot capture a `Bound`.
use anypy::types::PyDict;
use anypy::Python;
use anypy_mock::Mock;

fn main() {
    Python::<Mock>::with_gil(|py| {
        let dict = PyDict::new(py).unwrap();
        py.allow_threads(|| dict.len());
    });
}
