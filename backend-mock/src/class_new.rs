//! Classes made at run time (`PyErr_NewExceptionWithDoc`): each gets an immortal type object,
//! as a class made once per process lives as long as the process, and is never reported as a
//! leak by the scope that happened to make it first.

use crate::class::{Class, HeapClass, HeapClassData};
use crate::errors::{type_error, Exc};
use crate::handle::Handle;
use crate::heap::Heap;
use crate::object::Kind;

impl Heap {
    /// `PyErr_NewExceptionWithDoc`: a new exception class called `name` (`module.Class`).
    pub(crate) fn exception_new(
        &mut self,
        name: &str,
        doc: Option<&str>,
        base: Handle,
    ) -> Result<Handle, Exc> {
        let base = self.exception_class(base).ok_or_else(|| {
            type_error(format!(
                "bases must be types deriving from BaseException, not {}",
                self.type_name(base)
            ))
        })?;
        let Some((module, short)) = name.rsplit_once('.') else {
            return Err(Exc::new(
                anypy::ExceptionKind::SystemError,
                "PyErr_NewException: name must be module.class",
            ));
        };
        self.charge()?;
        let handle = self.alloc_immortal(Kind::None);
        let data = HeapClassData {
            name: leak(short),
            module: leak(module),
            qualified: leak(name),
            doc: doc.map(leak),
            base,
            handle,
        };
        let class = Class::Heap(HeapClass(Box::leak(Box::new(data))));
        *self.kind_mut(handle) = Kind::Type(class);
        self.incref(handle);
        Ok(handle)
    }
}

/// Text that lives as long as the class naming it: the process.
fn leak(text: &str) -> &'static str {
    Box::leak(text.to_owned().into_boxed_str())
}
