//! Scoped leak checking, in the spirit of embedded-hal-mock's `done()`: run a closure, then
//! report every object it made that is still alive, grouped by type, and any release still
//! parked in anypy's queue. Scopes are serialized process-wide and number ids from 1.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe, Location};
use std::sync::{Mutex, PoisonError};

use anypy::Backend;

use crate::errors;
use crate::gil;
use crate::heap::{with_heap, Heap};
use crate::repr;
use crate::Mock;

/// Serializes leak-check scopes across the process (tests run on parallel threads).
static SCOPE: Mutex<()> = Mutex::new(());

thread_local! {
    /// Whether this thread is inside a scope (scopes do not nest: the second would deadlock).
    static IN_SCOPE: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` in a leak-check scope; see [`Mock::leak_check`].
#[track_caller]
pub(crate) fn leak_check<R>(f: impl FnOnce() -> R) -> R {
    let site = Location::caller();
    assert!(
        !IN_SCOPE.with(Cell::get),
        "misuse: `Mock::leak_check` at {site}: leak-check scopes do not nest"
    );
    // Waiting for another scope while holding the GIL would deadlock if that scope needs the
    // GIL: let go of it while waiting.
    let saved = gil::held().then(|| gil::save(site));
    let guard = SCOPE.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(saved) = saved {
        gil::restore(saved, site);
    }
    IN_SCOPE.with(|in_scope| in_scope.set(true));
    let queue = &<Mock as Backend>::state().release_queue;
    let pending_before = queue.pending();
    let epoch = with_heap("leak_check", site, Heap::begin_scope);
    let outcome = catch_unwind(AssertUnwindSafe(f));
    IN_SCOPE.with(|in_scope| in_scope.set(false));
    let report = with_heap("leak_check", site, |heap| {
        heap.faults.disarm_all();
        leak_report(heap, epoch)
    });
    let pending = queue.pending().saturating_sub(pending_before);
    drop(guard);
    let result = match outcome {
        Ok(result) => result,
        Err(payload) => resume_unwind(payload),
    };
    let mut message = report.unwrap_or_default();
    if pending > 0 {
        let _ = write!(
            message,
            "\n  {pending} more reference(s) parked in anypy's release queue than when the \
             scope began (dropped without the GIL and never drained)"
        );
    }
    if !message.is_empty() {
        panic!("leaked: in the leak_check scope at {site}:{message}");
    }
    result
}

/// The objects made in scope `epoch` still alive, by type then id; `None` if there are none.
fn leak_report(heap: &Heap, epoch: u32) -> Option<String> {
    let mut by_type: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut leaked = Vec::new();
    for (handle, object) in heap.objects() {
        if !object.immortal && object.epoch == epoch {
            leaked.push((object.id, handle));
        }
    }
    if leaked.is_empty() {
        return None;
    }
    leaked.sort_by_key(|(id, _)| *id);
    for (id, handle) in &leaked {
        let object = heap.get(*handle);
        by_type
            .entry(object.kind.class().name())
            .or_default()
            .push(format!(
                "#{id} {} (refcount {}, created at {})",
                repr::short(heap, *handle),
                object.refcount,
                object.created
            ));
    }
    let mut report = format!("\n  {} object(s) still alive:", leaked.len());
    for (type_name, objects) in by_type {
        let _ = write!(report, "\n    {} {type_name}:", objects.len());
        for object in objects {
            let _ = write!(report, "\n      {object}");
        }
    }
    if let Some(value) = errors::current_value() {
        let _ = write!(
            report,
            "\n  note: this thread's error indicator still holds {} (fetch it to release it)",
            repr::short(heap, value)
        );
    }
    Some(report)
}

/// `3 live objects: 2 int, 1 dict`.
pub(crate) fn live_report(heap: &Heap) -> String {
    let mut by_type: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, object) in heap.objects() {
        if !object.immortal {
            *by_type.entry(object.kind.class().name()).or_default() += 1;
        }
    }
    let total: usize = by_type.values().sum();
    let noun = if total == 1 { "object" } else { "objects" };
    let parts: Vec<String> = by_type
        .iter()
        .map(|(name, count)| format!("{count} {name}"))
        .collect();
    if parts.is_empty() {
        format!("{total} live {noun}")
    } else {
        format!("{total} live {noun}: {}", parts.join(", "))
    }
}
