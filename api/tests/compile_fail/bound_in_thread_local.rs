//! A thread-local holds only `'static` values, and no `Bound` is `'static`: one cannot be
//! parked there to be reached later without the GIL (for example inside `allow_threads`).
use std::cell::RefCell;

use anypy::types::PyAny;
use anypy::{Bound, Python};
use anypy_mock::Mock;

thread_local! {
    static PARKED: RefCell<Option<Bound<'static, PyAny, Mock>>> = const { RefCell::new(None) };
}

fn main() {
    Python::<Mock>::with_gil(|py| {
        let none = py.none().into_any();
        PARKED.with(|parked| *parked.borrow_mut() = Some(none));
    });
}
