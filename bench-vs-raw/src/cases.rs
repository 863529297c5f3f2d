//! The eight cases, each once as `raw` C-API calls and once through anypy.
//!
//! A case times `iters` iterations of one side and returns the time they took; setup a side
//! needs per iteration (a fresh list, a batch of handles) happens outside the timing. The same
//! functions serve criterion (`iter_custom`) and the paired measurement.

use std::hint::black_box;
use std::ptr;
use std::time::{Duration, Instant};

use anypy::types::{PyAny, PyList, PyModule};
use anypy::{Bound, Function, IntoPyObject, Py, Python, RawPtr};
use anypy_capi::layout::{incref, tuple_slot};
use anypy_capi::{CApi, CApiFunctions, PyMethodDef, PyObject, METH_FASTCALL};

use crate::{Backend, Interpreter};

/// Python ints above 256 are not cached: creating one allocates.
const FIRST_UNCACHED_INT: i64 = 1_000_000;
/// Appends per list in case 4 (a fresh list each time).
const APPENDS: u64 = 1000;
/// `Py` handles dropped without the GIL per batch in case 6 (fits one thread's release ring).
const DEFERRED: u64 = 1000;
/// Calls into the native function per run of the Python loop in case 8.
const PYTHON_LOOP_CALLS: u64 = 1000;

/// The Python side of cases 7 and 8, imported as a module (PyPy's `builtins.exec` runs on the
/// calling Python frame and crashes when called from Rust with none; importing works on both).
const PYTHON_CODE: &str = "\
def identity(x):
    return x

def call_in_loop(f):
    for i in range(1000):
        f(i, 1)
";

/// One case: both sides, timed.
pub trait Case {
    /// Runs `iters` iterations of the raw C-API side; the time they took.
    fn raw(&mut self, iters: u64) -> Duration;
    /// Runs `iters` iterations of the anypy side; the time they took.
    fn anypy(&mut self, iters: u64) -> Duration;
}

/// What a case is judged by.
#[derive(Clone, Copy, Debug)]
pub enum Goal {
    /// anypy's time per operation over raw's at most this.
    Ratio(f64),
    /// anypy's time per operation at most this many nanoseconds.
    AnypyNs(f64),
}

/// A case's description and constructor.
pub struct Spec<I: Interpreter> {
    /// Criterion group suffix: `3-tuple3-create-drop`.
    pub id: &'static str,
    /// Row label of the table.
    pub label: &'static str,
    /// Operations per iteration (the table is per operation).
    pub elements: u64,
    /// The target.
    pub goal: Goal,
    /// Sets the case up (objects it reuses) with the GIL held.
    pub make: for<'py> fn(Python<'py, Backend<I>>) -> Box<dyn Case + 'py>,
}

/// All eight cases, in table order.
pub fn all<I: Interpreter>() -> Vec<Spec<I>> {
    const RATIO: Goal = Goal::Ratio(1.05);
    vec![
        Spec {
            id: "1-int-create-drop",
            label: "1 int create+drop",
            elements: 1,
            goal: RATIO,
            make: |py| {
                Box::new(IntCreateDrop::<I> {
                    py,
                    raw_n: FIRST_UNCACHED_INT,
                    anypy_n: FIRST_UNCACHED_INT,
                })
            },
        },
        Spec {
            id: "2-dict-create-drop",
            label: "2 empty dict create+drop",
            elements: 1,
            goal: RATIO,
            make: |py| Box::new(DictCreateDrop::<I> { py }),
        },
        Spec {
            id: "3-tuple3-create-drop",
            label: "3 3-tuple of new ints create+drop",
            elements: 1,
            goal: RATIO,
            make: |py| {
                Box::new(TupleCreateDrop::<I> {
                    py,
                    raw_n: FIRST_UNCACHED_INT,
                    anypy_n: FIRST_UNCACHED_INT,
                })
            },
        },
        Spec {
            id: "4-list-append",
            label: "4 list append (per append)",
            elements: APPENDS,
            goal: RATIO,
            make: |py| {
                Box::new(ListAppend::<I> {
                    item: int(py, FIRST_UNCACHED_INT),
                })
            },
        },
        Spec {
            id: "5-py-clone-drop",
            label: "5 Py clone+drop, GIL held",
            elements: 1,
            goal: RATIO,
            make: |py| {
                Box::new(PyCloneDrop::<I> {
                    py,
                    object: int(py, FIRST_UNCACHED_INT).unbind(),
                })
            },
        },
        Spec {
            id: "6-py-drop-without-gil",
            label: "6 Py drop w/o GIL + drain (per object)",
            elements: DEFERRED,
            goal: Goal::AnypyNs(8.0),
            make: |py| {
                Box::new(PyDropWithoutGil::<I> {
                    py,
                    objects: (0..DEFERRED as i64)
                        .map(|n| int(py, FIRST_UNCACHED_INT + n))
                        .collect(),
                })
            },
        },
        Spec {
            id: "7-call-python-1-arg",
            label: "7 call Python f(x)",
            elements: 1,
            goal: RATIO,
            make: |py| {
                Box::new(CallPython::<I> {
                    identity: python_code(py).getattr("identity").unwrap(),
                    arg: int(py, FIRST_UNCACHED_INT),
                })
            },
        },
        Spec {
            id: "8-native-2-args-from-python",
            label: "8 Python calls native f(a, b) (per call)",
            elements: PYTHON_LOOP_CALLS,
            goal: RATIO,
            make: |py| Box::new(CallNative::<I>::new(py)),
        },
    ]
}

