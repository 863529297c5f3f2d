//! Rust classes on C backends: a heap type made once with `PyType_FromSpec` (in the limited API,
//! so it works under abi3 and in PyPy's cpyext), instances laid out as the object header then
//! the payload, a `tp_dealloc` specialized per class that drops the payload exactly once, and
//! method descriptors specialized per method (`METH_FASTCALL`, or `METH_NOARGS`/`METH_O` where
//! [`CApi::METH_O_METHODS`]).

use std::ffi::{c_int, c_uint, c_void, CString};
use std::ptr;

use anypy::{EntryKind, MethodEntry, NewRef, RawClass, RawClassDef, RawMethod, RawPtr, SlotKind};

use crate::c_api::CApi;
use crate::class_slots::call_slot;
use crate::errors::set_error;
use crate::ffi::{NoArgsFunction, PyMethodDef, PyObject, METH_FASTCALL, METH_NOARGS, METH_O};
use crate::{class_keywords, class_properties, class_slots, layout, sequence};

/// A `METH_FASTCALL` method without keywords: the receiver, the arguments and their count.
type FastCallFunction = unsafe extern "C" fn(
    slf: *mut PyObject,
    args: *const *mut PyObject,
    nargs: isize,
) -> *mut PyObject;

/// A `METH_O` method: the receiver and the one argument.
type MethOFunction = unsafe extern "C" fn(slf: *mut PyObject, arg: *mut PyObject) -> *mut PyObject;

/// `PyType_Slot`.
#[repr(C)]
pub struct PyTypeSlot {
    /// The slot id (`Py_tp_dealloc`, ...).
    pub slot: c_int,
    /// The function or data pointer.
    pub pfunc: *mut c_void,
}

/// `PyType_Spec`.
#[repr(C)]
pub struct PyTypeSpec {
    /// `module.Name`.
    pub name: *const std::ffi::c_char,
    /// `tp_basicsize`.
    pub basicsize: c_int,
    /// `tp_itemsize`.
    pub itemsize: c_int,
    /// `tp_flags`.
    pub flags: c_uint,
    /// The slots, ended by a zero slot id.
    pub slots: *mut PyTypeSlot,
}

/// Slot ids from `typeslots.h` (the same numbers in CPython and PyPy).
pub(crate) mod slot {
    use std::ffi::c_int;
    pub const TP_DEALLOC: c_int = 52;
    pub const TP_DOC: c_int = 56;
    pub const TP_METHODS: c_int = 64;
    pub const TP_NEW: c_int = 65;
    pub const TP_FREE: c_int = 74;
    pub const TP_ALLOC: c_int = 47;
    pub const TP_TRAVERSE: c_int = 71;
    pub const TP_CLEAR: c_int = 51;
    pub const TP_REPR: c_int = 66;
    pub const TP_STR: c_int = 70;
    pub const MP_LENGTH: c_int = 4;
    pub const SQ_LENGTH: c_int = 45;
    pub const SQ_CONTAINS: c_int = 41;
    pub const MP_SUBSCRIPT: c_int = 5;
    pub const TP_GETSET: c_int = 73;
    pub const NB_BOOL: c_int = 9;
    pub const TP_HASH: c_int = 59;
    pub const TP_ITER: c_int = 62;
    pub const TP_ITERNEXT: c_int = 63;
    pub const MP_ASS_SUBSCRIPT: c_int = 3;
    pub const TP_CALL: c_int = 50;
    pub const TP_RICHCOMPARE: c_int = 67;
    pub const NB_ABSOLUTE: c_int = 6;
    pub const NB_ADD: c_int = 7;
    pub const NB_FLOOR_DIVIDE: c_int = 12;
    pub const NB_INVERT: c_int = 27;
    pub const NB_MULTIPLY: c_int = 29;
    pub const NB_NEGATIVE: c_int = 30;
    pub const NB_POSITIVE: c_int = 32;
    pub const NB_REMAINDER: c_int = 34;
    pub const NB_SUBTRACT: c_int = 36;
    pub const NB_TRUE_DIVIDE: c_int = 37;
    pub const NB_INPLACE_ADD: c_int = 14;
    pub const NB_INPLACE_FLOOR_DIVIDE: c_int = 16;
    pub const NB_INPLACE_MULTIPLY: c_int = 18;
    pub const NB_INPLACE_REMAINDER: c_int = 21;
    pub const NB_INPLACE_SUBTRACT: c_int = 23;
    pub const NB_INPLACE_TRUE_DIVIDE: c_int = 24;
}

