//! A Rust class as a backend sees it: the static part ([`RawClass`]: the payload's layout and
//! destructor), the per-class definition ([`RawClassDef`]: names and methods), and methods as
//! entry points a backend makes from a [`RawMethod`] type.

use super::raw::{NewRef, RawPtr};

/// The static part of a class: how big its payload (the Rust value and its bookkeeping) is
/// and how it is dropped. A C backend specializes its `tp_dealloc` per implementation, so
/// dropping is a direct call.
///
/// # Safety
/// `PAYLOAD_SIZE`/`PAYLOAD_ALIGN` describe what `drop_payload` reads; `drop_payload` accepts a
/// zero-filled payload (an instance whose value was never written) and never unwinds.
pub unsafe trait RawClass: 'static {
    /// Size of the payload in bytes.
    const PAYLOAD_SIZE: usize;
    /// Alignment of the payload (at most 16: what the interpreters' allocators give).
    const PAYLOAD_ALIGN: usize;

    /// Drops the payload in place (the object is being freed).
    ///
    /// # Safety
    /// `payload` is this class's payload of an object being freed; called once.
    unsafe fn drop_payload(payload: *mut u8);

    /// Reports each object the payload holds a reference to (`tp_traverse`): `visit` returns
    /// non-zero to stop, and that value is returned. Must not call into the interpreter.
    ///
    /// # Safety
    /// GIL held; `payload` is this class's payload of a live object.
    unsafe fn traverse_payload(payload: *mut u8, visit: &mut dyn FnMut(RawPtr) -> i32) -> i32;

    /// Releases the references `traverse_payload` reports (`tp_clear`), to break a cycle.
    ///
    /// # Safety
    /// GIL held; `payload` is this class's payload of a live object.
    unsafe fn clear_payload(payload: *mut u8);
}

/// A method: called with its receiver and positional arguments. Implemented by zero-sized
/// types, so that a C backend's entry point is specialized per method with no data pointer.
///
/// # Safety
/// `call` upholds the contract below.
pub unsafe trait RawMethod: 'static {
    /// Calls the method.
    ///
    /// # Safety
    /// GIL held; `receiver` and every pointer in `args` are live objects. Returns a new
    /// reference, or `None` with the error indicator set. Never unwinds.
    unsafe fn call(receiver: RawPtr, args: &[RawPtr]) -> NewRef;
}

/// A backend's entry point for one [`RawMethod`] (from [`Backend::method_entry`]): on C
/// backends a `METH_FASTCALL` function, on the mock the Rust function itself.
///
/// [`Backend::method_entry`]: super::Backend::method_entry
#[derive(Clone, Copy, Debug)]
pub struct MethodEntry(pub *const ());

// SAFETY: an entry is the address of a function: immutable code, callable from any thread.
unsafe impl Send for MethodEntry {}
// SAFETY: as above.
unsafe impl Sync for MethodEntry {}

/// One method of a class.
#[derive(Clone, Debug)]
pub struct RawMethodDef {
    /// `__name__`.
    pub name: String,
    /// The docstring (may be empty).
    pub doc: String,
    /// The backend's entry point.
    pub entry: MethodEntry,
}

/// A protocol slot a class can fill: the operation Python runs for `repr(x)`, `len(x)`, ...
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SlotKind {
    /// `__repr__` (`tp_repr`): no arguments, returns a str.
    Repr,
    /// `__str__` (`tp_str`): no arguments, returns a str.
    Str,
    /// `__len__` (`mp_length` and `sq_length`): no arguments, returns an int.
    Len,
    /// `__contains__` (`sq_contains`): one argument, returns a bool.
    Contains,
    /// `__getitem__` (`mp_subscript`): one argument.
    GetItem,
}

impl SlotKind {
    /// The name of the method Python code sees, e.g. `"__len__"`.
    pub fn method_name(self) -> &'static str {
        match self {
            SlotKind::Repr => "__repr__",
            SlotKind::Str => "__str__",
            SlotKind::Len => "__len__",
            SlotKind::Contains => "__contains__",
            SlotKind::GetItem => "__getitem__",
        }
    }
}

/// One protocol slot of a class: the kind and the backend's entry for it (from
/// [`Backend::slot_entry`](super::Backend::slot_entry)).
#[derive(Clone, Copy, Debug)]
pub struct RawSlotDef {
    /// Which slot.
    pub kind: SlotKind,
    /// The backend's entry point.
    pub entry: MethodEntry,
}

/// What a class is made of, besides its [`RawClass`] part.
#[derive(Clone, Debug, Default)]
pub struct RawClassDef {
    /// `module.Name`.
    pub qualified_name: String,
    /// The docstring (may be empty).
    pub doc: String,
    /// The instance methods.
    pub methods: Vec<RawMethodDef>,
    /// The protocol slots.
    pub slots: Vec<RawSlotDef>,
    /// `__new__`, from [`Backend::constructor_entry`](super::Backend::constructor_entry):
    /// called with the class being instantiated as its receiver. `None`: calling the class
    /// raises `TypeError`.
    pub constructor: Option<MethodEntry>,
    /// Whether Python code may subclass the class.
    pub subclassable: bool,
    /// Whether the cycle collector tracks instances (through the payload's traverse and
    /// clear): for a class whose values hold references that can form cycles.
    pub garbage_collected: bool,
}
