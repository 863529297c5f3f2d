"""The anypy_demo extension as an interpreter imports it, on CPython and on PyPy: results,
exception types and messages, callbacks and GIL release (test_references.py: calls leak neither
references nor memory). Run by `scripts/test-extension <python> <features>`."""

import importlib.machinery
import inspect
import importlib.metadata
import os
import sys
import threading
import time
import zlib

import pytest

import anypy_demo as demo
import test_conversions

# Every public function and the signature `inspect.signature` must report for it.
SIGNATURES = {
    "add": "(a, b)",
    "factorial": "(n)",
    "hypot": "(x, y)",
    "mean": "(xs)",
    "parse_positive": "(s)",
    "greet": "(name)",
    "reverse": "(s)",
    "checksum": "(data)",
    "xor": "(data, key)",
    "squares": "(n)",
    "sum_list": "(xs)",
    "word_counts": "(text)",
    "invert": "(d)",
    "min_max": "(xs)",
    "swap": "(pair)",
    "panics": "()",
    "apply": "(f, x)",
    "call_n": "(f, n)",
    "sum_of_squares_nogil": "(n)",
    "release_inside": "(obj)",
    "release_inside_owned": "(obj)",
    "scale": "(value, /, factor=2.0, *, offset=0.0)",
    "label": "(text, prefix=None, width=None)",
    "join": "(*parts, sep=' ')",
    "tag": "(name, *children, **attrs)",
    "list_length": "(items)",
    "first": "(items)",
    "noop": "()",
    "parse_version": "(text)",
}
SIGNATURES.update(test_conversions.SIGNATURES)
FUNCTIONS = set(SIGNATURES)

TEXT = "the quick brown fox jumps over the lazy dog and the cat saw the fox run far away"


# --- the module ---------------------------------------------------------------------------


def test_the_module_is_the_extension_for_this_interpreter():
    # scripts/test-extension sets ANYPY_DEMO_ABI3=1 when testing the stable-ABI wheel.
    abi3 = os.environ.get("ANYPY_DEMO_ABI3") == "1"
    suffix = ".abi3.so" if abi3 else importlib.machinery.EXTENSION_SUFFIXES[0]
    assert demo.__name__ == "anypy_demo"
    assert demo.__file__.endswith(suffix)
    assert suffix in importlib.machinery.EXTENSION_SUFFIXES


def test_version_matches_the_installed_distribution():
    assert demo.__version__ == importlib.metadata.version("anypy-demo")


def test_every_function_is_there_with_a_docstring():
    public = {name for name in dir(demo) if not name.startswith("_")}
    assert {name for name in public if not isinstance(getattr(demo, name), type)} == FUNCTIONS
    for name in FUNCTIONS:
        function = getattr(demo, name)
        assert function.__name__ == name
        assert function.__qualname__ == name
        assert function.__doc__ and not function.__doc__.startswith(name + "("), function.__doc__


@pytest.mark.parametrize("name", sorted(SIGNATURES))
def test_every_function_is_a_builtin_function_of_the_module(name):
    function = getattr(demo, name)
    assert function.__module__ == "anypy_demo"
    assert "PyCapsule" not in repr(function)
    if sys.implementation.name == "cpython":
        assert repr(function) == f"<built-in function {name}>"
    assert type(function).__name__ == "builtin_function_or_method"


@pytest.mark.parametrize("name", sorted(SIGNATURES))
def test_inspect_signature_of_every_function(name):
    function = getattr(demo, name)
    signature = inspect.signature(function)
    assert str(signature) == SIGNATURES[name]
    assert function.__text_signature__ == SIGNATURES[name]
    help_text = pydoc_render(function)
    assert name + SIGNATURES[name] in help_text, help_text


def pydoc_render(function):
    import pydoc

    return pydoc.plain(pydoc.render_doc(function))


