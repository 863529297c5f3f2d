//! C-API names to PyPy export names, and looking them up. cpyext exports `Py*` as `PyPy*` and
//! `_Py*` as `_PyPy*` (functions and data alike). 54 exports of PyPy 7.3.11 keep the plain name
//! (12 public ones such as `PyType_GetFlags`, `PyModule_AddType`, `PyThread_tss_*`, and the
//! `_PyArg_*`/`_PyTime_*` helpers), so the plain spelling is tried second.
//!
//! Some C-API names are macros in PyPy's headers and have no export at all: `PyCFunction_NewEx`
//! and `PyCFunction_New` (call `PyCMethod_New(ml, self, module, NULL)`), `PyObject_Length`
//! (call `PyObject_Size`). Python 3.10+ additions such as `PyModule_AddObjectRef` are absent.

mod error;

use std::ffi::c_void;

use crate::library::LoadedLibrary;

pub use error::SymbolError;

/// The exported names under which PyPy may provide the C-API symbol `c_name`, in the order to
/// try them: the `PyPy`-prefixed spelling, then the plain name. Names outside the `Py`/`_Py`
/// namespaces (`rpython_startup_code`) and names already spelled for PyPy are used as given.
pub fn spellings(c_name: &str) -> Vec<String> {
    let already_pypy = c_name.starts_with("PyPy") || c_name.starts_with("_PyPy");
    let prefixed = if already_pypy {
        None
    } else if let Some(rest) = c_name.strip_prefix("_Py") {
        Some(format!("_PyPy{rest}"))
    } else {
        c_name.strip_prefix("Py").map(|rest| format!("PyPy{rest}"))
    };
    prefixed.into_iter().chain([c_name.to_owned()]).collect()
}

/// The address of the C-API symbol `c_name` in `library`, under the first of its
/// [`spellings`] that is exported. Never null. A function's address must be cast to its exact C
/// signature before it is called; a data symbol's address is the object itself (`PyPyLong_Type`,
/// `_PyPy_NoneStruct`) or, for `PyExc_*`, a `PyObject *` variable holding the exception type.
pub fn lookup(library: &LoadedLibrary, c_name: &str) -> Result<*mut c_void, SymbolError> {
    let tried = spellings(c_name);
    for name in &tried {
        // SAFETY: the symbol is taken as an untyped address; nothing is called or read here.
        let symbol = unsafe { library.handle().get::<*mut c_void>(name.as_bytes()) };
        if let Some(address) = symbol
            .ok()
            .map(|symbol| symbol.into_raw())
            .filter(|a| !a.is_null())
        {
            return Ok(address);
        }
    }
    Err(SymbolError {
        c_name: c_name.to_owned(),
        tried,
        library: library.location().to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::spellings;

    #[test]
    fn maps_the_c_api_namespaces() {
        assert_eq!(spellings("PyDict_New"), ["PyPyDict_New", "PyDict_New"]);
        assert_eq!(spellings("_Py_Dealloc"), ["_PyPy_Dealloc", "_Py_Dealloc"]);
        assert_eq!(spellings("Py_IncRef"), ["PyPy_IncRef", "Py_IncRef"]);
        assert_eq!(
            spellings("_Py_NoneStruct"),
            ["_PyPy_NoneStruct", "_Py_NoneStruct"]
        );
        assert_eq!(
            spellings("PyExc_TypeError"),
            ["PyPyExc_TypeError", "PyExc_TypeError"]
        );
        assert_eq!(
            spellings("PyType_GetFlags"),
            ["PyPyType_GetFlags", "PyType_GetFlags"]
        );
    }

    #[test]
    fn leaves_other_names_alone() {
        assert_eq!(spellings("rpython_startup_code"), ["rpython_startup_code"]);
        assert_eq!(spellings("PyPyDict_New"), ["PyPyDict_New"]);
        assert_eq!(spellings("_PyPy_Dealloc"), ["_PyPy_Dealloc"]);
    }
}
