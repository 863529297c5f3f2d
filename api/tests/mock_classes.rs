//! Rust classes on the mock: every misuse check applies to instances — a leaked instance is
//! reported with its class and where it was made, a payload pointer kept past its instance is
//! `use after free`, a field the class's traverse forgets leaves its cycle `leaked` — and a
//! failed instance creation drops the value and leaks nothing.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use anypy::types::PyAny;
use anypy::{
    Backend, Bound, ClassBuilder, ClassPayload, ExceptionKind, Py, PyClass, PyResult,
    PyTraverseError, PyVisit, Python,
};
use anypy_mock::Mock;

mod support;
use support::panic_message;

struct Sensor {
    reading: f64,
    drops: Arc<AtomicUsize>,
}

impl Drop for Sensor {
    fn drop(&mut self) {
        self.drops.fetch_add(1, Ordering::SeqCst);
    }
}

impl<B: Backend> PyClass<B> for Sensor {
    const NAME: &'static str = "Sensor";
    const MODULE: &'static str = "lab";

    fn define(class: &mut ClassBuilder<'_, Self, B>) -> PyResult<(), B> {
        class.method("read", |this: &Sensor| this.reading)?;
        Ok(())
    }
}

fn sensor(drops: &Arc<AtomicUsize>) -> Sensor {
    Sensor {
        reading: 1.5,
        drops: Arc::clone(drops),
    }
}

#[test]
fn a_leaked_instance_names_its_class_and_where_it_was_made() {
    let drops = Arc::new(AtomicUsize::new(0));
    let message = panic_message(|| {
        Python::<Mock>::with_gil(|py| {
            std::mem::forget(Bound::new(py, sensor(&drops)).unwrap());
        });
    });
    assert!(message.starts_with("leaked:"), "{message}");
    assert!(message.contains("1 Sensor:"), "names the class: {message}");
    assert!(message.contains("<lab.Sensor object at"), "{message}");
    assert!(message.contains("mock_classes.rs"), "says where: {message}");
    assert_eq!(
        drops.load(Ordering::SeqCst),
        0,
        "a leaked value is never dropped"
    );
}

#[test]
fn a_payload_pointer_kept_past_its_instance_is_use_after_free() {
    let drops = Arc::new(AtomicUsize::new(0));
    let message = panic_message(|| {
        Python::<Mock>::with_gil(|py| {
            let instance = Bound::new(py, sensor(&drops)).unwrap();
            let raw = instance.as_ptr();
            drop(instance);
            // SAFETY: not sound on purpose — the instance was freed.
            unsafe { <Mock as Backend>::instance_payload::<ClassPayload<Sensor, Mock>>(raw) };
        });
    });
    assert!(message.starts_with("use after free"), "{message}");
    assert!(message.contains("Sensor"), "{message}");
    assert_eq!(drops.load(Ordering::SeqCst), 1);
}

#[test]
fn a_failed_instance_creation_drops_the_value_and_leaks_nothing() {
    let drops = Arc::new(AtomicUsize::new(0));
    Mock::leak_check(|| {
        Python::<Mock>::with_gil(|py| {
            // The class object is made once per process: make it before counting.
            <Sensor as PyClass<Mock>>::type_object(py).unwrap();
            let start = Mock::allocations();
            drop(Bound::new(py, sensor(&drops)).unwrap());
            assert_eq!(
                Mock::allocations() - start,
                1,
                "one allocation: the instance"
            );
            let _fault = Mock::fail_allocation(1, ExceptionKind::MemoryError);
            let err = Bound::new(py, sensor(&drops)).map(drop).unwrap_err();
            assert!(err.matches(py, ExceptionKind::MemoryError), "{err}");
        });
    });
    assert_eq!(drops.load(Ordering::SeqCst), 2, "each value dropped once");
}

#[test]
fn a_method_call_keeps_every_count_balanced() {
    Mock::leak_check(|| {
        Python::<Mock>::with_gil(|py| {
            let drops = Arc::new(AtomicUsize::new(0));
            let instance = Bound::new(py, sensor(&drops)).unwrap();
            let before = instance.get_refcnt();
            let method = instance.as_any().getattr("read").unwrap();
            assert_eq!(
                instance.get_refcnt(),
                before + 1,
                "the bound method holds it"
            );
            assert_eq!(method.call0().unwrap().extract::<f64>().unwrap(), 1.5);
            drop(method);
            assert_eq!(instance.get_refcnt(), before);
        });
    });
}

/// A class that holds two handles but reports only one to the collector.
struct Forgetful<B: Backend> {
    reported: Option<Py<PyAny, B>>,
    forgotten: Option<Py<PyAny, B>>,
}

impl<B: Backend> PyClass<B> for Forgetful<B> {
    const NAME: &'static str = "Forgetful";

    fn define(class: &mut ClassBuilder<'_, Self, B>) -> PyResult<(), B> {
        class.garbage_collected()?;
        Ok(())
    }

    fn traverse(&self, visit: &mut PyVisit<'_, B>) -> Result<(), PyTraverseError> {
        visit.call_opt(self.reported.as_ref())
    }

    fn clear(&mut self) {
        self.reported = None;
        self.forgotten = None;
    }
}

fn forgetful_cycle(py: Python<'_, Mock>, through_reported: bool) {
    let node = Bound::new(
        py,
        Forgetful {
            reported: None,
            forgotten: None,
        },
    )
    .unwrap();
    let itself = Some(node.clone().into_any().unbind());
    if through_reported {
        node.borrow_mut().reported = itself;
    } else {
        node.borrow_mut().forgotten = itself;
    }
    drop(node);
    py.collect_garbage().unwrap();
}

#[test]
fn a_cycle_through_a_reported_field_is_collected() {
    Mock::leak_check(|| Python::<Mock>::with_gil(|py| forgetful_cycle(py, true)));
}

#[test]
fn a_field_the_traverse_forgets_is_reported_as_leaked() {
    let message = panic_message(|| Python::<Mock>::with_gil(|py| forgetful_cycle(py, false)));
    assert!(message.starts_with("leaked:"), "{message}");
    assert!(message.contains("1 Forgetful:"), "{message}");
}
