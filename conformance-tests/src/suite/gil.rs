//! The GIL token and the release queue: re-entrant `with_gil`, `allow_threads` with real
//! threads, and `Py` handles dropped without the GIL, released at the next acquisition.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::thread;
use std::time::Duration;

use anypy::types::{PyDict, PyList};
use anypy::{Backend, Py, Python};

use crate::support::with_py;

/// How long a test waits for another thread before it calls the GIL stuck.
const PATIENCE: Duration = Duration::from_secs(20);

/// A fresh list kept by the caller, and a second `Py` to the same object to give away.
fn list_and_extra_handle<B: Backend>(py: Python<'_, B>) -> (Py<PyList, B>, Py<PyList, B>) {
    let list = PyList::empty(py).unwrap().unbind();
    let extra = list.clone_ref(py);
    (list, extra)
}

/// `with_gil` returns the closure's value, and nests.
pub fn with_gil_nests_and_returns<B: Backend>() {
    let total = Python::<B>::with_gil(|outer| {
        let inner_value = Python::<B>::with_gil(|inner| {
            let list = PyList::new(inner, [1, 2, 3]).unwrap();
            list.len()
        });
        let dict = PyDict::new(outer).unwrap();
        dict.set_item("n", inner_value).unwrap();
        dict.get_item("n")
            .unwrap()
            .unwrap()
            .extract::<usize>()
            .unwrap()
    });
    assert_eq!(total, 3);
}

/// `try_with_gil` reports success as `Ok` on a working backend.
pub fn try_with_gil_succeeds<B: Backend>() {
    let value = Python::<B>::try_with_gil(|py| PyList::new(py, [7]).unwrap().len());
    assert_eq!(value, Ok(1));
}

/// `allow_threads` runs the closure and hands its value back, holding the GIL again after.
pub fn allow_threads_returns_the_value<B: Backend>() {
    with_py::<B>(|py| {
        let sum = py.allow_threads(|| (1..=100u64).sum::<u64>());
        assert_eq!(sum, 5050);
        let list = PyList::new(py, [sum])?;
        assert_eq!(list.get_item(0)?.extract::<u64>()?, 5050);
        Ok(())
    })
}

/// While one thread is inside `allow_threads`, another thread really takes the GIL.
pub fn allow_threads_lets_another_thread_in<B: Backend>() {
    Python::<B>::with_gil(|py| {
        let (done_tx, done_rx) = mpsc::channel();
        py.allow_threads(move || {
            let worker = thread::spawn(move || {
                let length = Python::<B>::with_gil(|py| PyList::new(py, ["x", "y"]).unwrap().len());
                done_tx.send(length).unwrap();
            });
            let length = done_rx
                .recv_timeout(PATIENCE)
                .expect("the other thread could not take the GIL during allow_threads");
            worker.join().unwrap();
            assert_eq!(length, 2);
        });
        assert_eq!(PyList::new(py, [1]).unwrap().len(), 1);
    });
}

/// A panic inside `allow_threads` still gives the GIL back to this thread.
pub fn allow_threads_recovers_from_panic<B: Backend>() {
    with_py::<B>(|py| {
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            py.allow_threads(|| panic!("inside allow_threads"))
        }));
        assert!(outcome.is_err());
        let dict = PyDict::new(py)?;
        dict.set_item("still", "usable")?;
        assert_eq!(dict.len(), 1);
        Ok(())
    })
}

/// `with_gil` works again inside `allow_threads` (re-acquisition on the same thread).
pub fn with_gil_inside_allow_threads<B: Backend>() {
    with_py::<B>(|py| {
        let length =
            py.allow_threads(|| Python::<B>::with_gil(|py| PyList::new(py, [1, 2]).unwrap().len()));
        assert_eq!(length, 2);
        Ok(())
    })
}

/// Two threads never hold the GIL at once.
pub fn gil_excludes_other_threads<B: Backend>() {
    let inside = Arc::new(AtomicBool::new(false));
    let overlaps = Arc::new(AtomicUsize::new(0));
    let workers: Vec<_> = (0..2)
        .map(|_| {
            let (inside, overlaps) = (inside.clone(), overlaps.clone());
            thread::spawn(move || {
                for _ in 0..200 {
                    Python::<B>::with_gil(|py| {
                        if inside.swap(true, Ordering::SeqCst) {
                            overlaps.fetch_add(1, Ordering::SeqCst);
                        }
                        let list = PyList::new(py, [1, 2, 3]).unwrap();
                        thread::yield_now();
                        assert_eq!(list.len(), 3);
                        inside.store(false, Ordering::SeqCst);
                    });
                }
            })
        })
        .collect();
    workers
        .into_iter()
        .for_each(|worker| worker.join().unwrap());
    assert_eq!(overlaps.load(Ordering::SeqCst), 0);
}

