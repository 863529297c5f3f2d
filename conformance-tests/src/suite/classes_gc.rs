//! Garbage collection of class instances: a reference cycle through Rust values (instance to
//! instance, or through a list) is found by the collector through the class's traverse and
//! broken through its clear; each value is dropped once. On PyPy (7.3.11) cpyext does not
//! collect such cycles: measured here and documented (the test breaks them by hand there).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use anypy::types::{PyAny, PyList};
use anypy::{
    Backend, Bound, ClassBuilder, Py, PyClass, PyResult, PyTraverseError, PyVisit, Python,
};

use crate::support::{collect_until, with_py};

/// A node that may hold one other object.
struct Node<B: Backend> {
    next: Option<Py<PyAny, B>>,
    drops: Arc<AtomicUsize>,
}

impl<B: Backend> Drop for Node<B> {
    fn drop(&mut self) {
        self.drops.fetch_add(1, Ordering::SeqCst);
    }
}

impl<B: Backend> PyClass<B> for Node<B> {
    const NAME: &'static str = "Node";

    fn define(class: &mut ClassBuilder<'_, Self, B>) -> PyResult<(), B> {
        class
            .garbage_collected()?
            .method("has_next", |this: &Self| this.next.is_some())?;
        Ok(())
    }

    fn traverse(&self, visit: &mut PyVisit<'_, B>) -> Result<(), PyTraverseError> {
        visit.call_opt(self.next.as_ref())
    }

    fn clear(&mut self) {
        self.next = None;
    }
}

fn node<'py, B: Backend>(
    py: Python<'py, B>,
    drops: &Arc<AtomicUsize>,
) -> PyResult<Bound<'py, Node<B>, B>, B> {
    Bound::new(
        py,
        Node {
            next: None,
            drops: Arc::clone(drops),
        },
    )
}

/// Whether this backend's collector frees cycles through instances (not PyPy's cpyext).
fn collects_instance_cycles<B: Backend>() -> bool {
    B::NAME != "pypy"
}

/// Two instances holding each other are freed by the collector, each value dropped once.
pub fn class_instance_cycle_is_collected<B: Backend>() {
    let drops = Arc::new(AtomicUsize::new(0));
    with_py::<B>(|py| {
        let first = node(py, &drops)?;
        let second = node(py, &drops)?;
        first.borrow_mut().next = Some(second.clone().into_any().unbind());
        second.borrow_mut().next = Some(first.clone().into_any().unbind());
        assert!(first.as_any().call_method0("has_next")?.extract::<bool>()?);
        let keep = (!collects_instance_cycles::<B>()).then(|| first.clone());
        drop((first, second));
        py.collect_garbage()?;
        if let Some(first) = keep {
            assert_eq!(drops.load(Ordering::SeqCst), 0, "PyPy keeps the cycle");
            first.borrow_mut().next = None;
        }
        collect_until(py, || drops.load(Ordering::SeqCst) == 2)?;
        assert_eq!(drops.load(Ordering::SeqCst), 2);
        Ok(())
    });
}

/// A cycle through a list (instance → list → instance) is collected too; a cycle still held
/// from Rust is not.
pub fn class_cycle_through_a_list_is_collected<B: Backend>() {
    let drops = Arc::new(AtomicUsize::new(0));
    with_py::<B>(|py| {
        let node = node(py, &drops)?;
        let list: Bound<'_, PyList, B> = PyList::new(py, [&node])?;
        node.borrow_mut().next = Some(list.clone().into_any().unbind());
        drop(list);
        py.collect_garbage()?;
        assert_eq!(drops.load(Ordering::SeqCst), 0, "still held from Rust");
        assert!(node.as_any().call_method0("has_next")?.extract::<bool>()?);
        let keep = (!collects_instance_cycles::<B>()).then(|| node.clone());
        drop(node);
        py.collect_garbage()?;
        if let Some(node) = keep {
            assert_eq!(drops.load(Ordering::SeqCst), 0, "PyPy keeps the cycle");
            node.borrow_mut().next = None;
        }
        collect_until(py, || drops.load(Ordering::SeqCst) == 1)?;
        assert_eq!(drops.load(Ordering::SeqCst), 1);
        Ok(())
    });
}

/// The collector leaves an instance alone while its value is borrowed mutably, and collects
/// it later.
pub fn class_borrowed_instance_survives_collection<B: Backend>() {
    let drops = Arc::new(AtomicUsize::new(0));
    with_py::<B>(|py| {
        let node = node(py, &drops)?;
        let any: Bound<'_, PyAny, B> = node.clone().into_any();
        node.borrow_mut().next = Some(any.unbind());
        {
            let mut exclusive = node.borrow_mut();
            py.collect_garbage()?;
            assert!(exclusive.next.is_some());
            exclusive.next = None;
        }
        py.collect_garbage()?;
        assert_eq!(drops.load(Ordering::SeqCst), 0, "held from Rust");
        drop(node);
        collect_until(py, || drops.load(Ordering::SeqCst) == 1)?;
        assert_eq!(drops.load(Ordering::SeqCst), 1);
        Ok(())
    });
}

#[doc(hidden)]
#[macro_export]
macro_rules! __suite_classes_gc {
    ($backend:ty, $harness:expr) => {
        $crate::__conformance_emit!($backend, $harness;
            classes_gc::class_instance_cycle_is_collected,
            classes_gc::class_cycle_through_a_list_is_collected,
            classes_gc::class_borrowed_instance_survives_collection,
        );
    };
}
