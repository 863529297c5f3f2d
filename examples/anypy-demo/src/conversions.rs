//! Conversions beyond the basics: sets (`common`, `letters`), 128-bit and any-size ints
//! (`mul128`, `int_to_bytes`, `int_from_bytes`) and paths (`path_parts`, `with_suffix`).

use std::collections::{BTreeSet, HashSet};
use std::path::PathBuf;

use anypy::exceptions::{OverflowError, ValueError};
use anypy::types::{PyFrozenSet, PyInt};
use anypy::{Backend, Bound, ModuleBuilder, Py, PyErr, PyResult};

pub(crate) fn register<B: Backend>(m: &ModuleBuilder<'_, B>) -> PyResult<(), B> {
    m.add_function(common::function())?;
    m.add_function(letters::function())?;
    m.add_function(mul128::function())?;
    m.add_function(int_to_bytes::function())?;
    m.add_function(int_from_bytes::function())?;
    m.add_function(path_parts::function())?;
    m.add_function(with_suffix::function())?;
    Ok(())
}

anypy::function! {
    /// Return the ints in both sets (or frozensets) a and b.
    fn common<B>(a: HashSet<i64>, b: BTreeSet<i64>) -> PyResult<BTreeSet<i64>, B> {
        Ok(b.into_iter().filter(|n| a.contains(n)).collect())
    }
}

anypy::function! {
    /// Return the frozenset of the alphabetic characters of text.
    fn letters<B>(py: Python<'_, B>, text: &str) -> PyResult<Py<PyFrozenSet, B>, B> {
        let letters = text.chars().filter(|c| c.is_alphabetic());
        Ok(PyFrozenSet::new(py, letters)?.unbind())
    }
}

anypy::function! {
    /// Return a * b for 128-bit signed ints (OverflowError past 128 bits).
    fn mul128<B>(a: i128, b: i128) -> PyResult<i128, B> {
        a.checked_mul(b).ok_or_else(|| {
            PyErr::new::<OverflowError, _>("mul128(): the product does not fit in 128 bits")
        })
    }
}

anypy::function! {
    /// Return n as little-endian two's complement bytes, as short as they can be.
    fn int_to_bytes<'py, B>(n: &Bound<'py, PyInt, B>) -> PyResult<Vec<u8>, B> {
        n.to_le_bytes(true)
    }
}

anypy::function! {
    /// Read little-endian two's complement bytes as an int of any size.
    fn int_from_bytes<'py, B>(py: Python<'py, B>, data: &[u8]) -> PyResult<Bound<'py, PyInt, B>, B> {
        PyInt::from_le_bytes(py, data, true)
    }
}

anypy::function! {
    /// Return the components of a str, bytes or os.PathLike path.
    fn path_parts<B>(path: PathBuf) -> PyResult<Vec<String>, B> {
        Ok(path
            .components()
            .map(|part| part.as_os_str().to_string_lossy().into_owned())
            .collect())
    }
}

