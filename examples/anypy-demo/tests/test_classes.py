"""Classes defined in Rust, as CPython and PyPy see them: the module's exception classes
(made with anypy's create_exception!). Run by `scripts/test-extension <python> <features>`."""

import traceback

import pytest

import anypy_demo as demo


# --- exception classes ----------------------------------------------------------------------


def test_exception_classes_derive_as_declared():
    assert issubclass(demo.DemoError, Exception)
    assert issubclass(demo.VersionError, demo.DemoError)
    assert demo.VersionError.__mro__ == (
        demo.VersionError, demo.DemoError, Exception, BaseException, object
    )
    assert demo.VersionError.__module__ == "anypy_demo"
    assert demo.VersionError.__name__ == "VersionError"
    assert demo.VersionError.__doc__ == "A version string is not three dot-separated numbers."


def test_raised_from_rust_and_caught_by_class_and_bases():
    assert demo.parse_version("3.11.7") == (3, 11, 7)
    with pytest.raises(demo.VersionError, match=r"'1\.x\.3': each part must be a number"):
        demo.parse_version("1.x.3")
    with pytest.raises(demo.DemoError):
        demo.parse_version("1.2")
    try:
        demo.parse_version("1")
    except Exception as err:  # caught by the builtin base too
        assert type(err) is demo.VersionError
        assert err.args == ("'1': expected three parts, got 1",)
        line = traceback.format_exception_only(type(err), err)[-1]
        assert line == "anypy_demo.VersionError: '1': expected three parts, got 1\n"
    else:
        pytest.fail("no exception")


def test_exception_classes_can_be_raised_and_subclassed_in_python():
    class Mine(demo.VersionError):
        pass

    with pytest.raises(demo.DemoError) as info:
        raise Mine("from Python")
    assert isinstance(info.value, demo.VersionError)
    assert str(info.value) == "from Python"
