//! Methods, class methods, constructors and `__call__` with full signatures: what
//! [`method!`](crate::method!) and [`constructor!`](crate::constructor!) define. Their
//! arguments are matched by the native functions' [`Parameters`] (keywords, defaults, `/`, `*`,
//! `*args`, `**kwargs`, CPython's error texts), and their entries take keywords
//! (`METH_FASTCALL | METH_KEYWORDS` on C backends).

use std::any::{Any, TypeId};
use std::borrow::Cow;
use std::marker::PhantomData;

use crate::backend::{Backend, EntryKind, MethodEntry, NewRef, RawMethod, RawPtr};
use crate::class::entry;
use crate::class::registry::Registry;
use crate::class::{cell_of, PyClass};
use crate::err::PyResult;
use crate::function::{CallArgs, Parameters, Signature};
use crate::instance::{Borrowed, Bound};
use crate::python::Python;
use crate::types::{PyAny, PyType};

/// A method defined by [`method!`](crate::method!): its parameters, and a call with the
/// receiver (an instance, or for a class method the class).
pub trait DefinedMethod<B: Backend>: Send + Sync + 'static {
    /// Whether the method receives the class (`cls: &Bound<'py, PyType, B>`), not an instance.
    const CLASS_METHOD: bool;

    /// The parameters after the receiver, for a method called `name` (`Counter.incr`).
    fn signature(&self, name: Cow<'static, str>) -> Signature;

    /// Checks the receiver, matches the arguments to `params`, calls, converts the result.
    fn call<'a, 'py>(
        &self,
        py: Python<'py, B>,
        receiver: Borrowed<'a, 'py, PyAny, B>,
        call: CallArgs<'a, 'py, B>,
        params: &Parameters<B>,
    ) -> PyResult<Bound<'py, PyAny, B>, B>;
}

/// A constructor defined by [`constructor!`](crate::constructor!): its parameters, and the
/// value of class `T` it makes from a call's arguments.
pub trait DefinedConstructor<T, B: Backend>: Send + Sync + 'static {
    /// The parameters, for a constructor called `name` (`Counter.__new__`).
    fn signature(&self, name: Cow<'static, str>) -> Signature;

    /// Matches the arguments to `params` and makes the value.
    fn construct<'a, 'py>(
        &self,
        py: Python<'py, B>,
        call: CallArgs<'a, 'py, B>,
        params: &Parameters<B>,
    ) -> PyResult<T, B>;
}

/// What a constructor's body may return: the value, or `PyResult` of it.
pub trait IntoValue<T, B: Backend> {
    /// The value, or the error.
    fn into_value(self) -> PyResult<T, B>;
}

impl<T, B: Backend> IntoValue<T, B> for T {
    #[inline]
    fn into_value(self) -> PyResult<T, B> {
        Ok(self)
    }
}

impl<T, B: Backend> IntoValue<T, B> for PyResult<T, B> {
    #[inline]
    fn into_value(self) -> PyResult<T, B> {
        self
    }
}

/// A method or constructor as its macro defines it: the Rust name (its Python name), the
/// docstring from its doc comment, and the handler. Add it with
/// [`ClassBuilder::method_fn`](crate::ClassBuilder::method_fn),
/// [`ClassBuilder::constructor_fn`](crate::ClassBuilder::constructor_fn) or
/// [`ClassBuilder::call_fn`](crate::ClassBuilder::call_fn).
pub struct MethodDef<H> {
    pub(crate) name: &'static str,
    pub(crate) doc: String,
    pub(crate) handler: H,
}

impl<H> MethodDef<H> {
    /// A definition called `name` with docstring `doc`.
    pub fn new(name: &'static str, handler: H, doc: String) -> Self {
        MethodDef { name, doc, handler }
    }

    /// Replaces the docstring.
    pub fn doc(mut self, doc: impl Into<String>) -> Self {
        self.doc = doc.into();
        self
    }
}

/// The parameters of each entry, by the entry's shim type: `Parameters<B>` of its backend.
static PARAMETERS: Registry<Box<dyn Any + Send + Sync>> = Registry::new();

/// Checks `signature`, interns its names and keeps them for the entry whose shim is `Shim`;
/// returns the text signature.
fn register<Shim: 'static, B: Backend, H>(
    py: Python<'_, B>,
    handler: H,
    signature: Signature,
) -> PyResult<Signature, B> {
    let params = Parameters::new(py, signature)?;
    let checked = params.signature().clone();
    entry::register::<Shim, H>(handler, checked.name().to_owned(), 0);
    PARAMETERS.insert(TypeId::of::<Shim>(), Box::new(params));
    Ok(checked)
}

/// The parameters [`register`] kept for `Shim`.
fn parameters<Shim: 'static, B: Backend>() -> &'static Parameters<B> {
    PARAMETERS
        .get(TypeId::of::<Shim>())
        .and_then(|params| params.downcast_ref())
        .expect("an entry's parameters are registered with it")
}

/// The types a shim is made of (only named, never held).
type ShimTypes<T, B, H> = fn() -> (T, B, H);

/// The [`RawMethod`] of method `H` of class `T` (an instance or class method, or with `CALL`
/// `__call__`: a distinct entry, so that one definition can be both).
pub(crate) struct MethodKwShim<T, B, H, const CALL: bool>(PhantomData<ShimTypes<T, B, H>>);

