//! Strings: `greet` and `reverse` take `&str` borrowed from the Python `str`, no copy.

use anypy::{Backend, ModuleBuilder, PyResult};

pub(crate) fn register<B: Backend>(m: &ModuleBuilder<'_, B>) -> PyResult<(), B> {
    m.add_function(greet::function())?;
    m.add_function(reverse::function())?;
    Ok(())
}

anypy::function! {
    /// Return 'Hello, <name>!'.
    fn greet(name: &str) -> String {
        format!("Hello, {name}!")
    }
}

anypy::function! {
    /// Return s reversed, code point by code point, as s[::-1].
    fn reverse(s: &str) -> String {
        s.chars().rev().collect()
    }
}

#[cfg(test)]
mod tests {
    use anypy::ExceptionKind::TypeError;

    use crate::testing::{assert_raises, call, call_as, with_demo};

    #[test]
    fn greet_and_reverse() {
        with_demo(|py, m| {
            assert_eq!(call_as::<String>(m, "greet", ("Ada",)), "Hello, Ada!");
            assert_eq!(call_as::<String>(m, "reverse", ("añb€",)), "€bña");
            assert_eq!(call_as::<String>(m, "reverse", ("",)), "");
            assert_raises(
                py,
                call(m, "greet", (42,)),
                TypeError,
                "greet() argument 'name': expected str, got int",
            );
        });
    }
}
