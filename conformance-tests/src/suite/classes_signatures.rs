//! Methods, class methods, constructors and `__call__` defined with `anypy::method!` and
//! `anypy::constructor!`: keywords, defaults, `/`, `*`, `*args`/`**kwargs`, text signatures,
//! docstrings, and every argument error worded as CPython 3.11 words it for a Python method (the
//! receiver counted in the numbers, as CPython counts it).

use anypy::types::{PyAny, PyDict, PyType};
use anypy::{
    Backend, Bound, ClassBuilder, ExceptionKind, Py, PyClass, PyRef, PyRefMut, PyResult, Python,
};

use super::signatures::{call_kw, int};
use crate::support::{assert_raises, with_py};

/// A tally counting in steps.
struct Tally {
    n: i64,
    step: i64,
}

anypy::constructor! {
    /// A tally counting in steps.
    fn new_tally(start: i64 = 0, *, step: i64 = 1) -> Tally {
        Tally { n: start, step }
    }
}

anypy::method! {
    /// Adds `by` steps; returns the count.
    fn incr(this: &mut Tally, by: i64 = 1) -> i64 {
        this.n += by * this.step;
        this.n
    }
}

anypy::method! {
    fn label(this: &Tally, prefix: &str, /, *, suffix: Option<&str>) -> String {
        format!("{prefix}{}{}", this.n, suffix.unwrap_or(""))
    }
}

anypy::method! {
    fn gather<'py, B>(this: &Tally, py: Python<'py, B>, *values: Vec<i64>,
        **extra: Option<Bound<'py, PyDict, B>>) -> PyResult<(i64, usize), B> {
        let _ = py;
        Ok((this.n + values.iter().sum::<i64>(), extra.map_or(0, |extra| extra.len())))
    }
}

anypy::method! {
    /// A tally of the class it is called through, at `start`.
    fn starting_at<'py, B>(cls: &Bound<'py, PyType, B>, start: i64, *, step: i64 = 1)
        -> PyResult<Bound<'py, PyAny, B>, B> {
        let kwargs = PyDict::new(cls.py())?;
        kwargs.set_item("step", step)?;
        cls.call((start,), Some(&kwargs))
    }
}

anypy::method! {
    fn is_base_class<'py, B>(cls: &Bound<'py, PyType, B>) -> PyResult<bool, B> {
        cls.is_class::<Tally>()
    }
}

anypy::method! {
    fn itself<'py, B>(this: &Bound<'py, Tally, B>) -> Bound<'py, Tally, B> {
        this.clone()
    }
}

anypy::method! {
    /// Sets the count and returns the instance itself.
    fn renumber<'py, B>(this: PyRefMut<'_, 'py, Tally, B>, n: i64 = 0) -> Bound<'py, Tally, B> {
        let mut this = this;
        this.n = n;
        this.object().to_owned()
    }
}

anypy::method! {
    /// Calls `label` on itself through Python while it holds the value mutably borrowed.
    fn relabel_while_held<'py, B>(this: PyRefMut<'_, 'py, Tally, B>) -> PyResult<String, B> {
        let err = this.object().to_owned().as_any().getattr("label")?.call1(("n=",)).unwrap_err();
        assert!(err.matches(this.py(), ExceptionKind::RuntimeError));
        Ok(err.message(this.py()))
    }
}

anypy::method! {
    fn scaled(this: &Tally, times: i64 = 1, *, offset: i64 = 0) -> i64 {
        this.n * times + offset
    }
}

impl<B: Backend> PyClass<B> for Tally {
    const NAME: &'static str = "Tally";

    fn define(class: &mut ClassBuilder<'_, Self, B>) -> PyResult<(), B> {
        class
            .constructor_fn(new_tally::constructor())?
            .method_fn(incr::method())?
            .method_fn(label::method())?
            .method_fn(gather::method())?
            .method_fn(starting_at::method())?
            .method_fn(is_base_class::method())?
            .method_fn(itself::method())?
            .method_fn(renumber::method())?
            .method_fn(relabel_while_held::method())?
            .method("peek", |this: PyRef<'_, '_, Tally, B>| this.n)?
            .method(
                "bump",
                |mut this: PyRefMut<'_, '_, Tally, B>, by: i64| -> Py<Tally, B> {
                    this.n += by;
                    this.object().to_owned().unbind()
                },
            )?
            .call_fn(scaled::method())?;
        Ok(())
    }
}

