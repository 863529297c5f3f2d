//! The raw types that cross the seam: the opaque object, its pointer, new references, and the
//! tokens the GIL functions hand back. The API layer never looks inside any of them.

use std::ffi::c_void;
use std::ptr::NonNull;

/// An opaque Python object. Each backend casts pointers to its own layout (or, for the mock,
/// decodes them); the API layer never dereferences one.
#[repr(C)]
pub struct RawObject {
    _opaque: [u8; 0],
    _not_send_sync_unpin: core::marker::PhantomData<(*mut u8, core::marker::PhantomPinned)>,
}

/// A non-null pointer to a Python object.
pub type RawPtr = NonNull<RawObject>;

/// A new (owned) reference, or `None` with the thread's error indicator set.
pub type NewRef = Option<RawPtr>;

/// What `gil_ensure` returned, handed back to `gil_release` (CPython's `PyGILState_STATE`).
#[derive(Clone, Copy, Debug)]
pub struct RawGilState(pub i32);

/// What `save_thread` returned, handed back to `restore_thread` (CPython's `PyThreadState *`).
#[derive(Clone, Copy, Debug)]
pub struct RawThreadState(pub *mut c_void);
