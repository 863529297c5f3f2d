//! Numeric operators of Rust classes: unary ones (`__neg__`, `__abs__`, ...) as slots, binary
//! ones (`__add__`, `__mul__`, ...) through `ClassBuilder::operator`, answering
//! `NotImplemented` for an operand they do not take so that Python asks the other operand;
//! in-place ones (`__iadd__`, ...) through `ClassBuilder::inplace_operator`, updating the
//! instance and returning it. Called here as the methods Python code also sees (the mock has no `+` of its own).

use anypy::types::PyAny;
use anypy::{
    Backend, Bound, ClassBuilder, ExceptionKind, IntoPyObject, Py, PyClass, PyResult, Python,
    SlotKind,
};

use crate::support::{assert_raises, with_py};

/// A vector in the plane.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Vec2(f64, f64);

impl<B: Backend> PyClass<B> for Vec2 {
    const NAME: &'static str = "Vec2";

    fn define(class: &mut ClassBuilder<'_, Self, B>) -> PyResult<(), B> {
        class
            .operator(SlotKind::Add, |a: &Vec2, b: &Vec2| {
                Vec2(a.0 + b.0, a.1 + b.1)
            })?
            .operator(SlotKind::Sub, |a: &Vec2, b: &Vec2| {
                Vec2(a.0 - b.0, a.1 - b.1)
            })?
            .operator(SlotKind::Mul, |a: &Vec2, k: f64| Vec2(a.0 * k, a.1 * k))?
            .reflected_operator(SlotKind::Mul, |a: &Vec2, k: f64| Vec2(k * a.0, k * a.1))?
            .reflected_operator(SlotKind::Sub, |a: &Vec2, k: f64| Vec2(k - a.0, k - a.1))?
            .operator(SlotKind::TrueDiv, |a: &Vec2, k: f64| -> PyResult<Vec2, B> {
                if k == 0.0 {
                    return Err(
                        anypy::PyErr::new::<anypy::exceptions::ZeroDivisionError, _>(
                            "Vec2 divided by zero",
                        ),
                    );
                }
                Ok(Vec2(a.0 / k, a.1 / k))
            })?
            .slot(SlotKind::Neg, |a: &Vec2, py: Python<'_, B>| {
                Py::new(py, Vec2(-a.0, -a.1))
            })?
            .slot(SlotKind::Abs, |a: &Vec2| a.0.hypot(a.1))?
            .inplace_operator(SlotKind::InplaceAdd, |a: &mut Vec2, b: &Vec2| {
                a.0 += b.0;
                a.1 += b.1;
            })?
            .inplace_operator(SlotKind::InplaceMul, |a: &mut Vec2, k: f64| {
                a.0 *= k;
                a.1 *= k;
            })?
            .inplace_operator(
                SlotKind::InplaceTrueDiv,
                |a: &mut Vec2, k: f64| -> PyResult<(), B> {
                    if k == 0.0 {
                        return Err(
                            anypy::PyErr::new::<anypy::exceptions::ZeroDivisionError, _>(
                                "Vec2 divided by zero",
                            ),
                        );
                    }
                    a.0 /= k;
                    a.1 /= k;
                    Ok(())
                },
            )?;
        Ok(())
    }
}

fn value<B: Backend>(object: &Bound<'_, PyAny, B>) -> PyResult<Vec2, B> {
    Ok(*object.downcast_class::<Vec2>()?.borrow())
}

