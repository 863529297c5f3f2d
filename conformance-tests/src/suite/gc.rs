//! The cycle collector behind `Python::collect_garbage`: reference cycles nobody holds are
//! freed, cycles still held are left alone. Freeing is observed through a native function's
//! closure, which is dropped when its function object is freed (on every backend).

use std::sync::Arc;

use anypy::types::{PyAny, PyDict, PyList};
use anypy::{Backend, Bound, Function, PyResult, Python};

use crate::support::{collect_until, with_py};

/// A function object whose closure holds a clone of `alive`: the clone is dropped when the
/// object is freed, so `Arc::strong_count(alive)` tells whether it still exists.
fn marker<'py, B: Backend>(
    py: Python<'py, B>,
    alive: &Arc<()>,
) -> PyResult<Bound<'py, PyAny, B>, B> {
    let held = Arc::clone(alive);
    Function::new("marker", move || Arc::strong_count(&held)).build(py)
}

/// Collects until `alive` has no other owner (see [`collect_until`]); returns how many owners
/// are left.
fn collect_until_freed<B: Backend>(py: Python<'_, B>, alive: &Arc<()>) -> PyResult<usize, B> {
    collect_until(py, || Arc::strong_count(alive) == 1)?;
    Ok(Arc::strong_count(alive))
}

/// A list that contains itself is freed by the collector, with what it holds.
pub fn gc_frees_a_list_that_contains_itself<B: Backend>() {
    let alive = Arc::new(());
    with_py::<B>(|py| {
        let list = PyList::new(py, [marker(py, &alive)?])?;
        list.append(&list)?;
        drop(list);
        assert_eq!(
            collect_until_freed(py, &alive)?,
            1,
            "the cycle was not freed"
        );
        Ok(())
    });
}

/// Two dicts that hold each other are freed by the collector.
pub fn gc_frees_a_dict_cycle<B: Backend>() {
    let alive = Arc::new(());
    with_py::<B>(|py| {
        let first = PyDict::new(py)?;
        let second = PyDict::new(py)?;
        first.set_item("other", &second)?;
        second.set_item("other", &first)?;
        second.set_item("marker", marker(py, &alive)?)?;
        drop((first, second));
        assert_eq!(
            collect_until_freed(py, &alive)?,
            1,
            "the cycle was not freed"
        );
        Ok(())
    });
}

/// A cycle still held from Rust, directly or through a container, is left intact; once let
/// go of, the next collection frees it.
pub fn gc_leaves_reachable_cycles_alone<B: Backend>() {
    let alive = Arc::new(());
    with_py::<B>(|py| {
        let cycle = PyList::new(py, [marker(py, &alive)?])?;
        cycle.append(&cycle)?;
        let holder = PyDict::new(py)?;
        holder.set_item("cycle", &cycle)?;
        drop(cycle);
        py.collect_garbage()?;
        assert_eq!(Arc::strong_count(&alive), 2, "a reachable cycle was freed");
        let cycle = holder.get_item("cycle")?.expect("still there");
        assert_eq!(cycle.len()?, 2);
        let marker = cycle.get_item(0)?;
        assert_eq!(marker.call0()?.extract::<usize>()?, 2);
        drop((marker, cycle));
        drop(holder);
        assert_eq!(
            collect_until_freed(py, &alive)?,
            1,
            "the released cycle was not freed"
        );
        Ok(())
    });
}

#[doc(hidden)]
#[macro_export]
macro_rules! __suite_gc {
    ($backend:ty, $harness:expr) => {
        $crate::__conformance_emit!($backend, $harness;
            gc::gc_frees_a_list_that_contains_itself,
            gc::gc_frees_a_dict_cycle,
            gc::gc_leaves_reachable_cycles_alone,
        );
    };
}
