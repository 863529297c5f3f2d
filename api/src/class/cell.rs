//! The payload of an instance: who may touch the value (nobody before it is written, any
//! thread, or the one thread a value that is not `Send` belongs to), the borrow flag (shared
//! count, or exclusive), and the Rust value. [`ClassPayload`] tells a backend its
//! layout and how to drop it (exactly once, only if written, never unwinding).

use std::cell::{Cell, UnsafeCell};
use std::marker::PhantomData;
use std::mem::MaybeUninit;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::backend::{Backend, RawClass, RawPtr};
use crate::class::{PyClass, PyTraverseError, PyVisit};
use crate::err::{PyErr, PyResult};
use crate::exceptions::RuntimeError;
use crate::gil::GilCountGuard;

/// The borrow flag's value while the value is borrowed exclusively.
const EXCLUSIVE: isize = -1;

/// The payload of an instance of `T`. A zero-filled payload is valid: not written, not
/// borrowed. Only touched with the GIL held.
#[repr(C)]
pub struct ClassCell<T> {
    /// [`UNWRITTEN`], [`ANY_THREAD`], or the [`thread_token`] plus one of the thread a value
    /// that is not `Send` belongs to: one word, so that a borrow's fast path tests "written and
    /// usable from any thread" with one compare.
    access: Cell<u64>,
    borrow: Cell<isize>,
    value: UnsafeCell<MaybeUninit<T>>,
}

/// [`ClassCell::access`] of a payload whose value is not written (a zero-filled one).
const UNWRITTEN: u64 = 0;
/// [`ClassCell::access`] of a written value that any thread may touch.
const ANY_THREAD: u64 = 1;

/// [`ClassCell::access`] of a value confined to this thread (never `UNWRITTEN` or
/// `ANY_THREAD`: tokens start at 1).
fn confined_here() -> u64 {
    thread_token() + 1
}

/// Whether a value of [`ClassCell::access`] `access` may be touched from this thread.
fn owner_is_here(access: u64) -> bool {
    access <= ANY_THREAD || access == confined_here()
}

/// This thread's token: a number unique to the thread for the life of the process, never 0.
fn thread_token() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    thread_local! {
        static TOKEN: u64 = NEXT.fetch_add(1, Ordering::Relaxed);
    }
    TOKEN.with(|token| *token)
}

impl<T> ClassCell<T> {
    /// Writes the value of a fresh instance; a `confined` value may only be used from this
    /// thread.
    ///
    /// # Safety
    /// The cell is zero-filled and not yet written.
    pub(crate) unsafe fn write(&self, value: T, confined: bool) {
        // SAFETY: no borrow of the value can exist before it is written.
        unsafe { (*self.value.get()).write(value) };
        self.access.set(if confined {
            confined_here()
        } else {
            ANY_THREAD
        });
    }

    /// Whether the value is written.
    fn written(&self) -> bool {
        self.access.get() != UNWRITTEN
    }

    /// Whether this thread may touch the value (if written).
    fn on_owner_thread(&self) -> bool {
        owner_is_here(self.access.get())
    }

    /// Takes a shared borrow: `RuntimeError` while it is borrowed exclusively.
    #[inline]
    pub(crate) fn acquire_shared<B: Backend>(&self) -> PyResult<(), B> {
        let count = self.borrow.get();
        // Neither `EXCLUSIVE` (-1) nor `isize::MAX` (a count that would overflow): one compare.
        if self.usable() && (count as usize) < isize::MAX as usize {
            self.borrow.set(count + 1);
            Ok(())
        } else {
            Err(self.refusal(false))
        }
    }

    /// Takes the exclusive borrow: `RuntimeError` while it is borrowed at all.
    #[inline]
    pub(crate) fn acquire_exclusive<B: Backend>(&self) -> PyResult<(), B> {
        if self.usable() && self.borrow.get() == 0 {
            self.borrow.set(EXCLUSIVE);
            Ok(())
        } else {
            Err(self.refusal(true))
        }
    }

    /// Whether the value is written and this thread may touch it: inline for a value any
    /// thread may touch, the thread check of a confined one out of line.
    #[inline(always)]
    fn usable(&self) -> bool {
        self.access.get() == ANY_THREAD || self.usable_confined()
    }

    /// [`ClassCell::usable`] for a value confined to its thread (or not written).
    #[cold]
    #[inline(never)]
    fn usable_confined(&self) -> bool {
        self.written() && self.on_owner_thread()
    }

    /// Why a borrow (`exclusive` or shared) was refused, as a `RuntimeError`: the instance
    /// holds no value (not made by anypy), belongs to another thread, or is borrowed. Out of
    /// line: the borrows' fast paths stay small.
    #[cold]
    #[inline(never)]
    fn refusal<B: Backend>(&self, exclusive: bool) -> PyErr<B> {
        let message = if !self.written() {
            "the instance holds no value".to_owned()
        } else if !self.on_owner_thread() {
            format!(
                "{} is not Send: its instance can only be used from the thread that made it",
                std::any::type_name::<T>()
            )
        } else if !exclusive || self.borrow.get() == EXCLUSIVE {
            "Already mutably borrowed".to_owned()
        } else {
            "Already borrowed".to_owned()
        };
        PyErr::new::<RuntimeError, _>(message)
    }

