//! Python exceptions in the mock: [`Exc`], an error on its way out of an operation, and the
//! per-thread error indicator (owned type, value and traceback) with CPython's fetch, restore,
//! normalization and matching rules.

use std::cell::Cell;

use anypy::ExceptionKind;

use crate::class::Class;
use crate::detect;
use crate::handle::Handle;
use crate::heap::{class_handle, Heap};
use crate::object::Kind;

/// An exception raised by an operation, not yet set as the thread's error.
pub(crate) enum Exc {
    /// An instance of the kind with one str argument, made when raised.
    New(ExceptionKind, String),
    /// An exception instance (an owned reference).
    Instance(Handle),
}

impl Exc {
    /// An exception of `kind` with `message`.
    pub(crate) fn new(kind: ExceptionKind, message: impl Into<String>) -> Exc {
        Exc::New(kind, message.into())
    }
}

/// A `TypeError`.
pub(crate) fn type_error(message: impl Into<String>) -> Exc {
    Exc::new(ExceptionKind::TypeError, message)
}

/// A `ValueError`.
pub(crate) fn value_error(message: impl Into<String>) -> Exc {
    Exc::new(ExceptionKind::ValueError, message)
}

/// An `IndexError`.
pub(crate) fn index_error(message: impl Into<String>) -> Exc {
    Exc::new(ExceptionKind::IndexError, message)
}

/// An `OverflowError`.
pub(crate) fn overflow_error(message: impl Into<String>) -> Exc {
    Exc::new(ExceptionKind::OverflowError, message)
}

/// An `AttributeError`.
pub(crate) fn attribute_error(message: impl Into<String>) -> Exc {
    Exc::new(ExceptionKind::AttributeError, message)
}

/// The `OverflowError` of an `int()`, `sum()` or `abs()` result beyond 128 bits: the mock's
/// arithmetic stops there (its ints themselves have any size, through `<<`, `|`, `&`, `>>`).
pub(crate) fn int_too_large() -> Exc {
    overflow_error("int too large for the mock interpreter's arithmetic (128 bits)")
}

/// How deeply tuples of classes may nest (deeper means a tuple that contains itself).
pub(crate) const MAX_NESTING: usize = 400;

/// The thread's current exception: owned references.
#[derive(Clone, Copy)]
struct Indicator {
    ty: Handle,
    value: Handle,
    traceback: Option<Handle>,
}

thread_local! {
    static INDICATOR: Cell<Option<Indicator>> = const { Cell::new(None) };
}

/// `PyErr_Occurred() != NULL` for this thread.
pub(crate) fn occurred() -> bool {
    INDICATOR.with(|indicator| indicator.get().is_some())
}

/// The value of this thread's current exception (borrowed), if one is set.
pub(crate) fn current_value() -> Option<Handle> {
    INDICATOR.with(|indicator| indicator.get().map(|indicator| indicator.value))
}

impl Heap {
    /// Sets `exc` as this thread's error, replacing (and releasing) any previous one.
    pub(crate) fn raise(&mut self, exc: Exc) {
        let value = match exc {
            Exc::New(kind, message) => {
                let message = self.alloc_uncounted(Kind::Str(message));
                self.new_exception(Class::Exception(kind), vec![message])
            }
            Exc::Instance(value) => value,
        };
        let ty = class_handle(self.class(value));
        self.incref(ty);
        self.set_indicator(Some(Indicator {
            ty,
            value,
            traceback: None,
        }));
    }

    /// An exception instance of `class` with `args` (stolen), not counted as an allocation.
    pub(crate) fn new_exception(&mut self, class: Class, args: Vec<Handle>) -> Handle {
        let args = self.alloc_uncounted(Kind::Tuple(args.into_iter().map(Some).collect()));
        self.alloc_uncounted(Kind::Exception(class, args))
    }

    /// `KeyError(key)`.
    pub(crate) fn key_error(&mut self, key: Handle) -> Exc {
        self.incref(key);
        Exc::Instance(self.new_exception(Class::Exception(ExceptionKind::KeyError), vec![key]))
    }

