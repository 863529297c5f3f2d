//! `anypy-mock`: a pure-Rust mock Python interpreter for anypy, in which every refcount
//! mistake is an immediate, clear panic.
//!
//! [`Mock`] implements [`anypy::Backend`] over a small object model with CPython's reference
//! semantics exactly: None, bools, ints, floats, str, bytes, tuples, lists, dicts, modules,
//! native functions, bound builtin methods, iterators, exceptions, type objects and
//! `types.SimpleNamespace`. Pointers encode a slot and a generation and are never
//! dereferenced, so misuse is detected with certainty, never undefined behaviour:
//!
//! - `use after free`: any access to a freed object, even after its slot was reused;
//! - `refcount underflow`: releasing an object that was already freed (double release), or a
//!   singleton's last reference;
//! - `without the GIL`: any object operation by a thread that does not hold the mock's GIL;
//! - `leaked`: [`Mock::leak_check`] finds objects made in its scope still alive, or releases
//!   still queued;
//! - `misuse`: a broken precondition, such as setting a tuple item twice.
//!
//! Messages name the operation, the object (serial id, type, short repr) and where it was
//! created and freed. Ids count from 1 in each leak-check scope, so reports are stable text.
//!
//! `Python::collect_garbage` runs a cycle collector with CPython's algorithm (references found
//! inside the candidate set are subtracted from the counts; what is left at zero and not reached
//! from a survivor is garbage, emptied and freed through the normal release path).
//!
//! Tests can also make the n-th allocation or call fail ([`Mock::fail_allocation`],
//! [`Mock::fail_call`]) and watch reference counts with a mockall observer
//! ([`Mock::observe`], [`MockRefcountObserver`]).
//!
//! ```
//! use anypy::types::PyDict;
//! use anypy::Python;
//! use anypy_mock::Mock;
//!
//! // Everything made inside is released: the check passes.
//! Mock::leak_check(|| {
//!     Python::<Mock>::with_gil(|py| {
//!         let dict = PyDict::new(py).unwrap();
//!         dict.set_item("answer", 42).unwrap();
//!     })
//! });
//!
//! // A forgotten handle is reported, with its type and where it was made.
//! let report = std::panic::catch_unwind(|| {
//!     Mock::leak_check(|| Python::<Mock>::with_gil(|py| std::mem::forget(PyDict::new(py).unwrap())))
//! })
//! .unwrap_err();
//! let message = report.downcast_ref::<String>().unwrap();
//! assert!(message.starts_with("leaked:") && message.contains("dict"), "{message}");
//! ```
#![deny(missing_docs)]

mod attrs;
mod backend;
mod big_int;
mod builtins;
mod call;
mod class;
mod class_backend;
mod class_new;
mod collect;
mod compare_hash;
mod construct;
mod containers;
mod detect;
mod dict_iteration;
mod dict_table;
mod errors;
mod fault;
mod gil;
mod handle;
mod heap;
mod instance;
mod iter;
mod leak_check;
mod methods;
mod object;
mod observer;
mod operation;
mod protocol;
mod repr;
mod scalars;
mod set;
mod slots;

use std::panic::Location;

use anypy::{ExceptionKind, RawPtr};

pub use dict_iteration::DictIterationGuard;
pub use fault::FaultGuard;
pub use observer::{MockRefcountObserver, ObserverGuard, RefcountObserver};

use crate::fault::Target;
use crate::handle::Handle;
use crate::heap::with_heap;

/// The mock interpreter, an [`anypy::Backend`]. Its inherent functions are test helpers:
/// leak checks, live-object reports, fault injection and refcount observation.
pub struct Mock;

impl Mock {
    /// Runs `f`, then panics with a message starting `leaked:` if objects made while it ran
    /// are still alive (listed by type, each with its id, short repr and creation site) or if
    /// references are still parked in anypy's release queue (more than when `f` began, so a
    /// scope is not blamed for what an earlier one left).
    ///
    /// Scopes are serialized process-wide (wrap every test that makes objects, so tests on
    /// parallel threads do not see each other's objects), object ids restart at 1, the
    /// allocation counter restarts at 0, and injected failures are disarmed at both ends. A
    /// panic in `f` is propagated unchanged.
    #[track_caller]
    pub fn leak_check<R>(f: impl FnOnce() -> R) -> R {
        leak_check::leak_check(f)
    }

    /// How many objects are alive now, singletons excluded.
    #[track_caller]
    pub fn live_objects() -> usize {
        with_heap("live_objects", Location::caller(), |heap| heap.live_count())
    }

    /// The live objects by type, e.g. `3 live objects: 2 int, 1 dict` (sorted by type name).
    #[track_caller]
    pub fn live_report() -> String {
        with_heap("live_report", Location::caller(), |heap| {
            leak_check::live_report(heap)
        })
    }

    /// How many slots the heap has (live or free): bounded by the peak number of live objects
    /// plus a quarantine of 1024 freed slots, since freed slots are reused (the quarantine
    /// keeps recently freed objects nameable in use-after-free reports).
    #[track_caller]
    pub fn slot_count() -> usize {
        with_heap("slot_count", Location::caller(), |heap| heap.slot_count())
    }

    /// Makes the `n`-th allocation from now (counting from 1, on any thread) fail once: the
    /// operation returns `None`/`-1` with an exception of `kind` set, whose message is
    /// `injected failure: allocation #n`. Allocations are object creations and the growth
    /// operations `list_append`, `list_insert` and `dict_set_item`. Dropping the guard
    /// disarms the failure if it has not fired.
    #[track_caller]
    pub fn fail_allocation(n: usize, kind: ExceptionKind) -> FaultGuard {
        fault::arm(Target::Allocation, n, kind)
    }

    /// Makes the `n`-th `call` from now (counting from 1) fail once with `kind`
    /// (`injected failure: call #n`).
    #[track_caller]
    pub fn fail_call(n: usize, kind: ExceptionKind) -> FaultGuard {
        fault::arm(Target::Call, n, kind)
    }

    /// How many allocations were counted since the current leak-check scope began (or since
    /// start-up): loop `n` over `1..=count` with [`Mock::fail_allocation`] to try every
    /// failure point of a piece of code.
    #[track_caller]
    pub fn allocations() -> u64 {
        with_heap("allocations", Location::caller(), |heap| {
            heap.faults.allocations()
        })
    }

    /// Installs `observer`, told of every allocation, incref, decref and free of non-singleton
    /// objects (outside the heap lock). One observer at a time; dropping the guard removes it.
    #[track_caller]
    pub fn observe(observer: Box<dyn RefcountObserver>) -> ObserverGuard {
        observer::install(observer)
    }

    /// Makes this thread iterate dicts as PyPy's backend does, through Python's iterator
    /// protocol (`iter(dict)`, `next`, a lookup per key; see
    /// `anypy::Backend::dict_iterates_by_protocol`) instead of `dict_next` positions, until the
    /// guard drops: so that the mock checks that path too.
    pub fn iterate_dicts_by_protocol() -> DictIterationGuard {
        dict_iteration::set_by_protocol(true)
    }

    /// The serial id of a live object (0 for singletons); panics on a freed object.
    #[track_caller]
    pub fn object_id(ptr: RawPtr) -> u64 {
        with_heap("object_id", Location::caller(), |heap| {
            heap.get(Handle::from_raw(ptr)).id
        })
    }
}
