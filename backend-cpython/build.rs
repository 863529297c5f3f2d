//! Finds the CPython to build against (`ANYPY_PYTHON`, then `PYO3_PYTHON` as set by maturin,
//! then `python3` on `PATH`), checks that anypy supports it, passes its version to the crate as
//! cfgs, writes the object layout measured on it (`build/probe.py`) for the crate's compile-time
//! layout checks, and in embedding mode links its shared library with an rpath. Every failure
//! names the interpreter and what to do.

use std::env;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::{exit, Command};

/// The CPython minor versions (3.x) anypy-cpython supports. 3.8 is refused: it exports neither
/// `PyObject_Vectorcall` nor `PyCMethod_New` (both inline or absent there) and is end-of-life.
const SUPPORTED_MINORS: std::ops::RangeInclusive<u32> = 9..=13;

/// What the interpreter reports about itself, one `key=value` per line.
const PROBE: &str = include_str!("build/probe.py");

/// The measured layout values the crate checks its inline reads against (`usize` constants).
const LAYOUT_KEYS: &[&str] = &[
    "ob_type_offset",
    "ob_size_offset",
    "tuple_items_offset",
    "list_items_offset",
    "tp_name_offset",
    "tp_flags_offset",
    "capsule_pointer_offset",
    "module_def_base_size",
    "module_state_offset",
    "int_digit_offset",
    "int_digit_size",
];

fn fail(message: String) -> ! {
    eprintln!("\nerror: anypy-cpython: {message}\n");
    exit(1)
}

fn supported() -> String {
    let (first, last) = (SUPPORTED_MINORS.start(), SUPPORTED_MINORS.end());
    format!("CPython 3.{first} to 3.{last} (with the GIL; free-threaded builds are not supported)")
}

/// The interpreter to ask, and where its name came from.
fn interpreter() -> (String, &'static str) {
    for var in ["ANYPY_PYTHON", "PYO3_PYTHON"] {
        println!("cargo:rerun-if-env-changed={var}");
        if let Ok(path) = env::var(var) {
            if !path.is_empty() {
                return (path, var);
            }
        }
    }
    println!("cargo:rerun-if-env-changed=PATH");
    ("python3".to_owned(), "PATH")
}

