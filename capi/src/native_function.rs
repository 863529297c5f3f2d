//! Native functions: a `RawFunction` kept in a capsule, called through a `METH_FASTCALL`
//! trampoline specialized for its type (so the call is direct and inlined, not virtual). The
//! capsule is the function object's `self`, so the Rust function lives exactly as long as the
//! Python callable.

use std::ffi::{CStr, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr::{self, NonNull};

use anypy::{RawFunction, RawPtr};

use crate::c_api::CApi;
use crate::errors::set_error;
use crate::ffi::{PyMethodDef, PyObject, METH_FASTCALL};

/// The capsule's name: `PyCapsule_GetPointer` checks it, so a foreign capsule is never taken
/// for ours.
const CAPSULE_NAME: &CStr = c"anypy.native_function";

/// What the capsule holds: the method definition the function object points to, the strings it
/// points to, and the Rust function.
struct NativeFunction<F> {
    def: PyMethodDef,
    _name: CString,
    _doc: Option<CString>,
    function: F,
}

/// Wraps `function` in a new `builtin_function_or_method`; null with an error set on failure.
///
/// # Safety
/// GIL held.
pub(crate) unsafe fn function_new<A: CApi, F: RawFunction>(function: F) -> *mut PyObject {
    let Ok(name) = CString::new(function.name()) else {
        // SAFETY: GIL held (caller).
        unsafe { set_error::<A>(A::PyExc_ValueError(), "function name contains a NUL byte") };
        return ptr::null_mut();
    };
    let doc = match function.doc() {
        "" => None,
        doc => Some(CString::new(doc.replace('\0', "\\0")).expect("NUL bytes were replaced")),
    };
    let native = Box::into_raw(Box::new(NativeFunction {
        def: PyMethodDef {
            ml_name: name.as_ptr(),
            ml_meth: Some(trampoline::<A, F>),
            ml_flags: METH_FASTCALL,
            ml_doc: doc.as_ref().map_or(ptr::null(), |doc| doc.as_ptr()),
        },
        _name: name,
        _doc: doc,
        function,
    }));
    // SAFETY: GIL held; on success the capsule owns `native` and frees it in its destructor.
    let capsule = unsafe {
        A::PyCapsule_New(
            native.cast(),
            CAPSULE_NAME.as_ptr(),
            Some(release_capsule::<A, F>),
        )
    };
    if capsule.is_null() {
        // SAFETY: the capsule was not created, so `native` is still ours alone.
        drop(unsafe { Box::from_raw(native) });
        return ptr::null_mut();
    }
    // SAFETY: GIL held; `def` lives in the heap block owned by the capsule, which the function
    // object keeps alive as its `self`.
    let function = unsafe {
        A::PyCMethod_New(
            ptr::addr_of_mut!((*native).def),
            capsule,
            ptr::null_mut(),
            ptr::null_mut(),
        )
    };
    // SAFETY: we own the capsule reference; the function object holds its own (or, on failure,
    // this frees the capsule and `native` with it).
    unsafe { A::decref(capsule) };
    function
}

/// The `METH_FASTCALL` entry of anypy native functions of type `F`.
unsafe extern "C" fn trampoline<A: CApi, F: RawFunction>(
    slf: *mut PyObject,
    args: *const *mut PyObject,
    nargs: isize,
) -> *mut PyObject {
    // SAFETY: `slf` is the capsule created in `function_new` with CAPSULE_NAME (only our
    // trampoline is installed with it); its pointer is the `NativeFunction` it owns, alive while
    // the function object is.
    let native = unsafe { &*A::capsule_pointer(slf, CAPSULE_NAME).cast::<NativeFunction<F>>() };
    let args: &[RawPtr] = match usize::try_from(nargs) {
        // SAFETY: the interpreter passes `nargs` live, non-null argument pointers (`RawPtr` is a
        // non-null pointer with the same layout); with no arguments `args` may be null.
        Ok(len) if len > 0 => unsafe { std::slice::from_raw_parts(args.cast::<RawPtr>(), len) },
        _ => &[],
    };
    // SAFETY: called by the interpreter with the GIL held and live arguments; `call` never
    // unwinds and returns a new reference or `None` with the error set.
    match unsafe { native.function.call(args) } {
        Some(result) => result.as_ptr().cast(),
        None => ptr::null_mut(),
    }
}

/// The capsule destructor: drops the Rust function (never unwinding into the interpreter).
unsafe extern "C" fn release_capsule<A: CApi, F>(capsule: *mut PyObject) {
    // SAFETY: called once by the interpreter as the capsule dies; its pointer came from
    // `Box::into_raw` in `function_new`.
    let native = unsafe { A::PyCapsule_GetPointer(capsule, CAPSULE_NAME.as_ptr()) };
    if let Some(native) = NonNull::new(native.cast::<NativeFunction<F>>()) {
        let dropped = catch_unwind(AssertUnwindSafe(|| {
            // SAFETY: see above; nothing else frees it.
            drop(unsafe { Box::from_raw(native.as_ptr()) })
        }));
        if dropped.is_err() {
            eprintln!("anypy: a native function's captured state panicked while being dropped");
        }
    }
}
