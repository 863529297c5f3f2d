//! `ClassBuilder`: what a class's `define` fills — its docstring and methods — before the
//! backend makes the type object from it.

use std::marker::PhantomData;

use crate::backend::{
    Backend, EntryKind, MethodEntry, RawClassDef, RawMethodDef, RawPropertyDef, RawSlotDef,
    SlotKind,
};
use crate::class::compare::{CompareHandler, CompareShim};
use crate::class::constructor::{ConstructorHandler, ConstructorShim};
use crate::class::defined::{
    ConstructorKwShim, DefinedConstructor, DefinedMethod, MethodDef, MethodKwShim,
};
use crate::class::inplace::{InplaceHandler, InplaceShim};
use crate::class::method::{MethodHandler, MethodShim};
use crate::class::operator::{OperatorHandler, OperatorShim};
use crate::class::property::{SetterHandler, SetterShim};
use crate::class::reflected::{reflected_name, ReflectedShim};
use crate::class::PyClass;
use crate::conversion::IntoPyObject;
use crate::err::{PyErr, PyResult};
use crate::exceptions::TypeError;
use crate::function::{Function, Handler};
use crate::instance::Bound;
use crate::python::Python;
use crate::types::PyAny;

/// Class attributes by name.
pub(crate) type Attributes<'py, B> = Vec<(String, Bound<'py, PyAny, B>)>;