/// `Py_TPFLAGS_DEFAULT` as PyPy defines it (`HAVE_VERSION_TAG`; CPython sets that bit itself).
const TPFLAGS_DEFAULT: c_uint = 1 << 18;
/// `Py_TPFLAGS_BASETYPE`: Python code may subclass the type.
const TPFLAGS_BASETYPE: c_uint = 1 << 10;
/// `Py_TPFLAGS_HAVE_GC`: the cycle collector tracks instances.
const TPFLAGS_HAVE_GC: c_uint = 1 << 14;

/// `visitproc`.
type VisitProc = unsafe extern "C" fn(*mut PyObject, *mut c_void) -> c_int;

/// `newfunc`: `tp_new(subtype, args, kwargs)`.
type NewFunction =
    unsafe extern "C" fn(*mut PyObject, *mut PyObject, *mut PyObject) -> *mut PyObject;

/// Where the payload starts: after the object header (CPython 16 bytes, PyPy 24), aligned.
const fn payload_offset<A: CApi, C: RawClass>() -> usize {
    let header = A::OB_TYPE_OFFSET + std::mem::size_of::<*mut PyObject>();
    assert!(
        C::PAYLOAD_ALIGN <= 16,
        "a class payload is aligned to at most 16 bytes"
    );
    header.next_multiple_of(C::PAYLOAD_ALIGN)
}

/// Text kept for the life of the process (a type object refers to its name and methods).
pub(crate) fn leak_text(text: &str) -> *const std::ffi::c_char {
    let text = CString::new(text.replace('\0', "\\0")).expect("NUL bytes were replaced");
    Box::leak(text.into_boxed_c_str()).as_ptr()
}