/// A `Py` dropped on a thread without the GIL is queued, not released, until the next
/// acquisition.
pub fn py_dropped_off_thread_waits_in_the_queue<B: Backend>() {
    Python::<B>::with_gil(|py| {
        let (list, extra) = list_and_extra_handle(py);
        let before = list.get_refcnt(py);
        // This thread holds the GIL throughout, so nobody can drain the queue meanwhile.
        thread::spawn(move || drop(extra)).join().unwrap();
        assert_eq!(list.get_refcnt(py), before, "released without the GIL");
        assert!(Python::<B>::pending_releases() >= 1);
        drop(list);
    });
    // The next acquisition releases the queued reference (and frees the list).
    Python::<B>::with_gil(|_py| ());
}

/// The queued release happens at the next `with_gil`.
pub fn queued_release_happens_at_next_with_gil<B: Backend>() {
    let (list, extra) = Python::<B>::with_gil(|py| list_and_extra_handle::<B>(py));
    let before = Python::<B>::with_gil(|py| list.get_refcnt(py));
    thread::spawn(move || drop(extra)).join().unwrap();
    let after = Python::<B>::with_gil(|py| list.get_refcnt(py));
    assert_eq!(after, before - 1);
    Python::<B>::with_gil(|_py| drop(list));
}

/// A `Py` dropped inside `allow_threads` on the same thread is queued, then released when
/// `allow_threads` takes the GIL back.
pub fn py_dropped_in_allow_threads_is_released_after<B: Backend>() {
    with_py::<B>(|py| {
        let (list, extra) = list_and_extra_handle(py);
        let before = list.get_refcnt(py);
        py.allow_threads(move || drop(extra));
        assert_eq!(list.get_refcnt(py), before - 1);
        Ok(())
    })
}

/// Many threads dropping many handles without the GIL: every reference comes back exactly.
pub fn concurrent_off_thread_drops_balance<B: Backend>() {
    const THREADS: usize = 4;
    const PER_THREAD: usize = 500;
    let (list, batches) = Python::<B>::with_gil(|py| {
        let list = PyList::empty(py).unwrap().unbind();
        let batches: Vec<Vec<Py<PyList, B>>> = (0..THREADS)
            .map(|_| (0..PER_THREAD).map(|_| list.clone_ref(py)).collect())
            .collect();
        (list, batches)
    });
    let before = Python::<B>::with_gil(|py| list.get_refcnt(py));
    let droppers: Vec<_> = batches
        .into_iter()
        .map(|batch| thread::spawn(move || drop(batch)))
        .collect();
    let taker = thread::spawn(|| {
        for _ in 0..50 {
            Python::<B>::with_gil(|py| drop(PyList::empty(py).unwrap()));
        }
    });
    droppers
        .into_iter()
        .for_each(|dropper| dropper.join().unwrap());
    taker.join().unwrap();
    let after = Python::<B>::with_gil(|py| list.get_refcnt(py));
    assert_eq!(after, before - (THREADS * PER_THREAD) as isize);
    Python::<B>::with_gil(|_py| drop(list));
}

/// Stress: several threads each drop thousands of `Py` handles, one by one and without the
/// GIL, while another thread keeps taking and releasing it (draining as it goes). Afterwards
/// every object's refcount is exactly what it was before the handles were made.
pub fn release_queue_stress<B: Backend>() {
    const THREADS: usize = 4;
    const PER_THREAD: usize = 5_000;
    const TARGETS: usize = 8;
    let (targets, baseline, batches) = Python::<B>::with_gil(|py| {
        let targets: Vec<Py<PyList, B>> = (0..TARGETS)
            .map(|_| PyList::empty(py).unwrap().unbind())
            .collect();
        let baseline: Vec<isize> = targets.iter().map(|t| t.get_refcnt(py)).collect();
        let batches: Vec<Vec<Py<PyList, B>>> = (0..THREADS)
            .map(|thread| {
                (0..PER_THREAD)
                    .map(|i| targets[(thread + i) % TARGETS].clone_ref(py))
                    .collect()
            })
            .collect();
        (targets, baseline, batches)
    });
    let raised = Python::<B>::with_gil(|py| targets[0].get_refcnt(py));
    assert_eq!(
        raised,
        baseline[0] + (THREADS * PER_THREAD / TARGETS) as isize
    );

    let droppers_done = Arc::new(AtomicUsize::new(0));
    let acquisitions = Arc::new(AtomicUsize::new(0));
    let taker = {
        let (done, acquisitions) = (droppers_done.clone(), acquisitions.clone());
        thread::spawn(move || {
            while done.load(Ordering::Acquire) < THREADS {
                Python::<B>::with_gil(|py| drop(PyList::empty(py).unwrap()));
                acquisitions.fetch_add(1, Ordering::Relaxed);
                thread::yield_now();
            }
        })
    };
    let droppers: Vec<_> = batches
        .into_iter()
        .map(|batch| {
            let (done, acquisitions) = (droppers_done.clone(), acquisitions.clone());
            thread::spawn(move || {
                // Start once the taker holds the GIL in turn: on a busy machine the droppers
                // could otherwise all finish before it ever ran, and nothing would overlap.
                while acquisitions.load(Ordering::Relaxed) == 0 {
                    thread::yield_now();
                }
                for (i, handle) in batch.into_iter().enumerate() {
                    drop(handle);
                    if i % 64 == 0 {
                        thread::yield_now();
                    }
                }
                done.fetch_add(1, Ordering::Release);
            })
        })
        .collect();
    droppers
        .into_iter()
        .for_each(|dropper| dropper.join().unwrap());
    taker.join().unwrap();

    let after = Python::<B>::with_gil(|py| {
        assert_eq!(Python::<B>::pending_releases(), 0);
        targets.iter().map(|t| t.get_refcnt(py)).collect::<Vec<_>>()
    });
    assert_eq!(after, baseline);
    Python::<B>::with_gil(|_py| drop(targets));
}

