//! Finds the CPython to build against (`ANYPY_PYTHON`, then `PYO3_PYTHON` as set by maturin,
//! then `python3` on `PATH`), checks that anypy supports it, and in embedding mode links its
//! shared library with an rpath. Every failure names the interpreter and what to do.

use std::env;
use std::process::{exit, Command};

/// The CPython versions whose object layout and refcounting anypy inlines.
const SUPPORTED: &[&str] = &["3.11"];

/// What the interpreter reports about itself, one `key=value` per line.
const PROBE: &str = "\
import sys, sysconfig
v = sysconfig.get_config_var
print('implementation=' + sys.implementation.name)
print('version=%d.%d' % sys.version_info[:2])
print('full_version=' + sys.version.split()[0])
print('libdir=' + str(v('LIBDIR')))
print('ldlibrary=' + str(v('LDLIBRARY')))
print('shared=' + str(v('Py_ENABLE_SHARED')))
print('debug=' + str(v('Py_DEBUG')))
print('pointer_size=' + str(v('SIZEOF_VOID_P')))
";

fn fail(message: String) -> ! {
    eprintln!("\nerror: anypy-cpython: {message}\n");
    exit(1)
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

fn main() {
    let (python, source) = interpreter();
    let output = match Command::new(&python).arg("-c").arg(PROBE).output() {
        Ok(output) => output,
        Err(err) => fail(format!(
            "could not run the Python interpreter `{python}` (found through {source}): {err}. \
             Install CPython {} or set ANYPY_PYTHON to its path.",
            SUPPORTED.join(" or ")
        )),
    };
    if !output.status.success() {
        fail(format!(
            "`{python}` (found through {source}) failed to report its configuration: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let report = String::from_utf8_lossy(&output.stdout).into_owned();
    let get = |key: &str| {
        report
            .lines()
            .find_map(|line| line.strip_prefix(key)?.strip_prefix('='))
            .unwrap_or_default()
            .to_owned()
    };

    let (implementation, version) = (get("implementation"), get("version"));
    if implementation != "cpython" {
        fail(format!(
            "`{python}` (found through {source}) is {implementation}, not CPython; use the \
             anypy-pypy backend for PyPy, or set ANYPY_PYTHON to a CPython {}",
            SUPPORTED.join(" or ")
        ));
    }
    if !SUPPORTED.contains(&version.as_str()) {
        fail(format!(
            "`{python}` (found through {source}) is CPython {}; anypy-cpython supports CPython {}. \
             Set ANYPY_PYTHON to a supported interpreter.",
            get("full_version"),
            SUPPORTED.join(", ")
        ));
    }
    if get("debug") == "1" || get("pointer_size") != "8" {
        fail(format!(
            "`{python}` is a debug or non-64-bit build of CPython {version}, whose object layout \
             differs; use a release build on a 64-bit target."
        ));
    }

    if env::var_os("CARGO_FEATURE_EXTENSION_MODULE").is_some() {
        // Extension mode: link nothing, the importing interpreter provides the symbols.
        return;
    }
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
    // For this crate's own tests and benches; dependents get the directory as DEP_PYTHON_LIBDIR.
    println!("cargo:rustc-link-arg=-Wl,-rpath,{libdir}");
    println!("cargo:libdir={libdir}");
}