anypy::function! {
    /// Return path with its extension replaced by suffix.
    fn with_suffix<B>(path: PathBuf, suffix: &str) -> PyResult<PathBuf, B> {
        if path.file_name().is_none() {
            return Err(PyErr::new::<ValueError, _>(format!(
                "with_suffix(): {} has an empty name",
                path.display()
            )));
        }
        Ok(path.with_extension(suffix.trim_start_matches('.')))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use anypy::types::{PyAny, PyFrozenSet, PyModule, PySet, PyTuple};
    use anypy::ExceptionKind::{MemoryError, OverflowError, TypeError, ValueError};
    use anypy::{Bound, Python};
    use anypy_mock::Mock;

    use crate::testing::{assert_raises, call, call_as, with_demo};

    #[test]
    fn sets_in_and_out() {
        with_demo(|py, m| {
            let a = PySet::new(py, [1i64, 2, 3]).unwrap();
            let b = PyFrozenSet::new(py, [2i64, 3, 4]).unwrap();
            let both = call(m, "common", (&a, &b)).unwrap();
            assert!(both.is_instance_of::<PySet>());
            assert_eq!(
                both.extract::<BTreeSet<i64>>().unwrap(),
                BTreeSet::from([2, 3])
            );
            let letters = call(m, "letters", ("a1b a",)).unwrap();
            assert!(letters.is_instance_of::<PyFrozenSet>());
            assert_eq!(
                letters.extract::<BTreeSet<char>>().unwrap(),
                BTreeSet::from(['a', 'b'])
            );
            assert_raises(
                py,
                call(m, "common", (vec![1i64], &b)),
                TypeError,
                "common() argument 'a': expected set or frozenset, got list",
            );
        });
    }

    /// `common(set, frozenset)` (case 0) or `int_from_bytes(40 bytes)` (case 1), with its
    /// arguments made.
    fn prepared<'py>(
        py: Python<'py, Mock>,
        m: &Bound<'py, PyModule, Mock>,
        case: usize,
    ) -> (Bound<'py, PyAny, Mock>, Bound<'py, PyTuple, Mock>) {
        let (name, args) = match case {
            0 => {
                let a = PySet::new(py, [1i64, 2, 3]).unwrap();
                let b = PyFrozenSet::new(py, [2i64, 3, 4]).unwrap();
                ("common", py.to_object((a, b)))
            }
            _ => ("int_from_bytes", py.to_object((vec![0x5a_u8; 40],))),
        };
        let args = args.unwrap().downcast_into::<PyTuple>().unwrap();
        (m.getattr(name).unwrap(), args)
    }

    /// Each allocation `common` (sets in, a set out) and `int_from_bytes` (an int built limb by
    /// limb) make fails in turn: a clean `MemoryError`, nothing leaked.
    #[test]
    fn sets_and_big_ints_fail_cleanly_at_every_allocation() {
        for case in 0..2 {
            let needed = with_demo(|py, m| {
                let (function, args) = prepared(py, m, case);
                let start = Mock::allocations();
                drop(function.call1(&args).unwrap());
                Mock::allocations() - start
            });
            assert!(needed >= 3, "case {case}: counted {needed}");
            for failing in 1..=needed as usize {
                with_demo(|py, m| {
                    let (function, args) = prepared(py, m, case);
                    let _fault = Mock::fail_allocation(failing, MemoryError);
                    let err = function
                        .call1(&args)
                        .expect_err("an allocation was made to fail");
                    assert!(
                        err.matches(py, MemoryError),
                        "case {case}, allocation {failing}: {err}"
                    );
                });
            }
        }
    }

    #[test]
    fn wide_ints() {
        with_demo(|py, m| {
            let big = i128::from(u64::MAX);
            assert_eq!(call_as::<i128>(m, "mul128", (big, -3i64)), big * -3);
            assert_raises(
                py,
                call(m, "mul128", (i128::MAX, 2i64)),
                OverflowError,
                "mul128(): the product does not fit in 128 bits",
            );
            assert_eq!(
                call_as::<Vec<u8>>(m, "int_to_bytes", (-129i64,)),
                [0x7f, 0xff]
            );
            let back = call_as::<i128>(m, "int_from_bytes", (i128::MIN.to_le_bytes().to_vec(),));
            assert_eq!(back, i128::MIN);
        });
    }

    #[test]
    fn paths() {
        with_demo(|py, m| {
            let parts = call_as::<Vec<String>>(m, "path_parts", ("/usr/lib/x.so",));
            assert_eq!(parts, ["/", "usr", "lib", "x.so"]);
            let bytes_parts = call_as::<Vec<String>>(m, "path_parts", (b"a/b".to_vec(),));
            assert_eq!(bytes_parts, ["a", "b"]);
            assert_eq!(
                call_as::<String>(m, "with_suffix", ("dir/a.txt", ".md")),
                "dir/a.md"
            );
            assert_raises(
                py,
                call(m, "path_parts", (5i64,)),
                TypeError,
                "path_parts() argument 'path': expected str, bytes or os.PathLike object, not int",
            );
            assert_raises(
                py,
                call(m, "with_suffix", ("/", "md")),
                ValueError,
                "with_suffix(): / has an empty name",
            );
        });
    }
}