/// A `Py` kept in a shared static-like place survives between GIL scopes and threads.
pub fn py_in_shared_state_across_threads<B: Backend>() {
    let shared: Arc<Mutex<Option<Py<PyDict, B>>>> = Arc::new(Mutex::new(None));
    Python::<B>::with_gil(|py| {
        let dict = PyDict::new(py).unwrap();
        dict.set_item("hits", 0).unwrap();
        *shared.lock().unwrap() = Some(dict.unbind());
    });
    let workers: Vec<_> = (0..3)
        .map(|_| {
            let shared = shared.clone();
            thread::spawn(move || {
                Python::<B>::with_gil(|py| {
                    let guard = shared.lock().unwrap();
                    let dict = guard.as_ref().unwrap().bind(py);
                    let hits: i64 = dict.get_item("hits").unwrap().unwrap().extract().unwrap();
                    dict.set_item("hits", hits + 1).unwrap();
                })
            })
        })
        .collect();
    workers
        .into_iter()
        .for_each(|worker| worker.join().unwrap());
    Python::<B>::with_gil(|py| {
        let dict = shared.lock().unwrap().take().unwrap();
        let hits: i64 = dict
            .bind(py)
            .get_item("hits")
            .unwrap()
            .unwrap()
            .extract()
            .unwrap();
        assert_eq!(hits, 3);
    });
}

/// Nested `with_gil` in a thread that already holds the GIL does not block.
pub fn nested_with_gil_on_other_thread<B: Backend>() {
    let (tx, rx) = mpsc::channel();
    let worker = thread::spawn(move || {
        let depth = Python::<B>::with_gil(|_| {
            Python::<B>::with_gil(|_| {
                Python::<B>::with_gil(|py| PyList::new(py, [1, 2, 3]).unwrap().len())
            })
        });
        tx.send(depth).unwrap();
    });
    assert_eq!(
        rx.recv_timeout(PATIENCE).expect("nested with_gil blocked"),
        3
    );
    worker.join().unwrap();
}

/// A panic inside `with_gil` releases the GIL: another thread can take it afterwards.
pub fn panic_inside_with_gil_releases_it<B: Backend>() {
    let outcome = thread::spawn(|| {
        Python::<B>::with_gil(|py| {
            let _list = PyList::empty(py).unwrap();
            panic!("inside with_gil");
        })
    })
    .join();
    assert!(outcome.is_err());
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        tx.send(Python::<B>::with_gil(|py| {
            PyList::new(py, [1]).unwrap().len()
        }))
        .unwrap()
    });
    assert_eq!(
        rx.recv_timeout(PATIENCE)
            .expect("GIL still held after a panic"),
        1
    );
}

#[doc(hidden)]
#[macro_export]
macro_rules! __suite_gil {
    ($backend:ty, $harness:expr) => {
        $crate::__conformance_emit!($backend, $harness;
            gil::with_gil_nests_and_returns,
            gil::try_with_gil_succeeds,
            gil::allow_threads_returns_the_value,
            gil::allow_threads_lets_another_thread_in,
            gil::allow_threads_recovers_from_panic,
            gil::with_gil_inside_allow_threads,
            gil::gil_excludes_other_threads,
            gil::py_dropped_off_thread_waits_in_the_queue,
            gil::queued_release_happens_at_next_with_gil,
            gil::py_dropped_in_allow_threads_is_released_after,
            gil::concurrent_off_thread_drops_balance,
            gil::release_queue_stress,
            gil::py_in_shared_state_across_threads,
            gil::nested_with_gil_on_other_thread,
            gil::panic_inside_with_gil_releases_it,
        );
    };
}
