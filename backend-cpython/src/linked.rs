//! The C-API functions and statics as linked symbols: one `extern "C"` block generated from
//! `anypy-capi`'s lists, and the `CApiFunctions`/`CApiStatics` implementations forwarding to it.

use anypy_capi::{for_each_c_function, for_each_c_static, CApiFunctions, CApiStatics, PyObject};

use crate::CPythonApi;

macro_rules! link_functions {
    ($( fn $name:ident($($arg:ident: $ty:ty),* $(,)?) $(-> $ret:ty)?; )*) => {
        mod functions {
            extern "C" {
                $( pub fn $name($($arg: $ty),*) $(-> $ret)?; )*
            }
        }

        // SAFETY: each function forwards to the symbol of the same name in libpython.
        unsafe impl CApiFunctions for CPythonApi {
            $(
                #[inline(always)]
                unsafe fn $name($($arg: $ty),*) $(-> $ret)? {
                    // SAFETY: the caller upholds the C function's contract.
                    unsafe { functions::$name($($arg),*) }
                }
            )*
        }
    };
}
for_each_c_function!(link_functions);

macro_rules! link_statics {
    ($( $kind:ident $name:ident; )*) => {
        mod statics {
            extern "C" {
                $( pub static mut $name: anypy_capi::OpaqueStatic; )*
            }
        }

        // SAFETY: each function returns the address (object symbols) or the value (pointer
        // symbols) of the libpython symbol of the same name.
        unsafe impl CApiStatics for CPythonApi {
            $(
                #[inline(always)]
                unsafe fn $name() -> *mut PyObject {
                    link_statics!(@read $kind $name)
                }
            )*
        }
    };
    (@read object $name:ident) => {
        // Taking the address of an extern static reads nothing.
        std::ptr::addr_of_mut!(statics::$name).cast::<PyObject>()
    };
    (@read pointer $name:ident) => {
        // SAFETY: the symbol is a `PyObject *` variable set once at interpreter start-up.
        unsafe { std::ptr::addr_of!(statics::$name).cast::<*mut PyObject>().read() }
    };
}
for_each_c_static!(link_statics);

extern "C" {
    /// `PyObject_GC_UnTrack` (in the limited API; PyPy has none, so it is not in the shared
    /// list).
    #[link_name = "PyObject_GC_UnTrack"]
    fn py_object_gc_untrack(obj: *mut std::ffi::c_void);
}

/// `PyObject_GC_UnTrack`.
///
/// # Safety
/// GIL held; `obj` is a live object of a garbage-collected type.
pub(crate) unsafe fn gc_untrack(obj: *mut PyObject) {
    // SAFETY: forwarded from the caller.
    unsafe { py_object_gc_untrack(obj.cast()) }
}
