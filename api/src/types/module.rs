//! `module`: created empty, imported by name, and given attributes.

use crate::backend::Backend;
use crate::conversion::IntoPyObject;
use crate::err::PyResult;
use crate::instance::Bound;
use crate::python::Python;
use crate::types::PyModule;

impl PyModule {
    /// A new empty module named `name` (not registered in `sys.modules`).
    #[track_caller]
    pub fn new<'py, B: Backend>(
        py: Python<'py, B>,
        name: &str,
    ) -> PyResult<Bound<'py, PyModule, B>, B> {
        // SAFETY: the token proves the GIL; the result is a new reference or an error.
        unsafe { Bound::from_owned_ptr_or_err(py, B::module_new(name)) }
    }

    /// `import name`.
    pub fn import<'py, B: Backend>(
        py: Python<'py, B>,
        name: &str,
    ) -> PyResult<Bound<'py, PyModule, B>, B> {
        // SAFETY: the token proves the GIL; the result is a new reference or an error.
        let module: Bound<'py, crate::types::PyAny, B> =
            unsafe { Bound::from_owned_ptr_or_err(py, B::import(name))? };
        module.downcast_into::<PyModule>()
    }
}

impl<B: Backend> Bound<'_, PyModule, B> {
    /// The module's `__name__`.
    pub fn name(&self) -> PyResult<String, B> {
        self.getattr(crate::intern!(self.py(), "__name__"))?
            .extract()
    }

    /// Sets the attribute `name` (a constant, a function, a submodule...).
    #[track_caller]
    pub fn add(&self, name: &str, value: impl IntoPyObject<B>) -> PyResult<(), B> {
        self.setattr(name, value)
    }
}
