//! Calling objects (`PyObject_Vectorcall`): builtins, bound methods and classes run under
//! the heap lock; a native function runs with the lock released (it re-enters the mock), its
//! object kept alive by a reference held for the duration of the call.

use std::fmt;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe, Location};
use std::sync::Arc;

use anypy::{ExceptionKind, NewRef, RawFunction, RawPtr, SlotKind};

use crate::detect;
use crate::errors::{self, type_error, Exc};
use crate::handle::Handle;
use crate::heap::{with_heap, Heap};
use crate::instance::MethodFn;
use crate::object::Kind;

/// Checks the number of positional arguments, with CPython's messages.
pub(crate) fn check_arity(
    name: impl fmt::Display,
    given: usize,
    min: usize,
    max: usize,
) -> Result<(), Exc> {
    if (min..=max).contains(&given) {
        return Ok(());
    }
    let plural = |count: usize| if count == 1 { "" } else { "s" };
    let message = match (min, max) {
        (0, 0) => format!("{name}() takes no arguments ({given} given)"),
        (1, 1) => format!("{name}() takes exactly one argument ({given} given)"),
        (min, max) if min == max => {
            format!("{name}() takes exactly {min} arguments ({given} given)")
        }
        (min, _) if given < min => {
            format!(
                "{name}() expected at least {min} argument{}, got {given}",
                plural(min)
            )
        }
        (_, max) => format!(
            "{name}() expected at most {max} argument{}, got {given}",
            plural(max)
        ),
    };
    Err(type_error(message))
}

/// Rejects keyword arguments for a callable that takes none.
pub(crate) fn no_keywords(name: &str, keywords: &[(Handle, Handle)]) -> Result<(), Exc> {
    if keywords.is_empty() {
        Ok(())
    } else {
        Err(type_error(format!("{name}() takes no keyword arguments")))
    }
}

/// A call decided under the lock.
enum Prepared {
    /// Finished with this result.
    Done(Handle),
    /// Finished with an error, now set.
    Failed,
    /// A native function to run outside the lock (its object was incref'd).
    Native(Arc<dyn RawFunction>),
    /// A Rust class's method to run outside the lock on its receiver (the bound method object
    /// was incref'd; it keeps the receiver alive).
    Method(MethodFn, Handle),
}

/// `PyObject_Vectorcall`.
pub(crate) fn call(
    callable: RawPtr,
    args: &[RawPtr],
    nargs: usize,
    kwnames: Option<RawPtr>,
    site: &'static Location<'static>,
) -> NewRef {
    let object = Handle::from_raw(callable);
    let handles: Vec<Handle> = args.iter().map(|arg| Handle::from_raw(*arg)).collect();
    let kwnames = kwnames.map(Handle::from_raw);
    let prepared = with_heap("call", site, |heap| {
        heap.prepare_call(object, &handles, nargs, kwnames)
            .unwrap_or_else(|exc| {
                heap.raise(exc);
                Prepared::Failed
            })
    });
    let outcome = match prepared {
        Prepared::Done(result) => return Some(result.raw()),
        Prepared::Failed => return None,
        Prepared::Native(function) => {
            // SAFETY: the caller holds the GIL (checked before this call) and every argument
            // and `kwnames` (a tuple of str) was checked live under the heap lock; they stay
            // alive since the caller owns or borrows them.
            catch_unwind(AssertUnwindSafe(|| unsafe {
                function.call(args, nargs, kwnames.map(Handle::raw))
            }))
        }
        Prepared::Method(method, receiver) => {
            // SAFETY: as for a native function (an entry taking no keywords refuses them); the
            // receiver is kept alive by its bound method (or is the callable), held for the call.
            catch_unwind(AssertUnwindSafe(|| unsafe {
                method(receiver.raw(), args, nargs, kwnames.map(Handle::raw))
            }))
        }
    };
    let returned = outcome
        .as_ref()
        .ok()
        .copied()
        .flatten()
        .map(Handle::from_raw);
    let result = with_heap("call", site, |heap| {
        heap.finish_native(object, returned, outcome.is_ok())
    });
    match outcome {
        Ok(_) => result,
        Err(payload) => resume_unwind(payload),
    }
}

