//! anypy on CPython 3.11 against the raw C-API doing the same work, side by side in one process.
//!
//! Each criterion group runs `raw` — what a C programmer writes: the linked C functions, with
//! `Py_INCREF`/`Py_DECREF` as the headers' inline field operations — then `anypy`. The whole run
//! holds the GIL through one `Python::with_gil`. `scripts/bench-cpython` runs this and prints
//! the ratio table from criterion's estimates.

use std::ffi::c_char;
use std::hint::black_box;
use std::ptr;
use std::time::Duration;

use anypy::types::{PyAny, PyDict, PyList};
use anypy::{Bound, Function, IntoPyObject, Py, Python, RawPtr};
use anypy_capi::layout::{decref, incref, tuple_slot};
use anypy_capi::{CApiFunctions, CApiStatics, PyMethodDef, PyObject, METH_FASTCALL};
use anypy_cpython::{CPython, CPythonApi as Api};
use criterion::{BatchSize, Criterion, Throughput};

extern "C" {
    /// Not in anypy's list (anypy never sets an error from a C string); the raw native
    /// function below uses it as a C extension would.
    fn PyErr_SetString(ty: *mut PyObject, message: *const c_char);
}

/// Python ints above 256 are not cached: creating one allocates.
const FIRST_UNCACHED_INT: i64 = 1_000_000;
/// Appends per list (the list is fresh for every batch).
const APPENDS: usize = 1000;
/// `Py` handles dropped without the GIL per batch (fits one thread's release ring).
const DEFERRED: usize = 1000;
/// Calls into the native function per run of the Python loop.
const PYTHON_LOOP_CALLS: usize = 1000;

/// The Python side of cases 7 and 8.
const PYTHON_CODE: &str = "\
def identity(x):
    return x

def call_in_loop(f):
    for i in range(1000):
        f(i, 1)
";

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

/// Raw `METH_FASTCALL` function `add(a, b)`, as a C extension writes it.
unsafe extern "C" fn raw_add(
    _slf: *mut PyObject,
    args: *const *mut PyObject,
    nargs: isize,
) -> *mut PyObject {
    // SAFETY: called by the interpreter with the GIL held and `nargs` live arguments.
    unsafe {
        if nargs != 2 {
            PyErr_SetString(
                Api::PyExc_TypeError(),
                c"raw_add() takes 2 positional arguments".as_ptr(),
            );
            return ptr::null_mut();
        }
        let a = Api::PyLong_AsLongLong(*args);
        if a == -1 && !Api::PyErr_Occurred().is_null() {
            return ptr::null_mut();
        }
        let b = Api::PyLong_AsLongLong(*args.add(1));
        if b == -1 && !Api::PyErr_Occurred().is_null() {
            return ptr::null_mut();
        }
        Api::PyLong_FromLongLong(a.wrapping_add(b))
    }
}

/// The anypy native function `add(a, b)`.
fn anypy_add(a: i64, b: i64) -> i64 {
    a.wrapping_add(b)
}

/// Case 1: create and drop an `int` (a new value each time, never a cached small int).
fn int_create_drop(c: &mut Criterion, py: Python<'_, CPython>) {
    let mut group = c.benchmark_group("cpython-1-int-create-drop");
    let mut n = FIRST_UNCACHED_INT;
    group.bench_function("raw", |b| {
        b.iter(|| {
            n += 1;
            // SAFETY: GIL held; the new reference is released at once.
            unsafe {
                let obj = Api::PyLong_FromLongLong(black_box(n));
                if obj.is_null() {
                    failed("PyLong_FromLongLong");
                }
                decref::<Api>(obj);
            }
        })
    });
    let mut n = FIRST_UNCACHED_INT;
    group.bench_function("anypy", |b| {
        b.iter(|| {
            n += 1;
            drop(black_box(n).into_pyobject(py).unwrap());
        })
    });
    group.finish();
}

/// Case 2: create and drop an empty `dict`.
fn dict_create_drop(c: &mut Criterion, py: Python<'_, CPython>) {
    let mut group = c.benchmark_group("cpython-2-dict-create-drop");
    group.bench_function("raw", |b| {
        b.iter(|| {
            // SAFETY: GIL held; the new reference is released at once.
            unsafe {
                let dict = Api::PyDict_New();
                if dict.is_null() {
                    failed("PyDict_New");
                }
                decref::<Api>(dict);
            }
        })
    });
    group.bench_function("anypy", |b| b.iter(|| drop(PyDict::new(py).unwrap())));
    group.finish();
}

