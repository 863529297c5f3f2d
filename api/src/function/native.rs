//! `Function`: a named handler, wrapped by the backend into a callable. Calls count as holding
//! the GIL, check the argument count, and turn errors and panics into Python exceptions —
//! nothing unwinds into the interpreter.

use std::any::Any;
use std::marker::PhantomData;
use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::backend::{Backend, ExceptionKind, NewRef, RawFunction, RawPtr};
use crate::err::{PyErr, PyResult};
use crate::exceptions::{RuntimeError, TypeError};
use crate::function::Handler;
use crate::gil::GilCountGuard;
use crate::instance::{Borrowed, Bound};
use crate::python::Python;
use crate::types::PyAny;

/// The function being called, for error messages: its name and argument names.
///
/// Each [`Function`] owns one and lends it to the extraction of every argument, which reads it
/// only to word an error: a call builds nothing.
pub struct CallSite {
    name: String,
    arg_names: Vec<String>,
}

impl CallSite {
    /// The site of a callable called `name` whose arguments are called `arg_names`.
    pub(crate) fn new(name: String, arg_names: Vec<String>) -> Self {
        CallSite { name, arg_names }
    }

    /// The callable's name.
    pub(crate) fn name(&self) -> &str {
        &self.name
    }

    /// Rewrites an argument's extraction error to name the function and the argument, keeping
    /// its class: `add() argument 2 ('b'): expected int, got str`.
    #[cold]
    pub fn argument_error<B: Backend>(
        &self,
        py: Python<'_, B>,
        index: usize,
        err: PyErr<B>,
    ) -> PyErr<B> {
        let argument = match self.arg_names.get(index) {
            Some(name) => format!("argument {} ('{name}')", index + 1),
            None => format!("argument {}", index + 1),
        };
        let kind = err.kind(py).unwrap_or(ExceptionKind::TypeError);
        PyErr::from_kind(
            kind,
            format!("{}() {argument}: {}", self.name, err.message(py)),
        )
    }

    /// `add() takes 2 positional arguments but 3 were given`, as Python words it.
    #[cold]
    pub(crate) fn arity_error<B: Backend>(&self, expected: usize, given: usize) -> PyErr<B> {
        let name = &self.name;
        let verb = if given == 1 { "was" } else { "were" };
        let message = match expected {
            0 => format!("{name}() takes no arguments ({given} given)"),
            1 => format!("{name}() takes 1 positional argument but {given} {verb} given"),
            _ => format!("{name}() takes {expected} positional arguments but {given} {verb} given"),
        };
        PyErr::new::<TypeError, _>(message)
    }
}

/// A native function: a name, a docstring, optional argument names for messages, a handler.
///
/// ```
/// use anypy::{Function, Python, PyResult};
/// use anypy_mock::Mock;
///
/// fn repeat(text: &str, times: usize) -> String {
///     text.repeat(times)
/// }
///
/// Mock::leak_check(|| Python::<Mock>::with_gil(|py| -> PyResult<(), Mock> {
///     let f = Function::new("repeat", repeat).arg_names(&["text", "times"]).build(py)?;
///     assert_eq!(f.call1(("ab", 3))?.extract::<String>()?, "ababab");
///     let err = f.call1((1, 3)).unwrap_err();
///     assert_eq!(err.message(py), "repeat() argument 1 ('text'): expected str, got int");
///     Ok(())
/// }).unwrap());
/// ```
pub struct Function<B: Backend, H, M> {
    site: CallSite,
    doc: String,
    handler: H,
    _marker: PhantomData<fn() -> (B, M)>,
}

impl<B: Backend, H: Handler<B, M>, M: 'static> Function<B, H, M> {
    /// A function called `name` that runs `handler`.
    pub fn new(name: impl Into<String>, handler: H) -> Self {
        Function {
            site: CallSite {
                name: name.into(),
                arg_names: Vec::new(),
            },
            doc: String::new(),
            handler,
            _marker: PhantomData,
        }
    }

    /// Sets the docstring.
    pub fn doc(mut self, doc: impl Into<String>) -> Self {
        self.doc = doc.into();
        self
    }

    /// Names the arguments, for error messages.
    pub fn arg_names(mut self, names: &[&str]) -> Self {
        self.site.arg_names = names.iter().map(|name| (*name).to_owned()).collect();
        self
    }

    /// The function's name.
    pub fn name(&self) -> &str {
        &self.site.name
    }

    /// Makes the callable Python object.
    #[track_caller]
    pub fn build(self, py: Python<'_, B>) -> PyResult<Bound<'_, PyAny, B>, B> {
        // SAFETY: the token proves the GIL; the backend takes the function over (and drops it if
        // it fails); the result is a new reference or an error.
        unsafe { Bound::from_owned_ptr_or_err(py, B::function_new(self)) }
    }
}

/// The exception a panic becomes: `RuntimeError: Rust panic in add(): <message>`.
#[cold]
fn panic_error<B: Backend>(name: &str, payload: Box<dyn Any + Send>) -> PyErr<B> {
    PyErr::new::<RuntimeError, _>(format!(
        "Rust panic in {name}(): {}",
        panic_message(&*payload)
    ))
}

/// The text of a panic payload (`panic!` with a literal or a formatted message).
pub(crate) fn panic_message(payload: &(dyn Any + Send)) -> &str {
    if let Some(text) = payload.downcast_ref::<&str>() {
        text
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text
    } else {
        "(non-string panic payload)"
    }
}

impl<B: Backend, H: Handler<B, M>, M: 'static> RawFunction for Function<B, H, M> {
    fn name(&self) -> &str {
        &self.site.name
    }

    fn doc(&self) -> &str {
        &self.doc
    }

    /// A number returned is converted last, after the panic guard and the GIL accounting, so
    /// that the conversion (`PyLong_FromLongLong`, ...) is a tail call, as in a C extension. It
    /// does not panic ([`ReturnValue`](crate::ReturnValue)); Python code that a GC in it may run
    /// finds the GIL uncounted, as after any return.
    #[inline]
    unsafe fn call(&self, args: &[RawPtr]) -> NewRef {
        // SAFETY: the backend calls with the GIL held.
        let gil = unsafe { GilCountGuard::<B>::enter() };
        let value = {
            // SAFETY: the GIL is held and counted for this scope.
            let py = unsafe { Python::<B>::assume_gil_acquired() };
            // SAFETY: `Borrowed` is `repr(transparent)` over `RawPtr`; the caller keeps the
            // arguments alive for the duration of the call.
            let args: &[Borrowed<'_, '_, PyAny, B>] =
                unsafe { std::slice::from_raw_parts(args.as_ptr().cast(), args.len()) };
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                if args.len() != H::ARITY {
                    return Err(self.site.arity_error(H::ARITY, args.len()));
                }
                self.handler.call_for_return(py, args, &self.site)
            }));
            match outcome {
                Ok(Ok(value)) => value,
                Ok(Err(err)) => {
                    err.restore(py);
                    return None;
                }
                Err(payload) => {
                    panic_error::<B>(&self.site.name, payload).restore(py);
                    return None;
                }
            }
        };
        // SAFETY: the GIL is still held (the interpreter called us with it).
        unsafe { value.into_new_ref(|| drop(gil)) }
    }
}
