//! Objects the interpreter shares — `None`, the booleans, small ints, cached strings (immortal
//! from CPython 3.12 on): any number of anypy handles made and dropped leaves them alive, usable
//! and with the count they had. While handles are held the count is either unchanged (an
//! immortal object) or up by exactly one per handle to that object.

use std::thread;

use anypy::types::{PyAny, PyBool, PyInt, PyStr};
use anypy::{Backend, Bound, IntoPyObject, Py, PyResult, Python};

use crate::support::with_py;

/// Handles made per round, and rounds.
const HANDLES: usize = 1_000;
const ROUNDS: usize = 20;

/// Makes `HANDLES` clones of `shared` and `HANDLES` new handles from `make` (which may or may not
/// return `shared` itself, depending on the backend's caching), checks the count while they are
/// held, drops them, and checks it is back; `ROUNDS` times.
fn survives_handles<'py, B: Backend>(
    shared: &Bound<'py, PyAny, B>,
    mut make: impl FnMut() -> PyResult<Bound<'py, PyAny, B>, B>,
) -> PyResult<(), B> {
    let before = shared.get_refcnt();
    for _ in 0..ROUNDS {
        let clones: Vec<_> = (0..HANDLES).map(|_| shared.clone()).collect();
        let made = (0..HANDLES)
            .map(|_| make())
            .collect::<PyResult<Vec<_>, B>>()?;
        let same = made.iter().filter(|handle| handle.is(shared)).count();
        let held = shared.get_refcnt();
        assert!(
            held == before || held == before + (clones.len() + same) as isize,
            "{} handles to an object with {before} references: count {held}, expected {before} \
             (immortal) or {}",
            clones.len() + same,
            before + (clones.len() + same) as isize
        );
        drop(clones);
        drop(made);
        assert_eq!(
            shared.get_refcnt(),
            before,
            "count not back after dropping every handle"
        );
    }
    Ok(())
}

/// `None` and the booleans.
pub fn none_and_bools_survive_any_number_of_handles<B: Backend>() {
    with_py::<B>(|py| {
        let none = py.none().into_any();
        survives_handles(&none, || Ok(py.none().into_any()))?;
        assert!(none.is_none());
        for value in [true, false] {
            let shared = PyBool::new(py, value).into_any();
            survives_handles(&shared, || value.into_pyobject(py))?;
            assert_eq!(shared.extract::<bool>()?, value);
        }
        Ok(())
    })
}

/// Small ints (CPython caches -5..=256).
pub fn small_ints_survive_any_number_of_handles<B: Backend>() {
    with_py::<B>(|py| {
        for value in [-5, 0, 1, 7, 256] {
            let shared = PyInt::new(py, value)?.into_any();
            survives_handles(&shared, || Ok(PyInt::new(py, value)?.into_any()))?;
            assert_eq!(shared.extract::<i64>()?, value);
        }
        Ok(())
    })
}

/// Cached strings: the empty string and one-character Latin-1 strings (interned singletons on
/// CPython, immortal from 3.12).
pub fn cached_strings_survive_any_number_of_handles<B: Backend>() {
    with_py::<B>(|py| {
        for value in ["", "a", "Z"] {
            let shared = PyStr::new(py, value)?.into_any();
            survives_handles(&shared, || Ok(PyStr::new(py, value)?.into_any()))?;
            assert_eq!(shared.extract::<String>()?, value);
        }
        Ok(())
    })
}

/// `Py` handles to `None` dropped on a thread without the GIL go through the release queue and
/// leave it alive; if it is immortal (its count did not move while the handles were held), its
/// count is exactly what it was. (A mortal `None`'s count is not compared across GIL scopes:
/// tests on other threads hold and drop it meanwhile.)
pub fn shared_objects_survive_queued_releases<B: Backend>() {
    let (none, before, handles) = Python::<B>::with_gil(|py| {
        let none = py.none().into_any().unbind();
        let before = none.get_refcnt(py);
        let handles: Vec<Py<PyAny, B>> = (0..HANDLES).map(|_| none.clone_ref(py)).collect();
        (none, before, handles)
    });
    let immortal = Python::<B>::with_gil(|py| none.get_refcnt(py) == before);
    thread::spawn(move || drop(handles)).join().unwrap();
    Python::<B>::with_gil(move |py| {
        assert!(none.bind(py).is_none());
        if immortal {
            assert_eq!(none.get_refcnt(py), before);
        }
        drop(none);
    });
}

#[doc(hidden)]
#[macro_export]
macro_rules! __suite_shared_objects {
    ($backend:ty, $harness:expr) => {
        $crate::__conformance_emit!($backend, $harness;
            shared_objects::none_and_bools_survive_any_number_of_handles,
            shared_objects::small_ints_survive_any_number_of_handles,
            shared_objects::cached_strings_survive_any_number_of_handles,
            shared_objects::shared_objects_survive_queued_releases,
        );
    };
}