/// `Backend::class_new`: the type object, or null with an error set.
///
/// # Safety
/// GIL held; the entries came from [`entry`] with this `A`.
pub(crate) unsafe fn class_new<A: CApi, C: RawClass>(def: RawClassDef) -> *mut PyObject {
    if def.qualified_name.contains('\0') {
        // SAFETY: GIL held (caller).
        unsafe { set_error::<A>(A::PyExc_ValueError(), "class name contains a NUL byte") };
        return ptr::null_mut();
    }
    let basicsize = payload_offset::<A, C>() + C::PAYLOAD_SIZE;
    let Ok(basicsize) = c_int::try_from(basicsize) else {
        // SAFETY: GIL held (caller).
        unsafe { set_error::<A>(A::PyExc_OverflowError(), "class payload too large") };
        return ptr::null_mut();
    };
    // The type object keeps pointers to its method table and its name: both live forever,
    // as the type does (made once per process).
    let mut methods: Vec<PyMethodDef> = def
        .methods
        .iter()
        .map(|method| PyMethodDef {
            ml_name: leak_text(&method.name),
            // The entry came from `entry::<A, _>(method.kind)`, a function of these flags.
            ml_meth: method.entry.0.cast(),
            ml_flags: method_flags::<A>(method.kind),
            ml_doc: if method.doc.is_empty() {
                ptr::null()
            } else {
                leak_text(&method.doc)
            },
        })
        .collect();
    methods.push(PyMethodDef {
        ml_name: ptr::null(),
        ml_meth: ptr::null(),
        ml_flags: 0,
        ml_doc: ptr::null(),
    });
    let methods = Box::leak(methods.into_boxed_slice());
    let mut slots = vec![
        PyTypeSlot {
            slot: slot::TP_DEALLOC,
            pfunc: dealloc::<A, C> as *mut c_void,
        },
        PyTypeSlot {
            slot: slot::TP_NEW,
            pfunc: match def.constructor {
                Some(entry) => entry.0.cast_mut().cast(),
                None => refuse_new::<A> as *mut c_void,
            },
        },
        PyTypeSlot {
            slot: slot::TP_METHODS,
            pfunc: methods.as_mut_ptr().cast(),
        },
        PyTypeSlot {
            slot: slot::TP_GETSET,
            // SAFETY: the property entries came from `entry::<A, _>` (caller).
            pfunc: unsafe { class_properties::getset_table(&def.properties) },
        },
    ];
    // With both `__setitem__` and `__delitem__`, the set entry fills the shared C slot (it is
    // installed last, and a later slot of the spec wins) and hands deletions to its partner.
    let entry_of = |kind| def.slots.iter().find(|protocol| protocol.kind == kind);
    if let (Some(set), Some(delete)) = (entry_of(SlotKind::SetItem), entry_of(SlotKind::DelItem)) {
        class_slots::pair_assignment(set.entry, delete.entry);
    }
    let mut protocols: Vec<_> = def.slots.iter().collect();
    protocols.sort_by_key(|protocol| protocol.kind == SlotKind::SetItem);
    for protocol in protocols {
        let ids: &[c_int] = match protocol.kind {
            SlotKind::Repr => &[slot::TP_REPR],
            SlotKind::Str => &[slot::TP_STR],
            SlotKind::Len => &[slot::MP_LENGTH, slot::SQ_LENGTH],
            SlotKind::Contains => &[slot::SQ_CONTAINS],
            SlotKind::GetItem => &[slot::MP_SUBSCRIPT],
            SlotKind::Bool => &[slot::NB_BOOL],
            SlotKind::Hash => &[slot::TP_HASH],
            SlotKind::Iter => &[slot::TP_ITER],
            SlotKind::Next => &[slot::TP_ITERNEXT],
            SlotKind::SetItem | SlotKind::DelItem => &[slot::MP_ASS_SUBSCRIPT],
            SlotKind::Call => &[slot::TP_CALL],
            SlotKind::RichCompare => &[slot::TP_RICHCOMPARE],
            SlotKind::Neg => &[slot::NB_NEGATIVE],
            SlotKind::Pos => &[slot::NB_POSITIVE],
            SlotKind::Abs => &[slot::NB_ABSOLUTE],
            SlotKind::Invert => &[slot::NB_INVERT],
            SlotKind::Add => &[slot::NB_ADD],
            SlotKind::Sub => &[slot::NB_SUBTRACT],
            SlotKind::Mul => &[slot::NB_MULTIPLY],
            SlotKind::TrueDiv => &[slot::NB_TRUE_DIVIDE],
            SlotKind::FloorDiv => &[slot::NB_FLOOR_DIVIDE],
            SlotKind::Mod => &[slot::NB_REMAINDER],
            SlotKind::InplaceAdd => &[slot::NB_INPLACE_ADD],
            SlotKind::InplaceSub => &[slot::NB_INPLACE_SUBTRACT],
            SlotKind::InplaceMul => &[slot::NB_INPLACE_MULTIPLY],
            SlotKind::InplaceTrueDiv => &[slot::NB_INPLACE_TRUE_DIVIDE],
            SlotKind::InplaceFloorDiv => &[slot::NB_INPLACE_FLOOR_DIVIDE],
            SlotKind::InplaceMod => &[slot::NB_INPLACE_REMAINDER],
        };
        slots.extend(ids.iter().map(|&id| PyTypeSlot {
            slot: id,
            pfunc: protocol.entry.0.cast_mut().cast(),
        }));
    }
    if def.garbage_collected {
        slots.push(PyTypeSlot {
            slot: slot::TP_TRAVERSE,
            pfunc: traverse::<A, C> as *mut c_void,
        });
        slots.push(PyTypeSlot {
            slot: slot::TP_CLEAR,
            pfunc: clear::<A, C> as *mut c_void,
        });
    }
    if !def.doc.is_empty() {
        slots.push(PyTypeSlot {
            slot: slot::TP_DOC,
            pfunc: leak_text(&def.doc).cast_mut().cast(),
        });
    }
    slots.push(PyTypeSlot {
        slot: 0,
        pfunc: ptr::null_mut(),
    });
    let mut spec = PyTypeSpec {
        name: leak_text(&def.qualified_name),
        basicsize,
        itemsize: 0,
        flags: TPFLAGS_DEFAULT
            | if def.subclassable {
                TPFLAGS_BASETYPE
            } else {
                0
            }
            | if def.garbage_collected {
                TPFLAGS_HAVE_GC
            } else {
                0
            },
        slots: slots.as_mut_ptr(),
    };
    // SAFETY: GIL held; the spec and its slots are valid for the call (the interpreter copies
    // the slots; the name, doc and method table it keeps pointers to are leaked above).
    unsafe { A::PyType_FromSpec(&mut spec) }
}

