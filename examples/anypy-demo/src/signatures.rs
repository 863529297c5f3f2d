//! Python signatures, written once in the Rust parameter list: keywords and defaults (`scale`,
//! `label`), `*args` and `**kwargs` (`join`, `tag`), arguments borrowed with no refcount
//! traffic (`list_length`, `first`), and `noop` (no parameters: `METH_NOARGS`).

use anypy::types::{PyAny, PyDict, PyList, PyTuple};
use anypy::{Backend, Borrowed, Bound, ModuleBuilder, PyResult};

pub(crate) fn register<B: Backend>(m: &ModuleBuilder<'_, B>) -> PyResult<(), B> {
    m.add_function(scale::function())?;
    m.add_function(label::function())?;
    m.add_function(join::function())?;
    m.add_function(tag::function())?;
    m.add_function(list_length::function())?;
    m.add_function(first::function())?;
    m.add_function(noop::function())?;
    Ok(())
}

anypy::function! {
    /// Return value * factor + offset: value by position only, offset by keyword only.
    fn scale(value: f64, /, factor: f64 = 2.0, *, offset: f64 = 0.0) -> f64 {
        value * factor + offset
    }
}

anypy::function! {
    /// Return text with an optional prefix, padded to an optional width.
    fn label(text: &str, prefix: Option<&str>, width: Option<usize>) -> String {
        let text = match prefix {
            Some(prefix) => format!("{prefix}{text}"),
            None => text.to_owned(),
        };
        format!("{text:<width$}", width = width.unwrap_or(0))
    }
}

anypy::function! {
    /// Return the parts joined by sep.
    fn join(*parts: Vec<&str>, sep: &str = " ") -> String {
        parts.join(sep)
    }
}

anypy::function! {
    /// Return an XML element: <name key="value" ...>children...</name>.
    fn tag<'py, B>(
        name: &str,
        *children: Bound<'py, PyTuple, B>,
        **attrs: Option<Bound<'py, PyDict, B>>,
    ) -> PyResult<String, B> {
        let mut text = format!("<{name}");
        for (key, value) in attrs.iter().flat_map(|attrs| attrs.iter()) {
            text.push_str(&format!(" {}=\"{}\"", key.str()?, value.str()?));
        }
        text.push('>');
        for child in children.iter() {
            text.push_str(&child.str()?.to_string());
        }
        text.push_str(&format!("</{name}>"));
        Ok(text)
    }
}

anypy::function! {
    /// Return len(items) for a list, borrowed from the caller (no reference taken).
    fn list_length<'py, B>(items: &Bound<'py, PyList, B>) -> usize {
        items.len()
    }
}

anypy::function! {
    /// Return items[0] (IndexError if empty); the list is borrowed, the item returned new.
    fn first<'py, B>(items: Borrowed<'_, 'py, PyList, B>) -> PyResult<Bound<'py, PyAny, B>, B> {
        items.get_item(0)
    }
}

anypy::function! {
    /// Do nothing and return None.
    fn noop() {}
}

#[cfg(test)]
mod tests {
    use anypy::types::PyList;
    use anypy::ExceptionKind::{IndexError, TypeError};

    use crate::testing::{assert_raises, call, call_as, with_demo};

    #[test]
    fn defaults_and_markers() {
        with_demo(|py, m| {
            assert_eq!(call_as::<f64>(m, "scale", (3.0,)), 6.0);
            assert_eq!(call_as::<f64>(m, "scale", (3.0, 3.0)), 9.0);
            assert_eq!(call_as::<String>(m, "label", ("x",)), "x");
            assert_eq!(call_as::<String>(m, "label", ("x", "> ", 4)), "> x ");
            assert_raises(
                py,
                call(m, "scale", ()),
                TypeError,
                "scale() missing 1 required positional argument: 'value'",
            );
        });
    }

    #[test]
    fn var_args_and_borrowed_lists() {
        with_demo(|py, m| {
            assert_eq!(call_as::<String>(m, "join", ("a", "b")), "a b");
            assert_eq!(call_as::<String>(m, "tag", ("p", "hi", 1)), "<p>hi1</p>");
            let list = PyList::new(py, [4, 5]).unwrap();
            let before = list.get_refcnt();
            assert_eq!(call_as::<usize>(m, "list_length", (&list,)), 2);
            assert_eq!(call_as::<i64>(m, "first", (&list,)), 4);
            assert_eq!(list.get_refcnt(), before);
            assert_raises(
                py,
                call(m, "list_length", ((1,),)),
                TypeError,
                "list_length() argument 'items': expected list, got tuple",
            );
            let empty = PyList::empty(py).unwrap();
            assert_raises(
                py,
                call(m, "first", (&empty,)),
                IndexError,
                "list index out of range",
            );
            assert!(call(m, "noop", ()).unwrap().is_none());
        });
    }
}
