//! `ModuleBuilder`: what an extension's init function fills — functions, exception classes and
//! constants.

use crate::backend::Backend;
use crate::class::PyClass;
use crate::conversion::IntoPyObject;
use crate::err::PyResult;
use crate::exceptions::PyExceptionType;
use crate::function::{Function, Handler};
use crate::instance::Bound;
use crate::python::Python;
use crate::types::{PyModule, PyStr};

/// Builds a module: add functions and constants, then take the module.
///
/// ```
/// use anypy::{ModuleBuilder, Python, PyResult};
/// use anypy_mock::Mock;
///
/// fn add(a: i64, b: i64) -> i64 {
///     a + b
/// }
///
/// Mock::leak_check(|| Python::<Mock>::with_gil(|py| -> PyResult<(), Mock> {
///     let builder = ModuleBuilder::new(py, "demo")?;
///     builder.function("add", add)?.constant("VERSION", "1.0")?;
///     let module = builder.finish();
///     assert_eq!(module.getattr("add")?.call1((2, 3))?.extract::<i64>()?, 5);
///     Ok(())
/// }).unwrap());
/// ```
pub struct ModuleBuilder<'py, B: Backend> {
    module: Bound<'py, PyModule, B>,
}

impl<'py, B: Backend> ModuleBuilder<'py, B> {
    /// Starts a new empty module called `name`.
    #[track_caller]
    pub fn new(py: Python<'py, B>, name: &str) -> PyResult<Self, B> {
        PyModule::new(py, name).map(Self::from_module)
    }

    /// Fills an existing module.
    pub fn from_module(module: Bound<'py, PyModule, B>) -> Self {
        ModuleBuilder { module }
    }

    /// Adds the function `handler` under `name`.
    #[track_caller]
    pub fn function<H: Handler<B, M>, M: 'static>(
        &self,
        name: &str,
        handler: H,
    ) -> PyResult<&Self, B> {
        self.add_function(Function::new(name.to_owned(), handler))
    }

    /// Adds a configured [`Function`] under its name.
    #[track_caller]
    pub fn add_function<H: Handler<B, M>, M: 'static>(
        &self,
        function: Function<B, H, M>,
    ) -> PyResult<&Self, B> {
        let name = function.name().to_owned();
        let module_name = self.module.getattr("__name__")?.downcast_into::<PyStr>()?;
        let callable = function.build_in(self.module.py(), Some(&module_name))?;
        self.module.add(&name, callable)?;
        Ok(self)
    }

    /// Adds the exception class `E` under its name (see
    /// [`create_exception!`](crate::create_exception)).
    #[track_caller]
    pub fn exception<E: PyExceptionType>(&self) -> PyResult<&Self, B> {
        self.module
            .add(E::NAME, E::type_object(self.module.py())?)?;
        Ok(self)
    }

    /// Adds the class `T` under its name.
    #[track_caller]
    pub fn class<T: PyClass<B>>(&self) -> PyResult<&Self, B> {
        self.module
            .add(T::NAME, T::type_object(self.module.py())?)?;
        Ok(self)
    }

    /// Adds a constant (any convertible value).
    #[track_caller]
    pub fn constant(&self, name: &str, value: impl IntoPyObject<B>) -> PyResult<&Self, B> {
        self.module.add(name, value)?;
        Ok(self)
    }

    /// The module being built.
    pub fn module(&self) -> &Bound<'py, PyModule, B> {
        &self.module
    }

    /// Ends building and returns the module.
    pub fn finish(self) -> Bound<'py, PyModule, B> {
        self.module
    }
}