/// `Backend::entry`: the C function calling `M` as `kind` says.
pub(crate) fn entry<A: CApi, M: RawMethod>(kind: EntryKind) -> MethodEntry {
    match kind {
        EntryKind::MethodNoArgs if A::METH_O_METHODS => {
            MethodEntry(method_noargs::<M> as NoArgsFunction as *const ())
        }
        EntryKind::MethodOneArg if A::METH_O_METHODS => {
            MethodEntry(method_o::<M> as MethOFunction as *const ())
        }
        EntryKind::Method | EntryKind::MethodNoArgs | EntryKind::MethodOneArg => {
            method_entry::<A, M>()
        }
        EntryKind::KeywordMethod | EntryKind::ClassMethod => {
            class_keywords::keyword_method_entry::<A, M>()
        }
        EntryKind::Constructor => constructor_entry::<A, M>(),
        EntryKind::Slot(slot) => class_slots::slot_entry::<A, M>(slot),
        EntryKind::Getter => class_properties::getter_entry::<M>(),
        EntryKind::Setter => class_properties::setter_entry::<A, M>(),
    }
}

/// The `tp_new` of constructor `M`.
fn constructor_entry<A: CApi, M: RawMethod>() -> MethodEntry {
    MethodEntry(constructor_trampoline::<A, M> as NewFunction as *const ())
}

/// `tp_new` calling constructor `M` with the subtype, the positional arguments and the
/// keywords.
unsafe extern "C" fn constructor_trampoline<A: CApi, M: RawMethod>(
    subtype: *mut PyObject,
    args: *mut PyObject,
    kwargs: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: called by the interpreter with the GIL held, a live type, a tuple of arguments
    // and a dict of keyword arguments or null.
    unsafe { class_keywords::call_with_dict::<A, M>(subtype, args, kwargs) }
}

/// Calls `f` with the items of a tuple of arguments (borrowed): in place where tuples are laid
/// out inline (`CApi::INLINE_TUPLE_ACCESS`), else copied to an array on the stack for up to
/// eight (no allocation per call), to a `Vec` past that.
///
/// # Safety
/// GIL held; `args` is a live tuple.
#[inline(always)]
pub(crate) unsafe fn with_tuple_items<A: CApi, R>(
    args: *mut PyObject,
    f: impl FnOnce(&[RawPtr]) -> R,
) -> R {
    const ON_STACK: usize = 8;
    // SAFETY: GIL held, `args` a live tuple (caller).
    let len = unsafe { sequence::tuple_len::<A>(args) };
    if A::INLINE_TUPLE_ACCESS && len > 0 {
        // SAFETY: the items lie inline and in order, non-null and live while the tuple is
        // (the caller holds it for the call); `RawPtr` is a non-null pointer of the same
        // layout.
        return f(unsafe {
            std::slice::from_raw_parts(
                crate::layout::tuple_slot::<A>(args, 0).cast::<RawPtr>(),
                len,
            )
        });
    }
    // SAFETY: GIL held; indexes within the tuple's size give its live, non-null items.
    let item = |index| unsafe {
        ptr::NonNull::new_unchecked(sequence::tuple_get_item::<A>(args, index).cast())
    };
    if len <= ON_STACK {
        let mut items = [ptr::NonNull::dangling(); ON_STACK];
        for (index, slot) in items.iter_mut().enumerate().take(len) {
            *slot = item(index);
        }
        f(&items[..len])
    } else {
        f(&(0..len).map(item).collect::<Vec<RawPtr>>())
    }
}

