//! `type`: a class object, as a class method receives it (its own class, or a subclass when
//! called through one).

use crate::backend::Backend;
use crate::class::PyClass;
use crate::err::PyResult;
use crate::instance::Bound;
use crate::types::{DerefToPyAny, PyAny};

/// A Python class (`type`): what a class method receives. Call it (`call`, `call1` through
/// `PyAny`) to make an instance of exactly that class.
pub struct PyType {
    _private: (),
}

impl DerefToPyAny for PyType {}

impl<'py, B: Backend> Bound<'py, PyType, B> {
    /// The class's `__name__`.
    pub fn name(&self) -> PyResult<String, B> {
        self.as_any().getattr("__name__")?.extract()
    }

    /// Whether this is class `T` itself (not a subclass of it).
    pub fn is_class<T: PyClass<B>>(&self) -> PyResult<bool, B> {
        let class: Bound<'py, PyAny, B> = T::type_object(self.py())?;
        Ok(class.as_ptr() == self.as_ptr())
    }
}
