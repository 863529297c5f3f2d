//! Resident memory stays flat over long anypy loops on embedded PyPy: with the automatic release
//! of PyPy's pending deallocations (on by default; also at a short interval, so that its code
//! runs often enough to be JIT-compiled), and with `Python::collect_garbage` every 100 000
//! iterations instead. Without either, these loops grow by 40–55 bytes per iteration for
//! as long as they run (figures in `anypy_pypy::memory`).
//!
//! PyPy touches its whole nursery before reusing it, and the default nursery is half the L3
//! cache (150 MiB on this machine), so the test fixes it at 16 MiB (`PYPY_GC_NURSERY`, read at
//! start-up) and warms each loop up before measuring. One test in its own binary, so that nothing
//! else starts PyPy first or moves this process's resident memory meanwhile.

use anypy::types::PyDict;
use anypy::{Function, Py, PyResult, Python};
use anypy_pypy::{memory, PyPy};

/// Iterations run before measuring: the nursery is full and reused well before.
const WARM_UP: usize = 500_000;
/// Iterations measured per loop.
const MEASURED: usize = 1_000_000;
/// Most resident memory a measured loop may add: a quarter of the ~40 MiB that 1M iterations
/// leave behind when nothing releases them (measured: under 3 MiB with either policy).
const GROWTH_LIMIT_KIB: u64 = 10 * 1024;

/// This process's resident memory in KiB.
fn resident_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let line = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .expect("VmRSS");
    line.split_whitespace()
        .nth(1)
        .and_then(|kib| kib.parse().ok())
        .expect("VmRSS value")
}

/// Runs `step` for the warm-up, then `MEASURED` more times, and asserts what the measured part
/// added to resident memory.
fn assert_flat(
    label: &str,
    mut step: impl FnMut(usize) -> PyResult<(), PyPy>,
) -> PyResult<(), PyPy> {
    (0..WARM_UP).try_for_each(&mut step)?;
    let start = resident_kib();
    (WARM_UP..WARM_UP + MEASURED).try_for_each(&mut step)?;
    let grown = resident_kib().saturating_sub(start);
    println!("{label}: +{grown} KiB over {MEASURED} iterations");
    assert!(
        grown < GROWTH_LIMIT_KIB,
        "{label}: +{grown} KiB over {MEASURED} iterations"
    );
    Ok(())
}

#[test]
fn long_loops_keep_resident_memory_flat() {
    assert_eq!(
        memory::release_interval(),
        memory::DEFAULT_RELEASE_INTERVAL,
        "on by default"
    );
    std::env::set_var("PYPY_GC_NURSERY", "16M");
    Python::<PyPy>::with_gil(|py| -> PyResult<(), PyPy> {
        let callback = Function::new("count_keys", |dict: Py<PyDict, PyPy>| {
            Python::<PyPy>::with_gil(|py| dict.bind(py).len())
        })
        .build(py)?;
        let dict = PyDict::new(py)?;
        dict.set_item("key", "value")?;
        let call = |_| -> PyResult<(), PyPy> {
            assert_eq!(callback.call1((&dict,))?.extract::<usize>()?, 1);
            Ok(())
        };

        assert_flat("PyDict::new + drop, automatic release", |_| {
            PyDict::new(py).map(drop)
        })?;
        assert_flat("native callback with a dict, automatic release", call)?;

        // 15 000 runs: far past the 1 619 after which PyPy's JIT compiles the code they run.
        memory::set_release_interval(100);
        assert_flat(
            "native callback with a dict, automatic release every 100",
            call,
        )?;

        memory::set_release_interval(0);
        assert_flat(
            "native callback with a dict, collect_garbage every 100k",
            |i| {
                call(i)?;
                match (i + 1) % 100_000 {
                    0 => py.collect_garbage(),
                    _ => Ok(()),
                }
            },
        )?;
        memory::set_release_interval(memory::DEFAULT_RELEASE_INTERVAL);
        Ok(())
    })
    .unwrap_or_else(|err| panic!("{err}"));
}
