//! The mock's `Backend` functions for Rust classes, to which `backend.rs` delegates: making a
//! class from its definition, the method entries, and the cycle collector.

use anypy::{MethodEntry, NewRef, RawClass, RawClassDef, RawMethod};

use crate::instance::{ClassMethod, MethodFn, PayloadGc, PayloadKind, RustClass};
use crate::operation::{run, run_new};

/// The entry of method, constructor or slot `M`: its `call`, as the mock runs it.
pub(crate) fn entry<M: RawMethod>() -> MethodEntry {
    MethodEntry(M::call as MethodFn as *const ())
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
        .map(|method| ClassMethod {
            name: method.name,
            doc: method.doc,
            // SAFETY: entries of `def` come from this backend (caller).
            call: unsafe { entry_fn(method.entry) },
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
    let rust = RustClass {
        methods,
        slots,
        constructor,
        payload,
    };
    run_new("class_new", &[], |heap| {
        heap.rust_class_new(&def.qualified_name, &def.doc, rust)
    })
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