@pytest.mark.parametrize("name", sorted(SIGNATURES))
def test_parameters_named_in_the_signature_can_be_passed_by_keyword(name):
    """Where the signature says a parameter may be passed by keyword, it can be."""
    signature = inspect.signature(getattr(demo, name))
    # The check itself: calling with a keyword the signature allows never raises
    # "unexpected keyword argument" (what happens next depends on the value).
    for parameter in signature.parameters.values():
        if parameter.kind in (parameter.POSITIONAL_OR_KEYWORD, parameter.KEYWORD_ONLY):
            try:
                getattr(demo, name)(**{parameter.name: object()})
            except TypeError as error:
                assert "unexpected keyword" not in str(error), error
                assert "positional-only" not in str(error), error
            except Exception:
                pass
    positional_only = [p for p in signature.parameters.values() if p.kind == p.POSITIONAL_ONLY]
    if positional_only:
        with pytest.raises(TypeError, match="positional-only arguments passed as keyword"):
            getattr(demo, name)(**{p.name: 1 for p in positional_only})


# --- results --------------------------------------------------------------------------------


def test_integers():
    assert demo.add(2, 3) == 5
    assert demo.add(-7, 2) == -5
    assert demo.add(2**62, 2**62 - 1) == 2**63 - 1
    assert demo.factorial(0) == 1
    assert demo.factorial(20) == 2432902008176640000


def test_floats():
    assert demo.hypot(3.0, 4.0) == 5.0
    assert demo.hypot(3, 4) == 5.0
    assert isinstance(demo.hypot(3, 4), float)
    assert demo.mean([1.0, 2.0, 4.5]) == 2.5
    assert demo.mean((1, 2)) == 1.5


def test_parse_positive():
    assert demo.parse_positive("42") == 42
    assert demo.parse_positive(str(2**64 - 1)) == 2**64 - 1


def test_strings():
    assert demo.greet("Ada") == "Hello, Ada!"
    assert demo.reverse("añb€") == "€bña"
    assert demo.reverse("") == ""


def test_bytes():
    for data in (b"", b"Wikipedia", bytes(range(256)) * 100):
        assert demo.checksum(data) == zlib.adler32(data)
    once = demo.xor(b"abc", b"\x01\x02")
    assert once == b"``b"
    assert isinstance(once, bytes)
    assert demo.xor(once, b"\x01\x02") == b"abc"


def test_lists():
    assert demo.squares(5) == [0, 1, 4, 9, 16]
    assert demo.squares(0) == []
    assert demo.sum_list([1, 2, 3]) == 6
    assert demo.sum_list((4, 5)) == 9
    assert demo.sum_list([]) == 0


def test_dicts():
    counts = demo.word_counts("the cat saw the  dog\nthe end")
    assert counts == {"the": 3, "cat": 1, "saw": 1, "dog": 1, "end": 1}
    assert list(counts) == ["the", "cat", "saw", "dog", "end"], "first-seen order"
    assert demo.word_counts("   ") == {}
    original = {"one": 1, 2: "two", (3,): None}
    assert demo.invert(original) == {1: "one", "two": 2, None: (3,)}
    assert original == {"one": 1, 2: "two", (3,): None}, "the argument is left as it was"


def test_tuples():
    assert demo.min_max([3, -1, 7, 2]) == (-1, 7)
    assert demo.min_max((5,)) == (5, 5)
    first, second = object(), ["second"]
    swapped = demo.swap((first, second))
    assert swapped == (second, first)
    assert swapped[0] is second and swapped[1] is first


# --- exceptions -----------------------------------------------------------------------------

BIG = 2**63 - 1