/// A new `int` object.
fn int<B: anypy::Backend>(py: Python<'_, B>, value: i64) -> Bound<'_, PyAny, B> {
    value.into_pyobject(py).unwrap()
}

/// The pointer a raw C-API call takes.
fn raw(obj: RawPtr) -> *mut PyObject {
    obj.as_ptr().cast()
}

/// Where a raw C-API call returned `NULL`: the benchmark cannot go on.
#[cold]
#[inline(never)]
fn failed(what: &str) -> ! {
    panic!("{what} failed")
}

/// `Py_DECREF` as CPython 3.11's and PyPy 7.3's headers inline it: decrement, deallocate at
/// zero (anypy's own decref may do more: the PyPy release counter).
///
/// # Safety
/// GIL held; the caller owns the reference it gives up.
#[inline(always)]
unsafe fn header_decref<A: CApi>(obj: *mut PyObject) {
    // SAFETY: the GIL serializes refcount updates; the caller owns one reference.
    unsafe {
        (*obj).ob_refcnt -= 1;
        if (*obj).ob_refcnt == 0 {
            A::_Py_Dealloc(obj);
        }
    }
}

/// Times `iters` runs of `body`.
#[inline(always)]
fn timed(iters: u64, mut body: impl FnMut()) -> Duration {
    let start = Instant::now();
    for _ in 0..iters {
        body();
    }
    start.elapsed()
}

/// Times `iters` runs of `body`, each given the next value of `counter` (through `black_box`):
/// values never repeat, so no int comes from a cache.
#[inline(always)]
fn timed_counting(counter: &mut i64, iters: u64, mut body: impl FnMut(i64)) -> Duration {
    let mut n = *counter;
    let time = timed(iters, || {
        n += 1;
        body(black_box(n));
    });
    *counter = n;
    time
}

/// Case 1: create and drop an `int` (a new value each time, never a cached small int).
/// Raw: `PyLong_FromLongLong` + decref.
struct IntCreateDrop<'py, I: Interpreter> {
    py: Python<'py, Backend<I>>,
    raw_n: i64,
    anypy_n: i64,
}

impl<I: Interpreter> Case for IntCreateDrop<'_, I> {
    fn raw(&mut self, iters: u64) -> Duration {
        timed_counting(&mut self.raw_n, iters, |n| {
            // SAFETY: GIL held; the new reference is released at once.
            unsafe {
                let obj = I::Api::PyLong_FromLongLong(n);
                if obj.is_null() {
                    failed("PyLong_FromLongLong");
                }
                header_decref::<I::Api>(obj);
            }
        })
    }

    fn anypy(&mut self, iters: u64) -> Duration {
        let py = self.py;
        timed_counting(&mut self.anypy_n, iters, |n| {
            drop(n.into_pyobject(py).unwrap())
        })
    }
}

