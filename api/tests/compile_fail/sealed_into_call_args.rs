//! `IntoCallArgs` hands raw pointers to the backend's call: it is sealed, so no crate but
//! anypy can implement it.
use anypy::{Backend, IntoCallArgs, PyResult, Python, RawPtr};

struct Dangling;

impl<B: Backend> IntoCallArgs<B> for Dangling {
    fn with_args<'py, R>(
        self,
        _py: Python<'py, B>,
        call: impl FnOnce(&[RawPtr]) -> PyResult<R, B>,
    ) -> PyResult<R, B> {
        call(&[std::ptr::NonNull::dangling()])
    }
}

fn main() {}
