//! Instances of Rust classes: the payload (the Rust value and its bookkeeping, laid out by
//! anypy) lives in its own allocation owned by the object, so every access goes through the
//! heap and a stale pointer is `use after free`; it is dropped once, outside the heap lock,
//! when the object is freed. Methods are found on the class and bound to the instance.

use std::alloc::{self, Layout};
use std::ptr::NonNull;
use std::sync::PoisonError;

use anypy::{NewRef, RawPtr, SlotKind};

use crate::class::{Class, HeapClass};
use crate::detect;
use crate::errors::{type_error, Exc};
use crate::handle::Handle;
use crate::heap::Heap;
use crate::object::Kind;

/// An entry point on the mock: the method's own `RawMethod::call_keywords` (the receiver, the
/// arguments, how many are positional, the keyword names).
pub(crate) type MethodFn = unsafe fn(RawPtr, &[RawPtr], usize, Option<RawPtr>) -> NewRef;

/// A method of a Rust class.
#[derive(Clone, Debug)]
pub(crate) struct ClassMethod {
    pub(crate) name: String,
    /// `__doc__` and `__text_signature__`, split as CPython splits `ml_doc`.
    pub(crate) doc: Option<String>,
    pub(crate) text_signature: Option<String>,
    pub(crate) call: MethodFn,
    /// Whether it receives the class, not an instance (`METH_CLASS`).
    pub(crate) class_method: bool,
}

/// What a Rust class is made of, besides its names.
#[derive(Debug)]
pub(crate) struct RustClass {
    pub(crate) methods: Vec<ClassMethod>,
    /// The protocol slots it fills.
    pub(crate) slots: Vec<(SlotKind, MethodFn)>,
    /// Its properties.
    pub(crate) properties: Vec<Property>,
    /// Its class attributes (immortal objects, as the class is). Only touched under the heap
    /// lock; the mutex makes the shared class data `Sync`.
    pub(crate) attributes: std::sync::Mutex<Vec<(String, Handle)>>,
    /// `__new__`, called with the class as its receiver.
    pub(crate) constructor: Option<MethodFn>,
    pub(crate) payload: PayloadKind,
}

/// A property of a Rust class.
#[derive(Clone, Debug)]
pub(crate) struct Property {
    pub(crate) name: String,
    pub(crate) getter: MethodFn,
    pub(crate) setter: Option<MethodFn>,
}

/// How a class's payload is laid out, dropped, traversed and cleared.
#[derive(Clone, Copy, Debug)]
pub(crate) struct PayloadKind {
    pub(crate) layout: Layout,
    pub(crate) drop: unsafe fn(*mut u8),
    /// `Some` for a class the collector tracks: its traverse and clear.
    pub(crate) gc: Option<PayloadGc>,
}

/// `tp_traverse` and `tp_clear` of a payload.
#[derive(Clone, Copy, Debug)]
pub(crate) struct PayloadGc {
    pub(crate) traverse: unsafe fn(*mut u8, &mut dyn FnMut(RawPtr) -> i32) -> i32,
    pub(crate) clear: unsafe fn(*mut u8),
}

/// A payload: zero-filled memory of the class's layout, dropped with the class's destructor.
pub(crate) struct Payload {
    ptr: NonNull<u8>,
    kind: PayloadKind,
}

// SAFETY: the payload is only touched with the GIL held (through `instance_payload`) or, once,
// by its destructor; anypy keeps non-`Send` values from being used on other threads.
unsafe impl Send for Payload {}

impl Payload {
    fn new(kind: PayloadKind) -> Payload {
        let layout = kind.layout;
        let ptr = if layout.size() == 0 {
            // A dangling, aligned pointer stands for a zero-sized allocation.
            NonNull::new(layout.align() as *mut u8).expect("alignments are not zero")
        } else {
            // SAFETY: the layout has a non-zero size.
            let ptr = unsafe { alloc::alloc_zeroed(layout) };
            NonNull::new(ptr).unwrap_or_else(|| alloc::handle_alloc_error(layout))
        };
        Payload { ptr, kind }
    }
}

impl Drop for Payload {
    fn drop(&mut self) {
        // SAFETY: the payload was made by `Payload::new` for this kind and is dropped once.
        unsafe {
            (self.kind.drop)(self.ptr.as_ptr());
            if self.kind.layout.size() != 0 {
                alloc::dealloc(self.ptr.as_ptr(), self.kind.layout);
            }
        }
    }
}

/// An instance: its class and its payload.
pub(crate) struct Instance {
    pub(crate) class: HeapClass,
    pub(crate) payload: Payload,
}

