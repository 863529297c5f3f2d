//! The whole conformance suite on PyPy with a run of PyPy's pending deallocations after every
//! reference anypy releases (`release_interval` 1): the automatic release may run Python code
//! inside any decref, and nothing anypy does may notice, whatever the error state, thread or
//! nesting at that moment.

fn release_always<R>(test: impl FnOnce() -> R) -> R {
    anypy_pypy::memory::set_release_interval(1);
    test()
}

anypy_conformance::conformance_suite!(anypy_pypy::PyPy, release_always);