/// `tp_new` of a class without a constructor: instances are made from Rust only.
unsafe extern "C" fn refuse_new<A: CApi>(
    ty: *mut PyObject,
    _args: *mut PyObject,
    _kwargs: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: called by the interpreter with the GIL held and a live type.
    unsafe {
        let name = A::type_name(ty);
        set_error::<A>(
            A::PyExc_TypeError(),
            &format!("cannot create '{name}' instances"),
        );
    }
    ptr::null_mut()
}

/// `tp_dealloc`: drops the payload once, frees the memory with the type's `tp_free`, and
/// releases the reference a heap type's instance holds to its type.
unsafe extern "C" fn dealloc<A: CApi, C: RawClass>(obj: *mut PyObject) {
    // SAFETY: called once by the interpreter as `obj` dies, with the GIL held; the payload is
    // at the offset `class_new` laid out; `tp_free` of a heap type is a `freefunc`.
    unsafe {
        let ty = layout::ob_type::<A>(obj);
        // The collector must not see the instance while its value is dropped.
        if A::type_flags(ty) & u64::from(TPFLAGS_HAVE_GC) != 0 {
            A::gc_untrack(obj);
        }
        C::drop_payload(obj.cast::<u8>().add(payload_offset::<A, C>()));
        let free = type_slot::<A>(ty, slot::TP_FREE);
        let free = std::mem::transmute::<*mut c_void, unsafe extern "C" fn(*mut c_void)>(free);
        free(obj.cast());
        if A::INSTANCES_HOLD_THEIR_TYPE {
            A::decref(ty);
        }
    }
}

/// `tp_traverse`: reports the objects the payload holds. A Python subclass's instance also
/// holds its type and its `__dict__`, which CPython's `subtype_traverse` reports itself
/// before calling this base traverse.
unsafe extern "C" fn traverse<A: CApi, C: RawClass>(
    obj: *mut PyObject,
    visit: VisitProc,
    arg: *mut c_void,
) -> c_int {
    // SAFETY: called by the collector with the GIL held on a live instance; `visit` is called
    // with live objects the payload holds.
    unsafe {
        let payload = obj.cast::<u8>().add(payload_offset::<A, C>());
        C::traverse_payload(payload, &mut |object| visit(object.as_ptr().cast(), arg))
    }
}

/// `tp_clear`: lets go of what the payload holds, to break a cycle.
unsafe extern "C" fn clear<A: CApi, C: RawClass>(obj: *mut PyObject) -> c_int {
    // SAFETY: called by the collector with the GIL held on a live instance.
    unsafe { C::clear_payload(obj.cast::<u8>().add(payload_offset::<A, C>())) };
    0
}

/// `tp_alloc` or `tp_free` of a type: read inline where the layout is known
/// (`CApi::INLINE_TYPE_SLOTS`), else through `PyType_GetSlot`.
///
/// # Safety
/// GIL held; `ty` a live heap type; `id` is `slot::TP_ALLOC` or `slot::TP_FREE`.
#[inline(always)]
unsafe fn type_slot<A: CApi>(ty: *mut PyObject, id: c_int) -> *mut c_void {
    // SAFETY: as the caller guarantees; both slots of a ready type are filled.
    unsafe {
        let function = match (A::INLINE_TYPE_SLOTS, id) {
            (true, slot::TP_ALLOC) => layout::tp_alloc::<A>(ty),
            (true, _) => layout::tp_free::<A>(ty),
            (false, _) => return A::PyType_GetSlot(ty, id),
        };
        // The offsets, checked on every interpreter the test suites run (debug builds).
        debug_assert_eq!(function, A::PyType_GetSlot(ty, id), "type slot {id} offset");
        function
    }
}

