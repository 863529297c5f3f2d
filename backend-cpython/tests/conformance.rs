//! The whole conformance suite on CPython, embedded: the same tests as on the mock.

anypy_conformance::conformance_suite!(
    anypy_cpython::CPython,
    anypy_conformance::support::run_plain
);
