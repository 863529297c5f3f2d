//! `PathBuf`/`&Path`: read from `str`, `bytes` and `os.PathLike` objects as `open()` reads them,
//! made as `str`; the `TypeError` for anything else is Python's own.

use std::path::{Path, PathBuf};

use anypy::types::PyStr;
use anypy::{Backend, ExceptionKind};

use crate::support::{assert_raises, with_py};

/// A path goes to Python as a `str` and comes back equal.
pub fn path_to_str_and_back<B: Backend>() {
    with_py::<B>(|py| {
        let path = Path::new("/tmp/anypy/données.txt");
        let object = py.to_object(path)?;
        assert!(object.is_instance_of::<PyStr>());
        assert_eq!(object.extract::<String>()?, "/tmp/anypy/données.txt");
        assert_eq!(object.extract::<PathBuf>()?, path);
        let owned = PathBuf::from("relative/dir");
        assert_eq!(py.to_object(&owned)?.extract::<String>()?, "relative/dir");
        assert_eq!(py.to_object(owned.clone())?.extract::<PathBuf>()?, owned);
        let maybe: Option<PathBuf> = py.none().into_any().extract()?;
        assert!(maybe.is_none());
        let before = object.get_refcnt();
        for _ in 0..3 {
            object.extract::<PathBuf>()?;
        }
        assert_eq!(
            object.get_refcnt(),
            before,
            "reading a path keeps no reference"
        );
        Ok(())
    });
}

/// A `bytes` path is read as its bytes (on Unix, not necessarily UTF-8). A path that is not
/// UTF-8 goes to Python as `os.fsdecode` makes it and comes back as the same bytes (the mock
/// has no `os` module: there that is its `ImportError`).
pub fn path_from_bytes<B: Backend>() {
    with_py::<B>(|py| {
        let object = py.to_object(b"dir/file.bin".as_slice())?;
        assert_eq!(object.extract::<PathBuf>()?, Path::new("dir/file.bin"));
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let raw = py.to_object(b"caf\xe9".as_slice())?.extract::<PathBuf>()?;
            assert_eq!(raw.as_os_str().as_bytes(), b"caf\xe9");
            match py.import("os") {
                Ok(os) => {
                    let decoded = py.to_object(raw.as_path())?;
                    let expected = os.getattr("fsdecode")?.call1((b"caf\xe9".as_slice(),))?;
                    assert!(decoded.is_instance_of::<PyStr>());
                    assert!(
                        decoded.eq(&expected)?,
                        "{decoded:?} is os.fsdecode's {expected:?}"
                    );
                    assert_eq!(
                        decoded.extract::<PathBuf>()?,
                        raw,
                        "back through os.fsencode"
                    );
                }
                Err(err) => {
                    assert_eq!(B::NAME, "mock", "{err}");
                    assert_raises(
                        py,
                        py.to_object(raw.as_path()),
                        ExceptionKind::ImportError,
                        "os",
                    );
                }
            }
        }
        Ok(())
    });
}

/// Any `os.PathLike` is read through `__fspath__` (the real interpreters' `pathlib`; the mock has
/// no `pathlib` module, which is an `ImportError` there).
pub fn path_from_pathlike<B: Backend>() {
    with_py::<B>(|py| {
        match py.import("pathlib") {
            Ok(pathlib) => {
                let pure = pathlib
                    .getattr("PurePosixPath")?
                    .call1(("base", "leaf.txt"))?;
                assert_eq!(pure.extract::<PathBuf>()?, Path::new("base/leaf.txt"));
            }
            Err(err) => {
                assert_eq!(B::NAME, "mock", "{err}");
                assert!(err.matches(py, ExceptionKind::ImportError), "{err}");
            }
        }
        Ok(())
    });
}

/// Anything else is Python's own `TypeError`.
pub fn path_type_errors<B: Backend>() {
    with_py::<B>(|py| {
        let message = "expected str, bytes or os.PathLike object, not int";
        let number = py.to_object(3i64)?;
        assert_raises(
            py,
            number.extract::<PathBuf>(),
            ExceptionKind::TypeError,
            message,
        );
        let list = py.to_object(vec!["a"])?;
        assert_raises(
            py,
            list.extract::<PathBuf>(),
            ExceptionKind::TypeError,
            "expected str, bytes or os.PathLike object, not list",
        );
        Ok(())
    });
}

#[doc(hidden)]
#[macro_export]
macro_rules! __suite_paths {
    ($backend:ty, $harness:expr) => {
        $crate::__conformance_emit!($backend, $harness;
            paths::path_to_str_and_back,
            paths::path_from_bytes,
            paths::path_from_pathlike,
            paths::path_type_errors,
        );
    };
}
