//! The token lives only as long as `with_gil` holds the GIL: it cannot be returned from it.
use anypy::Python;
use anypy_mock::Mock;

fn main() {
    let py = Python::<Mock>::with_gil(|py| py);
    let _ = py.none();
}