impl Heap {
    fn prepare_call(
        &mut self,
        callable: Handle,
        args: &[Handle],
        nargs: usize,
        kwnames: Option<Handle>,
    ) -> Result<Prepared, Exc> {
        self.get(callable);
        for arg in args {
            self.get(*arg);
        }
        let names = match kwnames {
            Some(kwnames) => match self.kind(kwnames) {
                Kind::Tuple(_) => self.sequence_items(kwnames),
                _ => detect::misuse(
                    self,
                    format_args!("kwnames must be a tuple, got {}", self.describe(kwnames)),
                ),
            },
            None => Vec::new(),
        };
        if nargs + names.len() != args.len() {
            detect::misuse(
                self,
                format_args!(
                    "{} positional and {} keyword arguments, but {} values",
                    nargs,
                    names.len(),
                    args.len()
                ),
            );
        }
        if let Some(name) = names
            .iter()
            .find(|name| self.kind(**name).as_str().is_none())
        {
            detect::misuse(
                self,
                format_args!("keyword names must be str, got {}", self.describe(*name)),
            );
        }
        self.faults.charge_call()?;
        let (positional, values) = args.split_at(nargs);
        let keywords: Vec<(Handle, Handle)> =
            names.into_iter().zip(values.iter().copied()).collect();
        if let Kind::Function(function) = self.kind(callable) {
            if !function.takes_arguments {
                // What `METH_NOARGS` checks, in CPython's words, which name the function as
                // `_PyObject_FunctionStr` does: with its module, unless that is `builtins`.
                let name = match function.module.as_deref() {
                    Some(module) if module != "builtins" => format!("{module}.{}", function.name),
                    _ => function.name.clone(),
                };
                no_keywords(&name, &keywords)?;
                check_arity(&name, nargs, 0, 0)?;
            }
            let function = Arc::clone(&function.function);
            self.incref(callable);
            return Ok(Prepared::Native(function));
        }
        // A Rust class's constructor, `__call__` and methods get the keywords: an entry that
        // takes none refuses them, in CPython's words.
        if let Some(constructor) = self.constructor_of(callable) {
            self.incref(callable);
            return Ok(Prepared::Method(constructor, callable));
        }
        if let Some(slot) = self.slot_of(callable, SlotKind::Call) {
            self.incref(callable);
            return Ok(Prepared::Method(slot, callable));
        }
        if let Kind::BoundMethod(receiver, method) = self.kind(callable) {
            let prepared = Prepared::Method(method.call, *receiver);
            self.incref(callable);
            return Ok(prepared);
        }
        self.call_object(callable, positional, &keywords)
            .map(Prepared::Done)
    }

    /// Calls anything but a native function, under the lock.
    fn call_object(
        &mut self,
        callable: Handle,
        positional: &[Handle],
        keywords: &[(Handle, Handle)],
    ) -> Result<Handle, Exc> {
        match self.kind(callable) {
            Kind::Builtin(function) => {
                let function = *function;
                no_keywords(function.name(), keywords)?;
                self.call_builtin(function, positional)
            }
            Kind::Method(receiver, method) => {
                let (receiver, method) = (*receiver, *method);
                no_keywords(method.name(), keywords)?;
                self.call_method(method, receiver, positional)
            }
            Kind::Type(class) => {
                let class = *class;
                self.construct(class, positional, keywords)
            }
            _ => Err(type_error(format!(
                "'{}' object is not callable",
                self.type_name(callable)
            ))),
        }
    }

    /// After a native function returned (or unwound): checks the C-API contract on its
    /// result and releases the reference that kept the function alive.
    fn finish_native(
        &mut self,
        function: Handle,
        result: Option<Handle>,
        returned: bool,
    ) -> NewRef {
        let name = match self.lookup(function).map(|object| &object.kind) {
            Ok(Kind::Function(native)) => format!("<built-in function {}>", native.name),
            Ok(Kind::BoundMethod(_, method)) => format!("<built-in method {}>", method.name),
            _ => "a native function".to_owned(),
        };
        self.release(function);
        if !returned {
            return None;
        }
        let Some(result) = result else {
            if !errors::occurred() {
                self.raise(Exc::new(
                    ExceptionKind::SystemError,
                    format!("{name} returned NULL without setting an exception"),
                ));
            }
            return None;
        };
        self.get(result);
        if errors::occurred() {
            self.release(result);
            self.raise(Exc::new(
                ExceptionKind::SystemError,
                format!("{name} returned a result with an exception set"),
            ));
            return None;
        }
        Some(result.raw())
    }
}