/// Case 2: create and drop an empty `dict`. Raw: `PyDict_New` + decref.
struct DictCreateDrop<'py, I: Interpreter> {
    py: Python<'py, Backend<I>>,
}

impl<I: Interpreter> Case for DictCreateDrop<'_, I> {
    fn raw(&mut self, iters: u64) -> Duration {
        timed(iters, || {
            // SAFETY: GIL held; the new reference is released at once.
            unsafe {
                let dict = I::Api::PyDict_New();
                if dict.is_null() {
                    failed("PyDict_New");
                }
                header_decref::<I::Api>(dict);
            }
        })
    }

    fn anypy(&mut self, iters: u64) -> Duration {
        let py = self.py;
        timed(iters, || drop(anypy::types::PyDict::new(py).unwrap()))
    }
}

/// Case 3: create and drop a tuple of three new ints. Raw: `PyTuple_New(3)`, three
/// `PyLong_FromLongLong` stored with `PyTuple_SET_ITEM` (an inline store), decref.
struct TupleCreateDrop<'py, I: Interpreter> {
    py: Python<'py, Backend<I>>,
    raw_n: i64,
    anypy_n: i64,
}

impl<I: Interpreter> Case for TupleCreateDrop<'_, I> {
    fn raw(&mut self, iters: u64) -> Duration {
        timed_counting(&mut self.raw_n, iters, |first| {
            // SAFETY: GIL held; each item is a new reference stolen by the fresh tuple's empty
            // slot (`PyTuple_SET_ITEM`); the tuple's reference is released at once.
            unsafe {
                let tuple = I::Api::PyTuple_New(3);
                if tuple.is_null() {
                    failed("PyTuple_New");
                }
                for index in 0..3 {
                    let item = I::Api::PyLong_FromLongLong(first + index as i64);
                    if item.is_null() {
                        header_decref::<I::Api>(tuple);
                        failed("PyLong_FromLongLong");
                    }
                    *tuple_slot::<I::Api>(tuple, index) = item;
                }
                header_decref::<I::Api>(tuple);
            }
        })
    }

    fn anypy(&mut self, iters: u64) -> Duration {
        let py = self.py;
        timed_counting(&mut self.anypy_n, iters, |first| {
            drop((first, first + 1, first + 2).into_pyobject(py).unwrap())
        })
    }
}

/// Case 4: append an existing object to a list, `APPENDS` times into each fresh empty list
/// (the lists are made and freed outside the timing). Raw: `PyList_Append`. Both sides read the
/// item's pointer through a `black_box`ed reference (so the loop is not optimized into
/// something else), which makes every append reload the list's pointer too; the raw side reads
/// both pointers the same way, so the two make the same memory accesses.
struct ListAppend<'py, I: Interpreter> {
    item: Bound<'py, PyAny, Backend<I>>,
}

impl<'py, I: Interpreter> ListAppend<'py, I> {
    /// `iters` fresh empty lists.
    fn fresh_lists(&self, iters: u64) -> Vec<Bound<'py, PyList, Backend<I>>> {
        (0..iters)
            .map(|_| PyList::empty(self.item.py()).unwrap())
            .collect()
    }
}

impl<I: Interpreter> Case for ListAppend<'_, I> {
    fn raw(&mut self, iters: u64) -> Duration {
        let lists = self.fresh_lists(iters);
        let item = raw(self.item.as_ptr());
        let start = Instant::now();
        for list in &lists {
            for _ in 0..APPENDS {
                let (list, item) = (raw(list.as_ptr()), *black_box(&item));
                // SAFETY: GIL held; both objects are alive; append increfs the item.
                if unsafe { I::Api::PyList_Append(list, item) } < 0 {
                    failed("PyList_Append");
                }
            }
        }
        start.elapsed()
    }

    fn anypy(&mut self, iters: u64) -> Duration {
        let lists = self.fresh_lists(iters);
        let start = Instant::now();
        for list in &lists {
            for _ in 0..APPENDS {
                list.append(black_box(&self.item)).unwrap();
            }
        }
        start.elapsed()
    }
}

