//! `Function`: a named handler, wrapped by the backend into a callable. Calls count as holding
//! the GIL, match the arguments to the signature, and turn errors and panics into Python
//! exceptions — nothing unwinds into the interpreter.

use std::any::Any;
use std::marker::PhantomData;
use std::panic::{catch_unwind, AssertUnwindSafe};

use std::borrow::Cow;

use crate::backend::{AbortOnUnwind, Backend, NewRef, RawFunction, RawPtr};
use crate::err::{PyErr, PyResult};
use crate::exceptions::RuntimeError;
use crate::function::arguments::{CallArgs, Parameters};
use crate::function::signature::{ParamKind, Signature};
use crate::function::Handler;
use crate::gil::{drain_release_queue, GilCountGuard};
use crate::instance::{Borrowed, Bound};
use crate::python::Python;
use crate::types::{PyAny, PyStr};

/// A native function: a name, a docstring, a handler, and the parameters the handler declares
/// (or, for a plain `fn`, names given with [`Function::arg_names`]).
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
///     assert_eq!(err.message(py), "repeat() argument 'text': expected str, got int");
///     Ok(())
/// }).unwrap());
/// ```
pub struct Function<B: Backend, H, M> {
    name: Cow<'static, str>,
    doc: Cow<'static, str>,
    arg_names: Option<Vec<String>>,
    handler: H,
    _marker: PhantomData<fn() -> (B, M)>,
}

impl<B: Backend, H: Handler<B, M>, M: 'static> Function<B, H, M> {
    /// A function called `name` that runs `handler`.
    pub fn new(name: impl Into<Cow<'static, str>>, handler: H) -> Self {
        Function {
            name: name.into(),
            doc: Cow::Borrowed(""),
            arg_names: None,
            handler,
            _marker: PhantomData,
        }
    }

    /// Sets the docstring (the text only: the signature line is made from the parameters).
    pub fn doc(mut self, doc: impl Into<Cow<'static, str>>) -> Self {
        self.doc = doc.into();
        self
    }

    /// Names the parameters of a plain `fn`: they can then also be passed by keyword, and
    /// errors and the text signature use the names.
    pub fn arg_names(mut self, names: &[&str]) -> Self {
        self.arg_names = Some(names.iter().map(|name| (*name).to_owned()).collect());
        self
    }

    /// The function's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The function's signature.
    pub fn signature(&self) -> Signature {
        let mut signature = self.handler.signature(self.name.clone());
        if let Some(names) = &self.arg_names {
            for (param, name) in signature.params.iter_mut().zip(names) {
                param.name = Cow::Owned(name.clone());
                param.kind = ParamKind::PositionalOrKeyword;
            }
        }
        signature
    }

    /// Makes the callable Python object (its `__module__` is `None`).
    #[track_caller]
    pub fn build(self, py: Python<'_, B>) -> PyResult<Bound<'_, PyAny, B>, B> {
        self.build_in(py, None)
    }

    /// Makes the callable Python object; `module` is its `__module__`.
    #[track_caller]
    pub(crate) fn build_in<'py>(
        self,
        py: Python<'py, B>,
        module: Option<&Bound<'py, PyStr, B>>,
    ) -> PyResult<Bound<'py, PyAny, B>, B> {
        let signature = self.signature();
        let docstring = signature.docstring(&self.doc);
        let native = NativeFunction {
            params: Parameters::new(py, signature)?,
            docstring,
            handler: self.handler,
            _marker: PhantomData,
        };
        let module = module.map(|name| name.as_ptr());
        // SAFETY: the token proves the GIL; the backend takes the function over (and drops it if
        // it fails); `module` is a live str; the result is a new reference or an error.
        unsafe { Bound::from_owned_ptr_or_err(py, B::function_new(native, module)) }
    }
}

/// What the backend wraps: the parameters ready for calls, the docstring, the handler.
struct NativeFunction<B: Backend, H, M> {
    params: Parameters<B>,
    docstring: String,
    handler: H,
    _marker: PhantomData<fn() -> M>,
}