# (function, arguments, exception class, message; a message ending in "..." is a prefix, for
# the part an interpreter words its own way)
ERRORS = [
    ("add", (1, "2"), TypeError, "add() argument 'b': expected int, got str"),
    ("add", (1,), TypeError, "add() missing 1 required positional argument: 'b'"),
    ("add", (), TypeError, "add() missing 2 required positional arguments: 'a' and 'b'"),
    ("add", (1, 2, 3), TypeError, "add() takes 2 positional arguments but 3 were given"),
    ("scale", (1.0, 2.0, 3.0), TypeError, "scale() takes from 1 to 2 positional arguments but 3 were given"),
    ("label", (1,), TypeError, "label() argument 'text': expected str, got int"),
    ("label", ("x", 1), TypeError, "label() argument 'prefix': expected str, got int"),
    ("join", ("a", 2), TypeError, "join() argument 'parts': expected str, got int"),
    ("tag", (), TypeError, "tag() missing 1 required positional argument: 'name'"),
    ("list_length", ((1, 2),), TypeError, "list_length() argument 'items': expected list, got tuple"),
    ("first", ({},), TypeError, "first() argument 'items': expected list, got dict"),
    ("first", ([],), IndexError, "list index out of range"),
    ("noop", (1,), TypeError, "...noop() takes no arguments (1 given)"),
    ("add", (BIG, 1), OverflowError, "add(): the sum does not fit in 64 bits"),
    ("add", (2**64, 1), OverflowError, "add() argument 'a': ..."),
    ("factorial", (21,), OverflowError, "factorial(21) does not fit in 64 bits"),
    ("factorial", (-1,), ValueError, "factorial() not defined for negative values"),
    ("factorial", (2.0,), TypeError, "factorial() argument 'n': expected int, got float"),
    ("hypot", ("3", 4), TypeError, "hypot() argument 'x': expected float, got str"),
    ("mean", ([],), ValueError, "mean() of an empty sequence"),
    ("mean", ([1.0, "x"],), TypeError, "mean() argument 'xs': expected float, got str"),
    ("mean", (5,), TypeError, "mean() argument 'xs': expected list or tuple, got int"),
    ("parse_positive", ("abc",), ValueError, "parse_positive(): expected a positive integer, got 'abc'"),
    ("parse_positive", ("0",), ValueError, "parse_positive(): expected a positive integer, got '0'"),
    ("parse_positive", ("-3",), ValueError, "parse_positive(): expected a positive integer, got '-3'"),
    ("parse_positive", (str(2**64),), OverflowError, "parse_positive(): '18446744073709551616' does not fit in 64 bits"),
    ("parse_positive", (42,), TypeError, "parse_positive() argument 's': expected str, got int"),
    ("greet", (None,), TypeError, "greet() argument 'name': expected str, got NoneType"),
    ("reverse", (b"x",), TypeError, "reverse() argument 's': expected str, got bytes"),
    ("checksum", ("text",), TypeError, "checksum() argument 'data': expected bytes, got str"),
    ("xor", (b"abc", b""), ValueError, "xor(): the key is empty"),
    ("xor", (b"abc", "k"), TypeError, "xor() argument 'key': expected bytes, got str"),
    ("squares", (2**32,), OverflowError, "squares() argument 'n': Python int 4294967296 out of range for u32"),
    ("squares", (-1,), OverflowError, "squares() argument 'n': ..."),
    ("squares", ("3",), TypeError, "squares() argument 'n': expected int, got str"),
    ("sum_list", ([BIG, 1],), OverflowError, "sum_list(): the sum does not fit in 64 bits"),
    ("sum_list", ("123",), TypeError, "sum_list() argument 'xs': expected list or tuple, got str"),
    ("sum_list", ([1, "2"],), TypeError, "sum_list() argument 'xs': expected int, got str"),
    ("word_counts", (["a"],), TypeError, "word_counts() argument 'text': expected str, got list"),
    ("invert", ([1],), TypeError, "invert() argument 'd': expected dict, got list"),
    ("invert", ({"a": [1]},), TypeError, "unhashable type: 'list'"),
    ("min_max", ([],), ValueError, "min_max() of an empty sequence"),
    ("swap", ((1, 2, 3),), ValueError, "swap() argument 'pair': expected a tuple of length 2, got length 3"),
    ("swap", ([1, 2],), TypeError, "swap() argument 'pair': expected tuple, got list"),
    ("panics", (), RuntimeError, "Rust panic in panics(): the demo panicked, as asked"),
    # No parameters: METH_NOARGS, so the interpreter words these (CPython: with the module).
    ("panics", (1,), TypeError, "...panics() takes no arguments (1 given)"),
    ("apply", (1, 2), TypeError, "'int' object is not callable"),
    ("call_n", (str, -1), OverflowError, "call_n() argument 'n': ..."),
    ("sum_of_squares_nogil", (1.5,), TypeError, "sum_of_squares_nogil() argument 'n': expected int, got float"),
]


