//! The data half of the table: the address of each C data symbol in `anypy-capi`'s list.
//! An `object` symbol's address is the object (`_PyPy_NoneStruct`); a `pointer` symbol is a
//! `PyObject *` variable (`PyPyExc_TypeError`), read when asked for.

use anypy_capi::{for_each_c_static, CApiStatics, PyObject};

use crate::startup::Runtime;
use crate::symbols::SymbolError;
use crate::PyPyApi;

use super::table;

macro_rules! statics_table {
    ($( $kind:ident $name:ident; )*) => {
        /// The address of each data symbol, named as in CPython, in libpypy.
        #[allow(non_snake_case)]
        pub(crate) struct Statics {
            $( $name: statics_table!(@address $kind), )*
        }

        // SAFETY: the addresses are of data that lives as long as the process (libpypy is
        // never closed); reading it requires the GIL, which the readers hold.
        unsafe impl Send for Statics {}
        // SAFETY: as above.
        unsafe impl Sync for Statics {}

        impl Statics {
            /// Looks every symbol up under its PyPy spellings; the first missing one is the
            /// error.
            pub(super) fn load(runtime: &Runtime) -> Result<Statics, SymbolError> {
                Ok(Statics {
                    $( $name: runtime.lookup(stringify!($name))?.cast(), )*
                })
            }
        }

        // SAFETY: each function returns the address (object symbols) or the current value
        // (pointer symbols) of libpypy's symbol of the same name.
        unsafe impl CApiStatics for PyPyApi {
            $(
                #[inline(always)]
                unsafe fn $name() -> *mut PyObject {
                    // SAFETY: GIL held (the contract of every C-API function), so the table is
                    // loaded.
                    let statics = unsafe { &table().statics };
                    statics_table!(@read $kind statics.$name)
                }
            )*
        }
    };
    (@address object) => { *mut PyObject };
    (@address pointer) => { *const *mut PyObject };
    (@read object $address:expr) => { $address };
    (@read pointer $address:expr) => {
        // SAFETY: the symbol is a `PyObject *` variable that `import cpyext` set at start-up.
        unsafe { $address.read() }
    };
}
for_each_c_static!(statics_table);
