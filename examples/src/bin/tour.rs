//! A walk through anypy: objects, containers, errors, native functions, threads, the release
//! queue, and the loop that made older bindings leak. Runs on the mock by default:
//!
//! ```text
//! cargo run -p anypy-examples --bin tour [-- --backend mock|cpython|pypy] [--iterations N]
//! ```
//!
//! On PyPy the tour sets `PYPY_GC_NURSERY=16M` unless it is set already: PyPy's default nursery
//! is half the L3 cache (150 MiB here), which the loop touches once before reusing it, and the
//! growth limit is derived from the nursery size so that it means the same on every machine.

use std::process::ExitCode;

use anypy::exceptions::{KeyError, ValueError};
use anypy::types::{PyDict, PyList, PyTuple};
use anypy::{Backend, ExceptionKind, Function, ModuleBuilder, Py, PyErr, PyResult, Python};
use anypy_cpython::CPython;
use anypy_mock::Mock;
use anypy_pypy::PyPy;

/// What the tour can ask a backend beyond the common API.
trait Inspect: Backend {
    /// What the backend counts as live right now: objects on the mock, memory blocks on CPython,
    /// GC memory on PyPy.
    fn live_objects(py: Python<'_, Self>) -> PyResult<String, Self>;
    /// The most resident memory the reused-dict loop may add, in KiB, and why.
    fn loop_growth_limit_kib(_py: Python<'_, Self>) -> PyResult<(u64, String), Self> {
        Ok((
            1024,
            "a loop that releases every temporary at once stays flat; one that parks them in a \
             pool grows by tens of bytes per iteration"
                .to_owned(),
        ))
    }
    /// A closing report on what is alive.
    fn final_report() -> String;
}

impl Inspect for Mock {
    fn live_objects(_py: Python<'_, Self>) -> PyResult<String, Self> {
        Ok(format!("{} live objects", Mock::live_objects()))
    }

    fn final_report() -> String {
        format!("mock interpreter: {}", Mock::live_report())
    }
}

impl Inspect for CPython {
    fn live_objects(py: Python<'_, Self>) -> PyResult<String, Self> {
        let blocks: usize = py
            .import("sys")?
            .getattr("getallocatedblocks")?
            .call0()?
            .extract()?;
        Ok(format!("{blocks} allocated blocks"))
    }

    fn final_report() -> String {
        // SAFETY: the tour's threads have all been joined; this (main) thread started CPython.
        match unsafe { anypy_cpython::finalize() } {
            Ok(()) => "CPython finalized cleanly".to_owned(),
            Err(err) => format!("CPython finalization failed: {err}"),
        }
    }
}

impl Inspect for PyPy {
    fn live_objects(py: Python<'_, Self>) -> PyResult<String, Self> {
        let stats = py.import("gc")?.call_method0("get_stats")?;
        let old: String = stats.getattr("total_arena_memory")?.extract()?;
        let large: String = stats.getattr("total_rawmalloced_memory")?.extract()?;
        Ok(format!("GC old generation {old} + large objects {large}"))
    }

    fn loop_growth_limit_kib(py: Python<'_, Self>) -> PyResult<(u64, String), Self> {
        let nursery: String = py
            .import("gc")?
            .call_method0("get_stats")?
            .getattr("nursery_size")?
            .extract()?;
        let nursery_kib = kib_from_pypy_size(&nursery).ok_or_else(|| {
            PyErr::new::<anypy::exceptions::ValueError, _>(format!(
                "unexpected nursery size {nursery:?}"
            ))
        })?;
        Ok((
            nursery_kib * 5 / 4 + 16 * 1024,
            format!(
                "PyPy touches its {nursery} nursery once, and frees the C side of collected \
                 objects after each minor collection (anypy-pypy's automatic release): the loop \
                 levels off at 1 to 1.2 x the nursery; without the release it grows ~40 MiB per \
                 million iterations for as long as it runs"
            ),
        ))
    }