@pytest.mark.parametrize(
    "name, args, error, message", ERRORS, ids=[f"{e[0]}-{e[2].__name__}" for e in ERRORS]
)
def test_raises(name, args, error, message):
    with pytest.raises(error) as raised:
        getattr(demo, name)(*args)
    assert type(raised.value) is error
    assert_message(str(raised.value), message)


def assert_message(text, message):
    """`message` exactly, or its start when it ends in "...", or its end when it starts so."""
    if message.endswith("..."):
        assert text.startswith(message[:-3]), text
    elif message.startswith("..."):
        assert text.endswith(message[3:]), text
    else:
        assert text == message


# (function, positional arguments, keyword arguments, message): each as CPython 3.11 words it
# for a Python function of the same signature.
KEYWORD_ERRORS = [
    ("add", (1,), {"a": 2}, "add() got multiple values for argument 'a'"),
    ("add", (1,), {"c": 2}, "add() got an unexpected keyword argument 'c'"),
    ("add", (), {"b": 2}, "add() missing 1 required positional argument: 'a'"),
    ("scale", (), {"value": 1.0}, "scale() got some positional-only arguments passed as keyword arguments: 'value'"),
    ("scale", (1.0, 2.0, 3.0), {"offset": 1.0},
     "scale() takes from 1 to 2 positional arguments but 3 positional arguments "
     "(and 1 keyword-only argument) were given"),
    ("join", ("a",), {"sep": 1}, "join() argument 'sep': expected str, got int"),
    ("noop", (), {"x": 1}, "...noop() takes no keyword arguments"),
]


@pytest.mark.parametrize(
    "name, args, kwargs, message", KEYWORD_ERRORS, ids=[f"{e[0]}-{i}" for i, e in enumerate(KEYWORD_ERRORS)]
)
def test_keyword_errors(name, args, kwargs, message):
    with pytest.raises(TypeError) as raised:
        getattr(demo, name)(*args, **kwargs)
    assert_message(str(raised.value), message)


def test_keyword_calls_and_defaults():
    assert demo.add(a=1, b=2) == 3
    assert demo.add(1, b=2) == 3
    assert demo.add(b=40, a=2) == 42
    assert demo.greet(name="Ada") == "Hello, Ada!"
    assert demo.scale(3.0) == 6.0
    assert demo.scale(3.0, 3.0) == 9.0
    assert demo.scale(3.0, factor=1.5, offset=0.5) == 5.0
    assert demo.label("x") == "x"
    assert demo.label("x", width=3) == "x  "
    assert demo.label("x", prefix="> ") == "> x"
    assert demo.label("x", None, None) == "x"
    assert demo.apply(x=2, f=lambda v: v + 1) == 3


def test_var_args_and_kwargs():
    assert demo.join() == ""
    assert demo.join("a", "b", "c") == "a b c"
    assert demo.join("a", "b", sep="-") == "a-b"
    assert demo.tag("p") == "<p></p>"
    assert demo.tag("p", "hi", 1) == "<p>hi1</p>"
    assert demo.tag("a", "link", href="x.html", id=3) == '<a href="x.html" id="3">link</a>'
    assert demo.tag(name="b") == "<b></b>"
    words = ["x", "y"] * 50
    assert demo.join(*words) == " ".join(words)