/// `Backend::instance_new`: `tp_alloc(class, 0)`, zero-filled.
///
/// # Safety
/// GIL held; `class` made by [`class_new`].
pub(crate) unsafe fn instance_new<A: CApi>(class: RawPtr) -> NewRef {
    let class = class.as_ptr().cast::<PyObject>();
    // SAFETY: GIL held; a heap type's `tp_alloc` is an `allocfunc`.
    let object = unsafe {
        let alloc = type_slot::<A>(class, slot::TP_ALLOC);
        let alloc = std::mem::transmute::<
            *mut c_void,
            unsafe extern "C" fn(*mut PyObject, isize) -> *mut PyObject,
        >(alloc);
        alloc(class, 0)
    };
    ptr::NonNull::new(object.cast())
}

/// `Backend::instance_payload`.
///
/// # Safety
/// `obj` is a live instance of a class made by `class_new::<A, C>`.
#[inline(always)]
pub(crate) unsafe fn instance_payload<A: CApi, C: RawClass>(obj: RawPtr) -> *mut u8 {
    // SAFETY: the payload lies within the instance's memory (guaranteed by the caller).
    unsafe { obj.as_ptr().cast::<u8>().add(payload_offset::<A, C>()) }
}

/// The `METH_FASTCALL` function of method `M`.
fn method_entry<A: CApi, M: RawMethod>() -> MethodEntry {
    MethodEntry(method_trampoline::<A, M> as FastCallFunction as *const ())
}

/// The `METH_FASTCALL` entry of method `M`.
unsafe extern "C" fn method_trampoline<A: CApi, M: RawMethod>(
    slf: *mut PyObject,
    args: *const *mut PyObject,
    nargs: isize,
) -> *mut PyObject {
    let Some(receiver) = ptr::NonNull::new(slf.cast()) else {
        // SAFETY: called by the interpreter with the GIL held.
        unsafe { set_error::<A>(A::PyExc_TypeError(), "method called without an instance") };
        return ptr::null_mut();
    };
    let args: &[RawPtr] = match usize::try_from(nargs) {
        // SAFETY: the interpreter passes `nargs` live, non-null argument pointers.
        Ok(len) if len > 0 => unsafe { std::slice::from_raw_parts(args.cast::<RawPtr>(), len) },
        _ => &[],
    };
    // SAFETY: GIL held, live receiver and arguments; `call` never unwinds.
    match unsafe { M::call(receiver, args) } {
        Some(result) => result.as_ptr().cast(),
        None => ptr::null_mut(),
    }
}

/// The `ml_flags` of a method entry of `kind` made by [`entry`].
fn method_flags<A: CApi>(kind: EntryKind) -> c_int {
    match kind {
        EntryKind::MethodNoArgs if A::METH_O_METHODS => METH_NOARGS,
        EntryKind::MethodOneArg if A::METH_O_METHODS => METH_O,
        EntryKind::KeywordMethod => class_keywords::keyword_flags(false),
        EntryKind::ClassMethod => class_keywords::keyword_flags(true),
        _ => METH_FASTCALL,
    }
}

/// The `METH_NOARGS` entry of method `M` (the interpreter has checked that there are no
/// arguments and that the receiver is an instance).
unsafe extern "C" fn method_noargs<M: RawMethod>(
    slf: *mut PyObject,
    _unused: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: called by the interpreter with the GIL held and a live receiver.
    unsafe { call_slot::<M>(slf, &[]) }
}

/// The `METH_O` entry of method `M` (the interpreter has checked that there is exactly one
/// argument and that the receiver is an instance).
unsafe extern "C" fn method_o<M: RawMethod>(
    slf: *mut PyObject,
    arg: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: called by the interpreter with the GIL held, a live receiver and argument.
    unsafe { call_slot::<M>(slf, &[arg]) }
}

// `PyType_Spec` is five fields: two pointers, two ints and an unsigned int, padded.
const _: () = assert!(std::mem::size_of::<PyTypeSpec>() == 32);
