"""The conversion functions of anypy_demo from Python, on CPython and on PyPy: sets and
frozensets, 128-bit and any-size ints, and paths (str, bytes, os.PathLike), with the exact
error messages. SIGNATURES and CALLS join the module-wide checks in test_anypy_demo.py."""

import os
import pathlib
import random

import pytest

import anypy_demo as demo

# Each function and the signature `inspect.signature` reports for it.
SIGNATURES = {
    "common": "(a, b)",
    "letters": "(text)",
    "mul128": "(a, b)",
    "int_to_bytes": "(n)",
    "int_from_bytes": "(data)",
    "path_parts": "(path)",
    "with_suffix": "(path, suffix)",
}


class Set(set):
    pass


class FrozenSet(frozenset):
    pass


class Str(str):
    pass


class Bytes(bytes):
    pass


class Path(type(pathlib.PurePath())):
    pass


# Calls whose argument objects test_anypy_demo.py watches for leaked references.
CALLS = [
    ("common", lambda: (Set({10**6, 2, 3}), FrozenSet({2, 3, 4}))),
    ("common", lambda: (Set({"x"}), FrozenSet({1}))),
    ("letters", lambda: (Str("some letters and 1 digit"),)),
    ("mul128", lambda: (2**70, -(2**50))),
    ("mul128", lambda: (2**127, 1)),
    ("int_to_bytes", lambda: (-(2**300) + 12345,)),
    ("int_from_bytes", lambda: (Bytes(bytes(range(40))),)),
    ("path_parts", lambda: (Path("/usr/lib/some/file.txt"),)),
    ("path_parts", lambda: (Str("relative/dir"),)),
    ("with_suffix", lambda: (Path("dir/a.txt"), Str("md"))),
]


def test_keyword_calls():
    assert demo.common(b=frozenset({1, 2}), a={2, 3}) == {2}
    assert demo.with_suffix(path="a/b.txt", suffix="md") == "a/b.md"
    assert demo.int_from_bytes(data=b"\xff") == -1


def test_common_and_letters():
    both = demo.common({1, 2, 3}, frozenset({2, 3, 4}))
    assert type(both) is set
    assert both == {2, 3}
    assert demo.common(frozenset(), {1}) == set()
    letters = demo.letters("a1b a")
    assert type(letters) is frozenset
    assert letters == frozenset("ab")
    assert demo.letters("") == frozenset()


def test_set_argument_errors():
    with pytest.raises(TypeError) as raised:
        demo.common([1], {1})
    assert str(raised.value) == "common() argument 'a': expected set or frozenset, got list"
    with pytest.raises(TypeError) as raised:
        demo.common({1}, {"x"})
    assert str(raised.value) == "common() argument 'b': expected int, got str"


def test_mul128():
    assert demo.mul128(2**64, 3) == 3 * 2**64
    assert demo.mul128(-(2**126), 2) == -(2**127)
    assert demo.mul128(7, 6) == 42
    with pytest.raises(OverflowError) as raised:
        demo.mul128(2**126, 2)
    assert str(raised.value) == "mul128(): the product does not fit in 128 bits"
    with pytest.raises(OverflowError) as raised:
        demo.mul128(2**127, 1)
    assert str(raised.value) == "mul128() argument 'a': int too big to convert"
    with pytest.raises(TypeError) as raised:
        demo.mul128(1.0, 1)
    assert str(raised.value) == "mul128() argument 'a': expected int, got float"


def _shortest(n):
    """What int_to_bytes should give: Python's own to_bytes at the shortest signed length."""
    length = 1
    while not _fits(n, length):
        length += 1
    return n.to_bytes(length, "little", signed=True)


def _fits(n, length):
    return -(2 ** (8 * length - 1)) <= n < 2 ** (8 * length - 1)


@pytest.mark.parametrize(
    "n",
    [0, 1, -1, 127, 128, -128, -129, 255, 2**63, -(2**63) - 1, 2**64, 2**127 - 1, -(2**127),
     2**200 + 12345, -(2**300) + 1, 3**150],
)
def test_int_bytes_of_any_size(n):
    data = demo.int_to_bytes(n)
    assert data == _shortest(n)
    assert demo.int_from_bytes(data) == n
    assert demo.int_from_bytes(n.to_bytes(len(data) + 5, "little", signed=True)) == n


def test_int_from_random_bytes():
    generator = random.Random(1234)
    for length in range(0, 70):
        data = bytes(generator.randrange(256) for _ in range(length))
        assert demo.int_from_bytes(data) == int.from_bytes(data, "little", signed=True)


def test_int_to_bytes_type_error():
    with pytest.raises(TypeError) as raised:
        demo.int_to_bytes("12")
    assert str(raised.value) == "int_to_bytes() argument 'n': expected int, got str"


def test_paths_from_str_bytes_and_pathlike():
    assert demo.path_parts("/usr/lib/x.so") == ["/", "usr", "lib", "x.so"]
    assert demo.path_parts(b"a/b") == ["a", "b"]
    assert demo.path_parts(pathlib.PurePosixPath("base", "leaf.txt")) == ["base", "leaf.txt"]
    assert demo.path_parts(pathlib.Path("rel") / "x") == ["rel", "x"]
    assert demo.with_suffix(pathlib.Path("dir/a.txt"), "md") == "dir/a.md"
    assert demo.with_suffix("noext", ".rs") == "noext.rs"
    assert type(demo.with_suffix("a.b", "c")) is str


def test_paths_that_are_not_utf8_round_trip_as_os_does():
    undecodable = os.fsdecode(b"caf\xe9.txt")
    assert demo.with_suffix(undecodable, "md") == os.fsdecode(b"caf\xe9.md")
    assert demo.with_suffix(b"caf\xe9.txt", "md") == os.fsdecode(b"caf\xe9.md")
    assert os.fsencode(demo.with_suffix(pathlib.Path(undecodable), "rs")) == b"caf\xe9.rs"


def test_path_errors():
    with pytest.raises(TypeError) as raised:
        demo.path_parts(5)
    assert str(raised.value) == (
        "path_parts() argument 'path': expected str, bytes or os.PathLike object, not int"
    )
    with pytest.raises(ValueError) as raised:
        demo.with_suffix("/", "md")
    assert str(raised.value) == "with_suffix(): / has an empty name"