def test_borrowed_arguments_keep_no_reference():
    items = [1, 2, 3]
    before = sys.getrefcount(items) if hasattr(sys, "getrefcount") else None
    for _ in range(1000):
        assert demo.list_length(items) == 3
        assert demo.first(items) == 1
    if before is not None:
        assert sys.getrefcount(items) == before
    assert demo.list_length(items=items) == 3
    assert demo.noop() is None


def test_the_module_works_after_a_panic():
    for _ in range(3):
        with pytest.raises(RuntimeError):
            demo.panics()
    assert demo.add(1, 1) == 2


# --- callbacks ------------------------------------------------------------------------------


def test_apply_calls_back():
    assert demo.apply(lambda x: x * 2, 21) == 42
    assert demo.apply(str.upper, "abc") == "ABC"
    thing = object()
    assert demo.apply(lambda x: x, thing) is thing
    assert demo.apply(lambda x: demo.add(x, 1), 41) == 42, "a callback may call the module"


def test_an_exception_raised_by_the_callback_propagates_unchanged():
    class Boom(Exception):
        pass

    error = Boom("from the callback")

    def explode(x):
        raise error

    with pytest.raises(Boom) as raised:
        demo.apply(explode, 1)
    assert raised.value is error
    assert any(entry.name == "explode" for entry in raised.traceback), "traceback kept"

    with pytest.raises(OverflowError, match=r"^factorial\(21\) does not fit in 64 bits$"):
        demo.apply(demo.factorial, 21)


def test_call_n_collects_results_and_stops_at_the_first_exception():
    assert demo.call_n(lambda i: i * i, 5) == [0, 1, 4, 9, 16]
    assert demo.call_n(str, 0) == []
    seen = []

    def fail_at_two(i):
        seen.append(i)
        if i == 2:
            raise KeyError("two")
        return i

    with pytest.raises(KeyError) as raised:
        demo.call_n(fail_at_two, 10)
    assert raised.value.args == ("two",)
    assert seen == [0, 1, 2]


# --- the GIL --------------------------------------------------------------------------------


def test_sum_of_squares_nogil_computes():
    assert demo.sum_of_squares_nogil(0) == 0
    assert demo.sum_of_squares_nogil(4) == 14
    n = 3_000_000
    assert demo.sum_of_squares_nogil(n) == sum(i * i for i in range(n)) % 2**64


def _long_enough_n(seconds):
    """An n for which sum_of_squares_nogil(n) takes at least `seconds` here."""
    n = 1_000_000
    while True:
        start = time.perf_counter()
        demo.sum_of_squares_nogil(n)
        if time.perf_counter() - start >= seconds:
            return n
        n *= 2


def test_sum_of_squares_nogil_lets_other_threads_run():
    """A ticking thread records times only while it holds the GIL, so ticks in the middle of
    the call prove the call released it."""
    n = _long_enough_n(0.3)
    ticks = []
    stop = threading.Event()

    def tick():
        while not stop.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.001)

    ticker = threading.Thread(target=tick)
    ticker.start()
    try:
        while not ticks:
            time.sleep(0.001)
        start = time.perf_counter()
        demo.sum_of_squares_nogil(n)
        end = time.perf_counter()
    finally:
        stop.set()
        ticker.join()
    quarter = (end - start) / 4
    during = [t for t in ticks if start + quarter < t < end - quarter]
    assert len(during) >= 10, f"{len(during)} ticks in the middle {2 * quarter:.3f} s of the call"


def test_threads_call_the_module_at_once():
    results = {}

    def work(k):
        results[k] = [
            (demo.sum_of_squares_nogil(10_000 + k), demo.word_counts(TEXT)["the"])
            for _ in range(200)
        ]

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for k in range(4):
        expected = sum(i * i for i in range(10_000 + k))
        assert results[k] == [(expected, 4)] * 200