    /// Ends a shared borrow.
    pub(crate) fn release_shared(&self) {
        self.borrow.set(self.borrow.get() - 1);
    }

    /// Ends the exclusive borrow.
    pub(crate) fn release_exclusive(&self) {
        self.borrow.set(0);
    }

    /// The value, read through a shared borrow.
    ///
    /// # Safety
    /// The value is written and a shared borrow is held for the reference's lifetime.
    pub(crate) unsafe fn get(&self) -> &T {
        // SAFETY: written (caller); the borrow flag keeps writers out.
        unsafe { (*self.value.get()).assume_init_ref() }
    }

    /// The value, through the exclusive borrow.
    ///
    /// # Safety
    /// The value is written and the exclusive borrow is held for the reference's lifetime.
    #[allow(clippy::mut_from_ref)] // the borrow flag makes it exclusive
    pub(crate) unsafe fn get_mut(&self) -> &mut T {
        // SAFETY: written (caller); the exclusive borrow keeps everyone else out.
        unsafe { (*self.value.get()).assume_init_mut() }
    }
}

/// [`RawClass`] for a class holding `T` on backend `B`.
pub struct ClassPayload<T, B>(PhantomData<fn() -> (T, B)>);

// SAFETY: the layout is `ClassCell<T>`'s; `drop_payload` checks that the value was written (a
// zero-filled payload is not) and catches a panic of `T`'s `Drop`; traverse and clear only touch a
// written value that no conflicting borrow holds, and catch panics.
unsafe impl<T: PyClass<B>, B: Backend> RawClass for ClassPayload<T, B> {
    const PAYLOAD_SIZE: usize = std::mem::size_of::<ClassCell<T>>();
    const PAYLOAD_ALIGN: usize = std::mem::align_of::<ClassCell<T>>();

    unsafe fn drop_payload(payload: *mut u8) {
        // SAFETY: the backend hands this class's payload of a dying instance, once.
        let cell = unsafe { &*payload.cast::<ClassCell<T>>() };
        let access = cell.access.replace(UNWRITTEN);
        if access == UNWRITTEN || !std::mem::needs_drop::<T>() {
            // Nothing written, or nothing to run: no thread check, no GIL count, no guard.
            return;
        }
        if !owner_is_here(access) {
            // Dropping a value that is not `Send` on another thread could be unsound: leak it.
            eprintln!(
                "anypy: an instance holding a {} was freed on another thread than the one that \
                 made it; its value is leaked, not dropped",
                std::any::type_name::<T>()
            );
            return;
        }
        // The interpreter frees instances with the GIL held: count it, so that the `Py`
        // handles the value holds are released now rather than queued.
        // SAFETY: the backend drops payloads with the GIL held.
        let _gil = unsafe { GilCountGuard::<B>::enter() };
        let dropped = catch_unwind(AssertUnwindSafe(|| {
            // SAFETY: written, and no borrow outlives the instance (each holds a reference).
            unsafe { (*cell.value.get()).assume_init_drop() }
        }));
        if dropped.is_err() {
            eprintln!(
                "anypy: the Drop of a {} panicked while its instance was freed",
                std::any::type_name::<T>()
            );
        }
    }

    unsafe fn traverse_payload(payload: *mut u8, visit: &mut dyn FnMut(RawPtr) -> i32) -> i32 {
        // SAFETY: the backend hands this class's payload of a live instance.
        let cell = unsafe { &*payload.cast::<ClassCell<T>>() };
        if cell.acquire_shared::<B>().is_err() {
            // Borrowed mutably (a method is running): report nothing, so the instance counts
            // as held from outside this round.
            return 0;
        }
        // SAFETY: a shared borrow of a written value is held until `release_shared`.
        let value = unsafe { cell.get() };
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            value.traverse(&mut PyVisit::new(visit))
        }));
        cell.release_shared();
        match outcome {
            Ok(Ok(())) => 0,
            Ok(Err(PyTraverseError(stop))) => stop,
            Err(_) => {
                eprintln!(
                    "anypy: the traverse of a {} panicked",
                    std::any::type_name::<T>()
                );
                0
            }
        }
    }

    unsafe fn clear_payload(payload: *mut u8) {
        // SAFETY: the backend hands this class's payload of a live instance.
        let cell = unsafe { &*payload.cast::<ClassCell<T>>() };
        if cell.acquire_exclusive::<B>().is_err() {
            return;
        }
        // SAFETY: the GIL is held (the collector runs with it).
        let _gil = unsafe { GilCountGuard::<B>::enter() };
        // SAFETY: the exclusive borrow of a written value is held until `release_exclusive`.
        let value = unsafe { cell.get_mut() };
        if catch_unwind(AssertUnwindSafe(|| value.clear())).is_err() {
            eprintln!(
                "anypy: the clear of a {} panicked",
                std::any::type_name::<T>()
            );
        }
        cell.release_exclusive();
    }
}