/// Case 3: create and drop a tuple of three new ints.
fn tuple_create_drop(c: &mut Criterion, py: Python<'_, CPython>) {
    let mut group = c.benchmark_group("cpython-3-tuple3-create-drop");
    let mut n = FIRST_UNCACHED_INT;
    group.bench_function("raw", |b| {
        b.iter(|| {
            n += 1;
            let first = black_box(n);
            // SAFETY: GIL held; each item is a new reference stolen by the fresh tuple's empty
            // slot (`PyTuple_SET_ITEM`); the tuple's reference is released at once.
            unsafe {
                let tuple = Api::PyTuple_New(3);
                if tuple.is_null() {
                    failed("PyTuple_New");
                }
                for index in 0..3 {
                    let item = Api::PyLong_FromLongLong(first + index as i64);
                    if item.is_null() {
                        decref::<Api>(tuple);
                        failed("PyLong_FromLongLong");
                    }
                    *tuple_slot::<Api>(tuple, index) = item;
                }
                decref::<Api>(tuple);
            }
        })
    });
    let mut n = FIRST_UNCACHED_INT;
    group.bench_function("anypy", |b| {
        b.iter(|| {
            n += 1;
            let first = black_box(n);
            drop((first, first + 1, first + 2).into_pyobject(py).unwrap());
        })
    });
    group.finish();
}

