//! How resident memory grows over 1 million `PyLong_FromLongLong` + decref with the GIL held:
//! with nothing else, with a `gc.collect()` every 100 000, and with `gc.collect()` followed by a
//! little Python code (`PyRun_SimpleString("pass")`). cpyext objects are freed only by PyPy's GC,
//! and their C memory only once Python code runs. Each variant runs in its own process.
//!
//! `cargo run --release -p anypy-pypy --example gc_memory` (or pass one variant's name).

use std::ffi::{c_char, c_int, c_void};
use std::time::Instant;

use anypy_pypy::startup;

type Object = *mut c_void;

const ITERATIONS: i64 = 1_000_000;
const BATCH: i64 = 100_000;

/// The C-API function `c_name` as the function pointer type `F`.
fn api<F: Copy>(c_name: &str) -> F {
    assert_eq!(size_of::<F>(), size_of::<*mut c_void>());
    let runtime = startup::runtime().unwrap_or_else(|error| panic!("{error}"));
    let address = runtime
        .lookup(c_name)
        .unwrap_or_else(|error| panic!("{error}"));
    // SAFETY: F is a function pointer type written as the C prototype of `c_name`.
    unsafe { std::mem::transmute_copy(&address) }
}

/// This process's resident and peak resident memory, in KiB, from `/proc/self/status`.
fn memory_kib() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let field = |name: &str| {
        let line = status
            .lines()
            .find(|line| line.starts_with(name))
            .expect(name);
        line.split_whitespace()
            .nth(1)
            .and_then(|kib| kib.parse().ok())
            .expect(name)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

/// What the loop does every 100 000 iterations.
#[derive(Clone, Copy, PartialEq)]
enum Variant {
    /// Nothing.
    Plain,
    /// `gc.collect()`.
    Collect,
    /// `gc.collect()`, then `PyRun_SimpleString("pass")`.
    CollectAndRun,
}

impl Variant {
    const ALL: [(&'static str, Variant); 3] = [
        ("plain", Variant::Plain),
        ("collect", Variant::Collect),
        ("collect-and-run", Variant::CollectAndRun),
    ];

    fn label(self) -> &'static str {
        match self {
            Variant::Plain => "nothing every 100k",
            Variant::Collect => "gc.collect() every 100k",
            Variant::CollectAndRun => "gc.collect() + PyRun_SimpleString(\"pass\") every 100k",
        }
    }
}

/// Runs one variant in this process and prints its figures.
fn measure(variant: Variant) {
    let ensure: unsafe extern "C" fn() -> c_int = api("PyGILState_Ensure");
    let release: unsafe extern "C" fn(c_int) = api("PyGILState_Release");
    let from_long_long: unsafe extern "C" fn(i64) -> Object = api("PyLong_FromLongLong");
    let dealloc: unsafe extern "C" fn(Object) = api("_Py_Dealloc");
    let import: unsafe extern "C" fn(*const c_char) -> Object = api("PyImport_ImportModule");
    let get_attr: unsafe extern "C" fn(Object, *const c_char) -> Object =
        api("PyObject_GetAttrString");
    let call: unsafe extern "C" fn(Object) -> Object = api("PyObject_CallNoArgs");
    let run: unsafe extern "C" fn(*const c_char) -> c_int = api("PyRun_SimpleString");
    let decref = |object: Object| {
        let count = object.cast::<isize>();
        // SAFETY: the GIL is held; `object` is a live reference we own; `ob_refcnt` is at 0.
        unsafe {
            *count -= 1;
            if *count == 0 {
                dealloc(object);
            }
        }
    };
    // SAFETY: PyPy is started; this thread does not hold the GIL yet.
    let state = unsafe { ensure() };
    // SAFETY: GIL held; a NUL-terminated module name.
    let gc = unsafe { import(c"gc".as_ptr()) };
    assert!(!gc.is_null(), "import gc failed");
    // SAFETY: GIL held; `gc` is a live module; a NUL-terminated attribute name.
    let gc_collect = unsafe { get_attr(gc, c"collect".as_ptr()) };
    assert!(!gc_collect.is_null(), "gc.collect not found");
    decref(gc);
    let (start, _) = memory_kib();
    let mut after_batches = Vec::new();
    let timer = Instant::now();
    for i in 0..ITERATIONS {
        // SAFETY: GIL held.
        let object = unsafe { from_long_long(i) };
        assert!(!object.is_null());
        decref(object);
        if (i + 1) % BATCH == 0 {
            if variant != Variant::Plain {
                // SAFETY: GIL held; `gc_collect` is a live callable.
                decref(unsafe { call(gc_collect) });
            }
            if variant == Variant::CollectAndRun {
                // SAFETY: GIL held; a NUL-terminated source string.
                assert_eq!(unsafe { run(c"pass".as_ptr()) }, 0);
            }
            after_batches.push(memory_kib().0);
        }
    }
    let elapsed = timer.elapsed();
    let (end, peak) = memory_kib();
    decref(gc_collect);
    // SAFETY: releases the state of the matching Ensure on this thread.
    unsafe { release(state) };
    let per_op = elapsed.as_nanos() as f64 / ITERATIONS as f64;
    println!(
        "{}: RSS {:.1} -> {:.1} MiB (+{:.1} MiB), peak {:.1} MiB, {per_op:.0} ns per create+decref",
        variant.label(),
        mib(start),
        mib(end),
        mib(end.saturating_sub(start)),
        mib(peak),
    );
    let batches: Vec<String> = after_batches
        .iter()
        .map(|kib| format!("{:.0}", mib(*kib)))
        .collect();
    println!("  RSS after each 100k, MiB: {}", batches.join(" "));
}

fn main() {
    let Some(name) = std::env::args().nth(1) else {
        let exe = std::env::current_exe().expect("current exe");
        for (name, _) in Variant::ALL {
            let status = std::process::Command::new(&exe)
                .arg(name)
                .status()
                .expect("run");
            assert!(status.success(), "{name} failed: {status}");
        }
        return;
    };
    match Variant::ALL.iter().find(|(known, _)| *known == name) {
        Some(&(_, variant)) => measure(variant),
        None => panic!("unknown variant {name:?}; use plain, collect or collect-and-run"),
    }
}
