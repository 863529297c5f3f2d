//! The mock's `Backend` functions for Rust classes, to which `backend.rs` delegates: making a
//! class from its definition, the method entries, and the cycle collector.

use anypy::{EntryKind, MethodEntry, NewRef, RawClass, RawClassDef, RawMethod};

use crate::instance::{ClassMethod, MethodFn, PayloadGc, PayloadKind, Property, RustClass};
use crate::operation::{run, run_new};

/// The entry of `M`, of any kind: its `call_keywords`, as the mock runs it (an entry of a kind
/// that passes no keywords is called with none).
pub(crate) fn entry<M: RawMethod>() -> MethodEntry {
    MethodEntry(M::call_keywords as MethodFn as *const ())
}

/// Decodes an entry made by [`entry`].
///
/// # Safety
/// `entry` was made by [`entry`] (the Backend contract: entries come from this backend).
unsafe fn entry_fn(entry: MethodEntry) -> MethodFn {
    // SAFETY: `entry` holds a `MethodFn` cast to a pointer by `entry` (caller).
    unsafe { std::mem::transmute::<*const (), MethodFn>(entry.0) }
}

/// `Backend::class_new`: a type object of the heap holding class `C`'s methods, slots,
/// constructor and payload layout.
///
/// # Safety
/// As `Backend::class_new`: every entry of `def` was made by this backend.
#[track_caller]
pub(crate) unsafe fn class_new<C: RawClass>(def: RawClassDef) -> NewRef {
    let methods = def
        .methods
        .into_iter()
        .map(|method| {
            let (text_signature, doc) = split_doc(&method.name, &method.doc);
            ClassMethod {
                text_signature,
                doc,
                // SAFETY: entries of `def` come from this backend (caller).
                call: unsafe { entry_fn(method.entry) },
                class_method: method.kind == EntryKind::ClassMethod,
                name: method.name,
            }
        })
        .collect();
    // SAFETY: as for the methods above.
    let constructor = def.constructor.map(|entry| unsafe { entry_fn(entry) });
    let payload = PayloadKind {
        layout: std::alloc::Layout::from_size_align(C::PAYLOAD_SIZE, C::PAYLOAD_ALIGN)
            .expect("a class payload has a valid layout"),
        drop: C::drop_payload,
        gc: def.garbage_collected.then_some(PayloadGc {
            traverse: C::traverse_payload,
            clear: C::clear_payload,
        }),
    };
    let slots = def
        .slots
        .iter()
        // SAFETY: as for the methods above.
        .map(|slot| (slot.kind, unsafe { entry_fn(slot.entry) }))
        .collect();
    let properties = def
        .properties
        .iter()
        .map(|property| Property {
            name: property.name.clone(),
            // SAFETY: as for the methods above.
            getter: unsafe { entry_fn(property.getter) },
            // SAFETY: as for the methods above.
            setter: property.setter.map(|setter| unsafe { entry_fn(setter) }),
        })
        .collect();
    let rust = RustClass {
        methods,
        slots,
        properties,
        attributes: std::sync::Mutex::default(),
        constructor,
        payload,
    };
    run_new("class_new", &[], |heap| {
        heap.rust_class_new(&def.qualified_name, &def.doc, rust)
    })
}

/// A docstring split as CPython splits `ml_doc` (and a type's `tp_doc`): a first part
/// `name(...)\n--\n\n` is the `__text_signature__` (without the name), the rest `__doc__`;
/// an empty text is `None`.
pub(crate) fn split_doc(name: &str, doc: &str) -> (Option<String>, Option<String>) {
    let split = doc
        .strip_prefix(name)
        .filter(|rest| rest.starts_with('('))
        .and_then(|rest| rest.split_once(")\n--\n\n"));
    let (text_signature, doc) = match split {
        Some((signature, doc)) => (Some(format!("{signature})")), doc),
        None => (None, doc),
    };
    (text_signature, (!doc.is_empty()).then(|| doc.to_owned()))
}

/// `Backend::collect_garbage`. Instances' traverse runs under the heap lock (it only reports
/// pointers); their clear runs after it is released (it releases references).
#[track_caller]
pub(crate) fn collect_garbage() -> i32 {
    run("collect_garbage", &[], |heap| {
        heap.collect_garbage();
        0
    })
}
