//! Native functions: a `RawFunction` held by the function object's `self` (a module with state
//! on CPython, a capsule on PyPy: see [`FunctionHolder`]), called through a
//! `METH_FASTCALL | METH_KEYWORDS` trampoline (`METH_NOARGS` for a function without
//! parameters) specialized for its type, so the call is direct and inlined, not virtual.

use std::ffi::{c_void, CStr, CString};
use std::ptr::{self, NonNull};

use anypy::{AbortOnUnwind, Backend, RawFunction, RawPtr};

use crate::backend::CBackend;
use crate::c_api::{CApi, FunctionHolder};
use crate::errors::set_error;
use crate::ffi::{
    FastCallKeywordsFunction, NoArgsFunction, PyMethodDef, PyObject, METH_FASTCALL, METH_KEYWORDS,
    METH_NOARGS,
};
use crate::module_def::module_def;

/// The holder's name: `PyCapsule_GetPointer` checks it (so a foreign capsule is never taken for
/// ours); a holder module is called so (`f.__self__`).
const HOLDER_NAME: &CStr = c"anypy.native_function";

/// What the holder owns: the method definition the function object points to, the strings it
/// points to, the holder module's definition (CPython), and the Rust function.
struct NativeFunction<F> {
    def: PyMethodDef,
    _name: CString,
    _doc: CString,
    holder_def: Option<Box<[usize]>>,
    function: F,
}

/// Wraps `function` in a new `builtin_function_or_method` whose `__module__` is `module`; null
/// with an error set on failure.
///
/// # Safety
/// GIL held; `module` null or a live str.
pub(crate) unsafe fn function_new<A: CApi, F: RawFunction>(
    function: F,
    module: *mut PyObject,
) -> *mut PyObject {
    let Ok(name) = CString::new(function.name()) else {
        // SAFETY: GIL held (caller).
        unsafe { set_error::<A>(A::PyExc_ValueError(), "function name contains a NUL byte") };
        return ptr::null_mut();
    };
    let doc = CString::new(function.doc().replace('\0', "\\0")).expect("NUL bytes were replaced");
    let (meth, flags) = if function.takes_arguments() {
        let meth: FastCallKeywordsFunction = trampoline::<A, F>;
        (meth as *const c_void, METH_FASTCALL | METH_KEYWORDS)
    } else {
        let meth: NoArgsFunction = trampoline_noargs::<A, F>;
        (meth as *const c_void, METH_NOARGS)
    };
    let holder_def = match holder_kind::<A, F>() {
        FunctionHolder::Module { .. } => Some(module_def::<A>(
            HOLDER_NAME.as_ptr(),
            size_of::<NativeFunction<F>>() as isize,
            Some(release_module::<A, F>),
        )),
        FunctionHolder::Capsule => None,
    };
    let native = NativeFunction {
        def: PyMethodDef {
            ml_name: name.as_ptr(),
            ml_meth: meth,
            ml_flags: flags,
            ml_doc: doc.as_ptr(),
        },
        _name: name,
        _doc: doc,
        holder_def,
        function,
    };
    // SAFETY: GIL held.
    let Some((holder, native)) = (unsafe { new_holder::<A, F>(native) }) else {
        return ptr::null_mut();
    };
    // SAFETY: GIL held; `def` lives in the block owned by the holder, which the function object
    // keeps alive as its `self`; `module` is null or a live str.
    let function = unsafe {
        A::PyCMethod_New(
            ptr::addr_of_mut!((*native).def),
            holder.as_ptr(),
            module,
            ptr::null_mut(),
        )
    };
    // SAFETY: we own the holder reference; the function object holds its own (or, on failure,
    // this frees the holder and `native` with it).
    unsafe { A::decref(holder.as_ptr()) };
    function
}

