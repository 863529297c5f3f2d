//! The object heap: slots with generations (O(1) allocation and freeing, every stale pointer
//! recognised even after its slot is reused), tombstones naming freed objects, freeing by
//! worklist, and the single lock each operation takes once.

use std::collections::VecDeque;
use std::mem;
use std::panic::Location;
use std::sync::{Arc, LazyLock, Mutex, PoisonError};

use anypy::RawFunction;

use crate::builtins;
use crate::class::{self, Class};
use crate::collect::Garbage;
use crate::detect;
use crate::errors::Exc;
use crate::fault::Faults;
use crate::handle::Handle;
use crate::instance::Payload;
use crate::object::{Kind, Object};
use crate::observer::{self, Event};
use crate::repr::{self, ShortText};

/// How many freed slots wait before one is reused (like ASan's quarantine): a stale pointer to
/// any of the last this-many freed objects is reported with the object's details.
const QUARANTINE: usize = 1024;

/// The refcount singletons start with: out of reach of real use, still checked against zero.
const IMMORTAL_REFCOUNT: isize = 1 << 32;

/// `None`, always in slot 0.
pub(crate) const NONE: Handle = Handle::new(0, 1);
/// `True`, always in slot 1.
pub(crate) const TRUE: Handle = Handle::new(1, 1);
/// `False`, always in slot 2.
pub(crate) const FALSE: Handle = Handle::new(2, 1);
/// Type objects follow the three constants, in [`Class::index`] order.
const FIRST_CLASS_SLOT: usize = 3;

/// The type object of `class` (immortal).
pub(crate) fn class_handle(class: Class) -> Handle {
    if let Class::Heap(class) = class {
        return class.0.handle;
    }
    // An `ExceptionKind` missing from `MOST_SPECIFIC_FIRST` would have no type object.
    assert!(
        class.index() < class::COUNT,
        "an ExceptionKind without a type object"
    );
    Handle::new(FIRST_CLASS_SLOT + class.index(), 1)
}

/// `True` or `False`.
pub(crate) fn bool_handle(value: bool) -> Handle {
    if value {
        TRUE
    } else {
        FALSE
    }
}

/// What a freed slot remembers about the object it held, for use-after-free reports.
pub(crate) struct Tombstone {
    pub(crate) id: u64,
    pub(crate) class: Class,
    pub(crate) repr: ShortText,
    pub(crate) created: &'static Location<'static>,
    pub(crate) freed: &'static Location<'static>,
}

enum SlotState {
    Live(Object),
    Free(Tombstone),
}

struct Slot {
    generation: u32,
    state: SlotState,
}

/// Why a handle does not name a live object.
pub(crate) enum Stale<'a> {
    /// Never produced by the mock.
    Invalid,
    /// Its object was freed; the slot still holds the tombstone.
    Freed(&'a Tombstone),
    /// Its object was freed and the slot reused since.
    Reused,
}

/// Work collected under the lock and done after it is released: dropping native functions and
/// instance payloads (user code that may re-enter the mock), notifying the observer, reporting a misuse found
/// while releasing references held by a freed container.
#[derive(Default)]
pub(crate) struct Deferred {
    drops: Vec<Arc<dyn RawFunction>>,
    /// Payloads of freed instances: their Rust values may run any code when dropped.
    payloads: Vec<Payload>,
    /// Garbage whose instances the collector empties outside the lock (their `clear` runs
    /// user code that releases references).
    pub(crate) collected: Option<Garbage>,
    events: Vec<Event>,
    panic: Option<String>,
}

impl Deferred {
    fn is_empty(&self) -> bool {
        self.drops.is_empty()
            && self.payloads.is_empty()
            && self.collected.is_none()
            && self.events.is_empty()
            && self.panic.is_none()
    }

    fn run(self) {
        let Deferred {
            drops,
            payloads,
            collected,
            events,
            panic,
        } = self;
        if !events.is_empty() {
            observer::notify(&events);
        }
        drop(drops);
        drop(payloads);
        if let Some(garbage) = collected {
            garbage.finish();
        }
        if let Some(message) = panic {
            panic!("{message}");
        }
    }
}

