//! What differs between CPython versions, checked on the interpreter the tests run in: the build
//! was made for it (or for the stable ABI), and from 3.12 on the objects CPython makes immortal
//! keep their count unchanged however many anypy handles are made and dropped; before 3.12 each
//! handle is one reference.

use anypy::types::{PyAny, PyInt, PyStr};
use anypy::{Bound, PyResult, Python};
use anypy_cpython::{CPython, BUILT_FOR};

/// `sys.version_info[:2]` of the running interpreter.
fn running_version(py: Python<'_, CPython>) -> PyResult<(u32, u32), CPython> {
    let info = py.import("sys")?.getattr("version_info")?;
    Ok((info.get_item(0)?.extract()?, info.get_item(1)?.extract()?))
}

#[test]
fn built_for_the_running_interpreter() {
    Python::<CPython>::with_gil(|py| {
        let running = running_version(py).unwrap();
        if cfg!(feature = "abi3") {
            assert_eq!(BUILT_FOR, (3, 9), "abi3 builds target the 3.9 limited API");
            assert!(running >= BUILT_FOR, "running {running:?}");
        } else {
            assert_eq!(
                BUILT_FOR, running,
                "built for one version, running on another"
            );
        }
    });
}

/// Objects CPython shares, each with whether it is immortal on `version`: `None`, a small int, a
/// one-character str and an interned identifier are from 3.12 on; a str interned at run time was
/// immortal in 3.12 only (3.13 made such strings mortal; only statically allocated ones stay
/// immortal).
#[allow(clippy::type_complexity)]
fn shared_objects(
    py: Python<'_, CPython>,
) -> PyResult<Vec<(Bound<'_, PyAny, CPython>, fn((u32, u32)) -> bool)>, CPython> {
    let intern = py.import("sys")?.getattr("intern")?;
    // Built from pieces, so the str passed is not already the interned one.
    let identifier = intern.call1((["__na", "me__"].concat(),))?;
    let runtime = intern.call1((["anypy_", "interned"].concat(),))?;
    Ok(vec![
        (py.none().into_any(), |version| version >= (3, 12)),
        (PyInt::new(py, 7)?.into_any(), |version| version >= (3, 12)),
        (PyStr::new(py, "a")?.into_any(), |version| {
            version >= (3, 12)
        }),
        (identifier, |version| version >= (3, 12)),
        (runtime, |version| version == (3, 12)),
    ])
}

#[test]
fn immortal_objects_keep_their_count_from_3_12() {
    const HANDLES: isize = 10_000;
    Python::<CPython>::with_gil(|py| {
        let version = running_version(py).unwrap();
        for (shared, immortal_on) in shared_objects(py).unwrap() {
            let immortal = immortal_on(version);
            let before = shared.get_refcnt();
            let handles: Vec<_> = (0..HANDLES).map(|_| shared.clone()).collect();
            let held = shared.get_refcnt();
            drop(handles);
            let after = shared.get_refcnt();
            let expected = if immortal { before } else { before + HANDLES };
            assert_eq!(
                held, expected,
                "{shared:?} with {HANDLES} more handles (immortal: {immortal})"
            );
            assert_eq!(after, before, "{shared:?} after dropping them");
            // `_Py_IsImmortal` (64-bit): the low 32 bits, as a signed int, are negative.
            assert_eq!(
                (before as i32) < 0,
                immortal,
                "{shared:?} has count {before}"
            );
        }
    });
}
