//! `panics`: a Rust panic inside a function reaches Python as `RuntimeError`, never as an
//! unwind across the C boundary.

use anypy::{Backend, ModuleBuilder, PyResult};

pub(crate) fn register<B: Backend>(m: &ModuleBuilder<'_, B>) -> PyResult<(), B> {
    m.add_function(panics::function())?;
    Ok(())
}

anypy::function! {
    /// Panic in Rust; Python sees RuntimeError with the panic message.
    fn panics() {
        panic!("the demo panicked, as asked");
    }
}

#[cfg(test)]
mod tests {
    use anypy::ExceptionKind::RuntimeError;

    use crate::testing::{assert_raises, call, call_as, with_demo};

    #[test]
    fn a_panic_becomes_runtime_error() {
        with_demo(|py, m| {
            assert_raises(
                py,
                call(m, "panics", ()),
                RuntimeError,
                "Rust panic in panics(): the demo panicked, as asked",
            );
            // The module still works afterwards.
            assert_eq!(call_as::<i64>(m, "add", (1, 1)), 2);
        });
    }
}
