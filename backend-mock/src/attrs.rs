//! Attributes: module and namespace attribute tables, `args` of exceptions, `__name__` of
//! types and functions, `__class__` of everything, and bound methods of builtin objects.

use crate::class::Class;
use crate::errors::{attribute_error, type_error, Exc};
use crate::handle::Handle;
use crate::heap::{class_handle, Heap, NONE};
use crate::instance::ClassMethod;
use crate::methods::Method;
use crate::object::Kind;

/// What `getattr` found, decided with the heap borrowed immutably.
enum Found {
    /// An existing object (returned with a new reference).
    Existing(Handle),
    /// A new str to make.
    Text(String),
    /// A method to bind to the object.
    Method(Method),
    /// A Rust class's method to bind to a receiver (the instance, or for a class method the
    /// class).
    ClassMethod(Handle, ClassMethod),
}

impl Heap {
    /// The text of an attribute name; `TypeError` if it is not a str.
    fn attr_name(&self, name: Handle) -> Result<&str, Exc> {
        self.kind(name).as_str().ok_or_else(|| {
            type_error(format!(
                "attribute name must be string, not '{}'",
                self.type_name(name)
            ))
        })
    }

    /// `PyObject_GetAttr`.
    pub(crate) fn getattr(&mut self, handle: Handle, name: Handle) -> Result<Handle, Exc> {
        match self.find_attr(handle, name)? {
            Found::Existing(value) => {
                self.incref(value);
                Ok(value)
            }
            Found::Text(text) => self.new_str(text),
            Found::Method(method) => {
                self.incref(handle);
                self.alloc(Kind::Method(handle, method))
            }
            Found::ClassMethod(receiver, method) => {
                self.incref(receiver);
                self.alloc(Kind::BoundMethod(receiver, Box::new(method)))
            }
        }
    }

    fn find_attr(&self, handle: Handle, name: Handle) -> Result<Found, Exc> {
        let attr = self.attr_name(name)?;
        let kind = self.kind(handle);
        if attr == "__class__" {
            return Ok(Found::Existing(class_handle(kind.class())));
        }
        if let Kind::Type(class) = kind {
            if let Some(value) = self.class_attribute(*class, attr) {
                return Ok(Found::Existing(value));
            }
        }
        let text = |value: &Option<String>| match value {
            Some(text) => Found::Text(text.clone()),
            None => Found::Existing(NONE),
        };
        if let Kind::Type(class) = kind {
            if let Some(method) = self.find_method(*class, attr).filter(|m| m.class_method) {
                return Ok(Found::ClassMethod(handle, method));
            }
        }
        let found = match kind {
            Kind::Module(module) => match self.table_find_str(handle, attr) {
                Some(position) => Some(Found::Existing(self.table_value(handle, position))),
                None if attr == "__name__" => Some(Found::Text(module.name.clone())),
                None => {
                    return Err(attribute_error(format!(
                        "module '{}' has no attribute '{attr}'",
                        module.name
                    )))
                }
            },
            Kind::Namespace(_) => self
                .table_find_str(handle, attr)
                .map(|at| Found::Existing(self.table_value(handle, at))),
            Kind::Exception(_, args) if attr == "args" => Some(Found::Existing(*args)),
            Kind::Type(class) if matches!(attr, "__name__" | "__qualname__") => {
                Some(Found::Text(class.name().to_owned()))
            }
            Kind::Type(Class::Heap(class)) if attr == "__module__" => {
                Some(Found::Text(class.0.module.to_owned()))
            }
            Kind::Type(Class::Heap(class)) if attr == "__doc__" => Some(match class.0.doc {
                Some(doc) => Found::Text(doc.to_owned()),
                None => Found::Existing(NONE),
            }),
            Kind::Type(Class::Heap(class)) if attr == "__text_signature__" => {
                Some(match class.0.text_signature {
                    Some(signature) => Found::Text(signature.to_owned()),
                    None => Found::Existing(NONE),
                })
            }
            Kind::Type(class) => {
                return Err(attribute_error(format!(
                    "type object '{}' has no attribute '{attr}'",
                    class.name()
                )))
            }
            Kind::Function(function) => match attr {
                "__name__" | "__qualname__" => Some(Found::Text(function.name.clone())),
                "__doc__" => Some(text(&function.doc)),
                "__text_signature__" => Some(text(&function.text_signature)),
                "__module__" => Some(text(&function.module)),
                "__self__" => Some(Found::Existing(NONE)),
                _ => None,
            },
            Kind::Builtin(function) if matches!(attr, "__name__" | "__qualname__") => {
                Some(Found::Text(function.name().to_owned()))
            }
            Kind::Method(_, method) if matches!(attr, "__name__" | "__qualname__") => {
                Some(Found::Text(method.name().to_owned()))
            }
            Kind::Method(receiver, _) if attr == "__self__" => Some(Found::Existing(*receiver)),
            Kind::BoundMethod(receiver, method) => match attr {
                "__name__" | "__qualname__" => Some(Found::Text(method.name.clone())),
                "__doc__" => Some(text(&method.doc)),
                "__text_signature__" => Some(text(&method.text_signature)),
                "__self__" => Some(Found::Existing(*receiver)),
                _ => None,
            },
            Kind::Instance(instance) => {
                let class = Class::Heap(instance.class);
                match self.find_method(class, attr) {
                    Some(method) if method.class_method => {
                        Some(Found::ClassMethod(class_handle(class), method))
                    }
                    Some(method) => Some(Found::ClassMethod(handle, method)),
                    None => self.class_attribute(class, attr).map(Found::Existing),
                }
            }
            kind => Method::lookup(kind.class(), attr).map(Found::Method),
        };
        found.ok_or_else(|| {
            attribute_error(format!(
                "'{}' object has no attribute '{attr}'",
                kind.class().name()
            ))
        })
    }

    /// `PyObject_SetAttr` (increfs `value`).
    pub(crate) fn setattr(
        &mut self,
        handle: Handle,
        name: Handle,
        value: Handle,
    ) -> Result<(), Exc> {
        self.get(value);
        if let Kind::Type(class) = *self.kind(handle) {
            let attr = self.attr_name(name)?.to_owned();
            if self.set_class_attribute(class, &attr, value) {
                return Ok(());
            }
        }
        let attr = self.attr_name(name)?;
        let class = self.class(handle);
        match self.kind(handle) {
            Kind::Module(_) | Kind::Namespace(_) => self.table_set(handle, name, value),
            Kind::Exception(..) if attr == "args" => {
                let args = self.collect(value)?;
                let args = self.new_tuple(args)?;
                let Kind::Exception(_, slot) = self.kind_mut(handle) else {
                    unreachable!("checked above")
                };
                let old = std::mem::replace(slot, args);
                self.release(old);
                Ok(())
            }
            Kind::Type(class) => Err(type_error(format!(
                "cannot set '{attr}' attribute of immutable type '{}'",
                class.name()
            ))),
            _ if Method::lookup(class, attr).is_some() => Err(attribute_error(format!(
                "'{}' object attribute '{attr}' is read-only",
                class.name()
            ))),
            _ => Err(attribute_error(format!(
                "'{}' object has no attribute '{attr}'",
                class.name()
            ))),
        }
    }
}