/// Collects the definition of class `T` (see [`PyClass::define`]).
pub struct ClassBuilder<'py, T, B: Backend> {
    py: Python<'py, B>,
    def: RawClassDef,
    /// Class attributes, set on the class object once it is made.
    attributes: Attributes<'py, B>,
    /// The constructor's parameters as Python writes them (`(start=0, *, step=1)`), for the
    /// class's `__text_signature__`, and its doc comment (the class's docstring if it has no
    /// other).
    constructor_doc: Option<(String, String)>,
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
            attributes: Vec::new(),
            constructor_doc: None,
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
    /// For keywords and defaults, define it with [`method!`](crate::method!) and add it with
    /// [`ClassBuilder::method_fn`].
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
            kind: MethodShim::<T, B, H, M>::KIND,
        });
        Ok(self)
    }

    /// Fills protocol slot `kind` with `handler`, which takes `&T` (or `&mut T`) and the
    /// slot's arguments (the key for `Contains` and `GetItem`, none for the others); it is also
    /// the method `__repr__`, `__len__`, ... that Python code sees. `Repr` and `Str` return
    /// text, `Len` a size, `Contains` and `Bool` a bool, `Hash` an int, `Iter` an iterator;
    /// `Next` returns the next item or raises `StopIteration` at the end. `SetItem` takes the
    /// key and the value, `DelItem` the key; `Call` takes whatever positional arguments the
    /// handler does.
    pub fn slot<H: MethodHandler<T, B, M>, M: 'static>(
        &mut self,
        kind: SlotKind,
        handler: H,
    ) -> PyResult<&mut Self, B> {
        if kind == SlotKind::RichCompare || kind.is_binary_operator() || kind.is_inplace_operator()
        {
            return Err(PyErr::new::<TypeError, _>(format!(
                "{}.{} is filled by ClassBuilder::{}",
                T::NAME,
                kind.method_name(),
                if kind == SlotKind::RichCompare {
                    "compare"
                } else if kind.is_inplace_operator() {
                    "inplace_operator"
                } else {
                    "operator"
                }
            )));
        }
        if let Some(arity) = kind.arity().filter(|arity| *arity != H::ARITY) {
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
            entry: MethodShim::<T, B, H, M>::entry(EntryKind::Slot(kind)),
        });
        Ok(self)
    }

    /// Adds a read-only property: `getter` takes `&T` (and optionally the token) and returns
    /// the value. Setting it raises `AttributeError`.
    pub fn getter<H: MethodHandler<T, B, M>, M: 'static>(
        &mut self,
        name: &str,
        getter: H,
    ) -> PyResult<&mut Self, B> {
        self.add_property::<H, M>(name, getter, None)
    }

    /// Adds a read-write property: `getter` as for [`ClassBuilder::getter`], `setter` takes
    /// `&mut T` and the new value (returning nothing, or `PyResult<()>`). A value of the wrong
    /// type raises `TypeError` naming the property; deleting it raises `AttributeError`.
    pub fn property<
        H: MethodHandler<T, B, M>,
        M: 'static,
        S: SetterHandler<T, B, N>,
        N: 'static,
    >(
        &mut self,
        name: &str,
        getter: H,
        setter: S,
    ) -> PyResult<&mut Self, B> {
        let setter = SetterShim::<T, B, S, N>::register(T::NAME, name, setter);
        self.add_property::<H, M>(name, getter, Some(setter))
    }

    fn add_property<H: MethodHandler<T, B, M>, M: 'static>(
        &mut self,
        name: &str,
        getter: H,
        setter: Option<MethodEntry>,
    ) -> PyResult<&mut Self, B> {
        if H::ARITY != 0 {
            return Err(PyErr::new::<TypeError, _>(format!(
                "the getter of {}.{name} takes {} argument(s) besides the instance; it must \
                 take none",
                T::NAME,
                H::ARITY
            )));
        }
        MethodShim::<T, B, H, M>::register(T::NAME, name, getter);
        self.def.properties.push(RawPropertyDef {
            name: name.to_owned(),
            doc: String::new(),
            getter: MethodShim::<T, B, H, M>::entry(EntryKind::Getter),
            getter_data: MethodShim::<T, B, H, M>::site(),
            setter,
        });
        Ok(self)
    }

    /// Fills rich comparison (`<`, `<=`, `==`, `!=`, `>`, `>=`) with `handler`, which takes two
    /// values of the class and the operator and returns the answer (usually a `bool`). Against
    /// an object of another type the comparison returns `NotImplemented`, so Python asks the
    /// other operand and then falls back (identity for `==`/`!=`, `TypeError` for ordering).
    pub fn compare<H: CompareHandler<T, B, M>, M: 'static>(
        &mut self,
        handler: H,
    ) -> PyResult<&mut Self, B> {
        self.def.slots.push(RawSlotDef {
            kind: SlotKind::RichCompare,
            entry: CompareShim::<T, B, H, M>::register(T::NAME, handler),
        });
        Ok(self)
    }

    /// Fills binary operator `kind` (`Add`, `Sub`, `Mul`, `TrueDiv`, `FloorDiv`, `Mod`) with
    /// `handler`, which takes the value and the other operand: `&T` (another value of the
    /// class) or any type it converts from. It is also the method `__add__`, ... For an
    /// operand it does not take, and for a reflected operation (`2 + obj`) unless the class
    /// has the reflected operator ([`ClassBuilder::reflected_operator`]), the operator returns
    /// `NotImplemented`, so Python tries the other operand's operation, then raises
    /// `TypeError: unsupported operand type(s)`.
    pub fn operator<H: OperatorHandler<T, B, M>, M: 'static>(
        &mut self,
        kind: SlotKind,
        handler: H,
    ) -> PyResult<&mut Self, B> {
        binary_operator::<T, B>(kind)?;
        let entries = OperatorShim::<T, B, H, M>::register(T::NAME, kind, handler);
        // A slot answering only reflected calls gives way: this one hands them on.
        Ok(self.add_operator(kind, kind.method_name().to_owned(), entries, true))
    }

    /// Fills reflected operator `kind` (`Add` for `__radd__`, ... `Mod` for `__rmod__`) with
    /// `handler`, which takes the value and the *left* operand (as for
    /// [`ClassBuilder::operator`], `&T` or any type it converts from): Python runs it for
    /// `other + obj` when `other`'s type declines. For an operand it does not take it returns
    /// `NotImplemented`, so Python raises `TypeError`.
    pub fn reflected_operator<H: OperatorHandler<T, B, M>, M: 'static>(
        &mut self,
        kind: SlotKind,
        handler: H,
    ) -> PyResult<&mut Self, B> {
        binary_operator::<T, B>(kind)?;
        let entries = ReflectedShim::<T, B, H, M, false>::register(kind, handler);
        // The forward operator's slot, if there is one, hands reflected calls on itself.
        Ok(self.add_operator(kind, reflected_name(kind), entries, false))
    }

    /// Adds an operator's method (`__add__`, ...) and slot entries; `replace`: the slot
    /// replaces one already filled for `kind`, else it is only filled if empty.
    fn add_operator(
        &mut self,
        kind: SlotKind,
        name: String,
        (method, slot): (MethodEntry, MethodEntry),
        replace: bool,
    ) -> &mut Self {
        self.def.methods.push(RawMethodDef {
            name,
            doc: String::new(),
            entry: method,
            kind: EntryKind::Method,
        });
        if replace {
            self.def.slots.retain(|filled| filled.kind != kind);
        }
        if !self.def.slots.iter().any(|filled| filled.kind == kind) {
            self.def.slots.push(RawSlotDef { kind, entry: slot });
        }
        self
    }

    /// Fills in-place operator `kind` (`InplaceAdd`, ... `InplaceMod`: `+=`, ... `%=`) with
    /// `handler`, which updates the value (`&mut T`) from the other operand: `&T` (another
    /// value of the class) or any type it converts from; it returns nothing or `PyResult<()>`.
    /// It is also the method `__iadd__`, ... The operator returns the instance itself. For an
    /// operand it does not take, and for the instance itself (`v += v`), it returns
    /// `NotImplemented`, so Python falls back to the binary operator (`v = v + v`).
    pub fn inplace_operator<H: InplaceHandler<T, B, M>, M: 'static>(
        &mut self,
        kind: SlotKind,
        handler: H,
    ) -> PyResult<&mut Self, B> {
        if !kind.is_inplace_operator() {
            return Err(PyErr::new::<TypeError, _>(format!(
                "{}.{} is not an in-place operator",
                T::NAME,
                kind.method_name()
            )));
        }
        let entries = InplaceShim::<T, B, H, M>::register(T::NAME, kind, handler);
        Ok(self.add_operator(kind, kind.method_name().to_owned(), entries, true))
    }

    /// Sets the constructor, `__new__`: `handler` takes positional arguments and returns the
    /// value (or `PyResult` of it). Without one, calling the class raises `TypeError`.
    /// A value made by Python code may be used from any thread, so `T` must be `Send`.
    pub fn constructor<H: ConstructorHandler<T, B, M>, M: 'static>(
        &mut self,
        handler: H,
    ) -> PyResult<&mut Self, B>
    where
        T: Send,
    {
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

    /// Adds a class attribute (a constant shared by all instances, read as `Class.name` or
    /// `instance.name`).
    pub fn constant(&mut self, name: &str, value: impl IntoPyObject<B>) -> PyResult<&mut Self, B> {
        let value = value.into_pyobject(self.py)?;
        self.attributes.push((name.to_owned(), value));
        Ok(self)
    }

    /// Adds a static method: a native function stored on the class (it receives no
    /// instance), called as `Class.name(..)` or `instance.name(..)`; errors name it
    /// `Class.name`. Its parameters are positional; for keywords and defaults, define it with
    /// [`function!`](crate::function!) and add it with [`ClassBuilder::static_function`].
    pub fn static_method<H: Handler<B, M>, M: 'static>(
        &mut self,
        name: &str,
        handler: H,
    ) -> PyResult<&mut Self, B> {
        self.static_function(Function::new(format!("{}.{name}", T::NAME), handler))
    }

    /// Adds native function `function` as a static method, under the last part of its name
    /// (`f` for `Class.f`): its signature (keywords, defaults, `*args`, ...) as it declares it.
    pub fn static_function<H: Handler<B, M>, M: 'static>(
        &mut self,
        function: Function<B, H, M>,
    ) -> PyResult<&mut Self, B> {
        let name = function
            .name()
            .rsplit('.')
            .next()
            .unwrap_or_default()
            .to_owned();
        let function = function.build(self.py)?;
        self.attributes.push((name, function));
        Ok(self)
    }

    /// Adds a method defined with [`method!`](crate::method!): an instance method, or a class
    /// method if it receives the class (`cls: &Bound<'py, PyType, B>`), with the signature its
    /// definition declares (keywords, defaults, `/`, `*`, `*args`, `**kwargs`) and its doc
    /// comment as `__doc__`. Errors name it `Class.name`, as CPython names a Python method.
    pub fn method_fn<H: DefinedMethod<B>>(
        &mut self,
        method: MethodDef<H>,
    ) -> PyResult<&mut Self, B> {
        let kind = if H::CLASS_METHOD {
            EntryKind::ClassMethod
        } else {
            EntryKind::KeywordMethod
        };
        let receiver = if H::CLASS_METHOD { "$type" } else { "$self" };
        let name = method.name;
        let doc = method.doc.clone();
        let (entry, signature) =
            MethodKwShim::<T, B, H, false>::register(self.py, method, name, kind)?;
        self.def.methods.push(RawMethodDef {
            name: name.to_owned(),
            doc: signature.docstring_with(Some(receiver), &doc),
            entry,
            kind,
        });
        Ok(self)
    }

    /// Sets the constructor, `__new__`, to one defined with
    /// [`constructor!`](crate::constructor!): its parameters are the class's signature
    /// (`inspect.signature(Class)`), its errors name `Class.__new__`, as CPython names a
    /// Python class's `__new__`; its doc comment is the class's `__doc__` unless
    /// [`ClassBuilder::doc`] gives one. A value made by Python code may be used from any thread, so
    /// `T` must be `Send`.
    pub fn constructor_fn<H: DefinedConstructor<T, B>>(
        &mut self,
        constructor: MethodDef<H>,
    ) -> PyResult<&mut Self, B>
    where
        T: Send,
    {
        let doc = constructor.doc.clone();
        let (entry, signature) = ConstructorKwShim::<T, B, H>::register(self.py, constructor)?;
        self.def.constructor = Some(entry);
        self.constructor_doc = Some((signature.text_signature(None), doc));
        Ok(self)
    }

    /// Fills `__call__` (`obj(..)`) with a method defined with [`method!`](crate::method!),
    /// taking keywords as its definition declares.
    pub fn call_fn<H: DefinedMethod<B>>(&mut self, method: MethodDef<H>) -> PyResult<&mut Self, B> {
        let name = SlotKind::Call.method_name();
        let doc = method.doc.clone();
        let kind = EntryKind::Slot(SlotKind::Call);
        let (entry, signature) =
            MethodKwShim::<T, B, H, true>::register(self.py, method, name, kind)?;
        self.def.slots.push(RawSlotDef {
            kind: SlotKind::Call,
            entry,
        });
        let kind = EntryKind::KeywordMethod;
        self.def.methods.push(RawMethodDef {
            name: name.to_owned(),
            doc: signature.docstring_with(Some("$self"), &doc),
            entry: MethodKwShim::<T, B, H, true>::entry(kind),
            kind,
        });
        Ok(self)
    }

    /// The definition for the backend, and the class attributes to set once the class exists.
    /// A constructor's signature heads the docstring (`Counter(start=0)\n--\n\n...`), where
    /// the interpreter finds the class's `__text_signature__`.
    pub(crate) fn finish(mut self) -> (RawClassDef, Attributes<'py, B>) {
        if let Some((signature, doc)) = &self.constructor_doc {
            let doc = if self.def.doc.is_empty() {
                doc
            } else {
                &self.def.doc
            };
            self.def.doc = format!("{}{signature}\n--\n\n{doc}", T::NAME);
        }
        (self.def, self.attributes)
    }
}

/// `TypeError` unless `kind` is a binary operator (`Add` ... `Mod`).
fn binary_operator<T: PyClass<B>, B: Backend>(kind: SlotKind) -> PyResult<(), B> {
    if kind.is_binary_operator() {
        return Ok(());
    }
    Err(PyErr::new::<TypeError, _>(format!(
        "{}.{} is not a binary operator: fill it with ClassBuilder::slot",
        T::NAME,
        kind.method_name()
    )))
}