/// The holder functions of type `F` use: the implementation's, except that a module keeps the
/// function in its state block, allocated with 16-byte alignment (`PyMem_Malloc`), so a more
/// aligned function goes in a capsule.
const fn holder_kind<A: CApi, F>() -> FunctionHolder {
    match A::FUNCTION_HOLDER {
        FunctionHolder::Module { .. } if align_of::<NativeFunction<F>>() > 16 => {
            FunctionHolder::Capsule
        }
        holder => holder,
    }
}

/// A new holder owning `native`, and where `native` now lives; `None` with an error set (and
/// `native` dropped) on failure.
///
/// # Safety
/// GIL held.
unsafe fn new_holder<A: CApi, F: RawFunction>(
    mut native: NativeFunction<F>,
) -> Option<(NonNull<PyObject>, *mut NativeFunction<F>)> {
    match holder_kind::<A, F>() {
        FunctionHolder::Module { state_offset } => {
            let def = native
                .holder_def
                .as_mut()
                .expect("a module holder has a definition");
            // SAFETY: GIL held; `def` is a valid `PyModuleDef` for this implementation whose heap
            // block moves with `native` into the module's state and lives as long as the module
            // (dropped in `m_free`, the module's last use of it).
            let module = NonNull::new(unsafe {
                A::PyModule_Create2(def.as_mut_ptr().cast(), A::API_VERSION)
            })?;
            // SAFETY: the module was made with `m_size` the size of `NativeFunction<F>`:
            // `md_state` points to that zeroed block, aligned for it (`holder_kind`), which now holds
            // `native` (dropped by `release_module`).
            let state = unsafe {
                let state: *mut NativeFunction<F> = *field_ptr(module.as_ptr(), state_offset);
                state.write(native);
                state
            };
            Some((module, state))
        }
        FunctionHolder::Capsule => {
            let native = Box::into_raw(Box::new(native));
            // SAFETY: GIL held; on success the capsule owns `native` and frees it in its
            // destructor.
            let capsule = NonNull::new(unsafe {
                A::PyCapsule_New(
                    native.cast(),
                    HOLDER_NAME.as_ptr(),
                    Some(release_capsule::<A, F>),
                )
            });
            if capsule.is_none() {
                // SAFETY: no capsule took `native`.
                drop(unsafe { Box::from_raw(native) });
            }
            capsule.map(|capsule| (capsule, native))
        }
    }
}

/// The address of the pointer field at `offset` in `obj`.
///
/// # Safety
/// `obj` is live and has a pointer field at `offset`.
#[inline(always)]
unsafe fn field_ptr<T>(obj: *mut PyObject, offset: usize) -> *mut *mut T {
    // SAFETY: guaranteed by the caller.
    unsafe { obj.cast::<u8>().add(offset).cast() }
}

/// The `NativeFunction` a holder made by `new_holder` owns.
///
/// # Safety
/// `holder` is such a holder, alive.
#[inline(always)]
unsafe fn native_of<'a, A: CApi, F>(holder: *mut PyObject) -> &'a NativeFunction<F> {
    // SAFETY: the holder holds the `NativeFunction`, alive while the holder is: in a module's
    // state block, or behind a capsule's pointer (read directly: only our trampoline is
    // installed with it, so the name check `PyCapsule_GetPointer` would do, a `strcmp` per
    // call, is skipped).
    unsafe {
        match holder_kind::<A, F>() {
            FunctionHolder::Module { state_offset } => &**field_ptr(holder, state_offset),
            FunctionHolder::Capsule => &*A::capsule_pointer(holder, HOLDER_NAME).cast(),
        }
    }
}

