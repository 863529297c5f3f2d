//! Native functions with Python signatures (`anypy::function!`): keywords, defaults, `/` and
//! `*`, `*args`/`**kwargs`, borrowed arguments, and every argument error worded as CPython 3.11
//! words it for a Python function of the same signature.

use anypy::types::{PyAny, PyDict, PyList, PyStr, PyTuple};
use anypy::{Backend, Borrowed, Bound, ExceptionKind, ModuleBuilder, PyResult, Python};

use crate::support::{assert_raises, with_py};

anypy::function! {
    /// Greets someone `times` times.
    fn greet(name: &str, times: usize = 1, *, sep: &str = " ") -> String {
        vec![format!("hello, {name}!"); times].join(sep)
    }
}

anypy::function! {
    fn add(a: i64, b: i64) -> i64 {
        a + b
    }
}

anypy::function! {
    fn three(a: i64, b: i64, c: i64) -> i64 {
        a * 100 + b * 10 + c
    }
}

anypy::function! {
    fn span(a: i64, b: i64 = 1, c: i64 = 2) -> (i64, i64, i64) {
        (a, b, c)
    }
}

anypy::function! {
    fn pos(a: i64, b: i64, /, c: i64) -> i64 {
        a + b + c
    }
}

anypy::function! {
    fn kwonly(*, key: String, flag: bool = false) -> (String, bool) {
        (key, flag)
    }
}

anypy::function! {
    fn one(a: i64) -> i64 {
        a
    }
}

anypy::function! {
    fn nothing() -> i64 {
        7
    }
}

anypy::function! {
    fn maybe(value: i64, label: Option<&str>, scale: Option<i64>) -> String {
        format!("{}:{}", label.unwrap_or("none"), value * scale.unwrap_or(1))
    }
}

anypy::function! {
    fn star<'py, B>(first: i64, *rest: Bound<'py, PyTuple, B>, key: i64 = 0) -> (i64, usize, i64) {
        (first, rest.len(), key)
    }
}

anypy::function! {
    fn total(*values: Vec<i64>) -> i64 {
        values.iter().sum()
    }
}

anypy::function! {
    fn words(*values: Vec<&str>) -> String {
        values.concat()
    }
}

anypy::function! {
    fn kw<'py, B>(a: i64, **extra: Option<Bound<'py, PyDict, B>>) -> PyResult<(i64, Vec<String>), B> {
        let keys = match extra {
            Some(extra) => extra.keys().map(|key| key.to_string()).collect(),
            None => Vec::new(),
        };
        Ok((a, keys))
    }
}

anypy::function! {
    fn pk<'py, B>(a: i64, /, **kw: Option<Bound<'py, PyDict, B>>) -> (i64, usize) {
        (a, kw.map_or(0, |kw| kw.len()))
    }
}

anypy::function! {
    fn length<'py, B>(items: &Bound<'py, PyList, B>) -> usize {
        items.len()
    }
}

anypy::function! {
    fn first_of<'py, B>(items: Borrowed<'_, 'py, PyList, B>) -> PyResult<Bound<'py, PyAny, B>, B> {
        items.get_item(0)
    }
}

anypy::function! {
    fn pair<'py, B>(py: Python<'py, B>, left: &Bound<'py, PyAny, B>, right: &Bound<'py, PyAny, B>)
        -> PyResult<Bound<'py, PyList, B>, B> {
        PyList::new(py, [left, right])
    }
}

anypy::function! {
    fn maybe_list<'py, B>(items: Option<&Bound<'py, PyList, B>> = None) -> i64 {
        items.map_or(-1, |items| items.len() as i64)
    }
}

/// Calls `f` with positional `args` and the keywords `kwargs`.
pub(crate) fn call_kw<'py, B: Backend>(
    f: &Bound<'py, PyAny, B>,
    args: impl anypy::IntoCallArgs<B>,
    kwargs: &[(&str, Bound<'py, PyAny, B>)],
) -> PyResult<Bound<'py, PyAny, B>, B> {
    let dict = PyDict::new(f.py())?;
    for (key, value) in kwargs {
        dict.set_item(*key, value)?;
    }
    f.call(args, Some(&dict))
}

