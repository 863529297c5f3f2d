//! Properties of Rust classes on C backends: a `PyGetSetDef` table per class (its entries are
//! `getset_descriptor`s), and the getter and setter trampolines calling the property's
//! handlers; deleting a property raises `AttributeError` naming it.

use std::ffi::{c_char, c_int, c_void, CStr};
use std::ptr;

use anypy::{MethodEntry, RawMethod, RawPropertyDef};

use crate::c_api::CApi;
use crate::class::leak_text;
use crate::class_slots::{call_slot, class_error, status_of};
use crate::ffi::PyObject;

/// `PyGetSetDef`: the same layout on CPython and PyPy.
#[repr(C)]
struct PyGetSetDef {
    name: *const c_char,
    get: Option<Getter>,
    set: Option<Setter>,
    doc: *const c_char,
    closure: *mut c_void,
}

/// What a property's `closure` points to (kept for the life of the process): its name, for
/// the setter's errors, and the getter's data ([`RawPropertyDef::getter_data`]), so that the
/// getter reaches its site without looking it up.
struct Closure {
    name: *const c_char,
    getter_data: *const (),
}

/// `getter`.
type Getter = unsafe extern "C" fn(*mut PyObject, *mut c_void) -> *mut PyObject;
/// `setter`.
type Setter = unsafe extern "C" fn(*mut PyObject, *mut PyObject, *mut c_void) -> c_int;

/// The `tp_getset` table of `properties`, ended by a zeroed entry and kept for the life of the
/// process (the type object refers to it, and is made once).
///
/// # Safety
/// The getters and setters came from [`getter_entry`] and [`setter_entry`].
pub(crate) unsafe fn getset_table(properties: &[RawPropertyDef]) -> *mut c_void {
    let mut table: Vec<PyGetSetDef> = properties
        .iter()
        .map(|property| {
            let name = leak_text(&property.name);
            PyGetSetDef {
                name,
                // SAFETY: the getter entry is a `Getter` (caller).
                get: Some(unsafe { std::mem::transmute::<*const (), Getter>(property.getter.0) }),
                // SAFETY: the setter entry is a `Setter` (caller).
                set: (property.setter)
                    .map(|setter| unsafe { std::mem::transmute::<*const (), Setter>(setter.0) }),
                doc: if property.doc.is_empty() {
                    ptr::null()
                } else {
                    leak_text(&property.doc)
                },
                closure: Box::into_raw(Box::new(Closure {
                    name,
                    getter_data: property.getter_data,
                }))
                .cast(),
            }
        })
        .collect();
    table.push(PyGetSetDef {
        name: ptr::null(),
        get: None,
        set: None,
        doc: ptr::null(),
        closure: ptr::null_mut(),
    });
    Box::leak(table.into_boxed_slice()).as_mut_ptr().cast()
}

/// The `getter` of property getter `M`.
pub(crate) fn getter_entry<M: RawMethod>() -> MethodEntry {
    MethodEntry(getter_trampoline::<M> as Getter as *const ())
}

/// The `setter` of property setter `M`.
pub(crate) fn setter_entry<A: CApi, M: RawMethod>() -> MethodEntry {
    MethodEntry(setter_trampoline::<A, M> as Setter as *const ())
}

/// `getter`: calls `M` with no arguments and the getter's data.
unsafe extern "C" fn getter_trampoline<M: RawMethod>(
    obj: *mut PyObject,
    closure: *mut c_void,
) -> *mut PyObject {
    // SAFETY: called by the interpreter with the GIL held and a live, non-null instance;
    // `closure` is the property's `Closure` (`getset_table`), whose getter is this one.
    unsafe {
        let data = (*closure.cast::<Closure>()).getter_data;
        M::get(ptr::NonNull::new_unchecked(obj.cast()), data)
            .map_or(ptr::null_mut(), |result| result.as_ptr().cast())
    }
}

/// `setter`: calls `M` with the value; deleting (a null value) raises `AttributeError`.
unsafe extern "C" fn setter_trampoline<A: CApi, M: RawMethod>(
    obj: *mut PyObject,
    value: *mut PyObject,
    closure: *mut c_void,
) -> c_int {
    if value.is_null() {
        // SAFETY: GIL held, `obj` live (interpreter); `closure` is the property's `Closure`,
        // whose name `getset_table` leaked.
        return unsafe {
            let name = CStr::from_ptr((*closure.cast::<Closure>()).name).to_string_lossy();
            class_error::<A>(obj, A::PyExc_AttributeError(), |class| {
                format!("property '{name}' of '{class}' object has no deleter")
            })
        };
    }
    // SAFETY: GIL held, both live (interpreter).
    unsafe { status_of::<A>(call_slot::<M>(obj, &[value])) }
}
