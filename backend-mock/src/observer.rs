//! Refcount observation: a hook trait (automocked with mockall) told of every allocation,
//! incref, decref and free of a non-singleton object, called outside the heap lock.

use std::panic::Location;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use crate::class::Class;
use crate::heap::with_heap;

/// Watches reference counts. Install one with [`Mock::observe`](crate::Mock::observe); in
/// tests, [`MockRefcountObserver`] sets expectations such as "exactly one decref of #3".
#[mockall::automock]
pub trait RefcountObserver: Send + Sync {
    /// An object was made, with a count of 1.
    fn on_alloc(&self, id: u64, type_name: &str);
    /// An object gained a reference; `count` is the new count.
    fn on_incref(&self, id: u64, type_name: &str, count: isize);
    /// An object lost a reference; `count` is the new count (0 before it is freed).
    fn on_decref(&self, id: u64, type_name: &str, count: isize);
    /// An object was freed.
    fn on_free(&self, id: u64, type_name: &str);
}

/// One recorded refcount event, delivered once the heap lock is released.
pub(crate) enum Event {
    Alloc { id: u64, class: Class },
    Incref { id: u64, class: Class, count: isize },
    Decref { id: u64, class: Class, count: isize },
    Free { id: u64, class: Class },
}

type Installed = Option<(u64, Arc<dyn RefcountObserver>)>;

static OBSERVER: Mutex<Installed> = Mutex::new(None);

/// Keeps an observer installed; dropping it removes the observer.
#[must_use = "the observer is removed when the guard is dropped"]
pub struct ObserverGuard {
    token: u64,
}

impl Drop for ObserverGuard {
    fn drop(&mut self) {
        let mut installed = OBSERVER.lock().unwrap_or_else(PoisonError::into_inner);
        if installed
            .as_ref()
            .is_some_and(|(token, _)| *token == self.token)
        {
            let removed = installed.take();
            drop(installed);
            with_heap("ObserverGuard::drop", Location::caller(), |heap| {
                heap.observing = false
            });
            drop(removed);
        }
    }
}

/// Installs `observer`; panics if one is installed already.
#[track_caller]
pub(crate) fn install(observer: Box<dyn RefcountObserver>) -> ObserverGuard {
    static TOKENS: AtomicU64 = AtomicU64::new(1);
    let token = TOKENS.fetch_add(1, Ordering::Relaxed);
    let mut installed = OBSERVER.lock().unwrap_or_else(PoisonError::into_inner);
    assert!(
        installed.is_none(),
        "misuse: Mock::observe at {}: an observer is already installed (one at a time; drop \
         its guard first)",
        Location::caller()
    );
    *installed = Some((token, Arc::from(observer)));
    drop(installed);
    with_heap("Mock::observe", Location::caller(), |heap| {
        heap.observing = true
    });
    ObserverGuard { token }
}

/// Delivers `events` to the installed observer, if any.
pub(crate) fn notify(events: &[Event]) {
    let observer = OBSERVER
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .as_ref()
        .map(|(_, observer)| Arc::clone(observer));
    let Some(observer) = observer else { return };
    for event in events {
        match *event {
            Event::Alloc { id, class } => observer.on_alloc(id, class.name()),
            Event::Incref { id, class, count } => observer.on_incref(id, class.name(), count),
            Event::Decref { id, class, count } => observer.on_decref(id, class.name(), count),
            Event::Free { id, class } => observer.on_free(id, class.name()),
        }
    }
}