/// The GIL bookkeeping of one native call. Counted: the thread's GIL count says "held" for
/// the call ([`GilCountGuard`]), so that a `Py` dropped in it is a plain decref. Not counted:
/// the count is left alone (no thread-local access), a `Py` dropped in the call goes to the
/// release queue as it would without the GIL (sound either way), and the queue is drained on
/// the way out, with the GIL still held.
pub(crate) struct CallGil<B: Backend, const COUNTED: bool> {
    _count: Option<GilCountGuard<B>>,
}

impl<B: Backend, const COUNTED: bool> CallGil<B, COUNTED> {
    /// # Safety
    /// The calling thread holds `B`'s GIL (and still does when this is dropped).
    #[inline(always)]
    pub(crate) unsafe fn enter() -> Self {
        CallGil {
            // SAFETY: as the caller's.
            _count: COUNTED.then(|| unsafe { GilCountGuard::enter() }),
        }
    }
}

impl<B: Backend, const COUNTED: bool> Drop for CallGil<B, COUNTED> {
    #[inline(always)]
    fn drop(&mut self) {
        if !COUNTED {
            drain_release_queue::<B>();
        }
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

// SAFETY: `call` reads `args` and `kwnames` as the contract allows, returns a new reference or
// `None` with the error set, and never unwinds (the handler runs under `catch_unwind`).
unsafe impl<B: Backend, H: Handler<B, M>, M: 'static> RawFunction for NativeFunction<B, H, M> {
    fn name(&self) -> &str {
        self.params.signature().name()
    }

    fn doc(&self) -> &str {
        &self.docstring
    }

    fn takes_arguments(&self) -> bool {
        !self.params.signature().takes_nothing()
    }

    /// A number returned is converted last, after the panic guard and the GIL accounting, so
    /// that nothing runs after the conversion (`PyLong_FromLongLong`, ...), as in a C extension. It
    /// does not panic ([`ReturnValue`](crate::ReturnValue)); Python code that a GC in it may run
    /// finds the GIL uncounted, as after any return.
    ///
    /// A call passing every parameter by position (the common one) runs inline in the entry,
    /// in a copy in which every argument is known present and `**kwargs` known empty; any other
    /// call jumps to a copy that matches keywords, out of line, so that the common call never
    /// pays for its frame. Whether the GIL is counted ([`Handler::HOLDS_PY`]) and how the result
    /// converts ([`Handler::RETURN_KIND`]) are constants of the handler's type.
    #[inline(always)]
    unsafe fn call(&self, args: &[RawPtr], nargs: usize, kwnames: Option<RawPtr>) -> NewRef {
        if self.params.is_all_positional(nargs, kwnames.is_some()) {
            // SAFETY: as the caller's; every argument is positional and passes a parameter.
            unsafe { self.call_counted::<ALL_POSITIONAL>(args, nargs, kwnames) }
        } else {
            // SAFETY: as the caller's.
            unsafe { Self::call_out_of_line(self, args.as_ptr(), args.len(), nargs, kwnames) }
        }
    }

    #[inline(always)]
    unsafe fn call_noargs(&self) -> NewRef {
        // SAFETY: GIL held (caller); no arguments, and (`METH_NOARGS`) no parameters.
        unsafe { self.call_counted::<NO_ARGS>(&[], 0, None) }
    }
}

/// The copies of the call body [`NativeFunction::call_in`] makes: each inlines its own
/// `catch_unwind` closure (one closure shared by two entries was inlined into neither, an extra
/// call of ~30 instructions).
const NO_ARGS: u8 = 0;
const ALL_POSITIONAL: u8 = 1;
const GENERAL: u8 = 2;

impl<B: Backend, H: Handler<B, M>, M: 'static> NativeFunction<B, H, M> {
    /// The call that matches keywords, out of line. `extern "C"` because such a function cannot
    /// unwind (the guard makes sure of it even where the compiler does not): a call to it is
    /// then a plain call, which the entry makes as its last act (a tail call), where one that
    /// might unwind would have needed the entry's own abort guard around it.
    ///
    /// # Safety
    /// As [`RawFunction::call`], with `args` given as a pointer to `len` arguments (null if
    /// none).
    #[inline(never)]
    unsafe extern "C" fn call_out_of_line(
        this: &Self,
        args: *const RawPtr,
        len: usize,
        nargs: usize,
        kwnames: Option<RawPtr>,
    ) -> NewRef {
        let guard = AbortOnUnwind;
        let args = if len > 0 {
            // SAFETY: `args` points to `len` arguments (the caller's slice).
            unsafe { std::slice::from_raw_parts(args, len) }
        } else {
            &[]
        };
        // SAFETY: as the caller's.
        let result = unsafe { this.call_counted::<GENERAL>(args, nargs, kwnames) };
        std::mem::forget(guard);
        result
    }

