//! One `intern!` site serving two backends in one process, the mock and CPython, from several
//! threads: each backend gets its own `str`, made once and then always the same object.

use anypy::{intern, Backend, Python};
use anypy_cpython::CPython;
use anypy_mock::Mock;

/// The address and text of the `str` this site interned for `B` (one `static` for every `B`:
/// a `static` in a generic function is not duplicated per instantiation).
fn interned<B: Backend>() -> (usize, String) {
    Python::<B>::with_gil(|py| {
        let name = intern!(py, "anypy_two_backends");
        (
            name.as_ptr().as_ptr() as usize,
            name.to_str().unwrap().to_owned(),
        )
    })
}

#[test]
fn one_site_serves_each_backend_its_own_str() {
    let (mock, mock_text) = interned::<Mock>();
    let (cpython, cpython_text) = interned::<CPython>();
    assert_eq!(mock_text, "anypy_two_backends");
    assert_eq!(cpython_text, "anypy_two_backends");
    assert_ne!(mock, cpython);
    let threads: Vec<_> = (0..4)
        .map(|_| {
            std::thread::spawn(|| {
                (0..200).all(|_| {
                    interned::<Mock>().0 == interned::<Mock>().0
                        && interned::<CPython>().0 == interned::<CPython>().0
                })
            })
        })
        .collect();
    for thread in threads {
        assert!(thread.join().unwrap());
    }
    assert_eq!(interned::<Mock>().0, mock);
    assert_eq!(interned::<CPython>().0, cpython);
}