pub(crate) fn int<B: Backend>(py: Python<'_, B>, value: i64) -> Bound<'_, PyAny, B> {
    anypy::IntoPyObject::into_pyobject(value, py).unwrap()
}

/// Parameters are passed by position or by keyword, defaults fill what is left.
pub fn sig_keywords_and_defaults<B: Backend>() {
    with_py::<B>(|py| {
        let f = greet::function::<B>().build(py)?;
        assert_eq!(f.call1(("Ada",))?.extract::<String>()?, "hello, Ada!");
        assert_eq!(
            f.call1(("Ada", 2))?.extract::<String>()?,
            "hello, Ada! hello, Ada!"
        );
        let text = anypy::IntoPyObject::into_pyobject("Bo", py)?;
        let sep = anypy::IntoPyObject::into_pyobject("|", py)?;
        let by_keyword = call_kw(
            &f,
            (),
            &[("name", text), ("times", int(py, 2)), ("sep", sep)],
        )?;
        assert_eq!(by_keyword.extract::<String>()?, "hello, Bo!|hello, Bo!");
        let added = add::function::<B>().build(py)?;
        assert_eq!(
            call_kw(&added, (1,), &[("b", int(py, 2))])?.extract::<i64>()?,
            3
        );
        assert_eq!(
            call_kw(&added, (), &[("b", int(py, 2)), ("a", int(py, 40))])?.extract::<i64>()?,
            42
        );
        let spanned = span::function::<B>().build(py)?;
        assert_eq!(
            call_kw(&spanned, (5,), &[("c", int(py, 9))])?.extract::<(i64, i64, i64)>()?,
            (5, 1, 9)
        );
        Ok(())
    })
}

/// `Option` parameters default to `None`; `Option<&str>`/`Option<&Bound>` read `None` too.
pub fn sig_option_defaults_to_none<B: Backend>() {
    with_py::<B>(|py| {
        let f = maybe::function::<B>().build(py)?;
        assert_eq!(f.call1((3,))?.extract::<String>()?, "none:3");
        assert_eq!(f.call1((3, "x", 2))?.extract::<String>()?, "x:6");
        assert_eq!(f.call1((3, py.none(), 2))?.extract::<String>()?, "none:6");
        assert_eq!(
            f.getattr("__text_signature__")?.to_string(),
            "(value, label=None, scale=None)"
        );
        let g = maybe_list::function::<B>().build(py)?;
        assert_eq!(g.call0()?.extract::<i64>()?, -1);
        assert_eq!(g.call1((PyList::new(py, [1, 2])?,))?.extract::<i64>()?, 2);
        assert_raises(
            py,
            g.call1((5,)),
            ExceptionKind::TypeError,
            "maybe_list() argument 'items': expected list, got int",
        );
        Ok(())
    })
}

/// `/` and `*`: positional-only and keyword-only parameters.
pub fn sig_positional_only_and_keyword_only<B: Backend>() {
    with_py::<B>(|py| {
        let f = pos::function::<B>().build(py)?;
        assert_eq!(f.call1((1, 2, 3))?.extract::<i64>()?, 6);
        assert_eq!(
            call_kw(&f, (1, 2), &[("c", int(py, 3))])?.extract::<i64>()?,
            6
        );
        assert_eq!(f.getattr("__text_signature__")?.to_string(), "(a, b, /, c)");
        let g = kwonly::function::<B>().build(py)?;
        let key = anypy::IntoPyObject::into_pyobject("k", py)?;
        let flag = anypy::IntoPyObject::into_pyobject(true, py)?;
        assert_eq!(
            call_kw(&g, (), &[("key", key), ("flag", flag)])?.extract::<(String, bool)>()?,
            ("k".to_owned(), true)
        );
        assert_eq!(
            g.getattr("__text_signature__")?.to_string(),
            "(*, key, flag=False)"
        );
        Ok(())
    })
}

/// `*args` as a tuple or a `Vec`, `**kwargs` as an optional dict (`None` when empty).
pub fn sig_var_args_and_kwargs<B: Backend>() {
    with_py::<B>(|py| {
        let f = star::function::<B>().build(py)?;
        assert_eq!(f.call1((1,))?.extract::<(i64, usize, i64)>()?, (1, 0, 0));
        assert_eq!(
            call_kw(&f, (1, 2, 3), &[("key", int(py, 4))])?.extract::<(i64, usize, i64)>()?,
            (1, 2, 4)
        );
        assert_eq!(
            f.getattr("__text_signature__")?.to_string(),
            "(first, *rest, key=0)"
        );
        let t = total::function::<B>().build(py)?;
        assert_eq!(t.call1((1, 2, 3))?.extract::<i64>()?, 6);
        assert_eq!(t.call0()?.extract::<i64>()?, 0);
        assert_raises(
            py,
            t.call1((1, "x")),
            ExceptionKind::TypeError,
            "total() argument 'values': expected int, got str",
        );
        let w = words::function::<B>().build(py)?;
        assert_eq!(w.call1(("a", "b"))?.extract::<String>()?, "ab");
        let k = kw::function::<B>().build(py)?;
        assert_eq!(
            k.call1((1,))?.extract::<(i64, Vec<String>)>()?,
            (1, Vec::new())
        );
        let extra = call_kw(
            &k,
            (),
            &[("a", int(py, 1)), ("x", int(py, 2)), ("y", int(py, 3))],
        )?;
        assert_eq!(
            extra.extract::<(i64, Vec<String>)>()?,
            (1, vec!["x".to_owned(), "y".to_owned()])
        );
        assert_eq!(k.getattr("__text_signature__")?.to_string(), "(a, **extra)");
        let p = pk::function::<B>().build(py)?;
        assert_eq!(
            call_kw(&p, (1,), &[("a", int(py, 2))])?.extract::<(i64, usize)>()?,
            (1, 1),
            "a positional-only name passed by keyword goes to **kwargs"
        );
        Ok(())
    })
}

/// Missing arguments: CPython's texts, one, two and three names.
pub fn sig_missing_arguments_errors<B: Backend>() {
    with_py::<B>(|py| {
        let greet = greet::function::<B>().build(py)?;
        let add = add::function::<B>().build(py)?;
        let three = three::function::<B>().build(py)?;
        let kwonly = kwonly::function::<B>().build(py)?;
        let pos = pos::function::<B>().build(py)?;
        let star = star::function::<B>().build(py)?;
        let pk = pk::function::<B>().build(py)?;
        let cases = [
            (
                greet.call0(),
                "greet() missing 1 required positional argument: 'name'",
            ),
            (
                add.call0(),
                "add() missing 2 required positional arguments: 'a' and 'b'",
            ),
            (
                three.call0(),
                "three() missing 3 required positional arguments: 'a', 'b', and 'c'",
            ),
            (
                add.call1((1,)),
                "add() missing 1 required positional argument: 'b'",
            ),
            (
                three.call1((1,)),
                "three() missing 2 required positional arguments: 'b' and 'c'",
            ),
            (
                kwonly.call0(),
                "kwonly() missing 1 required keyword-only argument: 'key'",
            ),
            (
                pos.call1((1, 2)),
                "pos() missing 1 required positional argument: 'c'",
            ),
            (
                star.call0(),
                "star() missing 1 required positional argument: 'first'",
            ),
            (
                call_kw(&pk, (), &[("a", int(py, 1))]),
                "pk() missing 1 required positional argument: 'a'",
            ),
        ];
        for (result, message) in cases {
            assert_raises(py, result, ExceptionKind::TypeError, message);
        }
        let flag = anypy::IntoPyObject::into_pyobject(true, py)?;
        assert_raises(
            py,
            call_kw(&kwonly, (), &[("flag", flag)]),
            ExceptionKind::TypeError,
            "kwonly() missing 1 required keyword-only argument: 'key'",
        );
        Ok(())
    })
}

/// Too many positional arguments: the count, `from 1 to 3` with defaults, `was`/`were`, and
/// the keyword-only arguments given alongside.
pub fn sig_too_many_positional_errors<B: Backend>() {
    with_py::<B>(|py| {
        let greet = greet::function::<B>().build(py)?;
        let sep = anypy::IntoPyObject::into_pyobject("a", py)?;
        let cases = [
            (
                greet.call1(("x", 1, 2)),
                "greet() takes from 1 to 2 positional arguments but 3 were given",
            ),
            (
                add::function::<B>().build(py)?.call1((1, 2, 3)),
                "add() takes 2 positional arguments but 3 were given",
            ),
            (
                span::function::<B>().build(py)?.call1((1, 2, 3, 4)),
                "span() takes from 1 to 3 positional arguments but 4 were given",
            ),
            (
                one::function::<B>().build(py)?.call1((1, 2)),
                "one() takes 1 positional argument but 2 were given",
            ),
            (
                kwonly::function::<B>().build(py)?.call1((1,)),
                "kwonly() takes 0 positional arguments but 1 was given",
            ),
            (
                call_kw(&greet, ("x", 1, 2), &[("sep", sep)]),
                "greet() takes from 1 to 2 positional arguments but 3 positional arguments \
                 (and 1 keyword-only argument) were given",
            ),
        ];
        for (result, message) in cases {
            assert_raises(py, result, ExceptionKind::TypeError, message);
        }
        Ok(())
    })
}

/// Keywords that do not fit: unknown, given twice, positional-only.
pub fn sig_keyword_errors<B: Backend>() {
    with_py::<B>(|py| {
        let greet = greet::function::<B>().build(py)?;
        let add = add::function::<B>().build(py)?;
        let pos = pos::function::<B>().build(py)?;
        let kw = kw::function::<B>().build(py)?;
        let cases = [
            (
                call_kw(&greet, ("x",), &[("nme", int(py, 1))]),
                "greet() got an unexpected keyword argument 'nme'",
            ),
            (
                call_kw(&add, (1,), &[("a", int(py, 2))]),
                "add() got multiple values for argument 'a'",
            ),
            (
                call_kw(&add, (1, 2, 3), &[("a", int(py, 2))]),
                "add() got multiple values for argument 'a'",
            ),
            (
                call_kw(
                    &pos,
                    (1, 2),
                    &[("a", int(py, 1)), ("b", int(py, 2)), ("c", int(py, 3))],
                ),
                "pos() got some positional-only arguments passed as keyword arguments: 'a, b'",
            ),
            (
                call_kw(&pos, (1,), &[("a", int(py, 1)), ("c", int(py, 1))]),
                "pos() got some positional-only arguments passed as keyword arguments: 'a'",
            ),
            (
                call_kw(&kw, (1,), &[("a", int(py, 2))]),
                "kw() got multiple values for argument 'a'",
            ),
        ];
        for (result, message) in cases {
            assert_raises(py, result, ExceptionKind::TypeError, message);
        }
        Ok(())
    })
}

/// A wrong type names the function and the parameter, whether passed by position or keyword;
/// an out-of-range value keeps its class.
pub fn sig_argument_type_errors_name_the_parameter<B: Backend>() {
    with_py::<B>(|py| {
        let greet = greet::function::<B>().build(py)?;
        assert_raises(
            py,
            greet.call1((1,)),
            ExceptionKind::TypeError,
            "greet() argument 'name': expected str, got int",
        );
        assert_raises(
            py,
            call_kw(&greet, ("x",), &[("sep", int(py, 1))]),
            ExceptionKind::TypeError,
            "greet() argument 'sep': expected str, got int",
        );
        assert_raises(
            py,
            greet.call1(("x", -1)),
            ExceptionKind::OverflowError,
            "greet() argument 'times': ",
        );
        assert_raises(
            py,
            length::function::<B>().build(py)?.call1(((1, 2),)),
            ExceptionKind::TypeError,
            "length() argument 'items': expected list, got tuple",
        );
        Ok(())
    })
}

/// `&Bound` and `Borrowed` parameters borrow the caller's object: no count changes; a handler
/// with the token returns a `Bound`.
pub fn sig_borrowed_arguments<B: Backend>() {
    with_py::<B>(|py| {
        let list = PyList::new(py, [10, 20, 30])?;
        let before = list.get_refcnt();
        let f = length::function::<B>().build(py)?;
        for _ in 0..100 {
            assert_eq!(f.call1((&list,))?.extract::<usize>()?, 3);
        }
        assert_eq!(list.get_refcnt(), before);
        let g = first_of::function::<B>().build(py)?;
        assert_eq!(g.call1((&list,))?.extract::<i64>()?, 10);
        assert_eq!(list.get_refcnt(), before);
        let p = pair::function::<B>().build(py)?;
        let made = p.call1((1, "b"))?.downcast_into::<PyList>()?;
        assert_eq!(made.get_item(0)?.extract::<i64>()?, 1);
        assert_eq!(made.get_item(1)?.extract::<String>()?, "b");
        // Not a one-character str: those are shared singletons whose count other tests move.
        let text = PyStr::new(py, "sig_borrowed_arguments probe")?;
        let before = text.get_refcnt();
        drop(p.call1((&text, &text))?);
        py.collect_garbage()?; // PyPy frees the dropped list (and its references) in its GC
        assert_eq!(text.get_refcnt(), before);
        Ok(())
    })
}

/// A function without parameters rejects arguments as a `METH_NOARGS` builtin does.
pub fn sig_no_parameters<B: Backend>() {
    with_py::<B>(|py| {
        let f = nothing::function::<B>().build(py)?;
        assert_eq!(f.call0()?.extract::<i64>()?, 7);
        assert_raises(
            py,
            f.call1((1,)),
            ExceptionKind::TypeError,
            "nothing() takes no arguments",
        );
        assert_eq!(f.getattr("__text_signature__")?.to_string(), "()");
        Ok(())
    })
}

/// In a module: `__module__`, `__qualname__`, `__doc__`, `__text_signature__`, and a repr that
/// is a builtin function's, not a method of some holder object.
pub fn sig_function_object_attributes<B: Backend>() {
    with_py::<B>(|py| {
        let builder = ModuleBuilder::new(py, "anypy_sig_demo")?;
        builder.add_function(greet::function())?;
        builder.function("plain", |a: i64| a)?;
        let module = builder.finish();
        let f = module.getattr("greet")?;
        assert_eq!(f.getattr("__module__")?.to_string(), "anypy_sig_demo");
        assert_eq!(f.getattr("__qualname__")?.to_string(), "greet");
        assert_eq!(f.getattr("__name__")?.to_string(), "greet");
        assert_eq!(
            f.getattr("__doc__")?.to_string(),
            "Greets someone `times` times."
        );
        assert_eq!(
            f.getattr("__text_signature__")?.to_string(),
            "(name, times=1, *, sep=' ')"
        );
        let repr = f.repr()?.to_string();
        // PyPy's repr of any builtin function is `<builtin_function_or_method object at ..>`.
        assert!(
            repr == "<built-in function greet>"
                || repr.starts_with("<builtin_function_or_method object at "),
            "{repr}"
        );
        let plain = module.getattr("plain")?;
        assert_eq!(plain.getattr("__module__")?.to_string(), "anypy_sig_demo");
        assert_eq!(
            plain.getattr("__text_signature__")?.to_string(),
            "(arg1, /)"
        );
        assert!(plain.getattr("__doc__")?.is_none());
        Ok(())
    })
}

/// The Rust function stays callable from Rust with its declared parameters.
pub fn sig_rust_function_stays_callable<B: Backend>() {
    assert_eq!(greet("Ada", 2, "+"), "hello, Ada!+hello, Ada!");
    assert_eq!(span(1, 2, 3), (1, 2, 3));
    assert_eq!(maybe(2, Some("l"), None), "l:2");
    with_py::<B>(|py| {
        assert_eq!(length(&PyList::new(py, [1])?), 1);
        Ok(())
    })
}

#[doc(hidden)]
#[macro_export]
macro_rules! __suite_signatures {
    ($backend:ty, $harness:expr) => {
        $crate::__conformance_emit!($backend, $harness;
            signatures::sig_keywords_and_defaults,
            signatures::sig_option_defaults_to_none,
            signatures::sig_positional_only_and_keyword_only,
            signatures::sig_var_args_and_kwargs,
            signatures::sig_missing_arguments_errors,
            signatures::sig_too_many_positional_errors,
            signatures::sig_keyword_errors,
            signatures::sig_argument_type_errors_name_the_parameter,
            signatures::sig_borrowed_arguments,
            signatures::sig_no_parameters,
            signatures::sig_function_object_attributes,
            signatures::sig_rust_function_stays_callable,
        );
    };
}