/// The `METH_FASTCALL | METH_KEYWORDS` entry of anypy native functions of type `F`.
unsafe extern "C" fn trampoline<A: CApi, F: RawFunction>(
    slf: *mut PyObject,
    args: *const *mut PyObject,
    nargsf: isize,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: `slf` is the holder `function_new` made for this function type.
    let native = unsafe { native_of::<A, F>(slf) };
    // PY_VECTORCALL_ARGUMENTS_OFFSET (the top bit) may be set in `nargsf`.
    let nargs = (nargsf as usize) & (isize::MAX as usize);
    let guard = AbortOnUnwind;
    // Each branch inlines its own copy of `call`: the keyword count is read only when there
    // are keywords, and the call without keywords picks its path from `nargs` alone (callgrind:
    // 9 instructions less per keyword call than one `call` after computing the total).
    let result = match NonNull::new(kwnames) {
        // SAFETY: called by the interpreter with the GIL held and `nargs` live argument
        // pointers; `call` returns a new reference or `None` with the error set.
        None => unsafe { native.function.call(raw_args(args, nargs), nargs, None) },
        // SAFETY: as above, the arguments followed by one value per name in `names` (a live
        // tuple of str).
        Some(names) => unsafe {
            let total = nargs + <CBackend<A> as Backend>::tuple_len(names.cast());
            native
                .function
                .call(raw_args(args, total), nargs, Some(names.cast()))
        },
    };
    std::mem::forget(guard);
    result.map_or(ptr::null_mut(), |result| result.as_ptr().cast())
}

/// The `len` arguments at `args` as a slice (`args` may be null when there are none).
///
/// # Safety
/// `args` points to `len` live, non-null object pointers, alive for `'a`.
#[inline(always)]
unsafe fn raw_args<'a>(args: *const *mut PyObject, len: usize) -> &'a [RawPtr] {
    if len > 0 {
        // SAFETY: as the caller promises (`RawPtr` is a non-null pointer with the same layout).
        unsafe { std::slice::from_raw_parts(args.cast::<RawPtr>(), len) }
    } else {
        &[]
    }
}

/// The `METH_NOARGS` entry of anypy native functions of type `F` (the interpreter has checked
/// that there are no arguments): [`RawFunction::call_noargs`], a copy of the call in which
/// every check on the arguments folds away (a jump to the `METH_FASTCALL` entry ran them all).
unsafe extern "C" fn trampoline_noargs<A: CApi, F: RawFunction>(
    slf: *mut PyObject,
    _unused: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: `slf` is the holder `function_new` made for this function type.
    let native = unsafe { native_of::<A, F>(slf) };
    let guard = AbortOnUnwind;
    // SAFETY: called by the interpreter with the GIL held; `call_noargs` returns a new
    // reference or `None` with the error set.
    let result = unsafe { native.function.call_noargs() };
    std::mem::forget(guard);
    result.map_or(ptr::null_mut(), |result| result.as_ptr().cast())
}

/// Runs `drop` on what a holder owns, never unwinding into the interpreter.
fn release(drop: impl FnOnce()) {
    if std::panic::catch_unwind(std::panic::AssertUnwindSafe(drop)).is_err() {
        eprintln!("anypy: a native function's captured state panicked while being dropped");
    }
}

/// The capsule destructor.
unsafe extern "C" fn release_capsule<A: CApi, F>(capsule: *mut PyObject) {
    // SAFETY: called once by the interpreter as the capsule dies; its pointer came from
    // `Box::into_raw` in `new_holder`.
    let native = unsafe { A::PyCapsule_GetPointer(capsule, HOLDER_NAME.as_ptr()) };
    if let Some(native) = NonNull::new(native.cast::<NativeFunction<F>>()) {
        // SAFETY: see above; nothing else frees it.
        release(|| drop(unsafe { Box::from_raw(native.as_ptr()) }));
    }
}

/// The holder module's `m_free`: called once as it dies, before its state block is freed.
unsafe extern "C" fn release_module<A: CApi, F>(module: *mut c_void) {
    let FunctionHolder::Module { state_offset } = holder_kind::<A, F>() else {
        return;
    };
    // SAFETY: `module` is a holder module whose state block holds the `NativeFunction`
    // `new_holder` wrote, dropped here once (CPython frees the block afterwards).
    let state: *mut NativeFunction<F> = unsafe { *field_ptr(module.cast(), state_offset) };
    if !state.is_null() {
        // SAFETY: see above.
        release(|| unsafe { ptr::drop_in_place(state) });
    }
}