fn tally<'py, B: Backend>(
    py: Python<'py, B>,
    start: i64,
    step: i64,
) -> PyResult<Bound<'py, PyAny, B>, B> {
    let class = <Tally as PyClass<B>>::type_object(py)?;
    call_kw(&class, (start,), &[("step", int(py, step))])
}

/// The constructor and methods take arguments by position or keyword; defaults fill the rest.
pub fn cls_sig_keywords_and_defaults<B: Backend>() {
    with_py::<B>(|py| {
        let class = <Tally as PyClass<B>>::type_object(py)?;
        assert_eq!(class.call0()?.downcast_class::<Tally>()?.borrow().n, 0);
        let counter = tally(py, 2, 3)?;
        assert_eq!(counter.downcast_class::<Tally>()?.borrow().step, 3);
        let incr = counter.getattr("incr")?;
        assert_eq!(incr.call0()?.extract::<i64>()?, 5);
        assert_eq!(
            call_kw(&incr, (), &[("by", int(py, 2))])?.extract::<i64>()?,
            11
        );
        assert_eq!(incr.call1((2,))?.extract::<i64>()?, 17);
        let label = counter.getattr("label")?;
        assert_eq!(label.call1(("n=",))?.extract::<String>()?, "n=17");
        let suffix = anypy::IntoPyObject::into_pyobject("!", py)?;
        assert_eq!(
            call_kw(&label, ("n=",), &[("suffix", suffix)])?.extract::<String>()?,
            "n=17!"
        );
        let gather = counter.getattr("gather")?;
        let (sum, extra) = call_kw(&gather, (1, 2), &[("x", int(py, 0)), ("y", int(py, 0))])?
            .extract::<(i64, usize)>()?;
        assert_eq!((sum, extra), (20, 2));
        assert_eq!(gather.call0()?.extract::<(i64, usize)>()?, (17, 0));
        let itself = counter.getattr("itself")?.call0()?;
        assert!(itself.is(&counter));
        Ok(())
    })
}

/// A method can take its receiver as a `PyRef`/`PyRefMut` (closure or `method!`): the value is
/// borrowed for the call (a conflicting borrow is `RuntimeError`), and the instance is at hand to
/// be returned.
pub fn cls_sig_pyref_receivers<B: Backend>() {
    with_py::<B>(|py| {
        let counter = tally(py, 2, 1)?;
        let peek = counter.getattr("peek")?;
        assert_eq!(peek.call0()?.extract::<i64>()?, 2);
        let bumped = counter.getattr("bump")?.call1((3,))?;
        assert!(bumped.is(&counter));
        assert_eq!(counter.downcast_class::<Tally>()?.borrow().n, 5);
        let renumbered = call_kw(&counter.getattr("renumber")?, (), &[("n", int(py, 9))])?;
        assert!(renumbered.is(&counter));
        assert_eq!(peek.call0()?.extract::<i64>()?, 9);
        assert!(counter.getattr("renumber")?.call0()?.is(&counter));
        let message = counter.getattr("relabel_while_held")?.call0()?;
        assert_eq!(message.extract::<String>()?, "Already mutably borrowed");
        let held = counter.downcast_class::<Tally>()?.borrow();
        assert_raises(
            py,
            counter.getattr("bump")?.call1((1,)),
            ExceptionKind::RuntimeError,
            "Already borrowed",
        );
        drop(held);
        assert_raises(
            py,
            peek.call1((1,)),
            ExceptionKind::TypeError,
            "Tally.peek() takes no arguments (1 given)",
        );
        Ok(())
    })
}