impl<T: PyClass<B>, B: Backend, H: DefinedMethod<B>, const CALL: bool> MethodKwShim<T, B, H, CALL> {
    /// Keeps the handler and its parameters; returns the backend's entry of `kind` and the
    /// checked signature.
    pub(crate) fn register(
        py: Python<'_, B>,
        method: MethodDef<H>,
        name: &str,
        kind: EntryKind,
    ) -> PyResult<(MethodEntry, Signature), B> {
        let signature = method
            .handler
            .signature(Cow::Owned(format!("{}.{name}", T::NAME)))
            .with_receiver();
        let signature = register::<Self, B, H>(py, method.handler, signature)?;
        Ok((B::entry::<Self>(kind), signature))
    }

    /// The backend's entry of `kind` calling the handler `register` kept.
    pub(crate) fn entry(kind: EntryKind) -> MethodEntry {
        B::entry::<Self>(kind)
    }
}

// SAFETY: the handler checks the receiver (an instance of `T` or, for a class method, the class
// the backend passes) before touching it; `entry::run` counts the GIL, catches panics and
// returns a new reference or `None` with the error set; the arguments are read as the
// vectorcall contract the caller upholds says.
unsafe impl<T: PyClass<B>, B: Backend, H: DefinedMethod<B>, const CALL: bool> RawMethod
    for MethodKwShim<T, B, H, CALL>
{
    unsafe fn call(receiver: RawPtr, args: &[RawPtr]) -> NewRef {
        // SAFETY: positional arguments only: the keyword call with none.
        unsafe { Self::call_keywords(receiver, args, args.len(), None) }
    }

    unsafe fn call_keywords(
        receiver: RawPtr,
        args: &[RawPtr],
        nargs: usize,
        kwnames: Option<RawPtr>,
    ) -> NewRef {
        // SAFETY: forwarded from the backend's guarantees (`kwnames` names the values after
        // `nargs`, as `CallArgs::new` requires).
        unsafe {
            entry::run::<Self, B>(true, receiver, args, |py, receiver, args, _| {
                let handler = entry::handler::<H>();
                let kwnames = kwnames.map(|names| Borrowed::from_ptr(py, names));
                let call = CallArgs::new(args, nargs, kwnames);
                handler.call(py, receiver, call, parameters::<Self, B>())
            })
        }
    }
}

/// The [`RawMethod`] of constructor `H` of class `T`: `__new__`, its receiver the class being
/// instantiated (`T`'s class or a subclass).
pub(crate) struct ConstructorKwShim<T, B, H>(PhantomData<ShimTypes<T, B, H>>);

impl<T: PyClass<B>, B: Backend, H: DefinedConstructor<T, B>> ConstructorKwShim<T, B, H> {
    /// Keeps the handler and its parameters; returns the backend's `__new__` entry and the
    /// checked signature.
    pub(crate) fn register(
        py: Python<'_, B>,
        constructor: MethodDef<H>,
    ) -> PyResult<(MethodEntry, Signature), B> {
        let name = format!("{}.__new__", T::NAME);
        let signature = constructor
            .handler
            .signature(Cow::Owned(name))
            .with_receiver();
        let signature = register::<Self, B, H>(py, constructor.handler, signature)?;
        Ok((B::entry::<Self>(EntryKind::Constructor), signature))
    }
}

// SAFETY: `call_keywords` returns a new instance of the class it was given (whose `__new__` it
// is, so `T`'s class or a subclass); `entry::run` counts the GIL, catches panics and returns a
// new reference or `None` with the error set.
unsafe impl<T: PyClass<B>, B: Backend, H: DefinedConstructor<T, B>> RawMethod
    for ConstructorKwShim<T, B, H>
{
    unsafe fn call(class: RawPtr, args: &[RawPtr]) -> NewRef {
        // SAFETY: positional arguments only: the keyword call with none.
        unsafe { Self::call_keywords(class, args, args.len(), None) }
    }

    unsafe fn call_keywords(
        class: RawPtr,
        args: &[RawPtr],
        nargs: usize,
        kwnames: Option<RawPtr>,
    ) -> NewRef {
        // SAFETY: forwarded from the backend's guarantees.
        unsafe {
            entry::run::<Self, B>(true, class, args, |py, class, args, _| {
                let handler = entry::handler::<H>();
                let kwnames = kwnames.map(|names| Borrowed::from_ptr(py, names));
                let call = CallArgs::new(args, nargs, kwnames);
                let value = handler.construct(py, call, parameters::<Self, B>())?;
                // SAFETY: GIL held; `class` is `T`'s class or a subclass (this is its
                // `__new__`); the result is a new instance with an unwritten payload, or an error.
                let object =
                    Bound::<T, B>::from_owned_ptr_or_err(py, B::instance_new(class.as_ptr()))?;
                // SAFETY: the instance is fresh: its payload is zero-filled and unwritten.
                cell_of(object.as_borrowed()).write(value, false);
                Ok(object.into_any())
            })
        }
    }
}

/// What a method's receiver type names: a class (`Kind` is `()`), or for a class method
/// [`ClassReceiver`] (`Kind` is `ClassReceiver` too).
#[doc(hidden)]
pub trait ReceiverClass<B: Backend, Kind> {}

impl<T: PyClass<B>, B: Backend> ReceiverClass<B, ()> for T {}

/// What a class method's receiver type names.
#[doc(hidden)]
pub struct ClassReceiver;

impl<B: Backend> ReceiverClass<B, ClassReceiver> for ClassReceiver {}

/// The class a class method receives, as the backend passes it.
///
/// # Safety
/// `receiver` is a class object (the backend calls a class method's entry with one).
#[doc(hidden)]
pub unsafe fn class_receiver<'r, 'py, B: Backend>(
    receiver: &'r Borrowed<'_, 'py, PyAny, B>,
) -> &'r Bound<'py, PyType, B> {
    // SAFETY: a class object, as the caller promises; the handle's layout does not depend on
    // its marker type.
    unsafe { receiver.cast_unchecked() }
}
