//! `PyErr<B>`: a Python exception as a Rust value — raised from Rust, fetched from the
//! interpreter, restored into it, matched by kind, displayed as `TypeError: message`.

use std::borrow::Cow;
use std::fmt;

use crate::backend::{Backend, ExceptionKind, RawPtr};
use crate::exceptions::{ExceptionClass, PyExceptionType};
use crate::instance::{Bound, Py};
use crate::python::Python;
use crate::types::PyAny;

/// The result of an operation that can raise a Python exception.
pub type PyResult<T, B> = Result<T, PyErr<B>>;

/// A Python exception.
///
/// Errors raised from Rust stay lazy (a kind and a message, no Python object) until they are
/// restored into the interpreter or their value is asked for; errors fetched from the
/// interpreter hold the exception's type, value and traceback.
pub struct PyErr<B: Backend> {
    state: State<B>,
}

enum State<B: Backend> {
    Lazy {
        class: ExceptionClass,
        message: Cow<'static, str>,
    },
    Fetched {
        ty: Py<PyAny, B>,
        value: Py<PyAny, B>,
        traceback: Option<Py<PyAny, B>>,
    },
}

impl<B: Backend> PyErr<B> {
    /// An exception of class `E` with `message`, e.g. `PyErr::new::<TypeError, _>("bad")`.
    pub fn new<E: PyExceptionType, A: Into<Cow<'static, str>>>(message: A) -> Self {
        Self::from_class(E::class(), message)
    }

    /// An exception of the builtin class `kind` with `message`.
    pub fn from_kind(kind: ExceptionKind, message: impl Into<Cow<'static, str>>) -> Self {
        Self::from_class(ExceptionClass::Builtin(kind), message)
    }

    /// An exception of `class` with `message`.
    pub fn from_class(class: ExceptionClass, message: impl Into<Cow<'static, str>>) -> Self {
        PyErr {
            state: State::Lazy {
                class,
                message: message.into(),
            },
        }
    }

    /// Takes the exception currently set in the interpreter, if any.
    pub fn take(_py: Python<'_, B>) -> Option<Self> {
        // SAFETY: the token proves the GIL; fetch hands over three owned references.
        let (ty, value, traceback) = unsafe { B::err_fetch() }?;
        // SAFETY: each pointer is an owned reference that moves into its handle.
        let own = |ptr: RawPtr| unsafe { Py::from_owned_ptr(ptr) };
        Some(PyErr {
            state: State::Fetched {
                ty: own(ty),
                value: own(value),
                traceback: traceback.map(own),
            },
        })
    }

    /// Takes the exception currently set; a `SystemError` if a call reported failure without
    /// setting one (a bug in the callee).
    #[cold]
    pub fn fetch(py: Python<'_, B>) -> Self {
        Self::take(py).unwrap_or_else(|| {
            Self::from_kind(
                ExceptionKind::SystemError,
                "error return without exception set",
            )
        })
    }

    /// Sets this exception as the interpreter's current one (to return `NULL` to Python).
    pub fn restore(self, py: Python<'_, B>) {
        match self.state {
            State::Lazy { class, message } => match class.type_ptr(py) {
                // SAFETY: the token proves the GIL; the class lives as long as the process.
                Ok(class) => unsafe { B::err_set_str(class, &message) },
                // The class could not be made: that error is raised instead.
                Err(err) => err.restore(py),
            },
            State::Fetched {
                ty,
                value,
                traceback,
            } => {
                // SAFETY: the token proves the GIL; the three owned references move.
                unsafe {
                    B::err_restore(ty.into_ptr(), value.into_ptr(), traceback.map(Py::into_ptr))
                }
            }
        }
    }

    /// Whether this exception is an instance of `E` (subclasses count).
    pub fn is_instance_of<E: PyExceptionType>(&self, py: Python<'_, B>) -> bool {
        self.matches_class(py, E::class())
    }

    /// Whether this exception is an instance of the builtin class `kind`.
    pub fn matches(&self, py: Python<'_, B>, kind: ExceptionKind) -> bool {
        self.matches_class(py, ExceptionClass::Builtin(kind))
    }

    /// Whether this exception is an instance of `class` (a class that could not be made
    /// matches nothing).
    pub fn matches_class(&self, py: Python<'_, B>, class: ExceptionClass) -> bool {
        match &self.state {
            State::Lazy { class: own, .. } => own.mro().any(|base| base == class),
            State::Fetched { ty, .. } => match class.type_ptr(py) {
                // SAFETY: the token proves the GIL; both objects are alive.
                Ok(class) => unsafe { B::exception_matches(ty.bind(py).as_ptr(), class) },
                Err(_) => false,
            },
        }
    }

    /// The most specific builtin class this exception belongs to, to `match` on; `None` for a
    /// class outside Python's builtin hierarchy that anypy names (e.g. `KeyboardInterrupt`).
    pub fn kind(&self, py: Python<'_, B>) -> Option<ExceptionKind> {
        match &self.state {
            State::Lazy { class, .. } => Some(class.builtin_kind()),
            State::Fetched { .. } => ExceptionKind::MOST_SPECIFIC_FIRST
                .into_iter()
                .find(|kind| self.matches(py, *kind)),
        }
    }

    /// The exception class's name, e.g. `"KeyError"`.
    pub fn type_name(&self, py: Python<'_, B>) -> String {
        match &self.state {
            State::Lazy { class, .. } => class.name().to_owned(),
            State::Fetched { value, .. } => value.bind(py).type_name(),
        }
    }

    /// `str(exception)`: the message (for `KeyError`, the repr of the key, as Python shows it).
    pub fn message(&self, py: Python<'_, B>) -> String {
        match &self.state {
            State::Lazy { class, message }
                if class
                    .mro()
                    .any(|base| base == ExceptionClass::Builtin(ExceptionKind::KeyError)) =>
            {
                // Python shows a KeyError's argument as a repr: ask the interpreter.
                match self.value(py) {
                    Ok(value) => value.to_string(),
                    Err(_) => message.clone().into_owned(),
                }
            }
            State::Lazy { message, .. } => message.clone().into_owned(),
            State::Fetched { value, .. } => value.bind(py).to_string(),
        }
    }

    /// The exception instance (made now for an error raised from Rust).
    pub fn value<'py>(&self, py: Python<'py, B>) -> PyResult<Bound<'py, PyAny, B>, B> {
        match &self.state {
            State::Lazy { class, message } => {
                let class = class.type_ptr(py)?;
                // SAFETY: the token proves the GIL; the class lives as long as the process.
                let class = unsafe { Bound::<PyAny, B>::from_borrowed_ptr(py, class) };
                class.call1((message.as_ref(),))
            }
            State::Fetched { value, .. } => Ok(value.bind(py).clone()),
        }
    }

    /// The traceback, if the interpreter recorded one.
    pub fn traceback<'py>(&self, py: Python<'py, B>) -> Option<Bound<'py, PyAny, B>> {
        match &self.state {
            State::Fetched {
                traceback: Some(traceback),
                ..
            } => Some(traceback.bind(py).clone()),
            _ => None,
        }
    }

    /// `TypeError: message` (or just `TypeError` when the message is empty), as Python prints
    /// the last line of a traceback.
    fn describe(&self, py: Python<'_, B>) -> String {
        let (name, message) = (self.type_name(py), self.message(py));
        if message.is_empty() {
            name
        } else {
            format!("{name}: {message}")
        }
    }
}

impl<B: Backend> fmt::Display for PyErr<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&Python::<B>::with_gil(|py| self.describe(py)))
    }
}

impl<B: Backend> fmt::Debug for PyErr<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PyErr<{}>({self})", B::NAME)
    }
}

impl<B: Backend> std::error::Error for PyErr<B> {}