/// A class method receives the class, called through the class or an instance, and takes
/// keywords; its `__self__` is the class.
pub fn cls_sig_class_methods<B: Backend>() {
    with_py::<B>(|py| {
        let class = <Tally as PyClass<B>>::type_object(py)?;
        let starting_at = class.getattr("starting_at")?;
        assert!(starting_at.getattr("__self__")?.is(&class));
        let made = call_kw(&starting_at, (4,), &[("step", int(py, 5))])?;
        let made = made.downcast_class::<Tally>()?;
        assert_eq!((made.borrow().n, made.borrow().step), (4, 5));
        let through_instance = made.as_any().getattr("starting_at")?.call1((1,))?;
        assert_eq!(through_instance.downcast_class::<Tally>()?.borrow().n, 1);
        assert!(class.getattr("is_base_class")?.call0()?.extract::<bool>()?);
        assert_raises(
            py,
            starting_at.call0(),
            ExceptionKind::TypeError,
            "Tally.starting_at() missing 1 required positional argument: 'start'",
        );
        assert_raises(
            py,
            starting_at.call1((1, 2)),
            ExceptionKind::TypeError,
            "Tally.starting_at() takes 2 positional arguments but 3 were given",
        );
        Ok(())
    })
}

/// `__call__` defined with `method!` takes keywords and defaults.
pub fn cls_sig_call_takes_keywords<B: Backend>() {
    with_py::<B>(|py| {
        let counter = tally(py, 3, 1)?;
        assert_eq!(counter.call0()?.extract::<i64>()?, 3);
        assert_eq!(
            call_kw(&counter, (2,), &[("offset", int(py, 1))])?.extract::<i64>()?,
            7
        );
        assert_eq!(
            call_kw(&counter, (), &[("times", int(py, 3))])?.extract::<i64>()?,
            9
        );
        assert_raises(
            py,
            call_kw(&counter, (), &[("scale", int(py, 3))]),
            ExceptionKind::TypeError,
            "Tally.__call__() got an unexpected keyword argument 'scale'",
        );
        assert_raises(
            py,
            counter.call1((1, 2)),
            ExceptionKind::TypeError,
            "Tally.__call__() takes from 1 to 2 positional arguments but 3 were given",
        );
        Ok(())
    })
}

/// `__text_signature__` (what `inspect.signature` reads) and `__doc__` of methods and of the
/// class (the constructor's parameters), from the Rust definitions.
pub fn cls_sig_text_signatures_and_docs<B: Backend>() {
    with_py::<B>(|py| {
        let class = <Tally as PyClass<B>>::type_object(py)?;
        let counter = tally(py, 0, 1)?;
        let text = |name: &str| -> PyResult<String, B> {
            Ok(counter
                .getattr(name)?
                .getattr("__text_signature__")?
                .to_string())
        };
        if B::NAME == "pypy" {
            // Measured on PyPy 7.3.11: the methods of a class made with `PyType_FromSpec`
            // carry neither `__text_signature__` nor `__doc__` (the class itself does).
            let err = text("incr").unwrap_err();
            assert!(err.matches(py, ExceptionKind::AttributeError), "{err}");
        } else {
            assert_eq!(text("incr")?, "($self, by=1)");
            assert_eq!(text("label")?, "($self, prefix, /, *, suffix=None)");
            assert_eq!(text("gather")?, "($self, *values, **extra)");
            assert_eq!(text("starting_at")?, "($type, start, *, step=1)");
            let doc = counter.getattr("incr")?.getattr("__doc__")?.to_string();
            assert_eq!(doc, "Adds `by` steps; returns the count.");
        }
        let class_signature = class.getattr("__text_signature__")?;
        if strips_class_signature(py)? {
            assert!(class_signature.is_none(), "{class_signature}");
        } else {
            assert_eq!(class_signature.to_string(), "(start=0, *, step=1)");
        }
        assert_eq!(
            class.getattr("__doc__")?.to_string(),
            "A tally counting in steps."
        );
        Ok(())
    })
}