    fn final_report() -> String {
        match Python::<PyPy>::with_gil(|py| py.collect_garbage()) {
            Ok(()) => "PyPy collected its garbage; it has no finalization call and ends with the \
                       process"
                .to_owned(),
            Err(err) => format!("PyPy's final collection failed: {err}"),
        }
    }
}

/// A size as PyPy's `gc.get_stats()` prints it (`"16.0MB"`, `"512.0kB"`) in KiB.
fn kib_from_pypy_size(text: &str) -> Option<u64> {
    let split = text.find(|c: char| c.is_ascii_alphabetic())?;
    let (number, unit) = text.split_at(split);
    let factor = match unit {
        "B" => 1.0 / 1024.0,
        "kB" => 1.0,
        "MB" => 1024.0,
        "GB" => 1024.0 * 1024.0,
        _ => return None,
    };
    Some((number.parse::<f64>().ok()? * factor) as u64)
}

/// The resident set size of this process in KiB (Linux `/proc`), if it can be read.
fn resident_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn section(title: &str) {
    println!("\n== {title}");
}

fn objects_and_conversions<B: Backend>(py: Python<'_, B>) -> PyResult<(), B> {
    section("objects and conversions");
    let number = py.to_object(1_000_000_007_u64)?;
    let text = py.to_object("héllo, wörld")?;
    let pair = py.to_object((3.5, vec![1u8, 2, 3]))?;
    println!("{number:?} {text:?} {pair:?}");
    println!(
        "type names: {}, {}, {}",
        number.type_name(),
        text.type_name(),
        pair.type_name()
    );
    let (x, bytes): (f64, Vec<u8>) = pair.extract()?;
    println!("back to Rust: ({x}, {bytes:?})");
    let err = text.extract::<i64>().unwrap_err();
    println!("extracting an int from a str raises -> {err}");
    Ok(())
}

fn containers<B: Backend>(py: Python<'_, B>) -> PyResult<(), B> {
    section("containers");
    let scores = PyDict::new(py)?;
    for (name, score) in [("ada", 36), ("grace", 85), ("alan", 41)] {
        scores.set_item(name, score)?;
    }
    scores.del_item("alan")?;
    println!(
        "dict: {scores:?} (len {}, has 'ada': {})",
        scores.len(),
        scores.contains("ada")?
    );
    for (name, score) in scores.iter() {
        println!("  {name} -> {score}");
    }
    let list = PyList::new(py, ["b", "c"])?;
    list.insert(0, "a")?;
    list.append(scores.get_item("grace")?)?;
    println!("list: {list:?}; tuple: {:?}", PyTuple::new(py, [1, 2, 3])?);
    let fresh = PyDict::new(py)?;
    let before = fresh.get_refcnt();
    let holder = PyList::new(py, [&fresh])?;
    println!(
        "refcounts: a list holding a dict adds {} reference, freeing the list (once collected) gives it back",
        fresh.get_refcnt() - before
    );
    drop(holder);
    py.collect_garbage()?;
    assert_eq!(fresh.get_refcnt(), before);
    Ok(())
}

fn errors<B: Backend>(py: Python<'_, B>) -> PyResult<(), B> {
    section("errors");
    let err: PyErr<B> = PyErr::new::<ValueError, _>("temperature below absolute zero");
    println!("raised from Rust: {err}");
    let missing = PyDict::new(py)?.del_item("nope").unwrap_err();
    println!(
        "fetched from the interpreter: {missing} (a KeyError: {}, a LookupError: {}, kind {:?})",
        missing.is_instance_of::<KeyError>(py),
        missing.matches(py, ExceptionKind::LookupError),
        missing.kind(py)
    );
    Ok(())
}

fn greet(name: &str, times: usize) -> String {
    vec![format!("hello, {name}!"); times].join(" ")
}

fn checked_div<B: Backend>(a: i64, b: i64) -> PyResult<i64, B> {
    if b == 0 {
        return Err(PyErr::new::<ValueError, _>("division by zero"));
    }
    Ok(a / b)
}

fn native_functions<B: Backend>(py: Python<'_, B>) -> PyResult<(), B> {
    section("native functions and modules");
    let builder = ModuleBuilder::new(py, "tour")?;
    builder
        .add_function(Function::new("greet", greet).arg_names(&["name", "times"]))?
        .function("checked_div", checked_div::<B>)?
        .function("explode", || -> i64 { panic!("a bug in Rust code") })?
        .constant("VERSION", "0.1")?;
    let module = builder.finish();
    println!(
        "tour.greet('anypy', 2) -> {}",
        module.call_method1("greet", ("anypy", 2))?
    );
    println!(
        "tour.checked_div(7, 2) -> {}",
        module.call_method1("checked_div", (7, 2))?
    );
    for (label, result) in [
        (
            "tour.checked_div(1, 0)",
            module.call_method1("checked_div", (1, 0)),
        ),
        ("tour.greet(42, 1)", module.call_method1("greet", (42, 1))),
        ("tour.greet('x')", module.call_method1("greet", ("x",))),
    ] {
        println!("{label} raises -> {}", result.unwrap_err());
    }
    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let panicked = module.call_method0("explode").unwrap_err();
    std::panic::set_hook(previous_hook);
    println!("tour.explode() raises -> {panicked}  (the panic never crosses into the interpreter)");
    Ok(())
}

fn threads<B: Backend>() {
    section("threads and the release queue");
    let shared: Py<PyList, B> = Python::<B>::with_gil(|py| PyList::empty(py).unwrap().unbind());
    let handles: Vec<_> = (0..4)
        .map(|worker| {
            let list = Python::<B>::with_gil(|py| shared.clone_ref(py));
            std::thread::spawn(move || {
                Python::<B>::with_gil(|py| list.bind(py).append(worker).unwrap());
                let total: u64 =
                    Python::<B>::with_gil(|py| py.allow_threads(|| (0..1_000_000u64).sum()));
                drop(list); // no GIL here: the reference waits in the release queue
                total
            })
        })
        .collect();
    let totals: Vec<u64> = handles
        .into_iter()
        .map(|handle| handle.join().unwrap())
        .collect();
    println!("4 threads computed {} with the GIL released", totals[0]);
    println!(
        "references waiting for the GIL: {}",
        Python::<B>::pending_releases()
    );
    Python::<B>::with_gil(|py| {
        println!(
            "after the next with_gil: {} waiting; list len {}",
            Python::<B>::pending_releases(),
            shared.bind(py).len()
        );
        drop(shared);
    });
}

fn reused_dict_loop<B: Inspect>(iterations: usize) -> PyResult<(), B> {
    section(&format!(
        "the reused-dict loop: {iterations} calls of a native callback"
    ));
    Python::<B>::with_gil(|py| {
        let callback = Function::new("count_keys", |dict: Py<PyDict, B>| {
            Python::<B>::with_gil(|py| dict.bind(py).len())
        })
        .build(py)?;
        let dict = PyDict::new(py)?;
        dict.set_item("key", "value")?;
        let step = (iterations / 5).max(1);
        let mut start_kib = None;
        for iteration in 0..iterations {
            let keys: usize = callback.call1((&dict,))?.extract()?;
            debug_assert_eq!(keys, 1);
            if iteration % step == 0 || iteration + 1 == iterations {
                let rss = resident_kib();
                start_kib = start_kib.or(rss);
                let rss = rss.map_or("n/a".to_owned(), |kib| format!("{kib} KiB"));
                println!(
                    "  iteration {iteration:>9}: {}, resident {rss}",
                    B::live_objects(py)?
                );
            }
        }
        if let (Some(start), Some(end)) = (start_kib, resident_kib()) {
            let growth = end.saturating_sub(start);
            let (limit, reason) = B::loop_growth_limit_kib(py)?;
            println!(
                "resident memory growth over {iterations} iterations: {growth} KiB (limit {limit} KiB: {reason})"
            );
            if growth > limit {
                return Err(PyErr::new::<anypy::exceptions::MemoryError, _>(format!(
                    "the reused-dict loop grew resident memory by {growth} KiB"
                )));
            }
        }
        println!("flat: every temporary was released, no pool grew");
        Ok(())
    })
}

fn tour<B: Inspect>(iterations: usize) -> PyResult<(), B> {
    Python::<B>::with_gil(|py| {
        objects_and_conversions(py)?;
        containers(py)?;
        errors(py)?;
        native_functions(py)
    })?;
    threads::<B>();
    reused_dict_loop::<B>(iterations)?;
    section("at the end");
    println!("{}", B::final_report());
    Ok(())
}

/// The command line: `--backend NAME`, `--iterations N`.
struct Options {
    backend: String,
    iterations: usize,
}

fn parse_options() -> Result<Options, String> {
    let mut options = Options {
        backend: "mock".to_owned(),
        iterations: 1_000_000,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--backend" => options.backend = value("--backend")?,
            "--iterations" => {
                options.iterations = value("--iterations")?
                    .parse()
                    .map_err(|err| format!("--iterations: {err}"))?
            }
            "--help" | "-h" => {
                return Err("usage: tour [--backend mock|cpython|pypy] [--iterations N]".to_owned())
            }
            other => return Err(format!("unknown argument `{other}` (try --help)")),
        }
    }
    Ok(options)
}

/// Starts `B` (a missing interpreter is an error to print, not a panic), then tours it.
fn run<B: Inspect>(iterations: usize) -> Result<(), String> {
    println!("anypy tour on the `{}` backend", B::NAME);
    Python::<B>::try_with_gil(|_py| ()).map_err(|err| err.to_string())?;
    tour::<B>(iterations).map_err(|err| err.to_string())
}

fn main() -> ExitCode {
    let options = match parse_options() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = match options.backend.as_str() {
        "mock" => Mock::leak_check(|| run::<Mock>(options.iterations)),
        "cpython" => run::<CPython>(options.iterations),
        "pypy" => {
            if std::env::var_os("PYPY_GC_NURSERY").is_none() {
                // Read by PyPy at start-up; nothing runs on another thread yet.
                std::env::set_var("PYPY_GC_NURSERY", "16M");
                println!("(PYPY_GC_NURSERY=16M: see the tour's docs)");
            }
            run::<PyPy>(options.iterations)
        }
        other => Err(format!(
            "unknown backend `{other}`; available: mock, cpython, pypy"
        )),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("tour failed: {message}");
            ExitCode::FAILURE
        }
    }
}