/// All objects of the process.
pub(crate) struct Heap {
    slots: Vec<Slot>,
    /// Freed slots, oldest first: reused only beyond [`QUARANTINE`], so a recently freed
    /// object's tombstone stays available to name it.
    free: VecDeque<u32>,
    worklist: Vec<Handle>,
    next_id: u64,
    live: usize,
    pub(crate) deferred: Deferred,
    /// The current leak-check scope.
    pub(crate) epoch: u32,
    /// Fault injection state and the allocation counter.
    pub(crate) faults: Faults,
    /// Whether an observer is installed (events are only recorded then).
    pub(crate) observing: bool,
    /// The operation running, for messages.
    pub(crate) op: &'static str,
    /// Where the operation was called from: creation and free site of what it makes and frees.
    pub(crate) site: &'static Location<'static>,
    /// `sys.modules`.
    pub(crate) sys_modules: Handle,
}

static HEAP: LazyLock<Mutex<Heap>> = LazyLock::new(|| Mutex::new(Heap::new()));

/// Makes sure the heap and its singletons exist.
pub(crate) fn initialize() {
    LazyLock::force(&HEAP);
}

/// Runs `f` with the heap locked (once), then does the deferred work with the lock released.
pub(crate) fn with_heap<R>(
    op: &'static str,
    site: &'static Location<'static>,
    f: impl FnOnce(&mut Heap) -> R,
) -> R {
    let mut heap = HEAP.lock().unwrap_or_else(PoisonError::into_inner);
    heap.op = op;
    heap.site = site;
    let result = f(&mut heap);
    let deferred = if heap.deferred.is_empty() {
        None
    } else {
        Some(mem::take(&mut heap.deferred))
    };
    drop(heap);
    if let Some(deferred) = deferred {
        deferred.run();
    }
    result
}

impl Heap {
    #[track_caller]
    fn new() -> Heap {
        let mut heap = Heap {
            slots: Vec::new(),
            free: VecDeque::new(),
            worklist: Vec::new(),
            next_id: 1,
            live: 0,
            deferred: Deferred::default(),
            epoch: 0,
            faults: Faults::new(),
            observing: false,
            op: "initialize",
            site: Location::caller(),
            sys_modules: NONE,
        };
        assert_eq!(heap.insert(Kind::None, true), NONE);
        assert_eq!(heap.insert(Kind::Bool(true), true), TRUE);
        assert_eq!(heap.insert(Kind::Bool(false), true), FALSE);
        for class in Class::all() {
            assert_eq!(heap.insert(Kind::Type(class), true), class_handle(class));
        }
        heap.sys_modules = builtins::install(&mut heap);
        heap
    }

    // ----- looking objects up -----------------------------------------------------------------