/// Case 5: clone and drop a `Py` with the GIL held. Raw: `Py_INCREF` + `Py_DECREF` of the live
/// object. Both sides read the object pointer through a `black_box`ed reference and launder the
/// new reference before releasing it (or the compiler folds the pair away), so they make the
/// same memory accesses and differ only in what anypy adds (`Py::drop` checks the GIL counter).
struct PyCloneDrop<'py, I: Interpreter> {
    py: Python<'py, Backend<I>>,
    object: Py<PyAny, Backend<I>>,
}

impl<I: Interpreter> Case for PyCloneDrop<'_, I> {
    fn raw(&mut self, iters: u64) -> Duration {
        let pointer = raw(self.object.as_ptr());
        timed(iters, || {
            // As the anypy side: the pointer is read through an opaque reference, and the
            // reference to release is laundered between the two.
            let obj = *black_box(&pointer);
            // SAFETY: GIL held; `object` keeps the object alive, so the decref never frees it.
            unsafe {
                incref(obj);
                header_decref::<I::Api>(black_box(obj));
            }
        })
    }

    fn anypy(&mut self, iters: u64) -> Duration {
        let (py, object) = (self.py, &self.object);
        timed(iters, || drop(black_box(black_box(object).clone_ref(py))))
    }
}

/// Case 6: `DEFERRED` `Py` handles dropped inside `allow_threads` (no GIL: each is queued),
/// released when `allow_threads` takes the GIL back; per object. Raw: the inline decref per
/// object with the GIL held. Each batch is set up outside the timing.
struct PyDropWithoutGil<'py, I: Interpreter> {
    py: Python<'py, Backend<I>>,
    /// Distinct long-lived objects: the releases measured never free one.
    objects: Vec<Bound<'py, PyAny, Backend<I>>>,
}

impl<I: Interpreter> Case for PyDropWithoutGil<'_, I> {
    fn raw(&mut self, iters: u64) -> Duration {
        let mut time = Duration::ZERO;
        for _ in 0..iters {
            let batch: Vec<*mut PyObject> =
                self.objects.iter().map(|obj| raw(obj.as_ptr())).collect();
            // SAFETY: GIL held; each object is alive; the timed loop releases these references.
            batch.iter().for_each(|&obj| unsafe { incref(obj) });
            let start = Instant::now();
            for obj in batch {
                // SAFETY: GIL held; the reference was made above for us to release.
                unsafe { header_decref::<I::Api>(obj) };
            }
            time += start.elapsed();
        }
        time
    }

    fn anypy(&mut self, iters: u64) -> Duration {
        let mut time = Duration::ZERO;
        for _ in 0..iters {
            let batch: Vec<_> = self
                .objects
                .iter()
                .map(|obj| obj.clone().unbind())
                .collect();
            let start = Instant::now();
            // Dropped with the GIL released; taking it back drains the queue.
            self.py.allow_threads(move || drop(batch));
            time += start.elapsed();
        }
        time
    }
}

/// The module holding [`PYTHON_CODE`], written to a temporary directory put first on
/// `sys.path` and imported.
fn python_code<B: anypy::Backend>(py: Python<'_, B>) -> Bound<'_, PyModule, B> {
    let name = "anypy_bench_vs_raw";
    let directory = std::env::temp_dir().join(format!("{name}-{}", std::process::id()));
    std::fs::create_dir_all(&directory).unwrap();
    std::fs::write(directory.join(format!("{name}.py")), PYTHON_CODE).unwrap();
    let path = py.import("sys").unwrap().getattr("path").unwrap();
    path.call_method1("insert", (0, directory.to_str().unwrap()))
        .unwrap();
    py.import(name).unwrap()
}

/// Case 7: call a Python function with one argument. Raw: `PyObject_Vectorcall` + decref of
/// the result.
struct CallPython<'py, I: Interpreter> {
    identity: Bound<'py, PyAny, Backend<I>>,
    arg: Bound<'py, PyAny, Backend<I>>,
}

impl<I: Interpreter> Case for CallPython<'_, I> {
    fn raw(&mut self, iters: u64) -> Duration {
        let (function, arg) = (raw(self.identity.as_ptr()), raw(self.arg.as_ptr()));
        timed(iters, || {
            // SAFETY: GIL held; `function` and `arg` are alive; the result is a new reference
            // released at once.
            unsafe {
                let result = I::Api::vectorcall(function, &arg, 1, ptr::null_mut());
                if result.is_null() {
                    failed("PyObject_Vectorcall");
                }
                header_decref::<I::Api>(result);
            }
        })
    }

    fn anypy(&mut self, iters: u64) -> Duration {
        timed(iters, || drop(self.identity.call1((&self.arg,)).unwrap()))
    }
}

