//! Classes made at run time (`PyErr_NewExceptionWithDoc`, `PyType_FromSpec` for Rust classes):
//! each gets an immortal type object,
//! as a class made once per process lives as long as the process, and is never reported as a
//! leak by the scope that happened to make it first.

use crate::class::{Class, HeapClass, HeapClassData};
use crate::errors::{type_error, Exc};
use crate::handle::Handle;
use crate::heap::Heap;
use crate::instance::RustClass;
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
        if !name.contains('.') {
            return Err(Exc::new(
                anypy::ExceptionKind::SystemError,
                "PyErr_NewException: name must be module.class",
            ));
        }
        self.new_class(name, doc, None, Some(base), None)
    }

    /// `PyType_FromSpec` for a Rust class: a class deriving from `object` with the methods,
    /// slots and payload of `rust`.
    pub(crate) fn rust_class_new(
        &mut self,
        name: &str,
        doc: &str,
        rust: RustClass,
    ) -> Result<Handle, Exc> {
        let short = name.rsplit('.').next().unwrap_or(name);
        let (text_signature, doc) = crate::class_backend::split_doc(short, doc);
        let text_signature = text_signature.as_deref().map(leak);
        self.new_class(name, doc.as_deref(), text_signature, None, Some(rust))
    }

    /// A class called `name` (`module.Name`; `builtins` without a module) with an immortal
    /// type object; a new reference to it.
    fn new_class(
        &mut self,
        name: &str,
        doc: Option<&str>,
        text_signature: Option<&'static str>,
        base: Option<Class>,
        rust: Option<RustClass>,
    ) -> Result<Handle, Exc> {
        let (module, short) = name.rsplit_once('.').unwrap_or(("builtins", name));
        self.charge()?;
        let handle = self.alloc_immortal(Kind::None);
        let data = HeapClassData {
            name: leak(short),
            module: leak(module),
            qualified: leak(name),
            doc: doc.map(leak),
            text_signature,
            base,
            handle,
            rust,
        };
        Ok(self.publish_class(handle, data))
    }

    /// Makes the placeholder at `handle` the type object of `data`; a new reference to it.
    fn publish_class(&mut self, handle: Handle, data: HeapClassData) -> Handle {
        let class = Class::Heap(HeapClass(Box::leak(Box::new(data))));
        *self.kind_mut(handle) = Kind::Type(class);
        self.incref(handle);
        handle
    }
}

/// Text that lives as long as the class naming it: the process.
fn leak(text: &str) -> &'static str {
    Box::leak(text.to_owned().into_boxed_str())
}