/// Binary operators compute with operands they take and return `NotImplemented` otherwise;
/// unary ones are slots; a handler's own error is raised.
pub fn class_numeric_operators<B: Backend>() {
    with_py::<B>(|py: Python<'_, B>| {
        let (a, b) = (
            Bound::new(py, Vec2(1.0, 2.0))?,
            Bound::new(py, Vec2(3.0, 5.0))?,
        );
        let (a, b) = (a.as_any(), b.as_any());
        assert_eq!(value(&a.call_method1("__add__", (b,))?)?, Vec2(4.0, 7.0));
        assert_eq!(value(&b.call_method1("__sub__", (a,))?)?, Vec2(2.0, 3.0));
        assert_eq!(value(&a.call_method1("__mul__", (3.0,))?)?, Vec2(3.0, 6.0));
        assert_eq!(value(&a.call_method1("__mul__", (2,))?)?, Vec2(2.0, 4.0));
        assert_eq!(value(&a.call_method0("__neg__")?)?, Vec2(-1.0, -2.0));
        assert_eq!(b.call_method0("__abs__")?.extract::<f64>()?, 34f64.sqrt());
        let not_implemented = py.not_implemented();
        for (name, other) in [
            ("__add__", 3.into_pyobject(py)?),
            ("__mul__", "x".into_pyobject(py)?),
        ] {
            let answer = a.call_method1(name, (other,))?;
            assert!(answer.is(&not_implemented), "{name}: {answer:?}");
        }
        assert_raises(
            py,
            a.call_method1("__truediv__", (0.0,)),
            ExceptionKind::ZeroDivisionError,
            "Vec2 divided by zero",
        );
        assert_raises(
            py,
            a.call_method0("__add__"),
            ExceptionKind::TypeError,
            // CPython and PyPy answer through their slot wrapper ("expected 1 argument, got
            // 0"), the mock through the method ("takes 1 positional argument but 0 ...").
            "argument",
        );
        Ok(())
    })
}

/// Reflected operators take the value and the left operand (`k - v` is `v.__rsub__(k)`) and
/// return `NotImplemented` for an operand they do not take.
pub fn class_reflected_operators<B: Backend>() {
    with_py::<B>(|py: Python<'_, B>| {
        let a = Bound::new(py, Vec2(1.0, 2.0))?;
        let object = a.as_any();
        assert_eq!(
            value(&object.call_method1("__rsub__", (10.0,))?)?,
            Vec2(9.0, 8.0)
        );
        assert_eq!(
            value(&object.call_method1("__rmul__", (3,))?)?,
            Vec2(3.0, 6.0)
        );
        assert_eq!(
            value(&object.call_method1("__sub__", (&a,))?)?,
            Vec2(0.0, 0.0)
        );
        let answer = object.call_method1("__rmul__", ("x",))?;
        assert!(answer.is(&py.not_implemented()), "{answer:?}");
        Ok(())
    })
}

/// In-place operators update the instance and return it; for an operand they do not take, and
/// for the instance itself (`v += v`), they return `NotImplemented`, so Python falls back to
/// the binary operator; a handler's own error is raised, the value left as it was.
pub fn class_inplace_operators<B: Backend>() {
    with_py::<B>(|py: Python<'_, B>| {
        let (a, b) = (
            Bound::new(py, Vec2(1.0, 2.0))?,
            Bound::new(py, Vec2(3.0, 5.0))?,
        );
        let (object, other) = (a.as_any(), b.as_any());
        let result = object.call_method1("__iadd__", (other,))?;
        assert!(result.is(object), "the instance itself");
        assert_eq!(*a.borrow(), Vec2(4.0, 7.0));
        assert_eq!(*b.borrow(), Vec2(3.0, 5.0));
        assert!(object.call_method1("__imul__", (2,))?.is(object));
        assert_eq!(*a.borrow(), Vec2(8.0, 14.0));
        let not_implemented = py.not_implemented();
        for (name, operand) in [
            ("__iadd__", 3.into_pyobject(py)?),
            ("__iadd__", object.clone()),
            ("__imul__", "x".into_pyobject(py)?),
        ] {
            let answer = object.call_method1(name, (operand,))?;
            assert!(answer.is(&not_implemented), "{name}: {answer:?}");
        }
        assert_raises(
            py,
            object.call_method1("__itruediv__", (0.0,)),
            ExceptionKind::ZeroDivisionError,
            "Vec2 divided by zero",
        );
        assert_eq!(*a.borrow(), Vec2(8.0, 14.0));
        Ok(())
    })
}

#[doc(hidden)]
#[macro_export]
macro_rules! __suite_classes_operators {
    ($backend:ty, $harness:expr) => {
        $crate::__conformance_emit!($backend, $harness;
            classes_operators::class_numeric_operators,
            classes_operators::class_inplace_operators,
            classes_operators::class_reflected_operators,
        );
    };
}
