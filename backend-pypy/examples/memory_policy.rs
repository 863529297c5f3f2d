//! Resident memory of anypy loops on embedded PyPy under each memory policy: the automatic
//! release of PyPy's pending deallocations (`anypy_pypy::memory`) at several intervals or off,
//! and `Python::collect_garbage` every 100 000 iterations with the automatic release off. Each
//! loop and policy runs in its own process; the figures in `anypy_pypy::memory`'s docs come
//! from here.
//!
//! `cargo run --release -p anypy-pypy --example memory_policy [-- LOOP POLICY [ITERATIONS]]`
//! with LOOP `dict` (PyDict::new + drop) or `callback` (a native function called with a dict,
//! as in the tour), POLICY `off`, `default`, an interval such as `1000`, or `collect`.

use std::time::{Duration, Instant};

use anypy::types::PyDict;
use anypy::{Function, Py, PyResult, Python};
use anypy_pypy::{memory, PyPy};

const LOOPS: [&str; 2] = ["dict", "callback"];
const POLICIES: [&str; 5] = ["off", "default", "1000", "100000", "collect"];
const ITERATIONS: usize = 2_000_000;
const COLLECT_EVERY: usize = 100_000;

/// This process's resident and peak resident memory, in KiB, from `/proc/self/status`.
fn memory_kib() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let field = |name: &str| -> u64 {
        let line = status.lines().find(|l| l.starts_with(name)).expect(name);
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

/// Runs `iterations` of one loop under one policy and prints the figures.
fn measure(name: &str, policy: &str, iterations: usize) -> PyResult<(), PyPy> {
    let collect = policy == "collect";
    memory::set_release_interval(match policy {
        "off" | "collect" => 0,
        "default" => memory::DEFAULT_RELEASE_INTERVAL,
        interval => interval.parse().expect("an interval"),
    });
    Python::<PyPy>::with_gil(|py| {
        let callback = Function::new("count_keys", |dict: Py<PyDict, PyPy>| {
            Python::<PyPy>::with_gil(|py| dict.bind(py).len())
        })
        .build(py)?;
        let dict = PyDict::new(py)?;
        dict.set_item("key", "value")?;
        let (start, _) = memory_kib();
        let mut samples = Vec::new();
        let (mut collecting, mut collections) = (Duration::ZERO, 0u32);
        let timer = Instant::now();
        for i in 0..iterations {
            match name {
                "dict" => drop(PyDict::new(py)?),
                _ => assert_eq!(callback.call1((&dict,))?.extract::<usize>()?, 1),
            }
            if collect && (i + 1) % COLLECT_EVERY == 0 {
                let started = Instant::now();
                py.collect_garbage()?;
                collecting += started.elapsed();
                collections += 1;
            }
            if (i + 1) % (iterations / 10).max(1) == 0 {
                samples.push(format!("{:.0}", mib(memory_kib().0)));
            }
        }
        let per_iteration = timer.elapsed().as_nanos() as f64 / iterations as f64;
        let (end, peak) = memory_kib();
        println!(
            "{name:>8} {policy:>8}: RSS {:.0} -> {:.0} MiB (+{:.0}), peak {:.0} MiB, {per_iteration:.0} ns/iteration; every 10%: {}",
            mib(start),
            mib(end),
            mib(end.saturating_sub(start)),
            mib(peak),
            samples.join(" ")
        );
        if collections > 0 {
            println!(
                "{:>18}  collect_garbage: {:.1} ms each",
                "",
                collecting.as_secs_f64() * 1e3 / f64::from(collections)
            );
        }
        Ok(())
    })
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let iterations = args
        .get(2)
        .map_or(ITERATIONS, |n| n.parse().expect("ITERATIONS"));
    if let [name, policy, ..] = args.as_slice() {
        if let Err(err) = measure(name, policy, iterations) {
            panic!("{err}");
        }
        return;
    }
    let exe = std::env::current_exe().expect("current exe");
    for name in LOOPS {
        for policy in POLICIES {
            let status = std::process::Command::new(&exe)
                .args([name, policy, &iterations.to_string()])
                .status()
                .expect("run");
            assert!(status.success(), "{name} {policy} failed: {status}");
        }
    }
}