/// Case 4: append an existing object to a list, `APPENDS` times into a fresh list.
fn list_append(c: &mut Criterion, py: Python<'_, CPython>) {
    let mut group = c.benchmark_group("cpython-4-list-append");
    group.throughput(Throughput::Elements(APPENDS as u64));
    let item = FIRST_UNCACHED_INT.into_pyobject(py).unwrap();
    let fresh_list = || PyList::empty(py).unwrap();
    group.bench_function("raw", |b| {
        let item = raw(item.as_ptr());
        b.iter_batched(
            fresh_list,
            |list| {
                let raw_list = raw(list.as_ptr());
                for _ in 0..APPENDS {
                    // SAFETY: GIL held; both objects are alive; append increfs the item.
                    if unsafe { Api::PyList_Append(raw_list, black_box(item)) } < 0 {
                        failed("PyList_Append");
                    }
                }
                list
            },
            BatchSize::PerIteration,
        )
    });
    group.bench_function("anypy", |b| {
        b.iter_batched(
            fresh_list,
            |list| {
                for _ in 0..APPENDS {
                    list.append(black_box(&item)).unwrap();
                }
                list
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

/// Case 5: clone and drop a `Py` with the GIL held (raw: incref, decref).
fn py_clone_drop(c: &mut Criterion, py: Python<'_, CPython>) {
    let mut group = c.benchmark_group("cpython-5-py-clone-drop");
    let object: Py<PyAny, CPython> = FIRST_UNCACHED_INT.into_pyobject(py).unwrap().unbind();
    group.bench_function("raw", |b| {
        let pointer = raw(object.as_ptr());
        b.iter(|| {
            // SAFETY: GIL held; `object` keeps the object alive, so the decref never frees it.
            unsafe {
                incref(black_box(pointer));
                decref::<Api>(black_box(pointer));
            }
        })
    });
    group.bench_function("anypy", |b| {
        b.iter(|| drop(black_box(black_box(&object).clone_ref(py))))
    });
    group.finish();
}

/// Case 6: `Py` handles dropped without the GIL, released at the next acquisition; per object.
/// Raw: the inline decref per object, with the GIL.
fn py_drop_without_gil(c: &mut Criterion, py: Python<'_, CPython>) {
    let mut group = c.benchmark_group("cpython-6-py-drop-without-gil");
    group.throughput(Throughput::Elements(DEFERRED as u64));
    // Distinct long-lived objects: the releases measured never free one.
    let objects: Vec<Bound<'_, PyAny, CPython>> = (0..DEFERRED as i64)
        .map(|n| (FIRST_UNCACHED_INT + n).into_pyobject(py).unwrap())
        .collect();
    group.bench_function("raw", |b| {
        b.iter_batched(
            || {
                let batch: Vec<*mut PyObject> =
                    objects.iter().map(|obj| raw(obj.as_ptr())).collect();
                // SAFETY: GIL held; each object is alive; the routine releases these references.
                batch.iter().for_each(|&obj| unsafe { incref(obj) });
                batch
            },
            |batch| {
                for obj in batch {
                    // SAFETY: GIL held; the setup made this reference for us to release.
                    unsafe { decref::<Api>(obj) };
                }
            },
            BatchSize::PerIteration,
        )
    });
    group.bench_function("anypy", |b| {
        b.iter_batched(
            || {
                objects
                    .iter()
                    .map(|obj| obj.clone().unbind())
                    .collect::<Vec<_>>()
            },
            // Dropped with the GIL released; taking it back drains the queue.
            |batch| py.allow_threads(move || drop(batch)),
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

/// Runs `code` in a fresh namespace and returns the namespace.
fn exec<'py>(py: Python<'py, CPython>, code: &str) -> Bound<'py, PyDict, CPython> {
    let namespace = PyDict::new(py).unwrap();
    py.import("builtins")
        .unwrap()
        .getattr("exec")
        .unwrap()
        .call1((code, &namespace))
        .unwrap();
    namespace
}

/// Case 7: call a Python function with one argument.
fn call_python_function(c: &mut Criterion, py: Python<'_, CPython>) {
    let mut group = c.benchmark_group("cpython-7-call-python-1-arg");
    let namespace = exec(py, PYTHON_CODE);
    let identity = namespace.get_item("identity").unwrap().unwrap();
    let arg = FIRST_UNCACHED_INT.into_pyobject(py).unwrap();
    group.bench_function("raw", |b| {
        let (function, arg) = (raw(identity.as_ptr()), raw(arg.as_ptr()));
        b.iter(|| {
            // SAFETY: GIL held; `function` and `arg` are alive; the result is a new reference
            // released at once.
            unsafe {
                let result = Api::PyObject_Vectorcall(function, &arg, 1, ptr::null_mut());
                if result.is_null() {
                    failed("PyObject_Vectorcall");
                }
                decref::<Api>(result);
            }
        })
    });
    group.bench_function("anypy", |b| {
        b.iter(|| drop(identity.call1((&arg,)).unwrap()))
    });
    group.finish();
}

/// Case 8: Python code calls a native two-argument function `PYTHON_LOOP_CALLS` times; the whole
/// Python → native → Python path, per call. Both functions are driven by the same loop.
fn call_native_function(c: &mut Criterion, py: Python<'_, CPython>) {
    let mut group = c.benchmark_group("cpython-8-native-2-args-from-python");
    group.throughput(Throughput::Elements(PYTHON_LOOP_CALLS as u64));
    let namespace = exec(py, PYTHON_CODE);
    let call_in_loop = raw(namespace
        .get_item("call_in_loop")
        .unwrap()
        .unwrap()
        .as_ptr());

    let definition = Box::leak(Box::new(PyMethodDef {
        ml_name: c"raw_add".as_ptr(),
        ml_meth: Some(raw_add),
        ml_flags: METH_FASTCALL,
        ml_doc: ptr::null(),
    }));
    // SAFETY: GIL held; the definition is leaked, so it outlives the function object.
    let raw_function = unsafe {
        Api::PyCMethod_New(
            definition,
            ptr::null_mut(),
            ptr::null_mut(),
            ptr::null_mut(),
        )
    };
    if raw_function.is_null() {
        failed("PyCMethod_New");
    }
    let anypy_function = Function::new("add", anypy_add).build(py).unwrap();

    let run = |function: *mut PyObject| {
        // SAFETY: GIL held; `namespace` keeps `call_in_loop` alive, the caller `function`; the
        // result (None) is a new reference released at once.
        unsafe {
            let result = Api::PyObject_Vectorcall(call_in_loop, &function, 1, ptr::null_mut());
            if result.is_null() {
                failed("the Python loop");
            }
            decref::<Api>(result);
        }
    };
    group.bench_function("raw", |b| b.iter(|| run(raw_function)));
    group.bench_function("anypy", |b| b.iter(|| run(raw(anypy_function.as_ptr()))));
    group.finish();
    // SAFETY: GIL held; we own the function object's only reference.
    unsafe { decref::<Api>(raw_function) };
}

fn main() {
    let mut criterion = Criterion::default()
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1))
        .configure_from_args();
    Python::<CPython>::with_gil(|py| {
        int_create_drop(&mut criterion, py);
        dict_create_drop(&mut criterion, py);
        tuple_create_drop(&mut criterion, py);
        list_append(&mut criterion, py);
        py_clone_drop(&mut criterion, py);
        py_drop_without_gil(&mut criterion, py);
        call_python_function(&mut criterion, py);
        call_native_function(&mut criterion, py);
    });
    criterion.final_summary();
}
