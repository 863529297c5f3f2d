//! `Vec2`: a small value class with numeric operators defined in Rust — `v + w`, `v - w`,
//! `v * k`, `v / k`, `-v`, `abs(v)`. An operand of another type gets `NotImplemented`, so a
//! Python class's reflected method (`__radd__`, ...) is tried next, as for any Python class.
//! `Vec2()` is the origin; `Vec2(y=1.0)` takes keywords; `v += w` and `v *= k` update `v`, as
//! does `v.scale(k)` (a method taking its receiver as `PyRefMut`), which returns `v` itself.

use anypy::exceptions::ZeroDivisionError;
use anypy::{
    Backend, Bound, ClassBuilder, ModuleBuilder, Py, PyClass, PyErr, PyResult, Python, SlotKind,
};

/// A vector in the plane.
#[derive(Clone, Copy, PartialEq)]
pub(crate) struct Vec2(f64, f64);

anypy::constructor! {
    /// A vector in the plane.
    fn new_vec2(x: f64 = 0.0, y: f64 = 0.0) -> Vec2 {
        Vec2(x, y)
    }
}

anypy::method! {
    /// Scales the vector in place by `k` and returns it, so calls chain: `v.scale(2).scale(k=3)`.
    fn scale<'py, B>(this: PyRefMut<'_, 'py, Vec2, B>, k: f64 = 2.0) -> Bound<'py, Vec2, B> {
        let mut this = this;
        this.0 *= k;
        this.1 *= k;
        this.object().to_owned()
    }
}

impl<B: Backend> PyClass<B> for Vec2 {
    const NAME: &'static str = "Vec2";
    const MODULE: &'static str = "anypy_demo";

    fn define(class: &mut ClassBuilder<'_, Self, B>) -> PyResult<(), B> {
        class
            .constructor_fn(new_vec2::constructor())?
            .method_fn(scale::method())?
            .operator(SlotKind::Add, |a: &Vec2, b: &Vec2| {
                Vec2(a.0 + b.0, a.1 + b.1)
            })?
            .operator(SlotKind::Sub, |a: &Vec2, b: &Vec2| {
                Vec2(a.0 - b.0, a.1 - b.1)
            })?
            .operator(SlotKind::Mul, |a: &Vec2, k: f64| Vec2(a.0 * k, a.1 * k))?
            // `3 * v`: the reflected operator, after `int` declines.
            .reflected_operator(SlotKind::Mul, |a: &Vec2, k: f64| Vec2(k * a.0, k * a.1))?
            .operator(SlotKind::TrueDiv, |a: &Vec2, k: f64| -> PyResult<Vec2, B> {
                if k == 0.0 {
                    return Err(PyErr::new::<ZeroDivisionError, _>("Vec2 divided by zero"));
                }
                Ok(Vec2(a.0 / k, a.1 / k))
            })?
            .slot(SlotKind::Neg, |a: &Vec2, py: Python<'_, B>| {
                Py::new(py, Vec2(-a.0, -a.1))
            })?
            .slot(SlotKind::Abs, |a: &Vec2| a.0.hypot(a.1))?
            // `v += w` and `v *= k` update `v` itself (`v += v` falls back to `v = v + v`).
            .inplace_operator(SlotKind::InplaceAdd, |a: &mut Vec2, b: &Vec2| {
                a.0 += b.0;
                a.1 += b.1;
            })?
            .inplace_operator(SlotKind::InplaceMul, |a: &mut Vec2, k: f64| {
                a.0 *= k;
                a.1 *= k;
            })?
            .getter("x", |a: &Vec2| a.0)?
            .getter("y", |a: &Vec2| a.1)?
            .slot(SlotKind::Repr, |a: &Vec2| format!("Vec2({}, {})", a.0, a.1))?;
        Ok(())
    }
}

pub(crate) fn register<B: Backend>(m: &ModuleBuilder<'_, B>) -> PyResult<(), B> {
    m.class::<Vec2>()?;
    Ok(())
}