impl Instance {
    /// The payload's address and its traverse and clear, for a class the collector tracks.
    pub(crate) fn gc(&self) -> Option<(*mut u8, PayloadGc)> {
        Some((self.payload.ptr.as_ptr(), self.payload.kind.gc?))
    }
}

impl Heap {
    /// `tp_alloc`: a new instance of `class` with a zero-filled payload.
    pub(crate) fn instance_new(&mut self, class: Handle) -> Result<Handle, Exc> {
        let (heap_class, kind) = match self.kind(class) {
            Kind::Type(Class::Heap(heap_class)) if heap_class.0.rust.is_some() => {
                let rust = heap_class.0.rust.as_ref().expect("checked above");
                (*heap_class, rust.payload)
            }
            _ => detect::misuse(
                self,
                format_args!("instance_new: {} is not a Rust class", self.describe(class)),
            ),
        };
        self.alloc(Kind::Instance(Box::new(Instance {
            class: heap_class,
            payload: Payload::new(kind),
        })))
    }

    /// The payload of an instance.
    pub(crate) fn instance_payload(&self, obj: Handle) -> *mut u8 {
        match self.kind(obj) {
            Kind::Instance(instance) => instance.payload.ptr.as_ptr(),
            _ => detect::misuse(
                self,
                format_args!(
                    "instance_payload: {} is not an instance of a Rust class",
                    self.describe(obj)
                ),
            ),
        }
    }

    /// The method `name` of `class` or its bases.
    pub(crate) fn find_method(&self, class: Class, name: &str) -> Option<ClassMethod> {
        rust_classes(class)
            .flat_map(|rust| &rust.methods)
            .find(|method| method.name == name)
            .cloned()
    }

    /// The function filling slot `kind` for `object`, if it is an instance of a Rust class
    /// (or subclass) that fills it.
    pub(crate) fn slot_of(&self, object: Handle, kind: SlotKind) -> Option<MethodFn> {
        let Kind::Instance(instance) = self.kind(object) else {
            return None;
        };
        rust_classes(Class::Heap(instance.class))
            .flat_map(|rust| &rust.slots)
            .find(|(filled, _)| *filled == kind)
            .map(|(_, slot)| *slot)
    }

    /// The property `name` of `object`'s class, if `object` is an instance of a Rust class (or
    /// subclass) that has one.
    pub(crate) fn property_of(&self, object: Handle, name: Handle) -> Option<Property> {
        let Kind::Instance(instance) = self.kind(object) else {
            return None;
        };
        let name = self.kind(name).as_str()?;
        rust_classes(Class::Heap(instance.class))
            .flat_map(|rust| &rust.properties)
            .find(|property| property.name == name)
            .cloned()
    }

    /// The class attribute `name` of `class` or its bases.
    pub(crate) fn class_attribute(&self, class: Class, name: &str) -> Option<Handle> {
        rust_classes(class).find_map(|rust| {
            let attributes = rust
                .attributes
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            attributes
                .iter()
                .find(|(attribute, _)| attribute == name)
                .map(|(_, value)| *value)
        })
    }

    /// Sets a class attribute of a Rust class: the value lives as long as the class, so it
    /// (and what it holds) becomes immortal.
    pub(crate) fn set_class_attribute(&mut self, class: Class, name: &str, value: Handle) -> bool {
        let Class::Heap(HeapClass(data)) = class else {
            return false;
        };
        let Some(rust) = data.rust.as_ref() else {
            return false;
        };
        self.incref(value);
        self.immortalize(value);
        let mut attributes = rust
            .attributes
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        attributes.retain(|(attribute, _)| attribute != name);
        attributes.push((name.to_owned(), value));
        true
    }

    /// The constructor of a Rust class object, if it has one.
    pub(crate) fn constructor_of(&self, object: Handle) -> Option<MethodFn> {
        match self.kind(object) {
            Kind::Type(Class::Heap(HeapClass(data))) => data.rust.as_ref()?.constructor,
            _ => None,
        }
    }

    /// Calling a Rust class without a constructor: instances are made from Rust only.
    pub(crate) fn refuse_new(&self, class: Class) -> Exc {
        type_error(format!(
            "cannot create '{}' instances",
            class.qualified_name()
        ))
    }
}

/// What `class` and its bases add as Rust classes, nearest first.
fn rust_classes(class: Class) -> impl Iterator<Item = &'static RustClass> {
    std::iter::successors(Some(class), |class| class.base()).filter_map(|class| match class {
        Class::Heap(HeapClass(data)) => data.rust.as_ref(),
        _ => None,
    })
}
