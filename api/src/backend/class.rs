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

    /// Calls the method with keyword arguments too: what the entries of the kinds that pass
    /// keywords ([`EntryKind::passes_keywords`]) call. A method without keyword parameters
    /// refuses them (`TypeError: ...() takes no keyword arguments`).
    ///
    /// # Safety
    /// As [`RawMethod::call`]; `args` holds `nargs` positional arguments followed by the values
    /// of the keywords named in `kwnames` (a tuple of `str`; `None` when there are none).
    unsafe fn call_keywords(
        receiver: RawPtr,
        args: &[RawPtr],
        nargs: usize,
        kwnames: Option<RawPtr>,
    ) -> NewRef;

    /// Calls the method as a property getter, with no arguments: `data` is the property's
    /// [`RawPropertyDef::getter_data`] (a C backend keeps it in the getter's `closure`), which
    /// lets the entry skip looking itself up.
    ///
    /// # Safety
    /// As for [`RawMethod::call`]; `data` is the `getter_data` of a property whose getter is
    /// this method's entry.
    #[inline]
    unsafe fn get(receiver: RawPtr, data: *const ()) -> NewRef {
        let _ = data;
        // SAFETY: forwarded from the caller.
        unsafe { Self::call(receiver, &[]) }
    }
}

/// A backend's entry point for one [`RawMethod`] (from [`Backend::entry`]): on C backends a
/// C function of the signature its [`EntryKind`] calls for, on the mock the Rust function
/// itself.
///
/// [`Backend::entry`]: super::Backend::entry
#[derive(Clone, Copy, Debug)]
pub struct MethodEntry(pub *const ());

// SAFETY: an entry is the address of a function: immutable code, callable from any thread.
unsafe impl Send for MethodEntry {}
// SAFETY: as above.
unsafe impl Sync for MethodEntry {}

/// What an entry point is for, and so how the interpreter calls it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryKind {
    /// An instance method, called with the instance and positional arguments
    /// (`METH_FASTCALL` on C backends).
    Method,
    /// An instance method taking no argument besides the instance: `METH_NOARGS` where the
    /// interpreter words its argument errors as CPython does (the interpreter then rejects
    /// arguments itself), else as [`EntryKind::Method`].
    MethodNoArgs,
    /// An instance method taking exactly one argument: `METH_O` where the interpreter words
    /// its argument errors as CPython does, else as [`EntryKind::Method`].
    MethodOneArg,
    /// An instance method taking keywords (`METH_FASTCALL | METH_KEYWORDS`).
    KeywordMethod,
    /// A class method, called with the class (a subclass when called through one) and
    /// keywords (`METH_FASTCALL | METH_KEYWORDS | METH_CLASS`).
    ClassMethod,
    /// `__new__`, called with the class being instantiated, positional arguments and keywords
    /// (a `tp_new` on C backends, whose keyword dict becomes `kwnames`).
    Constructor,
    /// A protocol slot, called with the instance and the slot's arguments (a C backend
    /// converts the result to what the slot returns).
    Slot(SlotKind),
    /// A property getter, called with the instance and no arguments.
    Getter,
    /// A property setter, called with the instance and the new value (deleting the property
    /// never reaches it: the backend raises `AttributeError`).
    Setter,
}

impl EntryKind {
    /// Whether the entry calls [`RawMethod::call_keywords`] (else [`RawMethod::call`]).
    pub fn passes_keywords(self) -> bool {
        matches!(
            self,
            EntryKind::KeywordMethod
                | EntryKind::ClassMethod
                | EntryKind::Constructor
                | EntryKind::Slot(SlotKind::Call)
        )
    }
}