/// Raw `METH_FASTCALL` function `add(a, b)`, as a C extension writes it.
unsafe extern "C" fn raw_add<I: Interpreter>(
    _slf: *mut PyObject,
    args: *const *mut PyObject,
    nargs: isize,
) -> *mut PyObject {
    // SAFETY: called by the interpreter with the GIL held and `nargs` live arguments.
    unsafe {
        if nargs != 2 {
            I::raise_type_error(c"raw_add() takes 2 positional arguments");
            return ptr::null_mut();
        }
        let a = I::Api::PyLong_AsLongLong(*args);
        if a == -1 && !I::Api::PyErr_Occurred().is_null() {
            return ptr::null_mut();
        }
        let b = I::Api::PyLong_AsLongLong(*args.add(1));
        if b == -1 && !I::Api::PyErr_Occurred().is_null() {
            return ptr::null_mut();
        }
        I::Api::PyLong_FromLongLong(a.wrapping_add(b))
    }
}

/// The anypy native function `add(a, b)`.
fn anypy_add(a: i64, b: i64) -> i64 {
    a.wrapping_add(b)
}

/// Case 8: Python code calls a native two-argument function `PYTHON_LOOP_CALLS` times; the whole
/// Python → native → Python path, per call. Raw: [`raw_add`] made with `PyCMethod_New`; anypy:
/// a `Function` over [`anypy_add`]. Both are driven by the same Python loop.
struct CallNative<'py, I: Interpreter> {
    _module: Bound<'py, PyModule, Backend<I>>,
    call_in_loop: *mut PyObject,
    raw_function: *mut PyObject,
    anypy_function: Bound<'py, PyAny, Backend<I>>,
}

impl<'py, I: Interpreter> CallNative<'py, I> {
    fn new(py: Python<'py, Backend<I>>) -> Self {
        let module = python_code(py);
        let call_in_loop = raw(module.getattr("call_in_loop").unwrap().as_ptr());
        let definition = Box::leak(Box::new(PyMethodDef {
            ml_name: c"raw_add".as_ptr(),
            ml_meth: raw_add::<I> as *const std::ffi::c_void,
            ml_flags: METH_FASTCALL,
            ml_doc: ptr::null(),
        }));
        // SAFETY: GIL held; the definition is leaked, so it outlives the function object.
        let raw_function = unsafe {
            I::Api::PyCMethod_New(
                definition,
                ptr::null_mut(),
                ptr::null_mut(),
                ptr::null_mut(),
            )
        };
        if raw_function.is_null() {
            failed("PyCMethod_New");
        }
        CallNative {
            _module: module,
            call_in_loop,
            raw_function,
            anypy_function: Function::new("add", anypy_add).build(py).unwrap(),
        }
    }

    /// Runs the Python loop over `function`, `iters` times.
    fn run(&self, function: *mut PyObject, iters: u64) -> Duration {
        let call_in_loop = self.call_in_loop;
        timed(iters, || {
            // SAFETY: GIL held; the module keeps `call_in_loop` alive, `self` the function; the
            // result (None) is a new reference released at once.
            unsafe {
                let result = I::Api::vectorcall(call_in_loop, &function, 1, ptr::null_mut());
                if result.is_null() {
                    failed("the Python loop");
                }
                header_decref::<I::Api>(result);
            }
        })
    }
}

impl<I: Interpreter> Case for CallNative<'_, I> {
    fn raw(&mut self, iters: u64) -> Duration {
        self.run(self.raw_function, iters)
    }

    fn anypy(&mut self, iters: u64) -> Duration {
        self.run(raw(self.anypy_function.as_ptr()), iters)
    }
}

impl<I: Interpreter> Drop for CallNative<'_, I> {
    fn drop(&mut self) {
        // SAFETY: GIL held (the case lives inside `with_gil`); we own the only reference.
        unsafe { header_decref::<I::Api>(self.raw_function) };
    }
}
