//! The whole conformance suite on PyPy, embedded: the same tests as on the mock and CPython.

anypy_conformance::conformance_suite!(anypy_pypy::PyPy, anypy_conformance::support::run_plain);