/// One method of a class.
#[derive(Clone, Debug)]
pub struct RawMethodDef {
    /// `__name__`.
    pub name: String,
    /// The docstring (may be empty).
    pub doc: String,
    /// The backend's entry point.
    pub entry: MethodEntry,
    /// What the entry was made for: [`EntryKind::Method`], [`EntryKind::MethodNoArgs`],
    /// [`EntryKind::MethodOneArg`], [`EntryKind::KeywordMethod`] or [`EntryKind::ClassMethod`].
    pub kind: EntryKind,
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
    /// `__bool__` (`nb_bool`): no arguments, returns a bool.
    Bool,
    /// `__hash__` (`tp_hash`): no arguments, returns an int.
    Hash,
    /// `__iter__` (`tp_iter`): no arguments, returns an iterator.
    Iter,
    /// `__next__` (`tp_iternext`): no arguments, returns the next item or raises
    /// `StopIteration` at the end.
    Next,
    /// `__setitem__` (`mp_ass_subscript` with a value): the key and the value.
    SetItem,
    /// `__delitem__` (`mp_ass_subscript` without a value): the key.
    DelItem,
    /// `__call__` (`tp_call`): the positional arguments and keywords, as the handler takes
    /// them.
    Call,
    /// `tp_richcompare`: the other operand and the operator as an int (`0` for `<` ... `5`
    /// for `>=`, [`CompareOp`](super::CompareOp)'s values); returns the answer, or
    /// `NotImplemented` for an operand it does not compare with. Filled by
    /// [`ClassBuilder::compare`](crate::ClassBuilder::compare).
    RichCompare,
    /// `__neg__` (`nb_negative`): no arguments.
    Neg,
    /// `__pos__` (`nb_positive`): no arguments.
    Pos,
    /// `__abs__` (`nb_absolute`): no arguments.
    Abs,
    /// `__invert__` (`nb_invert`): no arguments.
    Invert,
    /// `__add__` (`nb_add`): the other operand; filled by
    /// [`ClassBuilder::operator`](crate::ClassBuilder::operator), like the binary operators
    /// below. A C backend calls the entry with the left operand as the receiver, which for a
    /// reflected operation is not an instance: the entry hands it to the class's reflected
    /// operator ([`ClassBuilder::reflected_operator`](crate::ClassBuilder::reflected_operator)),
    /// or returns `NotImplemented`.
    Add,
    /// `__sub__` (`nb_subtract`): the other operand.
    Sub,
    /// `__mul__` (`nb_multiply`): the other operand.
    Mul,
    /// `__truediv__` (`nb_true_divide`): the other operand.
    TrueDiv,
    /// `__floordiv__` (`nb_floor_divide`): the other operand.
    FloorDiv,
    /// `__mod__` (`nb_remainder`): the other operand.
    Mod,
    /// `__iadd__` (`nb_inplace_add`, `x += y`): the other operand; filled by
    /// [`ClassBuilder::inplace_operator`](crate::ClassBuilder::inplace_operator), like the
    /// in-place operators below, which update the instance and return it.
    InplaceAdd,
    /// `__isub__` (`nb_inplace_subtract`): the other operand.
    InplaceSub,
    /// `__imul__` (`nb_inplace_multiply`): the other operand.
    InplaceMul,
    /// `__itruediv__` (`nb_inplace_true_divide`): the other operand.
    InplaceTrueDiv,
    /// `__ifloordiv__` (`nb_inplace_floor_divide`): the other operand.
    InplaceFloorDiv,
    /// `__imod__` (`nb_inplace_remainder`): the other operand.
    InplaceMod,
}

impl SlotKind {
    /// How many arguments the slot passes besides the instance (`None`: any number).
    pub fn arity(self) -> Option<usize> {
        match self {
            SlotKind::Contains | SlotKind::GetItem | SlotKind::DelItem => Some(1),
            kind if kind.is_binary_operator() || kind.is_inplace_operator() => Some(1),
            SlotKind::SetItem | SlotKind::RichCompare => Some(2),
            SlotKind::Call => None,
            _ => Some(0),
        }
    }

