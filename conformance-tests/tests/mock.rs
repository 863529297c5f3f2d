//! The whole conformance suite on the mock interpreter, each test inside its leak check.

anypy_conformance::conformance_suite!(anypy_mock::Mock, anypy_mock::Mock::leak_check);