    /// The slot of a live object, or why there is none.
    fn locate(&self, handle: Handle) -> Result<usize, Stale<'_>> {
        let index = handle
            .slot()
            .filter(|index| *index < self.slots.len())
            .ok_or(Stale::Invalid)?;
        let slot = &self.slots[index];
        match slot.generation.cmp(&handle.generation()) {
            std::cmp::Ordering::Equal => match &slot.state {
                SlotState::Live(_) => Ok(index),
                SlotState::Free(tombstone) => Err(Stale::Freed(tombstone)),
            },
            std::cmp::Ordering::Greater => Err(Stale::Reused),
            std::cmp::Ordering::Less => Err(Stale::Invalid),
        }
    }

    /// The live object `handle` names, or why there is none.
    pub(crate) fn lookup(&self, handle: Handle) -> Result<&Object, Stale<'_>> {
        let index = self.locate(handle)?;
        match &self.slots[index].state {
            SlotState::Live(object) => Ok(object),
            SlotState::Free(tombstone) => Err(Stale::Freed(tombstone)),
        }
    }

    /// The live object `handle` names; panics (`use after free`, `invalid object pointer`)
    /// otherwise.
    pub(crate) fn get(&self, handle: Handle) -> &Object {
        match self.lookup(handle) {
            Ok(object) => object,
            Err(stale) => detect::stale_access(self, handle, &stale),
        }
    }

    /// Like [`Heap::get`], mutably.
    pub(crate) fn get_mut(&mut self, handle: Handle) -> &mut Object {
        let index = match self.locate(handle) {
            Ok(index) => index,
            Err(stale) => detect::stale_access(self, handle, &stale),
        };
        match &mut self.slots[index].state {
            SlotState::Live(object) => object,
            SlotState::Free(_) => unreachable!("located slots are live"),
        }
    }

    /// The kind of a live object.
    pub(crate) fn kind(&self, handle: Handle) -> &Kind {
        &self.get(handle).kind
    }

    /// The kind of a live object, mutably.
    pub(crate) fn kind_mut(&mut self, handle: Handle) -> &mut Kind {
        &mut self.get_mut(handle).kind
    }

    /// The class of a live object.
    pub(crate) fn class(&self, handle: Handle) -> Class {
        self.kind(handle).class()
    }

    /// The type name of a live object, as Python prints it.
    pub(crate) fn type_name(&self, handle: Handle) -> &'static str {
        self.class(handle).name()
    }

    /// Every live object, in slot order.
    pub(crate) fn objects(&self) -> impl Iterator<Item = (Handle, &Object)> {
        self.slots
            .iter()
            .enumerate()
            .filter_map(|(index, slot)| match &slot.state {
                SlotState::Live(object) => Some((Handle::new(index, slot.generation), object)),
                SlotState::Free(_) => None,
            })
    }

    /// How many non-singleton objects are alive.
    pub(crate) fn live_count(&self) -> usize {
        self.live
    }

    /// How many slots exist (live or free): bounded by the peak number of live objects.
    pub(crate) fn slot_count(&self) -> usize {
        self.slots.len()
    }

    /// Starts a leak-check scope: ids count from 1 again, counters restart, faults disarmed.
    pub(crate) fn begin_scope(&mut self) -> u32 {
        self.epoch += 1;
        self.next_id = 1;
        self.faults.reset();
        self.epoch
    }

    /// A one-line description of whatever `handle` names, never panicking.
    pub(crate) fn describe(&self, handle: Handle) -> String {
        match self.lookup(handle) {
            Ok(object) if object.immortal => {
                format!(
                    "the immortal {} {}",
                    object.kind.class().name(),
                    repr::short(self, handle)
                )
            }
            Ok(object) => format!(
                "object #{} ({} {}), created at {}",
                object.id,
                object.kind.class().name(),
                repr::short(self, handle),
                object.created
            ),
            Err(Stale::Freed(tombstone)) => format!(
                "freed object #{} ({} {}), created at {}, freed at {}",
                tombstone.id,
                tombstone.class.name(),
                tombstone.repr,
                tombstone.created,
                tombstone.freed
            ),
            Err(Stale::Reused) => format!(
                "a stale pointer {:#x} (slot {}, generation {}) whose object was freed and whose \
                 slot has been reused since, so it can no longer be named",
                handle.bits(),
                handle.slot().unwrap_or_default(),
                handle.generation()
            ),
            Err(Stale::Invalid) => format!("an invalid pointer {:#x}", handle.bits()),
        }
    }

    // ----- allocation -------------------------------------------------------------------------

    /// Counts one allocation (or growth); fails if fault injection picked this one.
    pub(crate) fn charge(&mut self) -> Result<(), Exc> {
        self.faults.charge_allocation()
    }

    /// Makes an object from `kind` (stealing the references it holds), counted as an
    /// allocation: on an injected failure, the references are released and the error returned.
    pub(crate) fn alloc(&mut self, kind: Kind) -> Result<Handle, Exc> {
        if let Err(exc) = self.charge() {
            self.release_kind(kind, None);
            self.drain();
            return Err(exc);
        }
        Ok(self.insert(kind, false))
    }

    /// Makes an object without counting an allocation (exceptions raised by the mock itself).
    pub(crate) fn alloc_uncounted(&mut self, kind: Kind) -> Handle {
        self.insert(kind, false)
    }

    /// Makes an immortal object: a start-up singleton or an interned str.
    pub(crate) fn alloc_immortal(&mut self, kind: Kind) -> Handle {
        self.insert(kind, true)
    }

    fn insert(&mut self, kind: Kind, immortal: bool) -> Handle {
        let class = kind.class();
        let (id, refcount) = if immortal {
            (0, IMMORTAL_REFCOUNT)
        } else {
            let id = self.next_id;
            self.next_id += 1;
            self.live += 1;
            (id, 1)
        };
        let object = Object {
            kind,
            id,
            refcount,
            created: self.site,
            epoch: self.epoch,
            immortal,
        };
        let reusable = if self.free.len() > QUARANTINE {
            self.free.pop_front()
        } else {
            None
        };
        let handle = match reusable {
            Some(index) => {
                let slot = &mut self.slots[index as usize];
                slot.generation += 1;
                slot.state = SlotState::Live(object);
                Handle::new(index as usize, slot.generation)
            }
            None => {
                let index = self.slots.len();
                assert!(index < u32::MAX as usize - 1, "the mock heap is full");
                self.slots.push(Slot {
                    generation: 1,
                    state: SlotState::Live(object),
                });
                Handle::new(index, 1)
            }
        };
        if !immortal && self.observing {
            self.deferred.events.push(Event::Alloc { id, class });
        }
        handle
    }

    // ----- reference counts -------------------------------------------------------------------

    /// Adds a reference to a live object (panics on a stale one).
    pub(crate) fn incref(&mut self, handle: Handle) {
        self.adjust_refcount(handle, 1);
    }

    /// Changes a live object's count by `delta` (±1), tells the observer, returns the count.
    fn adjust_refcount(&mut self, handle: Handle, delta: isize) -> isize {
        let object = self.get_mut(handle);
        object.refcount += delta;
        let (id, class, count, immortal) = (
            object.id,
            object.kind.class(),
            object.refcount,
            object.immortal,
        );
        if !immortal && self.observing {
            let event = if delta > 0 {
                Event::Incref { id, class, count }
            } else {
                Event::Decref { id, class, count }
            };
            self.deferred.events.push(event);
        }
        count
    }

    /// Gives up a reference the caller claims to own: panics with `refcount underflow` if the
    /// object was already freed or is a singleton at its last reference, else releases it.
    pub(crate) fn decref(&mut self, handle: Handle) {
        if let Some(message) = self.underflow(handle, None) {
            panic!("{message}");
        }
        self.release(handle);
    }

    /// The `refcount underflow` report if releasing `handle` would take a count below zero
    /// (the object is freed or being freed) or a singleton to zero; `holder` is the container
    /// giving the reference up, if any.
    fn underflow(&self, handle: Handle, holder: Option<(u64, Class)>) -> Option<String> {
        match self.lookup(handle) {
            Err(Stale::Invalid) => Some(detect::invalid_release(self, handle)),
            Err(_) => Some(detect::double_release(self, handle, holder)),
            Ok(object) if object.refcount <= 0 => {
                Some(detect::double_release(self, handle, holder))
            }
            Ok(object) if object.immortal && object.refcount <= 1 => {
                Some(detect::immortal_underflow(self, handle))
            }
            Ok(_) => None,
        }
    }

    /// Gives up a reference the mock itself holds. Never panics mid-way: a misuse found here
    /// (a held object that was already freed) is reported once the operation has finished.
    pub(crate) fn release(&mut self, handle: Handle) {
        self.drop_reference(handle, None);
        self.drain();
    }

    /// Gives up every reference in `handles`.
    pub(crate) fn release_all(&mut self, handles: impl IntoIterator<Item = Handle>) {
        for handle in handles {
            self.drop_reference(handle, None);
        }
        self.drain();
    }

    /// Decrements; queues the object for freeing at zero. `holder` names the container giving
    /// the reference up, for the report if the object is already gone.
    fn drop_reference(&mut self, handle: Handle, holder: Option<(u64, Class)>) {
        if let Some(message) = self.underflow(handle, holder) {
            self.deferred.panic.get_or_insert(message);
            return;
        }
        if self.adjust_refcount(handle, -1) == 0 {
            self.worklist.push(handle);
        }
    }

    /// Frees every queued object, iteratively (deep structures do not recurse).
    fn drain(&mut self) {
        while let Some(handle) = self.worklist.pop() {
            self.free_one(handle);
        }
    }

    fn free_one(&mut self, handle: Handle) {
        let repr = repr::short(self, handle);
        let Ok(index) = self.locate(handle) else {
            return;
        };
        let object = self.get(handle);
        let (id, class) = (object.id, object.kind.class());
        let tombstone = Tombstone {
            id,
            class,
            repr,
            created: object.created,
            freed: self.site,
        };
        let slot = &mut self.slots[index];
        let SlotState::Live(object) = mem::replace(&mut slot.state, SlotState::Free(tombstone))
        else {
            unreachable!("located slots are live")
        };
        // A slot whose generation would wrap is retired rather than reused.
        if slot.generation < u32::MAX {
            self.free.push_back(index as u32);
        }
        self.live -= 1;
        if self.observing {
            self.deferred.events.push(Event::Free { id, class });
        }
        self.release_kind(object.kind, Some((id, class)));
    }

    /// Gives up the references a value holds (its object is being freed or was never made).
    fn release_kind(&mut self, kind: Kind, holder: Option<(u64, Class)>) {
        kind.for_each_reference(|item| self.drop_reference(item, holder));
        match kind {
            Kind::Function(function) => self.deferred.drops.push(function.function),
            Kind::Instance(instance) => self.deferred.payloads.push(instance.payload),
            _ => {}
        }
    }
}
