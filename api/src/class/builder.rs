//! `ClassBuilder`: what a class's `define` fills — its docstring and methods — before the
//! backend makes the type object from it.

use std::marker::PhantomData;

use crate::backend::{Backend, RawClassDef, RawMethodDef, RawSlotDef, SlotKind};
use crate::class::constructor::{ConstructorHandler, ConstructorShim};
use crate::class::method::{MethodHandler, MethodShim};
use crate::class::PyClass;
use crate::err::{PyErr, PyResult};
use crate::exceptions::TypeError;
use crate::python::Python;

/// Collects the definition of class `T` (see [`PyClass::define`]).
pub struct ClassBuilder<'py, T, B: Backend> {
    py: Python<'py, B>,
    def: RawClassDef,
    _class: PhantomData<fn() -> T>,
}

impl<'py, T: PyClass<B>, B: Backend> ClassBuilder<'py, T, B> {
    pub(crate) fn new(py: Python<'py, B>) -> Self {
        let qualified_name = match T::MODULE {
            "" => T::NAME.to_owned(),
            module => format!("{module}.{}", T::NAME),
        };
        ClassBuilder {
            py,
            def: RawClassDef {
                qualified_name,
                ..RawClassDef::default()
            },
            _class: PhantomData,
        }
    }

    /// The GIL token.
    pub fn py(&self) -> Python<'py, B> {
        self.py
    }

    /// Sets the class's docstring.
    pub fn doc(&mut self, doc: &str) -> PyResult<&mut Self, B> {
        doc.clone_into(&mut self.def.doc);
        Ok(self)
    }

    /// Adds an instance method: `handler` takes `&T` or `&mut T`, then positional arguments.
    /// Calling it while the instance is borrowed in a conflicting way raises `RuntimeError`.
    pub fn method<H: MethodHandler<T, B, M>, M: 'static>(
        &mut self,
        name: &str,
        handler: H,
    ) -> PyResult<&mut Self, B> {
        self.method_with_doc(name, "", handler)
    }

    /// [`ClassBuilder::method`] with a docstring.
    pub fn method_with_doc<H: MethodHandler<T, B, M>, M: 'static>(
        &mut self,
        name: &str,
        doc: &str,
        handler: H,
    ) -> PyResult<&mut Self, B> {
        let entry = MethodShim::<T, B, H, M>::register(T::NAME, name, handler);
        self.def.methods.push(RawMethodDef {
            name: name.to_owned(),
            doc: doc.to_owned(),
            entry,
        });
        Ok(self)
    }

    /// Fills protocol slot `kind` with `handler`, which takes `&T` (or `&mut T`) and the
    /// slot's arguments (none for `Repr`, `Str` and `Len`; the key for `Contains` and
    /// `GetItem`); it is also the method `__repr__`, `__len__`, ... that Python code sees.
    /// `Repr` and `Str` return text, `Len` a size, `Contains` a bool.
    pub fn slot<H: MethodHandler<T, B, M>, M: 'static>(
        &mut self,
        kind: SlotKind,
        handler: H,
    ) -> PyResult<&mut Self, B> {
        let arity = match kind {
            SlotKind::Repr | SlotKind::Str | SlotKind::Len => 0,
            SlotKind::Contains | SlotKind::GetItem => 1,
        };
        if H::ARITY != arity {
            return Err(PyErr::new::<TypeError, _>(format!(
                "{}.{} takes {arity} argument(s) besides the instance, the handler takes {}",
                T::NAME,
                kind.method_name(),
                H::ARITY
            )));
        }
        self.method(kind.method_name(), handler)?;
        self.def.slots.push(RawSlotDef {
            kind,
            entry: MethodShim::<T, B, H, M>::slot_entry(kind),
        });
        Ok(self)
    }

    /// Sets the constructor, `__new__`: `handler` takes positional arguments and returns the
    /// value (or `PyResult` of it). Without one, calling the class raises `TypeError`.
    pub fn constructor<H: ConstructorHandler<T, B, M>, M: 'static>(
        &mut self,
        handler: H,
    ) -> PyResult<&mut Self, B> {
        self.def.constructor = Some(ConstructorShim::<T, B, H, M>::register(T::NAME, handler));
        Ok(self)
    }

    /// Lets Python code subclass the class (`Py_TPFLAGS_BASETYPE`); instances of a subclass
    /// carry their own `__dict__` and are accepted wherever `T` is.
    pub fn subclassable(&mut self) -> PyResult<&mut Self, B> {
        self.def.subclassable = true;
        Ok(self)
    }

    /// Lets the cycle collector track instances, through [`PyClass::traverse`] and
    /// [`PyClass::clear`] (`Py_TPFLAGS_HAVE_GC`): for a value holding `Py` handles that can
    /// form cycles.
    pub fn garbage_collected(&mut self) -> PyResult<&mut Self, B> {
        self.def.garbage_collected = true;
        Ok(self)
    }

    pub(crate) fn finish(self) -> RawClassDef {
        self.def
    }
}
