//! The GIL token proves that *this* thread holds the GIL: it cannot move to another thread.
use anypy::Python;
use anypy_mock::Mock;

fn main() {
    Python::<Mock>::with_gil(|py| {
        std::thread::spawn(move || drop(py));
    });
}