    /// The name of the method Python code sees, e.g. `"__len__"`.
    pub fn method_name(self) -> &'static str {
        match self {
            SlotKind::Repr => "__repr__",
            SlotKind::Str => "__str__",
            SlotKind::Len => "__len__",
            SlotKind::Contains => "__contains__",
            SlotKind::GetItem => "__getitem__",
            SlotKind::Bool => "__bool__",
            SlotKind::Hash => "__hash__",
            SlotKind::Iter => "__iter__",
            SlotKind::Next => "__next__",
            SlotKind::SetItem => "__setitem__",
            SlotKind::DelItem => "__delitem__",
            SlotKind::Call => "__call__",
            SlotKind::RichCompare => "__richcmp__",
            SlotKind::Neg => "__neg__",
            SlotKind::Pos => "__pos__",
            SlotKind::Abs => "__abs__",
            SlotKind::Invert => "__invert__",
            SlotKind::Add => "__add__",
            SlotKind::Sub => "__sub__",
            SlotKind::Mul => "__mul__",
            SlotKind::TrueDiv => "__truediv__",
            SlotKind::FloorDiv => "__floordiv__",
            SlotKind::Mod => "__mod__",
            SlotKind::InplaceAdd => "__iadd__",
            SlotKind::InplaceSub => "__isub__",
            SlotKind::InplaceMul => "__imul__",
            SlotKind::InplaceTrueDiv => "__itruediv__",
            SlotKind::InplaceFloorDiv => "__ifloordiv__",
            SlotKind::InplaceMod => "__imod__",
        }
    }

    /// Whether this is a binary numeric operator (`Add` ... `Mod`): filled by
    /// [`ClassBuilder::operator`](crate::ClassBuilder::operator), answering `NotImplemented`
    /// for an operand it does not take.
    pub fn is_binary_operator(self) -> bool {
        matches!(
            self,
            SlotKind::Add
                | SlotKind::Sub
                | SlotKind::Mul
                | SlotKind::TrueDiv
                | SlotKind::FloorDiv
                | SlotKind::Mod
        )
    }

    /// Whether this is an in-place operator (`InplaceAdd` ... `InplaceMod`): filled by
    /// [`ClassBuilder::inplace_operator`](crate::ClassBuilder::inplace_operator).
    pub fn is_inplace_operator(self) -> bool {
        matches!(
            self,
            SlotKind::InplaceAdd
                | SlotKind::InplaceSub
                | SlotKind::InplaceMul
                | SlotKind::InplaceTrueDiv
                | SlotKind::InplaceFloorDiv
                | SlotKind::InplaceMod
        )
    }
}

/// One protocol slot of a class: the kind and the backend's entry for it (from
/// [`Backend::entry`](super::Backend::entry) with [`EntryKind::Slot`]).
#[derive(Clone, Copy, Debug)]
pub struct RawSlotDef {
    /// Which slot.
    pub kind: SlotKind,
    /// The backend's entry point.
    pub entry: MethodEntry,
}

/// A property (a data descriptor on the class): a getter, and a setter if it can be set. The
/// getter is called with no arguments, the setter with the new value; deleting it raises
/// `AttributeError`.
#[derive(Clone, Debug)]
pub struct RawPropertyDef {
    /// The attribute name.
    pub name: String,
    /// The docstring (may be empty).
    pub doc: String,
    /// From [`Backend::entry`](super::Backend::entry) with [`EntryKind::Getter`].
    pub getter: MethodEntry,
    /// What the getter's entry passes to [`RawMethod::get`] (data kept for the life of the
    /// process; a backend may ignore it and call [`RawMethod::call`]).
    pub getter_data: *const (),
    /// From [`Backend::entry`](super::Backend::entry) with [`EntryKind::Setter`]; `None`:
    /// read-only.
    pub setter: Option<MethodEntry>,
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
    /// The properties.
    pub properties: Vec<RawPropertyDef>,
    /// `__new__`, from [`Backend::entry`](super::Backend::entry) with
    /// [`EntryKind::Constructor`]: called with the class being instantiated as its receiver.
    /// `None`: calling the class raises `TypeError`.
    pub constructor: Option<MethodEntry>,
    /// Whether Python code may subclass the class.
    pub subclassable: bool,
    /// Whether the cycle collector tracks instances (through the payload's traverse and
    /// clear): for a class whose values hold references that can form cycles.
    pub garbage_collected: bool,
}