/// Whether this interpreter drops a class's text signature: measured on CPython 3.9, whose
/// `PyType_FromSpec` keeps `tp_doc` without its signature line (3.10 keeps it whole).
fn strips_class_signature<B: Backend>(py: Python<'_, B>) -> PyResult<bool, B> {
    if B::NAME != "cpython" {
        return Ok(false);
    }
    let version: u32 = py.import("sys")?.getattr("hexversion")?.extract()?;
    Ok(version < 0x030A_0000)
}

/// What a call returned.
type Outcome<'py, B> = PyResult<Bound<'py, PyAny, B>, B>;

/// Every argument error of a method or the constructor reads as CPython's for a Python
/// method of the same signature, naming `Class.method` (the constructor: `Class.__new__`).
pub fn cls_sig_argument_errors<B: Backend>() {
    with_py::<B>(|py| {
        let class = <Tally as PyClass<B>>::type_object(py)?;
        let counter = tally(py, 0, 1)?;
        let incr = counter.getattr("incr")?;
        let label = counter.getattr("label")?;
        let cases: Vec<(Outcome<'_, B>, &str)> = vec![
            (
                call_kw(&incr, (), &[("x", int(py, 1))]),
                "Tally.incr() got an unexpected keyword argument 'x'",
            ),
            (
                call_kw(&incr, (1,), &[("by", int(py, 1))]),
                "Tally.incr() got multiple values for argument 'by'",
            ),
            (
                incr.call1((1, 2)),
                "Tally.incr() takes from 1 to 2 positional arguments but 3 were given",
            ),
            (
                incr.call1(("x",)),
                "Tally.incr() argument 'by': expected int, got str",
            ),
            (
                label.call0(),
                "Tally.label() missing 1 required positional argument: 'prefix'",
            ),
            (
                call_kw(&label, (), &[("prefix", int(py, 1))]),
                "Tally.label() got some positional-only arguments passed as keyword arguments: 'prefix'",
            ),
            (
                call_kw(&class, (), &[("stop", int(py, 1))]),
                "Tally.__new__() got an unexpected keyword argument 'stop'",
            ),
            (
                class.call1((1, 2)),
                "Tally.__new__() takes from 1 to 2 positional arguments but 3 were given",
            ),
            (
                call_kw(&class, (1,), &[("step", anypy::IntoPyObject::into_pyobject("x", py)?)]),
                "Tally.__new__() argument 'step': expected int, got str",
            ),
        ];
        for (result, message) in cases {
            match result {
                Ok(value) => panic!("expected {message:?}, got {value}"),
                Err(err) => {
                    assert!(err.matches(py, ExceptionKind::TypeError), "{err}");
                    assert_eq!(err.message(py), message);
                }
            }
        }
        Ok(())
    })
}

/// A method taking `&mut self` borrows the value for the call: while Rust holds a borrow,
/// calling it raises `RuntimeError`; the Rust functions stay callable from Rust.
pub fn cls_sig_borrows_and_rust_calls<B: Backend>() {
    with_py::<B>(|py| {
        let counter = tally(py, 1, 1)?;
        let typed = counter.downcast_class::<Tally>()?;
        {
            let _held = typed.borrow();
            assert_raises(
                py,
                call_kw(&counter.getattr("incr")?, (), &[("by", int(py, 1))]),
                ExceptionKind::RuntimeError,
                "Already borrowed",
            );
        }
        let mut value = new_tally(5, 2);
        assert_eq!(incr(&mut value, 1), 7);
        assert_eq!(label(&value, "#", None), "#7");
        Ok(())
    })
}

#[doc(hidden)]
#[macro_export]
macro_rules! __suite_classes_signatures {
    ($backend:ty, $harness:expr) => {
        $crate::__conformance_emit!($backend, $harness;
            classes_signatures::cls_sig_keywords_and_defaults,
            classes_signatures::cls_sig_class_methods,
            classes_signatures::cls_sig_call_takes_keywords,
            classes_signatures::cls_sig_text_signatures_and_docs,
            classes_signatures::cls_sig_argument_errors,
            classes_signatures::cls_sig_borrows_and_rust_calls,
            classes_signatures::cls_sig_pyref_receivers,
        );
    };
}
