//! The function half of the table: one `unsafe extern "C" fn` pointer per C-API function in
//! `anypy-capi`'s list, and `CApiFunctions` forwarding to it.

use std::ffi::c_void;

use anypy_capi::{for_each_c_function, CApiFunctions};

use crate::startup::Runtime;
use crate::symbols::SymbolError;
use crate::PyPyApi;

use super::table;

macro_rules! function_table {
    ($( fn $name:ident($($arg:ident: $ty:ty),* $(,)?) $(-> $ret:ty)?; )*) => {
        /// One pointer per C-API function, named as in CPython, pointing into libpypy.
        #[allow(non_snake_case)]
        pub(crate) struct Functions {
            $( $name: unsafe extern "C" fn($($ty),*) $(-> $ret)?, )*
        }

        impl Functions {
            /// Looks every function up under its PyPy spellings; the first missing one is the
            /// error.
            pub(super) fn load(runtime: &Runtime) -> Result<Functions, SymbolError> {
                Ok(Functions {
                    $(
                        $name: {
                            let address = runtime.lookup(stringify!($name))?;
                            // SAFETY: `address` is cpyext's export of this C-API function, whose
                            // C prototype is the one `anypy-capi` lists (checked against PyPy's
                            // headers); a non-null code address converts to a function pointer.
                            unsafe {
                                std::mem::transmute::<
                                    *mut c_void,
                                    unsafe extern "C" fn($($ty),*) $(-> $ret)?,
                                >(address)
                            }
                        },
                    )*
                })
            }
        }

        // SAFETY: each function calls libpypy's function of the same name through the table.
        unsafe impl CApiFunctions for PyPyApi {
            $(
                #[inline(always)]
                unsafe fn $name($($arg: $ty),*) $(-> $ret)? {
                    // SAFETY: the caller upholds the C function's contract, the GIL held
                    // included (so the table is loaded); the table holds its exact prototype.
                    unsafe { (table().functions.$name)($($arg),*) }
                }
            )*
        }
    };
}
for_each_c_function!(function_table);