/// The probe's report as a lookup function.
fn probe(python: &str, source: &str) -> impl Fn(&str) -> String {
    let output = match Command::new(python).arg("-c").arg(PROBE).output() {
        Ok(output) => output,
        Err(err) => fail(format!(
            "could not run the Python interpreter `{python}` (found through {source}): {err}. \
             Install one of {}, or set ANYPY_PYTHON to its path.",
            supported()
        )),
    };
    if !output.status.success() {
        fail(format!(
            "`{python}` (found through {source}) failed to report its configuration: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let report = String::from_utf8_lossy(&output.stdout).into_owned();
    move |key: &str| {
        report
            .lines()
            .find_map(|line| line.strip_prefix(key)?.strip_prefix('='))
            .unwrap_or_default()
            .to_owned()
    }
}

fn main() {
    println!("cargo:rerun-if-changed=build/probe.py");
    let (python, source) = interpreter();
    let get = probe(&python, source);
    let abi3 = env::var_os("CARGO_FEATURE_ABI3").is_some();

    let (implementation, version) = (get("implementation"), get("version"));
    if implementation != "cpython" {
        fail(format!(
            "`{python}` (found through {source}) is {implementation}, not CPython; use the \
             anypy-pypy backend for PyPy, or set ANYPY_PYTHON to one of {}",
            supported()
        ));
    }
    let minor = version
        .strip_prefix("3.")
        .and_then(|minor| minor.parse::<u32>().ok())
        .filter(|minor| SUPPORTED_MINORS.contains(minor))
        .unwrap_or_else(|| {
            fail(format!(
                "`{python}` (found through {source}) is CPython {}; anypy-cpython supports {}. \
                 Set ANYPY_PYTHON to a supported interpreter (e.g. `$(pyenv prefix 3.12)/bin/python3.12`).",
                get("full_version"),
                supported()
            ))
        });
    if get("gil_disabled") == "1" {
        fail(format!(
            "`{python}` (found through {source}) is a free-threaded build of CPython {} \
             (Py_GIL_DISABLED), whose object header and reference counting differ; anypy-cpython \
             supports {}.",
            get("full_version"),
            supported()
        ));
    }
    if get("debug") == "1" || get("pointer_size") != "8" {
        fail(format!(
            "`{python}` is a debug or non-64-bit build of CPython {version}, whose object layout \
             differs; use a release build on a 64-bit target."
        ));
    }

    version_cfgs(minor, abi3);
    write_layout(&get, &python);

    if env::var_os("CARGO_FEATURE_EXTENSION_MODULE").is_some() {
        // Extension mode: link nothing, the importing interpreter provides the symbols.
        return;
    }
    link(&get, &python, &version);
}

/// `Py_3_10` .. `Py_3_13` for every version up to the one built against (`Py_3_9` is the floor
/// and implied), and `Py_LIMITED_API` with the `abi3` feature, which sets no version cfg: the
/// code must then run on every supported version.
fn version_cfgs(minor: u32, abi3: bool) {
    let floor = *SUPPORTED_MINORS.start();
    for known in floor + 1..=*SUPPORTED_MINORS.end() {
        println!("cargo::rustc-check-cfg=cfg(Py_3_{known})");
        if !abi3 && known <= minor {
            println!("cargo::rustc-cfg=Py_3_{known}");
        }
    }
    println!("cargo::rustc-check-cfg=cfg(Py_LIMITED_API)");
    if abi3 {
        println!("cargo::rustc-cfg=Py_LIMITED_API");
    }
    // For dependents' build scripts, as DEP_PYTHON_VERSION.
    println!("cargo:version=3.{minor}");
}

/// Writes `$OUT_DIR/measured_layout.rs`: the probe's layout measurements as constants.
fn write_layout(get: &impl Fn(&str) -> String, python: &str) {
    let mut code = format!("// Measured by build/probe.py on `{python}`.\n");
    let number = |key: &str| {
        let value = get(key);
        value.parse::<i64>().unwrap_or_else(|_| {
            fail(format!(
                "`{python}` did not report `{key}` (got `{value}`): its object layout could not be \
                 measured (is ctypes available?)"
            ))
        })
    };
    for key in LAYOUT_KEYS {
        let name = key.to_uppercase();
        writeln!(code, "pub(crate) const {name}: usize = {};", number(key)).unwrap();
    }
    writeln!(
        code,
        "pub(crate) const API_VERSION: i32 = {};",
        number("api_version")
    )
    .unwrap();
    writeln!(
        code,
        "pub(crate) const NONE_REFCNT: isize = {};",
        number("none_refcnt")
    )
    .unwrap();
    writeln!(
        code,
        "pub(crate) const SUBCLASS_BITS: &[u32] = &[{}];",
        get("subclass_bits")
    )
    .unwrap();
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("measured_layout.rs"), code)
        .unwrap_or_else(|err| fail(format!("could not write measured_layout.rs: {err}")));
}

/// Embedding: links the interpreter's shared libpython, with an rpath for this crate's own
/// tests and benches; dependents get the directory as `DEP_PYTHON_LIBDIR`.
fn link(get: &impl Fn(&str) -> String, python: &str, version: &str) {
    let (libdir, ldlibrary) = (get("libdir"), get("ldlibrary"));
    if get("shared") != "1" {
        fail(format!(
            "embedding needs libpython as a shared library, but `{python}` (CPython {version}) was \
             built without --enable-shared (LDLIBRARY={ldlibrary}). Use a shared build, or enable \
             the `extension-module` feature to build an extension module."
        ));
    }
    let name = ldlibrary
        .strip_prefix("lib")
        .and_then(|name| name.strip_suffix(".so"))
        .unwrap_or_else(|| {
            fail(format!(
                "unexpected LDLIBRARY `{ldlibrary}` from `{python}`"
            ))
        });
    println!("cargo:rustc-link-search=native={libdir}");
    println!("cargo:rustc-link-lib=dylib={name}");
    println!("cargo:rustc-link-arg=-Wl,-rpath,{libdir}");
    println!("cargo:libdir={libdir}");
}
