//! Strings: `greet` and `reverse` take `&str` borrowed from the Python `str`, no copy.

use anypy::{Backend, Function, ModuleBuilder, PyResult};

pub(crate) fn register<B: Backend>(m: &ModuleBuilder<'_, B>) -> PyResult<(), B> {
    m.add_function(
        Function::new("greet", greet)
            .arg_names(&["name"])
            .doc("greet(name) -> str\n\nReturn 'Hello, <name>!'."),
    )?;
    m.add_function(
        Function::new("reverse", reverse)
            .arg_names(&["s"])
            .doc("reverse(s) -> str\n\nReturn s reversed, code point by code point, as s[::-1]."),
    )?;
    Ok(())
}

fn greet(name: &str) -> String {
    format!("Hello, {name}!")
}

fn reverse(s: &str) -> String {
    s.chars().rev().collect()
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
                "greet() argument 1 ('name'): expected str, got int",
            );
        });
    }
}
