//! A `Bound` is tied to the thread holding the GIL: it cannot move to another thread.
use anypy::types::PyDict;
use anypy::Python;
use anypy_mock::Mock;

fn main() {
    Python::<Mock>::with_gil(|py| {
        let dict = PyDict::new(py).unwrap();
        std::thread::spawn(move || drop(dict));
    });
}
