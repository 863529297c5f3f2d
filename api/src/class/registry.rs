//! A process-wide map from a Rust type to a value made once and kept forever: the type-object
//! cell of each class, the signature (name and arity, for messages) of each method.

use std::any::TypeId;
use std::collections::BTreeMap;
use std::sync::{PoisonError, RwLock};

/// Values keyed by `TypeId`, each leaked on first insertion and never removed.
pub(crate) struct Registry<V: 'static> {
    entries: RwLock<BTreeMap<TypeId, &'static V>>,
}

impl<V: Send + Sync + 'static> Registry<V> {
    /// An empty registry (for a `static`).
    pub(crate) const fn new() -> Self {
        Registry {
            entries: RwLock::new(BTreeMap::new()),
        }
    }

    /// The value for `id`, if one was inserted.
    pub(crate) fn get(&self, id: TypeId) -> Option<&'static V> {
        let entries = self.entries.read().unwrap_or_else(PoisonError::into_inner);
        entries.get(&id).copied()
    }

    /// The value for `id`, made with `make` the first time.
    pub(crate) fn get_or_insert_with(&self, id: TypeId, make: impl FnOnce() -> V) -> &'static V {
        if let Some(value) = self.get(id) {
            return value;
        }
        let mut entries = self.entries.write().unwrap_or_else(PoisonError::into_inner);
        entries
            .entry(id)
            .or_insert_with(|| Box::leak(Box::new(make())))
    }

    /// Sets the value for `id` unless one is there.
    pub(crate) fn insert(&self, id: TypeId, value: V) {
        self.get_or_insert_with(id, || value);
    }
}