    /// [`NativeFunction::call_in`], counting the GIL if the handler's arguments may own a `Py`
    /// ([`Handler::HOLDS_PY`], a constant: the other branch folds away).
    ///
    /// # Safety
    /// As [`RawFunction::call`].
    #[inline(always)]
    unsafe fn call_counted<const COPY: u8>(
        &self,
        args: &[RawPtr],
        nargs: usize,
        kwnames: Option<RawPtr>,
    ) -> NewRef {
        // SAFETY: as the caller's.
        unsafe {
            if H::HOLDS_PY {
                self.call_in::<COPY, true>(args, nargs, kwnames)
            } else {
                self.call_in::<COPY, false>(args, nargs, kwnames)
            }
        }
    }

    /// [`RawFunction::call`]; `COPY` only makes a distinct copy (and closure type) per entry;
    /// `COUNTED`: whether the GIL is counted as held for the call (see [`CallGil`]).
    ///
    /// # Safety
    /// As [`RawFunction::call`].
    #[inline(always)]
    unsafe fn call_in<const COPY: u8, const COUNTED: bool>(
        &self,
        args: &[RawPtr],
        nargs: usize,
        kwnames: Option<RawPtr>,
    ) -> NewRef {
        // SAFETY: the backend calls with the GIL held.
        let gil = unsafe { CallGil::<B, COUNTED>::enter() };
        let value = {
            // SAFETY: the GIL is held for this scope (counted or not: see `CallGil`).
            let py = unsafe { Python::<B>::assume_gil_acquired() };
            // SAFETY: `Borrowed` is `repr(transparent)` over `RawPtr`; the caller keeps the
            // arguments and `kwnames` (a tuple of str, one per value after `nargs`) alive for the
            // duration of the call, as `RawFunction::call` requires.
            let args = unsafe { std::slice::from_raw_parts(args.as_ptr().cast(), args.len()) };
            let call = if COPY == ALL_POSITIONAL || COPY == NO_ARGS {
                // SAFETY: as above; `call` checked that these are all positional and pass
                // every parameter, or (`call_noargs`) there are none and no parameter.
                unsafe { CallArgs::all_positional(args) }
            } else {
                // SAFETY: as above; `call` found the call not all-positional.
                unsafe {
                    CallArgs::not_all_positional(
                        args,
                        nargs,
                        kwnames.map(|names| Borrowed::from_ptr(py, names)),
                    )
                }
            };
            // The closure captures one pointer: a wider capture is copied into the unwinding
            // shim with vector loads of fields just stored one by one, a store-forwarding
            // stall on every call (seen with `perf annotate`).
            let env = (self, call);
            let env = &env;
            let outcome = catch_unwind(AssertUnwindSafe(move || {
                let (this, call) = *env;
                this.handler.call(py, call, &this.params)
            }));
            match outcome {
                Ok(Ok(value)) => value,
                Ok(Err(err)) => {
                    err.restore(py);
                    return None;
                }
                Err(payload) => {
                    panic_error::<B>(self.name(), payload).restore(py);
                    return None;
                }
            }
        };
        // SAFETY: the GIL is still held (the interpreter called us with it).
        unsafe { value.into_new_ref(H::RETURN_KIND, || drop(gil)) }
    }
}