    fn set_indicator(&mut self, indicator: Option<Indicator>) {
        if let Some(old) = INDICATOR.with(|cell| cell.replace(indicator)) {
            self.release_all([old.ty, old.value].into_iter().chain(old.traceback));
        }
    }

    /// The class a class object stands for, if it is an exception class.
    pub(crate) fn exception_class(&self, ty: Handle) -> Option<Class> {
        match self.kind(ty) {
            Kind::Type(class) if class.is_exception() => Some(*class),
            _ => None,
        }
    }

    fn require_exception_class(&self, ty: Handle) -> Class {
        self.exception_class(ty).unwrap_or_else(|| {
            detect::misuse(
                self,
                format_args!("{} is not an exception class", crate::repr::short(self, ty)),
            )
        })
    }

    /// A new reference to an instance of `kind` for `value` (borrowed), as CPython normalizes:
    /// `value` itself if it is one, else `kind(*value)` for a tuple, `kind()` for None,
    /// `kind(value)` otherwise.
    fn normalized(&mut self, kind: Class, value: Handle) -> Handle {
        let args = match self.kind(value) {
            Kind::Exception(actual, _) if actual.is_subclass_of(kind) => None,
            Kind::None => Some(Vec::new()),
            Kind::Tuple(_) => Some(self.sequence_items(value)),
            _ => Some(vec![value]),
        };
        let Some(args) = args else {
            self.incref(value);
            return value;
        };
        for arg in &args {
            self.incref(*arg);
        }
        self.new_exception(kind, args)
    }

    /// `PyErr_Fetch` + normalization: takes this thread's error, if any.
    pub(crate) fn err_fetch(&mut self) -> Option<(Handle, Handle, Option<Handle>)> {
        let indicator = INDICATOR.with(Cell::take)?;
        let kind = self.require_exception_class(indicator.ty);
        let value = self.normalized(kind, indicator.value);
        self.release(indicator.value);
        let ty = class_handle(self.class(value));
        if ty != indicator.ty {
            self.incref(ty);
            self.release(indicator.ty);
        }
        Some((ty, value, indicator.traceback))
    }

    /// `PyErr_Restore`: steals all three.
    pub(crate) fn err_restore(&mut self, ty: Handle, value: Handle, traceback: Option<Handle>) {
        self.require_exception_class(ty);
        self.get(value);
        if let Some(traceback) = traceback {
            self.get(traceback);
        }
        self.set_indicator(Some(Indicator {
            ty,
            value,
            traceback,
        }));
    }

    /// `PyErr_SetObject`: normalized at once.
    pub(crate) fn err_set_object(&mut self, ty: Handle, value: Handle) {
        let kind = self.require_exception_class(ty);
        let value = self.normalized(kind, value);
        let ty = class_handle(self.class(value));
        self.incref(ty);
        self.set_indicator(Some(Indicator {
            ty,
            value,
            traceback: None,
        }));
    }

    /// `PyErr_SetString`.
    pub(crate) fn err_set_str(&mut self, ty: Handle, message: &str) {
        let class = self.require_exception_class(ty);
        let message = self.alloc_uncounted(Kind::Str(message.to_owned()));
        let value = self.new_exception(class, vec![message]);
        self.raise(Exc::Instance(value));
    }

    /// `PyErr_GivenExceptionMatches`: `class` may be a (nested) tuple of classes.
    pub(crate) fn exception_matches(&self, given: Handle, class: Handle) -> bool {
        self.exception_matches_at(given, class, 0)
    }

    fn exception_matches_at(&self, given: Handle, class: Handle, depth: usize) -> bool {
        if let Kind::Tuple(_) = self.kind(class) {
            // A tuple nested this deep can only be one that contains itself.
            return depth < MAX_NESTING
                && self
                    .sequence_items(class)
                    .into_iter()
                    .any(|class| self.exception_matches_at(given, class, depth + 1));
        }
        let given_class = match self.kind(given) {
            Kind::Type(class) => *class,
            Kind::Exception(class, _) => *class,
            _ => return given == class,
        };
        match self.kind(class) {
            Kind::Type(class) => given_class.is_subclass_of(*class),
            _ => false,
        }
    }
}
